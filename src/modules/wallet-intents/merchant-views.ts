// The merchant's view of its payment intents in the console: a filtered, searchable page of
// them, and one intent with everything that happened to it — its payment (fee included), the
// ledger postings of the payment and of its annulment, and the return-URL calls.
import type { Ctx } from '../../platform/context.ts';
import { findUsersByIds } from '../identity/index.ts';
import { findEntriesPostings } from '../ledger/index.ts';
import { findPaymentVisibleTo, getPayment, type PaymentRow } from '../payments/index.ts';
import { countMerchantIntents, findMerchantIntentSummaries, type IntentFilter } from './repo.ts';
import { decodeSummaryRow, intentsOf, merchantIntentRow, type Intent } from './views.ts';

export interface MerchantIntentQuery {
  state?: IntentFilter['state'];
  appId?: string;
  from?: number;
  to?: number;
  /** An intent's id or its payment's reference (P + yymmdd + sequence). */
  search?: string;
}

/** A page of the merchant's intents as list summaries (see listIntentSummaries), filtered. */
export async function listMerchantIntents(
  ctx: Ctx,
  merchantUserId: string,
  query: MerchantIntentQuery,
  page: number,
  perPage: number,
): Promise<{ total: number; items: Intent[] }> {
  const db = ctx.store.db;
  const now = await ctx.clock.now();
  const filter: IntentFilter = { state: query.state, appId: query.appId, from: query.from, to: query.to, now };
  const search = query.search?.trim();
  if (search) {
    // The payments module answers a reference; its intent is then searched with the id itself.
    const payment = await findPaymentVisibleTo(db, merchantUserId, search.toUpperCase());
    filter.ids = [search, ...(payment?.intent_id ? [payment.intent_id] : [])];
  }
  const total = await countMerchantIntents(db, merchantUserId, filter);
  const rows = total ? await findMerchantIntentSummaries(db, ctx.store.dialect, merchantUserId, perPage, (page - 1) * perPage, filter) : [];
  return { total, items: await intentsOf(db, rows.map(decodeSummaryRow), now, { summaries: true }) };
}

export interface IntentPosting {
  entryId: string;
  /** The payment's entry, or the annulment's that reversed it. */
  entry: 'payment' | 'annulment';
  accountId: string;
  /** A wallet's owner (name and username), or the system account's code. */
  owner: { name: string; username: string } | null;
  systemCode: string | null;
  currency: string;
  amountMinor: number;
}

export interface MerchantIntentDetail {
  intent: Intent;
  payment?: PaymentRow;
  postings: IntentPosting[];
  now: number;
}

/** One of the merchant's intents with its payment and postings; another merchant's is "not found". */
export async function merchantIntentDetail(ctx: Ctx, merchantUserId: string, id: string): Promise<MerchantIntentDetail> {
  const db = ctx.store.db;
  const now = await ctx.clock.now();
  const row = await merchantIntentRow(db, merchantUserId, id);
  const [intent] = await intentsOf(db, [row], now);
  if (!row.payment_id) return { intent: intent!, postings: [], now };
  const payment = await getPayment(db, row.payment_id);
  const entries = [payment.entry_id, ...(payment.reversal_entry_id ? [payment.reversal_entry_id] : [])];
  const rows = await findEntriesPostings(db, entries);
  const owners = [...new Set(rows.map((p) => p.owner_user_id).filter((o): o is string => o !== null))];
  const users = new Map((owners.length ? await findUsersByIds(db, owners, ['id', 'name', 'username']) : []).map((u) => [u.id, u]));
  const order = (entryId: string) => entries.indexOf(entryId);
  const postings = rows
    .sort((a, b) => order(a.entry_id) - order(b.entry_id) || a.line - b.line)
    .map((p) => {
      const user = p.owner_user_id ? users.get(p.owner_user_id) : undefined;
      return {
        entryId: p.entry_id,
        entry: p.entry_id === payment.entry_id ? ('payment' as const) : ('annulment' as const),
        accountId: p.account_id,
        owner: user ? { name: user.name, username: user.username } : null,
        systemCode: p.system_code,
        currency: p.currency,
        amountMinor: Number(p.amount_minor),
      };
    });
  return { intent: intent!, payment, postings, now };
}
