// Bulk payouts ("dispersión", "pagos masivos"): the merchant registers items through the
// wallet API into its batch pending upload, submits the batch from the console (one debit of
// items + fees), and the settlement worker or the operator's bank answer pays or fails each
// item.
//
// Money (every movement one balanced journal entry):
//   submit   merchant wallet −(items + fees) → payout clearing +items, platform fees +fees
//   paid     payout clearing −amount → bank settlement +amount (the money left to the bank)
//   failed   payout clearing −amount (or bank settlement −amount for a bank return of a paid
//            item) and platform fees −fee → merchant wallet +(amount + fee): the fee of a
//            failed item is refunded.
//
// Concurrency: every change of a batch or its items first takes the batch row (a guarded
// UPDATE, which is a row lock on PostgreSQL and runs under the single writer on SQLite), then
// the items, then the ledger accounts — one order everywhere, and each state is checked again
// after the lock, so submitting twice charges once and an item is paid or failed once.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { bankByCode } from './banks.ts';
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { feeFor, type FeeRule } from '../fees/model.ts';
import type { Posting } from '../ledger/model.ts';
import { DEFAULT_CURRENCY, formatAmount, MAX_AMOUNT_MINOR, sumMinor, type Currency } from '../../kernel/money.ts';
import {
  BANK_FILE_HEADER,
  csvLine,
  feeOperationFor,
  itemTransition,
  MAX_ITEMS_PER_BATCH,
  parseBankAnswer,
  PAYOUT_TYPES,
  settleAfter,
  type BankAnswerProblem,
  type PayoutBatchState,
  type PayoutItemState,
  type PayoutType,
} from './model.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { PayoutBatchesTable, PayoutItemsTable } from '../../store/schema-payouts.ts';
import type { Ctx } from '../../platform/context.ts';
import { dailyReference } from '../../store/sequences.ts';
import { runCommand, type CommandOptions, type CommandScope } from '../commands/index.ts';
import type { EventInput } from '../events/index.ts';
import { feeRuleTable } from '../fees/service.ts';
import { postEntry, SYSTEM_ACCOUNTS, systemAccount, walletAccount } from '../ledger/service.ts';

export type PayoutBatchRow = PayoutBatchesTable;
export type PayoutItemRow = PayoutItemsTable;

/** Bank payouts go to Venezuelan bank accounts: bolívares. */
export const PAYOUT_CURRENCY: Currency = DEFAULT_CURRENCY;

export const DEFAULT_FAILURE_REASON = 'Rechazado por el banco.';

// --- Register an item (wallet API) ------------------------------------------------------

export interface PayoutCaller {
  userId: string;
  appId: string | null;
}

/** A payout item as the merchant asked for it (checked, amount exact). */
export interface PayoutItemInput {
  type: PayoutType;
  reference: string;
  nameAccount: string;
  identificationNumber: string;
  identification: string;
  bankAccount: string;
  bankCode: string;
  amountMinor: number;
}

/**
 * `POST /api/multipayment/register-item.json`: add an item to the merchant's batch pending
 * upload (opened if there is none). Items of both types share the batch; each item keeps its
 * own type, fee and settlement time.
 */
export async function registerPayoutItem(ctx: Ctx, caller: PayoutCaller, fields: PayoutItemInput, options?: CommandOptions<PayoutItemRow>): Promise<PayoutItemRow> {
  const now = await ctx.clock.now();
  // Drawn before the transaction (see sequences.ts).
  const ref = await nextPayoutRef(ctx.store.db, now);
  return runCommand(ctx, options, async ({ tx, emit }) => {
    const batchId = await claimPendingBatch(tx, caller, fields.amountMinor, now);
    const item: PayoutItemRow = {
      id: randomUUID(),
      ref,
      batch_id: batchId,
      owner_user_id: caller.userId,
      app_id: caller.appId,
      type: fields.type,
      reference: fields.reference,
      name_account: fields.nameAccount,
      identification_number: fields.identificationNumber,
      identification: fields.identification,
      bank_account: fields.bankAccount,
      bank_code: fields.bankCode,
      currency: PAYOUT_CURRENCY,
      amount_minor: fields.amountMinor,
      fee_minor: 0,
      state: 'APPROVED',
      settle_after: null,
      failure_reason: null,
      created_at: now,
      submitted_at: null,
      paid_at: null,
      failed_at: null,
    };
    await tx.insertInto('payout_items').values(item).execute();
    emit(itemEvent(item, 'payout_item.created'));
    return item;
  }, now);
}

