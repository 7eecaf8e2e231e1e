// What the console and the wallet API show of batches and items: a page of batches, one batch
// with its items.
import { NotFoundError } from '../../kernel/errors.ts';
import { formatAmount, sumMinor, type Currency } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../store/db.ts';
import { feeFor, feeRuleTable, type FeeRule } from '../fees/index.ts';
import { findUsersByIds } from '../identity/index.ts';
import { bankByCode } from './banks.ts';
import { PAYOUT_MESSAGES } from './rules.ts';
import { feeOperationFor, PAYOUT_TYPES, type PayoutBatchState, type PayoutItemState, type PayoutType } from './model.ts';
import { countItemsByState, findBatchById, findItemAmounts, findItemsOfBatches, listBatchRows, type PayoutBatchRow, type PayoutItemRow } from './repo.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export interface PayoutItemView {
  ref: string;
  type: PayoutType;
  status: PayoutItemState;
  reference: string;
  nameAccount: string;
  identificationNumber: string;
  bankAccount: string;
  bankCode: string;
  bankName: string;
  currency: Currency;
  amount: string;
  fee: string;
  failureReason: string | null;
  createdAt: string;
  submittedAt: string | null;
  settleAfter: string | null;
  paidAt: string | null;
  failedAt: string | null;
}

export interface PayoutBatchView {
  id: string;
  state: PayoutBatchState;
  currency: Currency;
  itemCount: number;
  /** Sum of the items. */
  total: string;
  /** Sum of the fees: fixed on submit; while pending upload, an estimate with today's schedule. */
  fee: string;
  /** What submitting debits (or debited): total + fee. */
  totalCharged: string;
  feeIsEstimate: boolean;
  counts: Record<PayoutItemState, number>;
  createdAt: string;
  submittedAt: string | null;
  settledAt: string | null;
  ownerUserId?: string;
  ownerUsername?: string;
  items?: PayoutItemView[];
}

function itemView(row: PayoutItemRow, feeMinor = row.fee_minor): PayoutItemView {
  const currency = row.currency as Currency;
  return {
    ref: row.ref,
    type: row.type,
    status: row.state,
    reference: row.reference,
    nameAccount: row.name_account,
    identificationNumber: row.identification_number,
    bankAccount: row.bank_account,
    bankCode: row.bank_code,
    bankName: bankByCode(row.bank_code)?.name ?? row.bank_code,
    currency,
    amount: formatAmount(row.amount_minor, currency),
    fee: formatAmount(feeMinor, currency),
    failureReason: row.failure_reason,
    createdAt: iso(row.created_at),
    submittedAt: isoOrNull(row.submitted_at),
    settleAfter: isoOrNull(row.settle_after),
    paidAt: isoOrNull(row.paid_at),
    failedAt: isoOrNull(row.failed_at),
  };
}

/** Today's payout fee rules of a currency. */
export async function feeRules(db: Db | Tx, currency: Currency): Promise<Record<PayoutType, FeeRule>> {
  return (await feeRulesByCurrency(db, [currency])).get(currency)!;
}

/** Today's payout fee rules of each currency, in one statement. */
async function feeRulesByCurrency(db: Db | Tx, currencies: readonly Currency[]): Promise<Map<Currency, Record<PayoutType, FeeRule>>> {
  const rule = await feeRuleTable(db, PAYOUT_TYPES.map(feeOperationFor), currencies);
  return new Map(
    currencies.map((c) => [
      c,
      { DISPERSION: rule(feeOperationFor('DISPERSION'), c), DISPERSION_INSTANT_INTERBANK: rule(feeOperationFor('DISPERSION_INSTANT_INTERBANK'), c) },
    ]),
  );
}

/**
 * The views of a page of batches: the item counts, today's fee rules and the items of the
 * batches still pending upload (their fee is an estimate) each read once for the whole page.
 */
