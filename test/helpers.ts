// Shared test fixtures: a fresh platform on its own database (a temp SQLite file, or a
// fresh PostgreSQL schema), a real HTTP server on a loopback port, and small API clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import pg from 'pg';
import { loadConfig, type Config } from '../src/platform/config.ts';
import { openPlatform } from '../src/platform/open.ts';
import { buildServer } from '../src/http/server.ts';
import type { Ctx } from '../src/platform/context.ts';
import { newRowId } from '../src/kernel/ids.ts';
import type { Db } from '../src/store/db.ts';
import { checkAnswersAgainstDocument } from './answer-conformance.ts';

export type Backend = 'sqlite' | 'postgres';

export const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function configuredBackend(): Backend {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

let pgReachable: Promise<boolean> | undefined;
/** Is a PostgreSQL server there (DATABASE_URL, or the local one)? */
export function postgresAvailable(): Promise<boolean> {
  pgReachable ??= (async () => {
    if (process.env.TEST_DB === 'postgres') return true;
    const url = new URL(PG_URL);
    const open = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.setTimeout(500);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.once('timeout', () => (s.destroy(), resolve(false)));
      s.connect(Number(url.port || 5432), url.hostname);
    });
    if (!open) return false;
    const client = new pg.Client({ connectionString: PG_URL });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgReachable;
}

/** Backends a test that compares databases should run on: SQLite always, PostgreSQL if there. */
export async function availableBackends(): Promise<Backend[]> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestPlatform {
  ctx: Ctx;
  config: Config;
  backend: Backend;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A fresh deployment on its own database. `env` can be passed to child processes. */
export async function openTestPlatform(options: { backend?: Backend; env?: Record<string, string> } = {}): Promise<TestPlatform> {
  const backend = options.backend ?? configuredBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'pasarela-test-'));
  const schema = backend === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : '';
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PASARELA_MASTER_KEY: randomBytes(32).toString('base64'),
    ...(backend === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema } : { DATABASE_URL: '' }),
    ...options.env,
  };
  const config = loadConfig({ ...env });
  const ctx = await openPlatform(config);
  return {
    ctx,
    config,
    backend,
    env,
    async close() {
      await ctx.store.close();
      if (schema) {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestServer extends TestPlatform {
  url: string;
}

/** A platform plus its HTTP server on a loopback port (real HTTP). */
export async function startTestServer(options: { backend?: Backend; env?: Record<string, string> } = {}): Promise<TestServer> {
  const platform = await openTestPlatform(options);
  const app = await buildServer(platform.ctx, { logger: false });
  const assertDocumentedAnswers = checkAnswersAgainstDocument(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  // Links the server writes (PUBLIC_URL) must point at this server.
  platform.ctx.config.publicUrl = url;
  return {
    ...platform,
    url,
    async close() {
      await app.close();
      await platform.close();
      assertDocumentedAnswers();
    },
  };
}

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch with JSON in and out; `form` sends urlencoded, `multipart` a FormData. */
export async function http<T = any>(
  base: string,
  method: string,
  path: string,
  options: { json?: unknown; form?: Record<string, string>; multipart?: FormData; token?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | FormData | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.multipart) {
    body = options.multipart;
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(base + path, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/**
 * Count the round trips the pg driver makes from now on: a query written while none of its
 * connection's is awaiting an answer starts one; one written at once behind an unanswered one
 * (pg's pipeline) rides along. One that pg keeps queued until the answer before it (no
 * pipeline) is a round trip of its own: so a query counts as riding along only if pg wrote it
 * (Query.submit) during the call that made it. Counted below the named-statement wrapper
 * connections get (so open the platform after this). `stop()` undoes it.
 */
export function countPgRoundTrips(): { count(): number; stop(): void } {
  let sent = 0;
  let written = false;
  const awaiting = new WeakMap<pg.Client, number>();
  const query = pg.Client.prototype.query;
  const submit = pg.Query.prototype.submit;
  pg.Query.prototype.submit = function (this: pg.Query, ...args: unknown[]) {
    written = true;
    return (submit as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof submit;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const waiting = awaiting.get(this) ?? 0;
    awaiting.set(this, waiting + 1);
    const answered = () => void awaiting.set(this, (awaiting.get(this) ?? 1) - 1);
    written = false;
    const result = (query as (...a: unknown[]) => unknown).apply(this, args);
    if (waiting === 0 || !written) sent++;
    if (result instanceof Promise) result.then(answered, answered);
    else answered();
    return result;
  } as typeof query;
  return {
    count: () => sent,
    stop: () => {
      pg.Client.prototype.query = query;
      pg.Query.prototype.submit = submit;
    },
  };
}

/** A system account with no money, for tests of the store and the ledger below any command; its id. */
export async function aSystemAccount(db: Db, currency = 'VES'): Promise<string> {
  const id = newRowId();
  await db
    .insertInto('accounts')
    .values({
      id,
      key: `system:test:${id}`,
      kind: 'system',
      owner_user_id: null,
      system_code: 'test',
      currency,
      balance_minor: 0,
      held_minor: 0,
      created_at: 1,
    })
    .execute();
  return id;
}
