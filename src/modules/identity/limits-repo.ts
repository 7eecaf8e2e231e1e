// The SQL of the identity module's limits: sign-in failure counters, the sources a person signed
// in from, and the wrong PINs typed at each merchant's till.
import { sql } from 'kysely';
import type { Db, Tx } from '../../store/db.ts';
import { deleteBatchBefore } from '../../store/prune.ts';

// --- Sign-in failures -----------------------------------------------------------------------

/**
 * The counter of `key`, created empty if missing and locked (PostgreSQL) until the transaction
 * ends — in one statement: an upsert that rewrites nothing locks the row it finds or makes, so
 * a row deleted between a separate insert and select (a success clears its pair) cannot vanish
 * under the check.
 */
export async function lockFailureCounter(tx: Tx, key: string, now: number): Promise<{ count: number; windowStart: number }> {
  const row = await tx
    .insertInto('sign_in_failures')
    .values({ key, count: 0, window_start: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ count: sql`sign_in_failures.count` }))
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), windowStart: Number(row.window_start) };
}

export async function setFailureCounter(tx: Tx, key: string, count: number, windowStart: number): Promise<void> {
  await tx.updateTable('sign_in_failures').set({ count, window_start: windowStart }).where('key', '=', key).execute();
}

/** Give back one reserved attempt (it turned out not to be a failure). */
export async function decrementFailureCounter(db: Db, key: string): Promise<void> {
  await db
    .updateTable('sign_in_failures')
    .set({ count: sql`count - 1` })
    .where('key', '=', key)
    .where('count', '>', 0)
    .execute();
}

export async function deleteFailureCounter(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}

/** Counters whose window started before `before` (their window has passed): at most `limit`. */
export async function deleteFailureCountersBefore(db: Db, before: number, limit: number): Promise<number> {
  return deleteBatchBefore(db, 'sign_in_failures', 'key', 'window_start', before, limit);
}

// --- Familiar sources -----------------------------------------------------------------------

export async function isFamiliarSource(db: Db | Tx, userId: string, source: string, since: number): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_sources')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('source', '=', source)
    .where('last_success_at', '>=', since)
    .executeTakeFirst();
  return row !== undefined;
}

export async function rememberSource(db: Db, userId: string, source: string, now: number): Promise<void> {
  await db
    .insertInto('sign_in_sources')
    .values({ user_id: userId, source, last_success_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'source']).doUpdateSet({ last_success_at: now }))
    .execute();
}

export async function deleteSourcesBefore(db: Db, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_sources')
    .where((eb) =>
      eb(
        eb.refTuple('user_id', 'source'),
        'in',
        eb.selectFrom('sign_in_sources').select(['user_id', 'source']).where('last_success_at', '<', before).limit(limit).$asTuple('user_id', 'source'),
      ),
    )
    .where('last_success_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- Wrong PINs per merchant --------------------------------------------------------------------

/** Count one PIN attempt at `merchantUserId`'s till unless its limit is reached; the count when counted. */
export async function reserveMerchantPinAttempt(db: Db, userId: string, merchantUserId: string, maxAttempts: number): Promise<number | undefined> {
  await db
    .insertInto('pin_merchant_attempts')
    .values({ user_id: userId, merchant_user_id: merchantUserId, failed_attempts: 0, locked_at: null })
    .onConflict((oc) => oc.columns(['user_id', 'merchant_user_id']).doNothing())
    .execute();
  const row = await db
    .updateTable('pin_merchant_attempts')
    .set({ failed_attempts: sql`failed_attempts + 1` })
    .where('user_id', '=', userId)
    .where('merchant_user_id', '=', merchantUserId)
    .where('failed_attempts', '<', maxAttempts)
    .returning('failed_attempts')
    .executeTakeFirst();
  return row ? Number(row.failed_attempts) : undefined;
}

export async function merchantPinLockedAt(db: Db, userId: string, merchantUserId: string): Promise<number | null> {
  const row = await db
    .selectFrom('pin_merchant_attempts')
    .select('locked_at')
    .where('user_id', '=', userId)
    .where('merchant_user_id', '=', merchantUserId)
    .executeTakeFirst();
  return row?.locked_at ?? null;
}

export async function lockMerchantPin(db: Db, userId: string, merchantUserId: string, now: number): Promise<void> {
  await db
    .updateTable('pin_merchant_attempts')
    .set({ locked_at: now })
    .where('user_id', '=', userId)
    .where('merchant_user_id', '=', merchantUserId)
    .where('locked_at', 'is', null)
    .execute();
}

export async function clearMerchantPinAttempts(db: Db, userId: string, merchantUserId: string): Promise<void> {
  await db.deleteFrom('pin_merchant_attempts').where('user_id', '=', userId).where('merchant_user_id', '=', merchantUserId).execute();
}

/** A PIN reset clears every merchant's count and lock for the person. */
export async function clearAllMerchantPinAttempts(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('pin_merchant_attempts').where('user_id', '=', userId).execute();
}
