// SQLite checkpoints run in a worker thread, not inside a request's commit: the log written by
// the main connection is copied back into the database file without it asking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { CHECKPOINT_INTERVAL_MS } from '../../src/store/checkpointer.ts';
import { openStore } from '../../src/store/db.ts';

test('the worker checkpoints the log the main connection writes, and stops with the store', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pasarela-ckpt-'));
  try {
    const store = await openStore({ dataDir });
    await sql`create table filler (id integer primary key, body text not null)`.execute(store.db);
    // Past the 1000 pages SQLite would checkpoint at by itself, well below the fallback mark.
    for (let i = 0; i < 40; i++) {
      await store.db.transaction().execute(async (tx) => {
        for (let j = 0; j < 25; j++) await sql`insert into filler (body) values (${'x'.repeat(4000)})`.execute(tx);
      });
    }
    // Nothing but the worker copies the log into the database file here (the main connection's
    // mark is far off; a look from outside with a checkpoint would do it itself).
    const copied = () => statSync(store.file!).size > 40 * 25 * 4000;
    for (let waited = 0; !copied() && waited < 10_000; waited += CHECKPOINT_INTERVAL_MS) await new Promise((r) => setTimeout(r, CHECKPOINT_INTERVAL_MS));
    assert.ok(copied(), 'the rows reached the database file');
    await store.close();
    const reopened = new SqliteDatabase(join(dataDir, 'pasarela.sqlite'), { readonly: true });
    assert.equal((reopened.prepare('select count(*) as n from filler').get() as { n: number }).n, 1000);
    reopened.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
