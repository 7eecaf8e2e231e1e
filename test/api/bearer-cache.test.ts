// The bearer cache (modules/apps/bearer.ts). A change written through this process is seen
// by the very next request, whatever AUTH_CACHE_MS says; one written by another process is
// seen within AUTH_CACHE_MS; on PostgreSQL, a lookup that ran between another connection's
// write and its commit is not served once that commit is done.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';
import { sha256Hex } from '../../src/platform/secrets.ts';
import { PG_URL, startTestServer, type TestServer } from '../helpers.ts';
import { clientToken, merchant, profile } from './core-fixtures.ts';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function serverWith(authCacheMs: string) {
  const server = await startTestServer({ env: { AUTH_CACHE_MS: authCacheMs } });
  servers.push(server);
  const { app } = await merchant(server);
  const issued = await clientToken(server, app);
  assert.equal(issued.status, 200, issued.text);
  const token: string = issued.body.access_token;
  assert.equal((await profile(server, token)).status, 200);
  return { server, token };
}

/** Revoke the token as another process would: on a connection of its own, past this store. */
async function revokeElsewhere(server: TestServer, token: string): Promise<void> {
  await server.ctx.store.settle();
  const now = Date.now();
  if (server.backend === 'postgres') {
    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${server.env.DATABASE_SCHEMA}` });
    await client.connect();
    try {
      const result = await client.query('update oauth_tokens set revoked_at = $1 where token_hash = $2', [now, sha256Hex(token)]);
      assert.equal(result.rowCount, 1);
    } finally {
      await client.end();
    }
  } else {
    const db = new SqliteDatabase(join(server.env.DATA_DIR!, 'pasarela.sqlite'), { timeout: 5000 });
    try {
      assert.equal(db.prepare('update oauth_tokens set revoked_at = ? where token_hash = ?').run(now, sha256Hex(token)).changes, 1);
    } finally {
      db.close();
    }
  }
}

test('a token revoked by another process works here until AUTH_CACHE_MS has passed, and not after', async () => {
  const long = await serverWith('60000');
  await revokeElsewhere(long.server, long.token);
  assert.equal((await profile(long.server, long.token)).status, 200, 'answered from memory within the minute');

  const short = await serverWith('300');
  await revokeElsewhere(short.server, short.token);
  await sleep(350);
  const late = await profile(short.server, short.token);
  assert.equal(late.status, 401, late.text);
});

test('AUTH_CACHE_MS=0 reads the token on every request', async () => {
  const { server, token } = await serverWith('0');
  await revokeElsewhere(server, token);
  assert.equal((await profile(server, token)).status, 401);
});

test('a change written through this process is seen by the next request', async () => {
  const { server, token } = await serverWith('60000');
  await server.ctx.store.db.updateTable('oauth_tokens').set({ revoked_at: Date.now() }).where('token_hash', '=', sha256Hex(token)).execute();
  assert.equal((await profile(server, token)).status, 401);
});

test('PostgreSQL: a lookup between another connection’s revocation and its commit is forgotten at the commit', async (t) => {
  const { server, token } = await serverWith('60000');
  if (server.backend !== 'postgres') return t.skip('SQLite reads and writes on one connection: no such window');
  await server.ctx.store.db.transaction().execute(async (tx) => {
    await tx.updateTable('oauth_tokens').set({ revoked_at: Date.now() }).where('token_hash', '=', sha256Hex(token)).execute();
    const during = await profile(server, token);
    assert.equal(during.status, 200, 'the revocation is not committed yet');
  });
  const afterCommit = await profile(server, token);
  assert.equal(afterCommit.status, 401, afterCommit.text);
});

test('AUTH_CACHE_MS: 0 to 60000, 1000 when unset; anything else stops the start with a clear message', () => {
  const ms = (value?: string) => loadConfig({ DATA_DIR: '/tmp/unused', ...(value === undefined ? {} : { AUTH_CACHE_MS: value }) }).authCacheMs;
  assert.equal(ms(), 1000);
  assert.equal(ms('0'), 0);
  assert.equal(ms('60000'), 60_000);
  for (const bad of ['-1', '60001', '1.5', 'uno', '1e3'])
    assert.throws(
      () => ms(bad),
      (e: unknown) => e instanceof ConfigError && /AUTH_CACHE_MS .*0 to 60000/.test(e.message),
      bad,
    );
});

test('the unused events_object index is gone, the events’ other indexes stay', async () => {
  const server = servers[0] ?? (await serverWith('1000')).server;
  const names =
    server.backend === 'postgres'
      ? (
          await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'events' and schemaname = current_schema()`.execute(
            server.ctx.store.db,
          )
        ).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'events'`.execute(server.ctx.store.db)).rows;
  const indexes = names.map((r) => r.name);
  assert.ok(!indexes.includes('events_object'), indexes.join(', '));
  for (const kept of ['events_owner_created', 'events_pending_fanout', 'events_stream_seq', 'events_owner_stream', 'events_unsequenced'])
    assert.ok(indexes.includes(kept), `${kept} in ${indexes.join(', ')}`);
});
