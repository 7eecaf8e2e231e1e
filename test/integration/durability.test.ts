// Durability: on SQLite an acknowledged commit is synced to disk (synchronous = FULL) unless
// the operator chooses NORMAL (SQLITE_SYNCHRONOUS); OFF is not offered. PostgreSQL keeps its
// default commit settings (synchronous_commit = on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';
import { openTestPlatform, postgresAvailable } from '../helpers.ts';

async function synchronousOf(env: Record<string, string>): Promise<number> {
  const platform = await openTestPlatform({ backend: 'sqlite', env });
  try {
    const row = await sql<{ synchronous: number }>`pragma synchronous`.execute(platform.ctx.store.db);
    return Number(row.rows[0]!.synchronous);
  } finally {
    await platform.close();
  }
}

test('SQLite syncs every commit by default (FULL = 2); NORMAL (1) only when asked', async () => {
  assert.equal(await synchronousOf({}), 2);
  assert.equal(await synchronousOf({ SQLITE_SYNCHRONOUS: 'NORMAL' }), 1);
  assert.equal(await synchronousOf({ SQLITE_SYNCHRONOUS: 'full' }), 2);
});

test('SQLITE_SYNCHRONOUS refuses anything but FULL, NORMAL or EXTRA', () => {
  for (const bad of ['OFF', '0', 'fast', 'FULL; drop table users']) {
    assert.throws(() => loadConfig({ DATA_DIR: '/tmp/x', SQLITE_SYNCHRONOUS: bad }), ConfigError, bad);
  }
  assert.equal(loadConfig({ DATA_DIR: '/tmp/x' }).sqliteSynchronous, 'FULL');
});

test('PostgreSQL keeps synchronous_commit on', async (t) => {
  if (!(await postgresAvailable())) return t.skip('no PostgreSQL server');
  const platform = await openTestPlatform({ backend: 'postgres' });
  try {
    const row = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(platform.ctx.store.db);
    assert.equal(row.rows[0]!.synchronous_commit, 'on');
  } finally {
    await platform.close();
  }
});
