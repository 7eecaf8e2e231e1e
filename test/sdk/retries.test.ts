// Retries through a proxy that fails on purpose, in front of the real server: after a network
// error, a lost answer, a timeout or a 5xx the SDK sends the same request again with the same
// idempotency key, so the server acts once and the retry gets its stored answer; retries are
// bounded and spaced by a growing backoff; 4xx answers and the sandbox helpers (no keys there)
// are never retried.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PasarelaApiError, PasarelaConnectionError, PasarelaValidationError, type Pasarela } from '../../packages/sdk/src/index.ts';
import { backoffMs } from '../../packages/sdk/src/transport.ts';
import { freePort } from '../cli.ts';
import { saleParams, useSdkWorld, type SdkWorld } from './fixtures.ts';
import { startFaultyProxy, type Fault, type FaultyProxy } from './proxy.ts';

let world: SdkWorld;
let direct: Pasarela;
let proxy: FaultyProxy;
let viaProxy: Pasarela;
useSdkWorld(async (w) => {
  world = w;
  direct = w.client();
  proxy = await startFaultyProxy(world.server.url);
  viaProxy = world.client({ baseUrl: proxy.url, timeoutMs: 2000 });
  await viaProxy.profile.retrieve(); // the token, obtained before any fault is planned
});
after(() => proxy?.close());

const CREATE = '/api/payment-intent/.json';
const intentCount = async () => (await direct.paymentIntents.list()).meta.totalResults;

/** `fault` for the first `times` requests to `path` (by method), then forward. */
function failFirst(method: string, path: string, fault: Fault, times = 1) {
  proxy.requests.length = 0;
  proxy.plan((m, p, seenBefore) => (m === method && p.split('?')[0] === path && seenBefore < times ? fault : 'forward'));
}

const attemptsAt = (path: string) => proxy.requests.filter((r) => r.path.split('?')[0] === path);

for (const fault of ['502-after', 'drop-after', 'hang-after'] as const) {
  test(`${fault}: the server created the intent, the answer was lost; the retry with the same key gets it, and the intent exists once`, async () => {
    const before = await intentCount();
    failFirst('POST', CREATE, fault);
    const intent = await viaProxy.paymentIntents.create(saleParams(`Reintento ${fault}`));
    const attempts = attemptsAt(CREATE);
    assert.equal(attempts.length, 2);
    assert.ok(attempts[0]!.idempotencyKey, 'the first attempt carries a key');
    assert.equal(attempts[1]!.idempotencyKey, attempts[0]!.idempotencyKey, 'the retry carries the same key');
    assert.equal(intent.lastResponse.attempts, 2);
    assert.equal(intent.lastResponse.idempotentReplayed, true, 'the server replayed the stored answer');
    assert.equal(await intentCount(), before + 1, 'created once');
    assert.equal((await direct.paymentIntents.list()).data[0]!.id, intent.id);
  });
}

test('drop-before: the request never reached the server; the retry creates it, once', async () => {
  const before = await intentCount();
  failFirst('POST', CREATE, 'drop-before');
  const intent = await viaProxy.paymentIntents.create(saleParams('Reintento antes'));
  assert.equal(intent.lastResponse.attempts, 2);
  assert.equal(intent.lastResponse.idempotentReplayed, false, 'the second attempt was the first the server saw');
  assert.equal(await intentCount(), before + 1);
});

test('an execution whose answer was lost is not run twice: the buyer pays once', async () => {
  const buyer = world.demo.buyers[0]!;
  const intent = await direct.paymentIntents.create(saleParams('Ejecución reintentada'));
  const { payerId } = await direct.sandbox.approve(intent.id, { payer: buyer.username });
  const payments = (await direct.payments.list()).meta.totalResults;
  failFirst('POST', '/api/payment-intent/execute/sale.json', 'drop-after');
  const executed = await viaProxy.paymentIntents.executeSale(intent.id, { payer: payerId });
  assert.equal(executed.state, 'executed');
  assert.equal(executed.lastResponse.idempotentReplayed, true);
  assert.equal((await direct.payments.list()).meta.totalResults, payments + 1, 'one payment');
});

