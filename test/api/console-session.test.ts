// The browser's side of console sessions: the HttpOnly cookie, CSRF tokens (a token of another
// session, a tampered one or none is refused on every state change, sign-out included), the
// session probe that never answers 401, and the single-page app served under /console/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { PASSWORD, registerBusiness } from './core-fixtures.ts';
import { CONSOLE_DIST } from '../../src/http/pages/console-app.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function browserSignIn(login: string) {
  const answer = await http(server.url, 'POST', '/console/api/session', { json: { login, password: PASSWORD }, headers: { 'x-session-transport': 'cookie' } });
  assert.equal(answer.status, 200, answer.text);
  const setCookie = answer.headers.get('set-cookie') ?? '';
  const cookie = /^pasarela_session=[^;]+/.exec(setCookie)?.[0];
  assert.ok(cookie, setCookie);
  return { answer, setCookie, cookie: cookie!, csrf: answer.body.csrfToken as string };
}

test('sign-in sets an HttpOnly SameSite cookie; asked for cookie only, the token is not in the answer', async () => {
  const user = await registerBusiness(server);
  const { answer, setCookie } = await browserSignIn(user.username);
  assert.match(setCookie, /HttpOnly/i);
  assert.match(setCookie, /SameSite=Lax/i);
  assert.match(setCookie, /Path=\//);
  assert.equal(answer.body.sessionToken, undefined);
  assert.equal(typeof answer.body.csrfToken, 'string');
  const script = await http(server.url, 'POST', '/console/api/session', { json: { login: user.username, password: PASSWORD } });
  assert.equal(typeof script.body.sessionToken, 'string', 'scripts still get the token');
});

test('a cookie-borne state change needs this session’s CSRF token', async () => {
  const user = await registerBusiness(server);
  const mine = await browserSignIn(user.username);
  const other = await browserSignIn((await registerBusiness(server)).username);
  const post = (headers: Record<string, string>) =>
    http(server.url, 'POST', '/console/api/wallets', { json: { currency: 'USD' }, headers: { cookie: mine.cookie, ...headers } });

  const none = await post({});
  assert.equal(none.status, 403, none.text);
  assert.deepEqual(none.body, { code: 403, message: 'Falta el token CSRF o no es válido.' });
  assert.equal((await post({ 'x-csrf-token': other.csrf })).status, 403, 'another session’s token');
  assert.equal((await post({ 'x-csrf-token': `${mine.csrf.slice(0, -2)}xx` })).status, 403, 'a tampered token');
  const me = await http(server.url, 'GET', '/console/api/me', { headers: { cookie: mine.cookie } });
  assert.equal(me.status, 200);
  assert.notEqual(me.body.csrfToken, mine.csrf, 'each answer carries a fresh token');
  assert.equal((await post({ 'x-csrf-token': me.body.csrfToken })).status, 201, 'a token from /me works');
});

test('sign-out with the cookie needs the CSRF token too, then ends the session and clears the cookie', async () => {
  const user = await registerBusiness(server);
  const { cookie, csrf } = await browserSignIn(user.username);
  const refused = await http(server.url, 'DELETE', '/console/api/session', { headers: { cookie } });
  assert.equal(refused.status, 403, refused.text);
  assert.equal((await http(server.url, 'GET', '/console/api/me', { headers: { cookie } })).status, 200, 'still signed in');
  const out = await http(server.url, 'DELETE', '/console/api/session', { headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie') ?? '', /pasarela_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
  assert.equal((await http(server.url, 'GET', '/console/api/me', { headers: { cookie } })).status, 401);
});

test('the session probe answers 200 either way; the config says sandbox and where the codes are', async () => {
  const anonymous = await http(server.url, 'GET', '/console/api/session');
  assert.equal(anonymous.status, 200);
  assert.deepEqual(anonymous.body, { signedIn: false });
  const user = await registerBusiness(server);
  const { cookie } = await browserSignIn(user.username);
  const signedIn = await http(server.url, 'GET', '/console/api/session', { headers: { cookie } });
  assert.equal(signedIn.body.signedIn, true);
  assert.equal(signedIn.body.user.username, user.username);
  assert.equal(signedIn.headers.get('cache-control'), 'no-store');

  const config = await http(server.url, 'GET', '/console/api/config');
  assert.equal(config.body.environment, 'sandbox');
  const codes = await http(server.url, 'GET', config.body.affiliationCodesUrl);
  assert.equal(codes.status, 200);
  assert.match(codes.body.regular, /^\S{8}$/);
});

test(
  'the console is served under /console/ with its own CSP; unknown API paths stay JSON 404s',
  { skip: existsSync(`${CONSOLE_DIST}index.html`) ? false : 'console not built (npm run build:console)' },
  async () => {
    for (const path of ['/console/', '/console/apps/abc', '/console/signin?next=%2Fapps']) {
      const page = await http(server.url, 'GET', path);
      assert.equal(page.status, 200, path);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(page.text, /<div id="root">/);
    }
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec((await http(server.url, 'GET', '/console/')).text)![1]!;
    const js = await http(server.url, 'GET', asset);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await http(server.url, 'GET', '/console')).status, 302);
    const api = await http(server.url, 'GET', '/console/api/nope');
    assert.equal(api.status, 404);
    assert.equal(api.body.code, 404);
    assert.equal((await http(server.url, 'POST', '/console/whatever', { json: {} })).status, 404);
  },
);

test('a sign-in posted from another site is refused (login CSRF); from this origin, or without Origin (scripts), it works', async () => {
  const user = await registerBusiness(server);
  const form = { login: user.username, password: PASSWORD };
  const foreign = await http(server.url, 'POST', '/console/api/session', { form, headers: { origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403, foreign.text);
  assert.equal(foreign.headers.get('set-cookie'), null);
  assert.equal((await http(server.url, 'POST', '/console/api/session', { form, headers: { origin: 'null' } })).status, 403);
  assert.equal((await http(server.url, 'POST', '/console/api/session', { form, headers: { origin: server.url } })).status, 200);
  assert.equal((await http(server.url, 'POST', '/console/api/session', { form })).status, 200);
});
