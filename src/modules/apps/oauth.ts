// OAuth2 tokens for the wallet API (`POST /oauth/v2/token`) and the card family
// (`POST /oauth/token`): client credentials (urn:client_apps), password, refresh_token and
// authorization_code (a seller's consent, authorization.ts) grants. Tokens are random, stored only as SHA-256 hashes; access tokens live
// an hour; refresh tokens rotate, and a reused refresh token revokes its whole family.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { keyPrefix } from './service.ts';
import { redeemAuthorizationCode } from './authorization.ts';
import {
  claimTokenUse,
  findAppByClientIdWithoutLogo,
  findRefreshToken,
  insertTokenFamilyIfMissing,
  insertTokens,
  lockTokenFamily,
  revokeFamilyTokens,
  revokeTokenFamily,
  findAppByPublicKey,
  type AppRow,
} from './repo.ts';
import { inTransaction, type Db, type Tx } from '../../store/db.ts';
import { randomToken, sha256Hex } from '../../platform/secrets.ts';
import { authenticateLimited, isUserLocked, type UserRow } from '../identity/index.ts';
import type { BearerFailure } from './bearer.ts';
import { refuse } from '../../kernel/refusals.ts';
import { overQuota } from '../../store/rate-limits.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type';

/** RFC 6749 §5.2 error: the token endpoint answers `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenRequest {
  grant_type?: unknown;
  client_id?: unknown;
  client_secret?: unknown;
  username?: unknown;
  password?: unknown;
  refresh_token?: unknown;
  code?: unknown;
  redirect_uri?: unknown;
}

/** An access token and the refresh token that renews it. */
export interface TokenPair {
  /** Whom the tokens act for: the app's owner, or the seller who approved the app. */
  userId: string;
  /** The app's public key (the card family's token answer carries it). */
  publicKey: string;
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// The app as the token endpoint needs it: every column but the logo. A logo may be up to 1 MB
// and this runs on every token request (bench: BENCH_LOGO_KB=700 npm run bench -- token). The
// returned row's logo_png is always null: read the logo with getApp when it is wanted.

async function findAuthApp(db: Db, clientId: string): Promise<AppRow | undefined> {
  const row = await findAppByClientIdWithoutLogo(db, clientId);
  return row ? { ...row, logo_png: null } : undefined;
}

async function authenticateClient(ctx: Ctx, clientId: string, clientSecret: string): Promise<AppRow> {
  if (!clientId || !clientSecret) throw new OAuthError('invalid_client', 'Debe indicar client_id y client_secret.');
  const app = await findAuthApp(ctx.store.db, clientId);
  if (!app || !sameHash(app.client_secret_hash, sha256Hex(clientSecret))) {
    throw new OAuthError('invalid_client', 'Las credenciales del cliente no son válidas.');
  }
  if (app.environment !== ctx.config.environment) {
    throw new OAuthError('invalid_client', 'Estas credenciales son de otro ambiente.');
  }
  if (app.ready !== 1) {
    throw new OAuthError('unauthorized_client', 'La aplicación no está activada para usar el API. Solicite la activación al operador.');
  }
  return app;
}

async function issuePair(ctx: Ctx, app: AppRow, userId: string, familyId: string, now: number, tx: Db | Tx = ctx.store.db): Promise<TokenPair> {
  const prefix = keyPrefix(ctx.config.environment);
  const access = `${prefix}-${randomToken(32)}`;
  const refresh = `${prefix}-${randomToken(32)}`;
  await insertTokens(tx, [
    {
      token_hash: sha256Hex(access),
      kind: 'access',
      app_id: app.id,
      user_id: userId,
      family_id: familyId,
      credentials_version: app.credentials_version,
      expires_at: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
      used_at: null,
      revoked_at: null,
      created_at: now,
    },
    {
      token_hash: sha256Hex(refresh),
      kind: 'refresh',
      app_id: app.id,
      user_id: userId,
      family_id: familyId,
      credentials_version: app.credentials_version,
      expires_at: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
      used_at: null,
      revoked_at: null,
      created_at: now,
    },
  ]);
  return { userId, publicKey: app.public_key, accessToken: access, refreshToken: refresh, expiresInSeconds: ACCESS_TOKEN_TTL_SECONDS };
}

export type Grant = 'urn:client_apps' | 'client_credentials' | 'password' | 'refresh_token' | 'authorization_code';

/**
 * `source`: the client's address, which the password grant's sign-in limits count by.
 * `grants`: those the calling token endpoint offers (each wire family its own).
 */
export async function issueToken(ctx: Ctx, request: TokenRequest, source: string | undefined, grants: readonly Grant[]): Promise<TokenPair> {
  const grant = text(request.grant_type);
  if (!grant) throw new OAuthError('invalid_request', 'Debe indicar grant_type.');
  if (!(grants as readonly string[]).includes(grant)) {
    throw new OAuthError('unsupported_grant_type', `El grant_type "${grant.slice(0, 40)}" no está soportado.`);
  }
  const app = await authenticateClient(ctx, text(request.client_id), text(request.client_secret));
  const now = await ctx.clock.now();
  await takeTokenQuota(ctx, app, now);
  // A locked owner's app gets no token by any grant. The password grant says so only after the
  // password checks (authenticateLimited), so a lock does not tell who exists.
  if (grant !== 'password') await refuseIfLocked(ctx.store.db, app.owner_user_id);

  if (grant === 'urn:client_apps' || grant === 'client_credentials') {
    return issuePair(ctx, app, app.owner_user_id, randomUUID(), now);
  }

  if (grant === 'authorization_code') {
    const code = text(request.code);
    const redirectUri = text(request.redirect_uri);
    if (!code || !redirectUri) throw new OAuthError('invalid_request', 'Debe indicar code y redirect_uri.');
    // The code is used in the transaction that writes the pair: a crash leaves it unused.
    const familyId = randomUUID();
    const redeemed = await inTransaction(ctx.store, async (tx) => {
      const result = await redeemAuthorizationCode(tx, app, code, redirectUri, familyId, now);
      if (!('sellerId' in result)) return result;
      // Refused inside the transaction: the code stays unused.
      await refuseIfLocked(tx, result.sellerId);
      return { pair: await issuePair(ctx, app, result.sellerId, familyId, now, tx) };
    });
    if ('pair' in redeemed) return redeemed.pair;
    if (redeemed.reusedFamily) await revokeFamily(ctx, redeemed.reusedFamily, now);
    throw new OAuthError('invalid_grant', 'El código de autorización no es válido, ya se usó, venció o no corresponde a este redirect_uri.');
  }

  if (grant === 'password') {
    const username = text(request.username);
    const password = text(request.password);
    if (!username || !password) throw new OAuthError('invalid_request', 'Debe indicar username y password.');
    // Too many failures refuses (too_many_attempts): the token endpoint answers 429 invalid_grant.
    const user: UserRow | undefined = await authenticateLimited(ctx, username, password, source);
    // An app acts for the account that owns it; a password grant for another user is refused.
    if (!user || user.id !== app.owner_user_id) throw new OAuthError('invalid_grant', 'Usuario o contraseña incorrectos.');
    return issuePair(ctx, app, user.id, randomUUID(), now);
  }

  const presented = text(request.refresh_token);
  if (!presented) throw new OAuthError('invalid_request', 'Debe indicar refresh_token.');
  const hash = sha256Hex(presented);
  type Outcome = { kind: 'pair'; pair: TokenPair } | { kind: 'reused'; familyId: string } | { kind: 'error'; error: string };
  const outcome = await inTransaction(ctx.store, async (tx): Promise<Outcome> => {
    const row = await findRefreshToken(tx, hash);
    if (!row || row.app_id !== app.id) return { kind: 'error', error: 'El refresh_token no es válido.' };
    if (row.revoked_at !== null || isStale(row, app)) return { kind: 'error', error: 'El refresh_token fue revocado.' };
    if (row.expires_at !== null && row.expires_at <= now) return { kind: 'error', error: 'El refresh_token está vencido.' };
    // A seller's token: the seller's lock too (the owner's was checked above). Before the claim, so nothing is used.
    await refuseIfLocked(tx, row.user_id);
    // Hold the family while this refresh writes its pair (see revokeFamily). The row is made
    // on the family's first refresh, so issuing a first pair stays one statement.
    await insertTokenFamilyIfMissing(tx, { family_id: row.family_id, app_id: app.id, created_at: now });
    const familyRow = await lockTokenFamily(tx, ctx.store.dialect, row.family_id);
    if (familyRow && familyRow.revoked_at !== null) return { kind: 'error', error: 'El refresh_token fue revocado.' };
    // Mark it used in the same statement that checks it: of two concurrent uses only one wins.
    if (!(await claimTokenUse(tx, hash, now))) return { kind: 'reused', familyId: row.family_id };
    return { kind: 'pair', pair: await issuePair(ctx, app, row.user_id, row.family_id, now, tx) };
  });
  if (outcome.kind === 'pair') return outcome.pair;
  if (outcome.kind === 'reused') {
    await revokeFamily(ctx, outcome.familyId, now);
    throw new OAuthError('invalid_grant', 'El refresh_token ya fue usado; por seguridad se revocaron los tokens derivados.');
  }
  throw new OAuthError('invalid_grant', outcome.error);
}

/** The refusal every grant answers for a locked account (each token endpoint in its wire's words). */
async function refuseIfLocked(db: Db | Tx, userId: string): Promise<void> {
  if (await isUserLocked(db, userId)) refuse({ code: 'account_locked' });
}

/**
 * Tokens per client and window (TOKEN_RATE_LIMIT per TOKEN_RATE_WINDOW_SECONDS), counted in
 * the database so every process of a deployment counts together. Counted only once the client
 * has authenticated: the keys are the deployment's apps, never whatever a caller sends.
 */
async function takeTokenQuota(ctx: Ctx, app: AppRow, now: number): Promise<void> {
  const { max, windowMs } = ctx.config.tokenRateLimit;
  if (max === 0) return;
  const retryAfterSeconds = await overQuota(ctx.store.db, `token:${app.id}`, max, windowMs, now);
  if (retryAfterSeconds !== undefined) refuse({ code: 'token_rate_limited', max, windowSeconds: windowMs / 1000, retryAfterSeconds });
}

/**
 * A refresh token presented twice means it leaked: end the whole family, the legitimate holder
 * included (RFC 6819 §5.2.2.3). Marking the family first takes its row lock, so a refresh of
 * the same family still in flight finishes before the tokens are revoked, and the revocation
 * (a later statement) sees the pair it wrote; a refresh after it finds the family revoked.
 */
async function revokeFamily(ctx: Ctx, familyId: string, now: number): Promise<void> {
  // One transaction: a crash between the two would leave the family marked and its tokens
  // valid. Each statement sees what committed before it began (read committed), so the second
  // sees the pair of a refresh that held the family's lock.
  await inTransaction(ctx.store, async (tx) => {
    await revokeTokenFamily(tx, familyId, now);
    await revokeFamilyTokens(tx, familyId, now);
  });
}

/**
 * Issued under credentials that were renewed since. Issuance takes no lock: a token written
 * while a renewal commits carries the old version and fails here, whichever finished first.
 */
export function isStale(row: { credentials_version: number | null }, app: Pick<AppRow, 'credentials_version'>): boolean {
  return row.credentials_version !== null && row.credentials_version !== app.credentials_version;
}

/**
 * Resolve a public key (card tokens from a browser) to its app, or say why not. A public key
 * authorizes nothing else: the app's owner is returned only to name who collects.
 */
export async function authenticatePublicKey(ctx: Ctx, publicKey: string): Promise<AppRow | BearerFailure> {
  if (!publicKey) return 'missing';
  const otherPrefix = ctx.config.environment === 'sandbox' ? 'APP_USR-' : 'TEST-';
  if (publicKey.startsWith(otherPrefix)) return 'wrong_environment';
  const found = await findAppByPublicKey(ctx.store.db, publicKey);
  if (!found) return 'unknown';
  const app = { ...found, logo_png: null } as AppRow;
  if (app.ready !== 1) return 'inactive';
  return app;
}