test('5xx every time: 1 + maxNetworkRetries attempts, the same key, then PasarelaApiError', async () => {
  failFirst('POST', CREATE, { status: 503 }, 100);
  const error = await viaProxy.paymentIntents.create(saleParams()).catch((e: unknown) => e);
  assert.ok(error instanceof PasarelaApiError, String(error));
  assert.equal(error.statusCode, 503);
  const attempts = attemptsAt(CREATE);
  assert.equal(attempts.length, 3, 'the default: 2 retries');
  assert.equal(new Set(attempts.map((a) => a.idempotencyKey)).size, 1);

  const none = world.client({ baseUrl: proxy.url, maxNetworkRetries: 0 });
  failFirst('GET', '/api/user/profile.json', { status: 500 }, 100);
  await assert.rejects(none.profile.retrieve(), PasarelaApiError);
  assert.equal(attemptsAt('/api/user/profile.json').length, 1, 'maxNetworkRetries: 0 turns retries off');
});

test('retries wait longer each time (exponential backoff with jitter)', async () => {
  const patient = world.client({ baseUrl: proxy.url, maxNetworkRetries: 3 });
  failFirst('GET', '/api/user/profile.json', '502-after', 3);
  const profile = await patient.profile.retrieve();
  assert.equal(profile.lastResponse.attempts, 4);
  const at = attemptsAt('/api/user/profile.json').map((r) => r.at);
  const gaps = at.slice(1).map((t, i) => t - at[i]!);
  // Each wait is at least half its ceiling: 250, 500, 1000 ms.
  gaps.forEach((gap, i) => assert.ok(gap >= 250 * 2 ** i - 20, `wait ${i + 1} was ${gap} ms`));

  for (let retry = 0; retry < 12; retry++) {
    const ceiling = Math.min(5000, 500 * 2 ** retry);
    for (let n = 0; n < 20; n++) {
      const delay = backoffMs(retry);
      assert.ok(delay >= ceiling / 2 && delay <= ceiling, `retry ${retry}: ${delay}`);
    }
  }
  assert.equal(backoffMs(0, '2'), 2000, 'Retry-After is honoured…');
  assert.equal(backoffMs(0, '3600'), 5000, '…within the bound');
});

test('no server at all: bounded attempts, then PasarelaConnectionError', async () => {
  const port = await freePort();
  const nowhere = world.client({ baseUrl: `http://127.0.0.1:${port}`, maxNetworkRetries: 1 });
  const error = await nowhere.profile.retrieve().catch((e: unknown) => e);
  assert.ok(error instanceof PasarelaConnectionError, String(error));
  assert.match(error.message, /ECONNREFUSED; 2 attempt\(s\)/);
});

test('4xx answers are not retried', async () => {
  failFirst('POST', CREATE, 'forward');
  const params = saleParams();
  await assert.rejects(viaProxy.paymentIntents.create({ ...params, transactions: [] }), PasarelaValidationError);
  assert.equal(attemptsAt(CREATE).length, 1);
});

test('the sandbox helpers keep no keys, so a lost answer is not sent again', async () => {
  const intent = await direct.paymentIntents.create(saleParams());
  const path = `/sandbox/payment-intents/${intent.id}/approve`;
  failFirst('POST', path, '502-after');
  await assert.rejects(viaProxy.sandbox.approve(intent.id, { payer: world.demo.buyers[0]!.username }), PasarelaApiError);
  assert.equal(attemptsAt(path).length, 1);
  assert.equal(attemptsAt(path)[0]!.idempotencyKey, undefined);
});

test('each call has its own key', async () => {
  failFirst('POST', CREATE, 'forward');
  await viaProxy.paymentIntents.create(saleParams());
  await viaProxy.paymentIntents.create(saleParams());
  const keys = attemptsAt(CREATE).map((r) => r.idempotencyKey);
  assert.equal(new Set(keys).size, 2);
});
