// Two `pasarela start` processes on one PostgreSQL database deliver the same outbox: claims
// use FOR UPDATE SKIP LOCKED, so no event is delivered by both. Skipped without PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { appendEvent } from '../../src/modules/events/outbox.ts';
import { createEndpoint } from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { openTestPlatform, postgresAvailable } from '../helpers.ts';
import { createMerchant, freePort, kill, sleep, startReceiver, startServerProcesses } from '../webhook-fixtures.ts';

test(
  'two server processes on PostgreSQL never deliver the same event twice',
  { timeout: 300_000, skip: !(await postgresAvailable()) && 'PostgreSQL is not available' },
  async () => {
    const platform = await openTestPlatform({ backend: 'postgres' });
    const seen = new Map<string, number>();
    const receiver = await startReceiver(async (r, res) => {
      const key = `${r.path} ${r.body.id}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      await sleep(Math.random() * 4);
      res.writeHead(200).end('ok');
    });
    const servers: ChildProcess[] = [];
    try {
      const merchant = await createMerchant(platform.ctx);
      const endpoints = 4;
      for (let e = 0; e < endpoints; e++) await createEndpoint(platform.ctx, merchant.user.id, merchant.app.id, { url: `${receiver.url}/two/${e}` });
      const env = { ...platform.env, WEBHOOK_POLL_MS: '20' };
      servers.push(
        ...(await startServerProcesses([
          { env, port: await freePort() },
          { env, port: await freePort() },
        ])),
      );

      const count = 300;
      for (let batch = 0; batch < count / 30; batch++) {
        const now = await platform.ctx.clock.now();
        await inTransaction(platform.ctx.store, async (tx) => {
          for (let i = 0; i < 30; i++) {
            await appendEvent(tx, {
              type: 'payment.updated',
              objectId: `${batch}-${i}`,
              ownerUserId: merchant.user.id,
              appId: merchant.app.id,
              payload: {},
              now,
            });
          }
        });
        await sleep(20);
      }
      const expected = count * endpoints;
      await receiver.waitFor(() => seen.size === expected, 60_000);
      await sleep(300); // a late second delivery would show up here
      const twice = [...seen.entries()].filter(([, n]) => n > 1);
      const byWorker = await platform.ctx.store.db
        .selectFrom('webhook_attempts')
        .select(['worker_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('worker_id')
        .execute();
      process.stderr.write(
        `\n[webhooks two processes, postgres] ${expected} deliveries, ${receiver.received.length} requests, ${twice.length} delivered twice; attempts per process: ${byWorker.map((w) => `${w.worker_id}=${w.n}`).join(', ')}\n`,
      );
      assert.equal(
        twice.length,
        0,
        `delivered twice: ${twice
          .slice(0, 5)
          .map(([k]) => k)
          .join(', ')}`,
      );
      assert.equal(receiver.received.length, expected);
      assert.equal(byWorker.length, 2, 'both processes delivered');
    } finally {
      await Promise.all(servers.map((s) => kill(s, 'SIGTERM')));
      await receiver.close();
      await platform.close();
    }
  },
);
