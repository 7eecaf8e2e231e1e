// Webhook endpoints of an application (console), the app's notification secret (signs the
// per-payment notification_url and the POS integrator webhook), the Point integrator webhook
// and its check, the delivery log with its attempts, and replay.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import '../../store/schema-webhooks.ts';
import { NotFoundError, ValidationError, type FieldError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { isEventTypePattern, MINUTE_MS, POINT_TOPIC } from './model.ts';
import { inTransaction, type Db, type Tx } from '../../store/db.ts';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../../store/schema-webhooks.ts';
import { getOwnedApp, type AppRow } from '../apps/service.ts';
import type { Ctx } from '../../platform/context.ts';
import { randomHex } from '../../platform/secrets.ts';
import { checkTargetUrl, outboundAgent } from '../../platform/ssrf.ts';
import { sendNotification } from './sender.ts';
import { webhookSettings } from './settings.ts';

export const MAX_ENDPOINTS_PER_APP = 16;
export type EndpointRow = WebhookEndpointsTable;
export type DeliveryRow = WebhookDeliveriesTable;
export type AttemptRow = WebhookAttemptsTable;

export function newWebhookSecret(): string {
  return `whsec_${randomHex(24)}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function endpointView(row: EndpointRow) {
  return {
    id: row.id,
    appId: row.app_id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types) as string[],
    enabled: row.enabled === 1,
    flagged: row.flagged_at !== null,
    flaggedAt: iso(row.flagged_at),
    flagReason: row.flag_reason,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function attemptView(row: AttemptRow) {
  return {
    number: row.number,
    requestId: row.request_id,
    url: row.url,
    at: iso(row.started_at),
    statusCode: row.status_code,
    error: row.error,
    latencyMs: row.latency_ms,
    responseBody: row.response_body,
    succeeded: row.succeeded === 1,
  };
}

export function deliveryView(row: DeliveryRow & { event_type?: string }) {
  return {
    id: row.id,
    eventId: row.event_id,
    ...(row.event_type ? { eventType: row.event_type } : {}),
    target: row.target,
    endpointId: row.endpoint_id,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: iso(row.last_attempt_at),
    completedAt: iso(row.completed_at),
    createdAt: iso(row.created_at),
  };
}

function checkEventTypes(value: unknown, errors: FieldError[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > 50) {
    errors.push({ path: ['eventTypes'], message: 'Indique de 1 a 50 tipos de evento (por ejemplo "payment.created", "payment.*" o "*").' });
    return undefined;
  }
  const out: string[] = [];
  value.forEach((t, i) => {
    if (typeof t !== 'string' || !isEventTypePattern(t)) errors.push({ path: ['eventTypes', String(i)], message: 'Tipo de evento no válido.' });
    else if (!out.includes(t)) out.push(t);
  });
  return out;
}

async function checkUrl(ctx: Ctx, value: unknown, path: string, errors: FieldError[]): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const url = typeof value === 'string' ? value.trim() : '';
  const problem = url ? await checkTargetUrl(url, ctx.config.environment === 'production') : 'La URL es obligatoria.';
  if (problem) {
    errors.push({ path: [path], message: problem });
    return undefined;
  }
  return url;
}

export interface EndpointInput {
  url?: unknown;
  eventTypes?: unknown;
  description?: unknown;
  enabled?: unknown;
}

function checkDescription(value: unknown, errors: FieldError[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 200) {
    errors.push({ path: ['description'], message: 'La descripción admite hasta 200 caracteres.' });
    return undefined;
  }
  return value.trim();
}

/** A new endpoint and its signing secret, which is shown only in this answer. */
export async function createEndpoint(ctx: Ctx, ownerUserId: string, appId: string, input: EndpointInput): Promise<{ endpoint: ReturnType<typeof endpointView>; secret: string }> {
  const app = await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const errors: FieldError[] = [];
  const url = await checkUrl(ctx, input.url ?? '', 'url', errors);
  const eventTypes = checkEventTypes(input.eventTypes ?? ['*'], errors);
  const description = checkDescription(input.description, errors) ?? '';
  if (errors.length) throw new ValidationError(errors);
  const secret = newWebhookSecret();
  const now = await ctx.clock.now();
  const row: EndpointRow = {
    id: randomUUID(),
    kind: 'app',
    app_id: app.id,
    owner_user_id: app.owner_user_id,
    url: url!,
    description,
    event_types: JSON.stringify(eventTypes),
    secret_enc: ctx.keys.seal(secret),
    enabled: 1,
    verified: 1,
    flagged_at: null,
    flag_reason: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await inTransaction(ctx.store, async (tx) => {
    const count = await tx
      .selectFrom('webhook_endpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_id', '=', app.id)
      .where('kind', '=', 'app')
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ENDPOINTS_PER_APP) refuse({ code: 'too_many_endpoints', maxEndpoints: MAX_ENDPOINTS_PER_APP });
    await tx.insertInto('webhook_endpoints').values(row).execute();
  });
  return { endpoint: endpointView(row), secret };
}

async function ownedEndpoint(db: Db | Tx, ownerUserId: string, appId: string, endpointId: string): Promise<EndpointRow> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', endpointId)
    .where('app_id', '=', appId)
    .where('owner_user_id', '=', ownerUserId)
    .where('kind', '=', 'app')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Webhook no encontrado.');
  return row as EndpointRow;
}

export async function listEndpoints(ctx: Ctx, ownerUserId: string, appId: string) {
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const rows = await ctx.store.db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('app_id', '=', appId)
    .where('kind', '=', 'app')
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => endpointView(r as EndpointRow));
}

export async function getEndpoint(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string) {
  return endpointView(await ownedEndpoint(ctx.store.db, ownerUserId, appId, endpointId));
}

/** Change URL, types, description or enabled; enabling (again) clears the failure flag. */
export async function updateEndpoint(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string, input: EndpointInput) {
  const errors: FieldError[] = [];
  const url = await checkUrl(ctx, input.url, 'url', errors);
  const eventTypes = checkEventTypes(input.eventTypes, errors);
  const description = checkDescription(input.description, errors);
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') errors.push({ path: ['enabled'], message: 'Debe ser verdadero o falso.' });
  if (errors.length) throw new ValidationError(errors);
  const now = await ctx.clock.now();
  return inTransaction(ctx.store, async (tx) => {
    await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    await tx
      .updateTable('webhook_endpoints')
      .set({
        updated_at: now,
        ...(url !== undefined ? { url } : {}),
        ...(eventTypes !== undefined ? { event_types: JSON.stringify(eventTypes) } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(input.enabled === true ? { enabled: 1, flagged_at: null, flag_reason: null } : {}),
        ...(input.enabled === false ? { enabled: 0 } : {}),
      })
      .where('id', '=', endpointId)
      .execute();
    return endpointView(await ownedEndpoint(tx, ownerUserId, appId, endpointId));
  });
}

/** Remove an endpoint; what it still had pending is marked failed. */
export async function deleteEndpoint(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string): Promise<void> {
  const now = await ctx.clock.now();
  await inTransaction(ctx.store, async (tx) => {
    await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    await tx.updateTable('webhook_endpoints').set({ deleted_at: now, enabled: 0, updated_at: now }).where('id', '=', endpointId).execute();
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: 'webhook eliminado', completed_at: now, claimed_until: null, claim_token: null })
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'pending')
      .execute();
  });
}

/** A new signing secret, shown only in this answer; the old one stops signing at once. */
export async function rotateEndpointSecret(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string): Promise<{ secret: string }> {
  const secret = newWebhookSecret();
  const now = await ctx.clock.now();
  await inTransaction(ctx.store, async (tx) => {
    await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    await tx.updateTable('webhook_endpoints').set({ secret_enc: ctx.keys.seal(secret), updated_at: now }).where('id', '=', endpointId).execute();
  });
  return { secret };
}

// --- The app's notification secret --------------------------------------------------

/** The secret that signs notification_url and integrator deliveries (created on first use). */
export async function appNotificationSecret(ctx: Ctx, db: Db | Tx, appId: string): Promise<string> {
  const row = await db.selectFrom('webhook_app_secrets').select('secret_enc').where('app_id', '=', appId).executeTakeFirst();
  if (row) return ctx.keys.open(row.secret_enc);
  const now = await ctx.clock.now();
  await db
    .insertInto('webhook_app_secrets')
    .values({ app_id: appId, secret_enc: ctx.keys.seal(newWebhookSecret()), created_at: now })
    .onConflict((oc) => oc.column('app_id').doNothing())
    .execute();
  const stored = await db.selectFrom('webhook_app_secrets').select('secret_enc').where('app_id', '=', appId).executeTakeFirstOrThrow();
  return ctx.keys.open(stored.secret_enc);
}

export async function notificationSecretStatus(ctx: Ctx, ownerUserId: string, appId: string) {
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const row = await ctx.store.db.selectFrom('webhook_app_secrets').select('created_at').where('app_id', '=', appId).executeTakeFirst();
  return { exists: !!row, createdAt: row ? iso(row.created_at) : null };
}

/** New notification secret for the app (shown only in this answer). */
export async function rotateNotificationSecret(ctx: Ctx, ownerUserId: string, appId: string): Promise<{ secret: string }> {
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const secret = newWebhookSecret();
  const now = await ctx.clock.now();
  await ctx.store.db
    .insertInto('webhook_app_secrets')
    .values({ app_id: appId, secret_enc: ctx.keys.seal(secret), created_at: now })
    .onConflict((oc) => oc.column('app_id').doUpdateSet({ secret_enc: ctx.keys.seal(secret), created_at: now }))
    .execute();
  return { secret };
}

// --- POS integrator webhook -------------------------------------------------------------

async function integratorEndpoint(db: Db | Tx, appId: string): Promise<EndpointRow | undefined> {
  return (await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('app_id', '=', appId)
    .where('kind', '=', 'integrator')
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as EndpointRow | undefined;
}

/** PATCH /point/integration-api/integrators: set the URL; nothing is sent until it is checked. */
export async function setIntegratorWebhook(ctx: Ctx, app: AppRow, webhook: unknown): Promise<void> {
  const errors: FieldError[] = [];
  const url = await checkUrl(ctx, webhook ?? '', 'webhook', errors);
  if (errors.length) throw new ValidationError(errors);
  const now = await ctx.clock.now();
  await inTransaction(ctx.store, async (tx) => {
    const current = await integratorEndpoint(tx, app.id);
    if (current) {
      if (current.url === url) return;
      await tx
        .updateTable('webhook_endpoints')
        .set({ url: url!, verified: 0, flagged_at: null, flag_reason: null, updated_at: now })
        .where('id', '=', current.id)
        .execute();
      return;
    }
    await tx
      .insertInto('webhook_endpoints')
      .values({
        id: randomUUID(),
        kind: 'integrator',
        app_id: app.id,
        owner_user_id: app.owner_user_id,
        url: url!,
        description: 'Point integrator webhook',
        event_types: JSON.stringify(['point_intent.*']),
        secret_enc: null,
        enabled: 1,
        verified: 0,
        flagged_at: null,
        flag_reason: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
  });
}

/**
 * POST /point/integration-api/integrators/check: send one signed check notification; only a
 * 2xx answer marks the webhook verified (before that it receives nothing).
 */
export async function checkIntegratorWebhook(ctx: Ctx, app: AppRow): Promise<{ statusCode: number | null; latencyMs: number }> {
  const endpoint = await integratorEndpoint(ctx.store.db, app.id);
  if (!endpoint) throw new ValidationError([{ path: ['webhook'], message: 'Primero registre el webhook del integrador (PATCH /point/integration-api/integrators).' }]);
  const settings = webhookSettings(ctx);
  const agent = outboundAgent({ guard: settings.guardPrivateTargets, connections: 1 });
  try {
    const now = await ctx.clock.now();
    const result = await sendNotification({
      target: endpoint.url,
      notification: {
        dataId: app.client_id,
        topic: POINT_TOPIC,
        body: { type: POINT_TOPIC, action: 'integrator.check', date_created: new Date(now).toISOString(), data: { id: app.client_id } },
      },
      secret: await appNotificationSecret(ctx, ctx.store.db, app.id),
      timeoutMs: Math.min(settings.timeoutMs, 10_000),
      agent,
      guard: settings.guardPrivateTargets,
    });
    if (!result.succeeded) {
      throw new ValidationError([
        { path: ['webhook'], message: `El webhook no respondió correctamente (${result.statusCode ?? result.error}); responda 200 a la verificación y vuelva a intentarlo.` },
      ]);
    }
    await ctx.store.db
      .updateTable('webhook_endpoints')
      .set({ verified: 1, updated_at: now })
      .where('id', '=', endpoint.id)
      .where('url', '=', endpoint.url)
      .execute();
    return { statusCode: result.statusCode, latencyMs: result.latencyMs };
  } finally {
    await agent.close();
  }
}

export async function integratorWebhookView(ctx: Ctx, appId: string) {
  const row = await integratorEndpoint(ctx.store.db, appId);
  return row ? { webhook: row.url, verified: row.verified === 1, flagged: row.flagged_at !== null } : null;
}

// --- Deliveries, attempts, replay -------------------------------------------------------

export interface DeliveryFilter {
  endpointId?: string;
  status?: 'pending' | 'succeeded' | 'failed';
  eventId?: string;
  limit?: number;
}

export async function listDeliveries(ctx: Ctx, ownerUserId: string, appId: string, filter: DeliveryFilter = {}) {
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  let q = ctx.store.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type as event_type')
    .where('d.app_id', '=', appId)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id')
    .limit(Math.min(Math.max(filter.limit ?? 50, 1), 200));
  if (filter.endpointId) q = q.where('d.endpoint_id', '=', filter.endpointId);
  if (filter.status) q = q.where('d.status', '=', filter.status);
  if (filter.eventId) q = q.where('d.event_id', '=', filter.eventId);
  return (await q.execute()).map((r) => deliveryView(r as DeliveryRow & { event_type: string }));
}

async function ownedDelivery(db: Db | Tx, ownerUserId: string, appId: string, deliveryId: string): Promise<DeliveryRow & { event_type: string }> {
  await getOwnedApp(db, ownerUserId, appId);
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type as event_type')
    .where('d.id', '=', deliveryId)
    .where('d.app_id', '=', appId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Entrega no encontrada.');
  return row as DeliveryRow & { event_type: string };
}

/** A delivery with every attempt (time, status, latency, first KB of the answer). */
export async function getDelivery(ctx: Ctx, ownerUserId: string, appId: string, deliveryId: string) {
  const row = await ownedDelivery(ctx.store.db, ownerUserId, appId, deliveryId);
  const attempts = await ctx.store.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('number').execute();
  return { ...deliveryView(row), attemptLog: attempts.map((a) => attemptView(a as AttemptRow)) };
}

/**
 * Send a delivery again now, whatever its state, with a fresh retry schedule. A delivery
 * that is being attempted right now is refused.
 */
export async function replayDelivery(ctx: Ctx, ownerUserId: string, appId: string, deliveryId: string) {
  const now = await ctx.clock.now();
  return inTransaction(ctx.store, async (tx) => {
    const row = await ownedDelivery(tx, ownerUserId, appId, deliveryId);
    if (row.claimed_until !== null && row.claimed_until > Date.now()) refuse({ code: 'delivery_in_flight' });
    // An endpoint's delivery goes to where the endpoint points now (the merchant may have
    // fixed the URL since); the dispatcher does the same on every attempt.
    const endpoint = row.endpoint_id ? await tx.selectFrom('webhook_endpoints').select('url').where('id', '=', row.endpoint_id).executeTakeFirst() : undefined;
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', cycle_attempts: 0, cycle_started_at: now, next_attempt_at: now, completed_at: null, claimed_until: null, claim_token: null, url: endpoint?.url ?? row.url })
      .where('id', '=', deliveryId)
      .execute();
    return deliveryView({ ...(await ownedDelivery(tx, ownerUserId, appId, deliveryId)) });
  });
}

/** Replay every failed delivery of an endpoint (after fixing the receiver). */
export async function replayFailed(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string): Promise<{ replayed: number }> {
  const now = await ctx.clock.now();
  return inTransaction(ctx.store, async (tx) => {
    const endpoint = await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    const result = await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', cycle_attempts: 0, cycle_started_at: now, next_attempt_at: now, completed_at: null, claimed_until: null, claim_token: null, url: endpoint.url })
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return { replayed: Number(result.numUpdatedRows) };
  });
}

// --- Events of an app -----------------------------------------------------------------

export interface EventView {
  id: string;
  type: string;
  objectType: string;
  objectId: string;
  createdAt: string;
  payload: unknown;
}

export function eventView(row: { id: string; type: string; object_type: string; object_id: string; payload: string; created_at: number }): EventView {
  let payload: unknown = {};
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = {};
  }
  return { id: row.id, type: row.type, objectType: row.object_type, objectId: row.object_id, createdAt: new Date(row.created_at).toISOString(), payload };
}

/**
 * The app's events: those it caused, and those of its owner that no app caused (an app acts
 * for its owner, so both are found through the owner's index).
 */
export function appEventsQuery(db: Db, app: Pick<AppRow, 'id' | 'owner_user_id'>) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('owner_user_id', '=', app.owner_user_id)
    .where((eb) => eb.or([eb('app_id', '=', app.id), eb('app_id', 'is', null)]));
}

export async function listEvents(ctx: Ctx, ownerUserId: string, appId: string, options: { limit?: number; type?: string } = {}) {
  const app = await getOwnedApp(ctx.store.db, ownerUserId, appId);
  let q = appEventsQuery(ctx.store.db, app)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 200));
  if (options.type) q = q.where('type', '=', options.type);
  return (await q.execute()).map(eventView);
}

// --- The event stream (`pasarela listen`) ---------------------------------------------

/** A literal, not a parameter, so both databases use the partial index events_unsequenced. */
const NOT_SEQUENCED = sql<boolean>`stream_seq is null`;
/** An unknown Last-Event-ID resumes from the app's events of this long ago. */
export const STREAM_RESUME_WINDOW_MS = 10 * MINUTE_MS;

/**
 * Give committed events their stream positions, in the order of `ids` (the caller's
 * transaction holds them locked and none has one yet). The counter row stays locked until
 * the caller commits, so positions become visible in the order they were handed out: a
 * reader that sees position n also sees every position below n (migration 008).
 */
export async function assignStreamSeq(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const counter = await tx
    .updateTable('event_stream_counter')
    .set((eb) => ({ last_seq: eb('last_seq', '+', ids.length) }))
    .where('id', '=', 1)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const first = Number(counter.last_seq) - ids.length + 1;
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const cases = sql.join(
      chunk.map((id, j) => sql`when ${id} then ${sql.lit(first + i + j)}`),
      sql` `,
    );
    await tx
      .updateTable('events')
      .set({ stream_seq: sql<number>`case id ${cases} end` })
      .where('id', 'in', chunk)
      .execute();
  }
}

/**
 * Sequence committed events that have no stream position yet, oldest first. The dispatcher
 * does it at fan-out; the stream does it too, so it never waits for (or depends on) a
 * dispatcher. PostgreSQL skips events another transaction holds (a fan-out in progress
 * sequences those itself). Returns how many it sequenced.
 */
export async function sequenceEvents(ctx: Ctx, limit = 1000): Promise<number> {
  const { store } = ctx;
  const waiting = await store.db.selectFrom('events').select('id').where(NOT_SEQUENCED).limit(1).executeTakeFirst();
  if (!waiting) return 0;
  return inTransaction(store, async (tx) => {
    let q = tx.selectFrom('events').select('id').where(NOT_SEQUENCED).orderBy('created_at').orderBy('id').limit(limit);
    if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const ids = (await q.execute()).map((r) => r.id);
    await assignStreamSeq(tx, ids);
    return ids.length;
  });
}

/**
 * Where a stream starts: strictly after the event named by Last-Event-ID (one of the app's
 * events); with none, after everything committed so far. An unknown Last-Event-ID (another
 * deployment's, a database restored from a backup, garbage) replays the app's events of the
 * last STREAM_RESUME_WINDOW_MS rather than silently starting from now: a receiver may get an
 * event twice (it must tolerate that anyway), but does not lose what happened while it was
 * away. Returns the stream position to send after.
 */
export async function eventStreamStart(ctx: Ctx, app: Pick<AppRow, 'id' | 'owner_user_id'>, lastEventId: string | undefined): Promise<number> {
  const db = ctx.store.db;
  if (lastEventId) {
    const last = await appEventsQuery(db, app).where('id', '=', lastEventId).executeTakeFirst();
    if (last && last.stream_seq !== null) return Number(last.stream_seq);
    const since = (await ctx.clock.now()) - STREAM_RESUME_WINDOW_MS;
    const first = await appEventsQuery(db, app).where('created_at', '>=', since).where('stream_seq', 'is not', null).orderBy('stream_seq').limit(1).executeTakeFirst();
    if (first) return Number(first.stream_seq) - 1;
  }
  const counter = await db.selectFrom('event_stream_counter').select('last_seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(counter.last_seq);
}

/** The app's events after stream position `after`, in stream order. */
export function streamEventsAfter(ctx: Ctx, app: Pick<AppRow, 'id' | 'owner_user_id'>, after: number, limit: number) {
  return appEventsQuery(ctx.store.db, app).where('stream_seq', '>', after).orderBy('stream_seq').limit(limit).execute();
}
