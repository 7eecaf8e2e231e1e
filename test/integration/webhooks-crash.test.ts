// Crash safety: events are produced while `pasarela start` delivers them, and the server is
// killed with SIGKILL several times and restarted. The receiver must end with every event at
// least once; the duplicates (delivered, but killed before the attempt was recorded) are
// counted and reported. Runs on the configured backend (TEST_DB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { verifySignature } from '../../src/index.ts';
import { appendEvent } from '../../src/modules/events/outbox.ts';
import { createEndpoint } from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { openTestPlatform } from '../helpers.ts';
import { createMerchant, freePort, kill, sleep, startReceiver, startServerProcess } from '../webhook-fixtures.ts';

test('SIGKILL under load loses no event: after restarts every event arrives at least once', { timeout: 300_000 }, async () => {
  const platform = await openTestPlatform();
  const seen = new Map<string, number>();
  let badSignatures = 0;
  let secret = '';
  const receiver = await startReceiver(async (r, res) => {
    if (!verifySignature(r.headers, r.query, secret)) badSignatures++;
    seen.set(r.body.id, (seen.get(r.body.id) ?? 0) + 1);
    await sleep(2 + Math.random() * 10); // work in flight when the server dies
    res.writeHead(200).end('ok');
  });
  let server: ChildProcess | undefined;
  try {
    const merchant = await createMerchant(platform.ctx);
    secret = (await createEndpoint(platform.ctx, merchant.user.id, merchant.app.id, { url: `${receiver.url}/crash` })).secret;
    const env = { ...platform.env, WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_LEASE_MS: '3000', WEBHOOK_POLL_MS: '50', WEBHOOK_CONCURRENCY_PER_ENDPOINT: '4' };
    const port = await freePort();
    const started = Date.now();
    server = await startServerProcess(env, port);

    // Producer: 40 batches of 15 events, each batch one transaction, every 50 ms.
    const produced: string[] = [];
    const producer = (async () => {
      for (let batch = 0; batch < 40; batch++) {
        const now = await platform.ctx.clock.now();
        const ids = await inTransaction(platform.ctx.store, async (tx) => {
          const out: string[] = [];
          for (let i = 0; i < 15; i++) {
            out.push(
              await appendEvent(tx, {
                type: 'payment.created',
                objectId: `${batch}-${i}`,
                ownerUserId: merchant.user.id,
                appId: merchant.app.id,
                payload: { batch, i },
                now,
              }),
            );
          }
          return out;
        });
        produced.push(...ids);
        await sleep(50);
      }
    })();

    // Killer: SIGKILL the server four times while it delivers, restart it each time.
    let kills = 0;
    for (; kills < 4; kills++) {
      await sleep(300 + Math.random() * 500);
      await kill(server, 'SIGKILL');
      await sleep(100);
      server = await startServerProcess(env, port);
    }
    await producer;
    await receiver.waitFor(() => produced.every((id) => seen.has(id)), 60_000);
    const elapsed = Date.now() - started;

    const missing = produced.filter((id) => !seen.has(id));
    const duplicates = [...seen.values()].reduce((sum, n) => sum + (n - 1), 0);
    process.stderr.write(
      `\n[webhooks crash test, ${platform.backend}] ${produced.length} events, ${kills} SIGKILLs, ${receiver.received.length} requests received, ` +
        `${seen.size} distinct, ${duplicates} duplicates, ${missing.length} missing, ${(elapsed / 1000).toFixed(1)} s\n`,
    );
    assert.equal(missing.length, 0);
    assert.equal(badSignatures, 0);
    assert.equal(seen.size, produced.length);

    // And the log agrees: every event fanned out once, every delivery ends succeeded (one
    // whose attempt was cut by a kill is re-sent once its lease expires).
    const unfanned = await platform.ctx.store.db.selectFrom('events').select('id').where('fanned_out', '=', 0).execute();
    assert.equal(unfanned.length, 0);
    const deliveries = await platform.ctx.store.db.selectFrom('webhook_deliveries').select('id').execute();
    assert.equal(deliveries.length, produced.length, 'one delivery per event and endpoint');
    let pending = deliveries.length;
    for (let i = 0; i < 200 && pending > 0; i++) {
      pending = (await platform.ctx.store.db.selectFrom('webhook_deliveries').select('id').where('status', '<>', 'succeeded').execute()).length;
      if (pending) await sleep(100);
    }
    assert.equal(pending, 0, 'every delivery ends succeeded');
  } finally {
    if (server) await kill(server, 'SIGTERM');
    await receiver.close();
    await platform.close();
  }
});
