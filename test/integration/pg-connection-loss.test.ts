// A bad day on PostgreSQL: the server restarts, fails over, or an administrator (or
// idle_in_transaction_session_timeout) ends a backend while a transaction holds its connection.
// That transaction fails; the process must not. pg reports the lost connection as an 'error'
// event on the checked-out client, which nobody listened to: the whole process died of an
// unhandled 'error' event, taking every other request in flight with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { openTestPlatform, PG_URL, postgresAvailable } from '../helpers.ts';

const reason = 'needs PostgreSQL (DATABASE_URL or the local server)';

test('a backend ended while its transaction waits fails that transaction, not the process', async (t) => {
  if (!(await postgresAvailable())) return t.skip(reason);
  const platform = await openTestPlatform({ backend: 'postgres' });
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash);
  try {
    let backendPid: number | undefined;
    let terminated!: () => void;
    const afterTermination = new Promise<void>((resolve) => (terminated = resolve));
    const work = platform.ctx.store.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      backendPid = rows[0]!.pid;
      // Idle in the transaction (a slow hash, an outbound call) while the backend goes away.
      await afterTermination;
      await sql`select 1`.execute(tx);
    });
    while (backendPid === undefined) await new Promise((r) => setTimeout(r, 10));
    await admin.query('select pg_terminate_backend($1)', [backendPid]);
    // Let the FATAL message reach the idle client.
    await new Promise((r) => setTimeout(r, 300));
    terminated();
    await assert.rejects(work, 'the transaction on the ended backend fails');
    assert.deepEqual(crashes, [], 'no uncaught error event');
    // The pool hands out a fresh connection afterwards.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(platform.ctx.store.db);
    assert.equal(rows[0]!.one, 1);
  } finally {
    process.off('uncaughtException', onCrash);
    await admin.end();
    await platform.close();
  }
});
