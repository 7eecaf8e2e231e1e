// A background worker: runs `tick` every `intervalMs` (and again at once while it reports
// more work), never overlapping itself; stop() waits for the tick in flight.
export interface Worker {
  name: string;
  stop(): Promise<void>;
  /** Run one tick now (tests drive workers this way instead of sleeping). */
  runOnce(): Promise<number>;
}

export interface WorkerOptions {
  name: string;
  intervalMs: number;
  /** Returns how many items it handled; a positive count schedules the next tick at once. */
  tick: () => Promise<number>;
  onError?: (error: unknown) => void;
}

export function startWorker(options: WorkerOptions): Worker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<number> | undefined;

  const run = async (): Promise<number> => {
    if (inFlight) return inFlight;
    inFlight = options.tick().catch((error) => {
      options.onError?.(error);
      return 0;
    });
    try {
      return await inFlight;
    } finally {
      inFlight = undefined;
    }
  };

  const loop = async () => {
    if (stopped) return;
    const handled = await run();
    if (!stopped) timer = setTimeout(loop, handled > 0 ? 0 : options.intervalMs);
  };
  timer = setTimeout(loop, options.intervalMs);

  return {
    name: options.name,
    runOnce: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
