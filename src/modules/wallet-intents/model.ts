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

/** The `total` summary of the contract: items = Σ subTotal, amount = items + tax + shipping. */
export function intentSummary(transactions: readonly IntentTransaction[]) {
  const items = sumMinor(transactions.map((t) => t.details.subTotalMinor));
  const tax = sumMinor(transactions.map((t) => t.details.taxMinor));
  const shipping = sumMinor(transactions.map((t) => t.details.shippingMinor));
  return { itemsMinor: items, taxMinor: tax, shippingMinor: shipping, amountMinor: sumMinor([items, tax, shipping]) };
}

export type IntentStateName = 'created' | 'executed' | 'annulled' | 'rejected' | 'expired';

/** The state a reader sees: an unexecuted intent past its expiry is expired. */
export function effectiveState(state: IntentStateName, expiresAt: number, now: number): IntentStateName {
  return state === 'created' && expiresAt <= now ? 'expired' : state;
}

export const ANNUL_WINDOW_MS = 24 * 3600 * 1000;
export const DEFAULT_INTENT_TTL_MS = 3 * 3600 * 1000;