/**
 * The merchant's batch pending upload, with this item counted in (the UPDATE takes the batch
 * row, so a submit running at the same time either sees this item or makes us open a new batch).
 */
async function claimPendingBatch(tx: Tx, caller: PayoutCaller, amountMinor: number, now: number): Promise<string> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const open = await tx
      .selectFrom('payout_batches')
      .select(['id', 'item_count'])
      .where('owner_user_id', '=', caller.userId)
      .where('currency', '=', PAYOUT_CURRENCY)
      .where('state', '=', 'pending_upload')
      .executeTakeFirst();
    if (!open) {
      // The partial unique index keeps one pending batch per merchant: a concurrent opener wins
      // and we use its batch on the next pass.
      await tx
        .insertInto('payout_batches')
        .values({
          id: randomUUID(),
          owner_user_id: caller.userId,
          app_id: caller.appId,
          currency: PAYOUT_CURRENCY,
          state: 'pending_upload',
          item_count: 0,
          total_minor: 0,
          fee_minor: 0,
          debit_account_id: null,
          entry_id: null,
          created_at: now,
          submitted_at: null,
          settled_at: null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      continue;
    }
    const counted = await tx
      .updateTable('payout_batches')
      .set({ item_count: sql`item_count + 1`, total_minor: sql`total_minor + ${amountMinor}` })
      .where('id', '=', open.id)
      .where('state', '=', 'pending_upload')
      .where('item_count', '<', MAX_ITEMS_PER_BATCH)
      // A batch total stays a safe amount, so every sum over it (with fees) stays exact.
      .where(sql<boolean>`total_minor + ${amountMinor} <= ${MAX_AMOUNT_MINOR}`)
      .executeTakeFirst();
    if (Number(counted.numUpdatedRows) === 1) return open.id;
    const again = await tx.selectFrom('payout_batches').select(['state', 'item_count', 'total_minor']).where('id', '=', open.id).executeTakeFirst();
    if (again?.state === 'pending_upload' && again.item_count >= MAX_ITEMS_PER_BATCH) {
      refuse({ code: 'batch_full', maxItems: MAX_ITEMS_PER_BATCH });
    }
    if (again?.state === 'pending_upload' && again.total_minor + amountMinor > MAX_AMOUNT_MINOR) {
      refuse({ code: 'batch_total_exceeded' });
    }
    // submitted meanwhile: open a new one
  }
  throw new InvariantError('could not claim a pending payout batch');
}

/** `MP` + yymmdd + the day's next number (five digits at least). */
export function nextPayoutRef(db: Db | Tx, now: number): Promise<string> {
  return dailyReference(db, 'MP', now, 5);
}

// --- Views ------------------------------------------------------------------------------

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

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

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
    createdAt: new Date(row.created_at).toISOString(),
    submittedAt: iso(row.submitted_at),
    settleAfter: iso(row.settle_after),
    paidAt: iso(row.paid_at),
    failedAt: iso(row.failed_at),
  };
}

async function feeRules(db: Db | Tx, currency: Currency): Promise<Record<PayoutType, FeeRule>> {
  return (await feeRulesByCurrency(db, [currency])).get(currency)!;
}

