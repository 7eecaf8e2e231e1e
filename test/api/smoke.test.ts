import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { http, startTestServer } from '../helpers.ts';

test('demo merchant obtains a token with multipart, refreshes it and reads the profile', async () => {
  const server = await startTestServer();
  try {
    const demo = await ensureDemo(server.ctx);
    const form = new FormData();
    form.set('grant_type', 'urn:client_apps');
    form.set('client_id', demo.merchant.app.clientId);
    form.set('client_secret', demo.merchant.app.clientSecret);
    const token = await http(server.url, 'POST', '/oauth/v2/token', { multipart: form });
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.token_type, 'bearer');
    assert.equal(token.body.expires_in, 3600);
    assert.match(token.body.access_token, /^TEST-/);
    const refreshed = await http(server.url, 'POST', '/oauth/v2/token', {
      form: {
        grant_type: 'refresh_token',
        client_id: demo.merchant.app.clientId,
        client_secret: demo.merchant.app.clientSecret,
        refresh_token: token.body.refresh_token,
      },
    });
    assert.equal(refreshed.status, 200, refreshed.text);
    const profile = await http(server.url, 'GET', '/api/user/profile.json', { token: refreshed.body.access_token });
    assert.equal(profile.status, 200);
    assert.equal(profile.body.username, demo.merchant.username);
    assert.ok(profile.headers.get('x-request-id'));
  } finally {
    await server.close();
  }
});

test('the landing page says which environment this is, in Spanish first', async () => {
  const server = await startTestServer();
  try {
    const es = await http(server.url, 'GET', '/');
    assert.equal(es.status, 200);
    assert.match(es.headers.get('content-type') ?? '', /text\/html/);
    assert.match(es.text, /ambiente <strong>de pruebas \(sandbox\)<\/strong>/);
    assert.match(es.text, /href="\/docs"/);
    const en = await http(server.url, 'GET', '/?lang=en');
    assert.match(en.text, /<strong>sandbox<\/strong> environment/);
  } finally {
    await server.close();
  }
});
