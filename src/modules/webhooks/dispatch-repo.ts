// The dispatcher's queries: the outbox fan-out into deliveries, claiming due deliveries with
// a wall-clock lease, loading what an attempt needs, and recording attempts. Claims lock what
// they take and skip what another process holds (store/locking.ts), so several processes on
// one PostgreSQL database never take the same delivery; SQLite has a single writer.
import { sql } from 'kysely';
import '../../store/schema-webhooks.ts';
import type { Db, Dialect, Tx } from '../../store/db.ts';
import { skipLocked } from '../../store/locking.ts';
import type { EventRecord } from './model.ts';
import { type AttemptRow, type DeliveryRow, type EndpointRow } from './repo.ts';

// --- Fan-out ----------------------------------------------------------------------------

/** A literal, not a parameter, so both databases use the partial index events_pending_fanout. */
const NOT_FANNED_OUT = sql<boolean>`fanned_out = 0`;
const INSERT_CHUNK = 200;

export type WaitingEvent = EventRecord & { stream_seq: number | null };

export async function hasEventsToFanOut(db: Db | Tx): Promise<boolean> {
  return !!(await db.selectFrom('events').select('id').where(NOT_FANNED_OUT).limit(1).executeTakeFirst());
}

export async function eventIdsToFanOut(db: Db | Tx, limit: number): Promise<string[]> {
  return (await db.selectFrom('events').select('id').where(NOT_FANNED_OUT).orderBy('created_at').orderBy('id').limit(limit).execute()).map((r) => r.id);
}

/** Up to `limit` events waiting for fan-out (or the one named), oldest first, locked. */
export async function lockEventsToFanOut(tx: Tx, dialect: Dialect, limit: number, onlyId?: string): Promise<WaitingEvent[]> {
  let q = tx
    .selectFrom('events')
    .select(['id', 'type', 'object_type', 'object_id', 'owner_user_id', 'app_id', 'payload', 'created_at', 'stream_seq'])
    .where(NOT_FANNED_OUT)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  if (onlyId !== undefined) q = q.where('id', '=', onlyId);
  return skipLocked(dialect, q).execute();
}

/** One waiting event, locked, reading only what marking it needs (its other columns may be what is wrong). */
export async function lockEventToSetAside(tx: Tx, dialect: Dialect, id: string): Promise<{ id: string; stream_seq: number | null }[]> {
  return skipLocked(dialect, tx.selectFrom('events').select(['id', 'stream_seq']).where(NOT_FANNED_OUT).where('id', '=', id)).execute();
}

/** Enabled endpoints of these apps, and of these owners' apps. */
export async function enabledEndpointsOf(tx: Tx, appIds: readonly string[], ownerIds: readonly string[]): Promise<EndpointRow[]> {
  if (appIds.length === 0 && ownerIds.length === 0) return [];
  return tx
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('enabled', '=', 1)
    .where((eb) => eb.or([...(appIds.length ? [eb('app_id', 'in', appIds)] : []), ...(ownerIds.length ? [eb('owner_user_id', 'in', ownerIds)] : [])]))
    .execute();
}

export async function insertDeliveries(tx: Tx, rows: readonly DeliveryRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.columns(['event_id', 'target_key']).doNothing())
      .execute();
  }
}

// --- Claims and attempts ----------------------------------------------------------------

/**
 * Due deliveries worth claiming, oldest first: among the `window` oldest due ones, at most
 * `perTarget` per target, leaving out the targets in `excluded` (saturated in this process),
 * so a slow endpoint's backlog never hides the others' work.
 */
export async function dueCandidates(
  db: Db,
  o: { now: number; wall: number; perTarget: number; excluded: readonly string[]; window: number; limit: number },
): Promise<{ id: string; target_key: string }[]> {
  const excluded = o.excluded.length ? sql`and target_key not in (${sql.join(o.excluded)})` : sql``;
  const result = await sql<{ id: string; target_key: string }>`
    select id, target_key from (
      select id, target_key, next_attempt_at,
             row_number() over (partition by target_key order by next_attempt_at, id) as rn
      from (
        select id, target_key, next_attempt_at from webhook_deliveries
        where status = 'pending' and next_attempt_at <= ${o.now}
          and (claimed_until is null or claimed_until < ${o.wall}) ${excluded}
        order by next_attempt_at limit ${o.window}
      ) due
    ) ranked
    where rn <= ${o.perTarget}
    order by next_attempt_at, id
    limit ${o.limit}`.execute(db);
  return result.rows;
}

export interface Lease {
  /** Deployment clock: what is due. */
  now: number;
  /** Wall clock: leases expire in real time, whatever the deployment clock says. */
  wall: number;
  until: number;
  token: string;
}

/**
 * Lease deliveries still pending and unleased, in one statement: `update … where id in
 * (select … [for update skip locked]) returning *` — the named ones, or a target's next due.
 */
export async function leaseDeliveries(
  tx: Tx,
  dialect: Dialect,
  which: { ids: string[] } | { targetKey: string; limit: number },
  lease: Lease,
): Promise<DeliveryRow[]> {
  let pick = tx
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', lease.wall)]));
  if ('ids' in which) pick = pick.where('id', 'in', which.ids);
  else pick = pick.where('target_key', '=', which.targetKey).where('next_attempt_at', '<=', lease.now).orderBy('next_attempt_at').limit(which.limit);
  return tx
    .updateTable('webhook_deliveries')
    .set({ claimed_until: lease.until, claim_token: lease.token })
    .where('id', 'in', skipLocked(dialect, pick))
    .returningAll()
    .execute();
}

