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

export interface ScenarioResult extends LoadResult {
  /** What was measured and anything a reader must know to judge the number. */
  notes?: string[];
}

export interface Scenario {
  /** Short name, also the CLI filter (`npm run bench -- <name>`) and the file bench/<name>.ts. */
  name: string;
  run(bench: BenchContext): Promise<ScenarioResult>;
}
