// Commit batching for SQLite. A commit writes every page the transaction touched to the log,
// and most commands touch the same few pages (the last leaf of each table and index they
// append to, the hot balance rows): measured under 16 concurrent sales, COMMIT and BEGIN were
// almost half of the time spent inside SQLite. So the one connection keeps a write transaction
// open while commands arrive, each command runs in a savepoint of it (a refusal rolls back to
// the savepoint and leaves the others alone), and the batch commits once the event loop has no
// more work queued — in the check phase after the commands that were ready have run — or when
// something must leave the process (`flushed()`, which `store.settle()` awaits).
//
// Nothing about a command is reported before its batch is committed and synced: every answer,
// webhook and stream waits for `settle()` (group-sync.ts). A crash loses the open batch, which
// nobody was told about. A failed COMMIT, or SQLite rolling the whole batch back after an
// I/O or out-of-memory error inside a savepoint, is final, as a failed fsync is: commands
// already released believed they were in, so the store fails every later use and the server exits.
//
// One store per SQLite file per process: a second connection to the same file in the same
// thread would wait for the write lock synchronously (busy_timeout) while the batch it waits
// for can only commit on a later turn of that very thread. Separate processes (`pasarela demo`
// beside the server) just wait for the batch, which commits within a turn of the server's loop.
import type SqliteDatabase from 'better-sqlite3';

export class CommitBatch {
  private open = false;
  /** Commands (Kysely transactions) in progress: the batch cannot commit while one is. */
  private depth = 0;
  private scheduled = false;
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private failed: Error | undefined;

  constructor(
    private readonly raw: SqliteDatabase.Database,
    /** A batch committed (group-sync counts it as a commit to cover with its next fsync). */
    private readonly onCommit: () => void,
    private readonly onFailure: (error: Error) => void = () => {},
  ) {}

  /** A command starts: open the batch if needed, then the command's savepoint. */
  begin(): void {
    if (this.failed) throw this.failed;
    if (!this.open) {
      this.raw.exec('begin immediate');
      this.open = true;
    }
    this.raw.exec('savepoint command');
    this.depth++;
  }

  /** The command succeeded: its changes join the batch. */
  release(): void {
    this.depth--;
    this.raw.exec('release command');
    this.schedule();
  }

  /** The command failed: undo its changes only. */
  rollback(): void {
    this.depth--;
    if (this.raw.inTransaction) {
      this.raw.exec('rollback to command');
      this.raw.exec('release command');
    } else {
      this.fail(new Error('SQLite rolled back the whole batch after an error inside a command'));
    }
    this.schedule();
  }

  /** Resolves once everything done on this connection so far is committed (not yet synced). */
  flushed(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (!this.open) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.commit();
    });
  }

  private commit(): void {
    // A command still in progress (awaiting something outside the database) releases later and
    // schedules again.
    if (this.depth > 0 || this.failed) return;
    if (this.open) {
      try {
        this.raw.exec('commit');
      } catch (error) {
        this.fail(new Error(`committing a batch of SQLite commands failed: ${String(error)}`, { cause: error }));
        return;
      }
      this.open = false;
      this.onCommit();
    }
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    this.open = false;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    this.onFailure(error);
  }
}
