// A small closed-loop load generator: N workers over one keep-alive undici Pool, each sending
// its next request as soon as the previous one answered, for a fixed time after a short
// warm-up. Every measured operation's latency is taken with process.hrtime.bigint; a non-2xx
// answer (or a network error) counts as an error. Bounded three ways: duration, a cap on the
// number of operations, and a per-request timeout.
import { hrtime } from 'node:process';
import { Pool } from 'undici';
import { cpuSnapshot, cpuUsage, databasePids, waitForQuiet, type CpuUsage } from './cpu.ts';

export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path (and query) on the target origin, e.g. `/oauth/v2/token`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Answer {
  status: number;
  text: string;
  json<T = unknown>(): T;
}

/** What an operation can use: one request on the shared keep-alive pool. */
export type Send = (spec: RequestSpec) => Promise<Answer>;

export interface WorkerInfo {
  /** 0 … concurrency-1 */
  worker: number;
  /** How many operations this worker has started (warm-up included). */
  iteration: number;
  /** Whether this operation is measured (false during warm-up). */
  measured: boolean;
}

export interface LoadOptions {
  /** Target origin (`http://127.0.0.1:1234`) or a full URL (its path is the default request). */
  url: string;
  /** The request each operation sends (default: GET on `url`'s path). A fixed spec or a factory. */
  request?: RequestSpec | ((info: WorkerInfo) => RequestSpec);
  /**
   * Instead of `request`: a whole operation (e.g. create → approve → execute), timed as one.
   * Return false or throw to count it as an error.
   */
  operation?: (send: Send, info: WorkerInfo) => Promise<boolean | void>;
  /** Measured duration (default BENCH_SECONDS or 8). */
  seconds?: number;
  /** Closed-loop workers = keep-alive connections (default BENCH_CONCURRENCY or 16). */
  concurrency?: number;
  /** Unmeasured warm-up before (default BENCH_WARMUP_SECONDS or 1). */
  warmupSeconds?: number;
  /** Hard cap on measured operations (default BENCH_MAX_REQUESTS or 2,000,000). */
  maxOperations?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Which answers count as success (default 2xx). */
  ok?: (status: number) => boolean;
  /**
   * Before starting, wait up to this long for other processes to use less than 10% of the
   * machine (default BENCH_QUIET_WAIT_SECONDS or 20; 0 = don't wait).
   */
  quietWaitSeconds?: number;
}

export interface LoadResult {
  /** Measured operations (requests, unless `operation` bundles several). */
  count: number;
  errors: number;
  /** Wall time of the measured part, from its start until its last operation finished. */
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  concurrency: number;
  /** Operations by outcome: `ok`, or the failing HTTP status (0 = network error or exception). */
  statuses: Record<string, number>;
  /** A few error answers, to say why. */
  errorSamples: string[];
  /** Who used the CPU during the measured part (Linux only): see bench/cpu.ts. */
  cpu?: CpuUsage;
  /** Seconds spent waiting for the machine to be quiet before starting. */
  quietWaitSeconds?: number;
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return n;
}

export const defaults = {
  seconds: () => envNumber('BENCH_SECONDS', 8),
  concurrency: () => Math.max(1, Math.trunc(envNumber('BENCH_CONCURRENCY', 16))),
  warmupSeconds: () => envNumber('BENCH_WARMUP_SECONDS', 1),
  maxOperations: () => Math.max(1, Math.trunc(envNumber('BENCH_MAX_REQUESTS', 2_000_000))),
  quietWaitSeconds: () => envNumber('BENCH_QUIET_WAIT_SECONDS', 20),
};

