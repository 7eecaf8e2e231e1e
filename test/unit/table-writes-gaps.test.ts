// store/table-writes.ts: statements that write a watched table and are not seen as writes, and
// a savepoint rollback taken for the end of the transaction. No code path sends these today
// (every write to the bearer's tables is a plain Kysely insert/update/delete, and no PostgreSQL
// transaction uses a savepoint); each would let the bearer cache keep a revoked token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TableWrites } from '../../src/store/table-writes.ts';

test('latent: a rollback to a savepoint does not end the transaction: its commit still tells the listeners', () => {
  const writes = new TableWrites();
  writes.on(['oauth_tokens'], () => {});
  const statement = writes.connection();
  statement('begin');
  statement('update "oauth_tokens" set "revoked_at" = $1 where "token_hash" = $2');
  statement('savepoint "s"');
  statement('rollback to "s"');
  // A reader on another connection may read (and keep) the old row here: the revocation before
  // the savepoint is not committed yet.
  assert.equal(statement('commit')?.length ?? 0, 1, 'the commit of a transaction that revoked a token tells nobody');
});

test('latent: writes in SQL the pattern does not read', () => {
  const writes = new TableWrites();
  writes.on(['users', 'oauth_tokens'], () => {});
  const missed = [
    'insert or replace into "users" ("id") values (?)',
    'replace into "users" ("id") values (?)',
    'update "public"."users" set "type" = $1',
    'update only "users" set "type" = $1',
    'delete from only "oauth_tokens" where "token_hash" = $1',
    'merge into "users" using (select 1) s on true when matched then update set "type" = $1',
    'truncate "oauth_tokens"',
    'insert /* issued */ into "oauth_tokens" ("token_hash") values ($1)',
  ].filter((sql) => writes.written(sql).length === 0);
  assert.deepEqual(missed, []);
});
