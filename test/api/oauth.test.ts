// OAuth2 on the wallet API: refresh-token rotation and reuse detection, credential renewal,
// and the 401/403 answers for every kind of bad or insufficient token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { clientToken, login, merchant, operatorSession, profile, refresh, registerBusiness } from './core-fixtures.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

function assert401(answer: { status: number; body: any; headers: Headers; text: string }, message?: RegExp) {
  assert.equal(answer.status, 401, answer.text);
  assert.equal(answer.body.code, 401);
  assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
  if (message) assert.match(answer.body.message, message);
}

describe('refresh tokens', () => {
  test('using a refresh token twice revokes the whole family, access tokens included', async () => {
    const { app } = await merchant(server);
    const first = await clientToken(server, app);
    assert.equal(first.status, 200, first.text);
    const other = await clientToken(server, app); // a separate family
    assert.equal(other.status, 200);

    const second = await refresh(server, app, first.body.refresh_token);
    assert.equal(second.status, 200, second.text);
    assert.notEqual(second.body.access_token, first.body.access_token);
    assert.notEqual(second.body.refresh_token, first.body.refresh_token);
    assert.equal((await profile(server, second.body.access_token)).status, 200);

    const reuse = await refresh(server, app, first.body.refresh_token);
    assert.equal(reuse.status, 400, reuse.text);
    assert.equal(reuse.body.error, 'invalid_grant');

    // every token of the family stops working at once…
    assert401(await profile(server, first.body.access_token), /revocado/);
    assert401(await profile(server, second.body.access_token), /revocado/);
    const third = await refresh(server, app, second.body.refresh_token);
    assert.equal(third.status, 400, third.text);
    assert.equal(third.body.error, 'invalid_grant');
    // …and only that family: another login and the app's own token still work
    assert.equal((await profile(server, other.body.access_token)).status, 200);
    assert.equal((await profile(server, app.accessToken)).status, 200);
    assert.equal((await refresh(server, app, other.body.refresh_token)).status, 200);
  });

  test('concurrent use of one refresh token: exactly one success', async () => {
    const { app } = await merchant(server);
    for (let round = 0; round < 3; round++) {
      const start = await clientToken(server, app);
      const answers = await Promise.all(Array.from({ length: 4 }, () => refresh(server, app, start.body.refresh_token)));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 400, 400, 400], answers.map((a) => a.text).join('\n'));
      for (const a of answers.filter((x) => x.status === 400)) assert.equal(a.body.error, 'invalid_grant');
    }
  });

  test('a refresh token only works for the app it was issued to', async () => {
    const a = await merchant(server);
    const b = await merchant(server);
    const token = await clientToken(server, a.app);
    const stolen = await refresh(server, b.app, token.body.refresh_token);
    assert.equal(stolen.status, 400, stolen.text);
    assert.equal(stolen.body.error, 'invalid_grant');
    // a's client id with b's secret is not a client at all
    const mixed = await clientToken(server, { clientId: a.app.clientId, clientSecret: b.app.clientSecret });
    assert.equal(mixed.status, 401, mixed.text);
    assert.equal(mixed.body.error, 'invalid_client');
    // and the untouched token still refreshes for its own app
    assert.equal((await refresh(server, a.app, token.body.refresh_token)).status, 200);
  });

  test('password grant: only the app owner’s own credentials', async () => {
    const a = await merchant(server);
    const b = await merchant(server);
    const own = await http(server.url, 'POST', '/oauth/v2/token', {
      form: { grant_type: 'password', client_id: a.app.clientId, client_secret: a.app.clientSecret, username: a.user.username, password: a.user.password },
    });
    assert.equal(own.status, 200, own.text);
    assert.equal((await profile(server, own.body.access_token)).body.username, a.user.username);
    for (const [username, password] of [
      [b.user.username, b.user.password],
      [a.user.username, 'wrong-password'],
    ] as const) {
      const refused = await http(server.url, 'POST', '/oauth/v2/token', {
        form: { grant_type: 'password', client_id: a.app.clientId, client_secret: a.app.clientSecret, username, password },
      });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.body.error, 'invalid_grant');
    }
  });

  test('token endpoint errors use the OAuth shape', async () => {
    const { app } = await merchant(server);
    const cases: [Record<string, string>, number, string][] = [
      [{}, 400, 'invalid_request'],
      [{ grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret }, 400, 'unsupported_grant_type'],
      [{ grant_type: 'urn:client_apps', client_id: app.clientId }, 401, 'invalid_client'],
      [{ grant_type: 'urn:client_apps', client_id: 'nope', client_secret: 'nope' }, 401, 'invalid_client'],
      [{ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret }, 400, 'invalid_request'],
      [{ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: 'TEST-unknown' }, 400, 'invalid_grant'],
    ];
    for (const [form, status, error] of cases) {
      const answer = await http(server.url, 'POST', '/oauth/v2/token', { form });
      assert.equal(answer.status, status, `${JSON.stringify(form)} → ${answer.text}`);
      assert.equal(answer.body.error, error);
      assert.equal(typeof answer.body.error_description, 'string');
    }
    // HTTP Basic client authentication works as well (RFC 6749 §2.3.1)
    const basic = await http(server.url, 'POST', '/oauth/v2/token', {
      form: { grant_type: 'urn:client_apps' },
      headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
    });
    assert.equal(basic.status, 200, basic.text);
  });
});

