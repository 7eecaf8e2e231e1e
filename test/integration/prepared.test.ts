// Prepared statements send the SQL and parameters Kysely itself would, with other values each
// call, on both databases; a value used to shape the statement is caught when it is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { InvariantError } from '../../src/kernel/errors.ts';
import { watchStatements } from '../../src/store/db.ts';
import { prepared, preparedInsert } from '../../src/store/prepared.ts';
import { availableBackends, openTestPlatform } from '../helpers.ts';

const settingByKey = prepared((db, p: { key: string }) => db.selectFrom('settings').select(['key', 'value']).where('key', '=', p.key));
const putSetting = prepared((db, p: { key: string; value: string }) => db.insertInto('settings').values({ key: p.key, value: p.value }));
const renameSetting = prepared((db, p: { key: string; value: string }) =>
  db
    .updateTable('settings')
    .set({ value: sql`${p.value} || '!'` })
    .where('key', '=', p.key)
    .where('value', '<>', 'fixed'),
);

for (const backend of await availableBackends()) {
  test(`${backend}: prepared statements read and write like the builder they come from`, async () => {
    const platform = await openTestPlatform({ backend });
    const { db } = platform.ctx.store;
    try {
      for (const [key, value] of [
        ['a', 'uno'],
        ['b', 'dos'],
      ])
        await putSetting.run(db, { key: `p_${key}`, value });
      assert.deepEqual(await settingByKey.first(db, { key: 'p_b' }), { key: 'p_b', value: 'dos' });
      assert.equal(await settingByKey.first(db, { key: 'p_missing' }), undefined);
      assert.equal(await renameSetting.run(db, { key: 'p_a', value: 'tres' }), 1);
      assert.deepEqual(await settingByKey.all(db, { key: 'p_a' }), [{ key: 'p_a', value: 'tres!' }]);
      // Inside a transaction too, and the statement is the one the builder compiles.
      const built = db.selectFrom('settings').select(['key', 'value']).where('key', '=', 'p_a').compile();
      const { statements } = await watchStatements(platform.ctx.store, () => db.transaction().execute((tx) => settingByKey.first(tx, { key: 'p_a' })));
      assert.ok(statements.includes(built.sql), statements.join('\n'));
    } finally {
      await platform.close();
    }
  });
}

test('postgres: prepared templates go out named, so the server plans each once per connection', async (t) => {
  if (!(await availableBackends()).includes('postgres')) return t.skip('PostgreSQL is not available');
  const platform = await openTestPlatform({ backend: 'postgres' });
  const { db } = platform.ctx.store;
  try {
    const { sql: text } = db.selectFrom('settings').select(['key', 'value']).where('key', '=', 'x').compile();
    const preparedHere = (tx: typeof db) =>
      sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx).then((r) => r.rows.map((row) => row.statement));
    // One connection (a transaction) for the statement and the view of its prepared statements.
    const seen = await db.transaction().execute(async (tx) => {
      await settingByKey.first(tx, { key: 'p_none' });
      await settingByKey.first(tx, { key: 'p_none_2' });
      return preparedHere(tx);
    });
    assert.equal(seen.filter((s) => s === text).length, 1, seen.join('\n'));
    // A query built and run the ordinary way is not kept.
    const ordinary = await db.transaction().execute(async (tx) => {
      await tx.selectFrom('settings').select('value').where('key', '=', 'p_other').execute();
      return preparedHere(tx);
    });
    assert.ok(!ordinary.some((s) => s.includes(`"value" from "settings" where "key" = $1`) && !s.includes('"key", "value"')), ordinary.join('\n'));
  } finally {
    await platform.close();
  }
});

test('a parameter used for the shape of the statement, a missing one, or a `*`, is a broken invariant', async () => {
  const platform = await openTestPlatform({ backend: 'sqlite' });
  const { db } = platform.ctx.store;
  try {
    const shaped = prepared((b, p: { column: string }) =>
      b
        .selectFrom('settings')
        .select(['key'])
        .where('key', '=', 'x')
        .orderBy(p.column === 'key' ? 'key' : 'value'),
    );
    await assert.rejects(shaped.first(db, { column: 'key' }), InvariantError);
    await assert.rejects(settingByKey.first(db, {} as { key: string }), InvariantError);
    // `*` would mean other columns after a newer version's migration: PostgreSQL then refuses
    // the named statement of every process still running the old one.
    const starred = [
      prepared((b, p: { key: string }) => b.selectFrom('settings').selectAll().where('key', '=', p.key)),
      prepared((b, p: { key: string }) => b.selectFrom('settings as s').selectAll('s').where('s.key', '=', p.key)),
      prepared((b, p: { key: string }) => b.deleteFrom('settings').where('key', '=', p.key).returningAll()),
    ];
    for (const statement of starred) await assert.rejects(statement.first(db, { key: 'x' }), InvariantError);
  } finally {
    await platform.close();
  }
});

test('rows inserted together must set the same columns (no silent NULL or dropped value)', async () => {
  const platform = await openTestPlatform({ backend: 'sqlite' });
  const { db } = platform.ctx.store;
  const insertSettings = preparedInsert('settings');
  try {
    await insertSettings(db, [
      { key: 'm_a', value: 'x' },
      { key: 'm_b', value: 'y' },
    ]);
    assert.equal((await settingByKey.first(db, { key: 'm_b' }))?.value, 'y');
    await assert.rejects(insertSettings(db, [{ key: 'm_c', value: 'x' }, { key: 'm_d' } as never]), InvariantError);
    await assert.rejects(insertSettings(db, [{ key: 'm_e' } as never, { key: 'm_f', value: 'z' }]), InvariantError);
    assert.equal(await settingByKey.first(db, { key: 'm_c' }), undefined);
  } finally {
    await platform.close();
  }
});
