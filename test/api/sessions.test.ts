// Console sign-in: failed attempts are limited per login name (also when sent in parallel), the
// limit lifts after its window on the deployment clock, and sessions expire.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { merchant, PASSWORD, registerPerson } from './core-fixtures.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const signIn = (login: string, password: string) => http(server.url, 'POST', '/console/api/session', { json: { login, password } });

test('ten failed sign-ins block the login name; a success before that clears the count', async () => {
  const user = await registerPerson(server);
  for (let i = 0; i < 9; i++) assert.equal((await signIn(user.username, 'clave-equivocada')).status, 401);
  assert.equal((await signIn(user.username, PASSWORD)).status, 200, 'nine failures do not block');
  for (let i = 0; i < 10; i++) assert.equal((await signIn(user.username, 'clave-equivocada')).status, 401);
  const blocked = await signIn(user.username, PASSWORD);
  assert.equal(blocked.status, 429, blocked.text);
  assert.deepEqual(Object.keys(blocked.body).sort(), ['code', 'message']);
  assert.equal(blocked.body.code, 429);
  // another name for another user is not affected
  const other = await registerPerson(server);
  assert.equal((await signIn(other.username, PASSWORD)).status, 200);
});

test('parallel guesses are counted too: at most ten passwords are ever checked', async () => {
  const user = await registerPerson(server);
  const answers = await Promise.all(Array.from({ length: 30 }, () => signIn(user.username, 'clave-equivocada')));
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 401).length, 10, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, 20, statuses.join());
  assert.equal((await signIn(user.username, PASSWORD)).status, 429, 'the right password is refused while blocked');
});

test('the block lifts after 15 minutes on the deployment clock; sessions expire after 12 hours', async () => {
  const own = await startTestServer();
  try {
    const { app } = await merchant(own);
    const user = await registerPerson(own);
    const ownSignIn = (password: string) => http(own.url, 'POST', '/console/api/session', { json: { login: user.username, password } });
    for (let i = 0; i < 10; i++) assert.equal((await ownSignIn('clave-equivocada')).status, 401);
    assert.equal((await ownSignIn(PASSWORD)).status, 429);
    const advance = (seconds: number) => http(own.url, 'POST', '/sandbox/clock', { json: { advanceSeconds: seconds }, token: app.accessToken });
    // 90 s of margin: the ten failures above take real seconds on a loaded machine, and the window
    // counts from the first of them.
    assert.equal((await advance(15 * 60 - 90)).status, 200);
    assert.equal((await ownSignIn(PASSWORD)).status, 429, 'still blocked just before the window ends');
    assert.equal((await advance(100)).status, 200);
    const session = await ownSignIn(PASSWORD);
    assert.equal(session.status, 200, session.text);

    const headers = { 'x-session-token': session.body.sessionToken };
    assert.equal((await http(own.url, 'GET', '/console/api/me', { headers })).status, 200);
    assert.equal((await advance(12 * 3600 - 60)).status, 200);
    assert.equal((await http(own.url, 'GET', '/console/api/me', { headers })).status, 200);
    assert.equal((await advance(120)).status, 200);
    const expired = await http(own.url, 'GET', '/console/api/me', { headers });
    assert.equal(expired.status, 401, expired.text);
    // signing out ends a session at once
    const fresh = await ownSignIn(PASSWORD);
    const freshHeaders = { 'x-session-token': fresh.body.sessionToken };
    assert.equal((await http(own.url, 'DELETE', '/console/api/session', { headers: freshHeaders })).status, 204);
    assert.equal((await http(own.url, 'GET', '/console/api/me', { headers: freshHeaders })).status, 401);
  } finally {
    await own.close();
  }
});
