// `pasarela start` as a real process on a port of our choosing: health, readiness, metrics and
// docs answer; and with request logging on, no secret ever reaches the log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CODES_PATH, CODES_TOKEN } from '../../src/http/sandbox/routes.ts';
import { freePort, runCli, spawnCli, untilReady, type RunningCli } from '../cli.ts';
import { http, openTestPlatform, type TestPlatform } from '../helpers.ts';

let platform: TestPlatform;
let child: RunningCli;
let url: string;
let env: Record<string, string>;

before(async () => {
  // an empty deployment (migrated, no users): `start` creates the demo data itself
  platform = await openTestPlatform();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = { ...platform.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'info' };
  child = spawnCli(['start'], env);
  await untilReady(child, url);
});

after(async () => {
  if (child) await child.stop();
  await platform?.close();
});

test('health, readiness, metrics and API docs', async () => {
  const health = await http(url, 'GET', '/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, { status: 'ok' });
  const ready = await http(url, 'GET', '/readyz');
  assert.deepEqual(ready.body, { status: 'ok', database: platform.backend });
  const metrics = await http(url, 'GET', '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(metrics.text, /^# HELP pasarela_http_request_duration_seconds/m);
  assert.match(metrics.text, /pasarela_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*\} \d+/);
  assert.match(metrics.text, /process_cpu_user_seconds_total/);
  const docs = await http(url, 'GET', '/docs/');
  assert.equal(docs.status, 200);
  assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
  const openapi = await http(url, 'GET', '/openapi.json');
  assert.equal(openapi.status, 200);
  assert.match(openapi.body.openapi, /^3\./);
  for (const path of ['/oauth/v2/token', '/api/user/profile.json', '/console/api/register']) assert.ok(path in openapi.body.paths, path);
  assert.ok('/healthz' in openapi.body.paths, 'the operations probes are documented');
  assert.equal(openapi.body.servers[0].url, url);
});

test('demo beside the running server prints its URL, not the default localhost:3000', async () => {
  // the operator's other terminal: the same database, none of the server's PORT / PUBLIC_URL
  const { PORT: _port, PUBLIC_URL: _url, HOST: _host, ...beside } = env;
  const [json, text] = await Promise.all([runCli(['demo', '--json'], beside), runCli(['demo'], { ...beside, LANG: 'en_US.UTF-8' })]);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).baseUrl, url);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^Environment: sandbox   URL: ${url}$`, 'm'));
  assert.ok(text.stdout.includes(`${url}/oauth/v2/token`));
  assert.ok(!text.stdout.includes('localhost:3000'));
});

test('no secret reaches the log', async () => {
  // the demo credentials, printed by `demo --json` beside the running server
  const demoRun = await runCli(['demo', '--json'], env);
  assert.equal(demoRun.code, 0, demoRun.stderr);
  const demo = JSON.parse(demoRun.stdout);
  const { app } = demo.merchant;
  const secrets: Record<string, string> = {
    clientSecret: app.clientSecret,
    appAccessToken: app.accessToken,
    merchantPassword: demo.merchant.password,
    operatorPassword: demo.operator.password,
    buyerPassword: demo.buyers[0].password,
    codesToken: CODES_TOKEN,
    masterKey: env.PASARELA_MASTER_KEY!,
  };

  // requests that carry secrets everywhere a client might put them
  const form = new FormData();
  form.set('grant_type', 'urn:client_apps');
  form.set('client_id', app.clientId);
  form.set('client_secret', app.clientSecret);
  const token = await http(url, 'POST', '/oauth/v2/token', { multipart: form });
  assert.equal(token.status, 200, token.text);
  secrets.accessToken = token.body.access_token;
  secrets.refreshToken = token.body.refresh_token;
  const refreshed = await http(url, 'POST', '/oauth/v2/token', {
    form: { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: token.body.refresh_token },
  });
  assert.equal(refreshed.status, 200, refreshed.text);
  secrets.refreshedAccessToken = refreshed.body.access_token;
  secrets.refreshedRefreshToken = refreshed.body.refresh_token;
  const password = await http(url, 'POST', '/oauth/v2/token', {
    json: {
      grant_type: 'password',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      username: demo.merchant.username,
      password: demo.merchant.password,
    },
  });
  assert.equal(password.status, 200, password.text);
  secrets.passwordGrantToken = password.body.access_token;
  // secrets in the query string, on a good route, an unknown route and a wrong method
  const query = `access_token=${encodeURIComponent(secrets.accessToken)}&client_secret=${encodeURIComponent(app.clientSecret)}&password=${encodeURIComponent(demo.merchant.password)}`;
  assert.equal((await http(url, 'GET', `/api/user/profile.json?access_token=${encodeURIComponent(secrets.accessToken)}`)).status, 200);
  assert.equal((await http(url, 'GET', `/api/user/profile.json`, { token: secrets.refreshedAccessToken })).status, 200);
  // the same parameter with its name percent-encoded is the same parameter (and is accepted)
  assert.equal((await http(url, 'GET', `/api/user/profile.json?access%5Ftoken=${encodeURIComponent(secrets.passwordGrantToken)}`)).status, 200);
  assert.equal((await http(url, 'GET', `/api/user/profile.json?x=1&%61ccess_token=${encodeURIComponent(secrets.passwordGrantToken)}`)).status, 200);
  // a bracketed form name in the query (payment_execution[pin]) is masked as well
  assert.ok(
    (await http(url, 'GET', `/no-such-route?payment_execution%5Bpin%5D=8642&login[password]=${encodeURIComponent(demo.buyers[0].password)}`)).status < 500,
  );
  assert.equal((await http(url, 'GET', `/no-such-route?${query}`)).status, 404);
  assert.equal((await http(url, 'GET', `/oauth/v2/token?${query}`)).status, 405);
  assert.equal((await http(url, 'POST', `/oauth/v2/token?${query}`, { form: { grant_type: 'urn:client_apps' } })).status, 401);
  assert.equal((await http(url, 'GET', `${CODES_PATH}?access_token=${CODES_TOKEN}`)).status, 200);
  assert.equal((await http(url, 'GET', `${CODES_PATH}?ACCESS_TOKEN=${CODES_TOKEN}&access_token=${CODES_TOKEN}`)).status, 200);
  // failures that carry secrets: a wrong secret, a broken JSON body with a password in it
  assert.equal(
    (await http(url, 'POST', '/oauth/v2/token', { form: { grant_type: 'urn:client_apps', client_id: app.clientId, client_secret: `${app.clientSecret}x` } }))
      .status,
    401,
  );
  const broken = await fetch(`${url}/console/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"login": "operador", "password": "${demo.operator.password}"`,
  });
  assert.equal(broken.status, 400);
  // console sign-ins and the keys page
  const operator = await http(url, 'POST', '/console/api/session', { json: { login: demo.operator.username, password: demo.operator.password } });
  assert.equal(operator.status, 200);
  secrets.operatorSession = operator.body.sessionToken;
  const merchant = await http(url, 'POST', '/console/api/session', { form: { login: demo.merchant.username, password: demo.merchant.password } });
  assert.equal(merchant.status, 200);
  secrets.merchantSession = merchant.body.sessionToken;
  assert.equal((await http(url, 'POST', '/console/api/session', { json: { login: demo.buyers[0].phone, password: demo.buyers[0].password } })).status, 200);
  const apps = await http(url, 'GET', '/console/api/apps', { headers: { 'x-session-token': merchant.body.sessionToken } });
  const keys = await http(url, 'GET', `/console/api/apps/${apps.body.data[0].id}/credentials`, {
    headers: { cookie: `pasarela_session=${merchant.body.sessionToken}` },
  });
  assert.equal(keys.status, 200);
  // a registration and a PIN reset carry a password and a PIN
  const newPassword = 'nueva-clave-secreta-987';
  const registered = await http(url, 'POST', '/console/api/register', {
    json: {
      type: 'person',
      username: 'logtest',
      password: newPassword,
      email: 'l@example.com',
      phone: '584269990001',
      identification: 'V29990001',
      name: 'L',
      pin: '8642',
    },
  });
  assert.equal(registered.status, 201, registered.text);
  secrets.newPassword = newPassword;
  secrets.pinQueryPair = 'payment_execution%5Bpin%5D=8642';

  const { code } = await child.stop();
  assert.equal(code, 0, 'a clean shutdown on SIGTERM');
  const log = child.output();
  if (process.env.SHOWLOG) process.stderr.write(log);
  // the log was captured and has the requests in it (so the absence below means something)
  assert.match(log, /"url":"\/oauth\/v2\/token/);
  assert.match(log, /"url":"\/api\/user\/profile.json\?access_token=\[oculto\]"/);
  assert.match(log, new RegExp(`"url":"${CODES_PATH.replace(/\./g, '\\.')}\\?access_token=\\[oculto\\]"`));
  for (const [name, value] of Object.entries(secrets)) {
    assert.ok(value && value.length >= 8, `${name} is a real secret`);
    assert.ok(!log.includes(value), `${name} appears in the log`);
    assert.ok(!log.includes(encodeURIComponent(value)), `${name} (url-encoded) appears in the log`);
  }
});