export interface LoadedDelivery {
  delivery: DeliveryRow;
  event: EventRecord;
  endpoint: EndpointRow | undefined;
  /** The app's notification secret (sealed), for a delivery it signs; null when it has none yet. */
  appSecretEnc: string | null;
}

/** What attempts need: the leased deliveries with their events, endpoints and app secrets (one query). */
export async function loadLeased(db: Db, deliveries: readonly DeliveryRow[]): Promise<LoadedDelivery[]> {
  if (deliveries.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .leftJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
    // Only notification_url and integrator deliveries are signed with the app's secret.
    .leftJoin('webhook_app_secrets as s', (join) => join.on(sql<boolean>`d.target <> 'endpoint' and s.app_id = coalesce(d.app_id, w.app_id)`))
    .select([
      'd.id as d_id',
      's.secret_enc as s_secret_enc',
      'e.id as e_id',
      'e.type as e_type',
      'e.object_type as e_object_type',
      'e.object_id as e_object_id',
      'e.owner_user_id as e_owner_user_id',
      'e.app_id as e_app_id',
      'e.payload as e_payload',
      'e.created_at as e_created_at',
      'w.id as w_id',
      'w.kind as w_kind',
      'w.app_id as w_app_id',
      'w.owner_user_id as w_owner_user_id',
      'w.url as w_url',
      'w.description as w_description',
      'w.event_types as w_event_types',
      'w.secret_enc as w_secret_enc',
      'w.enabled as w_enabled',
      'w.verified as w_verified',
      'w.flagged_at as w_flagged_at',
      'w.flag_reason as w_flag_reason',
      'w.created_at as w_created_at',
      'w.updated_at as w_updated_at',
      'w.deleted_at as w_deleted_at',
    ])
    .where(
      'd.id',
      'in',
      deliveries.map((d) => d.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.d_id, r]));
  const out: LoadedDelivery[] = [];
  for (const delivery of deliveries) {
    const r = byId.get(delivery.id);
    if (!r) continue;
    const event: EventRecord = {
      id: r.e_id,
      type: r.e_type,
      object_type: r.e_object_type,
      object_id: r.e_object_id,
      owner_user_id: r.e_owner_user_id,
      app_id: r.e_app_id,
      payload: r.e_payload,
      created_at: r.e_created_at,
    };
    const endpoint: EndpointRow | undefined = r.w_id
      ? {
          id: r.w_id,
          kind: r.w_kind!,
          app_id: r.w_app_id!,
          owner_user_id: r.w_owner_user_id!,
          url: r.w_url!,
          description: r.w_description!,
          event_types: r.w_event_types!,
          secret_enc: r.w_secret_enc,
          enabled: r.w_enabled!,
          verified: r.w_verified!,
          flagged_at: r.w_flagged_at,
          flag_reason: r.w_flag_reason,
          created_at: r.w_created_at!,
          updated_at: r.w_updated_at!,
          deleted_at: r.w_deleted_at,
        }
      : undefined;
    out.push({ delivery, event, endpoint, appSecretEnc: r.s_secret_enc ?? null });
  }
  return out;
}

/** Changes to a leased delivery apply only while the lease (its token) is still ours. */
async function updateLeased(db: Db | Tx, deliveryId: string, token: string, change: Partial<DeliveryRow>): Promise<boolean> {
  const updated = await db.updateTable('webhook_deliveries').set(change).where('id', '=', deliveryId).where('claim_token', '=', token).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Failed without an attempt (its endpoint is gone, or there is no secret to sign with). */
export async function failLeased(db: Db, deliveryId: string, token: string, reason: string, now: number): Promise<void> {
  await updateLeased(db, deliveryId, token, { status: 'failed', last_error: reason, completed_at: now, claimed_until: null, claim_token: null });
}

/** Give the lease back untried (shutting down), so the delivery is taken again at once. */
export async function releaseLease(db: Db, deliveryId: string, token: string): Promise<void> {
  await updateLeased(db, deliveryId, token, { claimed_until: null, claim_token: null });
}

/** Settle a leased delivery without logging an attempt; false when the lease was lost. */
export function settleLeased(db: Db, deliveryId: string, token: string, change: Partial<DeliveryRow>): Promise<boolean> {
  return updateLeased(db, deliveryId, token, change);
}

export interface AttemptRecord {
  attempt: AttemptRow;
  /** The delivery's new state. */
  change: Partial<DeliveryRow>;
  /** Flag the endpoint (the delivery failed for good), clear its flag (a success), or neither. */
  flag: 'set' | 'clear' | 'none';
  flagReason: string;
}

/**
 * Log the attempt, settle the delivery (only while the lease is ours: a lost lease means
 * another process took over, and the attempt is only logged) and flag or unflag its endpoint.
 * Returns whether the delivery was settled.
 */
export async function recordAttempt(
  tx: Tx,
  delivery: Pick<DeliveryRow, 'id' | 'endpoint_id'>,
  token: string,
  record: AttemptRecord,
  now: number,
): Promise<boolean> {
  await tx.insertInto('webhook_attempts').values(record.attempt).execute();
  if (!(await updateLeased(tx, delivery.id, token, record.change))) return false;
  if (delivery.endpoint_id !== null && record.flag === 'set') {
    await tx.updateTable('webhook_endpoints').set({ flagged_at: now, flag_reason: record.flagReason }).where('id', '=', delivery.endpoint_id).execute();
  }
  if (delivery.endpoint_id !== null && record.flag === 'clear') {
    await tx
      .updateTable('webhook_endpoints')
      .set({ flagged_at: null, flag_reason: null })
      .where('id', '=', delivery.endpoint_id)
      .where('flagged_at', 'is not', null)
      .execute();
  }
  return true;
}
