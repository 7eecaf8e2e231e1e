// Group commit for SQLite. With `synchronous = FULL` SQLite fsyncs the log inside every COMMIT,
// on the event loop: a few hundred microseconds to milliseconds each, during which no request
// moves, and a sale commits three times. Instead the connection runs with `synchronous = NORMAL`
// (a commit only writes the log) and nothing leaves the process — an HTTP answer, a webhook —
// before `settle()` has seen the log synced: one fsync, off the event loop, covers every commit
// made before it started, however many requests wait on it. An acknowledged commit survives a
// power loss exactly as with FULL; what is lost is only what nobody was told about.
//
// A failed fsync is final. On Linux the pages it could not write may be dropped and marked
// clean, so a later fsync can succeed without them: retrying would report lost commits as
// durable. As PostgreSQL does since 2018, the store stops trusting itself — every later
// settle() fails — and the process should exit so recovery replays the log from disk.
import { fsync } from 'node:fs';

export class GroupSync {
  /** Commits made so far (a counter, not ids: only "every commit up to here" matters). */
  private written = 0;
  /** Commits known to be on disk. */
  private durable = 0;
  private running: Promise<void> | undefined;
  private failed: Error | undefined;

  /** `onFailure` hears of the first failed sync (the server exits on it). */
  constructor(
    private readonly flush: () => Promise<void>,
    private readonly onFailure: (error: Error) => void = () => {},
  ) {}

  /** A commit (or an autocommit write) just finished. */
  wrote(): void {
    this.written++;
  }

  /** Resolves once every commit made before this call is on disk; rejects once a sync has failed. */
  async settle(): Promise<void> {
    const target = this.written;
    while (this.durable < target) {
      if (this.failed) throw this.failed;
      // A sync already running may have started before our commit: wait for it, then look again.
      if (this.running) {
        await this.running.catch(() => {});
        continue;
      }
      const covers = this.written;
      const run = this.flush().then(
        () => {
          this.durable = Math.max(this.durable, covers);
        },
        (error: unknown) => {
          if (!this.failed) {
            this.failed = new Error(`syncing the SQLite log failed; nothing committed since can be reported as durable: ${String(error)}`, { cause: error });
            this.onFailure(this.failed);
          }
          throw this.failed;
        },
      );
      this.running = run;
      try {
        await run;
      } finally {
        if (this.running === run) this.running = undefined;
      }
    }
  }
}

/** fsync of an open file descriptor, in libuv's thread pool. */
export function fsyncFd(fd: number): () => Promise<void> {
  return () => new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}
