// What a benchmark scenario is and what it gets from the runner (bench/run.ts).
import type { LoadOptions, LoadResult } from './load.ts';
import type { BenchDb, PasarelaServer } from './server.ts';

export interface BenchContext {
  /** Storage the Pasarela servers of this run use (BENCH_DB). */
  db: BenchDb;
  /** Measured seconds per scenario (BENCH_SECONDS). */
  seconds: number;
  /** Closed-loop workers (BENCH_CONCURRENCY). */
  concurrency: number;
  /** Unmeasured warm-up seconds (BENCH_WARMUP_SECONDS). */
  warmupSeconds: number;
  /**
   * A fresh sandbox Pasarela in its own process (demo data ready, credentials in `.demo`),
   * stopped by the runner when the scenario ends. `env` adds variables for that server.
   */
  pasarela(env?: NodeJS.ProcessEnv): Promise<PasarelaServer>;
  /** runLoad with this run's seconds, concurrency and warm-up unless the options say otherwise. */
  load(options: LoadOptions): Promise<LoadResult>;
  /** Progress line on stderr. */
  log(message: string): void;
}

/**
 * A scenario's numbers: a LoadResult from runLoad as is, or — for a scenario that measures
 * otherwise (a pipeline drained, not a request loop) — at least count, seconds, perSecond and
 * p50/p99; `errors` counts as 0 when absent.
 */
export type ScenarioResult = Pick<LoadResult, 'count' | 'seconds' | 'perSecond' | 'p50Ms' | 'p99Ms'> &
  Partial<LoadResult> & {
    /** What was measured and anything a reader must know to judge the number. */
    notes?: string[];
    /** HTTP requests one operation makes (a sale: 3); the ratio to the ceiling counts requests. */
    requestsPerOperation?: number;
    /** Anything else worth keeping in the JSON report. */
    details?: Record<string, unknown>;
  };

export interface Scenario {
  /** Short name, also the CLI filter (`npm run bench -- <name>`) and the file bench/<name>.ts. */
  name: string;
  run(bench: BenchContext): Promise<ScenarioResult>;
}
