// A reused refresh token revokes its family even while the legitimate holder is refreshing
// at the same moment: no pair written by the concurrent refresh survives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { http, startTestServer } from '../helpers.ts';

test('reuse racing a legitimate refresh leaves no live token in the family', async () => {
  const server = await startTestServer();
  try {
    const demo = await ensureDemo(server.ctx);
    const client = { client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret };
    const token = (form: Record<string, string>) => http(server.url, 'POST', '/oauth/v2/token', { form: { ...client, ...form } });
    for (let round = 0; round < 40; round++) {
      const first = await token({ grant_type: 'urn:client_apps' });
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      assert.equal(second.status, 200, second.text);
      const [legit, reuse] = await Promise.all([
        token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token }),
        token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }),
      ]);
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error, 'invalid_grant');
      for (const access of [first.body.access_token, second.body.access_token, legit.body?.access_token].filter(Boolean)) {
        const profile = await http(server.url, 'GET', '/api/user/profile.json', { token: access });
        assert.equal(profile.status, 401, `round ${round}: a token of the revoked family still works`);
      }
      if (legit.status === 200) {
        const next = await token({ grant_type: 'refresh_token', refresh_token: legit.body.refresh_token });
        assert.equal(next.status, 400, `round ${round}: the refresh token of the racing pair still works`);
      }
    }
  } finally {
    await server.close();
  }
});

test('the password grant counts failed sign-ins like the console does', async () => {
  const server = await startTestServer();
  try {
    const demo = await ensureDemo(server.ctx);
    const form = {
      grant_type: 'password',
      client_id: demo.merchant.app.clientId,
      client_secret: demo.merchant.app.clientSecret,
      username: demo.merchant.username,
    };
    const answers = await Promise.all(
      Array.from({ length: 14 }, () => http(server.url, 'POST', '/oauth/v2/token', { form: { ...form, password: 'no-es-la-clave' } })),
    );
    assert.equal(answers.filter((a) => a.status === 400).length, 10);
    assert.equal(answers.filter((a) => a.status === 429).length, 4);
    const locked = await http(server.url, 'POST', '/oauth/v2/token', { form: { ...form, password: demo.merchant.password } });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error, 'invalid_grant');
    await server.ctx.clock.advance(15 * 60 + 1);
    const ok = await http(server.url, 'POST', '/oauth/v2/token', { form: { ...form, password: demo.merchant.password } });
    assert.equal(ok.status, 200, ok.text);
  } finally {
    await server.close();
  }
});
