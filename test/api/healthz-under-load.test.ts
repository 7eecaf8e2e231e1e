// /healthz stays under 50 ms p99 while 8 clients read the largest pages (issue 8): 100 intents
// at every creation maximum fill a page of `GET /api/payment-intent/.json?maxPerPage=100`
// (~1.45 MiB); 8 closed-loop clients read that page while a prober asks /healthz every 20 ms.
// (A probe once measured 400 ms p50 / 900 ms p99 there: building a page held the event loop.)
//
// Why this latency test is not a plain timed test. The machine running the suite has 2 shared
// cores and other work on them (load averages of 10 to 18 were seen), so a raw duration
// measures the neighbours as much as the server: with the fix in, raw p99 ranges from 25 to
// 350 ms from one run to the next. What the server's code decides is how long it holds its
// event loop; what the machine decides is how long the server and this process wait for a CPU.
// The test measures the second in the same run and takes it out:
// - The server runs as its own process (`pasarela start`), so its event loop is not this one.
// - For every probe, the time the server spent ready to run but waiting for a CPU while the
//   probe was out (Linux's run-queue time per thread, /proc/<pid>/task/<tid>/schedstat; the
//   longest of its threads', as the event loop also waits on V8's parallel collector) is taken
//   off its latency: that wait is the machine's, and the kernel counts it exactly.
// - This process may be held up too (by the machine, or by the readers' bytes): a probe counts
//   only if this process's own event-loop delay (monitorEventLoopDelay, from sending the probe
//   to a moment after its answer) stayed under OWN_DELAY_LIMIT_MS. Probes go on until
//   COUNTED_PROBES count (at least MIN_LOAD_MS, at most MAX_LOAD_MS of load); fewer than
//   MIN_COUNTED_PROBES counted is a failure that says the machine was too busy, not a pass.
// The ceiling (50 ms) is compared with the p99 of the counted, corrected latencies. A server
// that holds its loop for a page (today's main: seconds) fails however idle the machine;
// neighbours that take the CPU away do not fail it. Raw numbers are printed beside them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { freePort, spawnCli, type RunningCli } from '../cli.ts';
import { http, openTestPlatform, type TestPlatform } from '../helpers.ts';
import { approve, executeSale, maximalIntent, type WalletWorld } from './wallet-fixtures.ts';

const READERS = 8;
const PAGE = '/api/payment-intent/.json?maxPerPage=100';
const CEILING_MS = 50;
/** Probes are taken under load until this many count (see the header), for at least MIN_LOAD_MS and at most MAX_LOAD_MS. */
const COUNTED_PROBES = 150;
/** Fewer counted probes than this (the machine was too busy all along) fail: a p99 needs samples. */
const MIN_COUNTED_PROBES = 50;
const MIN_LOAD_MS = 6_000;
const MAX_LOAD_MS = 40_000;
/** A probe during which this process itself was held up longer than this does not count. */
const OWN_DELAY_LIMIT_MS = 10;

let platform: TestPlatform;
let child: RunningCli;
let url: string;
let demo: DemoDocument;

