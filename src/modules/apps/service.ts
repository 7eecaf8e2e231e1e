// OAuth applications (seed 000): registration, keys, renewal, permissions and activation.
import { randomUUID } from 'node:crypto';
import { InvariantError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { inspectPng } from './png.ts';
import { APP_MESSAGES, logoProblemKey, readAppFields, readRedirectUris } from './rules.ts';
import { DEFAULT_CURRENCY } from '../../kernel/money.ts';
import type { Db, Tx } from '../../store/db.ts';
import { claimSetting } from '../../store/settings.ts';
import type { Ctx } from '../../platform/context.ts';
import { runCommand } from '../commands/index.ts';
import { findAccountFacts, walletAccount } from '../ledger/index.ts';
import { randomHex, randomToken, sha256Hex } from '../../platform/secrets.ts';
import { getUser } from '../identity/index.ts';
import {
  findApp,
  findFirstAppOfOwner,
  findListedApps,
  findOwnedListedApp,
  insertApp,
  insertTokens,
  replaceDistributionAccounts,
  revokeAppTokens,
  updateAppRow,
  type AppRow,
  type ListedApp,
} from './repo.ts';
import { approvePendingRequests } from './requests-repo.ts';
import { hasPermission, PERMISSIONS } from './permissions.ts';
import { resolveDistributionAccount } from './distribution.ts';

export { APP_COLUMNS_WITHOUT_LOGO, type AppRow, type ListedApp } from './repo.ts';
export { appView, appViews, type AppView } from './views.ts';

export { hasPermission, PERMISSIONS, type Permission } from './permissions.ts';

export function keyPrefix(environment: 'sandbox' | 'production'): string {
  return environment === 'sandbox' ? 'TEST' : 'APP_USR';
}

export interface AppInput {
  name?: unknown;
  description?: unknown;
  homepageUrl?: unknown;
  /** A list, or one per line; undefined keeps them. */
  redirectUris?: unknown;
  receivingAccount?: unknown;
  logo?: Buffer | undefined;
}

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  publicKey: string;
  accessToken: string;
}

function checkAppInput(ctx: Ctx, input: AppInput, requireLogo: boolean) {
  const { value, errors } = readAppFields(input);
  const redirect = input.redirectUris === undefined ? undefined : readRedirectUris(input.redirectUris, ctx.config.environment === 'sandbox');
  errors.push(...(redirect?.errors ?? []));
  const logoKey = logoProblemKey(input.logo ? { size: input.logo.length, head: input.logo.subarray(0, 8) } : undefined, requireLogo);
  // The browser checks only the signature; here the whole file must be a well-formed PNG.
  if (logoKey) errors.push({ path: ['logo'], message: APP_MESSAGES[logoKey].es, code: `apps.${logoKey}` });
  else if (input.logo && !inspectPng(input.logo)) errors.push({ path: ['logo'], message: APP_MESSAGES.logoNotPng.es, code: 'apps.logoNotPng' });
  if (errors.length) throw new ValidationError(errors);
  return { ...value, redirectUris: redirect?.value };
}

function newCredentials(ctx: Ctx) {
  const prefix = keyPrefix(ctx.config.environment);
  return {
    clientSecret: randomToken(32),
    publicKey: `${prefix}-${randomUUID()}`,
    accessToken: `${prefix}-${randomHex(8)}-${randomToken(32)}`,
  };
}

async function storeAppToken(tx: Tx, app: { id: string; owner_user_id: string; credentials_version: number }, accessToken: string, now: number) {
  await insertTokens(tx, {
    token_hash: sha256Hex(accessToken),
    kind: 'app',
    app_id: app.id,
    user_id: app.owner_user_id,
    family_id: `app:${app.id}:${app.credentials_version}`,
    credentials_version: app.credentials_version,
    expires_at: null,
    used_at: null,
    revoked_at: null,
    created_at: now,
  });
}

export async function createApp(
  ctx: Ctx,
  ownerUserId: string,
  input: AppInput,
  options: { requireLogo?: boolean } = {},
): Promise<{ app: AppRow; credentials: AppCredentials }> {
  const prepared = await prepareApp(ctx, ownerUserId, input, options.requireLogo ?? true);
  return runCommand(ctx, undefined, async ({ tx }) => prepared.insert(tx));
}

/**
 * The deployment's one app created under `marker` (the sandbox demo's): the marker is claimed
 * in the same transaction that creates the app, so a crash leaves neither or both, and a
 * concurrent caller waits for the first and answers its app.
 */
export async function createAppOnce(ctx: Ctx, marker: string, ownerUserId: string, input: AppInput): Promise<AppRow> {
  const prepared = await prepareApp(ctx, ownerUserId, input, true);
  const mine = randomToken(8);
  return runCommand(ctx, undefined, async ({ tx }) => {
    if ((await claimSetting(tx, marker, mine)) !== mine) {
      const existing = await findFirstAppOfOwner(tx, ownerUserId);
      if (!existing) throw new InvariantError(`${marker} is claimed but its app is missing`);
      return existing;
    }
    return (await prepared.insert(tx)).app;
  });
}

