// A name typed at sign-in, as a transfer's `to` or a billing request's `recipient` is read as a
// phone first, then an identification, then a username. A username shaped like a phone
// (584141234567) or an identification (v1234567) is therefore never read as a username: its
// owner cannot sign in with it, and money sent "to" it goes to whoever holds that phone or
// document. Registration must refuse such usernames.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { nextIdentity, PASSWORD } from './core-fixtures.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('a username shaped like a phone or an identification is refused at registration; any other signs in', async () => {
  const cases: [string, boolean][] = [
    ['584149990001', false],
    ['v12345678', false],
    ['e1234567', false],
    ['p123456', false],
    ['v-1234567', false],
    ['ana.perez', true],
    ['u1234567', true],
    ['v12', true],
  ];
  for (const [username, accepted] of cases) {
    const who = nextIdentity();
    const answer = await http(server.url, 'POST', '/console/api/register', {
      json: {
        type: 'person',
        username,
        password: PASSWORD,
        email: `${who.username}@example.com`,
        phone: who.phone,
        identification: who.identification,
        name: 'Ana',
      },
    });
    if (!accepted) {
      assert.equal(answer.status, 400, `${username}: ${answer.status} ${answer.text.slice(0, 200)}`);
      assert.ok(answer.body.errors.children.username, `${username}: the error names the username (${answer.text.slice(0, 200)})`);
      continue;
    }
    assert.equal(answer.status, 201, `${username}: ${answer.text.slice(0, 200)}`);
    const signIn = await http(server.url, 'POST', '/console/api/session', { json: { login: username, password: PASSWORD } });
    assert.equal(signIn.status, 200, `${username} signs in with its username: ${signIn.text.slice(0, 200)}`);
  }
});
