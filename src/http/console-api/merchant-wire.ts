// The merchant's payments on the console API: the list's query read into the module's typed
// filter, and intents, payments and postings presented with decimal amounts (camelCase, as the
// rest of the console API).
import { ValidationError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import { formatAmount, type Currency } from '../../kernel/money.ts';
import type { DailyVolume } from '../../modules/payments/index.ts';
import { readInstant } from '../shared/instants.ts';
import { ANNUL_WINDOW_MS, intentSummary, type Intent, type MerchantIntentDetail, type MerchantIntentQuery } from '../../modules/wallet-intents/index.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export const INTENT_STATES = ['created', 'executed', 'annulled', 'rejected', 'expired'] as const;

/** `from` and `to` are instants (the console sends the user's local midnights), `to` excluded. */
export function readIntentQuery(query: { state?: string; app?: string; from?: string; to?: string; q?: string }): MerchantIntentQuery {
  const from = readInstant(query.from, 'from');
  const to = readInstant(query.to, 'to');
  if (from !== undefined && to !== undefined && to <= from)
    throw new ValidationError([{ path: ['to'], message: COMMON_MESSAGES.dateRange.es, code: 'common.dateRange' }]);
  return {
    state: query.state ? (query.state as MerchantIntentQuery['state']) : undefined,
    appId: query.app || undefined,
    from,
    to,
    search: query.q || undefined,
  };
}

/** A row of the list: what the table shows. */
export function intentListWire(intent: Intent) {
  const { row } = intent;
  const currency = row.currency as Currency;
  return {
    id: row.id,
    kind: row.intent,
    state: intent.state,
    appId: row.app_id,
    amount: formatAmount(row.amount_minor, currency),
    currency,
    description: intent.transactions
      .map((t) => t.description)
      .filter(Boolean)
      .join(' · '),
    invoiceNumber: intent.transactions.find((t) => t.invoiceNumber)?.invoiceNumber ?? null,
    payer: intent.payer?.name ?? null,
    recipient: intent.recipient?.name ?? null,
    paymentRef: intent.payment?.ref ?? null,
    createdAt: iso(row.created_at),
    executedAt: isoOrNull(row.executed_at),
  };
}

/** The detail page: the list's row and the state history, payment, postings, calls. */
export function intentDetailWire({ intent, payment, postings, now }: MerchantIntentDetail) {
  const { row } = intent;
  const currency = row.currency as Currency;
  const money = (minor: number) => formatAmount(minor, currency);
  const total = intentSummary(intent.transactions);
  const history: { state: string; at: string }[] = [{ state: 'created', at: iso(row.created_at) }];
  if (row.approved_at !== null && row.intent === 'sale') history.push({ state: 'approved', at: iso(row.approved_at) });
  if (row.executed_at !== null) history.push({ state: 'executed', at: iso(row.executed_at) });
  if (row.annulled_at !== null) history.push({ state: 'annulled', at: iso(row.annulled_at) });
  if (row.rejected_at !== null) history.push({ state: 'rejected', at: iso(row.rejected_at) });
  if (intent.state === 'expired') history.push({ state: 'expired', at: iso(row.expires_at) });
  const distributed = intent.transactions.reduce((sum, t) => sum + t.distributions.reduce((s, d) => s + d.amountMinor, 0), 0);
  const annulUntil = intent.state === 'executed' && row.executed_at !== null ? row.executed_at + ANNUL_WINDOW_MS : null;
  return {
    ...intentListWire(intent),
    expiresAt: iso(row.expires_at),
    returnUrl: row.return_url,
    cancelUrl: row.cancel_url,
    totals: { items: money(total.itemsMinor), tax: money(total.taxMinor), shipping: money(total.shippingMinor), amount: money(total.amountMinor) },
    history,
    /** Until when the merchant may annul it; null when it cannot (any more). */
    annulUntil: annulUntil !== null && annulUntil > now ? iso(annulUntil) : null,
    transactions: intent.transactions.map((t) => ({
      description: t.description,
      invoiceNumber: t.invoiceNumber,
      total: money(t.totalMinor),
      items: t.items.map((i) => ({ name: i.name, quantity: i.quantity, price: money(i.priceMinor), sku: i.sku })),
      distributions: t.distributions.map((d) => ({ destination: d.destination, amount: money(d.amountMinor), description: d.description })),
    })),
    payment: payment
      ? {
          id: payment.id,
          ref: payment.ref,
          state: payment.state,
          amount: money(payment.amount_minor),
          fee: money(payment.fee_minor),
          /** What the merchant keeps: the amount less the fee and the distributions. */
          net: money(payment.amount_minor - payment.fee_minor - distributed),
          createdAt: iso(payment.created_at),
        }
      : null,
    postings: postings.map((p) => ({
      entry: p.entry,
      entryId: p.entryId,
      accountId: p.accountId,
      owner: p.owner,
      systemCode: p.systemCode,
      amount: formatAmount(p.amountMinor, p.currency as Currency),
      currency: p.currency,
    })),
    historyResponses: intent.historyResponses.map((h) => ({ uri: h.uri, method: h.method, statusCode: h.statusCode, body: h.body, error: h.error })),
  };
}

export function volumeWire(v: DailyVolume) {
  return { date: v.date, currency: v.currency, amount: formatAmount(v.amountMinor, v.currency), count: v.count };
}

/** The chart's span summed per currency (in minor units, then formatted). */
export function volumeTotals(days: DailyVolume[]) {
  const totals = new Map<Currency, { amountMinor: number; count: number }>();
  for (const d of days) {
    const t = totals.get(d.currency) ?? { amountMinor: 0, count: 0 };
    totals.set(d.currency, { amountMinor: t.amountMinor + d.amountMinor, count: t.count + d.count });
  }
  return [...totals].map(([currency, t]) => ({ currency, amount: formatAmount(t.amountMinor, currency), count: t.count }));
}
