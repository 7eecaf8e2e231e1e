// `npm run bench [-- <name> …]`: runs the benchmark scenarios and reports throughput, p50/p99
// latency and each scenario's ratio to the ceiling (bare Fastify 5) measured in the same run.
//
//   npm run bench                      every scenario
//   npm run bench -- token transfer    only these (a filter matches a name or part of it);
//                                      the ceiling always runs first, it is the reference
//   npm run bench -- --list            the scenario names
//
// Environment: BENCH_SECONDS (8), BENCH_CONCURRENCY (16), BENCH_WARMUP_SECONDS (1),
// BENCH_MAX_REQUESTS (2,000,000 per scenario), BENCH_QUIET_WAIT_SECONDS (20: before each
// measurement, wait up to this long for other processes to leave the CPU),
// BENCH_DB=sqlite|postgres (sqlite; postgres uses DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres, with a fresh schema per server, dropped
// afterwards). Results: a table on stdout and .bench-results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { defaults, QUIET_PERCENT, runLoad } from './load.ts';
import { BENCH_PG_APP } from './cpu.ts';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.ts';
import { benchDb, ROOT, startPasarela, stopAll, type PasarelaServer } from './server.ts';

// ---- the registry: one line per scenario, each in its own file bench/<name>.ts ---------------
// A scenario file exports `run(bench: BenchContext): Promise<ScenarioResult>` (see scenario.ts).
export const scenarios: Scenario[] = [
  { name: 'ceiling', run: (b) => import('./ceiling.ts').then((m) => m.run(b)) },
  { name: 'token', run: (b) => import('./token.ts').then((m) => m.run(b)) },
  { name: 'transfer', run: (b) => import('./transfer.ts').then((m) => m.run(b)) },
  { name: 'sale', run: (b) => import('./sale.ts').then((m) => m.run(b)) },
  { name: 'card', run: (b) => import('./card.ts').then((m) => m.run(b)) },
  { name: 'webhooks', run: (b) => import('./webhooks.ts').then((m) => m.run(b)) },
  { name: 'pages', run: (b) => import('./pages.ts').then((m) => m.run(b)) },
];

const CEILING = 'ceiling';
/** Above this share of the machine used by others during a measurement, say so. */
const OTHER_CPU_WARN = QUIET_PERCENT;

interface Row {
  name: string;
  ok: boolean;
  failure?: string;
  result?: ScenarioResult;
  /** HTTP requests per second (perSecond × requestsPerOperation) / the ceiling's, as a percentage. */
  ratioToCeiling?: number;
}

