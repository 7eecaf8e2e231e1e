// Durability: on SQLite an acknowledged commit is on disk before anybody hears of it (FULL, by
// group commit: the connection runs at `synchronous = NORMAL` and answers wait for a shared
// fsync of the log, see store/group-sync.ts) unless the operator chooses NORMAL; OFF is not
// offered. PostgreSQL keeps its default commit settings (synchronous_commit = on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';
import { http, openTestPlatform, postgresAvailable, startTestServer } from '../helpers.ts';

async function synchronousOf(env: Record<string, string>): Promise<number> {
  const platform = await openTestPlatform({ backend: 'sqlite', env });
  try {
    const row = await sql<{ synchronous: number }>`pragma synchronous`.execute(platform.ctx.store.db);
    return Number(row.rows[0]!.synchronous);
  } finally {
    await platform.close();
  }
}

test('SQLite: the connection itself never syncs in a commit except with EXTRA (3); FULL syncs by group commit', async () => {
  assert.equal(await synchronousOf({}), 1);
  assert.equal(await synchronousOf({ SQLITE_SYNCHRONOUS: 'NORMAL' }), 1);
  assert.equal(await synchronousOf({ SQLITE_SYNCHRONOUS: 'EXTRA' }), 3);
});

/** Replace fs.fsync (which the store calls) by one that waits for `release` and counts calls. */
function gateFsync() {
  const original = fs.fsync;
  let open = false;
  const waiting: (() => void)[] = [];
  const gate = {
    calls: 0,
    release() {
      open = true;
      for (const go of waiting.splice(0)) go();
    },
    restore() {
      fs.fsync = original;
      syncBuiltinESMExports();
    },
  };
  fs.fsync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    gate.calls++;
    const go = () => original(fd, callback);
    if (open) go();
    else waiting.push(go);
  }) as typeof fs.fsync;
  syncBuiltinESMExports();
  return gate;
}

const person = (n: number) => ({
  type: 'person',
  username: `durable${n}`,
  password: 'Secreta.123456',
  email: `durable${n}@example.com`,
  phone: `+58412${String(1000000 + n)}`,
  identification: `V${20000000 + n}`,
  name: 'Persona Durable',
  pin: '2468',
});

test('SQLite FULL: an answer that reports a commit waits for the log to be synced; one sync at a time', async () => {
  const server = await startTestServer({ backend: 'sqlite' });
  const gate = gateFsync();
  try {
    const first = http(server.url, 'POST', '/console/api/register', { json: person(1) });
    let answered = false;
    void first.then(() => (answered = true));
    for (let waited = 0; gate.calls === 0 && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.ok(gate.calls >= 1, 'no sync was started');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(answered, false, 'answered before the log was synced');
    // While that sync is held, more commits come in: they wait too, and no second sync starts
    // while one runs (the next one covers all of them at once).
    let laterAnswered = 0;
    const more = [2, 3, 4, 5].map((n) => http(server.url, 'POST', '/console/api/register', { json: person(n) }).finally(() => laterAnswered++));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(laterAnswered, 0, 'answered before the log was synced');
    assert.equal(gate.calls, 1, 'a second sync started while one was running');
    gate.release();
    const answers = await Promise.all([first, ...more]);
    for (const answer of answers) assert.equal(answer.status, 201, answer.text);
  } finally {
    gate.restore();
    await server.close();
  }
});

test('SQLite FULL: a write that changed nothing is not synced; health answers never wait for a sync', async () => {
  const server = await startTestServer({ backend: 'sqlite' });
  const { store } = server.ctx;
  await store.settle();
  const gate = gateFsync();
  const settledWithin = (ms: number) => Promise.race([store.settle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  try {
    // An update that matches nothing (a worker finding nothing to do): nothing to sync.
    await store.db.updateTable('settings').set({ value: 'x' }).where('key', '=', 'no such setting').execute();
    assert.equal(await settledWithin(1000), true, 'an answer would wait for a sync of nothing');
    assert.equal(gate.calls, 0);
    // A row written: answers wait for its sync — but /healthz and /readyz report nothing stored.
    await store.db.insertInto('settings').values({ key: 'durability-test', value: '1' }).execute();
    assert.equal(await settledWithin(300), false, 'a change was reported before its sync');
    assert.equal(gate.calls, 1);
    for (const path of ['/healthz', '/readyz']) assert.equal((await http(server.url, 'GET', path)).status, 200, path);
    gate.release();
    assert.equal(await settledWithin(10_000), true);
  } finally {
    gate.restore();
    await server.close();
  }
});

test('SQLite NORMAL: nothing is synced per answer', async () => {
  const server = await startTestServer({ backend: 'sqlite', env: { SQLITE_SYNCHRONOUS: 'NORMAL' } });
  const gate = gateFsync();
  try {
    const answer = await http(server.url, 'POST', '/console/api/register', { json: person(9) });
    assert.equal(answer.status, 201, answer.text);
    assert.equal(gate.calls, 0);
  } finally {
    gate.restore();
    await server.close();
  }
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