/** Today's payout fee rules of each currency, in one statement. */
async function feeRulesByCurrency(db: Db | Tx, currencies: readonly Currency[]): Promise<Map<Currency, Record<PayoutType, FeeRule>>> {
  const rule = await feeRuleTable(db, PAYOUT_TYPES.map(feeOperationFor), currencies);
  return new Map(currencies.map((c) => [c, { DISPERSION: rule(feeOperationFor('DISPERSION'), c), DISPERSION_INSTANT_INTERBANK: rule(feeOperationFor('DISPERSION_INSTANT_INTERBANK'), c) }]));
}

/**
 * The views of a page of batches: the item counts, today's fee rules and the items of the
 * batches still pending upload (their fee is an estimate) each read once for the whole page.
 */
async function batchViews(db: Db | Tx, batches: readonly PayoutBatchRow[], withItems: boolean): Promise<PayoutBatchView[]> {
  if (batches.length === 0) return [];
  const ids = batches.map((b) => b.id);
  const grouped = await db
    .selectFrom('payout_items')
    .select(['batch_id', 'state'])
    .select(sql<number | string>`count(*)`.as('n'))
    .where('batch_id', 'in', ids)
    .groupBy(['batch_id', 'state'])
    .execute();
  const items = withItems ? ((await db.selectFrom('payout_items').selectAll().where('batch_id', 'in', ids).orderBy('ref').execute()) as PayoutItemRow[]) : undefined;
  // While pending upload the fee is an estimate with today's schedule (fixed on submit).
  const pending = batches.filter((b) => b.state === 'pending_upload');
  const rules = pending.length ? await feeRulesByCurrency(db, [...new Set(pending.map((b) => b.currency as Currency))]) : new Map<Currency, Record<PayoutType, FeeRule>>();
  const amounts: Pick<PayoutItemRow, 'batch_id' | 'type' | 'amount_minor' | 'fee_minor'>[] =
    items ?? (pending.length ? await db.selectFrom('payout_items').select(['batch_id', 'type', 'amount_minor', 'fee_minor']).where('batch_id', 'in', pending.map((b) => b.id)).execute() : []);
  return batches.map((batch) => {
    const currency = batch.currency as Currency;
    const counts: Record<PayoutItemState, number> = { APPROVED: 0, PROCESSING: 0, PAID: 0, FAILED: 0 };
    for (const row of grouped) if (row.batch_id === batch.id) counts[row.state] = Number(row.n);
    const batchRules = batch.state === 'pending_upload' ? rules.get(currency) : undefined;
    const feeOf = (item: Pick<PayoutItemRow, 'type' | 'amount_minor' | 'fee_minor'>) => (batchRules ? feeFor(item.amount_minor, batchRules[item.type]) : item.fee_minor);
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
      createdAt: new Date(batch.created_at).toISOString(),
      submittedAt: iso(batch.submitted_at),
      settledAt: iso(batch.settled_at),
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
  let q = ctx.store.db
    .selectFrom('payout_batches as b')
    .innerJoin('users as u', 'u.id', 'b.owner_user_id')
    .selectAll('b')
    .select('u.username as owner_username')
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id')
    .limit(Math.min(Math.max(filter.limit ?? 50, 1), 200));
  if (filter.ownerUserId) q = q.where('b.owner_user_id', '=', filter.ownerUserId);
  if (filter.state) q = q.where('b.state', '=', filter.state);
  const rows = await q.execute();
  const views = await batchViews(ctx.store.db, rows.map(({ owner_username, ...row }) => row as PayoutBatchRow), false);
  return views.map((view, i) => (filter.ownerUserId ? view : { ...view, ownerUserId: rows[i]!.owner_user_id, ownerUsername: rows[i]!.owner_username }));
}

async function withOwner(db: Db | Tx, row: PayoutBatchRow, view: PayoutBatchView, include: boolean): Promise<PayoutBatchView> {
  if (!include) return view;
  const owner = await db.selectFrom('users').select('username').where('id', '=', row.owner_user_id).executeTakeFirst();
  return { ...view, ownerUserId: row.owner_user_id, ownerUsername: owner?.username ?? '' };
}

/** One batch with its items; another merchant's batch is "not found". */
export async function getPayoutBatch(ctx: Ctx, batchId: string, ownerUserId?: string): Promise<PayoutBatchView> {
  const row = await findBatch(ctx.store.db, batchId, ownerUserId);
  return withOwner(ctx.store.db, row, await batchView(ctx.store.db, row, true), !ownerUserId);
}

async function findBatch(db: Db | Tx, batchId: string, ownerUserId?: string): Promise<PayoutBatchRow> {
  let q = db.selectFrom('payout_batches').selectAll().where('id', '=', batchId);
  if (ownerUserId) q = q.where('owner_user_id', '=', ownerUserId);
  const row = (await q.executeTakeFirst()) as PayoutBatchRow | undefined;
  if (!row) throw new NotFoundError('Lote no encontrado.');
  return row;
}

// --- Submit (console) -------------------------------------------------------------------

/**
 * Submit the merchant's batch: one transaction moves it to `submitted` with a guarded UPDATE
 * (only from pending_upload), fixes each item's fee with today's schedule, debits the wallet
 * for items + fees, and moves every item to PROCESSING. Insufficient funds → 400 and nothing
 * changes; a second submit (even a concurrent one) is refused, never charged.
 */
export async function submitPayoutBatch(ctx: Ctx, ownerUserId: string, batchId: string): Promise<PayoutBatchView> {
  const now = await ctx.clock.now();
  await runCommand(ctx, undefined, async ({ tx, emit }) => {
    const claimed = await tx
      .updateTable('payout_batches')
      .set({ state: 'submitted', submitted_at: now })
      .where('id', '=', batchId)
      .where('owner_user_id', '=', ownerUserId)
      .where('state', '=', 'pending_upload')
      .returning(['currency', 'item_count', 'total_minor', 'app_id'])
      .executeTakeFirst();
    if (!claimed) {
      await findBatch(tx, batchId, ownerUserId); // 404 for an unknown or foreign batch
      refuse({ code: 'batch_already_submitted' });
    }
    const currency = claimed.currency as Currency;
    const items = (await tx.selectFrom('payout_items').selectAll().where('batch_id', '=', batchId).orderBy('ref').execute()) as PayoutItemRow[];
    if (items.length === 0) refuse({ code: 'batch_empty' });
    if (items.some((i) => i.state !== 'APPROVED') || items.length !== claimed.item_count) {
      throw new InvariantError(`payout batch ${batchId}: ${items.length} items, ${claimed.item_count} counted`);
    }
    const rules = await feeRules(tx, currency);
    const fees = items.map((item) => feeFor(item.amount_minor, rules[item.type]));
    const totalMinor = sumMinor(items.map((item) => item.amount_minor));
    const feeMinor = sumMinor(fees);
    if (totalMinor !== claimed.total_minor) throw new InvariantError(`payout batch ${batchId}: items sum ${totalMinor}, batch total ${claimed.total_minor}`);

    // Fail fast on an obviously short wallet; postEntry's guarded UPDATE below is the real check.
    const wallet = await walletAccount(tx, ownerUserId, currency, now);
    if (wallet.balance_minor - wallet.held_minor < totalMinor + feeMinor) refuse({ code: 'insufficient_funds' });

    // Items first (the batch row is already ours), one UPDATE per type with the fee computed in
    // SQL by the same integer formula as feeFor; every fee is then checked against feeFor.
    for (const type of PAYOUT_TYPES) {
      if (!items.some((item) => item.type === type)) continue;
      const next = itemTransition('APPROVED', 'submit');
      if (next.kind !== 'apply') throw new InvariantError('APPROVED items cannot be submitted');
      const rule = rules[type];
      await tx
        .updateTable('payout_items')
        .set({
          state: next.to,
          fee_minor: sql<number>`(amount_minor * cast(${rule.percentBasisPoints} as integer) + 5000) / 10000 + cast(${rule.fixedMinor} as bigint)`,
          submitted_at: now,
          settle_after: settleAfter(type, now),
        })
        .where('batch_id', '=', batchId)
        .where('state', '=', 'APPROVED')
        .where('type', '=', type)
        .execute();
    }
    const submitted = (await tx.selectFrom('payout_items').selectAll().where('batch_id', '=', batchId).orderBy('ref').execute()) as PayoutItemRow[];
    for (const [i, item] of submitted.entries()) {
      if (item.id !== items[i]!.id || item.state !== 'PROCESSING' || Number(item.fee_minor) !== fees[i]) {
        throw new InvariantError(`payout item ${item.ref}: ${item.state}, fee ${item.fee_minor} (expected PROCESSING, ${fees[i]})`);
      }
      emit(itemEvent(item, 'payout_item.updated', 'APPROVED'));
    }

    // The ledger last: the shared accounts (payout clearing, platform fees) stay locked only for
    // the end of the transaction.
    const clearing = await systemAccount(tx, SYSTEM_ACCOUNTS.payoutClearing, currency, now);
    const postings: Posting[] = [
      { accountId: wallet.id, currency, amountMinor: -totalMinor },
      { accountId: clearing.id, currency, amountMinor: totalMinor },
    ];
    if (feeMinor > 0) {
      const platformFees = await systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, currency, now);
      postings.push({ accountId: wallet.id, currency, amountMinor: -feeMinor }, { accountId: platformFees.id, currency, amountMinor: feeMinor });
    }
    const entryId = await postEntry(tx, {
      kind: 'payout_batch',
      description: `Dispersión: lote de ${items.length} pago${items.length === 1 ? '' : 's'}`,
      referenceId: batchId,
      postings,
      now,
    });
    await tx.updateTable('payout_batches').set({ fee_minor: feeMinor, debit_account_id: wallet.id, entry_id: entryId }).where('id', '=', batchId).execute();
  });
  return getPayoutBatch(ctx, batchId, ownerUserId);
}

// --- Pay or fail an item (settlement worker, bank answer) -------------------------------

export type ItemOutcome =
  | { kind: 'applied'; item: PayoutItemRow }
  | { kind: 'unchanged'; item: PayoutItemRow }
  | { kind: 'refused'; item: PayoutItemRow; message: string }
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
  return runCommand(ctx, undefined, async (scope): Promise<ItemOutcome> => {
    const { tx } = scope;
    const located = await (
      'id' in find
        ? tx.selectFrom('payout_items').select(['id', 'batch_id']).where('id', '=', find.id)
        : tx.selectFrom('payout_items').select(['id', 'batch_id']).where('ref', '=', find.ref).where('batch_id', '=', find.batchId)
    ).executeTakeFirst();
    if (!located) return { kind: 'unknown' };
    const batch = await lockBatch(tx, located.batch_id);
    const item = (await tx.selectFrom('payout_items').selectAll().where('id', '=', located.id).executeTakeFirstOrThrow()) as PayoutItemRow;
    const outcome = await applyItemTransition(scope, batch, item, transition, options.reason ?? null);
    if (outcome.kind === 'applied') await settleBatchIfDone(tx, batch.id, now);
    return outcome;
  }, now);
}

