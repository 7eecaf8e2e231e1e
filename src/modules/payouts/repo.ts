// The payouts module's tables (payout_batches, payout_items): its only SQL. Every guarded
// UPDATE keeps its guard here, so a caller cannot change a batch or an item from a state it
// did not check.
import { sql } from 'kysely';
import type { FeeRule } from '../fees/index.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { PayoutBatchesTable, PayoutItemsTable } from '../../store/schema-payouts.ts';
import type { PayoutBatchState, PayoutItemState, PayoutType } from './model.ts';

export type PayoutBatchRow = PayoutBatchesTable;
export type PayoutItemRow = PayoutItemsTable;

// --- Batches ----------------------------------------------------------------------------

export function findPendingBatch(tx: Tx, ownerUserId: string, currency: string): Promise<Pick<PayoutBatchRow, 'id' | 'item_count'> | undefined> {
  return tx
    .selectFrom('payout_batches')
    .select(['id', 'item_count'])
    .where('owner_user_id', '=', ownerUserId)
    .where('currency', '=', currency)
    .where('state', '=', 'pending_upload')
    .executeTakeFirst();
}

/** Insert a batch unless the partial unique index (one pending batch per merchant) refuses it. */
export async function insertBatchUnlessPending(tx: Tx, batch: PayoutBatchRow): Promise<void> {
  await tx
    .insertInto('payout_batches')
    .values(batch)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Count one more item of `amountMinor` into a batch still pending upload, if it has room for
 * it (fewer than `maxItems` items, total at most `maxTotalMinor`); false when it has not.
 */
export async function countItemIntoBatch(
  tx: Tx,
  batchId: string,
  amountMinor: number,
  limits: { maxItems: number; maxTotalMinor: number },
  count = 1,
): Promise<boolean> {
  const counted = await tx
    .updateTable('payout_batches')
    .set({ item_count: sql`item_count + ${count}`, total_minor: sql`total_minor + ${amountMinor}` })
    .where('id', '=', batchId)
    .where('state', '=', 'pending_upload')
    .where('item_count', '<=', limits.maxItems - count)
    .where(sql<boolean>`total_minor + ${amountMinor} <= ${limits.maxTotalMinor}`)
    .executeTakeFirst();
  return Number(counted.numUpdatedRows) === 1;
}

export function findBatchCounters(tx: Tx, batchId: string): Promise<Pick<PayoutBatchRow, 'state' | 'item_count' | 'total_minor'> | undefined> {
  return tx.selectFrom('payout_batches').select(['state', 'item_count', 'total_minor']).where('id', '=', batchId).executeTakeFirst();
}

/** A batch by id; with `ownerUserId`, only if it is that merchant's. */
export async function findBatchById(db: Db | Tx, batchId: string, ownerUserId?: string): Promise<PayoutBatchRow | undefined> {
  let q = db.selectFrom('payout_batches').selectAll().where('id', '=', batchId);
  if (ownerUserId) q = q.where('owner_user_id', '=', ownerUserId);
  return (await q.executeTakeFirst()) as PayoutBatchRow | undefined;
}

/** A page of batches, newest first. */
export async function listBatchRows(db: Db | Tx, filter: { ownerUserId?: string; state?: PayoutBatchState; limit: number }): Promise<PayoutBatchRow[]> {
  let q = db.selectFrom('payout_batches').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(filter.limit);
  if (filter.ownerUserId) q = q.where('owner_user_id', '=', filter.ownerUserId);
  if (filter.state) q = q.where('state', '=', filter.state);
  return (await q.execute()) as PayoutBatchRow[];
}

/** Move the merchant's batch from pending_upload to submitted (guarded: once). */
export function claimBatchForSubmit(
  tx: Tx,
  batchId: string,
  ownerUserId: string,
  now: number,
): Promise<Pick<PayoutBatchRow, 'currency' | 'item_count' | 'total_minor' | 'app_id'> | undefined> {
  return tx
    .updateTable('payout_batches')
    .set({ state: 'submitted', submitted_at: now })
    .where('id', '=', batchId)
    .where('owner_user_id', '=', ownerUserId)
    .where('state', '=', 'pending_upload')
    .returning(['currency', 'item_count', 'total_minor', 'app_id'])
    .executeTakeFirst();
}

export async function recordBatchDebit(tx: Tx, batchId: string, debit: { feeMinor: number; debitAccountId: string; entryId: string }): Promise<void> {
  await tx
    .updateTable('payout_batches')
    .set({ fee_minor: debit.feeMinor, debit_account_id: debit.debitAccountId, entry_id: debit.entryId })
    .where('id', '=', batchId)
    .execute();
}

/** Take the batch row and read it: a no-op UPDATE takes the row lock on both databases and answers the row in the same trip. */
export async function lockBatchRow(tx: Tx, batchId: string): Promise<PayoutBatchRow | undefined> {
  return (await tx
    .updateTable('payout_batches')
    .set({ item_count: sql`item_count` })
    .where('id', '=', batchId)
    .returningAll()
    .executeTakeFirst()) as PayoutBatchRow | undefined;
}

export async function markBatchSettled(tx: Tx, batchId: string, now: number): Promise<void> {
  await tx.updateTable('payout_batches').set({ state: 'settled', settled_at: now }).where('id', '=', batchId).where('state', '=', 'submitted').execute();
}

// --- Items ------------------------------------------------------------------------------

export async function insertItem(tx: Tx, item: PayoutItemRow): Promise<void> {
  await tx.insertInto('payout_items').values(item).execute();
}

/** Many items, a few hundred rows per statement (SQLite binds at most 32766 values in one). */
export async function insertItems(tx: Tx, items: readonly PayoutItemRow[]): Promise<void> {
  for (let i = 0; i < items.length; i += 500)
    await tx
      .insertInto('payout_items')
      .values(items.slice(i, i + 500))
      .execute();
}

/** Every item of the batch, by ref. */
/** Which of these references the batch's items already have. */
export async function findReferencesInBatch(tx: Tx, batchId: string, references: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  // Chunked: SQLite binds at most 32,766 values per statement.
  for (let i = 0; i < references.length; i += 1000) {
    const rows = await tx
      .selectFrom('payout_items')
      .select('reference')
      .where('batch_id', '=', batchId)
      .where('reference', 'in', references.slice(i, i + 1000))
      .execute();
    for (const row of rows) found.add(row.reference);
  }
  return [...found];
}

export async function findItemsOfBatch(db: Db | Tx, batchId: string): Promise<PayoutItemRow[]> {
  return (await db.selectFrom('payout_items').selectAll().where('batch_id', '=', batchId).orderBy('ref').execute()) as PayoutItemRow[];
}

/** Every item of these batches, by ref. */
export async function findItemsOfBatches(db: Db | Tx, batchIds: readonly string[]): Promise<PayoutItemRow[]> {
  return (await db
    .selectFrom('payout_items')
    .selectAll()
    .where('batch_id', 'in', [...batchIds])
    .orderBy('ref')
    .execute()) as PayoutItemRow[];
}

/** What a fee estimate needs of the items of these batches. */
export function findItemAmounts(db: Db | Tx, batchIds: readonly string[]): Promise<Pick<PayoutItemRow, 'batch_id' | 'type' | 'amount_minor' | 'fee_minor'>[]> {
  return db
    .selectFrom('payout_items')
    .select(['batch_id', 'type', 'amount_minor', 'fee_minor'])
    .where('batch_id', 'in', [...batchIds])
    .execute();
}

/** How many items of these batches are in each state (the states with none are left out). */
export async function countItemsByState(db: Db | Tx, batchIds: readonly string[]): Promise<{ batchId: string; state: PayoutItemState; count: number }[]> {
  const rows = await db
    .selectFrom('payout_items')
    .select(['batch_id', 'state'])
    .select(sql<number | string>`count(*)`.as('n'))
    .where('batch_id', 'in', [...batchIds])
    .groupBy(['batch_id', 'state'])
    .execute();
  return rows.map((row) => ({ batchId: row.batch_id, state: row.state, count: Number(row.n) }));
}

/** Items of the batch still to pay or paid (FAILED left out), by ref. */
export async function findUnfailedItems(db: Db | Tx, batchId: string): Promise<PayoutItemRow[]> {
  return (await db
    .selectFrom('payout_items')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('state', '<>', 'FAILED')
    .orderBy('ref')
    .execute()) as PayoutItemRow[];
}

/**
 * Submit the batch's APPROVED items of one type: state, fee (computed in SQL by the same
 * integer formula as feeFor, which the caller checks), submission and settlement times.
 */
export async function submitItemsOfType(
  tx: Tx,
  batchId: string,
  type: PayoutType,
  change: { to: PayoutItemState; rule: FeeRule; now: number; settleAfter: number },
): Promise<void> {
  await tx
    .updateTable('payout_items')
    .set({
      state: change.to,
      fee_minor: sql<number>`(amount_minor * cast(${change.rule.percentBasisPoints} as integer) + 5000) / 10000 + cast(${change.rule.fixedMinor} as bigint)`,
      submitted_at: change.now,
      settle_after: change.settleAfter,
    })
    .where('batch_id', '=', batchId)
    .where('state', '=', 'APPROVED')
    .where('type', '=', type)
    .execute();
}

/** Where an item is, by id or by its ref in a batch. */
export function locateItem(tx: Tx, find: { id: string } | { ref: string; batchId: string }): Promise<Pick<PayoutItemRow, 'id' | 'batch_id'> | undefined> {
  return (
    'id' in find
      ? tx.selectFrom('payout_items').select(['id', 'batch_id']).where('id', '=', find.id)
      : tx.selectFrom('payout_items').select(['id', 'batch_id']).where('ref', '=', find.ref).where('batch_id', '=', find.batchId)
  ).executeTakeFirst();
}

export async function getItemById(tx: Tx, itemId: string): Promise<PayoutItemRow> {
  return (await tx.selectFrom('payout_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow()) as PayoutItemRow;
}

export async function findItemsByIds(tx: Tx, itemIds: readonly string[]): Promise<PayoutItemRow[]> {
  return (await tx
    .selectFrom('payout_items')
    .selectAll()
    .where('id', 'in', [...itemIds])
    .orderBy('ref')
    .execute()) as PayoutItemRow[];
}

/** Change an item still in `from` (guarded); false when it is not. */
export async function updateItemFrom(tx: Tx, itemId: string, from: PayoutItemState, changes: Partial<PayoutItemRow>): Promise<boolean> {
  const updated = await tx.updateTable('payout_items').set(changes).where('id', '=', itemId).where('state', '=', from).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function countOpenItems(tx: Tx, batchId: string): Promise<number> {
  const open = await tx
    .selectFrom('payout_items')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('batch_id', '=', batchId)
    .where('state', 'in', ['APPROVED', 'PROCESSING'])
    .executeTakeFirstOrThrow();
  return Number(open.n);
}

/** PROCESSING items due at `now`, oldest due first. */
export function findDueItems(db: Db | Tx, now: number, limit: number): Promise<Pick<PayoutItemRow, 'id' | 'batch_id'>[]> {
  return db
    .selectFrom('payout_items')
    .select(['id', 'batch_id'])
    .where('state', '=', 'PROCESSING')
    .where('settle_after', '<=', now)
    .orderBy('settle_after')
    .orderBy('ref')
    .limit(limit)
    .execute();
}
