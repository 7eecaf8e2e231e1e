// Deferred inserts (src/store/deferred-inserts.ts) when the statement that carries them fails
// before it reaches the server (the driver cannot send one of its values): the server's
// transaction is not aborted, so whatever the caller does next, the transaction must not commit
// without the inserts it was told were made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { preparedInsert } from '../../src/store/prepared.ts';
import { newRowId } from '../../src/kernel/ids.ts';
import { availableBackends, openTestPlatform } from '../helpers.ts';

const insertEntry = preparedInsert('journal_entries', { deferrable: true });

for (const backend of await availableBackends()) {
  test(`${backend}: a transaction whose carrying statement failed in the driver does not commit without the held insert`, async () => {
    const platform = await openTestPlatform({ backend });
    const { db } = platform.ctx.store;
    try {
      const id = newRowId();
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      let caught: unknown;
      const outcome = await db
        .transaction()
        .execute(async (tx) => {
          await insertEntry(tx, { id, kind: 'test', description: 'carried', reference_id: null, created_at: 1 });
          // A value neither driver can send: the statement fails in this process.
          await sql`select ${circular} as x`.execute(tx).catch((error: unknown) => (caught = error));
        })
        .then(
          () => 'committed',
          () => 'failed',
        );
      assert.ok(caught instanceof Error, 'the statement failed in the driver');
      const row = await db.selectFrom('journal_entries').select('id').where('id', '=', id).executeTakeFirst();
      if (outcome === 'committed') assert.ok(row, 'the transaction committed, and the insert made in it is not there');
    } finally {
      await platform.close();
    }
  });
}
