// Scenario "webhooks": events delivered per second to a local receiver.
//
// A sandbox Pasarela runs in its own process (`pasarela start`, its webhook dispatcher on);
// the bench registers webhook endpoints for the demo app (console API), starts a loopback
// receiver (node:http, answers 200 at once, checks every signature with verifySignature),
// then appends N events to the outbox in one burst (transactions of 100, straight into the
// database the server uses, as the API would) and measures until the receiver has them all.
//
//   perSecond  deliveries / seconds from the first append until the last delivery arrived
//              (fan-out, claim, sign, POST, record — the whole pipeline, backlog drained)
//   p50/p99    per-attempt HTTP latency recorded by the dispatcher (webhook_attempts.latency_ms)
//   notes      end-to-end latency (append → received) and attempts per endpoint
//
// Environment: BENCH_WEBHOOK_EVENTS (5000), BENCH_WEBHOOK_ENDPOINTS (1; each event goes to
// every endpoint, at most WEBHOOK_CONCURRENCY_PER_ENDPOINT=2 in flight to each).
//
// Standalone: `npx tsx -e "import('./bench/webhooks.ts').then(m => m.webhooksBench()).then(console.log)"`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/platform/config.ts';
import { verifySignature } from '../src/index.ts';
import { openPlatform } from '../src/platform/open.ts';
import { appendEvent } from '../src/modules/events/outbox.ts';
import { inTransaction } from '../src/store/db.ts';
import { envNumber } from './load.ts';
import type { BenchContext, ScenarioResult } from './scenario.ts';
import { startPasarela, type PasarelaServer } from './server.ts';

export interface WebhooksBenchResult {
  name: string;
  count: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Everything else the run found out. */
  details: {
    endpoints: number;
    events: number;
    badSignatures: number;
    duplicates: number;
    endToEndP50Ms: number;
    endToEndP99Ms: number;
    p90Ms: number;
    maxMs: number;
    meanMs: number;
    appendSeconds: number;
  };
}

