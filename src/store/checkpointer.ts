// SQLite in WAL mode copies the log back into the database file (a checkpoint) once the log
// passes 1000 pages, inside whichever commit crosses the mark: two fsyncs, milliseconds each on
// a virtual disk, during which the event loop — and so every request in flight — stands still.
// Here a worker thread checkpoints on its own connection a few times a second instead, which
// never blocks the writer (PASSIVE); the main connection's automatic checkpoint stays, at a
// higher mark, only as a safety net should the worker fall behind or die.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const CHECKPOINT_INTERVAL_MS = 200;
/** The main connection's own checkpoint mark (pages) while the worker runs. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// Plain JavaScript run with `eval`: the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next round, or the main connection's own checkpoint, catches up.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** A last checkpoint, then the worker ends. */
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  // A failing worker only means the main connection checkpoints by itself again.
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        // Unreferenced, it would not keep the process alive while we wait for it.
        worker.ref();
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}
