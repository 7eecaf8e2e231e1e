// The card module's SQL: card_tokens, card_payments and card_refunds.
import { sql } from 'kysely';
import type { Db, Dialect, Tx } from '../../store/db.ts';
import { lockedForUpdate } from '../../store/locking.ts';
import { everyColumn, prepared, preparedInsert } from '../../store/prepared.ts';
import type { CardPaymentsTable, CardRefundsTable, CardTokensTable, CustomerCardsTable, CustomersTable } from '../../store/schema-cards.ts';

export type CardTokenRow = CardTokensTable;
export type CardPaymentRow = CardPaymentsTable;
export type CardRefundRow = CardRefundsTable;

const TOKEN_COLUMNS = everyColumn<CardTokensTable>()([
  'id',
  'app_id',
  'live_mode',
  'payment_method_id',
  'payment_type_id',
  'first_six_digits',
  'last_four_digits',
  'card_number_length',
  'security_code_length',
  'number_sealed',
  'security_code_sealed',
  'key_id',
  'expiration_month',
  'expiration_year',
  'cardholder_name',
  'identification_type',
  'identification_number',
  'status',
  'created_at',
  'expires_at',
  'used_at',
]);

const PAYMENT_COLUMNS = everyColumn<CardPaymentsTable>()([
  'id',
  'app_id',
  'collector_user_id',
  'live_mode',
  'status',
  'status_detail',
  'currency',
  'amount_minor',
  'captured_minor',
  'refunded_minor',
  'fee_minor',
  'fee_refunded_minor',
  'payment_method_id',
  'payment_type_id',
  'installments',
  'description',
  'external_reference',
  'notification_url',
  'statement_descriptor',
  'metadata',
  'payer',
  'card',
  'token_id',
  'hold_id',
  'entry_id',
  'point_of_interaction',
  'created_at',
  'approved_at',
  'updated_at',
]);

const insertTokens = preparedInsert('card_tokens');
const insertPayments = preparedInsert('card_payments');
const insertRefunds = preparedInsert('card_refunds');

export async function insertCardToken(tx: Tx, row: CardTokenRow): Promise<void> {
  await insertTokens(tx, row);
}

const tokenById = prepared((db, p: { id: string }) => db.selectFrom('card_tokens').select(TOKEN_COLUMNS).where('id', '=', p.id));

export function findCardToken(db: Db | Tx, id: string): Promise<CardTokenRow | undefined> {
  return tokenById.first(db, { id }) as Promise<CardTokenRow | undefined>;
}

/**
 * Use a token once: only an active, unexpired token of the app flips to used, its card number
 * and security code erased in the same update (a saved card keeps its own sealed number). The caller read the token first; of two concurrent uses the
 * update lets one through.
 */
const tokenUse = prepared((db, p: { id: string; appId: string; now: number }) =>
  db
    .updateTable('card_tokens')
    .set({ status: 'used', used_at: p.now, number_sealed: null, security_code_sealed: null })
    .where('id', '=', p.id)
    .where('app_id', '=', p.appId)
    .where('status', '=', 'active')
    .where('expires_at', '>', p.now),
);

export async function useCardToken(tx: Tx, id: string, appId: string, now: number): Promise<boolean> {
  return (await tokenUse.run(tx, { id, appId, now })) === 1;
}

