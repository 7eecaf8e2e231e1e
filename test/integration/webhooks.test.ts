// Events and signed webhooks at the service level, with a real HTTP receiver on loopback: the
// outbox, and delivery (shape, signature, fan-out, retries, timeouts, redirects, fairness).
// Retry schedules are driven by the deployment clock (ctx.clock.advance) and worker.runOnce(),
// never by sleeping. Hostile targets and bad answers: webhooks-faults.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { verifySignature } from '../../src/index.ts';
import { renewCredentials } from '../../src/modules/apps/service.ts';
import { appendEvent } from '../../src/modules/events/outbox.ts';
import {
  checkSignature,
  createEndpoint,
  getDelivery,
  listDeliveries,
  MINUTE_MS,
  replayDelivery,
  rotateNotificationSecret,
  updateEndpoint,
} from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { startWebhookWorker } from '../../src/workers/webhooks.ts';
import type { TestPlatform } from '../helpers.ts';
import { createMerchant, sleep, startReceiver, webhookTestBed, type Receiver } from '../webhook-fixtures.ts';

let platform: TestPlatform, receiver: Receiver;
const { emit, setup, at } = webhookTestBed((opened) => ({ platform, receiver } = opened));

describe('outbox', () => {
  test('an event exists only with its change: a rolled-back transaction leaves none', async () => {
    const merchant = await createMerchant(platform.ctx);
    const before = await platform.ctx.store.db.selectFrom('events').select('id').where('owner_user_id', '=', merchant.user.id).execute();
    await assert.rejects(
      inTransaction(platform.ctx.store, async (tx) => {
        await tx.updateTable('oauth_apps').set({ name: 'changed' }).where('id', '=', merchant.app.id).execute();
        await appendEvent(tx, {
          type: 'application.credentials_renewed',
          objectId: merchant.app.id,
          ownerUserId: merchant.user.id,
          appId: merchant.app.id,
          payload: {},
          now: Date.now(),
        });
        throw new Error('boom');
      }),
      /boom/,
    );
    const rows = await platform.ctx.store.db.selectFrom('events').select('id').where('owner_user_id', '=', merchant.user.id).execute();
    assert.equal(rows.length, before.length);
    const app = await platform.ctx.store.db.selectFrom('oauth_apps').select('name').where('id', '=', merchant.app.id).executeTakeFirstOrThrow();
    assert.notEqual(app.name, 'changed');
  });

  test('renewing credentials appends application.credentials_renewed in the same transaction', async () => {
    const { merchant, dispatcher, secret } = await setup('/renewed', {}, ['application.*']);
    await renewCredentials(platform.ctx, merchant.user.id, merchant.app.id);
    const events = await platform.ctx.store.db.selectFrom('events').selectAll().where('app_id', '=', merchant.app.id).execute();
    assert.deepEqual(
      events.map((e) => e.type),
      ['application.credentials_renewed'],
    );
    assert.doesNotMatch(events[0]!.payload, /secret|access_token/);
    await dispatcher.drain();
    await dispatcher.close();
    const [got] = at('/renewed');
    assert.ok(got);
    assert.equal(got.body.action, 'application.credentials_renewed');
    assert.equal(got.body.type, 'application');
    assert.ok(verifySignature(got.headers, got.query, secret));
  });
});