/**
 * Move one item (read under its batch's lock) and its money. The caller holds the batch row
 * and settles the batch afterwards.
 */
async function applyItemTransition(scope: CommandScope, batch: PayoutBatchRow, item: PayoutItemRow, transition: 'pay' | 'fail', reason: string | null): Promise<ItemOutcome> {
  const { tx, now } = scope;
  const next = itemTransition(item.state, transition);
  if (next.kind === 'unchanged') return { kind: 'unchanged', item };
  if (next.kind === 'refused') return { kind: 'refused', item, message: next.message };

  const currency = item.currency as Currency;
  const changes: Partial<PayoutItemRow> =
    next.to === 'PAID' ? { state: 'PAID', paid_at: now } : { state: 'FAILED', failed_at: now, failure_reason: (reason ?? '').trim().slice(0, 300) || DEFAULT_FAILURE_REASON };
  const updated = await tx.updateTable('payout_items').set(changes).where('id', '=', item.id).where('state', '=', item.state).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new InvariantError(`payout item ${item.ref} changed under the batch lock`);

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
      postings.push({ accountId: platformFees.id, currency, amountMinor: -item.fee_minor }, { accountId: batch.debit_account_id, currency, amountMinor: item.fee_minor });
    }
    await postEntry(tx, { kind: 'payout_failed', description: `Dispersión ${item.ref} devuelta`, referenceId: item.id, postings, now });
  }
  const after = { ...item, ...changes } as PayoutItemRow;
  scope.emit(itemEvent(after, 'payout_item.updated', item.state));
  return { kind: 'applied', item: after };
}

