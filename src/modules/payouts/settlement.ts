// Pay or fail an item (settlement worker, the operator's bank answer), and settle a batch
// once none of its items is open.
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import type { Currency } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../store/db.ts';
import { runCommand, type CommandScope } from '../commands/index.ts';
import type { Posting } from '../ledger/index.ts';
import { postEntry, SYSTEM_ACCOUNTS, systemAccount } from '../ledger/index.ts';
import { itemEvent } from './item-events.ts';
import { itemTransition, type PayoutCode } from './model.ts';
import { PAYOUT_MESSAGES } from './rules.ts';
import {
  countOpenItems,
  findDueItems,
  findItemsByIds,
  getItemById,
  locateItem,
  lockBatchRow,
  markBatchSettled,
  updateItemFrom,
  type PayoutBatchRow,
  type PayoutItemRow,
} from './repo.ts';

export const DEFAULT_FAILURE_REASON = 'Rechazado por el banco.';

export type ItemOutcome =
  | { kind: 'applied'; item: PayoutItemRow }
  | { kind: 'unchanged'; item: PayoutItemRow }
  | { kind: 'refused'; item: PayoutItemRow; message: string; code: PayoutCode }
  | { kind: 'unknown' };

/**
 * Pay (`pay`) or fail (`fail`) one item, in its own transaction. The batch row is taken
 * first, then the item is read again, so its state is the committed one and two callers
 * (two workers, a worker and an operator's import) apply a change once.
 */
export async function transitionPayoutItem(
  ctx: Ctx,
  find: { id: string } | { ref: string; batchId: string },
  transition: 'pay' | 'fail',
  options: { now?: number; reason?: string | null } = {},
): Promise<ItemOutcome> {
  const now = options.now ?? (await ctx.clock.now());
  return runCommand(
    ctx,
    undefined,
    async (scope): Promise<ItemOutcome> => {
      const { tx } = scope;
      const located = await locateItem(tx, find);
      if (!located) return { kind: 'unknown' };
      const batch = await lockBatch(tx, located.batch_id);
      const item = await getItemById(tx, located.id);
      const outcome = await applyItemTransition(scope, batch, item, transition, options.reason ?? null);
      if (outcome.kind === 'applied') await settleBatchIfDone(tx, batch.id, now);
      return outcome;
    },
    now,
  );
}

/**
 * Move one item (read under its batch's lock) and its money. The caller holds the batch row
 * and settles the batch afterwards.
 */
async function applyItemTransition(
  scope: CommandScope,
  batch: PayoutBatchRow,
  item: PayoutItemRow,
  transition: 'pay' | 'fail',
  reason: string | null,
): Promise<ItemOutcome> {
  const { tx, now } = scope;
  const next = itemTransition(item.state, transition);
  if (next.kind === 'unchanged') return { kind: 'unchanged', item };
  if (next.kind === 'refused') return { kind: 'refused', item, message: next.message, code: next.code };

  const currency = item.currency as Currency;
  const changes: Partial<PayoutItemRow> =
    next.to === 'PAID'
      ? { state: 'PAID', paid_at: now }
      : { state: 'FAILED', failed_at: now, failure_reason: (reason ?? '').trim().slice(0, 300) || DEFAULT_FAILURE_REASON };
  if (!(await updateItemFrom(tx, item.id, item.state, changes))) throw new InvariantError(`payout item ${item.ref} changed under the batch lock`);

  const bank = await systemAccount(tx, SYSTEM_ACCOUNTS.bankSettlement, currency, now);
  if (next.to === 'PAID') {
    const clearing = await systemAccount(tx, SYSTEM_ACCOUNTS.payoutClearing, currency, now);
    await postEntry(tx, {
      kind: 'payout_paid',
      description: `Dispersión ${item.ref} pagada`,
      referenceId: item.id,
      postings: [
        { accountId: clearing.id, currency, amountMinor: -item.amount_minor },
        { accountId: bank.id, currency, amountMinor: item.amount_minor },
      ],
      now,
    });
  } else {
    // The money comes back from wherever it is: clearing (not yet paid) or the bank (a return),
    // and the item's fee with it.
    const source = item.state === 'PAID' ? bank : await systemAccount(tx, SYSTEM_ACCOUNTS.payoutClearing, currency, now);
    if (!batch.debit_account_id) throw new InvariantError(`payout batch ${batch.id} has no debited account`);
    const postings: Posting[] = [
      { accountId: source.id, currency, amountMinor: -item.amount_minor },
      { accountId: batch.debit_account_id, currency, amountMinor: item.amount_minor },
    ];
    if (item.fee_minor > 0) {
      const platformFees = await systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, currency, now);
      postings.push(
        { accountId: platformFees.id, currency, amountMinor: -item.fee_minor },
        { accountId: batch.debit_account_id, currency, amountMinor: item.fee_minor },
      );
    }
    await postEntry(tx, { kind: 'payout_failed', description: `Dispersión ${item.ref} devuelta`, referenceId: item.id, postings, now });
  }
  const after = { ...item, ...changes } as PayoutItemRow;
  scope.emit(itemEvent(after, 'payout_item.updated', item.state));
  return { kind: 'applied', item: after };
}

/** Take the batch row (a no-op guarded UPDATE: a row lock on PostgreSQL) and read it. */
async function lockBatch(tx: Tx, batchId: string): Promise<PayoutBatchRow> {
  const row = await lockBatchRow(tx, batchId);
  if (!row) throw new NotFoundError(PAYOUT_MESSAGES.batchNotFound.es, 'payouts.batchNotFound');
  return row;
}

async function settleBatchIfDone(tx: Tx, batchId: string, now: number): Promise<void> {
  if ((await countOpenItems(tx, batchId)) === 0) await markBatchSettled(tx, batchId, now);
}

/** Items paid per transaction by the settlement worker. */
export const SETTLEMENT_CHUNK = 100;

/**
 * The settlement worker's tick: pay every PROCESSING item that is due on the deployment clock
 * (DISPERSION_INSTANT_INTERBANK at once, DISPERSION 24 h after submission). Due items are paid
 * per batch, up to SETTLEMENT_CHUNK in one transaction (each with its own journal entry and
 * event); an item another worker or the operator changed meanwhile is left as it is.
 */
export async function settleDuePayouts(ctx: Ctx, limit = 500): Promise<number> {
  const now = await ctx.clock.now();
  const due = await findDueItems(ctx.store.db, now, limit);
  const byBatch = new Map<string, string[]>();
  for (const { id, batch_id } of due) byBatch.set(batch_id, [...(byBatch.get(batch_id) ?? []), id]);
  let paid = 0;
  for (const [batchId, ids] of byBatch) {
    for (let i = 0; i < ids.length; i += SETTLEMENT_CHUNK) {
      const chunk = ids.slice(i, i + SETTLEMENT_CHUNK);
      paid += await runCommand(
        ctx,
        undefined,
        async (scope) => {
          const { tx } = scope;
          const batch = await lockBatch(tx, batchId);
          const items = await findItemsByIds(tx, chunk);
          let applied = 0;
          for (const item of items) {
            if (item.state !== 'PROCESSING' || item.settle_after === null || item.settle_after > now) continue;
            if ((await applyItemTransition(scope, batch, item, 'pay', null)).kind === 'applied') applied++;
          }
          if (applied) await settleBatchIfDone(tx, batchId, now);
          return applied;
        },
        now,
      );
    }
  }
  return paid;
}
