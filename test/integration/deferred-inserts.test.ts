// Deferred inserts (src/store/deferred-inserts.ts): on PostgreSQL an insert declared deferrable
// waits inside its transaction and travels with the next statement. What a transaction sees
// and what it leaves must be what it would without the wait: rows read back in the same
// transaction, parent and child rows carried together, nothing left by a rollback or by a
// failing insert, and one round trip fewer per insert carried. On SQLite nothing waits.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { carry } from '../../src/store/deferred-inserts.ts';
import { watchStatements } from '../../src/store/db.ts';
import { prepared, preparedInsert } from '../../src/store/prepared.ts';
import { newRowId } from '../../src/kernel/ids.ts';
import { aSystemAccount, availableBackends, countPgRoundTrips, openTestPlatform, type TestPlatform } from '../helpers.ts';

const insertEntry = preparedInsert('journal_entries', { deferrable: true });
const insertPosting = preparedInsert('postings', { deferrable: true });
type Db = TestPlatform['ctx']['store']['db'];

async function anAccount(db: Db) {
  return { id: await aSystemAccount(db), currency: 'VES' };
}

const settingByKey = prepared((db, p: { key: string }) => db.selectFrom('settings').select(['value']).where('key', '=', p.key));

test('carry: the held inserts come first as CTEs, their placeholders after the statement’s own', () => {
  const held = [
    { sql: 'insert into "a" ("x", "y") values ($1, $2)', parameters: ['x1', 'y1'], table: /a/ },
    { sql: 'insert into "b" ("z") values ($1)', parameters: ['z1'], table: /b/ },
  ];
  const plain = carry(held, { sql: 'update "c" set "v" = $1 where "id" = $2 returning "id"', parameters: [5, 'c1'] });
  assert.equal(
    plain.sql,
    'with pasarela_deferred_1 as (insert into "a" ("x", "y") values ($3, $4)), pasarela_deferred_2 as (insert into "b" ("z") values ($5)) update "c" set "v" = $1 where "id" = $2 returning "id"',
  );
  assert.deepEqual(plain.parameters, [5, 'c1', 'x1', 'y1', 'z1']);
  const own = carry(held.slice(1), { sql: 'with t as (select $1::int as n) select n from t', parameters: [7] });
  assert.equal(own.sql, 'with pasarela_deferred_1 as (insert into "b" ("z") values ($2)), t as (select $1::int as n) select n from t');
});

