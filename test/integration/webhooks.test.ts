// Events and signed webhooks at the service level, with a real HTTP receiver on loopback.
// Retry schedules are driven by the deployment clock (ctx.clock.advance) and worker.runOnce(),
// never by sleeping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { verifySignature } from '../../src/index.ts';
import type { EventType } from '../../src/modules/events/index.ts';
import { renewCredentials } from '../../src/modules/apps/service.ts';
import { appendEvent } from '../../src/modules/events/outbox.ts';
import {
  checkSignature,
  createEndpoint,
  Dispatcher,
  getDelivery,
  listDeliveries,
  MINUTE_MS,
  replayDelivery,
  replayFailed,
  rotateNotificationSecret,
  updateEndpoint,
} from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { startWebhookWorker } from '../../src/workers/webhooks.ts';
import { ValidationError } from '../../src/kernel/errors.ts';
import { openTestPlatform, type TestPlatform } from '../helpers.ts';
import { createMerchant, sleep, startReceiver, type Merchant, type Receiver } from '../webhook-fixtures.ts';

let platform: TestPlatform;
let receiver: Receiver;

before(async () => {
  platform = await openTestPlatform();
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await platform.close();
});

async function emit(
  merchant: Merchant,
  type: EventType = 'payment.created',
  payload: Record<string, unknown> = {},
  objectId = String(Math.floor(Math.random() * 1e12)),
) {
  const { ctx } = platform;
  const now = await ctx.clock.now();
  const id = await inTransaction(ctx.store, (tx) => appendEvent(tx, { type, objectId, ownerUserId: merchant.user.id, appId: merchant.app.id, payload, now }));
  return { id, objectId };
}

/** A fresh merchant, endpoint on its own receiver path, and a dispatcher with test settings. */
async function setup(path: string, settings: ConstructorParameters<typeof Dispatcher>[1] = {}, eventTypes: string[] = ['*']) {
  const merchant = await createMerchant(platform.ctx);
  const { endpoint, secret } = await createEndpoint(platform.ctx, merchant.user.id, merchant.app.id, { url: `${receiver.url}${path}`, eventTypes });
  const dispatcher = new Dispatcher(platform.ctx, { timeoutMs: 2000, ...settings });
  return { merchant, endpoint, secret, dispatcher };
}

const at = (path: string) => receiver.received.filter((r) => r.path === path);

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

describe('SSRF in production', () => {
  test('private targets are refused at registration and again at connect time', async () => {
    const production = await openTestPlatform({ env: { PASARELA_ENV: 'production' } });
    try {
      const merchant = await createMerchant(production.ctx);
      for (const url of [
        `${receiver.url}/ssrf`,
        'http://localhost:8080/x',
        'http://10.1.2.3/x',
        'http://[::1]:80/x',
        'http://169.254.169.254/latest/meta-data',
        'ftp://example.com/x',
      ]) {
        await assert.rejects(createEndpoint(production.ctx, merchant.user.id, merchant.app.id, { url }), ValidationError, url);
      }
      // A name that resolved elsewhere at registration but points at loopback now (DNS
      // rebinding): stored directly, refused when connecting.
      const now = await production.ctx.clock.now();
      for (const [id, url] of [
        ['e-name', `http://localhost:${receiver.port}/ssrf-name`],
        ['e-literal', `http://127.0.0.1:${receiver.port}/ssrf-literal`],
      ]) {
        await production.ctx.store.db
          .insertInto('webhook_endpoints')
          .values({
            id: `${id}-${merchant.app.id}`,
            kind: 'app',
            app_id: merchant.app.id,
            owner_user_id: merchant.user.id,
            url: url!,
            description: '',
            event_types: '["*"]',
            secret_enc: production.ctx.keys.seal('whsec_x'),
            enabled: 1,
            verified: 1,
            flagged_at: null,
            flag_reason: null,
            created_at: now,
            updated_at: now,
            deleted_at: null,
          })
          .execute();
      }
      const dispatcher = new Dispatcher(production.ctx, { timeoutMs: 2000 });
      assert.equal(dispatcher.settings.guardPrivateTargets, true);
      await inTransaction(production.ctx.store, (tx) =>
        appendEvent(tx, { type: 'payment.created', objectId: '42', ownerUserId: merchant.user.id, appId: merchant.app.id, payload: {}, now }),
      );
      await dispatcher.drain();
      await dispatcher.close();
      assert.equal(at('/ssrf-name').length + at('/ssrf-literal').length, 0, 'nothing reached the loopback receiver');
      const deliveries = await production.ctx.store.db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', merchant.app.id).execute();
      assert.equal(deliveries.length, 2);
      for (const d of deliveries) {
        assert.equal(d.status, 'pending');
        assert.match(d.last_error ?? '', /^blocked: /);
      }
    } finally {
      await production.close();
    }
  });
});

