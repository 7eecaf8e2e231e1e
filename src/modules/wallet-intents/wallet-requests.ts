// The person's side of the billing API in the console: the payment requests merchants address
// to them ("solicitudes de pago"), paid or declined with the operations PIN typed in their own
// console (the PIN place of transfers, not a merchant's till).
import { NotFoundError } from '../../kernel/errors.ts';
import { formatAmount, type Currency } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import { findAppName } from '../apps/index.ts';
import { WALLET_MESSAGES } from '../wallets/index.ts';
import { findUsersByIds, getUser, verifyPin } from '../identity/index.ts';
import { payRequestInWallet, rejectIntent } from './buyer.ts';
import type { IntentTransaction } from './model.ts';
import { findOpenRequestsFor, type IntentRow } from './repo.ts';
import { intentRow } from './views.ts';
import { iso } from '../../kernel/instants.ts';

/** At most this many open requests are listed (a request expires within hours). */
export const OPEN_REQUESTS_LIMIT = 50;

export interface PaymentRequestView {
  id: string;
  /** Who asks: the business's name and the app it asked through. */
  merchantName: string;
  appName: string;
  description: string;
  invoiceNumber: string | null;
  amount: string;
  currency: Currency;
  createdAt: string;
  expiresAt: string;
}

export async function listOpenRequests(ctx: Ctx, userId: string): Promise<PaymentRequestView[]> {
  const db = ctx.store.db;
  const rows = await findOpenRequestsFor(db, userId, await ctx.clock.now(), OPEN_REQUESTS_LIMIT);
  const merchants = new Map((await findUsersByIds(db, [...new Set(rows.map((r) => r.merchant_user_id))], ['id', 'name'])).map((u) => [u.id, u.name]));
  const apps = new Map<string, string>();
  for (const appId of new Set(rows.map((r) => r.app_id))) apps.set(appId, (await findAppName(db, appId)) ?? '');
  return rows.map((row) => {
    const transactions = JSON.parse(row.transactions) as IntentTransaction[];
    const currency = row.currency as Currency;
    return {
      id: row.id,
      merchantName: merchants.get(row.merchant_user_id) ?? '',
      appName: apps.get(row.app_id) ?? '',
      description: transactions
        .map((t) => t.description)
        .filter(Boolean)
        .join(' · '),
      invoiceNumber: transactions.find((t) => t.invoiceNumber)?.invoiceNumber ?? null,
      amount: formatAmount(row.amount_minor, currency),
      currency,
      createdAt: iso(row.created_at),
      expiresAt: iso(row.expires_at),
    };
  });
}

/** A request addressed to this person; anyone else's (or no request at all) is "not found". */
async function ownRequest(ctx: Ctx, userId: string, id: string): Promise<IntentRow> {
  const row = await intentRow(ctx.store.db, id);
  if (!row || row.intent !== 'request' || row.recipient_user_id !== userId) throw new NotFoundError(WALLET_MESSAGES.requestGone.es, 'wallets.requestGone');
  return row;
}

/** Pay a request with the PIN; answers the return-URL call to make (see performReturnCall). */
export async function payOwnRequest(ctx: Ctx, userId: string, id: string, pin: unknown): Promise<{ callId: string }> {
  await ownRequest(ctx, userId, id);
  await verifyPin(ctx, userId, pin);
  return payRequestInWallet(ctx, id, await getUser(ctx.store.db, userId));
}

/** Decline a request with the PIN (the merchant sees it rejected). */
export async function declineOwnRequest(ctx: Ctx, userId: string, id: string, pin: unknown): Promise<void> {
  await ownRequest(ctx, userId, id);
  await verifyPin(ctx, userId, pin);
  await rejectIntent(ctx, id, await getUser(ctx.store.db, userId));
}
