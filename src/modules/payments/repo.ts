// The payments module's table (payments): its only SQL.
import { sql } from 'kysely';
import { DAY_MS } from '../../kernel/instants.ts';
import type { Db, Tx } from '../../store/db.ts';
import { preparedInsert } from '../../store/prepared.ts';
import type { PaymentsTable } from '../../store/schema-payments.ts';

export type PaymentRow = PaymentsTable;

const insertPayments = preparedInsert('payments', { deferrable: true });

export async function insertPayment(tx: Tx, row: PaymentRow): Promise<void> {
  await insertPayments(tx, row);
}

/** An annulment cancels the payment; its reversal entry is recorded beside the original. */
export async function markPaymentCanceled(tx: Tx, paymentId: string, reversalEntryId: string, now: number): Promise<void> {
  await tx.updateTable('payments').set({ state: 'canceled', reversal_entry_id: reversalEntryId, updated_at: now }).where('id', '=', paymentId).execute();
}

/** A payment that a row names (a foreign key: it exists). */
export async function getPayment(db: Db | Tx, id: string): Promise<PaymentRow> {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The references of several payments in one statement. */
export function findPaymentRefs(db: Db | Tx, ids: readonly string[]): Promise<{ id: string; ref: string }[]> {
  return db
    .selectFrom('payments')
    .select(['id', 'ref'])
    .where('id', 'in', [...ids])
    .execute();
}

/** Payments a user takes part in: as payer, recipient, or the merchant whose intent it was. */
function visibleTo(db: Db, userId: string) {
  return db
    .selectFrom('payments')
    .where((eb) => eb.or([eb('payer_user_id', '=', userId), eb('recipient_user_id', '=', userId), eb('merchant_user_id', '=', userId)]));
}

export async function countPaymentsVisibleTo(db: Db, userId: string): Promise<number> {
  const row = await visibleTo(db, userId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of the user's payments, newest first. */
export async function findPaymentsVisibleTo(db: Db, userId: string, limit: number, offset: number): Promise<PaymentRow[]> {
  return (await visibleTo(db, userId).selectAll().orderBy('created_at', 'desc').orderBy('ref', 'desc').limit(limit).offset(offset).execute()) as PaymentRow[];
}

/** One payment by id or ref, if the user takes part in it. */
export async function findPaymentVisibleTo(db: Db, userId: string, idOrRef: string): Promise<PaymentRow | undefined> {
  return (await visibleTo(db, userId)
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrRef), eb('ref', '=', idOrRef)]))
    .executeTakeFirst()) as PaymentRow | undefined;
}

/**
 * A merchant's finished payments since `since`, summed per UTC day and currency (index
 * payments_merchant). An annulled (canceled) payment is not volume.
 */
export async function sumMerchantDailyVolume(
  db: Db,
  merchantUserId: string,
  since: number,
): Promise<{ day: number; currency: string; amount_minor: number; count: number }[]> {
  // A literal divisor: better-sqlite3 binds a JS number as REAL, and the quotient would be too.
  const day = sql<number>`(created_at / ${sql.lit(DAY_MS)})`;
  const rows = await db
    .selectFrom('payments')
    .select([day.as('day'), 'currency', (eb) => eb.fn.sum<number>('amount_minor').as('amount_minor'), (eb) => eb.fn.countAll<number>().as('count')])
    .where('merchant_user_id', '=', merchantUserId)
    .where('state', '=', 'finished')
    .where('created_at', '>=', since)
    .groupBy([day, 'currency'])
    .orderBy(day)
    .execute();
  // PostgreSQL answers bigint sums and counts as strings.
  return rows.map((r) => ({ day: Number(r.day), currency: r.currency, amount_minor: Number(r.amount_minor), count: Number(r.count) }));
}
