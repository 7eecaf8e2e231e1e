// The consent page over plain HTTP (no JavaScript, as the page is made to work): problems shown,
// never redirected; a wrong response_type reported at the registered redirect URI; the form's
// CSRF token required; approving without a session only leads back; a signed-in seller's
// approval goes back with a code and the state exactly as sent. (The browser path:
// test/e2e/card-consent.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { updateApp } from '../../src/modules/apps/index.ts';
import { findAppByClientIdWithoutLogo } from '../../src/modules/apps/repo.ts';
import { findUserByUsername } from '../../src/modules/identity/index.ts';
import { startTestServer, type TestServer } from '../helpers.ts';

const REDIRECT = 'https://integrador.example/cb';
const STATE = 'pedido 7 & <b>"x"</b>';
let server: TestServer;
let demo: DemoDocument;

before(async () => {
  server = await startTestServer();
  demo = await ensureDemo(server.ctx);
  const owner = await findUserByUsername(server.ctx.store.db, demo.merchant.username);
  const app = await findAppByClientIdWithoutLogo(server.ctx.store.db, demo.merchant.app.clientId);
  await updateApp(server.ctx, owner!.id, app!.id, { redirectUris: [REDIRECT] });
});
after(() => server?.close());

function query(overrides: Record<string, string> = {}): string {
  return new URLSearchParams({ client_id: demo.merchant.app.clientId, response_type: 'code', redirect_uri: REDIRECT, state: STATE, ...overrides }).toString();
}

const get = (path: string, cookie = '') => fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
const post = (fields: Record<string, string>, cookie: string) =>
  fetch(`${server.url}/p/authorization`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ client_id: demo.merchant.app.clientId, response_type: 'code', redirect_uri: REDIRECT, state: STATE, ...fields }).toString(),
  });
const cookiesOf = (answer: Response) =>
  answer.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

test('an unknown app or an unregistered redirect URI is a page, never a redirect; a wrong response_type goes back saying so', async () => {
  for (const [q, text] of [
    [query({ client_id: 'nadie' }), 'La aplicación no existe en este ambiente'],
    [query({ redirect_uri: 'https://evil.example/cb' }), 'no está registrada'],
    [query({ redirect_uri: `${REDIRECT}/` }), 'no está registrada'],
  ] as const) {
    const answer = await get(`/p/authorization?${q}`);
    assert.equal(answer.status, 400);
    assert.equal(answer.headers.get('location'), null);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await answer.text(), new RegExp(text));
  }
  const wrongType = await get(`/authorization?${query({ response_type: 'token' })}`);
  assert.equal(wrongType.status, 303);
  const page = await get(wrongType.headers.get('location')!);
  const back = new URL(page.headers.get('location')!);
  assert.equal(back.origin + back.pathname, REDIRECT);
  assert.equal(back.searchParams.get('error'), 'unsupported_response_type');
  assert.equal(back.searchParams.get('state'), STATE);
});

test('the form needs its CSRF token; approving without a session only leads back to sign in', async () => {
  const signIn = await get(`/p/authorization?${query()}`);
  const html = await signIn.text();
  assert.ok(!html.includes(STATE), 'the state is escaped in the page');
  const cookie = cookiesOf(signIn);
  const forged = await post({ action: 'approve', csrf: 'not-the-token' }, cookie);
  assert.equal(forged.status, 403);
  assert.equal(forged.headers.get('location'), null);
  const noSession = await post({ action: 'approve', csrf: csrfIn(html) }, cookie);
  assert.equal(noSession.status, 303);
  assert.match(noSession.headers.get('location')!, /^\/p\/authorization\?/);
});

test('the operator is told it cannot authorize, and keeps no session here', async () => {
  const signIn = await get(`/p/authorization?${query()}`);
  const formCookie = cookiesOf(signIn);
  const operator = await post(
    { action: 'signin', csrf: csrfIn(await signIn.text()), login: demo.operator.username, password: demo.operator.password },
    formCookie,
  );
  assert.equal(operator.status, 403);
  assert.match(await operator.text(), /La cuenta del operador no cobra/);
  assert.ok(!operator.headers.getSetCookie().some((c) => c.startsWith('pasarela_checkout=') && !c.startsWith('pasarela_checkout=;')));
});

test('a seller signs in and approves: back at the redirect URI with a code and the same state', async () => {
  const buyer = demo.buyers[0]!;
  const signIn = await get(`/p/authorization?${query()}`);
  const formCookie = cookiesOf(signIn);
  const signedIn = await post({ action: 'signin', csrf: csrfIn(await signIn.text()), login: buyer.username, password: buyer.password }, formCookie);
  assert.equal(signedIn.status, 303, await signedIn.text());
  const cookie = [formCookie, cookiesOf(signedIn)].filter(Boolean).join('; ');
  const consent = await get(signedIn.headers.get('location')!, cookie);
  const html = await consent.text();
  assert.match(html, /Autorizar a Tienda Demo a cobrar en su nombre/);
  const approved = await post({ action: 'approve', csrf: csrfIn(html) }, cookie);
  assert.equal(approved.status, 303);
  const back = new URL(approved.headers.get('location')!);
  assert.equal(back.origin + back.pathname, REDIRECT);
  assert.match(back.searchParams.get('code') ?? '', /^TG-/);
  assert.equal(back.searchParams.get('state'), STATE);
  const denied = await post({ action: 'deny', csrf: csrfIn(html) }, cookie);
  assert.equal(new URL(denied.headers.get('location')!).searchParams.get('error'), 'access_denied');
});
