// Webhook delivery when something is wrong, at the service level with a real HTTP receiver on
// loopback: private targets in production (SSRF), a bad answer, a changed URL, a slow tenant on a
// shared host, a poison event. The ordinary path: webhooks.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendEvent } from '../../src/modules/events/outbox.ts';
import { createEndpoint, Dispatcher, getDelivery, listDeliveries, replayDelivery, replayFailed, updateEndpoint } from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { ValidationError } from '../../src/kernel/errors.ts';
import { openTestPlatform, type TestPlatform } from '../helpers.ts';
import { createMerchant, sleep, webhookTestBed, type Receiver } from '../webhook-fixtures.ts';

let platform: TestPlatform, receiver: Receiver;
const { emit, setup, at } = webhookTestBed((opened) => ({ platform, receiver } = opened));

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
