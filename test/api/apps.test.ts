// OAuth applications: the PNG logo is checked, a sandbox app is ready at once with the payment
// button and billing API on; in production an app waits for the operator, who also decides
// its permissions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { solidPng } from '../../src/modules/apps/png.ts';
import { ValidationError } from '../../src/kernel/errors.ts';
import { createApp as createAppService } from '../../src/modules/apps/service.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { clientToken, createApp, login, logoForm, operatorSession, profile, registerBusiness, registerPerson } from './core-fixtures.ts';

const FIELDS = { name: 'Mi Tienda', description: 'Venta de teléfonos', homepageUrl: 'https://mitienda.example.com' };

describe('sandbox deployment', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  test('a new app is ready at once with the payment button and billing API on', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const answer = await http(server.url, 'POST', '/console/api/apps', { multipart: logoForm(FIELDS), headers: session.headers });
    assert.equal(answer.status, 201, answer.text);
    const { app, credentials } = answer.body;
    assert.equal(app.environment, 'sandbox');
    assert.equal(app.ready, true);
    assert.deepEqual(app.permissions, { paymentButton: true, billingApi: true, distributions: false, payouts: false });
    assert.equal(app.hasLogo, true);
    assert.equal(app.receivingAccountId, business.walletId);
    assert.match(credentials.publicKey, /^TEST-/);
    assert.match(credentials.accessToken, /^TEST-/);
    assert.equal(credentials.clientId, app.clientId);
    assert.ok(!('clientSecret' in app), 'the app view never carries the secret');
    // usable right away
    const token = await clientToken(server, credentials);
    assert.equal(token.status, 200, token.text);
    assert.match(token.body.access_token, /^TEST-/);
    assert.equal((await profile(server, credentials.accessToken)).body.id, business.id);
    // in sandbox the owner may try every capability
    const changed = await http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, {
      json: { distributions: true, billingApi: false },
      headers: session.headers,
    });
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.body.app.permissions, { paymentButton: true, billingApi: false, distributions: true, payouts: false });
  });

  test('the logo must be a real PNG of at most 1 MB', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const real = solidPng(8, 8, [0, 0, 0]);
    const fakes: [string, Buffer][] = [
      ['signature and garbage', Buffer.concat([real.subarray(0, 8), Buffer.from('no soy una imagen, solo texto con cabecera PNG………')])],
      ['text file', Buffer.from('hola, esto es texto plano y no una imagen')],
      ['truncated PNG', real.subarray(0, real.length - 20)],
      ['GIF', Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64, 1)])],
    ];
    for (const [label, data] of fakes) {
      const answer = await http(server.url, 'POST', '/console/api/apps', { multipart: logoForm(FIELDS, data), headers: session.headers });
      assert.equal(answer.status, 400, `${label}: ${answer.text}`);
      assert.deepEqual(answer.body.errors.children.logo.errors, ['El logo debe ser una imagen PNG válida.'], label);
    }
    const noLogo = await http(server.url, 'POST', '/console/api/apps', { multipart: logoForm(FIELDS, null), headers: session.headers });
    assert.equal(noLogo.status, 400);
    assert.match(noLogo.body.errors.children.logo.errors[0], /obligatorio/);

    // larger than 1 MB: refused as a file (multipart) or as a body (JSON base64)
    const big = Buffer.concat([real, Buffer.alloc(1024 * 1024)]);
    const tooBig = await http(server.url, 'POST', '/console/api/apps', { multipart: logoForm(FIELDS, big), headers: session.headers });
    assert.equal(tooBig.status, 413, tooBig.text);
    assert.equal(tooBig.body.code, 413);
    const tooBigJson = await http(server.url, 'POST', '/console/api/apps', {
      json: { ...FIELDS, logoBase64: big.toString('base64') },
      headers: session.headers,
    });
    assert.equal(tooBigJson.status, 413, tooBigJson.text);
    // and the service itself refuses a logo over 1 MB, whatever route it came from
    await assert.rejects(
      createAppService(server.ctx, business.id, { ...FIELDS, logo: Buffer.concat([real, Buffer.alloc(1024 * 1024 - real.length + 1)]) }),
      (e) => e instanceof ValidationError && e.fieldErrors.some((f) => f.path[0] === 'logo' && /1 MB/.test(f.message)),
    );

    // a real PNG as JSON base64 works too
    const json = await http(server.url, 'POST', '/console/api/apps', { json: { ...FIELDS, logoBase64: real.toString('base64') }, headers: session.headers });
    assert.equal(json.status, 201, json.text);
    const list = await http(server.url, 'GET', '/console/api/apps', { headers: session.headers });
    assert.equal(list.body.data.length, 1, 'none of the refused attempts left an app behind');
  });

  test('app fields are validated with Spanish messages; only a business registers apps', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const answer = await http(server.url, 'POST', '/console/api/apps', {
      multipart: logoForm({ name: '', description: 'x', homepageUrl: 'javascript:alert(1)' }),
      headers: session.headers,
    });
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(Object.keys(answer.body.errors.children).sort(), ['homepageUrl', 'name']);
    assert.match(answer.body.errors.children.name.errors[0], /obligatorio/);
    assert.match(answer.body.errors.children.homepageUrl.errors[0], /no es válida/);

    const person = await registerPerson(server);
    const personSession = await login(server, person.username);
    const refused = await http(server.url, 'POST', '/console/api/apps', { multipart: logoForm(FIELDS), headers: personSession.headers });
    assert.equal(refused.status, 403, refused.text);
  });
});

