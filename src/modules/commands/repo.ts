// The commands module's SQL: idempotency_keys (see idempotency.ts for the rules).
import type { Db, Tx } from '../../store/db.ts';

declare module '../../store/schema.ts' {
  interface Database {
    idempotency_keys: {
      scope: string;
      key: string;
      request_hash: string;
      /** Always 'done' since the claim moved into the command's transaction; 'in_progress' rows come from older versions. */
      state: 'in_progress' | 'done';
      status_code: number | null;
      response_body: string | null;
      content_type: string | null;
      created_at: number;
    };
  }
}

export type KeyRow = {
  request_hash: string;
  state: string;
  status_code: number | null;
  response_body: string | null;
  content_type: string | null;
  created_at: number;
};

export interface KeyName {
  scope: string;
  key: string;
}

export function findIdempotencyKey(db: Db | Tx, name: KeyName): Promise<KeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'state', 'status_code', 'response_body', 'content_type', 'created_at'])
    .where('scope', '=', name.scope)
    .where('key', '=', name.key)
    .executeTakeFirst();
}

export interface KeyClaim {
  request_hash: string;
  state: 'in_progress';
  status_code: null;
  response_body: null;
  content_type: null;
  created_at: number;
}

/** Insert the key unless it exists: true when this call inserted it. */
export async function insertIdempotencyKeyIfMissing(tx: Tx, name: KeyName, values: KeyClaim): Promise<boolean> {
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({ scope: name.scope, key: name.key, ...values })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Take over an existing key for a new request while it is still expired (created before
 * `expiredBefore`) or abandoned (not done): false when another request took it first.
 */
export async function resetIdempotencyKey(tx: Tx, name: KeyName, values: KeyClaim, expiredBefore: number): Promise<boolean> {
  const result = await tx
    .updateTable('idempotency_keys')
    .set(values)
    .where('scope', '=', name.scope)
    .where('key', '=', name.key)
    .where((eb) => eb.or([eb('state', '<>', 'done'), eb('created_at', '<', expiredBefore)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function storeIdempotencyAnswer(
  tx: Tx,
  name: KeyName,
  answer: { status_code: number; response_body: string; content_type: string },
): Promise<void> {
  await tx
    .updateTable('idempotency_keys')
    .set({ state: 'done', ...answer })
    .where('scope', '=', name.scope)
    .where('key', '=', name.key)
    .execute();
}

/** Keys created before `createdBefore`: at most `limit` of them per statement. */
export async function deleteIdempotencyKeysBefore(db: Db | Tx, createdBefore: number, limit: number): Promise<number> {
  const deleted = await db
    .deleteFrom('idempotency_keys')
    .where((eb) =>
      eb(
        eb.refTuple('scope', 'key'),
        'in',
        eb.selectFrom('idempotency_keys').select(['scope', 'key']).where('created_at', '<', createdBefore).limit(limit).$asTuple('scope', 'key'),
      ),
    )
    .where('created_at', '<', createdBefore)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
