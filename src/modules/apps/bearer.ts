// Bearer tokens, resolved to their app and user on every authenticated call. The lookup joins
// four tables (the locks twice); measured under the sale benchmark it cost about a tenth of a
// sale's work on SQLite and, on PostgreSQL, one round trip per request. So this process keeps
// what it read for AUTH_CACHE_MS (1 s by default) and forgets everything as soon as it writes a
// token, an app, a user or a lock (store/read-cache.ts): a change made here is seen by the
// very next request. A change made by another process (a second server on the same
// PostgreSQL, the CLI) is seen here within AUTH_CACHE_MS. Expiry is judged on every use,
// against the deployment clock, and unknown tokens are never kept (random guesses would only
// fill memory).
import type { Ctx } from '../../platform/context.ts';
import { sha256Hex } from '../../platform/secrets.ts';
import { readCacheOf } from '../../store/read-cache.ts';
import { USER_COLUMNS, type UserRow } from '../identity/index.ts';
import { isStale } from './oauth.ts';
import { APP_COLUMNS_WITHOUT_LOGO, findBearer, type AppRow } from './repo.ts';

/** Read-only: the same objects serve every request of the token while it is kept in memory. */
export interface AuthContext {
  user: Readonly<UserRow>;
  /** Without its logo (logo_png is null here): use getApp for the logo. */
  app: Readonly<AppRow>;
  tokenKind: 'access' | 'app';
}

export type BearerFailure = 'missing' | 'unknown' | 'expired' | 'revoked' | 'wrong_environment' | 'inactive' | 'locked';

/** A token as read, before it is judged at the time of use. */
interface Bearer {
  kind: string;
  revoked: boolean;
  expiresAt: number | null;
  locked: boolean;
  /** Issued under credentials renewed since. */
  stale: boolean;
  app: Readonly<AppRow>;
  user: Readonly<UserRow>;
}

/** What a cache of bearer tokens must forget on: every table the lookup reads. */
const READS = ['oauth_tokens', 'oauth_apps', 'users', 'user_locks'];

async function loadBearer(ctx: Ctx, tokenHash: string): Promise<Bearer | undefined> {
  const row = await findBearer(ctx.store.db, tokenHash);
  if (!row) return undefined;
  const fields = row as unknown as Record<string, unknown>;
  const app = Object.fromEntries(APP_COLUMNS_WITHOUT_LOGO.map((c) => [c, fields[`app_${c}`]])) as unknown as AppRow;
  app.logo_png = null;
  const user = Object.fromEntries(USER_COLUMNS.map((c) => [c, fields[c]])) as unknown as UserRow;
  return {
    kind: row.kind,
    revoked: row.revoked_at !== null,
    expiresAt: row.expires_at,
    // A lock revokes the account's tokens; this also stops one issued while the lock committed.
    locked: row.owner_locked_at !== null || row.user_locked_at !== null,
    stale: isStale({ credentials_version: row.token_credentials_version }, app),
    app: Object.freeze(app),
    user: Object.freeze(user),
  };
}

/** Resolve a bearer token to its app and user, or say why not. */
export async function authenticateBearer(ctx: Ctx, token: string): Promise<AuthContext | BearerFailure> {
  if (!token) return 'missing';
  const otherPrefix = ctx.config.environment === 'sandbox' ? 'APP_USR-' : 'TEST-';
  if (token.startsWith(otherPrefix)) return 'wrong_environment';
  const tokenHash = sha256Hex(token);
  const bearer = await readCacheOf<Bearer>(ctx.store, 'bearer', READS, ctx.config.authCacheMs).get(tokenHash, () => loadBearer(ctx, tokenHash));
  if (!bearer || bearer.kind === 'refresh') return 'unknown';
  if (bearer.revoked) return 'revoked';
  const now = await ctx.clock.now();
  if (bearer.expiresAt !== null && bearer.expiresAt <= now) return 'expired';
  if (bearer.locked) return 'locked';
  if (bearer.stale) return 'revoked';
  if (bearer.app.ready !== 1) return 'inactive';
  return { user: bearer.user, app: bearer.app, tokenKind: bearer.kind as 'access' | 'app' };
}
