// Headers: `X-Content-Type-Options: nosniff` on every answer (success, error, page, asset,
// stream, the router's own refusals); `Cache-Control: no-store` on every answer that carries a
// credential; helmet's security headers on pages, with the checkout's strict CSP kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http, type HttpAnswer } from '../helpers.ts';
import { callers, documentedOperations, fillPath, realIds, send } from './openapi-fixtures.ts';
import { createSale, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';
import { solidPng } from '../../src/modules/apps/png.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

test('every answer carries nosniff: each documented operation as each caller, and the odd ones', async () => {
  const who = await callers(w);
  let checked = 0;
  for (const op of await documentedOperations(w.server)) {
    for (const caller of who) {
      // No body: the cheapest request that reaches each route (most answer 4xx; some 2xx).
      if (op.method !== 'GET' && caller.name !== 'anonymous') continue;
      const answer = await send(w.server.url + fillPath(op, await realIds(w, caller)), op.method, caller.headers);
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', `${caller.name} ${op.method} ${op.path} → ${answer.status}`);
      checked++;
    }
  }
  const odd: [string, string, RequestInit?][] = [
    ['GET', '/'],
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['GET', '/openapi.json'],
    ['GET', '/docs'],
    ['GET', '/p/static/checkout.css'],
    ['GET', '/p/static/checkout.js'],
    ['GET', '/js/pasarela.js'],
    ['GET', '/js/pasarela.css'],
    ['GET', '/examples/card-checkout'],
    ['GET', '/examples/card-checkout/page.js'],
    ['GET', '/p/express-checkout/nope/1'],
    ['GET', '/no/such/path'],
    ['DELETE', '/healthz'],
    ['GET', '/%'],
    ['GET', `/console/api/apps/${'x'.repeat(400)}`],
    ['POST', '/console/api/register', { headers: { 'content-type': 'text/plain' }, body: 'x' }],
    ['POST', '/console/api/register', { headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 10) }],
  ];
  for (const [method, path, init] of odd) {
    const response = await fetch(w.server.url + path, { method, redirect: 'manual', ...init });
    await response.arrayBuffer();
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${method} ${path} → ${response.status}`);
    // A URL the router cannot read is answered before any hook: it still gets the whole set.
    if (path === '/%') assert.deepEqual([response.headers.get('x-frame-options'), response.headers.get('referrer-policy')], ['DENY', 'no-referrer']);
    checked++;
  }
  const stream = await send(`${w.server.url}/webhooks/events/stream`, 'GET', { authorization: `Bearer ${w.token}` });
  assert.equal(stream.status, 200);
  assert.equal(stream.headers.get('x-content-type-options'), 'nosniff', 'event stream');
  assert.ok(checked > 100, `only ${checked} answers`);
});

function assertNoStore(answer: HttpAnswer, what: string) {
  assert.ok(answer.status < 300, `${what}: ${answer.status} ${answer.text.slice(0, 200)}`);
  assert.equal(answer.headers.get('cache-control'), 'no-store', what);
}

test('answers that carry credentials are never stored by a cache', async () => {
  const { clientId, clientSecret } = w.demo.merchant.app;
  const token = await http(w.server.url, 'POST', '/oauth/v2/token', {
    form: { grant_type: 'urn:client_apps', client_id: clientId, client_secret: clientSecret },
  });
  assertNoStore(token, 'token');
  const refused = await http(w.server.url, 'POST', '/oauth/v2/token', { form: { grant_type: 'urn:client_apps', client_id: clientId, client_secret: 'wrong' } });
  assert.equal(refused.headers.get('cache-control'), 'no-store', 'token error');

  const signIn = await http(w.server.url, 'POST', '/console/api/session', { json: { login: w.demo.merchant.username, password: w.demo.merchant.password } });
  assertNoStore(signIn, 'session');
  const session = { 'x-session-token': signIn.body.sessionToken as string };
  assertNoStore(await http(w.server.url, 'GET', '/console/api/me', { headers: session }), 'me (csrf token)');

  const logo = solidPng(8, 8, [0, 0, 0]).toString('base64');
  const created = await http(w.server.url, 'POST', '/console/api/apps', {
    headers: session,
    json: { name: 'Cabeceras', description: 'x', homepageUrl: 'https://example.com', logoBase64: logo },
  });
  assertNoStore(created, 'app created (credentials)');
  const appId = created.body.app.id as string;
  assertNoStore(await http(w.server.url, 'GET', `/console/api/apps/${appId}/credentials`, { headers: session }), 'credentials');
  assertNoStore(await http(w.server.url, 'POST', `/console/api/apps/${appId}/credentials/renew`, { headers: session }), 'credentials renewed');
  assertNoStore(await http(w.server.url, 'POST', `/console/api/apps/${appId}/notification-secret`, { headers: session }), 'notification secret');
  const hook = await http(w.server.url, 'POST', `/console/api/apps/${appId}/webhooks`, {
    headers: session,
    json: { url: 'https://example.com/hook', eventTypes: ['payment.*'] },
  });
  assertNoStore(hook, 'webhook endpoint (secret)');
  const hookId = (hook.body.endpoint?.id ?? hook.body.id) as string;
  assertNoStore(await http(w.server.url, 'POST', `/console/api/apps/${appId}/webhooks/${hookId}/secret`, { headers: session }), 'webhook secret rotated');
  assertNoStore(await http(w.server.url, 'GET', '/bc38875a09308a2/codes.json?access_token=f21d867c420680a2e4b90e761a9e751f'), 'affiliation codes');
  // Per-caller data is not cached either (some of it, like pay tokens, is a credential too).
  const intent = await createSale(w);
  assertNoStore(await http(w.server.url, 'GET', `/api/payment-intent/show.json?id=${intent.id}`, { token: w.token }), 'intent');
  const checkout = await fetch(`${w.server.url}/p/express-checkout/${intent.id}/1`);
  assert.equal(checkout.headers.get('cache-control'), 'no-store', 'checkout page');
  await checkout.arrayBuffer();
  // Static assets keep their own caching.
  const css = await fetch(`${w.server.url}/p/static/checkout.css`);
  assert.match(css.headers.get('cache-control') ?? '', /public/);
  await css.arrayBuffer();
});

test('pages get helmet’s headers; the checkout keeps its own strict CSP', async () => {
  const intent = await createSale(w);
  const page = await fetch(`${w.server.url}/p/express-checkout/${intent.id}/1`);
  const body = await page.text();
  assert.equal(page.status, 200, body.slice(0, 200));
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /^default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self' http:\/\/localhost:4000/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  // Sandbox over plain HTTP: no HSTS (it would mean nothing, and pins nothing).
  assert.equal(page.headers.get('strict-transport-security'), null);

  const home = await fetch(`${w.server.url}/`);
  await home.text();
  assert.match(home.headers.get('content-security-policy') ?? '', /^default-src 'none'; style-src 'self'/);
  assert.equal(home.headers.get('x-frame-options'), 'DENY');

  const docs = await fetch(`${w.server.url}/docs`);
  await docs.text();
  const docsCsp = docs.headers.get('content-security-policy') ?? '';
  assert.match(docsCsp, /script-src 'self' 'nonce-/);
  // Scalar's styles need 'unsafe-inline' (reference/page.ts); its scripts never do.
  assert.doesNotMatch(docsCsp, /upgrade-insecure-requests|script-src[^;]*unsafe-inline/);

  const json = await fetch(`${w.server.url}/healthz`);
  await json.text();
  assert.match(json.headers.get('content-security-policy') ?? '', /default-src 'none'/);
});
