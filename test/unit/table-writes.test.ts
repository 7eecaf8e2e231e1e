// store/table-writes.ts: which statements count as writes to a table, and when a connection
// tells the listeners (before and after a write, and again when its transaction ends).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TableWrites } from '../../src/store/table-writes.ts';

function counting(tables: string[]) {
  const writes = new TableWrites();
  const heard = { count: 0 };
  writes.on(tables, () => heard.count++);
  return { writes, heard };
}

test('writes are found in inserts, updates, deletes and CTEs; reads and other tables are not', () => {
  const { writes } = counting(['oauth_tokens', 'user_locks']);
  const hits = [
    'insert into "oauth_tokens" ("token_hash") values (?)',
    'update "oauth_tokens" set "revoked_at" = ? where "family_id" = ?',
    'delete from oauth_tokens where expires_at < ?',
    'DELETE FROM "user_locks" WHERE "user_id" = $1',
    'with gone as (update "oauth_tokens" set revoked_at = $1 returning token_hash) select count(*) from gone',
  ];
  for (const sql of hits) assert.equal(writes.written(sql).length, 1, sql);
  const misses = [
    'select "t"."kind" from "oauth_tokens" as "t" left join "user_locks" on 1 = 1',
    'update "oauth_apps" set "name" = ?',
    'insert into "sequences" ("name", "value") values (?, ?) on conflict ("name") do update set "value" = sequences.value + 1',
    'update "oauth_tokens_archive" set x = 1',
  ];
  for (const sql of misses) assert.equal(writes.written(sql).length, 0, sql);
});

test('a connection tells the listeners before and after a write, and again when its transaction ends', () => {
  const { writes, heard } = counting(['users']);
  const statement = writes.connection();
  assert.equal(statement('begin'), undefined);
  const after = statement('update "users" set "pin_failed_attempts" = ? where "id" = ?');
  assert.equal(heard.count, 1, 'before the write');
  assert.equal(after?.length, 1, 'and once it ran');
  assert.equal(statement('select 1'), undefined);
  const atCommit = statement('commit');
  assert.equal(atCommit?.length, 1, 'after the commit');
  assert.equal(statement('begin'), undefined);
  assert.equal(statement('commit'), undefined, 'a transaction that wrote nothing tells nobody');
  assert.equal(statement('ROLLBACK')?.length ?? 0, 0);
});

test('a listener registered later is heard for statements already seen', () => {
  const writes = new TableWrites();
  const sql = 'update "oauth_apps" set "ready" = 1';
  assert.equal(writes.written(sql).length, 0);
  let heard = 0;
  writes.on(['oauth_apps'], () => heard++);
  assert.equal(writes.written(sql).length, 1);
  writes.connection()(sql);
  assert.equal(heard, 1);
});
