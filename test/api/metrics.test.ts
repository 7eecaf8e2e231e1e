// Metrics: every route measured under its route template (never the raw URL) and status class;
// payments counted (count and amount by currency) once per committed transaction; webhook
// deliveries by outcome; the outbox lag; `/metrics` behind METRICS_TOKEN, absent in
// production without one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendEvent } from '../../src/modules/events/outbox.ts';
import { afterCommit, inTransaction } from '../../src/store/db.ts';
import { startWebhookWorker } from '../../src/workers/webhooks.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { startReceiver, type Receiver } from '../webhook-fixtures.ts';
import { approve, consoleLogin, createSale, executeSale, walletWorld, type WalletWorld } from './wallet-fixtures.ts';

/** `name{labels} value` lines of an exposition, as label-string → value. */
async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const answer = await http(url, 'GET', '/metrics', { headers });
  assert.equal(answer.status, 200, answer.text.slice(0, 200));
  const out = new Map<string, number>();
  for (const line of answer.text.split('\n')) {
    const match = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) out.set(match[1]!, Number(match[2]));
  }
  return out;
}

const value = (metrics: Map<string, number>, key: string) => metrics.get(key) ?? 0;

describe('metrics of a sandbox deployment', () => {
  let server: TestServer;
  let w: WalletWorld;
  let receiver: Receiver;
  before(async () => {
    server = await startTestServer();
    w = await walletWorld(server);
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await server.close();
  });

  test('every route is measured under its template and status class, never its raw URL', async () => {
    const session = await consoleLogin(server.url, w.demo.merchant.username, w.demo.merchant.password);
    const apps = await http(server.url, 'GET', '/console/api/apps', { headers: { 'x-session-token': session } });
    const appId = apps.body.data[0].id as string;
    assert.equal((await http(server.url, 'GET', `/console/api/apps/${appId}`, { headers: { 'x-session-token': session } })).status, 200);
    assert.equal((await http(server.url, 'GET', '/console/api/apps/no-such-app-4711', { headers: { 'x-session-token': session } })).status, 404);
    assert.equal((await http(server.url, 'GET', '/api/payment-intent/show.json?id=zz-secret-id', { token: w.token })).status, 404);
    assert.equal((await http(server.url, 'GET', '/raw/path/never-seen-0815')).status, 404);
    assert.equal((await http(server.url, 'POST', '/oauth/v2/token', { form: { grant_type: 'urn:client_apps' } })).status, 401);

    const text = (await http(server.url, 'GET', '/metrics')).text;
    const metrics = await scrape(server.url);
    const count = (method: string, route: string, statusClass: string) =>
      value(metrics, `pasarela_http_request_duration_seconds_count{method="${method}",route="${route}",status_class="${statusClass}"}`);
    assert.equal(count('GET', '/console/api/apps/:id', '2xx'), 1);
    assert.equal(count('GET', '/console/api/apps/:id', '4xx'), 1);
    assert.equal(count('GET', '/api/payment-intent/show.json', '4xx'), 1);
    assert.equal(count('POST', '/oauth/v2/token', '4xx'), 1);
    assert.ok(count('GET', 'unmatched', '4xx') >= 1);
    assert.ok(count('POST', '/console/api/session', '2xx') >= 1);
    for (const raw of [appId, 'no-such-app-4711', 'zz-secret-id', 'never-seen-0815', w.token]) assert.ok(!text.includes(raw), `${raw} appears in the metrics`);
  });

  test('payments are counted by currency once per committed transaction, refused ones not at all', async () => {
    const before = await scrape(server.url);
    const buyer = w.demo.buyers[0]!;
    const intent = await createSale(w);
    assert.equal((await approve(w, intent.id, buyer.username)).status, 200);
    assert.equal((await executeSale(w, intent.id, buyer.id)).status, 200);
    // The same intent again, and a second sale raced twice: only real executions count.
    assert.equal((await executeSale(w, intent.id, buyer.id)).status, 400);
    const second = await createSale(w);
    await approve(w, second.id, buyer.username);
    const raced = await Promise.all([executeSale(w, second.id, buyer.id), executeSale(w, second.id, buyer.id), executeSale(w, second.id, buyer.id)]);
    assert.equal(raced.filter((a) => a.status === 200).length, 1);
    const after = await scrape(server.url);
    assert.equal(value(after, 'pasarela_payments_total{currency="VES",kind="sale"}') - value(before, 'pasarela_payments_total{currency="VES",kind="sale"}'), 2);
    // 20.00 VES each = 2000 minor units.
    assert.equal(
      value(after, 'pasarela_payments_amount_minor_total{currency="VES"}') - value(before, 'pasarela_payments_amount_minor_total{currency="VES"}'),
      4000,
    );
  });

  test('afterCommit runs once for the committed attempt, never for a rolled-back or retried one', async () => {
    const calls: string[] = [];
    let attempts = 0;
    await inTransaction(server.ctx.store, async (tx) => {
      attempts++;
      afterCommit(tx, () => calls.push(`attempt ${attempts}`));
      if (attempts === 1) throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
    });
    assert.deepEqual(calls, ['attempt 2']);
    await assert.rejects(
      inTransaction(server.ctx.store, async (tx) => {
        afterCommit(tx, () => calls.push('rolled back'));
        throw new Error('refused');
      }),
    );
    assert.deepEqual(calls, ['attempt 2']);
  });

  test('webhook deliveries are counted by outcome, and the outbox lag is visible until fan-out', async () => {
    const session = await consoleLogin(server.url, w.demo.merchant.username, w.demo.merchant.password);
    const headers = { 'x-session-token': session };
    const appId = (await http(server.url, 'GET', '/console/api/apps', { headers })).body.data[0].id as string;
    receiver.handle((r, res) => void res.writeHead(r.path === '/bad' ? 500 : 200).end('x'));
    for (const path of ['/good', '/bad']) {
      const created = await http(server.url, 'POST', `/console/api/apps/${appId}/webhooks`, {
        headers,
        json: { url: `${receiver.url}${path}`, eventTypes: ['application.*'] },
      });
      assert.equal(created.status, 201, created.text);
    }
    // An event that has waited a minute in the outbox.
    const now = await server.ctx.clock.now();
    await inTransaction(server.ctx.store, (tx) =>
      appendEvent(tx, { type: 'application.credentials_renewed', objectId: appId, ownerUserId: null, appId, payload: { id: appId }, now: now - 60_000 }),
    );
    const waiting = await scrape(server.url);
    assert.ok(value(waiting, 'pasarela_outbox_lag_seconds') >= 59, `lag ${value(waiting, 'pasarela_outbox_lag_seconds')}`);
    assert.ok(value(waiting, 'pasarela_outbox_pending_events') >= 1);

    const worker = startWebhookWorker(server.ctx, { settings: { pollMs: 3600_000, timeoutMs: 2000 }, wake: false });
    try {
      for (let i = 0; i < 5; i++) await worker.runOnce();
    } finally {
      await worker.stop();
    }
    const delivered = await scrape(server.url);
    assert.equal(value(delivered, 'pasarela_outbox_lag_seconds'), 0);
    assert.equal(value(delivered, 'pasarela_outbox_pending_events'), 0);
    const delta = (outcome: string) =>
      value(delivered, `pasarela_webhook_deliveries_total{outcome="${outcome}"}`) - value(waiting, `pasarela_webhook_deliveries_total{outcome="${outcome}"}`);
    assert.ok(delta('succeeded') >= 1, `succeeded +${delta('succeeded')}`);
    assert.ok(delta('retrying') >= 1, `retrying +${delta('retrying')}`);
    assert.equal(delta('failed'), 0);
  });
});