async function batchViews(db: Db | Tx, batches: readonly PayoutBatchRow[], withItems: boolean): Promise<PayoutBatchView[]> {
  if (batches.length === 0) return [];
  const ids = batches.map((b) => b.id);
  const grouped = await countItemsByState(db, ids);
  const items = withItems ? await findItemsOfBatches(db, ids) : undefined;
  // While pending upload the fee is an estimate with today's schedule (fixed on submit).
  const pending = batches.filter((b) => b.state === 'pending_upload');
  const rules = pending.length
    ? await feeRulesByCurrency(db, [...new Set(pending.map((b) => b.currency as Currency))])
    : new Map<Currency, Record<PayoutType, FeeRule>>();
  const amounts: Pick<PayoutItemRow, 'batch_id' | 'type' | 'amount_minor' | 'fee_minor'>[] =
    items ??
    (pending.length
      ? await findItemAmounts(
          db,
          pending.map((b) => b.id),
        )
      : []);
  return batches.map((batch) => {
    const currency = batch.currency as Currency;
    const counts: Record<PayoutItemState, number> = { APPROVED: 0, PROCESSING: 0, PAID: 0, FAILED: 0 };
    for (const row of grouped) if (row.batchId === batch.id) counts[row.state] = row.count;
    const batchRules = batch.state === 'pending_upload' ? rules.get(currency) : undefined;
    const feeOf = (item: Pick<PayoutItemRow, 'type' | 'amount_minor' | 'fee_minor'>) =>
      batchRules ? feeFor(item.amount_minor, batchRules[item.type]) : item.fee_minor;
    const feeMinor = batchRules ? sumMinor(amounts.filter((a) => a.batch_id === batch.id).map(feeOf)) : batch.fee_minor;
    const batchItems = items?.filter((item) => item.batch_id === batch.id);
    return {
      id: batch.id,
      state: batch.state,
      currency,
      itemCount: batch.item_count,
      total: formatAmount(batch.total_minor, currency),
      fee: formatAmount(feeMinor, currency),
      totalCharged: formatAmount(batch.total_minor + feeMinor, currency),
      feeIsEstimate: batch.state === 'pending_upload',
      counts,
      createdAt: iso(batch.created_at),
      submittedAt: isoOrNull(batch.submitted_at),
      settledAt: isoOrNull(batch.settled_at),
      ...(batchItems ? { items: batchItems.map((item) => itemView(item, feeOf(item))) } : {}),
    };
  });
}

async function batchView(db: Db | Tx, batch: PayoutBatchRow, withItems: boolean): Promise<PayoutBatchView> {
  return (await batchViews(db, [batch], withItems))[0]!;
}

export interface BatchListFilter {
  /** Only this merchant's batches (omit for the operator: every merchant). */
  ownerUserId?: string;
  state?: PayoutBatchState;
  limit?: number;
}

export async function listPayoutBatches(ctx: Ctx, filter: BatchListFilter): Promise<PayoutBatchView[]> {
  const db = ctx.store.db;
  const rows = await listBatchRows(db, { ownerUserId: filter.ownerUserId, state: filter.state, limit: Math.min(Math.max(filter.limit ?? 50, 1), 200) });
  const views = await batchViews(db, rows, false);
  if (filter.ownerUserId) return views;
  // The operator sees whose batch each is: the page's owners read at once from identity.
  const usernames = new Map((await findUsersByIds(db, [...new Set(rows.map((row) => row.owner_user_id))], ['id', 'username'])).map((u) => [u.id, u.username]));
  return views.map((view, i) => ({ ...view, ownerUserId: rows[i]!.owner_user_id, ownerUsername: usernames.get(rows[i]!.owner_user_id) ?? '' }));
}

async function withOwner(db: Db | Tx, row: PayoutBatchRow, view: PayoutBatchView, include: boolean): Promise<PayoutBatchView> {
  if (!include) return view;
  const [owner] = await findUsersByIds(db, [row.owner_user_id], ['username']);
  return { ...view, ownerUserId: row.owner_user_id, ownerUsername: owner?.username ?? '' };
}

/** One batch with its items; another merchant's batch is "not found". */
export async function getPayoutBatch(ctx: Ctx, batchId: string, ownerUserId?: string): Promise<PayoutBatchView> {
  const row = await findBatch(ctx.store.db, batchId, ownerUserId);
  return withOwner(ctx.store.db, row, await batchView(ctx.store.db, row, true), !ownerUserId);
}

/** A batch (with `ownerUserId`, only that merchant's), or "not found". */
export async function findBatch(db: Db | Tx, batchId: string, ownerUserId?: string): Promise<PayoutBatchRow> {
  const row = await findBatchById(db, batchId, ownerUserId);
  if (!row) throw new NotFoundError(PAYOUT_MESSAGES.batchNotFound.es, 'payouts.batchNotFound');
  return row;
}
