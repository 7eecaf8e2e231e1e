// The one write path. Every state-changing use case runs as:
//   open the transaction → claim the idempotency key (same key + same request → the stored
//   answer; another request → refused) → run the change → append its typed events → store the
//   answer with the key → commit.
// A crash anywhere leaves either nothing or all of it (change, events, answer), so a retry
// with the same key after a crash gets the stored answer and the change happens once.
// The change refuses by throwing a Refused (kernel/refusals.ts): the transaction rolls back
// and the wire family answers it. Deadlocks and serialization failures re-run the whole
// command from scratch (bounded), so a change must not keep state outside its transaction.
import type { Ctx } from '../../platform/context.ts';
import { inTransaction, type Tx } from '../../store/db.ts';
import { appendEvents, type EventInput } from '../events/index.ts';
import { claimKey, storeAnswer, type IdempotencyKey, type StoredAnswer } from './idempotency.ts';

export interface CommandScope {
  tx: Tx;
  /** Deployment-clock time of the command (one value for every row it writes). */
  now: number;
  /** Queue an event; it is appended to the outbox after the change, in the same transaction. */
  emit(event: EventInput): void;
  /**
   * Append the events queued so far now. A change that ends by moving money calls it before
   * its ledger entry, so the entry's locks on hot balance rows are the last taken before commit.
   */
  flushEvents(): Promise<void>;
}

/** What the caller (a wire family) adds to a command: its key and how its answer is written. */
export interface CommandOptions<T> {
  idempotency?: IdempotencyKey & { answer: (result: T) => StoredAnswer };
}

export async function runCommand<T>(ctx: Ctx, options: CommandOptions<T> | undefined, change: (scope: CommandScope) => Promise<T>, now?: number): Promise<T> {
  const at = now ?? (await ctx.clock.now());
  const key = options?.idempotency;
  const result = await inTransaction(ctx.store, async (tx) => {
    if (key) await claimKey(tx, key, at);
    const events: EventInput[] = [];
    const flushEvents = async () => {
      if (events.length) await appendEvents(tx, events.splice(0), at);
    };
    const value = await change({ tx, now: at, emit: (event) => void events.push(event), flushEvents });
    await flushEvents();
    if (key) await storeAnswer(tx, key, key.answer(value));
    return value;
  });
  if (key && ctx.config.testFault === 'crash_after_commit') {
    // Durable first (a SQLite command's commit is its batch's, see store/commit-batch.ts).
    await ctx.store.settle();
    process.kill(process.pid, 'SIGKILL');
  }
  return result;
}
