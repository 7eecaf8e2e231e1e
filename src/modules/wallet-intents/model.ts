// Payment intents: the typed intent a merchant asks for, the derived totals, and the rules of
// which state allows what. No I/O here. (The wallet API's form is read in
// src/http/wallet-api/intent-reader.ts.)
import { sumMinor, type Currency } from '../../kernel/money.ts';

export type IntentKind = 'sale' | 'request';

export interface IntentItem {
  name: string;
  quantity: number;
  priceMinor: number;
  sku: string | null;
  currency: Currency;
}

export interface IntentDistribution {
  destination: string;
  /** Resolved wallet account, filled in by the service. */
  accountId?: string;
  amountMinor: number;
  description: string;
}

export interface IntentTransaction {
  id: string;
  currency: Currency;
  totalMinor: number;
  details: { shippingMinor: number; taxMinor: number; subTotalMinor: number };
  description: string;
  invoiceNumber: string | null;
  destination: string | null;
  /** Resolved wallet account credited, filled in by the service. */
  destinationAccountId?: string;
  items: IntentItem[];
  distributions: IntentDistribution[];
}

/** A new intent as the merchant asked for it, amounts exact. */
export interface IntentForm {
  intent: IntentKind;
  returnUrl: string;
  cancelUrl: string;
  transactions: IntentTransaction[];
  recipient: string | null;
  currency: Currency;
  amountMinor: number;
}

// Sizes at creation. They bound what every answer that carries an intent can weigh: a page of
// the intents list (100 summaries) stays under INTENT_PAGE_BUDGET_BYTES and one full intent
// (`show`) under INTENT_SHOW_BUDGET_BYTES (src/http/wallet-api/intent-routes.ts) — see README
// "Security and limits" and test/api/page-budget.test.ts.
export const INTENT_LIMITS = {
  transactions: 10,
  /** Items of the whole intent, over all its transactions. */
  items: 100,
  /** Distributions of the whole intent, over all its transactions. */
  distributions: 20,
  descriptionChars: 255,
  itemNameChars: 127,
  skuChars: 64,
  invoiceNumberChars: 64,
  distributionDescriptionChars: 127,
  // The return URL is also held to 500 by checkTargetUrl (every registered URL is).
  urlChars: 500,
} as const;

/** The `total` summary of the contract: items = Σ subTotal, amount = items + tax + shipping. */
export function intentSummary(transactions: readonly IntentTransaction[]) {
  const items = sumMinor(transactions.map((t) => t.details.subTotalMinor));
  const tax = sumMinor(transactions.map((t) => t.details.taxMinor));
  const shipping = sumMinor(transactions.map((t) => t.details.shippingMinor));
  return { itemsMinor: items, taxMinor: tax, shippingMinor: shipping, amountMinor: sumMinor([items, tax, shipping]) };
}

/**
 * What a list page shows of the transactions, as stored beside them at creation (the
 * `summary` column): each one without its items and distributions, most of an intent's weight.
 */
export function transactionsSummary(transactions: readonly IntentTransaction[]): string {
  return JSON.stringify(transactions.map(({ items: _items, distributions: _distributions, ...rest }) => rest));
}

export type IntentStateName = 'created' | 'executed' | 'annulled' | 'rejected' | 'expired';

/** The state a reader sees: an unexecuted intent past its expiry is expired. */
export function effectiveState(state: IntentStateName, expiresAt: number, now: number): IntentStateName {
  return state === 'created' && expiresAt <= now ? 'expired' : state;
}

export const ANNUL_WINDOW_MS = 24 * 3600 * 1000;
export const DEFAULT_INTENT_TTL_MS = 3 * 3600 * 1000;
