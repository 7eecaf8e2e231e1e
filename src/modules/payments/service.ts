// Payments: the record of each money movement an execution or a transfer creates, with its
// reference (P + yymmdd + sequence) and state (finished; canceled by an annulment; waiting is
// reserved for a receiver that has not accepted yet).
import { newRowId } from '../../kernel/ids.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { Currency } from '../../kernel/money.ts';
import { afterCommit, type Db, type Tx } from '../../store/db.ts';
import type { CommandScope } from '../commands/index.ts';
import { countPayment } from '../../platform/metrics.ts';
import type { Ctx } from '../../platform/context.ts';
import { dailyReference } from '../../store/sequences.ts';
import { findUsersByIds, type UserRow } from '../identity/index.ts';
import { findAccountsOpened } from '../ledger/index.ts';
import {
  countPaymentsVisibleTo,
  findPaymentsVisibleTo,
  findPaymentVisibleTo,
  insertPayment,
  markPaymentCanceled,
  sumMerchantDailyVolume,
  type PaymentRow,
} from './repo.ts';
import { DAY_MS, iso } from '../../kernel/instants.ts';

export type { PaymentRow } from './repo.ts';
export type PaymentState = PaymentRow['state'];

/** P + yymmdd + the day's 7-digit sequence; draw it before the payment's transaction. */
export function nextPaymentRef(db: Db, now: number): Promise<string> {
  return dailyReference(db, 'P', now, 7);
}

export interface NewPayment {
  /** Chosen by the caller when another row must name the payment first. */
  id?: string;
  ref: string;
  kind: PaymentRow['kind'];
  payerUserId: string;
  recipientUserId: string;
  merchantUserId: string | null;
  appId: string | null;
  intentId: string | null;
  sourceAccountId: string;
  currency: Currency;
  amountMinor: number;
  feeMinor: number;
  description: string;
  entryId: string;
}

export async function createPayment({ tx, now, emit }: CommandScope, p: NewPayment): Promise<PaymentRow> {
  const row: PaymentRow = {
    id: p.id ?? newRowId(),
    ref: p.ref,
    kind: p.kind,
    state: 'finished',
    payer_user_id: p.payerUserId,
    recipient_user_id: p.recipientUserId,
    merchant_user_id: p.merchantUserId,
    app_id: p.appId,
    intent_id: p.intentId,
    source_account_id: p.sourceAccountId,
    currency: p.currency,
    amount_minor: p.amountMinor,
    fee_minor: p.feeMinor,
    description: p.description.slice(0, 500),
    entry_id: p.entryId,
    reversal_entry_id: null,
    created_at: now,
    updated_at: now,
  };
  await insertPayment(tx, row);
  afterCommit(tx, () => countPayment(row.currency, row.kind, row.amount_minor));
  const owner = p.merchantUserId ?? p.recipientUserId;
  emit({ type: 'payment.created', objectId: row.id, ownerUserId: owner, appId: p.appId, payload: { id: row.id, ref: row.ref, status: row.state } });
  return row;
}

/** An annulment cancels the payment; its reversal entry is recorded beside the original. */
export function cancelPayment(tx: Tx, paymentId: string, reversalEntryId: string, now: number): Promise<void> {
  return markPaymentCanceled(tx, paymentId, reversalEntryId, now);
}

/** Who takes part in a payment, as its view shows them (never the credentials). */
const PARTY_COLUMNS = ['id', 'name', 'username'] as const;
export type PaymentParty = Pick<UserRow, (typeof PARTY_COLUMNS)[number]>;

export interface PaymentView {
  row: PaymentRow;
  payer: PaymentParty;
  recipient: PaymentParty;
  source: { id: string; created_at: number; name: string };
}

/** The views of a page of payments: two statements whatever the page's size. */
async function views(db: Db, rows: PaymentRow[]): Promise<PaymentView[]> {
  if (rows.length === 0) return [];
  const userIds = [...new Set(rows.flatMap((r) => [r.payer_user_id, r.recipient_user_id]))];
  const accountIds = [...new Set(rows.map((r) => r.source_account_id))];
  const users = new Map((await findUsersByIds(db, userIds, PARTY_COLUMNS)).map((u) => [u.id, u]));
  const accounts = new Map((await findAccountsOpened(db, accountIds)).map((a) => [a.id, a]));
  return rows.map((row) => {
    // Foreign keys: the users and the account exist.
    const payer = users.get(row.payer_user_id)!;
    const recipient = users.get(row.recipient_user_id)!;
    const account = accounts.get(row.source_account_id)!;
    return { row, payer, recipient, source: { id: account.id, created_at: account.created_at, name: `${payer.username} (${account.currency})` } };
  });
}

export async function listPayments(ctx: Ctx, userId: string, page: number, perPage: number): Promise<{ total: number; items: PaymentView[] }> {
  const db = ctx.store.db;
  const total = await countPaymentsVisibleTo(db, userId);
  const rows = await findPaymentsVisibleTo(db, userId, perPage, (page - 1) * perPage);
  return { total, items: await views(db, rows) };
}

/** One payment by id or ref, if the user takes part in it. */
export async function findPayment(ctx: Ctx, userId: string, idOrRef: string): Promise<PaymentView> {
  const row = await findPaymentVisibleTo(ctx.store.db, userId, idOrRef);
  if (!row) throw new NotFoundError('El pago no existe.');
  return (await views(ctx.store.db, [row]))[0]!;
}

export interface DailyVolume {
  /** The UTC day, YYYY-MM-DD. */
  date: string;
  currency: Currency;
  amountMinor: number;
  count: number;
}

/**
 * A merchant's finished payments per UTC day over the last `days` days (today included), one
 * row per day and currency it received in, days without payments as zero.
 */
export async function merchantDailyVolume(ctx: Ctx, merchantUserId: string, days: number): Promise<DailyVolume[]> {
  const today = Math.floor((await ctx.clock.now()) / DAY_MS);
  const first = today - days + 1;
  const sums = await sumMerchantDailyVolume(ctx.store.db, merchantUserId, first * DAY_MS);
  const currencies = [...new Set(sums.map((s) => s.currency))].sort();
  const byKey = new Map(sums.map((s) => [`${s.day}:${s.currency}`, s]));
  const out: DailyVolume[] = [];
  for (const currency of currencies) {
    for (let day = first; day <= today; day++) {
      const found = byKey.get(`${day}:${currency}`);
      out.push({
        date: iso(day * DAY_MS).slice(0, 10),
        currency: currency as Currency,
        amountMinor: found?.amount_minor ?? 0,
        count: found?.count ?? 0,
      });
    }
  }
  return out;
}
