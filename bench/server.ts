// Process helpers for the benchmarks: start Pasarela (`node bin/pasarela.js start`, the compiled
// dist/ that `npm run bench` builds first) or the bare-Fastify ceiling as child processes on
// random free loopback ports, wait until they answer, and make sure every child is killed when
// the bench ends — normally, on an error or on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_PG_APP } from './cpu.ts';
import type { DemoDocument } from '../src/modules/sandbox/demo.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PASARELA_BIN = join(ROOT, 'bin', 'pasarela.js');
const CEILING_SERVER = join(ROOT, 'bench', 'ceiling-server.js');

export type BenchDb = 'sqlite' | 'postgres';
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The JSON document `pasarela demo --json` prints. */
export type { DemoDocument };

export interface PasarelaServer {
  url: string;
  /** The environment the server runs with (reuse it for `pasarela <command>` beside it). */
  env: NodeJS.ProcessEnv;
  demo: DemoDocument;
  db: BenchDb;
  pid: number;
  /** Last lines the server wrote to stderr (for diagnostics). */
  logTail(): string;
  stop(): Promise<void>;
}

export interface CeilingServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

// ---- child bookkeeping: every child we start is killed before we exit ---------------------

const children = new Set<ChildProcess>();
const cleanups = new Set<() => Promise<void>>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // Last resort: a synchronous SIGKILL to each child still alive (by its own pid only).
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping bench servers…\n`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Stop every server still running (each stop is idempotent). */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...cleanups].map((c) => c()));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function track(child: ChildProcess): void {
  installExitHooks();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

async function terminate(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last `max` characters a stream wrote (and drains it so the child never blocks). */
function tail(stream: NodeJS.ReadableStream | null, max = 16_000): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-max);
  });
  return () => text;
}

// ---- ports and readiness -------------------------------------------------------------------

/** A free loopback port (the OS picks it; we close the probe right away). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolvePort(port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log().slice(-3000)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready at ${url} after ${timeoutMs} ms:\n${log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Run `node bin/pasarela.js <args>` with `env` and return its stdout (bounded in time). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolveOut, reject) => {
    const child = spawn(process.execPath, [PASARELA_BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (out += c));
    const err = tail(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveOut(out);
      else reject(new Error(`pasarela ${args.join(' ')} failed (${code ?? signal}):\n${err().slice(-3000)}`));
    });
  });
}

// ---- Pasarela --------------------------------------------------------------------------------

export function benchDb(): BenchDb {
  const value = (process.env.BENCH_DB ?? 'sqlite').toLowerCase();
  if (value !== 'sqlite' && value !== 'postgres') throw new Error(`BENCH_DB must be sqlite or postgres, got ${value}`);
  return value;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Start a fresh sandbox Pasarela (`node bin/pasarela.js start`) in its own process: a new
 * temp DATA_DIR, and on PostgreSQL (BENCH_DB=postgres) a new schema that is dropped again on
 * stop. The first start of an empty sandbox creates the demo data; its credentials are read
 * with `pasarela demo --json` under the same environment. `env` adds or overrides variables.
 */
export async function startPasarela(env: NodeJS.ProcessEnv = {}): Promise<PasarelaServer> {
  const db = benchDb();
  const dataDir = mkdtempSync(join(tmpdir(), 'pasarela-bench-'));
  const pgUrl = process.env.DATABASE_URL || DEFAULT_PG_URL;
  const schema = db === 'postgres' ? `bench_${process.pid}_${randomBytes(4).toString('hex')}` : undefined;

  return onFreePort(async (port) => {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PASARELA_ENV: 'sandbox',
      ...(db === 'postgres' ? { DATABASE_URL: pgUrl, DATABASE_SCHEMA: schema, PGAPPNAME: BENCH_PG_APP } : { DATABASE_URL: '', DATABASE_SCHEMA: '' }),
      ...env,
    };
    const url = `http://127.0.0.1:${port}`;
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const { child, log, stop } = spawnTracked([...nodeArgs, PASARELA_BIN, 'start'], childEnv, async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(pgUrl, schema).catch((e) => process.stderr.write(`could not drop schema ${schema}: ${e}\n`));
    });
    try {
      await waitReady(`${url}/readyz`, child, log);
      const demo = JSON.parse(await runCli(['demo', '--json'], childEnv)) as DemoDocument;
      return { url, env: childEnv, demo, db, pid: child.pid!, logTail: log, stop };
    } catch (error) {
      await stop();
      throw error;
    }
  });
}

/** A child process that is tracked (killed at exit) and stopped once, then `cleanup` runs. */
function spawnTracked(args: string[], env: NodeJS.ProcessEnv, cleanup: () => Promise<void> = async () => {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  tail(child.stdout, 4000);
  const log = tail(child.stderr);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      cleanups.delete(stop);
      await terminate(child);
      await cleanup();
    })());
  cleanups.add(stop);
  return { child, log, stop };
}

/** Run `start` on a free port, trying another port if it was taken in between (EADDRINUSE). */
async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      lastError = error;
      if (!/EADDRINUSE/.test(String(error))) break;
    }
  }
  throw lastError;
}

// ---- the ceiling: bare Fastify 5 ---------------------------------------------------------------

/**
 * Start the ceiling server (bench/ceiling-server.js): the same Fastify 5, one GET route that
 * answers a small JSON, no database, no auth, no logging — what the framework can do here.
 * Plain JavaScript under plain Node, as Pasarela's compiled dist/ runs (`npm run bench` builds
 * it first), so the comparison is like for like.
 */
export async function startCeiling(): Promise<CeilingServer> {
  return onFreePort(async (port) => {
    const { child, log, stop } = spawnTracked([CEILING_SERVER], { ...process.env, PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitReady(`${url}/ping`, child, log);
      return { url, pid: child.pid!, stop };
    } catch (error) {
      await stop();
      throw error;
    }
  });
}