/** Expired tokens lose their card number and security code (the sweep of the retention worker). */
export async function expireCardTokens(db: Db, now: number, limit: number): Promise<number> {
  const due = db.selectFrom('card_tokens').select('id').where('status', '=', 'active').where('expires_at', '<=', now).limit(limit);
  const result = await db
    .updateTable('card_tokens')
    .set({ status: 'expired', number_sealed: null, security_code_sealed: null })
    .where('id', 'in', due)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertCardPayment(tx: Tx, row: CardPaymentRow): Promise<void> {
  await insertPayments(tx, row);
}

const paymentById = prepared((db, p: { id: number; collector: string }) =>
  db.selectFrom('card_payments').select(PAYMENT_COLUMNS).where('id', '=', p.id).where('collector_user_id', '=', p.collector),
);

export function findCardPayment(db: Db | Tx, id: number, collectorUserId: string): Promise<CardPaymentRow | undefined> {
  return paymentById.first(db, { id, collector: collectorUserId }) as Promise<CardPaymentRow | undefined>;
}

/** The payment, locked until the transaction ends (capture, cancel and refunds serialize on it). */
export async function lockCardPayment(tx: Tx, dialect: Dialect, id: number, collectorUserId: string): Promise<CardPaymentRow | undefined> {
  const query = tx.selectFrom('card_payments').select(PAYMENT_COLUMNS).where('id', '=', id).where('collector_user_id', '=', collectorUserId);
  return (await lockedForUpdate(dialect, query).executeTakeFirst()) as CardPaymentRow | undefined;
}

export async function updateCardPayment(tx: Tx, id: number, changes: Partial<Omit<CardPaymentRow, 'id'>>): Promise<void> {
  await tx.updateTable('card_payments').set(changes).where('id', '=', id).execute();
}

/** An authorization whose hold was voided at its deadline: cancelled, if it was still authorized. */
export async function expireAuthorization(tx: Tx, id: number, holdId: string, now: number): Promise<CardPaymentRow | undefined> {
  const row = await tx
    .updateTable('card_payments')
    .set({ status: 'cancelled', status_detail: 'expired', updated_at: now })
    .where('id', '=', id)
    .where('hold_id', '=', holdId)
    .where('status', '=', 'authorized')
    .returning(PAYMENT_COLUMNS)
    .executeTakeFirst();
  return row as CardPaymentRow | undefined;
}

/** What a search may sort on: the wire's sort names map to these columns. */
export type CardPaymentSort = 'created_at' | 'approved_at' | 'updated_at' | 'id';

export interface CardPaymentFilter {
  collectorUserId: string;
  status?: string;
  externalReference?: string;
  /** Payments created from this instant (inclusive) to `until` (exclusive). */
  since?: number;
  until?: number;
  sort: CardPaymentSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** One page and the total, in two statements whatever the page size. */
export async function searchCardPayments(db: Db, f: CardPaymentFilter): Promise<{ total: number; rows: CardPaymentRow[] }> {
  let q = db.selectFrom('card_payments').where('collector_user_id', '=', f.collectorUserId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.externalReference) q = q.where('external_reference', '=', f.externalReference);
  if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('created_at', '<', f.until);
  const [{ total }] = (await q.select(sql<number>`count(*)`.as('total')).execute()) as [{ total: number }];
  let page = q.select(PAYMENT_COLUMNS);
  // Payments never approved have no approval date: they come last either way (both databases
  // alike; PostgreSQL and SQLite place nulls differently).
  if (f.sort === 'approved_at') page = page.orderBy(sql`case when approved_at is null then 1 else 0 end`);
  if (f.sort !== 'id') page = page.orderBy(f.sort, f.order);
  const rows = await page.orderBy('id', f.order).limit(f.limit).offset(f.offset).execute();
  return { total: Number(total), rows: rows as CardPaymentRow[] };
}

export async function insertCardRefund(tx: Tx, row: CardRefundRow): Promise<void> {
  await insertRefunds(tx, row);
}

export async function findCardRefunds(db: Db | Tx, paymentId: number): Promise<CardRefundRow[]> {
  return (await db.selectFrom('card_refunds').selectAll().where('payment_id', '=', paymentId).orderBy('id').execute()) as CardRefundRow[];
}

// ---- customers and saved cards -------------------------------------------------------------

export type CustomerRow = CustomersTable;
export type CustomerCardRow = CustomerCardsTable;

export async function insertCustomer(tx: Tx, row: CustomerRow): Promise<void> {
  await tx.insertInto('customers').values(row).execute();
}

export function findCustomer(db: Db | Tx, ownerUserId: string, id: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).where('owner_user_id', '=', ownerUserId).executeTakeFirst();
}

export function findCustomerByEmail(db: Db | Tx, ownerUserId: string, email: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('owner_user_id', '=', ownerUserId).where('email', '=', email).executeTakeFirst();
}

export async function searchCustomers(
  db: Db,
  ownerUserId: string,
  filter: { email?: string; limit: number; offset: number },
): Promise<{ total: number; rows: CustomerRow[] }> {
  let q = db.selectFrom('customers').where('owner_user_id', '=', ownerUserId);
  if (filter.email) q = q.where('email', '=', filter.email);
  const [{ total }] = (await q.select(sql<number>`count(*)`.as('total')).execute()) as [{ total: number }];
  const rows = await q.selectAll().orderBy('created_at').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  return { total: Number(total), rows };
}

export async function updateCustomer(tx: Tx, id: string, changes: Partial<Omit<CustomerRow, 'id' | 'owner_user_id'>>): Promise<void> {
  await tx.updateTable('customers').set(changes).where('id', '=', id).execute();
}

/** A customer and its cards go together. */
export async function deleteCustomer(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('customer_cards').where('customer_id', '=', id).execute();
  await tx.deleteFrom('customers').where('id', '=', id).execute();
}

export async function insertCustomerCard(tx: Tx, row: CustomerCardRow): Promise<void> {
  await tx.insertInto('customer_cards').values(row).execute();
}

export function findCustomerCards(db: Db | Tx, customerIds: readonly string[]): Promise<CustomerCardRow[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('customer_cards').selectAll().where('customer_id', 'in', customerIds).orderBy('created_at').orderBy('id').execute();
}

export function findCustomerCard(db: Db | Tx, ownerUserId: string, cardId: string): Promise<CustomerCardRow | undefined> {
  return db.selectFrom('customer_cards').selectAll().where('id', '=', cardId).where('owner_user_id', '=', ownerUserId).executeTakeFirst();
}

export async function deleteCustomerCard(tx: Tx, customerId: string, cardId: string): Promise<number> {
  const result = await tx.deleteFrom('customer_cards').where('id', '=', cardId).where('customer_id', '=', customerId).executeTakeFirst();
  await tx.updateTable('customers').set({ default_card_id: null }).where('id', '=', customerId).where('default_card_id', '=', cardId).execute();
  return Number(result.numDeletedRows);
}
