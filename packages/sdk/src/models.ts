// The objects the wallet API answers with, as the server writes them (snake_case keys, intent
// amounts as JSON numbers, payment amounts as decimal strings), and the parameters it takes
// (the contract's camelCase request fields, so a validation error's path names your field).

/** A decimal amount: `"17.50"` or `17.5`. The server parses it exactly; more decimals than the currency has is a validation error. */
export type Amount = string | number;

export interface CurrencyRef {
  id: string;
}

export interface Link {
  href: string;
  method: 'GET' | 'POST';
}

/** A person or business as the contract shows it. */
export interface Party {
  id: string;
  _data: { fullname: string };
}

// ── Payment intents ─────────────────────────────────────────────────────────────────────────

export type PaymentIntentKind = 'sale' | 'request';
export type PaymentIntentState = 'created' | 'executed' | 'annulled' | 'rejected' | 'expired';

export interface IntentItem {
  name: string;
  quantity: number;
  currency: CurrencyRef;
  sku: string | null;
  price: number;
}

export interface IntentDistribution {
  digital_account_destination: string;
  amount: number;
  description: string;
}

export interface IntentTransaction {
  id: string;
  amount: { currency: CurrencyRef; total: number; details: { shipping: number; tax: number; sub_total: number } };
  items: IntentItem[];
  description: string;
  invoice_number: string | null;
  /** Once executed: the payment (`sale` or `request`, as the intent). */
  related_resources?: Partial<Record<PaymentIntentKind, { id: string; ref: string }>>;
  distributions: IntentDistribution[];
}

/** A call the platform made to the return URL of a request paid in the wallet. */
export interface HistoryResponse {
  uri: string;
  method: string;
  status_code: number | null;
  body: string;
}

/** One of the payer's funding sources offered at the till (billing requests). */
export interface PayToken {
  id: string;
  _data: { name: string };
}

export interface PaymentIntent {
  id: string;
  intent: PaymentIntentKind;
  state: PaymentIntentState;
  /** Once known: the payer who approved a sale, or the recipient of a request. */
  payer?: { payer_info: Party };
  redirect_urls: { return_url: string; cancel_url: string; history_responses: HistoryResponse[] };
  /** items = Σ sub_total, amount = items + tax + shipping (the amount charged is Σ transactions' total). */
  total: { currency: CurrencyRef; items: number; shipping: number; tax: number; amount: number };
  transactions: IntentTransaction[];
  /** Billing requests only. */
  pay_tokens?: PayToken[];
  created_at: string;
  expires_at: string;
  _links: { self: Link; execute: Link; approval_url?: Link; cancel: Link };
}

/** An intent as the history lists it: without items, distributions and return-URL calls (`retrieve` has them). */
export type PaymentIntentSummary = Omit<PaymentIntent, 'transactions' | 'redirect_urls'> & {
  redirect_urls: { return_url: string; cancel_url: string };
  transactions: Omit<IntentTransaction, 'items' | 'distributions'>[];
};

export interface IntentItemParams {
  name: string;
  price: Amount;
  quantity?: number;
  sku?: string;
  currency?: string;
}

export interface IntentDistributionParams {
  /** Username of an account authorized for the app. */
  digitalAccountDestination: string;
  amount: Amount;
  description?: string;
}

export interface IntentTransactionParams {
  amount: { total: Amount; currency?: string; details?: { shipping?: Amount; tax?: Amount; subTotal?: Amount } };
  description: string;
  invoiceNumber?: string;
  /** Username of the account credited (default: the app's receiving account). */
  digitalAccountDestination?: string;
  items: IntentItemParams[];
  distributions?: IntentDistributionParams[];
}

interface IntentParamsBase {
  redirectUrls: { returnUrl: string; cancelUrl: string };
  transactions: IntentTransactionParams[];
}

/** A payment-button sale: the buyer approves it on `_links.approval_url`. */
export interface SaleParams extends IntentParamsBase {
  intent: 'sale';
}

/** A billing request: paid by `recipient` (username, phone or identification) in the wallet or at the till. */
export interface RequestParams extends IntentParamsBase {
  intent: 'request';
  recipient: string;
}

export type PaymentIntentCreateParams = SaleParams | RequestParams;

export interface ExecuteSaleParams {
  /** The payer id the return URL received (`payerId`). */
  payer: string;
}

export interface ExecuteRequestParams {
  /** One of the intent's `pay_tokens[].id`. */
  payToken: string;
  /** The payer's 4-digit operations PIN. */
  pin: string;
}

// ── Payments ────────────────────────────────────────────────────────────────────────────────

/** 2000 canceled by the sender, 4000 approved and waiting for the receiver, 9000 finished. */
export type PaymentStatus = 2000 | 4000 | 9000;

export interface Payment {
  id: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  created_at: string;
  /** Decimal string. */
  amount_total: string;
  /** `P` + yymmdd + digits. */
  ref: string;
  /** The payer. */
  user: Party;
  status: PaymentStatus;
  type: 1000;
  recipient: Party;
  digital_account_source: { id: string; created_at: string; name: string };
  payment_methods: {
    operation_method: 'digital_account';
    amount_total: string;
    item_operations: { description: string; amount_total: string; currency: CurrencyRef }[];
  }[];
  _data: { summary: string; kind: 'sale' | 'request' | 'transfer'; currency: CurrencyRef; fee: string; payment_intent: string | null };
}

// ── Payouts ─────────────────────────────────────────────────────────────────────────────────

/** `DISPERSION` settles interbank within 24 h; `DISPERSION_INSTANT_INTERBANK` at once (other fees). */
export type PayoutType = 'DISPERSION' | 'DISPERSION_INSTANT_INTERBANK';
export type PayoutItemStatus = 'APPROVED' | 'PROCESSING' | 'PAID' | 'FAILED';

export interface PayoutItemCreateParams {
  type: PayoutType;
  /** Your own reference of the payment. */
  reference: string;
  /** Name of the account holder. */
  nameAccount: string;
  /** V, E, J, G or P followed by the digits (`J54637469`). */
  identificationNumber: string;
  /** 20 digits; the first four are the bank code. */
  bankAccount: string;
  /** In VES. */
  amount: Amount;
}

/** A payout item in the batch pending upload (submitted from the console). */
export interface PayoutItem {
  /** `MP` + yymmdd + sequence. */
  ref: string;
  identification_number: string;
  status: PayoutItemStatus;
}

// ── Profile, lists ──────────────────────────────────────────────────────────────────────────

export interface Profile {
  id: string;
  username: string;
  email: string | null;
  type: 'person' | 'business';
  phone: string | null;
  identification: string | null;
  _data: { fullname: string };
  /** The wallet accounts; `balance` is the available balance, a decimal string. */
  digital_accounts: { id: string; currency: CurrencyRef; balance: string }[];
  client: { id: string; name: string };
}

export interface ListParams {
  /** First page to read (default 1). */
  page?: number;
  /** Entries per page (default 10, at most 100). */
  maxPerPage?: number;
}

/** The contract's Paginator. */
export interface Page<T> {
  links: { first: { href: string }; self: { href: string }; next?: { href: string }; previous?: { href: string }; last: { href: string } };
  meta: { currentPage: number; maxPerPage: number; totalPages: number; totalResults: number };
  data: T[];
}
