// The process's one event-stream sequencer (it runs while a stream is subscribed, sequences
// new events, and stops after the last stream leaves), and the app's notification secret as
// the dispatcher reads it with its claims (created on first use; a rotation signs the next).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifySignature } from '../../src/index.ts';
import { appendEvent } from '../../src/modules/events/outbox.ts';
import { Dispatcher, notificationSecretStatus, onStreamTick, rotateNotificationSecret, STREAM_POLL_MS } from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
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

async function emit(merchant: Merchant, payload: Record<string, unknown> = {}): Promise<string> {
  const now = await platform.ctx.clock.now();
  return inTransaction(platform.ctx.store, (tx) =>
    appendEvent(tx, {
      type: 'payment.created',
      objectId: String(Math.floor(Math.random() * 1e12)),
      ownerUserId: merchant.user.id,
      appId: merchant.app.id,
      payload,
      now,
    }),
  );
}

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

test('the stream sequencer sequences new events for every subscribed stream and stops when the last one leaves', async () => {
  const { ctx } = platform;
  const merchant = await createMerchant(ctx);
  const a: unknown[] = [];
  const b: unknown[] = [];
  const offA = onStreamTick(ctx, (error) => a.push(error));
  const offB = onStreamTick(ctx, (error) => b.push(error));
  try {
    const id = await emit(merchant);
    const seen = a.length;
    await until(() => a.length > seen + 1 && b.length > seen + 1);
    assert.deepEqual(
      [...a, ...b].filter((e) => e !== undefined),
      [],
      'no round failed',
    );
    const row = await ctx.store.db.selectFrom('events').select('stream_seq').where('id', '=', id).executeTakeFirstOrThrow();
    assert.notEqual(row.stream_seq, null, 'a round sequenced the new event (no dispatcher runs here)');

    offA();
    const aLeft = a.length;
    const bBefore = b.length;
    await sleep(4 * STREAM_POLL_MS);
    assert.equal(a.length, aLeft, 'a stream that left is not called again');
    assert.ok(b.length > bBefore, 'the other stream still is');
  } finally {
    offA();
    offB();
  }
  const bLeft = b.length;
  await sleep(4 * STREAM_POLL_MS);
  assert.equal(b.length, bLeft, 'nobody subscribed: no more rounds');
});

test('leaving and coming back while a round waits for the database never starts a second round loop', async () => {
  const { ctx } = platform;
  await emit(await createMerchant(ctx)); // unsequenced: the next round needs the counter row
  // Hold the counter row (on SQLite: the one connection), so a round waits inside it.
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const blocker = inTransaction(ctx.store, async (tx) => {
    await tx
      .updateTable('event_stream_counter')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 0) }))
      .where('id', '=', 1)
      .execute();
    locked();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await isLocked;
  const ticks: number[] = [];
  const listener = () => void ticks.push(Date.now());
  let off = onStreamTick(ctx, listener);
  try {
    await sleep(2 * STREAM_POLL_MS); // the first round has started and waits
    for (let i = 0; i < 3; i++) {
      off();
      off = onStreamTick(ctx, listener);
    }
    release();
    await blocker;
    await sleep(8 * STREAM_POLL_MS + 100);
  } finally {
    off();
    release?.();
  }
  assert.ok(ticks.length >= 1, 'rounds run');
  assert.ok(ticks.length <= 10, `one loop: at most one round per ${STREAM_POLL_MS} ms (${ticks.length} in ${10 * STREAM_POLL_MS + 100} ms)`);
});

test('a notification_url delivery creates the app’s notification secret on first use and signs with it; after a rotation the new one signs', async () => {
  const { ctx } = platform;
  const merchant = await createMerchant(ctx);
  assert.deepEqual(await notificationSecretStatus(ctx, merchant.user.id, merchant.app.id), { exists: false, createdAt: null });
  const dispatcher = new Dispatcher(ctx, { timeoutMs: 2000 });
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  try {
    await emit(merchant, { notification_url: `${receiver.url}/first-use` });
    await dispatcher.drain();
    const [first] = at('/first-use');
    assert.ok(first, 'delivered');
    assert.equal((await notificationSecretStatus(ctx, merchant.user.id, merchant.app.id)).exists, true);
    const stored = await ctx.store.db.selectFrom('webhook_app_secrets').select('secret_enc').where('app_id', '=', merchant.app.id).executeTakeFirstOrThrow();
    const created = ctx.keys.open(stored.secret_enc);
    assert.ok(verifySignature(first.headers, first.query, created));

    const { secret: rotated } = await rotateNotificationSecret(ctx, merchant.user.id, merchant.app.id);
    await emit(merchant, { notification_url: `${receiver.url}/after-rotation` });
    await dispatcher.drain();
    const [second] = at('/after-rotation');
    assert.ok(second, 'delivered');
    assert.ok(verifySignature(second.headers, second.query, rotated));
    assert.equal(verifySignature(second.headers, second.query, created), false, 'the old secret no longer signs');
  } finally {
    await dispatcher.close();
  }
});