function select(filters: string[]): Scenario[] {
  if (filters.length === 0) return scenarios;
  const wanted = scenarios.filter((s) => filters.some((f) => s.name === f) || filters.some((f) => s.name.includes(f)));
  const unknown = filters.filter((f) => !scenarios.some((s) => s.name.includes(f)));
  if (unknown.length) throw new Error(`no scenario matches ${unknown.join(', ')} (have: ${scenarios.map((s) => s.name).join(', ')})`);
  const ceiling = scenarios.find((s) => s.name === CEILING)!;
  return [ceiling, ...wanted.filter((s) => s !== ceiling)];
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const errorsOf = (r: Row) => r.result?.errors ?? 0;
const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

function table(rows: Row[]): string {
  const header = ['scenario', 'ops/s', 'HTTP req/s', 'p50 ms', 'p99 ms', 'errors', 'vs ceiling', 'server cpu ms/op', 'conc', 'other cpu'];
  const lines = rows.map((r) =>
    r.result
      ? [
          r.name + (errorsOf(r) ? ' (!)' : ''),
          fmt(r.result.perSecond, 0),
          fmt(r.result.perSecond * (r.result.requestsPerOperation ?? 1), 0),
          fmt(r.result.p50Ms, 2),
          fmt(r.result.p99Ms, 2),
          `${errorsOf(r)}/${r.result.count}`,
          r.ratioToCeiling === undefined ? '—' : `${fmt(r.ratioToCeiling, 1)}%`,
          r.result.cpu && r.result.count ? fmt(r.result.cpu.serverCpuMs / r.result.count, 2) : '—',
          r.result.concurrency === undefined ? '—' : String(r.result.concurrency),
          r.result.cpu ? `${fmt(r.result.cpu.otherPercent, 0)}%` : '—',
        ]
      : [r.name + ' (FAILED)', '—', '—', '—', '—', '—', '—', '—', '—', '—'],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  // Tag this process's own PostgreSQL connections too (a scenario may open the platform
  // in-process), so their backends count as the bench's CPU, not someone else's.
  process.env.PGAPPNAME ??= BENCH_PG_APP;
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: npm run bench [-- <scenario> …] [--list]\n');
    return 0;
  }
  if (argv.includes('--list')) {
    process.stdout.write(scenarios.map((s) => s.name).join('\n') + '\n');
    return 0;
  }
  const selected = select(argv.filter((a) => !a.startsWith('-')));
  const db = benchDb();
  const seconds = defaults.seconds();
  const concurrency = defaults.concurrency();
  const warmupSeconds = defaults.warmupSeconds();
  const cpu = cpus()[0]?.model ?? 'unknown';
  const cores = availableParallelism();
  // Other processes on the machine skew every number: record how busy it was before we began.
  const loadBefore = loadavg().map((l) => +l.toFixed(2));
  log(`load average before: ${loadBefore.join(' ')}`);
  log(
    `bench on ${db}: ${selected.map((s) => s.name).join(', ')} — ${seconds}s each after ${warmupSeconds}s warm-up, ${concurrency} workers; ${cpu}, ${cores} cores, node ${process.version}`,
  );

  const rows: Row[] = [];
  let ceilingPerSecond: number | undefined;
  for (const scenario of selected) {
    const servers: PasarelaServer[] = [];
    const bench: BenchContext = {
      db,
      seconds,
      concurrency,
      warmupSeconds,
      async pasarela(env) {
        const t = Date.now();
        const server = await startPasarela(env);
        servers.push(server);
        log(`  pasarela (${db}) ready at ${server.url} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
        return server;
      },
      load: (options) => runLoad({ seconds, concurrency, warmupSeconds, ...options }),
      log: (message) => log(`  ${message}`),
    };
    log(`▶ ${scenario.name}`);
    const row: Row = { name: scenario.name, ok: false };
    try {
      row.result = await scenario.run(bench);
      row.ok = errorsOf(row) === 0;
      if (scenario.name === CEILING) ceilingPerSecond = row.result.perSecond;
      if (ceilingPerSecond) row.ratioToCeiling = ((row.result.perSecond * (row.result.requestsPerOperation ?? 1)) / ceilingPerSecond) * 100;
      const r = row.result;
      log(
        `  ${fmt(r.perSecond, 0)} ops/s, p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms, ${errorsOf(row)} errors of ${r.count}` +
          (r.cpu ? `; other processes used ${r.cpu.otherPercent}% of the machine` : '') +
          (r.quietWaitSeconds ? ` (waited ${r.quietWaitSeconds}s for quiet first)` : ''),
      );
      for (const sample of r.errorSamples ?? []) log(`  error: ${sample}`);
    } catch (error) {
      row.failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`  FAILED: ${row.failure}`);
    } finally {
      for (const s of servers) {
        if (row.failure) log(`  server log tail:\n${s.logTail().slice(-2000)}`);
        await s.stop();
      }
    }
    rows.push(row);
  }

  process.stdout.write(
    `\nPasarela bench — ${db}, ${seconds}s per scenario, ${concurrency} workers — ${cpu} (${cores} cores), node ${process.version}, load before ${loadBefore.join(' ')}\n\n`,
  );
  process.stdout.write(table(rows) + '\n');
  const notes = rows.flatMap((r) => [
    ...(r.result?.notes ?? []).map((n) => `${r.name}: ${n}`),
    ...(r.failure ? [`${r.name}: FAILED ${r.failure.split('\n')[0]}`] : []),
  ]);
  const flagged = rows.filter((r) => errorsOf(r) > 0);
  for (const r of flagged) notes.push(`${r.name}: (!) ${errorsOf(r)} errors — ${r.result?.errorSamples?.[0] ?? ''}`);
  const disturbed = rows.filter((r) => (r.result?.cpu?.otherPercent ?? 0) > OTHER_CPU_WARN);
  notes.push(
    `other cpu: share of the machine (all ${cores} cores) used during the measurement by processes that are neither the bench nor its servers` +
      (db === 'postgres' ? ' nor the PostgreSQL backends serving them' : '') +
      `; above ~${OTHER_CPU_WARN}% someone else was busy and the numbers are not comparable` +
      (disturbed.length ? ` — disturbed here: ${disturbed.map((r) => r.name).join(', ')}` : ''),
  );
  notes.push(
    'server cpu ms/op: CPU time of the servers under test' +
      (db === 'postgres' ? ' and their PostgreSQL backends' : '') +
      ' per operation, load generator excluded — shows saved work when throughput differs for other reasons; compare runs with similar other cpu',
  );
  if (notes.length) process.stdout.write('\n' + notes.map((n) => `  ${n}`).join('\n') + '\n');

  const date = new Date();
  const report = {
    date: date.toISOString(),
    machine: {
      cpu,
      cores,
      cpuCount: cpus().length,
      node: process.version,
      platform: platform(),
      release: release(),
      memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
      loadAverageBefore: loadBefore,
    },
    config: { db, seconds, concurrency, warmupSeconds, maxRequests: defaults.maxOperations(), quietWaitSeconds: defaults.quietWaitSeconds() },
    ceilingPerSecond,
    scenarios: rows.map((r) => ({
      name: r.name,
      ok: r.ok,
      ...(r.failure ? { failure: r.failure } : {}),
      ...(r.result ? { ...r.result, ratioToCeilingPercent: r.ratioToCeiling } : {}),
    })),
  };
  const dir = join(ROOT, '.bench-results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `${date.toISOString().replace(/[:.]/g, '-')}-${db}.json`), json);
  process.stdout.write(`\nwritten .bench-results/latest.json\n`);
  return rows.every((r) => r.ok) ? 0 : 1;
}

main(process.argv.slice(2))
  .then(
    (code) => code,
    (error) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  });
