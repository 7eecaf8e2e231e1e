// Holds: two-phase ledger entries, as TigerBeetle's pending transfers. postPending reserves an
// amount on the debit account (its held amount rises, its balance does not move, so its
// available balance drops at once and the money cannot be spent twice); then exactly one of
// postPendingCommit (the full amount or less, as one journal entry; the rest is released) or
// voidPending (all released). The hold row is the arbiter: both resolve it with a guarded
// UPDATE … WHERE state = 'pending', so of a commit and a void racing (or two commits) one wins
// and the other is refused (hold_already_posted / hold_already_voided). A hold with a deadline cannot be committed
// after it; the expiry tick voids it.
//
// Fits card payments: authorize = postPending (card holder's wallet → merchant), capture =
// postPendingCommit (partial capture: a smaller amount; the merchant's fee: `credits`), void
// or reversal = voidPending, authorization expiry = expiresAt + voidExpiredHolds.
//
// Lock order, as postEntry's: the hold row first, then account rows in account-id order.
import { newRowId } from '../../kernel/ids.ts';
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { assertMinor } from '../../kernel/money.ts';
import { accountChanges, commitPostings, holdRefusal, type HoldCredit, type Posting } from './model.ts';
import { applyAccountChanges, postEntryReleasing } from './service.ts';
import { inTransaction, type Db, type Store, type Tx } from '../../store/db.ts';
import { claimHoldForCommit, claimHoldForVoid, findAccountCurrencies, findDueHoldIds, findHoldRow, insertHold, type HoldRow } from './repo.ts';
import type { Clock } from '../../platform/clock.ts';

export type { HoldRow } from './repo.ts';

export interface PendingInput {
  /** Chosen by the caller when other rows must name the hold before it is placed. */
  id?: string;
  kind: string;
  description: string;
  referenceId?: string | null;
  debitAccountId: string;
  creditAccountId: string;
  currency: string;
  amountMinor: number;
  /** Deployment-clock deadline: from this instant a commit is refused and the hold is voided. */
  expiresAt?: number | null;
  now: number;
}

/** Reserve `amountMinor` on the debit account (refused with insufficient_funds when its available balance is short). */
export async function postPending(tx: Tx, input: PendingInput): Promise<HoldRow> {
  assertMinor(input.amountMinor);
  if (input.amountMinor <= 0) throw new InvariantError('a hold must reserve a positive amount');
  if (input.debitAccountId === input.creditAccountId) throw new InvariantError('a hold needs two different accounts');
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && expiresAt <= input.now) throw new InvariantError('a hold must expire after it is placed');
  const accounts = await findAccountCurrencies(tx, [input.debitAccountId, input.creditAccountId]);
  if (accounts.length !== 2 || accounts.some((a) => a.currency !== input.currency))
    throw new InvariantError(`hold accounts missing or not in ${input.currency}`);
  const hold: HoldRow = {
    id: input.id ?? newRowId(),
    kind: input.kind,
    description: input.description.slice(0, 500),
    reference_id: input.referenceId ?? null,
    debit_account_id: input.debitAccountId,
    credit_account_id: input.creditAccountId,
    currency: input.currency,
    amount_minor: input.amountMinor,
    state: 'pending',
    posted_minor: null,
    entry_id: null,
    expires_at: expiresAt,
    created_at: input.now,
    resolved_at: null,
  };
  await insertHold(tx, hold);
  // The account last (its row is the contended one), guarded like a debit: balance − held ≥ 0.
  await applyAccountChanges(tx, accountChanges([], [{ accountId: hold.debit_account_id, currency: hold.currency, amountMinor: hold.amount_minor }]));
  return hold;
}

export interface CommitInput {
  /** What is moved: the full held amount when omitted; less is a partial commit (the rest is released). */
  amountMinor?: number;
  /** Where it goes, summing to the amount; by default all to the hold's credit account. */
  credits?: readonly HoldCredit[];
  /** The journal entry: its id (when other rows must name it), kind and description (the hold's by default). */
  entryId?: string;
  kind?: string;
  description?: string;
  now: number;
}

