// The apps module's SQL: oauth_apps, oauth_tokens, oauth_token_families and
// app_distribution_accounts. Use cases are in service.ts (apps) and oauth.ts (tokens).
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Dialect, Tx } from '../../store/db.ts';
import { lockedForUpdate } from '../../store/locking.ts';
import { deleteBatchBefore } from '../../store/prune.ts';
import { prepared } from '../../store/prepared.ts';
import { USER_COLUMNS } from '../identity/index.ts';
import type { Database, OauthAppsTable, OauthTokensTable } from '../../store/schema.ts';

export type AppRow = OauthAppsTable;
export type TokenRow = OauthTokensTable;

/** Every column but the logo: a logo may be up to 1 MB, and lists and authentication never show it. */
export const APP_COLUMNS_WITHOUT_LOGO = [
  'id',
  'owner_user_id',
  'name',
  'description',
  'homepage_url',
  'redirect_uris',
  'receiving_account_id',
  'client_id',
  'client_secret_hash',
  'client_secret_enc',
  'public_key',
  'access_token_enc',
  'environment',
  'ready',
  'activation_requested_at',
  'perm_payment_button',
  'perm_billing_api',
  'perm_distributions',
  'perm_payouts',
  'credentials_version',
  'created_at',
] as const satisfies readonly (keyof AppRow)[];

/** An app as lists read it: without its logo, only whether it has one (1 or 0). */
export type ListedApp = Omit<AppRow, 'logo_png'> & { has_logo: number };

// ── apps ────────────────────────────────────────────────────────────────────────────────────

export async function insertApp(tx: Tx, app: AppRow): Promise<void> {
  await tx.insertInto('oauth_apps').values(app).execute();
}

export async function findApp(db: Db | Tx, appId: string): Promise<AppRow | undefined> {
  return (await db.selectFrom('oauth_apps').selectAll().where('id', '=', appId).executeTakeFirst()) as AppRow | undefined;
}

/** The app (without its logo) by client id, for the authentication paths. */
/** The app a public key belongs to (no logo): card tokens from a browser name only that. */
export function findAppByPublicKey(db: Db | Tx, publicKey: string) {
  return db.selectFrom('oauth_apps').select(APP_COLUMNS_WITHOUT_LOGO).where('public_key', '=', publicKey).executeTakeFirst();
}

export function findAppByClientIdWithoutLogo(db: Db | Tx, clientId: string) {
  return db.selectFrom('oauth_apps').select(APP_COLUMNS_WITHOUT_LOGO).where('client_id', '=', clientId).executeTakeFirst();
}

export async function findOwnedListedApp(db: Db | Tx, ownerUserId: string, appId: string): Promise<ListedApp | undefined> {
  return (await db
    .selectFrom('oauth_apps')
    .select(APP_COLUMNS_WITHOUT_LOGO)
    .select(sql<number>`case when logo_png is null then 0 else 1 end`.as('has_logo'))
    .where('id', '=', appId)
    .where('owner_user_id', '=', ownerUserId)
    .executeTakeFirst()) as ListedApp | undefined;
}

/** Apps newest first, every owner's or one owner's. */
export async function findListedApps(db: Db | Tx, ownerUserId?: string): Promise<ListedApp[]> {
  let q = db
    .selectFrom('oauth_apps')
    .select(APP_COLUMNS_WITHOUT_LOGO)
    .select(sql<number>`case when logo_png is null then 0 else 1 end`.as('has_logo'))
    .orderBy('created_at', 'desc');
  if (ownerUserId) q = q.where('owner_user_id', '=', ownerUserId);
  return (await q.execute()) as ListedApp[];
}

export type AppChanges = Partial<
  Pick<
    AppRow,
    | 'name'
    | 'description'
    | 'homepage_url'
    | 'receiving_account_id'
    | 'logo_png'
    | 'client_secret_hash'
    | 'client_secret_enc'
    | 'public_key'
    | 'access_token_enc'
    | 'credentials_version'
    | 'activation_requested_at'
    | 'ready'
    | 'perm_payment_button'
    | 'perm_billing_api'
    | 'perm_distributions'
    | 'perm_payouts'
  >
>;

export async function updateAppRow(db: Db | Tx, appId: string, changes: AppChanges): Promise<void> {
  await db.updateTable('oauth_apps').set(changes).where('id', '=', appId).execute();
}

/**
 * Withdraw the activation request read at `requestedAt`, in the statement that checks it still
 * waits: of two decisions (or a decision and a new request) only one wins.
 */
