// Fixtures for the webhook tests: a real HTTP receiver on loopback, a merchant with an app,
// a console session, and the test bed the service-level webhook tests share.
import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp, type AppRow } from '../src/modules/apps/service.ts';
import type { Ctx } from '../src/platform/context.ts';
import { issueAffiliationCodes, registerUser, type UserRow } from '../src/modules/identity/users.ts';
import type { EventType } from '../src/modules/events/index.ts';
import { appendEvent } from '../src/modules/events/outbox.ts';
import { createEndpoint, Dispatcher } from '../src/modules/webhooks/index.ts';
import { inTransaction } from '../src/store/db.ts';
import { CLI, ROOT } from './cli.ts';
import { http, openTestPlatform, type TestPlatform } from './helpers.ts';

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  at: number;
}

export type Handler = (received: Received, res: ServerResponse) => void | Promise<void>;

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Replace how the receiver answers (default: 200 "ok"). */
  handle(handler: Handler): void;
  /** Resolve once `predicate` holds (checked on every request and every 50 ms). */
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Requests answered right now (slow handlers). */
  inFlight(): number;
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startReceiver(handler?: Handler): Promise<Receiver> {
  let current: Handler = handler ?? ((_r, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://receiver');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const r: Received = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, raw, body, at: Date.now() };
      received.push(r);
      for (const w of waiters) w();
      try {
        await current(r, res);
      } catch {
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    handle(h) {
      current = h;
    },
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        if (predicate(received)) return resolve();
        const check = () => {
          if (predicate(received)) {
            cleanup();
            resolve();
          }
        };
        const poll = setInterval(check, 50);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} requests)`));
        }, timeoutMs);
        const cleanup = () => {
          clearInterval(poll);
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Merchant {
  user: UserRow;
  password: string;
  app: AppRow;
  accessToken: string;
}

/** A business user with a ready (sandbox) app, created through the services. */
export async function createMerchant(ctx: Ctx): Promise<Merchant> {
  const suffix = randomBytes(4).readUInt32BE() % 100_000_000;
  const digits = String(suffix).padStart(8, '0');
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const codes = await issueAffiliationCodes(ctx);
  const user = await registerUser(ctx, {
    type: 'business',
    username: `shop${digits}`,
    password,
    email: `shop${digits}@example.test`,
    phone: `5841${digits}`,
    identification: `J${digits}1`,
    name: `Shop ${digits}`,
    affiliationCode: codes.regular,
  });
  const { app, credentials } = await createApp(
    ctx,
    user.id,
    { name: 'Webhook test app', description: 'test', homepageUrl: 'https://example.test' },
    { requireLogo: false },
  );
  return { user, password, app, accessToken: credentials.accessToken };
}

/**
 * A test file's platform and loopback receiver: opened before its tests (and handed to `opened`,
 * for the file's own variables), closed after them; with the helpers those tests share.
 */
export function webhookTestBed(opened: (bed: { platform: TestPlatform; receiver: Receiver }) => void) {
  let platform: TestPlatform;
  let receiver: Receiver;
  before(async () => {
    platform = await openTestPlatform();
    receiver = await startReceiver();
    opened({ platform, receiver });
  });
  after(async () => {
    await receiver.close();
    await platform.close();
  });

  /** One event of the merchant's app, committed. */
  async function emit(
    merchant: Merchant,
    type: EventType = 'payment.created',
    payload: Record<string, unknown> = {},
    objectId = String(Math.floor(Math.random() * 1e12)),
  ) {
    const { ctx } = platform;
    const now = await ctx.clock.now();
    const id = await inTransaction(ctx.store, (tx) => appendEvent(tx, { type, objectId, ownerUserId: merchant.user.id, appId: merchant.app.id, payload, now }));
    return { id, objectId };
  }

  /** A fresh merchant, endpoint on its own receiver path, and a dispatcher with test settings. */
  async function setup(path: string, settings: ConstructorParameters<typeof Dispatcher>[1] = {}, eventTypes: string[] = ['*']) {
    const merchant = await createMerchant(platform.ctx);
    const { endpoint, secret } = await createEndpoint(platform.ctx, merchant.user.id, merchant.app.id, { url: `${receiver.url}${path}`, eventTypes });
    const dispatcher = new Dispatcher(platform.ctx, { timeoutMs: 2000, ...settings });
    return { merchant, endpoint, secret, dispatcher };
  }

  /** What the receiver got on `path`. */
  const at = (path: string) => receiver.received.filter((r) => r.path === path);

  return { emit, setup, at };
}

/** Sign in to the console; returns the headers a script uses. */
export async function consoleSession(base: string, merchant: Merchant): Promise<Record<string, string>> {
  const answer = await http(base, 'POST', '/console/api/session', { json: { login: merchant.user.username, password: merchant.password } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return { 'x-session-token': answer.body.sessionToken };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free loopback port (for child processes that need PORT). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createTcpServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start `pasarela start` on `port` and wait until /healthz answers. A start that fails (early
 * exit, timeout, anything thrown while waiting) leaves no process behind: the child is killed
 * and reaped before the error is thrown.
 */
export async function startServerProcess(env: Record<string, string>, port: number, startTimeoutMs = 60_000): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...CLI, 'start'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  try {
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early (${child.signalCode ?? child.exitCode}): ${stderr}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
        if (r.ok) return child;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`server did not start within ${startTimeoutMs} ms: ${stderr}`);
  } catch (error) {
    await kill(child);
    throw error;
  }
}

/** Start several servers; if one fails to start, the ones already running are killed too. */
export async function startServerProcesses(starts: readonly { env: Record<string, string>; port: number }[]): Promise<ChildProcess[]> {
  const started: ChildProcess[] = [];
  try {
    for (const s of starts) started.push(await startServerProcess(s.env, s.port));
    return started;
  } catch (error) {
    await Promise.all(started.map((child) => kill(child)));
    throw error;
  }
}

export function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