async function waitUntilReady(timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`pasarela start exited early (${child.child.exitCode}):\n${child.output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`pasarela start was not ready within ${timeoutMs} ms:\n${child.output()}`);
    await sleep(100);
  }
}

before(async () => {
  platform = await openTestPlatform();
  demo = await ensureDemo(platform.ctx);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawnCli(['start'], { ...platform.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url });
  await waitUntilReady();
});

after(async () => {
  if (child) await child.stop();
  await platform?.close();
});

/** GET `path` on a keep-alive agent, the answer's bytes counted and dropped (never parsed). */
function get(agent: Agent, path: string, token?: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface Probe {
  latencyMs: number;
  /** How late this process was during the probe (its own event-loop delay), ms. */
  ownDelayMs: number;
  /** How long the server was ready to run but waited for a CPU during the probe, ms (longestWait). */
  serverWaitMs: number;
}

/**
 * How long each of the server's threads has waited on a run queue so far, ms, by thread id
 * (Linux: /proc/<pid>/task/<tid>/schedstat; elsewhere none, and nothing is taken out).
 */
function serverRunQueues(): Map<string, number> {
  const waits = new Map<string, number>();
  try {
    for (const task of readdirSync(`/proc/${child.child.pid}/task`)) {
      try {
        waits.set(task, Number(readFileSync(`/proc/${child.child.pid}/task/${task}/schedstat`, 'utf8').split(' ')[1]) / 1e6);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // not Linux
  }
  return waits;
}

/**
 * The longest any one server thread waited for a CPU between two readings: the event loop's
 * own wait, or that of a helper it waits on (V8's parallel garbage collection). The longest,
 * not the sum: threads that wait side by side hold the loop up once.
 */
function longestWait(before: Map<string, number>, after: Map<string, number>): number {
  let longest = 0;
  for (const [task, waited] of after) longest = Math.max(longest, waited - (before.get(task) ?? waited));
  return longest;
}

/** The probes that count: this process was not held up during them (see the header). */
const counts = (probes: Probe[]) => probes.filter((p) => p.ownDelayMs <= OWN_DELAY_LIMIT_MS);

/** Probe /healthz every 20 ms until `stop` says so; `stop` may look at the probes so far. */
async function probeHealthz(stop: (probes: Probe[]) => boolean): Promise<Probe[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const probes: Probe[] = [];
  try {
    while (!stop(probes)) {
      await sleep(20);
      delay.reset();
      const waited = serverRunQueues();
      const started = performance.now();
      const answer = await get(agent, '/healthz');
      const latencyMs = performance.now() - started;
      const serverWaitMs = longestWait(waited, serverRunQueues());
      assert.equal(answer.status, 200);
      // Let the delay monitor's own timer fire once more, so a stall that ended with the answer is in.
      await sleep(2);
      probes.push({ latencyMs, ownDelayMs: Math.max(0, delay.max / 1e6 - 1), serverWaitMs });
    }
  } finally {
    delay.disable();
    agent.destroy();
  }
  return probes;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
};
const ms = (n: number) => n.toFixed(1);
/** A stop condition: true once `duration` ms have passed. */
const until = (duration: number) => {
  const end = performance.now() + duration;
  return () => performance.now() > end;
};

test('/healthz stays under 50 ms p99 while 8 clients read pages of 100 maximal intents', { timeout: 600_000 }, async () => {
  const token = demo.merchant.app.accessToken;
  // approve and executeSale read only the server URL and the token of a world.
  const w = { server: { url }, token } as WalletWorld;
  const buyer = demo.buyers[0]!;
  for (let i = 0; i < 100; i++) {
    const kind = i % 2 === 0 ? 'sale' : 'request';
    const created = await http(url, 'POST', '/api/payment-intent/.json', { token, json: maximalIntent(kind, buyer.username) });
    assert.equal(created.status, 200, created.text.slice(0, 300));
    // Executed sales also carry their payer and a related resource per transaction.
    if (kind === 'sale' && i % 10 === 0) {
      assert.equal((await approve(w, created.body.id, buyer.username)).status, 200);
      assert.equal((await executeSale(w, created.body.id, buyer.id)).status, 200);
    }
  }
  const readers = new Agent({ keepAlive: true, maxSockets: READERS });
  const first = await get(readers, PAGE, token);
  assert.equal(first.status, 200);
  assert.ok(first.bytes > 1_000_000, `the page weighs ${first.bytes} bytes: not the largest page`);

  const idle = await probeHealthz(until(1_000));
  let stopped = false;
  let pages = 0;
  const failures: string[] = [];
  const clients = Array.from({ length: READERS }, async () => {
    while (!stopped) {
      const page = await get(readers, PAGE, token);
      if (page.status !== 200 || page.bytes !== first.bytes) failures.push(`${page.status} ${page.bytes} bytes`);
      pages++;
    }
  });
  // The readers get going before probes count.
  await sleep(500);
  const started = performance.now();
  const loaded = await probeHealthz((probes) => {
    const elapsed = performance.now() - started;
    return elapsed > MAX_LOAD_MS || (elapsed > MIN_LOAD_MS && counts(probes).length >= COUNTED_PROBES);
  });
  stopped = true;
  await Promise.all(clients);
  readers.destroy();

  assert.deepEqual(failures.slice(0, 5), []);
  const counted = counts(loaded);
  const corrected = counted.map((p) => Math.max(0, p.latencyMs - p.serverWaitMs));
  const raw = loaded.map((p) => p.latencyMs);
  const own = loaded.map((p) => p.ownDelayMs);
  const wait = loaded.map((p) => p.serverWaitMs);
  const idleRaw = idle.map((p) => p.latencyMs);
  const report =
    `healthz under load (${platform.backend}): ${loaded.length} probes (${counted.length} counted), ${pages} pages of ${first.bytes} bytes read; ` +
    `counted, minus server wait: p50 ${ms(quantile(corrected, 0.5))} p99 ${ms(quantile(corrected, 0.99))} ms; ` +
    `raw p50 ${ms(quantile(raw, 0.5))} p99 ${ms(quantile(raw, 0.99))} ms; ` +
    `own delay p50 ${ms(quantile(own, 0.5))} p99 ${ms(quantile(own, 0.99))} ms; ` +
    `server wait p50 ${ms(quantile(wait, 0.5))} p99 ${ms(quantile(wait, 0.99))} ms; ` +
    `idle raw p99 ${ms(quantile(idleRaw, 0.99))} ms\n`;
  process.stderr.write(report);
  assert.ok(quantile(corrected, 0.99) < CEILING_MS, report);
  assert.ok(counted.length >= MIN_COUNTED_PROBES, `only ${counted.length} probes counted: this machine is too busy to measure: ${report}`);
  assert.ok(pages >= READERS, `the readers read only ${pages} pages: no load was put on the server`);
});
