// The webhooks capability's queries for the console and the event stream: endpoints, the
// app's notification secret, the delivery log, and the app's events with their stream
// positions. The dispatcher's queries (fan-out, claims, attempts) are in dispatch-repo.ts;
// nothing else in src/modules/webhooks talks to the database.
import { sql } from 'kysely';
import '../../store/schema-webhooks.ts';
import type { Db, Dialect, Tx } from '../../store/db.ts';
import { skipLocked } from '../../store/locking.ts';
import type { WebhookAppSecretsTable, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../../store/schema-webhooks.ts';
import type { AppRow } from '../apps/index.ts';

export type EndpointRow = WebhookEndpointsTable;
export type DeliveryRow = WebhookDeliveriesTable;
export type AttemptRow = WebhookAttemptsTable;
export type AppRef = Pick<AppRow, 'id' | 'owner_user_id'>;
type Queryable = Db | Tx;

// --- Endpoints --------------------------------------------------------------------------

export async function countAppEndpoints(db: Queryable, appId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', appId)
    .where('kind', '=', 'app')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertEndpoint(db: Queryable, row: EndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

/** One of the app's own (console) endpoints, not deleted, if this owner holds it. */
export async function findAppEndpoint(db: Queryable, ownerUserId: string, appId: string, endpointId: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', endpointId)
    .where('app_id', '=', appId)
    .where('owner_user_id', '=', ownerUserId)
    .where('kind', '=', 'app')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listAppEndpoints(db: Queryable, appId: string): Promise<EndpointRow[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('app_id', '=', appId)
    .where('kind', '=', 'app')
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function updateEndpointRow(db: Queryable, endpointId: string, change: Partial<EndpointRow>): Promise<void> {
  await db.updateTable('webhook_endpoints').set(change).where('id', '=', endpointId).execute();
}

/** Delete an endpoint; what it still had pending is marked failed. */
export async function deleteEndpointRow(tx: Tx, endpointId: string, now: number): Promise<void> {
  await tx.updateTable('webhook_endpoints').set({ deleted_at: now, enabled: 0, updated_at: now }).where('id', '=', endpointId).execute();
  await tx
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: 'webhook eliminado', completed_at: now, claimed_until: null, claim_token: null })
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .execute();
}

export async function findIntegratorEndpoint(db: Queryable, appId: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('app_id', '=', appId)
    .where('kind', '=', 'integrator')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Verified, unless its URL changed since the check was sent. */
export async function markEndpointVerified(db: Queryable, endpointId: string, checkedUrl: string, now: number): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ verified: 1, updated_at: now }).where('id', '=', endpointId).where('url', '=', checkedUrl).execute();
}

// --- The app's notification secret ------------------------------------------------------

export async function findAppSecret(db: Queryable, appId: string): Promise<WebhookAppSecretsTable | undefined> {
  return db.selectFrom('webhook_app_secrets').selectAll().where('app_id', '=', appId).executeTakeFirst();
}

/** Store the app's secret unless it has one (two first uses at once keep the same one). */
export async function insertAppSecretIfMissing(db: Queryable, row: WebhookAppSecretsTable): Promise<void> {
  await db
    .insertInto('webhook_app_secrets')
    .values(row)
    .onConflict((oc) => oc.column('app_id').doNothing())
    .execute();
}

export async function replaceAppSecret(db: Queryable, row: WebhookAppSecretsTable): Promise<void> {
  await db
    .insertInto('webhook_app_secrets')
    .values(row)
    .onConflict((oc) => oc.column('app_id').doUpdateSet({ secret_enc: row.secret_enc, created_at: row.created_at }))
    .execute();
}

// --- The delivery log -------------------------------------------------------------------

export type DeliveryWithType = DeliveryRow & { event_type: string };

export interface DeliveryFilter {
  endpointId?: string;
  status?: 'pending' | 'succeeded' | 'failed';
  eventId?: string;
  /** An event type of the catalogue ("payment.created"), exact. */
  eventType?: string;
  limit?: number;
}

/** Where a page of deliveries ended: the last one shown (newest first, then by id). */
export interface DeliveryPosition {
  createdAt: number;
  id: string;
}

function appDeliveries(db: Queryable, appId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type as event_type')
    .where('d.app_id', '=', appId);
}

export async function listAppDeliveries(
  db: Queryable,
  appId: string,
  filter: DeliveryFilter & { limit: number; after?: DeliveryPosition },
): Promise<DeliveryWithType[]> {
  let q = appDeliveries(db, appId).orderBy('d.created_at', 'desc').orderBy('d.id').limit(filter.limit);
  const after = filter.after;
  if (after)
    q = q.where((eb) => eb.or([eb('d.created_at', '<', after.createdAt), eb.and([eb('d.created_at', '=', after.createdAt), eb('d.id', '>', after.id)])]));
  if (filter.endpointId) q = q.where('d.endpoint_id', '=', filter.endpointId);
  if (filter.status) q = q.where('d.status', '=', filter.status);
  if (filter.eventId) q = q.where('d.event_id', '=', filter.eventId);
  if (filter.eventType) q = q.where('e.type', '=', filter.eventType);
  return q.execute();
}

export async function findAppDelivery(db: Queryable, appId: string, deliveryId: string): Promise<DeliveryWithType | undefined> {
  return appDeliveries(db, appId).where('d.id', '=', deliveryId).executeTakeFirst();
}

export async function listAttempts(db: Queryable, deliveryId: string): Promise<AttemptRow[]> {
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('number').execute();
}

export async function endpointUrl(db: Queryable, endpointId: string): Promise<string | undefined> {
  return (await db.selectFrom('webhook_endpoints').select('url').where('id', '=', endpointId).executeTakeFirst())?.url;
}

/** Pending again from now with a fresh retry schedule, to `url`: one delivery, or an endpoint's failed ones. */
export async function resetForReplay(db: Queryable, which: { deliveryId: string } | { failedOfEndpoint: string }, url: string, now: number): Promise<number> {
  let q = db.updateTable('webhook_deliveries').set({
    status: 'pending',
    cycle_attempts: 0,
    cycle_started_at: now,
    next_attempt_at: now,
    completed_at: null,
    claimed_until: null,
    claim_token: null,
    url,
  });
  q = 'deliveryId' in which ? q.where('id', '=', which.deliveryId) : q.where('endpoint_id', '=', which.failedOfEndpoint).where('status', '=', 'failed');
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

// --- Events of an app and the event stream ----------------------------------------------

/** A literal, not a parameter, so both databases use the partial index events_unsequenced. */
const NOT_SEQUENCED = sql<boolean>`stream_seq is null`;

/**
 * The app's events: those it caused, and those of its owner that no app caused (an app acts
 * for its owner, so both are found through the owner's index).
 */
function appEvents(db: Queryable, app: AppRef) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('owner_user_id', '=', app.owner_user_id)
    .where((eb) => eb.or([eb('app_id', '=', app.id), eb('app_id', 'is', null)]));
}

export async function recentAppEvents(db: Queryable, app: AppRef, limit: number, type?: string) {
  let q = appEvents(db, app).orderBy('created_at', 'desc').orderBy('id').limit(limit);
  if (type) q = q.where('type', '=', type);
  return q.execute();
}

/** The stream position of one of the app's events (undefined: not the app's, or not sequenced). */
export async function appEventPosition(db: Queryable, app: AppRef, eventId: string): Promise<number | undefined> {
  const row = await appEvents(db, app).where('id', '=', eventId).executeTakeFirst();
  return row?.stream_seq == null ? undefined : Number(row.stream_seq);
}

/** The position of the app's first sequenced event created at or after `since`. */
export async function firstAppPositionSince(db: Queryable, app: AppRef, since: number): Promise<number | undefined> {
  const row = await appEvents(db, app).where('created_at', '>=', since).where('stream_seq', 'is not', null).orderBy('stream_seq').limit(1).executeTakeFirst();
  return row ? Number(row.stream_seq) : undefined;
}

export async function lastStreamPosition(db: Queryable): Promise<number> {
  return Number((await db.selectFrom('event_stream_counter').select('last_seq').where('id', '=', 1).executeTakeFirstOrThrow()).last_seq);
}

export function appEventsAfter(db: Queryable, app: AppRef, after: number, limit: number) {
  return appEvents(db, app).where('stream_seq', '>', after).orderBy('stream_seq').limit(limit).execute();
}

export async function hasUnsequencedEvents(db: Queryable): Promise<boolean> {
  return !!(await db.selectFrom('events').select('id').where(NOT_SEQUENCED).limit(1).executeTakeFirst());
}

/** Unsequenced events, oldest first, locked (PostgreSQL skips those another transaction holds). */
export async function lockUnsequencedEvents(tx: Tx, dialect: Dialect, limit: number): Promise<string[]> {
  const rows = await skipLocked(dialect, tx.selectFrom('events').select('id').where(NOT_SEQUENCED).orderBy('created_at').orderBy('id').limit(limit)).execute();
  return rows.map((r) => r.id);
}

/**
 * Hand out `count` stream positions: the first one is returned. The counter row stays locked
 * until the caller commits, so positions become visible in the order they were handed out: a
 * reader that sees position n also sees every position below n (migration 008).
 */
async function takeStreamPositions(tx: Tx, count: number): Promise<number> {
  const counter = await tx
    .updateTable('event_stream_counter')
    .set((eb) => ({ last_seq: eb('last_seq', '+', count) }))
    .where('id', '=', 1)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(counter.last_seq) - count + 1;
}

/**
 * Write stream positions — to the events of `numbered`, in its order — and, with `fannedOut`,
 * mark every event of `ids` fanned out in the same statement: one write per event row. The
 * caller's transaction holds the events locked.
 */
async function writeEventMarks(tx: Tx, ids: readonly string[], numbered: readonly string[], fannedOut: boolean): Promise<void> {
  const first = numbered.length ? await takeStreamPositions(tx, numbered.length) : 0;
  const position = new Map(numbered.map((id, i) => [id, first + i]));
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const cases = chunk.filter((id) => position.has(id)).map((id) => sql`when ${id} then ${sql.lit(position.get(id)!)}`);
    const streamSeq = cases.length ? { stream_seq: sql<number>`case id ${sql.join(cases, sql` `)} else stream_seq end` } : {};
    await tx
      .updateTable('events')
      .set({ ...(fannedOut ? { fanned_out: 1 } : {}), ...streamSeq })
      .where('id', 'in', chunk)
      .execute();
  }
}

