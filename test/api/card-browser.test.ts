// The browser side of the card family over real HTTP: /js/pasarela.js and its stylesheet
// (strict type, cross-origin loadable, cached for a day or, versioned, for a year; the rules
// inlined are the server's), the example checkout page (strict CSP, es/en, the demo app's public
// key) and its demo shop backend (pays with a token, once per token); none of it in production
// except the script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/index.ts';
import { browserCardRules } from '../../src/http/card-browser/rules.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';

let server: TestServer;
let demo: DemoDocument;

before(async () => {
  server = await startTestServer();
  demo = await ensureDemo(server.ctx);
});
after(() => server?.close());

const CARD = { card_number: '4509953566233704', expiration_month: '11', expiration_year: '30', security_code: '123' };

async function browserToken(name = 'APRO'): Promise<string> {
  const answer = await http(server.url, 'POST', `/v1/card_tokens?public_key=${demo.merchant.app.publicKey}`, {
    json: { ...CARD, cardholder: { name } },
    headers: { origin: 'http://shop.example' },
  });
  assert.equal(answer.status, 201, answer.text);
  return answer.body.id;
}

test('/js/pasarela.js: a strict type, loadable from any origin, cached a day (a year when versioned), revalidated by ETag', async () => {
  for (const [path, type] of [
    ['/js/pasarela.js', 'text/javascript; charset=utf-8'],
    ['/js/pasarela.css', 'text/css; charset=utf-8'],
  ] as const) {
    const plain = await fetch(server.url + path);
    const body = await plain.text();
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('content-type'), type);
    assert.equal(plain.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(plain.headers.get('cross-origin-resource-policy'), 'cross-origin', 'a merchant page on another origin may load it');
    assert.equal(plain.headers.get('access-control-allow-origin'), '*');
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=86400');
    const etag = plain.headers.get('etag')!;
    const version = createHash('sha256').update(body).digest('hex').slice(0, 16);
    assert.equal(etag, `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`);

    const pinned = await fetch(`${server.url}${path}?v=${version}`);
    assert.equal(await pinned.text(), body);
    assert.equal(pinned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const stale = await fetch(`${server.url}${path}?v=0123456789abcdef`);
    assert.equal(await stale.text(), body, 'an old version gets the current file');
    assert.equal(stale.headers.get('cache-control'), 'public, max-age=86400', '…cached only for a day');

    const again = await fetch(server.url + path, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
  }
});

test('the script carries the server’s own card rules, inlined', async () => {
  const script = await (await fetch(`${server.url}/js/pasarela.js`)).text();
  assert.ok(!script.includes('__PASARELA_RULES__'));
  const inlined = /^\s*const RULES = (.*);$/m.exec(script);
  assert.ok(inlined, 'the rules line');
  assert.deepEqual(JSON.parse(inlined[1]!), JSON.parse(JSON.stringify(browserCardRules())));
});

test('a merchant page on another origin may tokenize: the preflight of the script’s request is allowed', async () => {
  const preflight = await fetch(`${server.url}/v1/card_tokens?public_key=${demo.merchant.app.publicKey}`, {
    method: 'OPTIONS',
    headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
});

test('the example checkout: Spanish first, English on ?lang=en or Accept-Language, the demo public key, a CSP with no inline code', async () => {
  const es = await http(server.url, 'GET', '/examples/card-checkout');
  assert.equal(es.status, 200);
  assert.match(es.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(es.text, /<html lang="es">/);
  assert.match(es.text, /Finalizar compra/);
  assert.ok(es.text.includes(`data-public-key="${demo.merchant.app.publicKey}"`));
  assert.ok(!es.text.includes(demo.merchant.app.accessToken), 'never the access token');
  assert.ok(!/<script(?![^>]*\ssrc=)/.test(es.text), 'no inline script');
  assert.ok(!/\sstyle=|<style/.test(es.text), 'no inline style');
  const csp = es.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.ok(!csp.includes('unsafe'), csp);
  // Pasarela's files are pinned (versioned URL + integrity), so a merchant may copy the tags.
  const script = /<script src="([^"]+\/js\/pasarela\.js\?v=[0-9a-f]{16})" integrity="(sha384-[^"]+)" crossorigin="anonymous"/.exec(es.text);
  assert.ok(script, 'the script tag');
  const served = await (await fetch(script[1]!)).text();
  assert.equal(script[2], `sha384-${createHash('sha384').update(served).digest('base64')}`);

  assert.match((await http(server.url, 'GET', '/examples/card-checkout?lang=en')).text, /<html lang="en">[\s\S]*Checkout/);
  assert.match((await http(server.url, 'GET', '/examples/card-checkout', { headers: { 'accept-language': 'en-US,en;q=0.9' } })).text, /<html lang="en">/);
});

test('the demo shop backend pays with the token it receives, once per token', async () => {
  const token = await browserToken();
  const paid = await http(server.url, 'POST', '/examples/card-checkout/pay', { json: { token, product: 'cafe-merida' } });
  assert.equal(paid.status, 200, paid.text);
  assert.equal(paid.body.status, 'approved');
  assert.deepEqual(Object.keys(paid.body).sort(), ['id', 'status', 'status_detail']);
  const payment = await http(server.url, 'GET', `/v1/payments/${paid.body.id}`, { token: demo.merchant.app.accessToken });
  assert.equal(payment.body.transaction_amount, 25.5, 'the shop’s price, not the page’s');
  // A retry with the same token is the same payment (the token is the idempotency key).
  const retried = await http(server.url, 'POST', '/examples/card-checkout/pay', { json: { token, product: 'cafe-merida' } });
  assert.equal(retried.body.id, paid.body.id);

  const declined = await http(server.url, 'POST', '/examples/card-checkout/pay', { json: { token: await browserToken('FUND'), product: 'cafe-merida' } });
  assert.deepEqual([declined.status, declined.body.status, declined.body.status_detail], [200, 'rejected', 'cc_rejected_insufficient_amount']);

  const unknown = await http(server.url, 'POST', '/examples/card-checkout/pay', { json: { token: 'f'.repeat(32), product: 'cafe-merida' } });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.message, /token/i);
  const noProduct = await http(server.url, 'POST', '/examples/card-checkout/pay', { json: { token: await browserToken(), product: 'nada' } });
  assert.equal(noProduct.status, 400);
  const noToken = await http(server.url, 'POST', '/examples/card-checkout/pay', { json: { product: 'cafe-merida' } });
  assert.equal(noToken.status, 400);
});

test('production: the script is served, the example and its backend do not exist', async () => {
  const production = await startTestServer({ env: { PASARELA_ENV: 'production' } });
  try {
    assert.equal((await http(production.url, 'GET', '/js/pasarela.js')).status, 200);
    assert.equal((await http(production.url, 'GET', '/examples/card-checkout')).status, 404);
    assert.equal((await http(production.url, 'GET', '/examples/card-checkout/page.js')).status, 404);
    assert.equal((await http(production.url, 'POST', '/examples/card-checkout/pay', { json: { token: 'x', product: 'cafe-merida' } })).status, 404);
    assert.doesNotMatch((await http(production.url, 'GET', '/')).text, /card-checkout/);
  } finally {
    await production.close();
  }
});
