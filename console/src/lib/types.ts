// The console API's answers, as the pages use them.
export interface Profile {
  id: string;
  type: 'person' | 'business' | 'operator';
  username: string;
  name: string;
  email: string;
  phone: string;
  identification: string;
}

export interface Wallet {
  id: string;
  currency: string;
  balance: string;
  held: string;
  heldMinor: number;
}

export interface Me {
  user: Profile;
  csrfToken: string;
  expiresAt: string;
  wallets: Wallet[];
}

export interface ConsoleConfig {
  environment: 'sandbox' | 'production';
  affiliationCodesUrl: string | null;
}

export interface Permissions {
  paymentButton: boolean;
  billingApi: boolean;
  distributions: boolean;
  payouts: boolean;
}

/** An account authorized to receive an app's distributions, with its holder. */
export interface DistributionRecipient {
  accountId: string;
  currency: string;
  username: string;
  name: string;
  authorizedAt: string;
}

export interface App {
  id: string;
  name: string;
  description: string;
  homepageUrl: string;
  redirectUris: string[];
  receivingAccountId: string;
  environment: 'sandbox' | 'production';
  ready: boolean;
  activationRequestedAt: string | null;
  permissions: Permissions;
  distributionAccounts: string[];
  distributionRecipients: DistributionRecipient[];
  hasLogo: boolean;
  clientId: string;
  publicKey: string;
  createdAt: string;
}

export interface Credentials {
  clientId: string;
  clientSecret: string;
  publicKey: string;
  accessToken: string;
}

export interface WalletSummary {
  wallets: Wallet[];
  pin: { set: boolean; locked: boolean };
  /** Sandbox test money may be added (test users only). */
  testTopUp: boolean;
}

export interface Movement {
  id: string;
  entryId: string;
  kind: string;
  description: string;
  accountId: string;
  currency: string;
  amount: string;
  createdAt: string;
}

export interface MovementPage {
  data: Movement[];
  nextCursor: string | null;
}

export interface PaymentRequest {
  id: string;
  merchantName: string;
  appName: string;
  description: string;
  invoiceNumber: string | null;
  amount: string;
  currency: string;
  createdAt: string;
  expiresAt: string;
}

export interface Transfer {
  ref: string;
  amount: string;
  fee: string;
  currency: string;
  toUsername: string;
}

export type IntentState = 'created' | 'executed' | 'annulled' | 'rejected' | 'expired';

/** A row of the merchant's payments list. */
export interface MerchantIntent {
  id: string;
  kind: 'sale' | 'request';
  state: IntentState;
  appId: string;
  amount: string;
  currency: string;
  description: string;
  invoiceNumber: string | null;
  payer: string | null;
  recipient: string | null;
  paymentRef: string | null;
  createdAt: string;
  executedAt: string | null;
}

export interface MerchantIntentPage {
  data: MerchantIntent[];
  meta: { page: number; perPage: number; total: number; totalPages: number };
}

export interface IntentPosting {
  entry: 'payment' | 'annulment';
  entryId: string;
  accountId: string;
  owner: { name: string; username: string } | null;
  systemCode: string | null;
  amount: string;
  currency: string;
}

export interface MerchantIntentDetail extends MerchantIntent {
  expiresAt: string;
  returnUrl: string;
  cancelUrl: string;
  totals: { items: string; tax: string; shipping: string; amount: string };
  history: { state: IntentState | 'approved'; at: string }[];
  annulUntil: string | null;
  transactions: {
    description: string;
    invoiceNumber: string | null;
    total: string;
    items: { name: string; quantity: number; price: string; sku: string | null }[];
    distributions: { destination: string; amount: string; description: string }[];
  }[];
  payment: { id: string; ref: string; state: 'finished' | 'canceled' | 'waiting'; amount: string; fee: string; net: string; createdAt: string } | null;
  postings: IntentPosting[];
  historyResponses: { uri: string; method: string; statusCode: number | null; body: string | null; error: string | null }[];
}

export interface MerchantSummary {
  wallets: Wallet[];
  volume: { date: string; currency: string; amount: string; count: number }[];
  /** The volume's span summed per currency. */
  totals: { currency: string; amount: string; count: number }[];
}

export interface WebhookEndpoint {
  id: string;
  appId: string;
  url: string;
  description: string;
  /** Event types or patterns ("payment.created", "payment.*", "*"). */
  eventTypes: string[];
  enabled: boolean;
  /** Switched off by the dispatcher after failing for too long. */
  flagged: boolean;
  flaggedAt: string | null;
  flagReason: string | null;
  createdAt: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType?: string;
  endpointId: string | null;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  completedAt: string | null;
  createdAt: string;
}

export interface WebhookAttempt {
  number: number;
  requestId: string;
  url: string;
  at: string;
  statusCode: number | null;
  error: string | null;
  latencyMs: number | null;
  /** The first kilobyte of the receiver's answer. */
  responseBody: string | null;
  succeeded: boolean;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  attemptLog: WebhookAttempt[];
}
