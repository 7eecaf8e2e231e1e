// Table types for Kysely. Times are epoch milliseconds on the deployment clock; money is
// integer minor units; flags are 0/1 integers (one representation on SQLite and PostgreSQL).
import type { Generated } from 'kysely';
import type { EventRecord } from '../modules/webhooks/index.ts';

export interface UsersTable {
  id: string;
  type: 'person' | 'business' | 'operator';
  username: string;
  email: string;
  phone: string | null;
  identification: string | null;
  name: string;
  password_hash: string;
  pin_hash: string | null;
  pin_failed_attempts: Generated<number>;
  pin_locked_at: number | null;
  is_test: Generated<number>;
  /** The site (MLA, MLB, …) of a test user made through the card family's test-user API; null otherwise. */
  test_site_id: string | null;
  created_at: number;
}

export interface AffiliationCodesTable {
  code: string;
  type: 'regular' | 'commercial';
  created_at: number;
  used_at: number | null;
  used_by_user_id: string | null;
}

export interface AccountsTable {
  id: string;
  /** wallet:<userId>:<currency> or system:<code>:<currency>; unique. */
  key: string;
  kind: 'wallet' | 'system';
  owner_user_id: string | null;
  system_code: string | null;
  currency: string;
  balance_minor: number;
  /** Sum of this account's pending holds (migration 010): available = balance − held. */
  held_minor: number;
  created_at: number;
}

export interface JournalEntriesTable {
  id: string;
  kind: string;
  description: string;
  reference_id: string | null;
  created_at: number;
}

export interface PostingsTable {
  entry_id: string;
  line: number;
  account_id: string;
  currency: string;
  amount_minor: number;
}

export interface OauthAppsTable {
  id: string;
  owner_user_id: string;
  name: string;
  description: string;
  homepage_url: string;
  receiving_account_id: string;
  logo_png: Uint8Array | null;
  client_id: string;
  client_secret_hash: string;
  /** AES-GCM under the master key, so the console can show the keys again. */
  client_secret_enc: string;
  public_key: string;
  access_token_enc: string;
  environment: 'sandbox' | 'production';
  ready: number;
  activation_requested_at: number | null;
  perm_payment_button: number;
  perm_billing_api: number;
  perm_distributions: number;
  perm_payouts: number;
  credentials_version: number;
  /** JSON array of the redirect URIs the authorization-code flow accepts (exact match). */
  redirect_uris: string;
  created_at: number;
}

export interface AppDistributionAccountsTable {
  app_id: string;
  account_id: string;
  created_at: number;
}

export interface OauthTokensTable {
  token_hash: string;
  kind: 'access' | 'refresh' | 'app';
  app_id: string;
  user_id: string;
  family_id: string;
  /** The app's credentials_version at issuance (null: before migration 007). */
  credentials_version: number | null;
  expires_at: number | null;
  used_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

export interface OauthTokenFamiliesTable {
  family_id: string;
  app_id: string;
  revoked_at: number | null;
  created_at: number;
}

export interface OauthCodesTable {
  code_hash: string;
  app_id: string;
  /** The seller who approved the app on the consent page. */
  user_id: string;
  redirect_uri: string;
  expires_at: number;
  used_at: number | null;
  /** The token family its exchange issued (revoked if the code is presented again). */
  family_id: string | null;
  created_at: number;
}

export interface TestUsersTable {
  user_id: string;
  /** The account that created it (at most 10 alive each). */
  owner_user_id: string;
  site_id: string;
  created_at: number;
  last_active_at: number;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface UserLocksTable {
  user_id: string;
  locked_by: string;
  locked_at: number;
}

export interface AppRequestsTable {
  app_id: string;
  subject: 'activation' | 'payment_button' | 'billing_api' | 'distributions' | 'payouts';
  requested_at: number;
  decided_at: number | null;
  decision: 'approved' | 'rejected' | null;
  reason: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  expires_at: number;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** The outbox row (see src/modules/webhooks/model.ts for what reads it). */
export interface EventsTable extends EventRecord {}

export interface FeeRulesTable {
  operation: string;
  currency: string;
  percent_bp: number;
  fixed_minor: number;
  updated_at: number;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

export interface SignInFailuresTable {
  /** `<subject>` or `<subject>|<source>` (see src/modules/identity/sign-in-limits.ts). */
  key: string;
  count: number;
  window_start: number;
}

export interface SignInSourcesTable {
  user_id: string;
  source: string;
  last_success_at: number;
}

export interface PinMerchantAttemptsTable {
  user_id: string;
  merchant_user_id: string;
  failed_attempts: number;
  locked_at: number | null;
}

export interface Database {
  users: UsersTable;
  affiliation_codes: AffiliationCodesTable;
  accounts: AccountsTable;
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  oauth_apps: OauthAppsTable;
  app_distribution_accounts: AppDistributionAccountsTable;
  oauth_tokens: OauthTokensTable;
  oauth_token_families: OauthTokenFamiliesTable;
  oauth_codes: OauthCodesTable;
  test_users: TestUsersTable;
  password_resets: PasswordResetsTable;
  sessions: SessionsTable;
  user_locks: UserLocksTable;
  app_requests: AppRequestsTable;
  settings: SettingsTable;
  events: EventsTable;
  fee_rules: FeeRulesTable;
  rate_limits: RateLimitsTable;
  sign_in_failures: SignInFailuresTable;
  sign_in_sources: SignInSourcesTable;
  pin_merchant_attempts: PinMerchantAttemptsTable;
}