export interface WebhooksBenchOptions {
  events?: number;
  endpoints?: number;
  /** A running server to use (the bench runner's); otherwise one is started and stopped. */
  server?: PasarelaServer;
  log?: (message: string) => void;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export async function webhooksBench(options: WebhooksBenchOptions = {}): Promise<WebhooksBenchResult> {
  const events = options.events ?? envNumber('BENCH_WEBHOOK_EVENTS', 5000);
  const endpoints = Math.max(1, options.endpoints ?? envNumber('BENCH_WEBHOOK_ENDPOINTS', 1));
  const log = options.log ?? (() => {});
  const expected = events * endpoints;

  // The receiver: counts notifications by (endpoint path, notification id).
  const arrivals = new Map<string, number>();
  const appendedAt = new Map<string, number>();
  const endToEnd: number[] = [];
  let badSignatures = 0;
  let duplicates = 0;
  const secrets = new Map<string, string>();
  let lastArrival = 0;
  let done: () => void = () => {};
  const allArrived = new Promise<void>((resolve) => (done = resolve));
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const secret = secrets.get(url.pathname);
      if (!secret || !verifySignature(req.headers, url.searchParams, secret)) badSignatures++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
      const key = `${url.pathname} ${body.id}`;
      if (arrivals.has(key)) duplicates++;
      else {
        const now = Date.now();
        arrivals.set(key, now);
        const appended = appendedAt.get(body.id);
        if (appended !== undefined) endToEnd.push(now - appended);
        lastArrival = now;
        if (arrivals.size === expected) done();
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const server = options.server ?? (await startPasarela());
  const ownServer = !options.server;
  const ctx = await openPlatform(loadConfig(server.env as NodeJS.ProcessEnv), { migrate: false });
  try {
    // Endpoints through the console API, as a merchant would.
    const session = await json(`${server.url}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: server.demo.merchant.username, password: server.demo.merchant.password }),
    });
    const headers = { 'content-type': 'application/json', 'x-session-token': session.sessionToken as string };
    const apps = await json(`${server.url}/console/api/apps`, { headers });
    const app = (apps.data as { id: string; clientId: string }[]).find((a) => a.clientId === server.demo.merchant.app.clientId)!;
    for (let e = 0; e < endpoints; e++) {
      const path = `/hook/${e}`;
      const created = await json(`${server.url}/console/api/apps/${app.id}/webhooks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: `${receiverUrl}${path}`, eventTypes: ['payment.*'] }),
      });
      secrets.set(path, created.secret);
    }
    const owner = await ctx.store.db.selectFrom('oauth_apps').select('owner_user_id').where('id', '=', app.id).executeTakeFirstOrThrow();

    log(`appending ${events} events for ${endpoints} endpoint(s)…`);
    const started = Date.now();
    for (let produced = 0; produced < events; produced += 100) {
      const now = await ctx.clock.now();
      const batch = Math.min(100, events - produced);
      await inTransaction(ctx.store, async (tx) => {
        for (let i = 0; i < batch; i++) {
          const id = await appendEvent(tx, {
            type: 'payment.created',
            objectId: String(1_000_000 + produced + i),
            ownerUserId: owner.owner_user_id,
            appId: app.id,
            payload: { id: produced + i },
            now,
          });
          appendedAt.set(id, Date.now());
        }
      });
    }
    const appendSeconds = (Date.now() - started) / 1000;
    const timeoutMs = Math.max(60_000, expected * 20);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allArrived,
      new Promise(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`only ${arrivals.size} of ${expected} deliveries arrived within ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
    clearTimeout(timer);
    const seconds = (lastArrival - started) / 1000;
    await new Promise((r) => setTimeout(r, 300)); // the last attempts are recorded

    const latencies = (await ctx.store.db.selectFrom('webhook_attempts').select('latency_ms').execute()).map((r) => r.latency_ms).sort((a, b) => a - b);
    const e2e = endToEnd.sort((a, b) => a - b);
    return {
      name: 'webhooks',
      count: expected,
      seconds,
      perSecond: expected / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      details: {
        endpoints,
        events,
        badSignatures,
        duplicates,
        endToEndP50Ms: percentile(e2e, 50),
        endToEndP99Ms: percentile(e2e, 99),
        p90Ms: percentile(latencies, 90),
        maxMs: latencies.at(-1) ?? NaN,
        meanMs: latencies.reduce((s, x) => s + x, 0) / Math.max(latencies.length, 1),
        appendSeconds,
      },
    };
  } finally {
    await ctx.store.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    if (ownServer) await server.stop();
  }
}

/** The bench runner's entry (bench/run.ts). */
export async function run(b: BenchContext): Promise<ScenarioResult> {
  const server = await b.pasarela();
  const r = await webhooksBench({ server, log: b.log });
  const d = r.details;
  const errors = d.badSignatures;
  return {
    count: r.count,
    errors,
    seconds: r.seconds,
    perSecond: r.perSecond,
    p50Ms: r.p50Ms,
    p90Ms: d.p90Ms,
    p99Ms: r.p99Ms,
    maxMs: d.maxMs,
    meanMs: d.meanMs,
    concurrency: d.endpoints * 2,
    statuses: { '200': r.count + d.duplicates },
    errorSamples: d.badSignatures ? [`${d.badSignatures} notifications failed verifySignature`] : [],
    notes: [
      `events delivered per second: ${d.events} payment.created events appended in ${d.appendSeconds.toFixed(2)} s, delivered to ${d.endpoints} endpoint(s) on a loopback receiver (answers 200 at once, verifies every signature)`,
      `p50/p99 = per-attempt HTTP latency (dispatcher's log); end-to-end append → received p50 ${d.endToEndP50Ms} ms, p99 ${d.endToEndP99Ms} ms (a backlog drained, so these include queueing)`,
      `at most 2 attempts in flight per endpoint (WEBHOOK_CONCURRENCY_PER_ENDPOINT); duplicates: ${d.duplicates}; bad signatures: ${d.badSignatures}`,
    ],
  };
}