for (const backend of await availableBackends()) {
  test(`${backend}: deferred inserts read, commit and roll back as if sent at once`, async () => {
    const platform = await openTestPlatform({ backend });
    const { store } = platform.ctx;
    const { db } = store;
    const entry = (id: string) => ({ id, kind: 'test', description: 'deferred', reference_id: null, created_at: 1 });
    const countEntries = async (ids: string[]) =>
      Number(
        (
          await db
            .selectFrom('journal_entries')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('id', 'in', ids)
            .executeTakeFirstOrThrow()
        ).n,
      );
    try {
      // Read back in the same transaction: the held insert goes first.
      const read = newRowId();
      const seen = await db.transaction().execute(async (tx) => {
        await insertEntry(tx, entry(read));
        return tx.selectFrom('journal_entries').select('kind').where('id', '=', read).executeTakeFirst();
      });
      assert.deepEqual(seen, { kind: 'test' });

      // Parent and child carried by an unrelated statement, then committed.
      const parent = newRowId();
      const account = await anAccount(db);
      const { statements } = await watchStatements(store, () =>
        db.transaction().execute(async (tx) => {
          await insertEntry(tx, entry(parent));
          await insertPosting(tx, [
            { entry_id: parent, line: 1, account_id: account.id, currency: account.currency, amount_minor: 5 },
            { entry_id: parent, line: 2, account_id: account.id, currency: account.currency, amount_minor: -5 },
          ]);
          await settingByKey.first(tx, { key: 'nothing' });
        }),
      );
      // What the code sends is watched as before (PostgreSQL: begin, two inserts, a read, commit; SQLite's batch begins and commits unseen).
      assert.equal(statements.length, backend === 'postgres' ? 5 : 3, statements.join('\n'));
      assert.equal(await countEntries([parent]), 1);
      const postings = await db.selectFrom('postings').select(['line', 'amount_minor']).where('entry_id', '=', parent).orderBy('line').execute();
      assert.deepEqual(postings, [
        { line: 1, amount_minor: 5 },
        { line: 2, amount_minor: -5 },
      ]);

      // A recursive query is never carried (its `with` cannot take our CTEs first): what is held goes alone.
      const recursive = newRowId();
      const counted = await db.transaction().execute(async (tx) => {
        await insertEntry(tx, entry(recursive));
        return sql<{ n: number }>`with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select count(*) as n from r`.execute(tx);
      });
      assert.equal(Number(counted.rows[0]!.n), 3);
      assert.equal(await countEntries([recursive]), 1);

      // Held until the commit, then written; dropped by a rollback.
      const atCommit = newRowId();
      await db.transaction().execute((tx) => insertEntry(tx, entry(atCommit)));
      assert.equal(await countEntries([atCommit]), 1);
      const rolledBack = newRowId();
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await insertEntry(tx, entry(rolledBack));
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await countEntries([rolledBack]), 0);

      // A held insert that fails (a posting of no entry) fails its transaction, whichever
      // statement carried it, and leaves nothing of it behind.
      const orphan = newRowId();
      const before = newRowId();
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await insertEntry(tx, entry(before));
          await insertPosting(tx, { entry_id: orphan, line: 1, account_id: account.id, currency: account.currency, amount_minor: 1 });
          await sql`select 1`.execute(tx);
        }),
        /foreign key|FOREIGN KEY/,
      );
      assert.equal(await countEntries([before]), 0);

      // More held values than one statement may bind (PostgreSQL: 65,535): sent in parts.
      const many = Array.from({ length: 14 }, () => Array.from({ length: 1000 }, () => entry(newRowId())));
      await db.transaction().execute(async (tx) => {
        for (const rows of many) await insertEntry(tx, rows);
        await settingByKey.first(tx, { key: 'nothing' });
      });
      const written = await db
        .selectFrom('journal_entries')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('description', '=', 'deferred')
        .where('created_at', '=', 1)
        .executeTakeFirstOrThrow();
      assert.equal(Number(written.n), 14_000 + 4, 'every row of the fourteen inserts (70,000 values), beside the four kept above');
    } finally {
      await platform.close();
    }
  });
}

/** Run `work` on a fresh PostgreSQL platform (skipped when there is none), closed afterwards. */
async function onPostgres(t: TestContext, work: (db: Db) => Promise<void>): Promise<void> {
  if (!(await availableBackends()).includes('postgres')) return t.skip('PostgreSQL is not available');
  const platform = await openTestPlatform({ backend: 'postgres' });
  try {
    await work(platform.ctx.store.db);
  } finally {
    await platform.close();
  }
}

test('postgres: an insert held in a transaction an earlier failure aborted fails at the commit, and nothing is written', (t) =>
  onPostgres(t, async (db) => {
    const late = newRowId();
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await sql`select 1 / 0`.execute(tx).catch(() => {});
        await insertEntry(tx, { id: late, kind: 'test', description: 'late', reference_id: null, created_at: 1 });
      }),
      /aborted/,
    );
    assert.equal(await db.selectFrom('journal_entries').select('id').where('id', '=', late).executeTakeFirst(), undefined);
  }));

test('postgres: a rollback to a savepoint drops the inserts held since, without sending them', (t) =>
  onPostgres(t, async (db) => {
    const account = await anAccount(db);
    const kept = newRowId();
    await db.transaction().execute(async (tx) => {
      await insertEntry(tx, { id: kept, kind: 'test', description: 'kept', reference_id: null, created_at: 1 });
      await sql`savepoint attempt`.execute(tx);
      // Held after the savepoint, and bound to fail (a posting of no entry): undone by the rollback to it.
      await insertPosting(tx, { entry_id: newRowId(), line: 1, account_id: account.id, currency: account.currency, amount_minor: 1 });
      await sql`rollback to savepoint attempt`.execute(tx);
    });
    assert.deepEqual(await db.selectFrom('journal_entries').select('id').where('id', '=', kept).execute(), [{ id: kept }]);
  }));