describe('credential renewal', () => {
  test('old secret, old app token and tokens issued before stop working at once; new ones work', async () => {
    const { session, app } = await merchant(server);
    const issued = await clientToken(server, app);
    assert.equal(issued.status, 200);
    assert.equal((await profile(server, app.accessToken)).status, 200);

    const renewed = await http(server.url, 'POST', `/console/api/apps/${app.id}/credentials/renew`, { headers: session.headers });
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal(renewed.headers.get('cache-control'), 'no-store');
    const fresh = renewed.body;
    assert.equal(fresh.clientId, app.clientId);
    for (const key of ['clientSecret', 'publicKey', 'accessToken'] as const) assert.notEqual(fresh[key], app[key], key);
    assert.match(fresh.publicKey, /^TEST-/);
    assert.match(fresh.accessToken, /^TEST-/);

    const oldSecret = await clientToken(server, app);
    assert.equal(oldSecret.status, 401, oldSecret.text);
    assert.equal(oldSecret.body.error, 'invalid_client');
    assert401(await profile(server, app.accessToken));
    assert401(await profile(server, issued.body.access_token));
    const oldRefresh = await refresh(server, { clientId: app.clientId, clientSecret: fresh.clientSecret }, issued.body.refresh_token);
    assert.equal(oldRefresh.status, 400, oldRefresh.text);

    const newToken = await clientToken(server, { clientId: app.clientId, clientSecret: fresh.clientSecret });
    assert.equal(newToken.status, 200, newToken.text);
    assert.equal((await profile(server, newToken.body.access_token)).status, 200);
    assert.equal((await profile(server, fresh.accessToken)).status, 200);
    const shown = await http(server.url, 'GET', `/console/api/apps/${app.id}/credentials`, { headers: session.headers });
    assert.deepEqual(shown.body, fresh);
  });
});

describe('credential renewal racing with token requests', () => {
  test('no token obtained with the old secret survives the renewal', async () => {
    let issued = 0;
    for (let round = 0; round < 5; round++) {
      const { session, app } = await merchant(server);
      const start = await clientToken(server, app);
      const requests = [
        ...Array.from({ length: 12 }, () => clientToken(server, app)),
        refresh(server, app, start.body.refresh_token),
        http(server.url, 'POST', '/oauth/v2/token', {
          form: {
            grant_type: 'password',
            client_id: app.clientId,
            client_secret: app.clientSecret,
            username: (await profile(server, app.accessToken)).body.username,
            password: 'clave-de-prueba-1',
          },
        }),
      ];
      const renewal = http(server.url, 'POST', `/console/api/apps/${app.id}/credentials/renew`, { headers: session.headers });
      const answers = await Promise.all(requests);
      assert.equal((await renewal).status, 200);
      for (const answer of answers) {
        if (answer.status !== 200) {
          assert.ok(answer.status === 401 || answer.status === 400, answer.text);
          continue;
        }
        issued++;
        assert401(await profile(server, answer.body.access_token));
        const renewedRefresh = await refresh(
          server,
          {
            clientId: app.clientId,
            clientSecret: (await http(server.url, 'GET', `/console/api/apps/${app.id}/credentials`, { headers: session.headers })).body.clientSecret,
          },
          answer.body.refresh_token,
        );
        assert.equal(renewedRefresh.status, 400, renewedRefresh.text);
      }
    }
    process.stderr.write(`tokens issued while renewing: ${issued}\n`);
  });
});