describe('production deployment', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { PASARELA_ENV: 'production' } });
  });
  after(async () => {
    await server.close();
  });

  test('an app waits for the operator’s activation; the operator decides permissions', async () => {
    assert.equal(server.config.environment, 'production');
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const operator = await operatorSession(server);
    const app = await createApp(server, session, FIELDS);
    assert.match(app.publicKey, /^APP_USR-/);
    assert.match(app.accessToken, /^APP_USR-/);
    const view = async () => (await http(server.url, 'GET', `/console/api/apps/${app.id}`, { headers: session.headers })).body.app;
    let current = await view();
    assert.equal(current.ready, false);
    assert.equal(current.activationRequestedAt, null);
    assert.deepEqual(current.permissions, { paymentButton: false, billingApi: false, distributions: false, payouts: false });

    // not ready: no token, and the app's own token is refused
    const early = await clientToken(server, app);
    assert.equal(early.status, 400, early.text);
    assert.equal(early.body.error, 'unauthorized_client');
    assert.equal((await profile(server, app.accessToken)).status, 403);

    // the owner cannot grant itself anything in production
    const selfGrant = await http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json: { billingApi: true }, headers: session.headers });
    assert.equal(selfGrant.status, 403, selfGrant.text);

    const pending = async () =>
      (await http(server.url, 'GET', '/console/api/operator/apps?pending=true', { headers: operator.headers })).body.data.map((a: { id: string }) => a.id);
    assert.ok(!(await pending()).includes(app.id));
    const request = await http(server.url, 'POST', `/console/api/apps/${app.id}/activation-request`, { headers: session.headers });
    assert.equal(request.status, 200, request.text);
    assert.ok(request.body.app.activationRequestedAt);
    assert.ok((await pending()).includes(app.id));

    const activated = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activate`, { headers: operator.headers });
    assert.equal(activated.status, 200, activated.text);
    assert.equal(activated.body.app.ready, true);
    assert.deepEqual(activated.body.app.permissions, { paymentButton: true, billingApi: false, distributions: false, payouts: false });
    assert.ok(!(await pending()).includes(app.id));
    const again = await http(server.url, 'POST', `/console/api/apps/${app.id}/activation-request`, { headers: session.headers });
    assert.equal(again.status, 400, again.text);

    const token = await clientToken(server, app);
    assert.equal(token.status, 200, token.text);
    assert.match(token.body.access_token, /^APP_USR-/);
    assert.equal((await profile(server, token.body.access_token)).body.id, business.id);

    // billing API and distributions on request, by the operator only
    const enabled = await http(server.url, 'PATCH', `/console/api/operator/apps/${app.id}/permissions`, {
      json: { billingApi: true, distributions: true },
      headers: operator.headers,
    });
    assert.equal(enabled.status, 200, enabled.text);
    current = await view();
    assert.deepEqual(current.permissions, { paymentButton: true, billingApi: true, distributions: true, payouts: false });
    const selfRevoke = await http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json: { payouts: true }, headers: session.headers });
    assert.equal(selfRevoke.status, 403);
    assert.equal((await view()).permissions.payouts, false);
  });

  test('sandbox-only things do not exist in production', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const app = await createApp(server, session, FIELDS);
    const operator = await operatorSession(server);
    await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activate`, { headers: operator.headers });
    const token = (await clientToken(server, app)).body.access_token;
    for (const [method, path] of [
      ['GET', '/sandbox/clock'],
      ['POST', '/sandbox/clock'],
      ['POST', '/sandbox/wallets/fund'],
      ['GET', '/bc38875a09308a2/codes.json?access_token=f21d867c420680a2e4b90e761a9e751f'],
    ] as const) {
      const answer = await http(server.url, method, path, { token, json: method === 'POST' ? { advanceSeconds: 10 } : undefined });
      assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
    }
    // a sandbox key is from the other environment
    const wrong = await profile(server, 'TEST-0123456789abcdef-whatever');
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.message, /otro ambiente/);
  });
});
