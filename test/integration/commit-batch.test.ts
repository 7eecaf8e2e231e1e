// SQLite commit batching (src/store/commit-batch.ts): commands that run while a batch is open
// share one COMMIT, each in its own savepoint. A refused command undoes only itself; nothing
// is visible to another connection (another process) before settle() has committed the batch;
// a batch that cannot commit is final.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { refuse, isRefused } from '../../src/kernel/refusals.ts';
import { runCommand } from '../../src/modules/commands/index.ts';
import { CommitBatch } from '../../src/store/commit-batch.ts';
import { inTransaction } from '../../src/store/db.ts';
import { openTestPlatform } from '../helpers.ts';

test('sqlite: commands in one batch commit together; a refused one undoes only itself; settle() is the commit', async () => {
  const platform = await openTestPlatform({ backend: 'sqlite' });
  const other = new SqliteDatabase(platform.ctx.store.file!, { readonly: true });
  try {
    const { ctx } = platform;
    const write = (key: string) => (scope: { tx: Parameters<Parameters<typeof inTransaction>[1]>[0] }) =>
      scope.tx.insertInto('settings').values({ key, value: 'x' }).execute();
    const seen = (key: string) => other.prepare('select count(*) as n from settings where key = ?').get(key) as { n: number };

    // Started in the same tick: they queue on the one connection and land in one batch.
    const results = await Promise.allSettled([
      runCommand(ctx, undefined, write('batch_a')),
      runCommand(ctx, undefined, async (scope) => {
        await write('batch_refused')(scope);
        refuse({ code: 'batch_empty' });
      }),
      runCommand(ctx, undefined, write('batch_b')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.ok(isRefused((results[1] as PromiseRejectedResult).reason, 'batch_empty'));
    await ctx.store.settle();
    assert.equal(seen('batch_a').n, 1);
    assert.equal(seen('batch_b').n, 1);
    assert.equal(seen('batch_refused').n, 0, 'the refused command left nothing');

    // A command is not visible elsewhere until its batch commits: hold the batch open with a
    // command that waits, and look from the other connection meanwhile.
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const first = runCommand(ctx, undefined, write('batch_c'));
    const held = runCommand(ctx, undefined, async (scope) => {
      await gate;
      await write('batch_d')(scope);
    });
    await first;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(seen('batch_c').n, 0, 'released, but its batch is still open behind a command in progress');
    finish();
    await held;
    await ctx.store.settle();
    assert.equal(seen('batch_c').n, 1);
    assert.equal(seen('batch_d').n, 1);
  } finally {
    other.close();
    await platform.close();
  }
});

test('a batch that cannot commit is final: waiters fail, the store refuses further commands, the owner hears once', async () => {
  const raw = new SqliteDatabase(':memory:');
  raw.exec('create table t (v integer)');
  const failures: Error[] = [];
  const batch = new CommitBatch(
    raw,
    () => {},
    (error) => failures.push(error),
  );
  batch.begin();
  raw.exec('insert into t values (1)');
  batch.release();
  // The COMMIT fails as an I/O error would make it: the transaction is gone underneath.
  raw.exec('rollback');
  await assert.rejects(batch.flushed(), /committing a batch/);
  assert.throws(() => batch.begin(), /committing a batch/);
  await assert.rejects(batch.flushed(), /committing a batch/);
  assert.equal(failures.length, 1);
  raw.close();
});
