// /healthz stays under 50 ms p99 while 8 clients read the largest pages (issue 8): 100 intents
// at every creation maximum fill a page of `GET /api/payment-intent/.json?maxPerPage=100`
// (~1.45 MiB); 8 closed-loop clients read that page while a prober asks /healthz every 20 ms.
// (A probe once measured 400 ms p50 / 900 ms p99 there: building a page held the event loop.)
//
// Why this latency test is not a plain timed test. The machine running the suite has 2 shared
// cores and other work on them (load averages of 10 are common), so a raw duration measures the
// neighbours as much as the server: with the fix in, raw p99 ranges from 25 to 150 ms from one
// run to the next. What the server's code decides is how long it holds its event loop; what
// the machine decides is how long the server and this process wait for a CPU. The test
// measures both in the same run and takes the second out:
// - The server runs as its own process (`pasarela start`), so its event loop is not this one.
// - For every probe, the time the server's main thread spent ready to run but waiting for a CPU
//   during that probe (Linux's run-queue time, /proc/<pid>/schedstat), and how late this
//   process itself was (its own event-loop delay, monitorEventLoopDelay, reset when the probe's
//   20 ms timer is set and read after the answer).
// - A probe counts its latency minus the larger of the two — never their sum, as both may be
//   the same stall — and the ceiling (50 ms) is compared with the p99 of those. A server that
//   holds its loop for a page (today's main: seconds) still fails however idle the machine;
//   neighbours that take the CPU away do not fail it. Raw numbers are printed beside them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
const LOAD_MS = 6_000;

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
  /** How long the server was ready to run but waited for a CPU during the probe, ms. */
  serverWaitMs: number;
}

/** Time the server's main thread has waited on a run queue so far, ms (Linux: /proc/<pid>/schedstat). */
function serverRunQueueMs(): number {
  try {
    return Number(readFileSync(`/proc/${child.child.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0; // not Linux: nothing taken out (the test is only stricter)
  }
}

async function probeHealthz(stop: () => boolean): Promise<Probe[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const probes: Probe[] = [];
  try {
    while (!stop()) {
      delay.reset();
      await sleep(20);
      const waited = serverRunQueueMs();
      const started = performance.now();
      const answer = await get(agent, '/healthz');
      const latencyMs = performance.now() - started;
      const serverWaitMs = serverRunQueueMs() - waited;
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
  const loaded = await probeHealthz(until(LOAD_MS));
  stopped = true;
  await Promise.all(clients);
  readers.destroy();

  assert.deepEqual(failures.slice(0, 5), []);
  const corrected = loaded.map((p) => Math.max(0, p.latencyMs - Math.max(p.ownDelayMs, p.serverWaitMs)));
  const raw = loaded.map((p) => p.latencyMs);
  const own = loaded.map((p) => p.ownDelayMs);
  const wait = loaded.map((p) => p.serverWaitMs);
  const idleRaw = idle.map((p) => p.latencyMs);
  const report =
    `healthz under load (${platform.backend}): ${loaded.length} probes, ${pages} pages of ${first.bytes} bytes read; ` +
    `corrected p50 ${ms(quantile(corrected, 0.5))} p99 ${ms(quantile(corrected, 0.99))} ms; ` +
    `raw p50 ${ms(quantile(raw, 0.5))} p99 ${ms(quantile(raw, 0.99))} ms; ` +
    `own delay p50 ${ms(quantile(own, 0.5))} p99 ${ms(quantile(own, 0.99))} ms; ` +
    `server wait p50 ${ms(quantile(wait, 0.5))} p99 ${ms(quantile(wait, 0.99))} ms; ` +
    `idle raw p99 ${ms(quantile(idleRaw, 0.99))} ms
`;
  process.stderr.write(report);
  assert.ok(quantile(corrected, 0.99) < CEILING_MS, report);
  assert.ok(loaded.length >= 100, `only ${loaded.length} probes in ${LOAD_MS} ms: ${report}`);
  assert.ok(pages >= READERS, `the readers read only ${pages} pages: no load was put on the server`);
});