describe('bearer token failures', () => {
  test('401 for a missing, unknown, wrong-environment or malformed token', async () => {
    assert401(await http(server.url, 'GET', '/api/user/profile.json'), /Se requiere un token/);
    assert401(await profile(server, 'TEST-not-a-real-token'), /no es válido/);
    assert401(await profile(server, 'APP_USR-1234567890abcdef-somethingsomething'), /otro ambiente/);
    assert401(await http(server.url, 'GET', '/api/user/profile.json', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }));
    // a refresh token is not an access token
    const { app } = await merchant(server);
    const token = await clientToken(server, app);
    assert401(await profile(server, token.body.refresh_token));
    // the token also works as ?access_token= (the contract's links carry it so)
    assert.equal((await http(server.url, 'GET', `/api/user/profile.json?access_token=${encodeURIComponent(token.body.access_token)}`)).status, 200);
  });

  test('403 for a valid token whose app the operator switched off or whose permission is off', async () => {
    const { app } = await merchant(server);
    const token = await clientToken(server, app);
    const operator = await operatorSession(server);
    const setPermissions = (body: Record<string, boolean>) =>
      http(server.url, 'PATCH', `/console/api/operator/apps/${app.id}/permissions`, { json: body, headers: operator.headers });

    // the billing API permission off: its endpoint answers 403 before looking at anything else
    assert.equal((await setPermissions({ billingApi: false })).status, 200);
    const noBilling = await http(server.url, 'POST', '/api/payment-intent/execute/request.json?id=00000000-0000-0000-0000-000000000000', {
      token: token.body.access_token,
      form: { 'payment_execution[payToken]': 'x', 'payment_execution[pin]': '1234' },
    });
    assert.equal(noBilling.status, 403, noBilling.text);
    assert.equal(noBilling.body.code, 403);
    assert.match(noBilling.body.message, /API de facturación/);

    // the whole app switched off: every token of it is refused with 403, new ones are not issued
    assert.equal((await setPermissions({ ready: false })).status, 200);
    const off = await profile(server, token.body.access_token);
    assert.equal(off.status, 403, off.text);
    assert.equal(off.body.code, 403);
    assert.equal((await profile(server, app.accessToken)).status, 403);
    const refused = await clientToken(server, app);
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.error, 'unauthorized_client');

    assert.equal((await setPermissions({ ready: true })).status, 200);
    assert.equal((await profile(server, token.body.access_token)).status, 200);
  });

  test('403 on console routes: operator-only routes and cookie sessions without the CSRF token', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const forbidden = await http(server.url, 'GET', '/console/api/operator/apps', { headers: session.headers });
    assert.equal(forbidden.status, 403, forbidden.text);
    const cookie = { cookie: `pasarela_session=${encodeURIComponent(session.token)}` };
    assert.equal((await http(server.url, 'GET', '/console/api/me', { headers: cookie })).status, 200);
    const noCsrf = await http(server.url, 'POST', '/console/api/wallets', { json: { currency: 'USD' }, headers: cookie });
    assert.equal(noCsrf.status, 403, noCsrf.text);
    const withCsrf = await http(server.url, 'POST', '/console/api/wallets', {
      json: { currency: 'USD' },
      headers: { ...cookie, 'x-csrf-token': session.csrf },
    });
    assert.equal(withCsrf.status, 201, withCsrf.text);
    assert.equal((await http(server.url, 'GET', '/console/api/me')).status, 401);
  });

  test('an access token expires after 3600 s on the deployment clock', async () => {
    // its own deployment: moving the clock must not disturb the other tests
    const own = await startTestServer();
    try {
      const { app } = await merchant(own);
      const token = await clientToken(own, app);
      assert.equal(token.body.expires_in, 3600);
      const clock = await http(own.url, 'POST', '/sandbox/clock', { json: { advanceSeconds: 3599 }, token: app.accessToken });
      assert.equal(clock.status, 200, clock.text);
      assert.equal(clock.body.offsetSeconds, 3599);
      assert.equal((await profile(own, token.body.access_token)).status, 200, 'still valid one second before');
      assert.equal((await http(own.url, 'POST', '/sandbox/clock', { json: { advanceSeconds: 2 }, token: app.accessToken })).status, 200);
      assert401(await profile(own, token.body.access_token), /expirado/);
      // the app's own access token does not expire; the refresh token still renews
      assert.equal((await profile(own, app.accessToken)).status, 200);
      const renewed = await refresh(own, app, token.body.refresh_token);
      assert.equal(renewed.status, 200, renewed.text);
      assert.equal((await profile(own, renewed.body.access_token)).status, 200);
      const shown = await http(own.url, 'GET', '/sandbox/clock', { token: app.accessToken });
      assert.equal(shown.body.offsetSeconds, 3601);
    } finally {
      await own.close();
    }
  });
});
