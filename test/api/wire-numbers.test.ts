// Numbers from the wire are finite and within range before any use: Ajv's coercion turns
// "Infinity" and "1e999" into ±Infinity (and then skips minimum/maximum), which once stored a
// non-finite clock offset and broke a sandbox for good. The deployment clock can never hold
// one, and a damaged stored value is read as 0 with a log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock, MAX_OFFSET_MS, parseOffset } from '../../src/platform/clock.ts';
import { readInteger } from '../../src/http/shared/numbers.ts';
import { ValidationError } from '../../src/kernel/errors.ts';
import { putSetting } from '../../src/store/settings.ts';
import { http, type TestServer } from '../helpers.ts';
import { useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';
import { consoleLogin } from './wallet-fixtures.ts';

let server: TestServer;
let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
  server = world.server;
});

const NON_FINITE = ['Infinity', '-Infinity', '+Infinity', '1e999', '-1e999', '1e309', 'NaN'];

async function raw(method: string, path: string, body: string, type: string, token = w.token) {
  const response = await fetch(server.url + path, { method, headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
}

async function tokenWorks() {
  const { clientId, clientSecret } = w.demo.merchant.app;
  const answer = await http(server.url, 'POST', '/oauth/v2/token', {
    form: { grant_type: 'urn:client_apps', client_id: clientId, client_secret: clientSecret },
  });
  assert.equal(answer.status, 200, answer.text);
}

test('the sandbox clock refuses a non-finite advance in every encoding, and keeps working', async () => {
  const before = await http(server.url, 'GET', '/sandbox/clock', { token: w.token });
  assert.equal(before.status, 200, before.text);
  for (const value of NON_FINITE) {
    const form = await raw('POST', '/sandbox/clock', `advanceSeconds=${encodeURIComponent(value)}`, 'application/x-www-form-urlencoded');
    assert.equal(form.status, 400, `form ${value}: ${form.text}`);
    assert.equal(form.body.message, 'Validation Failed');
    assert.ok(form.body.errors.children.advanceSeconds, form.text);
    const json = await raw('POST', '/sandbox/clock', JSON.stringify({ advanceSeconds: value }), 'application/json');
    assert.equal(json.status, 400, `json string ${value}: ${json.text}`);
  }
  // A JSON number too large for a double parses as Infinity before any schema sees it.
  for (const literal of ['1e999', '-1e999']) {
    const json = await raw('POST', '/sandbox/clock', `{"advanceSeconds": ${literal}}`, 'application/json');
    assert.equal(json.status, 400, `json number ${literal}: ${json.text}`);
  }
  const after = await http(server.url, 'GET', '/sandbox/clock', { token: w.token });
  assert.equal(after.status, 200, after.text);
  assert.equal(after.body.offsetSeconds, before.body.offsetSeconds);
  await tokenWorks();
  // A real move still works.
  const moved = await http(server.url, 'POST', '/sandbox/clock', { token: w.token, json: { advanceSeconds: 60 } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.offsetSeconds, before.body.offsetSeconds + 60);
});

test('limits and pages refuse non-finite numbers with a 400 instead of a 500', async () => {
  const buyer = w.demo.buyers[0]!;
  const session = await consoleLogin(server.url, w.demo.merchant.username, w.demo.merchant.password);
  const apps = await http(server.url, 'GET', '/console/api/apps', { headers: { 'x-session-token': session } });
  const appId = apps.body.data[0].id;
  for (const value of NON_FINITE) {
    const v = encodeURIComponent(value);
    const bearer = [
      `/webhooks/events?limit=${v}`,
      `/api/payment-intent/.json?maxPerPage=${v}`,
      `/api/payment-intent/.json?page=${v}`,
      `/api/payment/.json?limit=${v}`,
    ];
    for (const path of bearer) {
      const answer = await http(server.url, 'GET', path, { token: w.token });
      assert.equal(answer.status, 400, `${path}: ${answer.status} ${answer.text}`);
      assert.equal(answer.body.message, 'Validation Failed');
    }
    const consolePaths = [
      `/console/api/movements?limit=${v}`,
      `/console/api/apps/${appId}/events?limit=${v}`,
      `/console/api/apps/${appId}/webhook-deliveries?limit=${v}`,
      `/console/api/payout-batches?limit=${v}`,
    ];
    for (const path of consolePaths) {
      const answer = await http(server.url, 'GET', path, { headers: { 'x-session-token': session } });
      assert.equal(answer.status, 400, `${path}: ${answer.status} ${answer.text}`);
    }
  }
  // In range, or above the page maximum (clamped, as the contract's Paginator does): fine.
  assert.equal((await http(server.url, 'GET', '/webhooks/events?limit=3', { token: w.token })).status, 200);
  const clamped = await http(server.url, 'GET', '/api/payment-intent/.json?maxPerPage=1000', { token: w.token });
  assert.equal(clamped.status, 200, clamped.text);
  assert.equal(clamped.body.meta.maxPerPage, 100);
  assert.ok(buyer);
});

test('readInteger takes only plain decimal digits within the range', () => {
  const range = { min: 1, max: 200 };
  assert.equal(readInteger('17', ['limit'], range), 17);
  assert.equal(readInteger(17, ['limit'], range), 17);
  assert.equal(readInteger(undefined, ['limit'], range, 50), 50);
  assert.equal(readInteger('5000', ['limit'], { ...range, clampToMax: true }), 200);
  for (const bad of [
    'Infinity',
    '-Infinity',
    'NaN',
    '1e3',
    '1e999',
    '0x10',
    '1.5',
    '',
    ' ',
    'abc',
    Infinity,
    NaN,
    1.5,
    2 ** 60,
    '0',
    '201',
    '9999999999999999',
    null,
    {},
    [],
  ]) {
    assert.throws(() => readInteger(bad, ['limit'], range), ValidationError, `accepted ${String(bad)}`);
  }
});

test('the clock never stores a non-finite or out-of-range offset', async () => {
  const clock = new Clock(server.ctx.store, () => {});
  for (const seconds of [Infinity, -Infinity, NaN, -5, 0]) {
    await assert.rejects(clock.advance(seconds), ValidationError, `advance(${seconds})`);
  }
  // Many legal moves cannot add up past the limit either.
  await assert.rejects(
    (async () => {
      for (let i = 0; i < 20; i++) await clock.advance(10 * 365 * 24 * 3600);
    })(),
    ValidationError,
  );
  await clock.load();
  assert.ok(Number.isSafeInteger(clock.offset()) && clock.offset() <= MAX_OFFSET_MS);
  assert.equal(parseOffset('Infinity'), undefined);
  assert.equal(parseOffset('1e3'), undefined);
  assert.equal(parseOffset(String(MAX_OFFSET_MS + 1)), undefined);
  assert.equal(parseOffset('-120000'), -120000);
  // Back to a sane offset for the other tests in this file.
  await putSetting(server.ctx.store.db, 'clock_offset_ms', '0');
  await server.ctx.clock.load();
});

test('a damaged stored offset is read as 0 with one log line, and the API keeps answering', async () => {
  const lines: string[] = [];
  const clock = new Clock(server.ctx.store, (message) => lines.push(message));
  for (const damaged of ['-Infinity', 'NaN', 'garbage', '1e999', '']) {
    await putSetting(server.ctx.store.db, 'clock_offset_ms', damaged);
    await clock.load();
    await clock.load();
    assert.equal(clock.offset(), 0, damaged);
    assert.ok(Number.isFinite(await clock.now()));
  }
  assert.equal(lines.length, 5, lines.join('\n'));

  // The deployment's own clock, through the API: a damaged row does not take the sandbox down.
  await putSetting(server.ctx.store.db, 'clock_offset_ms', '-Infinity');
  await server.ctx.clock.load();
  const shown = await http(server.url, 'GET', '/sandbox/clock', { token: w.token });
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.offsetSeconds, 0);
  await tokenWorks();
  assert.equal(
    (await http(server.url, 'POST', '/console/api/session', { json: { login: w.demo.buyers[0]!.username, password: w.demo.buyers[0]!.password } })).status,
    200,
  );
  // Moving it replaces the damaged value with a valid one.
  const moved = await http(server.url, 'POST', '/sandbox/clock', { token: w.token, json: { advanceSeconds: 30 } });
  assert.equal(moved.status, 200, moved.text);
  const stored = await server.ctx.store.db.selectFrom('settings').select('value').where('key', '=', 'clock_offset_ms').executeTakeFirstOrThrow();
  assert.equal(stored.value, '30000');
});
