// Idempotency keys (`X-Idempotency-Key` / `Idempotency-Key` on POST), as Stripe does them:
// the first request with a key runs and its answer is stored; a retry with the same key and
// the same request gets that answer again; the same key with another request is refused.
// A key is scoped to its caller and kept 24 h. The key is claimed inside the command's own
// transaction and its answer stored there too (see run-command.ts), so a commit always
// carries its answer and a crash before the commit leaves no trace of either.
import { createHash } from 'node:crypto';
import { InvariantError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../store/db.ts';
import {
  deleteIdempotencyKeysBefore,
  findIdempotencyKey,
  insertIdempotencyKeyIfMissing,
  resetIdempotencyKey,
  storeIdempotencyAnswer,
  type KeyRow,
} from './repo.ts';

export const KEY_TTL_MS = 24 * 3600 * 1000;

/** Who sent the request (`user:…`, `ip:…`), the key, and the request's fingerprint. */
export interface IdempotencyKey {
  scope: string;
  key: string;
  requestHash: string;
}

/** The answer stored with a key and replayed to its retries. */
export interface StoredAnswer {
  statusCode: number;
  body: string;
  contentType: string;
}

/** A retry of a request that already ran: answer with what it answered then. */
export class Replayed extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('idempotent replay');
    this.name = 'Replayed';
  }
}

/**
 * The request's fingerprint. Fields named `pin` are left out: a 4-digit PIN inside a stored
 * hash could be recovered by trying all 10,000. An object's fields are read in name order (a
 * retry whose encoder lists them in another order is the same request); lists keep theirs.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  const canonical = JSON.stringify(body ?? null, (key, value) => {
    if (key === 'pin') return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((name) => [name, (value as Record<string, unknown>)[name]]),
    );
  });
  return createHash('sha256').update(`${method} ${path}\n${canonical}`).digest('hex');
}

function answerOf(row: KeyRow): StoredAnswer {
  return { statusCode: row.status_code ?? 200, body: row.response_body ?? '', contentType: row.content_type ?? 'application/json; charset=utf-8' };
}

/** A live answer for this key and request, a refusal for another request, or nothing yet. */
function judge(row: KeyRow | undefined, requestHashValue: string, now: number): 'absent' | StoredAnswer {
  if (!row || row.state !== 'done' || row.created_at < now - KEY_TTL_MS) return 'absent';
  if (row.request_hash !== requestHashValue) refuse({ code: 'idempotency_key_reused' });
  return answerOf(row);
}

/**
 * Before any work (PIN checks, reads): the stored answer of a finished request with this key,
 * or undefined when the request must run. Another request under the key is refused.
 */
export async function storedAnswer(db: Db, key: IdempotencyKey, now: number): Promise<StoredAnswer | undefined> {
  const verdict = judge(await findIdempotencyKey(db, key), key.requestHash, now);
  return verdict === 'absent' ? undefined : verdict;
}

/**
 * Inside the command's transaction: take the key or replay it. On PostgreSQL a concurrent
 * request with the same key blocks on the unique index until the first commits, then sees
 * its answer; on SQLite the write lock serializes them.
 */
export async function claimKey(tx: Tx, key: IdempotencyKey, now: number): Promise<void> {
  const values = { request_hash: key.requestHash, state: 'in_progress' as const, status_code: null, response_body: null, content_type: null, created_at: now };
  for (let pass = 0; pass < 3; pass++) {
    if (await insertIdempotencyKeyIfMissing(tx, key, values)) return;
    const verdict = judge(await findIdempotencyKey(tx, key), key.requestHash, now);
    if (verdict !== 'absent') throw new Replayed(verdict);
    // Expired (or left by an older version mid-request): this request takes the key over —
    // unless another one did since the read above. The guarded UPDATE waits for that one's row
    // lock and then no longer matches, and the next pass replays its answer (two retries of an
    // expired key on PostgreSQL both ran the command).
    if (await resetIdempotencyKey(tx, key, values, now - KEY_TTL_MS)) return;
  }
  throw new InvariantError(`idempotency key ${key.scope}/${key.key} could not be claimed`);
}

export async function storeAnswer(tx: Tx, key: IdempotencyKey, answer: StoredAnswer): Promise<void> {
  await storeIdempotencyAnswer(tx, key, { status_code: answer.statusCode, response_body: answer.body, content_type: answer.contentType });
}

/** One retention batch: drop up to `limit` keys past their 24 h. */
export async function pruneIdempotencyKeys(ctx: Ctx, limit = 500): Promise<number> {
  const now = await ctx.clock.now();
  return deleteIdempotencyKeysBefore(ctx.store.db, now - KEY_TTL_MS, limit);
}