describe('a bad answer, a changed URL, a shared host, a poison event', () => {
  test('a NUL byte or invalid UTF-8 in the answer is stored as U+FFFD; the attempt is recorded and the delivery settled once', async () => {
    receiver.handle((r, res) => void (r.path === '/nul' ? res.writeHead(200).end(Buffer.from([0x6f, 0x6b, 0x00, 0xff])) : res.writeHead(200).end('ok')));
    try {
      const { merchant, dispatcher } = await setup('/nul', { leaseMs: 300 });
      const errors: unknown[] = [];
      dispatcher.onError = (e) => errors.push(e);
      await emit(merchant);
      await dispatcher.drain();
      await sleep(350); // past the lease: a delivery left in limbo would be sent again
      await dispatcher.drain();
      await dispatcher.close();
      assert.deepEqual(errors, []);
      assert.equal(at('/nul').length, 1);
      const [delivery] = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id)).data;
      assert.equal(delivery!.status, 'succeeded');
      const detail = await getDelivery(platform.ctx, merchant.user.id, merchant.app.id, delivery!.id);
      assert.equal(detail.attemptLog.length, 1);
      assert.equal(detail.attemptLog[0]!.responseBody, 'ok\uFFFD\uFFFD');
    } finally {
      receiver.handle((_r, res) => void res.writeHead(200).end('ok'));
    }
  });

  test('when the attempt cannot be recorded, the delivery is still settled (no lease left to expire and resend)', async () => {
    const { merchant, dispatcher } = await setup('/unrecordable', { leaseMs: 300 });
    const errors: unknown[] = [];
    dispatcher.onError = (e) => errors.push(e);
    (dispatcher as unknown as { record: () => Promise<never> }).record = async () => {
      throw new Error('the database refused the attempt row');
    };
    await emit(merchant);
    await dispatcher.drain();
    await sleep(350);
    await dispatcher.drain();
    await dispatcher.close();
    assert.equal(at('/unrecordable').length, 1, 'sent once, not again after the lease');
    const row = await platform.ctx.store.db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', merchant.app.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'succeeded');
    assert.equal(row.attempts, 1);
    assert.equal(row.claimed_until, null);
    assert.ok(
      errors.some((e) => /refused the attempt row/.test(String((e as Error).message))),
      'the failure is reported',
    );
  });

  test('retries and replays go to the endpoint’s current URL, and the delivery records it', async () => {
    const merchant = await createMerchant(platform.ctx);
    const { endpoint } = await createEndpoint(platform.ctx, merchant.user.id, merchant.app.id, { url: 'http://127.0.0.1:1/typo-hook' });
    const dispatcher = new Dispatcher(platform.ctx, { timeoutMs: 2000 });
    try {
      // A retry: the first attempt fails, the merchant fixes the URL, the retry goes there.
      await emit(merchant);
      await dispatcher.drain();
      let [delivery] = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id)).data;
      assert.equal(delivery!.status, 'pending');
      await updateEndpoint(platform.ctx, merchant.user.id, merchant.app.id, endpoint.id, { url: `${receiver.url}/moved-retry` });
      await platform.ctx.clock.advance(61);
      await dispatcher.drain();
      assert.equal(at('/moved-retry').length, 1);
      [delivery] = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id)).data;
      assert.equal(delivery!.status, 'succeeded');
      assert.equal(delivery!.url, `${receiver.url}/moved-retry`);
      const detail = await getDelivery(platform.ctx, merchant.user.id, merchant.app.id, delivery!.id);
      assert.ok(detail.attemptLog[1]!.url.startsWith(`${receiver.url}/moved-retry?`));

      // A replay of a failed delivery after the URL changed again.
      await updateEndpoint(platform.ctx, merchant.user.id, merchant.app.id, endpoint.id, { url: 'http://127.0.0.1:1/typo-again' });
      const short = new Dispatcher(platform.ctx, { timeoutMs: 2000, horizonMs: 1000 });
      await emit(merchant);
      await short.drain();
      const failed = (await listDeliveries(platform.ctx, merchant.user.id, merchant.app.id, { status: 'failed' })).data[0]!;
      assert.equal(failed.url, 'http://127.0.0.1:1/typo-again');
      await updateEndpoint(platform.ctx, merchant.user.id, merchant.app.id, endpoint.id, { url: `${receiver.url}/moved-replay` });
      assert.deepEqual(await replayFailed(platform.ctx, merchant.user.id, merchant.app.id, endpoint.id), { replayed: 1 });
      await short.drain();
      await short.close();
      assert.equal(at('/moved-replay').length, 1);
      const replayed = await getDelivery(platform.ctx, merchant.user.id, merchant.app.id, failed.id);
      assert.equal(replayed.status, 'succeeded');
      assert.equal(replayed.url, `${receiver.url}/moved-replay`);

      // replayDelivery too.
      await updateEndpoint(platform.ctx, merchant.user.id, merchant.app.id, endpoint.id, { url: `${receiver.url}/moved-one` });
      const view = await replayDelivery(platform.ctx, merchant.user.id, merchant.app.id, failed.id);
      assert.equal(view.url, `${receiver.url}/moved-one`);
      await dispatcher.drain();
      assert.equal(at('/moved-one').length, 1);
    } finally {
      await dispatcher.close();
    }
  });

  test('a slow endpoint does not hold another tenant’s endpoint on the same host', async () => {
    receiver.handle(async (r, res) => {
      if (r.path === '/same-host-slow') await sleep(1500);
      if (!res.destroyed) res.writeHead(200).end('ok');
    });
    try {
      const slow = await setup('/same-host-slow', { timeoutMs: 3000 });
      const fast = await setup('/same-host-fast');
      await slow.dispatcher.close();
      await fast.dispatcher.close();
      const dispatcher = new Dispatcher(platform.ctx, { timeoutMs: 3000 });
      try {
        await emit(slow.merchant);
        await emit(slow.merchant);
        await dispatcher.tick(); // the slow endpoint's two lanes are busy
        await receiver.waitFor(() => at('/same-host-slow').length === 2, 2000);
        const started = Date.now();
        await emit(fast.merchant);
        await dispatcher.tick();
        await receiver.waitFor(() => at('/same-host-fast').length === 1, 3000);
        const waited = Date.now() - started;
        assert.ok(waited < 800, `the other endpoint was reached in ${waited} ms, not after the slow one answered`);
        await dispatcher.idle();
        const [delivery] = (await listDeliveries(platform.ctx, fast.merchant.user.id, fast.merchant.app.id)).data;
        assert.equal(delivery!.status, 'succeeded');
      } finally {
        await dispatcher.close();
      }
    } finally {
      receiver.handle((_r, res) => void res.writeHead(200).end('ok'));
    }
  });

  test('a notification_url is stored normalized: a NUL in it stops neither its event nor anyone else’s', async () => {
    const a = await createMerchant(platform.ctx);
    const b = await setup('/after-nul-url');
    const { id } = await emit(a, 'payment.created', { notification_url: `${receiver.url}/ipn\u0000x` });
    await emit(b.merchant);
    try {
      await b.dispatcher.drain();
      await b.dispatcher.close();
      assert.equal(at('/after-nul-url').length, 1, 'the other merchant’s event is delivered');
      const rows = await platform.ctx.store.db.selectFrom('webhook_deliveries').select(['url', 'status']).where('event_id', '=', id).execute();
      assert.deepEqual(rows, [{ url: `${receiver.url}/ipn%00x`, status: 'succeeded' }]);
      assert.equal(at('/ipn%00x').length, 1);
    } finally {
      await platform.ctx.store.db.updateTable('events').set({ fanned_out: 1 }).where('id', '=', id).execute();
    }
  });

  test('a poison event is fanned out with no deliveries and reported; the others go on; a failed fan-out does not stop the claims', async () => {
    const poisoned = await setup('/poisoned');
    const healthy = await setup('/healthy');
    await poisoned.dispatcher.close();
    // An endpoint row the fan-out cannot read makes every event of its app fail to fan out.
    await platform.ctx.store.db.updateTable('webhook_endpoints').set({ event_types: 'not json' }).where('id', '=', poisoned.endpoint.id).execute();
    const { id: poisonId } = await emit(poisoned.merchant);
    await emit(healthy.merchant);
    const errors: unknown[] = [];
    healthy.dispatcher.onError = (e) => errors.push(e);
    try {
      await healthy.dispatcher.drain();
      assert.equal(at('/healthy').length, 1);
      assert.equal(at('/poisoned').length, 0);
      const event = await platform.ctx.store.db.selectFrom('events').select('fanned_out').where('id', '=', poisonId).executeTakeFirstOrThrow();
      assert.equal(event.fanned_out, 1);
      const deliveries = await platform.ctx.store.db.selectFrom('webhook_deliveries').select('id').where('event_id', '=', poisonId).execute();
      assert.equal(deliveries.length, 0);
      assert.ok(
        errors.some((e) => String((e as Error).message).includes(poisonId)),
        'the poison event is reported by id',
      );

      // A fan-out that fails (database trouble) still lets the due deliveries go out.
      await emit(healthy.merchant);
      await healthy.dispatcher.fanOut();
      healthy.dispatcher.fanOut = async () => {
        throw new Error('fan-out unavailable');
      };
      await healthy.dispatcher.tick();
      await healthy.dispatcher.idle();
      assert.equal(at('/healthy').length, 2);
      assert.ok(errors.some((e) => String((e as Error).message) === 'fan-out unavailable'));
    } finally {
      await healthy.dispatcher.close();
      await platform.ctx.store.db.updateTable('webhook_endpoints').set({ event_types: '["*"]' }).where('id', '=', poisoned.endpoint.id).execute();
      await platform.ctx.store.db.updateTable('events').set({ fanned_out: 1 }).where('id', '=', poisonId).execute();
    }
  });
});