async function prepareApp(ctx: Ctx, ownerUserId: string, input: AppInput, requireLogo: boolean) {
  const fields = checkAppInput(ctx, input, requireLogo);
  const owner = await getUser(ctx.store.db, ownerUserId);
  if (owner.type !== 'business') refuse({ code: 'business_account_required' });
  const now = await ctx.clock.now();
  const sandbox = ctx.config.environment === 'sandbox';
  const creds = newCredentials(ctx);
  return {
    async insert(tx: Tx): Promise<{ app: AppRow; credentials: AppCredentials }> {
      const receiving = await resolveReceivingAccount(tx, ownerUserId, input.receivingAccount, now);
      const app: AppRow = {
        id: randomUUID(),
        owner_user_id: ownerUserId,
        name: fields.name,
        description: fields.description,
        homepage_url: fields.homepageUrl,
        redirect_uris: JSON.stringify(fields.redirectUris ?? []),
        receiving_account_id: receiving,
        logo_png: input.logo ?? null,
        client_id: randomHex(16),
        client_secret_hash: sha256Hex(creds.clientSecret),
        client_secret_enc: ctx.keys.seal(creds.clientSecret),
        public_key: creds.publicKey,
        access_token_enc: ctx.keys.seal(creds.accessToken),
        environment: ctx.config.environment,
        // Sandbox apps are ready at once with the payment button and billing API on (seed 001);
        // production apps wait for the operator.
        ready: sandbox ? 1 : 0,
        activation_requested_at: null,
        perm_payment_button: sandbox ? 1 : 0,
        perm_billing_api: sandbox ? 1 : 0,
        perm_distributions: 0,
        perm_payouts: 0,
        credentials_version: 1,
        created_at: now,
      };
      await insertApp(tx, app);
      await storeAppToken(tx, app, creds.accessToken, now);
      return { app, credentials: { clientId: app.client_id, ...creds } };
    },
  };
}

/** The receiving account must be one of the owner's own wallet accounts (default: VES). */
async function resolveReceivingAccount(tx: Tx, ownerUserId: string, reference: unknown, now: number): Promise<string> {
  if (reference === undefined || reference === null || reference === '') {
    return (await walletAccount(tx, ownerUserId, DEFAULT_CURRENCY, now)).id;
  }
  const account = await findAccountFacts(tx, String(reference));
  if (!account || account.owner_user_id !== ownerUserId || account.kind !== 'wallet') {
    throw new ValidationError([{ path: ['receivingAccount'], message: APP_MESSAGES.receivingAccount.es, code: 'apps.receivingAccount' }]);
  }
  return account.id;
}

/** Another owner's app is "not found", never "forbidden": ids do not leak across tenants. */
export async function getOwnedApp(db: Db | Tx, ownerUserId: string, appId: string): Promise<ListedApp> {
  const app = await findOwnedListedApp(db, ownerUserId, appId);
  if (!app) throw new NotFoundError(APP_MESSAGES.notFound.es, 'apps.notFound');
  return app;
}

export async function getApp(db: Db | Tx, appId: string): Promise<AppRow> {
  const app = await findApp(db, appId);
  if (!app) throw new NotFoundError(APP_MESSAGES.notFound.es, 'apps.notFound');
  return app;
}

export async function listApps(db: Db, ownerUserId?: string): Promise<ListedApp[]> {
  return findListedApps(db, ownerUserId);
}

export async function updateApp(ctx: Ctx, ownerUserId: string, appId: string, input: AppInput): Promise<AppRow> {
  const current = await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const fields = checkAppInput(
    ctx,
    {
      name: input.name ?? current.name,
      description: input.description ?? current.description,
      homepageUrl: input.homepageUrl ?? current.homepage_url,
      redirectUris: input.redirectUris,
      logo: input.logo,
    },
    false,
  );
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    const receiving =
      input.receivingAccount !== undefined ? await resolveReceivingAccount(tx, ownerUserId, input.receivingAccount, now) : current.receiving_account_id;
    await updateAppRow(tx, appId, {
      name: fields.name,
      description: fields.description,
      homepage_url: fields.homepageUrl,
      ...(fields.redirectUris ? { redirect_uris: JSON.stringify(fields.redirectUris) } : {}),
      receiving_account_id: receiving,
      ...(input.logo ? { logo_png: input.logo } : {}),
    });
    return getApp(tx, appId);
  });
}

/** Show the keys again (the console's "llaves de acceso"). */
export function revealCredentials(ctx: Ctx, app: Pick<AppRow, 'client_id' | 'client_secret_enc' | 'public_key' | 'access_token_enc'>): AppCredentials {
  return {
    clientId: app.client_id,
    clientSecret: ctx.keys.open(app.client_secret_enc),
    publicKey: app.public_key,
    accessToken: ctx.keys.open(app.access_token_enc),
  };
}

