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

export interface App {
  id: string;
  name: string;
  description: string;
  homepageUrl: string;
  receivingAccountId: string;
  environment: 'sandbox' | 'production';
  ready: boolean;
  activationRequestedAt: string | null;
  permissions: Permissions;
  distributionAccounts: string[];
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