/** Take the batch row (a no-op guarded UPDATE: a row lock on PostgreSQL) and read it. */
async function lockBatch(tx: Tx, batchId: string): Promise<PayoutBatchRow> {
  // A no-op UPDATE takes the row lock on both databases and answers the row in the same trip.
  const row = (await tx.updateTable('payout_batches').set({ item_count: sql`item_count` }).where('id', '=', batchId).returningAll().executeTakeFirst()) as PayoutBatchRow | undefined;
  if (!row) throw new NotFoundError('Lote no encontrado.');
  return row;
}

async function settleBatchIfDone(tx: Tx, batchId: string, now: number): Promise<void> {
  const open = await tx
    .selectFrom('payout_items')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('batch_id', '=', batchId)
    .where('state', 'in', ['APPROVED', 'PROCESSING'])
    .executeTakeFirstOrThrow();
  if (Number(open.n) === 0) {
    await tx.updateTable('payout_batches').set({ state: 'settled', settled_at: now }).where('id', '=', batchId).where('state', '=', 'submitted').execute();
  }
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
  const due = await ctx.store.db
    .selectFrom('payout_items')
    .select(['id', 'batch_id'])
    .where('state', '=', 'PROCESSING')
    .where('settle_after', '<=', now)
    .orderBy('settle_after')
    .orderBy('ref')
    .limit(limit)
    .execute();
  const byBatch = new Map<string, string[]>();
  for (const { id, batch_id } of due) byBatch.set(batch_id, [...(byBatch.get(batch_id) ?? []), id]);
  let paid = 0;
  for (const [batchId, ids] of byBatch) {
    for (let i = 0; i < ids.length; i += SETTLEMENT_CHUNK) {
      const chunk = ids.slice(i, i + SETTLEMENT_CHUNK);
      paid += await runCommand(ctx, undefined, async (scope) => {
        const { tx } = scope;
        const batch = await lockBatch(tx, batchId);
        const items = (await tx.selectFrom('payout_items').selectAll().where('id', 'in', chunk).orderBy('ref').execute()) as PayoutItemRow[];
        let applied = 0;
        for (const item of items) {
          if (item.state !== 'PROCESSING' || item.settle_after === null || item.settle_after > now) continue;
          if ((await applyItemTransition(scope, batch, item, 'pay', null)).kind === 'applied') applied++;
        }
        if (applied) await settleBatchIfDone(tx, batchId, now);
        return applied;
      }, now);
    }
  }
  return paid;
}