/** New secret, public key and access token; every token issued before stops working at once. */
export async function renewCredentials(ctx: Ctx, ownerUserId: string, appId: string): Promise<AppCredentials> {
  const creds = newCredentials(ctx);
  return runCommand(ctx, undefined, async ({ tx, now, emit }) => {
    const app = await getOwnedApp(tx, ownerUserId, appId);
    const version = app.credentials_version + 1;
    await updateAppRow(tx, appId, {
      client_secret_hash: sha256Hex(creds.clientSecret),
      client_secret_enc: ctx.keys.seal(creds.clientSecret),
      public_key: creds.publicKey,
      access_token_enc: ctx.keys.seal(creds.accessToken),
      credentials_version: version,
    });
    await revokeAppTokens(tx, appId, now);
    await storeAppToken(tx, { ...app, credentials_version: version }, creds.accessToken, now);
    // The secrets themselves never go into an event.
    emit({
      type: 'application.credentials_renewed',
      objectId: app.id,
      ownerUserId: app.owner_user_id,
      appId: app.id,
      payload: { id: app.id, client_id: app.client_id, public_key: creds.publicKey, credentials_version: version },
    });
    return { clientId: app.client_id, ...creds };
  });
}

export async function requestActivation(ctx: Ctx, ownerUserId: string, appId: string): Promise<AppRow> {
  const app = await getOwnedApp(ctx.store.db, ownerUserId, appId);
  if (app.ready === 1) refuse({ code: 'app_already_active' });
  const now = await ctx.clock.now();
  await updateAppRow(ctx.store.db, appId, { activation_requested_at: now });
  return getApp(ctx.store.db, appId);
}

export interface PermissionChange {
  ready?: boolean;
  paymentButton?: boolean;
  billingApi?: boolean;
  distributions?: boolean;
  payouts?: boolean;
  /** Accounts (wallet ids or usernames) that may receive this app's distributions. */
  distributionAccounts?: string[];
}

/**
 * The operator decides permissions and activation. In sandbox the owner may too: the
 * sandbox exists for trying every capability before asking for it in production.
 */
export async function setPermissions(ctx: Ctx, actor: { userId: string; isOperator: boolean }, appId: string, change: PermissionChange): Promise<AppRow> {
  return runCommand(ctx, undefined, ({ tx, now }) => changePermissions(ctx, tx, now, actor, appId, change));
}

/**
 * setPermissions once per deployment under `marker` (the sandbox demo's grant): claimed in the
 * same transaction as the change, so a permission the owner later turns off stays off.
 */
export async function setPermissionsOnce(
  ctx: Ctx,
  marker: string,
  actor: { userId: string; isOperator: boolean },
  appId: string,
  change: PermissionChange,
): Promise<AppRow> {
  const mine = randomToken(8);
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    if ((await claimSetting(tx, marker, mine)) !== mine) return getApp(tx, appId);
    return changePermissions(ctx, tx, now, actor, appId, change);
  });
}

export async function changePermissions(
  ctx: Ctx,
  tx: Tx,
  now: number,
  actor: { userId: string; isOperator: boolean },
  appId: string,
  change: PermissionChange,
): Promise<AppRow> {
  const app = actor.isOperator ? await getApp(tx, appId) : await getOwnedApp(tx, actor.userId, appId);
  if (!actor.isOperator && ctx.config.environment !== 'sandbox') refuse({ code: 'permissions_by_operator' });
  const flag = (v: boolean | undefined, current: number) => (v === undefined ? current : v ? 1 : 0);
  await updateAppRow(tx, appId, {
    ready: flag(change.ready, app.ready),
    perm_payment_button: flag(change.paymentButton, app.perm_payment_button),
    perm_billing_api: flag(change.billingApi, app.perm_billing_api),
    perm_distributions: flag(change.distributions, app.perm_distributions),
    perm_payouts: flag(change.payouts, app.perm_payouts),
  });
  if (change.distributionAccounts) {
    const ids: string[] = [];
    for (const [i, ref] of change.distributionAccounts.entries()) {
      ids.push(await resolveDistributionAccount(tx, app.owner_user_id, String(ref), now, ['distributionAccounts', String(i)]));
    }
    await replaceDistributionAccounts(tx, appId, [...new Set(ids)], now);
  }
  const updated = await getApp(tx, appId);
  // A permission that is on answers its pending request: the operator's queue no longer lists it.
  await approvePendingRequests(
    tx,
    appId,
    PERMISSIONS.filter((p) => hasPermission(updated, p)),
    now,
  );
  return updated;
}

/** Operator: activate a production app after its owner asked ("cliente listo para usar"). */
export async function activateApp(ctx: Ctx, appId: string): Promise<AppRow> {
  return setPermissions(ctx, { userId: '', isOperator: true }, appId, { ready: true, paymentButton: true });
}
