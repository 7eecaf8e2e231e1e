// Tenant isolation: merchant B's session and tokens never reach merchant A's app, keys or
// wallets; another owner's app id is "not found" (404), never "forbidden".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fundWallet } from '../../src/modules/wallets/service.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { clientToken, logoForm, merchant, profile } from './core-fixtures.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('merchant B cannot read or change merchant A’s app, keys or wallets', async () => {
  const a = await merchant(server);
  const b = await merchant(server);
  await fundWallet(server.ctx, { account: a.user.username, amount: '25.00' });

  const missing = await http(server.url, 'GET', '/console/api/apps/00000000-0000-0000-0000-000000000000', { headers: b.session.headers });
  assert.equal(missing.status, 404);

  const attempts: [string, string, unknown?][] = [
    ['GET', `/console/api/apps/${a.app.id}`],
    ['GET', `/console/api/apps/${a.app.id}/credentials`],
    ['POST', `/console/api/apps/${a.app.id}/credentials/renew`],
    ['PATCH', `/console/api/apps/${a.app.id}`, { name: 'Robada' }],
    ['PATCH', `/console/api/apps/${a.app.id}/permissions`, { distributions: true }],
    ['POST', `/console/api/apps/${a.app.id}/activation-request`],
  ];
  for (const [method, path, json] of attempts) {
    const answer = await http(server.url, method, path, { headers: b.session.headers, ...(json ? { json } : {}) });
    assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
    // exactly the answer for an id that does not exist: nothing tells that the app is there
    assert.deepEqual(answer.body, { code: 404, message: missing.body.message }, `${method} ${path}`);
    assert.ok(!answer.text.includes(a.app.clientSecret) && !answer.text.includes(a.app.clientId));
  }

  // A's app is untouched: same keys, same name, the renewal above did not happen
  const own = await http(server.url, 'GET', `/console/api/apps/${a.app.id}/credentials`, { headers: a.session.headers });
  assert.equal(own.status, 200);
  assert.deepEqual(own.body, { clientId: a.app.clientId, clientSecret: a.app.clientSecret, publicKey: a.app.publicKey, accessToken: a.app.accessToken });
  const ownApp = await http(server.url, 'GET', `/console/api/apps/${a.app.id}`, { headers: a.session.headers });
  assert.equal(ownApp.body.app.name, 'Tienda');
  assert.equal(ownApp.body.app.permissions.distributions, false);
  assert.equal((await clientToken(server, a.app)).status, 200);

  // listings and the signed-in view show B's own things only
  const list = await http(server.url, 'GET', '/console/api/apps', { headers: b.session.headers });
  assert.deepEqual(
    list.body.data.map((x: { id: string }) => x.id),
    [b.app.id],
  );
  const me = await http(server.url, 'GET', '/console/api/me', { headers: b.session.headers });
  assert.equal(me.body.user.id, b.user.id);
  assert.deepEqual(
    me.body.wallets.map((w: { id: string }) => w.id),
    [b.user.walletId],
  );
  const movements = await http(server.url, 'GET', '/console/api/movements', { headers: b.session.headers });
  assert.equal(movements.status, 200);
  assert.ok(
    movements.body.data.every((m: { accountId: string }) => m.accountId !== a.user.walletId),
    movements.text,
  );

  // B's tokens (issued and the app's own) see B only
  const token = await clientToken(server, b.app);
  for (const bearer of [token.body.access_token, b.app.accessToken]) {
    const seen = await profile(server, bearer);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.id, b.user.id);
    assert.equal(seen.body.client.id, b.app.clientId);
    assert.deepEqual(
      seen.body.digital_accounts.map((w: { id: string }) => w.id),
      [b.user.walletId],
    );
    assert.ok(!seen.text.includes(a.user.walletId));
  }

  // B cannot make A's wallet the receiving account of B's app
  const hijack = await http(server.url, 'POST', '/console/api/apps', {
    multipart: logoForm({ name: 'Otra', description: 'x', homepageUrl: 'https://b.example.com', receivingAccount: a.user.walletId }),
    headers: b.session.headers,
  });
  assert.equal(hijack.status, 400, hijack.text);
  assert.ok(hijack.body.errors.children.receivingAccount.errors.length === 1);
  const patchHijack = await http(server.url, 'PATCH', `/console/api/apps/${b.app.id}`, {
    json: { receivingAccount: a.user.walletId },
    headers: b.session.headers,
  });
  assert.equal(patchHijack.status, 400, patchHijack.text);
});