export async function clearPendingActivation(tx: Tx, appId: string, requestedAt: number): Promise<boolean> {
  const result = await tx
    .updateTable('oauth_apps')
    .set({ activation_requested_at: null })
    .where('id', '=', appId)
    .where('ready', '=', 0)
    .where('activation_requested_at', '=', requestedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ── distribution accounts ───────────────────────────────────────────────────────────────────

/**
 * Make the app's distribution accounts exactly `accountIds`: those kept keep their row (their
 * authorization time and place in the list), only the missing are added and the others removed.
 */
export async function replaceDistributionAccounts(tx: Tx, appId: string, accountIds: readonly string[], now: number): Promise<void> {
  let removal = tx.deleteFrom('app_distribution_accounts').where('app_id', '=', appId);
  if (accountIds.length) removal = removal.where('account_id', 'not in', [...accountIds]);
  await removal.execute();
  if (accountIds.length) {
    await tx
      .insertInto('app_distribution_accounts')
      .values(accountIds.map((account_id) => ({ app_id: appId, account_id, created_at: now })))
      .onConflict((oc) => oc.columns(['app_id', 'account_id']).doNothing())
      .execute();
  }
}

/** Oldest authorization first (then by account id), as the console's view lists them. */
export function findDistributionAccounts(db: Db | Tx, appId: string): Promise<{ account_id: string }[]> {
  return db.selectFrom('app_distribution_accounts').select('account_id').where('app_id', '=', appId).orderBy('created_at').orderBy('account_id').execute();
}

/** The owner's app, its row locked until the transaction ends: its distribution accounts change one at a time. */
export function lockOwnedApp(tx: Tx, dialect: Dialect, ownerUserId: string, appId: string) {
  return lockedForUpdate(
    dialect,
    tx.selectFrom('oauth_apps').select(['id', 'owner_user_id', 'perm_distributions']).where('id', '=', appId).where('owner_user_id', '=', ownerUserId),
  ).executeTakeFirst();
}

/** Authorize one account; false when it already was (the primary key keeps one row). */
export async function insertDistributionAccount(tx: Tx, appId: string, accountId: string, now: number): Promise<boolean> {
  const result = await tx
    .insertInto('app_distribution_accounts')
    .values({ app_id: appId, account_id: accountId, created_at: now })
    .onConflict((oc) => oc.columns(['app_id', 'account_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteDistributionAccount(tx: Tx, appId: string, accountId: string): Promise<boolean> {
  const result = await tx.deleteFrom('app_distribution_accounts').where('app_id', '=', appId).where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function countDistributionAccounts(db: Db | Tx, appId: string): Promise<number> {
  const row = await db
    .selectFrom('app_distribution_accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', appId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The apps' distribution accounts with who holds each (wallet currency, username and name), in
 * one statement for a whole list of apps, oldest authorization first.
 */
export function findDistributionRecipientsOfApps(db: Db | Tx, appIds: readonly string[]) {
  return db
    .selectFrom('app_distribution_accounts as d')
    .innerJoin('accounts as a', 'a.id', 'd.account_id')
    .innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .select(['d.app_id', 'd.account_id', 'd.created_at', 'a.currency', 'u.username', 'u.name'])
    .where('d.app_id', 'in', [...appIds])
    .orderBy('d.created_at')
    .orderBy('d.account_id')
    .execute();
}

// ── tokens ──────────────────────────────────────────────────────────────────────────────────

export async function insertTokens(db: Db | Tx, tokens: TokenRow | TokenRow[]): Promise<void> {
  await db.insertInto('oauth_tokens').values(tokens).execute();
}

export function findRefreshToken(db: Db | Tx, tokenHash: string): Promise<TokenRow | undefined> {
  return db.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', tokenHash).where('kind', '=', 'refresh').executeTakeFirst();
}

/** Mark the token used if it was not: false when another use won. */
export async function claimTokenUse(tx: Tx, tokenHash: string, now: number): Promise<boolean> {
  const claimed = await tx
    .updateTable('oauth_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function revokeAppTokens(db: Db | Tx, appId: string, now: number): Promise<void> {
  await db.updateTable('oauth_tokens').set({ revoked_at: now }).where('app_id', '=', appId).where('revoked_at', 'is', null).execute();
}

/**
 * An account lock: every live access and refresh token of the user's apps, and of those acting
 * for the user on another's app. The app's own token is a credential like its client secret: it
 * is refused while the lock lasts (findBearer) and works again after an unlock.
 */
export async function revokeTokensOfUser(db: Db | Tx, userId: string, now: number): Promise<void> {
  await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: now })
    .where('kind', 'in', ['access', 'refresh'])
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('app_id', 'in', eb.selectFrom('oauth_apps').select('id').where('owner_user_id', '=', userId))]))
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeFamilyTokens(db: Db | Tx, familyId: string, now: number): Promise<void> {
  await db.updateTable('oauth_tokens').set({ revoked_at: now }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

export async function insertTokenFamilyIfMissing(tx: Tx, family: { family_id: string; app_id: string; created_at: number }): Promise<void> {
  await tx
    .insertInto('oauth_token_families')
    .values({ ...family, revoked_at: null })
    .onConflict((oc) => oc.column('family_id').doNothing())
    .execute();
}

/** The family's revocation, under its row lock on PostgreSQL. */
export function lockTokenFamily(tx: Tx, dialect: Dialect, familyId: string): Promise<{ revoked_at: number | null } | undefined> {
  return lockedForUpdate(dialect, tx.selectFrom('oauth_token_families').select('revoked_at').where('family_id', '=', familyId)).executeTakeFirst();
}

export async function revokeTokenFamily(tx: Tx, familyId: string, now: number): Promise<void> {
  await tx.updateTable('oauth_token_families').set({ revoked_at: now }).where('family_id', '=', familyId).execute();
}

/**
 * A bearer token with its app (no logo, columns prefixed `app_`), its user and whether the app's
 * owner or the token's user is locked, in one statement: it runs on every authenticated call.
 */
export function findBearer(db: Db | Tx, tokenHash: string) {
  return bearerByHash.first(db, { tokenHash });
}

const bearerByHash = prepared((db, p: { tokenHash: string }) =>
  db
    .selectFrom('oauth_tokens as t')
    .innerJoin('oauth_apps as a', 'a.id', 't.app_id')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .leftJoin('user_locks as owner_lock', 'owner_lock.user_id', 'a.owner_user_id')
    .leftJoin('user_locks as user_lock', 'user_lock.user_id', 't.user_id')
    .select(['t.kind', 't.revoked_at', 't.expires_at', 't.credentials_version as token_credentials_version'])
    .select(['owner_lock.locked_at as owner_locked_at', 'user_lock.locked_at as user_locked_at'])
    .select(APP_COLUMNS_WITHOUT_LOGO.map((c) => `a.${c} as app_${c}` as const))
    .select(USER_COLUMNS.map((c) => `u.${c}` as const))
    .where('t.token_hash', '=', p.tokenHash),
);

/** The owner's first app (the sandbox demo merchant has one). */
export async function findFirstAppOfOwner(db: Db | Tx, ownerUserId: string): Promise<AppRow | undefined> {
  return (await db.selectFrom('oauth_apps').selectAll().where('owner_user_id', '=', ownerUserId).orderBy('created_at').executeTakeFirst()) as
    AppRow | undefined;
}

/** Tokens that expired before `before` (never the app's own token, which has no expiry): at most `limit`. */
export async function deleteTokensExpiredBefore(db: Db, before: number, limit: number): Promise<number> {
  return deleteBatchBefore(db, 'oauth_tokens', 'token_hash', 'expires_at', before, limit);
}

/** Refresh-token families created before `before` with no token left: at most `limit`. */
export async function deleteEmptyTokenFamiliesBefore(db: Db, before: number, limit: number): Promise<number> {
  const empty = (eb: ExpressionBuilder<Database, 'oauth_token_families'>) =>
    eb.not(eb.exists(eb.selectFrom('oauth_tokens as t').select('t.token_hash').whereRef('t.family_id', '=', 'oauth_token_families.family_id')));
  const result = await db
    .deleteFrom('oauth_token_families')
    .where('family_id', 'in', (eb) => eb.selectFrom('oauth_token_families').select('family_id').where('created_at', '<', before).where(empty).limit(limit))
    .where('created_at', '<', before)
    .where(empty)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- Reads other modules need (through the module index: no other module reads these tables) ---

/** Whether the app may distribute funds, read again at execution (permissions change). */
export function findAppDistributionPermission(db: Db | Tx, appId: string): Promise<{ id: string; perm_distributions: number }> {
  return db.selectFrom('oauth_apps').select(['id', 'perm_distributions']).where('id', '=', appId).executeTakeFirstOrThrow();
}

export async function findAppName(db: Db | Tx, appId: string): Promise<string | undefined> {
  return (await db.selectFrom('oauth_apps').select('name').where('id', '=', appId).executeTakeFirst())?.name;
}

export async function findAppLogo(db: Db | Tx, appId: string): Promise<Uint8Array | null | undefined> {
  return (await db.selectFrom('oauth_apps').select('logo_png').where('id', '=', appId).executeTakeFirst())?.logo_png;
}