describe('who may read /metrics', () => {
  const cases: { name: string; env: Record<string, string>; anonymous: number; wrong: number; right: number }[] = [
    { name: 'production with METRICS_TOKEN', env: { PASARELA_ENV: 'production', METRICS_TOKEN: 'tok-metrics-1' }, anonymous: 401, wrong: 401, right: 200 },
    { name: 'production without a token', env: { PASARELA_ENV: 'production' }, anonymous: 404, wrong: 404, right: 404 },
    { name: 'sandbox with METRICS_TOKEN', env: { METRICS_TOKEN: 'tok-metrics-1' }, anonymous: 401, wrong: 401, right: 200 },
    { name: 'sandbox without a token', env: {}, anonymous: 200, wrong: 200, right: 200 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const server = await startTestServer({ env: c.env });
      try {
        const get = (authorization?: string) => http(server.url, 'GET', '/metrics', { headers: authorization ? { authorization } : {} });
        const anonymous = await get();
        assert.equal(anonymous.status, c.anonymous, anonymous.text.slice(0, 200));
        assert.equal((await get('Bearer tok-metrics-2')).status, c.wrong);
        assert.equal((await get('Bearer tok-metrics-1x')).status, c.wrong);
        const right = await get('Bearer tok-metrics-1');
        assert.equal(right.status, c.right);
        if (c.right === 200) assert.match(right.text, /pasarela_http_request_duration_seconds/);
        if (anonymous.status !== 200) assert.doesNotMatch(anonymous.text, /pasarela_/);
      } finally {
        await server.close();
      }
    });
  }
});