/** Give committed events their stream positions, in the order of `ids` (none has one yet). */
export async function assignStreamPositions(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length) await writeEventMarks(tx, ids, ids, false);
}

/** Mark events fanned out, and give those the stream has not numbered yet their position. */
export async function markEventsFannedOut(tx: Tx, events: readonly { id: string; stream_seq: number | null }[]): Promise<void> {
  if (events.length === 0) return;
  const ids = events.map((e) => e.id);
  await writeEventMarks(
    tx,
    ids,
    events.filter((e) => e.stream_seq === null).map((e) => e.id),
    true,
  );
}

export async function findAppByClientIdOrId(db: Queryable, key: string): Promise<AppRow | undefined> {
  return db
    .selectFrom('oauth_apps')
    .selectAll()
    .where((eb) => eb.or([eb('client_id', '=', key), eb('id', '=', key)]))
    .executeTakeFirst();
}

// --- Retention ----------------------------------------------------------------------------

/** A delivery is finished once it succeeded or was given up; only finished ones are pruned. */
const FINISHED: WebhookDeliveriesTable['status'][] = ['succeeded', 'failed'];

/** Attempts of deliveries finished before `before`: at most `limit` per statement. */
export async function deleteFinishedAttemptsBefore(db: Db, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('webhook_attempts')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_attempts as a')
        .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
        .select('a.id')
        .where('d.status', 'in', FINISHED)
        .where('d.completed_at', '<', before)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deliveries finished before `before` whose attempts are gone (deleteFinishedAttemptsBefore
 * runs first): at most `limit`. The conditions are repeated outside the subquery so a delivery
 * replayed meanwhile (pending again) is kept.
 */
export async function deleteFinishedDeliveriesBefore(db: Db, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries as d')
        .select('d.id')
        .where('d.status', 'in', FINISHED)
        .where('d.completed_at', '<', before)
        .where((inner) => inner.not(inner.exists(inner.selectFrom('webhook_attempts as a').select('a.id').whereRef('a.delivery_id', '=', 'd.id'))))
        .limit(limit),
    )
    .where('status', 'in', FINISHED)
    .where('completed_at', '<', before)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('webhook_attempts as a').select('a.id').whereRef('a.delivery_id', '=', 'webhook_deliveries.id'))))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
