// Idempotency keys (`X-Idempotency-Key` / `Idempotency-Key` on POST), as Stripe does them:
// the first request with a key runs and its answer is stored; a retry with the same key and
// the same request gets that answer again; the same key with another request is refused.
// A key is scoped to its caller and kept 24 h. The row is claimed before the request runs, so
// two concurrent requests with one key never both run.
import { createHash } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';

export const KEY_TTL_MS = 24 * 3600 * 1000;
/** A claim older than this (its process died mid-request) may be taken over. */
const IN_PROGRESS_TTL_MS = 60_000;

declare module '../../store/schema.ts' {
  interface Database {
    idempotency_keys: {
      scope: string;
      key: string;
      request_hash: string;
      state: 'in_progress' | 'done';
      status_code: number | null;
      response_body: string | null;
      content_type: string | null;
      created_at: number;
    };
  }
}

/**
 * The request's fingerprint. Fields named `pin` are left out: a 4-digit PIN inside a stored
 * hash could be recovered by trying all 10,000.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  const withoutPins = JSON.stringify(body ?? null, (key, value) => (key === 'pin' ? undefined : value));
  return createHash('sha256').update(`${method} ${path}\n${withoutPins}`).digest('hex');
}

export type Claim =
  | { kind: 'run' }
  | { kind: 'replay'; statusCode: number; body: string; contentType: string }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export async function claimKey(ctx: Ctx, scope: string, key: string, hash: string): Promise<Claim> {
  const now = await ctx.clock.now();
  const db = ctx.store.db;
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ scope, key, request_hash: hash, state: 'in_progress', status_code: null, response_body: null, content_type: null, created_at: now })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'run' };
  const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  if (!row) return claimKey(ctx, scope, key, hash);
  const stale = (row.state === 'done' && row.created_at < now - KEY_TTL_MS) || (row.state === 'in_progress' && row.created_at < now - IN_PROGRESS_TTL_MS);
  if (stale) {
    // Take the expired key over, guarded on the row we saw so only one caller wins.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ request_hash: hash, state: 'in_progress', status_code: null, response_body: null, content_type: null, created_at: now })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('created_at', '=', row.created_at)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1 ? { kind: 'run' } : { kind: 'in_progress' };
  }
  if (row.request_hash !== hash) return { kind: 'mismatch' };
  if (row.state === 'in_progress') return { kind: 'in_progress' };
  return { kind: 'replay', statusCode: row.status_code!, body: row.response_body ?? '', contentType: row.content_type ?? 'application/json; charset=utf-8' };
}

export async function completeKey(ctx: Ctx, scope: string, key: string, statusCode: number, body: string, contentType: string): Promise<void> {
  await ctx.store.db
    .updateTable('idempotency_keys')
    .set({ state: 'done', status_code: statusCode, response_body: body, content_type: contentType })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}

/** A server error is not an answer worth replaying: free the key so the retry runs. */
export async function releaseKey(ctx: Ctx, scope: string, key: string): Promise<void> {
  await ctx.store.db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('state', '=', 'in_progress').execute();
}

/** Worker tick: drop keys past their 24 h. */
export async function pruneIdempotencyKeys(ctx: Ctx): Promise<number> {
  const now = await ctx.clock.now();
  const deleted = await ctx.store.db.deleteFrom('idempotency_keys').where('created_at', '<', now - KEY_TTL_MS).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