test('postgres: carried inserts save their round trips', async (t) => {
  // Counted below the named-statement wrapper connections get: so before the platform opens.
  const trips = countPgRoundTrips();
  try {
    await onPostgres(t, async (db) => {
      const account = await anAccount(db);
      const id = newRowId();
      const before = trips.count();
      await db.transaction().execute(async (tx) => {
        await insertEntry(tx, { id, kind: 'test', description: 'trips', reference_id: null, created_at: 1 });
        await insertPosting(tx, { entry_id: id, line: 1, account_id: account.id, currency: account.currency, amount_minor: 0 });
        await settingByKey.first(tx, { key: 'nothing' });
      });
      assert.equal(trips.count() - before, 2, 'begin with the read carrying both inserts (pipelined), then commit');

      // Inserts held until the commit leave with it.
      const last = newRowId();
      const beforeLast = trips.count();
      await db.transaction().execute(async (tx) => {
        await settingByKey.first(tx, { key: 'nothing' });
        await insertEntry(tx, { id: last, kind: 'test', description: 'trips', reference_id: null, created_at: 1 });
      });
      assert.equal(trips.count() - beforeLast, 2, 'begin with the read, then the insert with the commit (pipelined)');
      assert.deepEqual(await db.selectFrom('journal_entries').select('id').where('id', '=', last).execute(), [{ id: last }]);
    });
  } finally {
    trips.stop();
  }
});

test('postgres: a transaction of held inserts only is one statement, atomic, without BEGIN or COMMIT', async (t) => {
  const trips = countPgRoundTrips();
  try {
    await onPostgres(t, async (db) => {
      const account = await anAccount(db);
      const entries = async (id: string) => (await db.selectFrom('journal_entries').select('id').where('id', '=', id).execute()).length;
      const posting = (entryId: string) => ({ entry_id: entryId, line: 1, account_id: account.id, currency: account.currency, amount_minor: 0 });

      let before = trips.count();
      const both = newRowId();
      await db.transaction().execute(async (tx) => {
        await insertEntry(tx, { id: both, kind: 'test', description: 'alone', reference_id: null, created_at: 1 });
        await insertPosting(tx, posting(both));
      });
      assert.equal(trips.count() - before, 1, 'the two inserts as one statement, nothing else');
      assert.equal(await entries(both), 1);
      assert.equal((await db.selectFrom('postings').select('line').where('entry_id', '=', both).execute()).length, 1);

      // The second insert fails (a posting of no entry): the first is not left behind.
      const first = newRowId();
      before = trips.count();
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await insertEntry(tx, { id: first, kind: 'test', description: 'alone', reference_id: null, created_at: 1 });
          await insertPosting(tx, posting(newRowId()));
        }),
        /foreign key/,
      );
      assert.equal(trips.count() - before, 1, 'the failed statement; no rollback is sent for a transaction the server never saw');
      assert.equal(await entries(first), 0);

      // Nothing held, nothing sent; a rollback sends nothing and leaves nothing.
      before = trips.count();
      await db.transaction().execute(async () => {});
      const dropped = newRowId();
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await insertEntry(tx, { id: dropped, kind: 'test', description: 'alone', reference_id: null, created_at: 1 });
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(trips.count() - before, 0);
      assert.equal(await entries(dropped), 0);

      // A statement that is not held opens the transaction first: what follows is still one transaction.
      const later = newRowId();
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await insertEntry(tx, { id: later, kind: 'test', description: 'alone', reference_id: null, created_at: 1 });
          await settingByKey.first(tx, { key: 'nothing' });
          await sql`select 1 / 0`.execute(tx);
        }),
        /division by zero/,
      );
      assert.equal(await entries(later), 0);

      // The connection is left clean for the next transaction (no transaction left open).
      const { rows } = await sql<{ open: boolean }>`select now() <> statement_timestamp() as open`.execute(db);
      assert.equal(rows[0]!.open, false);
    });
  } finally {
    trips.stop();
  }
});