/** Other processes' share of the machine under which it counts as quiet, %. */
export const QUIET_PERCENT = 10;

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const is2xx = (status: number) => status >= 200 && status < 300;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const seconds = options.seconds ?? defaults.seconds();
  const concurrency = Math.max(1, Math.trunc(options.concurrency ?? defaults.concurrency()));
  const warmupSeconds = options.warmupSeconds ?? defaults.warmupSeconds();
  const maxOperations = options.maxOperations ?? defaults.maxOperations();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const ok = options.ok ?? is2xx;
  if (options.request && options.operation) throw new Error('runLoad: give either request or operation, not both');

  const quiet = await waitForQuiet(options.quietWaitSeconds ?? defaults.quietWaitSeconds(), QUIET_PERCENT);
  const target = new URL(options.url);
  const pool = new Pool(target.origin, {
    connections: concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });

  const send: Send = async (spec) => {
    const res = await pool.request({
      path: spec.path,
      method: spec.method ?? 'GET',
      headers: spec.headers,
      body: spec.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      text,
      json<T>() {
        return JSON.parse(text) as T;
      },
    };
  };

  const defaultSpec: RequestSpec = { method: 'GET', path: target.pathname + target.search };
  const request = options.request ?? defaultSpec;
  const operation =
    options.operation ??
    (async (s: Send, info: WorkerInfo) => {
      const spec = typeof request === 'function' ? request(info) : request;
      const answer = await s(spec);
      if (!ok(answer.status)) throw new StatusError(answer.status, answer.text);
    });

  const latencies = new Float64Array(Math.min(maxOperations, 4_000_000));
  let count = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  let measuring = false;
  let stopping = false;
  let lastEnd = 0n;

  const noteError = (status: number, detail: string) => {
    errors++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (errorSamples.length < 5) errorSamples.push(`${status || 'error'}: ${detail.replace(/\s+/g, ' ').slice(0, 300)}`);
  };

  const worker = async (id: number) => {
    for (let iteration = 0; !stopping; iteration++) {
      const measured = measuring;
      if (measured && count >= maxOperations) break;
      const start = hrtime.bigint();
      let status = 0;
      let failure: string | undefined;
      try {
        const result = await operation(send, { worker: id, iteration, measured });
        if (result === false) {
          status = 0;
          failure = 'operation reported failure';
        }
      } catch (error) {
        if (error instanceof StatusError) {
          status = error.status;
          failure = error.body;
        } else {
          status = 0;
          failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      }
      const end = hrtime.bigint();
      if (!measured) continue;
      if (count >= latencies.length) break;
      latencies[count++] = Number(end - start) / 1e6;
      if (end > lastEnd) lastEnd = end;
      if (failure !== undefined) noteError(status, failure);
      else statuses.ok = (statuses.ok ?? 0) + 1;
    }
  };

  const workers = Array.from({ length: concurrency }, (_, i) => worker(i));
  let measureStart = 0n;
  let cpu: CpuUsage | undefined;
  try {
    if (warmupSeconds > 0) await sleep(warmupSeconds * 1000);
    const dbPids = await databasePids();
    measureStart = hrtime.bigint();
    measuring = true;
    const cpuBefore = cpuSnapshot(dbPids);
    // Ends early only if every worker stopped (BENCH_MAX_REQUESTS reached).
    await Promise.race([sleep(seconds * 1000), Promise.allSettled(workers)]);
    stopping = true;
    cpu = cpuUsage(cpuBefore, cpuSnapshot(dbPids));
    // In-flight operations finish within the request timeout; give up on them after that.
    await Promise.race([Promise.allSettled(workers), sleep(timeoutMs * 3 + 1000)]);
  } finally {
    stopping = true;
    await pool.destroy().catch(() => {});
  }

  const sorted = latencies.slice(0, count).sort();
  const elapsed = count > 0 ? Number(lastEnd - measureStart) / 1e9 : seconds;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count,
    errors,
    seconds: elapsed,
    perSecond: count / elapsed,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: count ? sorted[count - 1]! : NaN,
    meanMs: count ? sum / count : NaN,
    concurrency,
    statuses,
    errorSamples,
    ...(cpu ? { cpu } : {}),
    quietWaitSeconds: quiet.waitedSeconds,
  };
}

class StatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Throw from an `operation` to record a non-2xx answer with its status. */
export function failed(answer: Answer): never {
  throw new StatusError(answer.status, answer.text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