// --- The operator's bank file and bank answer -------------------------------------------

function requireSubmitted(batch: PayoutBatchRow): void {
  if (batch.state === 'pending_upload') refuse({ code: 'batch_not_submitted' });
}

/**
 * The bank file of a submitted batch: a header line, then one line per item to pay (FAILED
 * items are left out: their money went back to the merchant), CRLF, UTF-8.
 */
export async function payoutBankFile(ctx: Ctx, batchId: string): Promise<{ filename: string; csv: string }> {
  const batch = await findBatch(ctx.store.db, batchId);
  requireSubmitted(batch);
  const items = (await ctx.store.db
    .selectFrom('payout_items')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('state', '<>', 'FAILED')
    .orderBy('ref')
    .execute()) as PayoutItemRow[];
  const lines = [csvLine(BANK_FILE_HEADER)];
  for (const item of items) {
    lines.push(
      csvLine([item.ref, item.bank_code, item.bank_account, item.identification, item.name_account, formatAmount(item.amount_minor, item.currency as Currency), item.type, item.reference]),
    );
  }
  const day = new Date(batch.submitted_at ?? batch.created_at).toISOString().slice(0, 10).replace(/-/g, '');
  return { filename: `dispersion-${day}-${batch.id.slice(0, 8)}.csv`, csv: lines.join('\r\n') + '\r\n' };
}