/** Commit a pending hold once: one journal entry moves the amount and the whole hold is released. */
export async function postPendingCommit(tx: Tx, holdId: string, input: CommitInput): Promise<{ hold: HoldRow; entryId: string }> {
  const seen = await findHold(tx, holdId);
  // Refuse early from what was read; the guarded UPDATE below is the real check.
  const early = holdRefusal(seen.state, 'commit', seen.expires_at, input.now);
  if (early) refuse(early);
  const postings = commitPostings(
    { debitAccountId: seen.debit_account_id, creditAccountId: seen.credit_account_id, currency: seen.currency, amountMinor: seen.amount_minor },
    input.amountMinor,
    input.credits,
  );
  const amountMinor = -postings[0]!.amountMinor;
  const entryId = input.entryId ?? newRowId();
  const hold = await claimHoldForCommit(tx, holdId, { posted_minor: amountMinor, entry_id: entryId, now: input.now });
  if (!hold) return refuseAfterRace(tx, holdId, 'commit', input.now);
  await postEntryReleasing(
    tx,
    {
      id: entryId,
      kind: input.kind ?? hold.kind,
      description: input.description ?? hold.description,
      referenceId: hold.reference_id,
      postings,
      now: input.now,
    },
    [released(hold)],
  );
  return { hold, entryId };
}

/** Void a pending hold once (expired or not): the whole amount is released, nothing moves. */
export async function voidPending(tx: Tx, holdId: string, input: { now: number }): Promise<HoldRow> {
  const hold = await claimHoldForVoid(tx, holdId, input.now);
  if (!hold) return refuseAfterRace(tx, holdId, 'void', input.now);
  await applyAccountChanges(tx, accountChanges([], [released(hold)]));
  return hold;
}

export async function findHold(db: Db | Tx, holdId: string): Promise<HoldRow> {
  const hold = await findHoldRow(db, holdId);
  if (!hold) throw new NotFoundError('Reserva de fondos no encontrada.');
  return hold;
}

export interface ExpiryOptions {
  /** Holds voided per tick at most. */
  limit?: number;
  /**
   * Runs in the transaction that voids each hold: the owning capability (a card payment whose
   * authorization lapsed) updates its own row and appends its event there.
   */
  onVoided?: (tx: Tx, hold: HoldRow) => Promise<void>;
}

/**
 * The expiry tick: void every pending hold whose deadline has passed on the deployment clock,
 * each in its own transaction. A hold committed or voided meanwhile is left as it is.
 */
export async function voidExpiredHolds(ctx: { store: Store; clock: Clock }, options: ExpiryOptions = {}): Promise<number> {
  const now = await ctx.clock.now();
  const due = await findDueHoldIds(ctx.store.db, now, options.limit ?? 500);
  let voided = 0;
  for (const { id } of due) {
    const done = await inTransaction(ctx.store, async (tx) => {
      const hold = await claimHoldForVoid(tx, id, now, now);
      if (!hold) return false;
      await applyAccountChanges(tx, accountChanges([], [released(hold)]));
      await options.onVoided?.(tx, hold);
      return true;
    });
    if (done) voided++;
  }
  return voided;
}

/** The held amount a resolved hold gives back to its debit account. */
function released(hold: HoldRow): Posting {
  return { accountId: hold.debit_account_id, currency: hold.currency, amountMinor: -hold.amount_minor };
}

/** The guarded UPDATE found no pending hold: refuse with why, from the committed state. */
async function refuseAfterRace(tx: Tx, holdId: string, action: 'commit' | 'void', now: number): Promise<never> {
  const hold = await findHold(tx, holdId);
  const refusal = holdRefusal(hold.state, action, hold.expires_at, now);
  if (!refusal) throw new InvariantError(`hold ${holdId} is ${hold.state} but its ${action} was not applied`);
  return refuse(refusal);
}