describe('delivery', () => {
  test('a notification has the contract shape and verifies, with verifySignature and by hand', async () => {
    const { merchant, secret, dispatcher } = await setup('/shape');
    const { id, objectId } = await emit(merchant, 'payment.created');
    await dispatcher.drain();
    await dispatcher.close();
    const got = at('/shape');
    assert.equal(got.length, 1);
    const r = got[0]!;
    assert.equal(r.method, 'POST');
    assert.match(String(r.headers['content-type']), /application\/json/);
    assert.deepEqual(Object.keys(r.body).sort(), ['action', 'api_version', 'data', 'date_created', 'id', 'live_mode', 'type', 'user_id']);
    assert.equal(r.body.id, id);
    assert.equal(r.body.type, 'payment');
    assert.equal(r.body.action, 'payment.created');
    assert.equal(r.body.api_version, 'v1');
    assert.equal(r.body.live_mode, false);
    assert.equal(r.body.user_id, merchant.user.id);
    assert.deepEqual(r.body.data, { id: objectId });
    assert.equal(r.query.get('data.id'), objectId);
    assert.equal(r.query.get('type'), 'payment');

    // The documented recipe: split x-signature, build the manifest, HMAC-SHA256 with the secret.
    const requestId = String(r.headers['x-request-id']);
    const parts = Object.fromEntries(
      String(r.headers['x-signature'])
        .split(',')
        .map((p) => p.split('=') as [string, string]),
    );
    const manifest = `id:${r.query.get('data.id')};request-id:${requestId};ts:${parts.ts};`;
    assert.equal(createHmac('sha256', secret).update(manifest).digest('hex'), parts.v1);
    assert.ok(Math.abs(Number(parts.ts) - Date.now() / 1000) < 60);

    assert.ok(verifySignature(r.headers, r.query, secret));
    assert.ok(verifySignature(r.headers, Object.fromEntries(r.query), secret));
    assert.ok(verifySignature(new Headers(r.headers as Record<string, string>), `/hook?${r.query}`, secret));
    assert.equal(verifySignature(r.headers, r.query, 'whsec_wrong'), false);
    assert.deepEqual(checkSignature(r.headers, new URLSearchParams({ 'data.id': 'other' }), secret), { ok: false, reason: 'signature_mismatch' });
    assert.deepEqual(checkSignature(r.headers, r.query, secret, { nowMs: Date.now() + 3600_000 }), { ok: false, reason: 'timestamp_out_of_tolerance' });

    const [delivery] = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id)).data;
    assert.equal(delivery!.status, 'succeeded');
    const detail = await getDelivery(platform.ctx, merchant.user.id, merchant.app.id, delivery!.id);
    assert.equal(detail.attemptLog.length, 1);
    assert.equal(detail.attemptLog[0]!.statusCode, 200);
    assert.equal(detail.attemptLog[0]!.responseBody, 'ok');
    assert.equal(detail.attemptLog[0]!.requestId, requestId);
    assert.ok(detail.attemptLog[0]!.latencyMs >= 0);
  });

  test('an endpoint receives only the types it subscribed to; fan-out happens once', async () => {
    const { merchant, dispatcher } = await setup('/types', {}, ['payment_intent.*', 'refund.created']);
    await emit(merchant, 'payment.created');
    await emit(merchant, 'payment_intent.executed');
    await emit(merchant, 'refund.created');
    await emit(merchant, 'refund.updated');
    await Promise.all([dispatcher.fanOut(), dispatcher.fanOut(), dispatcher.fanOut()]);
    assert.equal(await dispatcher.fanOut(), 0);
    await dispatcher.drain();
    await dispatcher.close();
    assert.deepEqual(
      at('/types')
        .map((r) => r.body.action)
        .sort(),
      ['payment_intent.executed', 'refund.created'],
    );
  });

  test('retries follow the schedule on the deployment clock, then the delivery fails and the endpoint is flagged', async () => {
    receiver.handle((r, res) => {
      if (r.path === '/retry') res.writeHead(500).end('x'.repeat(5000));
      else res.writeHead(200).end('ok');
    });
    try {
      // Horizon 40 min: attempts at 0, +1, +2, +4, +8, +15 minutes; the next (+15) would pass it.
      const { merchant, dispatcher, endpoint } = await setup('/retry', { horizonMs: 40 * MINUTE_MS });
      const worker = startWebhookWorker(platform.ctx, { settings: { ...dispatcher.settings, pollMs: 3600_000 }, wake: false });
      await dispatcher.close();
      try {
        await emit(merchant, 'payment.updated');
        await worker.runOnce();
        assert.equal(at('/retry').length, 1);
        for (const [i, minutes] of [1, 2, 4, 8, 15].entries()) {
          await platform.ctx.clock.advance(minutes * 60 - 2);
          await worker.runOnce();
          assert.equal(at('/retry').length, i + 1, `not yet due ${minutes} min - 2 s after attempt ${i + 1}`);
          await platform.ctx.clock.advance(2);
          await worker.runOnce();
          assert.equal(at('/retry').length, i + 2, `due ${minutes} min after attempt ${i + 1}`);
        }
        await platform.ctx.clock.advance(24 * 3600);
        await worker.runOnce();
        assert.equal(at('/retry').length, 6, 'no attempt past the horizon');
        const [delivery] = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id, { endpointId: endpoint.id })).data;
        assert.equal(delivery!.status, 'failed');
        assert.equal(delivery!.attempts, 6);
        assert.equal(delivery!.lastStatusCode, 500);
        const detail = await getDelivery(platform.ctx, merchant.user.id, merchant.app.id, delivery!.id);
        assert.deepEqual(
          detail.attemptLog.map((a) => a.number),
          [1, 2, 3, 4, 5, 6],
        );
        assert.ok(detail.attemptLog.every((a) => a.statusCode === 500 && !a.succeeded && a.responseBody!.length === 1024));
        const gaps = detail.attemptLog.slice(1).map((a, i) => (Date.parse(a.at!) - Date.parse(detail.attemptLog[i]!.at!)) / MINUTE_MS);
        assert.deepEqual(gaps.map(Math.round), [1, 2, 4, 8, 15]);
        const flagged = await platform.ctx.store.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpoint.id).executeTakeFirstOrThrow();
        assert.ok(flagged.flagged_at !== null);
        assert.match(flagged.flag_reason!, /500/);

        // Replay after the receiver is fixed: delivered, and a success clears the flag.
        receiver.handle((_r, res) => void res.writeHead(200).end('ok'));
        await replayDelivery(platform.ctx, merchant.user.id, merchant.app.id, delivery!.id);
        await worker.runOnce();
        assert.equal(at('/retry').length, 7);
        const replayed = await getDelivery(platform.ctx, merchant.user.id, merchant.app.id, delivery!.id);
        assert.equal(replayed.status, 'succeeded');
        assert.equal(replayed.attemptLog.length, 7);
        assert.equal(at('/retry')[6]!.body.id, at('/retry')[0]!.body.id, 'a replay carries the same notification id');
        const cleared = await platform.ctx.store.db
          .selectFrom('webhook_endpoints')
          .select('flagged_at')
          .where('id', '=', endpoint.id)
          .executeTakeFirstOrThrow();
        assert.equal(cleared.flagged_at, null);
      } finally {
        await worker.stop();
      }
    } finally {
      receiver.handle((_r, res) => void res.writeHead(200).end('ok'));
    }
  });

  test('a receiver that does not answer in time is a failed attempt (timeout), retried later', async () => {
    receiver.handle(async (r, res) => {
      if (r.path === '/timeout') await sleep(1500);
      if (!res.destroyed) res.writeHead(200).end('late');
    });
    try {
      const { merchant, dispatcher } = await setup('/timeout', { timeoutMs: 300 });
      await emit(merchant);
      const started = Date.now();
      await dispatcher.drain();
      assert.ok(Date.now() - started < 1400, 'the attempt is cut at the timeout');
      await dispatcher.close();
      const [delivery] = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id)).data;
      assert.equal(delivery!.status, 'pending');
      assert.equal(delivery!.lastError, 'timeout');
      const detail = await getDelivery(platform.ctx, merchant.user.id, merchant.app.id, delivery!.id);
      assert.ok(detail.attemptLog[0]!.latencyMs >= 290);
      assert.equal(detail.attemptLog[0]!.statusCode, null);
      const due = Date.parse(delivery!.nextAttemptAt!) - Date.parse(detail.attemptLog[0]!.at!);
      assert.ok(Math.abs(due - MINUTE_MS) < 2000, `next attempt about a minute later (${due} ms)`);
    } finally {
      receiver.handle((_r, res) => void res.writeHead(200).end('ok'));
    }
  });

  test('redirects are not followed: a 3xx is a failed attempt', async () => {
    receiver.handle((r, res) => {
      if (r.path === '/redirect') res.writeHead(307, { location: `${receiver.url}/redirect-target` }).end();
      else res.writeHead(200).end('ok');
    });
    try {
      const { merchant, dispatcher } = await setup('/redirect');
      await emit(merchant);
      await dispatcher.drain();
      await dispatcher.close();
      assert.equal(at('/redirect').length, 1);
      assert.equal(at('/redirect-target').length, 0);
      const [delivery] = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id)).data;
      assert.equal(delivery!.status, 'pending');
      assert.equal(delivery!.lastStatusCode, 307);
    } finally {
      receiver.handle((_r, res) => void res.writeHead(200).end('ok'));
    }
  });

  test('a slow receiver holds neither the other receivers nor more than its share of connections', async () => {
    let slowAnswered = 0;
    const slow = await startReceiver(async (_r, res) => {
      await sleep(2000);
      res.writeHead(200).end('slow');
      slowAnswered++;
    });
    try {
      const merchant = await createMerchant(platform.ctx);
      await createEndpoint(platform.ctx, merchant.user.id, merchant.app.id, { url: `${slow.url}/slow` });
      await createEndpoint(platform.ctx, merchant.user.id, merchant.app.id, { url: `${receiver.url}/fast` });
      const worker = startWebhookWorker(platform.ctx, { settings: { pollMs: 20, perEndpointConcurrency: 2, timeoutMs: 5000 } });
      try {
        for (let i = 0; i < 8; i++) await emit(merchant);
        await receiver.waitFor(() => at('/fast').length === 8, 5000);
        assert.equal(slowAnswered, 0, 'the fast receiver got everything before the slow one answered once');
        assert.ok(slow.received.length <= 2, 'at most two in flight to the slow endpoint at first');
        await slow.waitFor((r) => r.length === 8, 30_000);
        assert.equal(slow.maxInFlight(), 2);
      } finally {
        await worker.stop();
      }
    } finally {
      await slow.close();
    }
  });

  test('a payment’s notification_url receives its events, signed with the app’s notification secret', async () => {
    const { merchant, dispatcher } = await setup('/endpoint-too', {}, ['refund.*']);
    const { secret } = await rotateNotificationSecret(platform.ctx, merchant.user.id, merchant.app.id);
    const { objectId } = await emit(merchant, 'payment.created', { id: 1, notification_url: `${receiver.url}/per-payment?source=mp` });
    await dispatcher.drain();
    await dispatcher.close();
    const [got] = at('/per-payment');
    assert.ok(got);
    assert.equal(got.query.get('source'), 'mp');
    assert.equal(got.query.get('data.id'), objectId);
    assert.ok(verifySignature(got.headers, got.query, secret));
    assert.equal(at('/endpoint-too').length, 0, 'the app endpoint did not subscribe to payments');
  });

  test('a disabled endpoint gets nothing new; enabling it again resumes', async () => {
    const { merchant, dispatcher, endpoint } = await setup('/toggle');
    await updateEndpoint(platform.ctx, merchant.user.id, merchant.app.id, endpoint.id, { enabled: false });
    await emit(merchant);
    await dispatcher.drain();
    assert.equal(at('/toggle').length, 0);
    await updateEndpoint(platform.ctx, merchant.user.id, merchant.app.id, endpoint.id, { enabled: true });
    await emit(merchant);
    await dispatcher.drain();
    await dispatcher.close();
    assert.equal(at('/toggle').length, 1);
  });
});