export interface BankAnswerReport {
  batchId: string;
  /** Lines read (the header not counted). */
  lines: number;
  paid: string[];
  failed: string[];
  /** Already in the answered state (a file imported twice changes nothing). */
  unchanged: string[];
  /** Refs that are not items of this batch. */
  unknown: { line: number; ref: string }[];
  /** Lines that could not be read, and answers the item's state refuses. */
  rejected: BankAnswerProblem[];
  batch: PayoutBatchView;
}

/** Apply a bank answer (`ref,status[,reason]`): idempotent, one transaction per line. */
export async function importPayoutBankAnswer(ctx: Ctx, batchId: string, text: string): Promise<BankAnswerReport> {
  const batch = await findBatch(ctx.store.db, batchId);
  requireSubmitted(batch);
  const { rows, problems } = parseBankAnswer(text);
  const report: Omit<BankAnswerReport, 'batch'> = { batchId, lines: rows.length + problems.length, paid: [], failed: [], unchanged: [], unknown: [], rejected: [...problems] };
  for (const row of rows) {
    const outcome = await transitionPayoutItem(ctx, { ref: row.ref, batchId }, row.status === 'PAID' ? 'pay' : 'fail', { reason: row.reason });
    switch (outcome.kind) {
      case 'applied':
        (row.status === 'PAID' ? report.paid : report.failed).push(row.ref);
        break;
      case 'unchanged':
        report.unchanged.push(row.ref);
        break;
      case 'refused':
        report.rejected.push({ line: row.line, ref: row.ref, message: outcome.message });
        break;
      case 'unknown':
        report.unknown.push({ line: row.line, ref: row.ref });
        break;
    }
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return { ...report, batch: await getPayoutBatch(ctx, batchId) };
}

// --- Events -----------------------------------------------------------------------------

/**
 * `payout_item.created` when registered, `payout_item.updated` on every later state change
 * (payload `status` and `previous_status`). The object id is the item's `ref`, the identifier
 * the merchant got from register-item, so a notification's `data.id` is one it knows.
 */
function itemEvent(item: PayoutItemRow, type: 'payout_item.created' | 'payout_item.updated', previousStatus?: PayoutItemState): EventInput {
  const currency = item.currency as Currency;
  return {
    type,
    objectId: item.ref,
    ownerUserId: item.owner_user_id,
    appId: item.app_id,
    payload: {
      ref: item.ref,
      type: item.type,
      status: item.state,
      ...(previousStatus ? { previous_status: previousStatus } : {}),
      reference: item.reference,
      identification_number: item.identification_number,
      bank_code: item.bank_code,
      bank_account: `${item.bank_account.slice(0, 4)}${'*'.repeat(12)}${item.bank_account.slice(-4)}`,
      amount: formatAmount(item.amount_minor, currency),
      fee: formatAmount(item.fee_minor, currency),
      currency: { id: currency },
      batch_id: item.batch_id,
      ...(item.failure_reason ? { failure_reason: item.failure_reason } : {}),
    },
  };
}
