// What the retention worker prunes of the apps module: expired access and refresh tokens, and
// refresh-token families left with no token.
import type { Ctx } from '../../platform/context.ts';
import { deleteEmptyTokenFamiliesBefore, deleteTokensExpiredBefore } from './repo.ts';

// An expired token is kept a day, so a client presenting it still hears "expired" (401 with its
// own message) rather than "unknown" right after expiry; a used refresh token stays until it
// expires, which is what lets a reuse be told and its family revoked.
export const EXPIRED_TOKEN_GRACE_MS = 24 * 3600 * 1000;

/** One retention batch: up to `limit` tokens expired more than a day ago. */
export async function pruneExpiredTokens(ctx: Ctx, limit: number): Promise<number> {
  return deleteTokensExpiredBefore(ctx.store.db, (await ctx.clock.now()) - EXPIRED_TOKEN_GRACE_MS, limit);
}

/** One retention batch: up to `limit` refresh-token families with no token left. */
export async function pruneEmptyTokenFamilies(ctx: Ctx, limit: number): Promise<number> {
  return deleteEmptyTokenFamiliesBefore(ctx.store.db, (await ctx.clock.now()) - EXPIRED_TOKEN_GRACE_MS, limit);
}
