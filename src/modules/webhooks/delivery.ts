// The outbox dispatcher. Two steps, each its own transaction:
// 1. fan-out: events not yet fanned out become one delivery per matching target (app
//    endpoints subscribed to the type, the payment's notification_url, the verified POS
//    integrator webhook) and are marked fanned out — in one transaction, so a crash neither
//    loses nor duplicates deliveries. The same transaction gives them their event-stream
//    position (commit order, for `pasarela listen`). An event that cannot be fanned out (a
//    poison event) is set aside with no deliveries and reported, never retried on every tick;
//    and a failed fan-out never keeps the claims below from running;
// 2. claim: due deliveries get a wall-clock lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so
//    several processes never take the same one; SQLite: the single writer). Each attempt is
//    recorded, then the delivery succeeds, is rescheduled, or fails and flags its endpoint.
//    Each attempt goes to the endpoint's current URL. What the receiver answered is stored as
//    storable text; if the attempt still cannot be recorded, the delivery's state is settled
//    anyway, so it is not sent again when its lease expires.
// A killed process's leases expire and another (or the restarted) process takes them over:
// every event is delivered at least once; normally exactly once.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import '../../store/schema-webhooks.ts';
import { notificationFor, notificationUrlOf, retryDelayMs, storableText, subscribes, type EventRecord } from './model.ts';
import { inTransaction, isRetryableDbError, type Tx } from '../../store/db.ts';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../../store/schema-webhooks.ts';
import type { Ctx } from '../../platform/context.ts';
import { sha256Hex } from '../../platform/secrets.ts';
import { outboundAgent } from '../../platform/ssrf.ts';
import { countWebhookDelivery } from '../../platform/metrics.ts';
import { sendNotification, type SendResult } from './sender.ts';
import { webhookSettings, type WebhookSettings } from './settings.ts';
import { appNotificationSecret, assignStreamSeq } from './service.ts';
import type { Agent } from 'undici';

type DeliveryRow = WebhookDeliveriesTable;
type EndpointRow = WebhookEndpointsTable;

/** Candidates looked at per claim (the oldest due ones, per-target limited). */
const CANDIDATE_WINDOW = 500;
/** Deliveries one lane sends to its target before giving its slot back. */
const LANE_LENGTH = 50;
const INSERT_CHUNK = 200;
/** A literal, not a parameter, so both databases use the partial index events_pending_fanout. */
const NOT_FANNED_OUT = sql<boolean>`fanned_out = 0`;

function urlKey(url: string): string {
  return `url:${sha256Hex(url).slice(0, 40)}`;
}

/**
 * An http(s) URL without credentials, normalized as it is sent (percent-encoded, so no NUL or
 * other raw control character reaches the database), or undefined.
 */
function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Is a fan-out failure about the data, so the same event would fail the same way on every
 * try (a poison event), rather than the database being unavailable or busy? PostgreSQL data
 * exceptions (22xxx), integrity violations (23xxx) and program limits (54xxx); SQLite
 * constraint, mismatch, too-big and range errors; and our own code failing to read a row
 * (SyntaxError, TypeError, RangeError). Anything else (a lost connection, a timeout) is not.
 */
function isPoisonError(error: unknown): boolean {
  if (isRetryableDbError(error)) return false;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return /^(22|23|54)[0-9A-Z]{3}$/.test(code) || /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
  return error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError;
}

/** The deliveries an event needs, given the candidate endpoints (pure). */
export function targetsFor(event: EventRecord, endpoints: readonly EndpointRow[], now: number): DeliveryRow[] {
  const out: DeliveryRow[] = [];
  const base = (target: DeliveryRow['target'], key: string, url: string, endpoint: EndpointRow | null): DeliveryRow => ({
    id: randomUUID(),
    event_id: event.id,
    target,
    target_key: key,
    endpoint_id: endpoint?.id ?? null,
    app_id: endpoint?.app_id ?? event.app_id,
    owner_user_id: endpoint?.owner_user_id ?? event.owner_user_id,
    url,
    status: 'pending',
    attempts: 0,
    cycle_attempts: 0,
    cycle_started_at: now,
    next_attempt_at: now,
    claimed_until: null,
    claim_token: null,
    last_status_code: null,
    last_error: null,
    last_attempt_at: null,
    completed_at: null,
    created_at: now,
  });
  const belongs = (e: EndpointRow) => (event.app_id ? e.app_id === event.app_id : event.owner_user_id !== null && e.owner_user_id === event.owner_user_id);
  for (const e of endpoints) {
    if (e.enabled !== 1 || e.deleted_at !== null || !belongs(e)) continue;
    if (!subscribes(JSON.parse(e.event_types) as string[], event.type)) continue;
    if (e.kind === 'app') out.push(base('endpoint', e.id, e.url, e));
    else if (e.kind === 'integrator' && e.verified === 1 && event.object_type === 'point_intent') out.push(base('integrator', e.id, e.url, e));
  }
  const raw = notificationUrlOf(event);
  const own = raw === undefined ? undefined : httpUrl(raw);
  if (own) {
    out.push(base('notification_url', urlKey(own), own, null));
  }
  return out;
}

export interface ClaimedDelivery {
  delivery: DeliveryRow;
  event: EventRecord;
  endpoint: EndpointRow | undefined;
  claimToken: string;
}

export class Dispatcher {
  readonly settings: WebhookSettings;
  private readonly agent: Agent;
  private readonly inFlightByTarget = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private closed = false;

  constructor(
    private readonly ctx: Ctx,
    overrides: Partial<WebhookSettings> = {},
  ) {
    this.settings = webhookSettings(ctx, process.env, overrides);
    // The lanes already hold each target to perEndpointConcurrency. The agent's limit is per
    // origin, and many endpoints (tenants) can share one host: allow as many connections per
    // origin as this process has attempts in flight, so an attempt never queues inside undici
    // behind another endpoint's slow calls (and its timeout never runs while it waits there).
    this.agent = outboundAgent({ guard: this.settings.guardPrivateTargets, connections: Math.max(this.settings.globalConcurrency, 1) });
  }

  /**
   * Turn up to one batch of new events into deliveries; returns how many events. Fanned-out
   * events get their event-stream position in the same transaction (assignStreamSeq). When a
   * batch fails, its events are fanned out one at a time, so one event that cannot be (a
   * poison event) does not hold up the others: see fanOutEach.
   */
  async fanOut(): Promise<number> {
    const { store } = this.ctx;
    // Most ticks find nothing: look without taking the write lock first.
    const waiting = await store.db.selectFrom('events').select('id').where(NOT_FANNED_OUT).limit(1).executeTakeFirst();
    if (!waiting) return 0;
    try {
      return await this.fanOutBatch(this.settings.fanoutBatch);
    } catch (error) {
      if (!isPoisonError(error)) throw error;
      return this.fanOutEach();
    }
  }

  /** One transaction: up to `limit` waiting events (or the one named) become deliveries. */
  private async fanOutBatch(limit: number, onlyId?: string): Promise<number> {
    const { store } = this.ctx;
    const now = await this.ctx.clock.now();
    return inTransaction(store, async (tx) => {
      let q = tx
        .selectFrom('events')
        .select(['id', 'type', 'object_type', 'object_id', 'owner_user_id', 'app_id', 'payload', 'created_at', 'stream_seq'])
        .where(NOT_FANNED_OUT)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit);
      if (onlyId !== undefined) q = q.where('id', '=', onlyId);
      if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const events = await q.execute();
      if (events.length === 0) return 0;
      const appIds = [...new Set(events.map((e) => e.app_id).filter((x): x is string => !!x))];
      const owners = [...new Set(events.filter((e) => !e.app_id).map((e) => e.owner_user_id).filter((x): x is string => !!x))];
      let endpoints: EndpointRow[] = [];
      if (appIds.length || owners.length) {
        endpoints = (await tx
          .selectFrom('webhook_endpoints')
          .selectAll()
          .where('deleted_at', 'is', null)
          .where('enabled', '=', 1)
          .where((eb) => {
            const ors = [];
            if (appIds.length) ors.push(eb('app_id', 'in', appIds));
            if (owners.length) ors.push(eb('owner_user_id', 'in', owners));
            return eb.or(ors);
          })
          .execute()) as EndpointRow[];
      }
      const rows = events.flatMap((e) => targetsFor(e as EventRecord, endpoints, now));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx
          .insertInto('webhook_deliveries')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['event_id', 'target_key']).doNothing())
          .execute();
      }
      await this.markFannedOut(tx, events);
      return events.length;
    });
  }

  /** Mark events fanned out and give those the stream has not numbered yet their position. */
  private async markFannedOut(tx: Tx, events: readonly { id: string; stream_seq: number | null }[]): Promise<void> {
    await tx
      .updateTable('events')
      .set({ fanned_out: 1 })
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    await assignStreamSeq(
      tx,
      events.filter((e) => e.stream_seq === null).map((e) => e.id),
    );
  }

  /**
   * After a failed batch: each waiting event of the next batch in its own transaction. An
   * event that fails alone with an error about its data is poison: it is marked fanned out
   * with no deliveries (it would fail on every tick otherwise) and reported through onError
   * with its id and the reason. An error that is not about the data (the database went away)
   * stops here and is thrown, so no event is given up for it.
   */
  private async fanOutEach(): Promise<number> {
    const { store } = this.ctx;
    const waiting = await store.db.selectFrom('events').select('id').where(NOT_FANNED_OUT).orderBy('created_at').orderBy('id').limit(this.settings.fanoutBatch).execute();
    let handled = 0;
    for (const { id } of waiting) {
      try {
        handled += await this.fanOutBatch(1, id);
      } catch (error) {
        if (!isPoisonError(error)) throw error;
        const marked = await inTransaction(store, async (tx) => {
          let q = tx.selectFrom('events').select(['id', 'stream_seq']).where(NOT_FANNED_OUT).where('id', '=', id);
          if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
          const events = await q.execute();
          if (events.length) await this.markFannedOut(tx, events);
          return events.length;
        });
        handled += marked;
        if (marked) {
          const reason = error instanceof Error ? error.message : String(error);
          this.onError?.(Object.assign(new Error(`evento ${id} sin entregas: no se pudo distribuir (${reason.slice(0, 300)})`), { cause: error, eventId: id }));
        }
      }
    }
    return handled;
  }

  /**
   * Lease due deliveries in one statement: `update … where id in (select … [for update skip
   * locked]) returning *` (PostgreSQL skips rows another process holds; SQLite has one writer).
   */
  private async lease(tx: Tx, which: { ids: string[] } | { targetKey: string; limit: number }, now: number, wall: number, token: string): Promise<DeliveryRow[]> {
    let pick = tx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', wall)]));
    if ('ids' in which) pick = pick.where('id', 'in', which.ids);
    else pick = pick.where('target_key', '=', which.targetKey).where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(which.limit);
    if (this.ctx.store.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
    return (await tx
      .updateTable('webhook_deliveries')
      .set({ claimed_until: wall + this.settings.leaseMs, claim_token: token })
      .where('id', 'in', pick)
      .returningAll()
      .execute()) as DeliveryRow[];
  }

  /** What an attempt needs: the leased deliveries with their events and endpoints (one query). */
  private async load(deliveries: DeliveryRow[], token: string): Promise<ClaimedDelivery[]> {
    if (deliveries.length === 0) return [];
    const rows = await this.ctx.store.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .leftJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
      .select([
        'd.id as d_id',
        'e.id as e_id', 'e.type as e_type', 'e.object_type as e_object_type', 'e.object_id as e_object_id', 'e.owner_user_id as e_owner_user_id',
        'e.app_id as e_app_id', 'e.payload as e_payload', 'e.created_at as e_created_at',
        'w.id as w_id', 'w.kind as w_kind', 'w.app_id as w_app_id', 'w.owner_user_id as w_owner_user_id', 'w.url as w_url', 'w.description as w_description',
        'w.event_types as w_event_types', 'w.secret_enc as w_secret_enc', 'w.enabled as w_enabled', 'w.verified as w_verified', 'w.flagged_at as w_flagged_at',
        'w.flag_reason as w_flag_reason', 'w.created_at as w_created_at', 'w.updated_at as w_updated_at', 'w.deleted_at as w_deleted_at',
      ])
      .where('d.id', 'in', deliveries.map((d) => d.id))
      .execute();
    const byId = new Map(rows.map((r) => [r.d_id, r]));
    const out: ClaimedDelivery[] = [];
    for (const delivery of deliveries) {
      const r = byId.get(delivery.id);
      if (!r) continue;
      const event: EventRecord = { id: r.e_id, type: r.e_type, object_type: r.e_object_type, object_id: r.e_object_id, owner_user_id: r.e_owner_user_id, app_id: r.e_app_id, payload: r.e_payload, created_at: r.e_created_at };
      const endpoint: EndpointRow | undefined = r.w_id
        ? {
            id: r.w_id, kind: r.w_kind!, app_id: r.w_app_id!, owner_user_id: r.w_owner_user_id!, url: r.w_url!, description: r.w_description!, event_types: r.w_event_types!,
            secret_enc: r.w_secret_enc, enabled: r.w_enabled!, verified: r.w_verified!, flagged_at: r.w_flagged_at, flag_reason: r.w_flag_reason,
            created_at: r.w_created_at!, updated_at: r.w_updated_at!, deleted_at: r.w_deleted_at,
          }
        : undefined;
      out.push({ delivery, event, endpoint, claimToken: token });
    }
    return out;
  }

  /**
   * Lease up to `limit` due deliveries for targets that have a free lane here (at most
   * perEndpointConcurrency in flight per target). Targets saturated in this process are left
   * out of the search, so a slow endpoint's backlog never hides the others' work.
   */
  async claim(limit: number): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const { store } = this.ctx;
    const now = await this.ctx.clock.now();
    const wall = Date.now();
    const per = this.settings.perEndpointConcurrency;
    const saturated = [...this.inFlightByTarget].filter(([, n]) => n >= per).map(([k]) => k);
    const excluded = saturated.length ? sql`and target_key not in (${sql.join(saturated)})` : sql``;
    const candidates = await sql<{ id: string; target_key: string }>`
      select id, target_key from (
        select id, target_key, next_attempt_at,
               row_number() over (partition by target_key order by next_attempt_at, id) as rn
        from (
          select id, target_key, next_attempt_at from webhook_deliveries
          where status = 'pending' and next_attempt_at <= ${now}
            and (claimed_until is null or claimed_until < ${wall}) ${excluded}
          order by next_attempt_at limit ${CANDIDATE_WINDOW}
        ) due
      ) ranked
      where rn <= ${per}
      order by next_attempt_at, id
      limit ${limit * 4}`.execute(store.db);
    const chosen: string[] = [];
    const planned = new Map<string, number>();
    for (const c of candidates.rows) {
      if (chosen.length >= limit) break;
      const used = (this.inFlightByTarget.get(c.target_key) ?? 0) + (planned.get(c.target_key) ?? 0);
      if (used >= per) continue;
      planned.set(c.target_key, (planned.get(c.target_key) ?? 0) + 1);
      chosen.push(c.id);
    }
    if (chosen.length === 0) return [];
    const token = randomUUID();
    const leased = await inTransaction(store, (tx) => this.lease(tx, { ids: chosen }, now, wall, token));
    return this.load(leased, token);
  }

  private async secretFor(claimed: ClaimedDelivery): Promise<string | undefined> {
    const { delivery, endpoint } = claimed;
    if (delivery.target === 'endpoint') return endpoint?.secret_enc ? this.ctx.keys.open(endpoint.secret_enc) : undefined;
    const appId = delivery.app_id ?? endpoint?.app_id;
    if (!appId) return undefined;
    return appNotificationSecret(this.ctx, this.ctx.store.db, appId);
  }

  /**
   * One attempt of a claimed delivery, recorded; then success, a retry, or failure. With
   * `continueLane`, the same transaction leases the target's next due delivery, returned for
   * the caller to send next (a lane keeps one connection busy without a poll in between).
   */
  async attempt(claimed: ClaimedDelivery, continueLane = false): Promise<ClaimedDelivery | undefined> {
    const { delivery, endpoint, event } = claimed;
    const startedAt = await this.ctx.clock.now();
    const gone = delivery.target !== 'notification_url' && (!endpoint || endpoint.deleted_at !== null || endpoint.enabled !== 1 || (delivery.target === 'integrator' && endpoint.verified !== 1));
    const secret = gone ? undefined : await this.secretFor(claimed);
    if (gone || !secret) {
      await this.ctx.store.db
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', last_error: gone ? 'webhook deshabilitado o eliminado' : 'sin secreto de firma', completed_at: startedAt, claimed_until: null, claim_token: null })
        .where('id', '=', delivery.id)
        .where('claim_token', '=', claimed.claimToken)
        .execute();
      countWebhookDelivery('failed');
      return undefined;
    }
    // An endpoint's delivery goes where the endpoint points now: a retry or a replay after the
    // merchant fixed the URL reaches the fixed one (and the delivery records it).
    const target = delivery.target !== 'notification_url' && endpoint ? endpoint.url : delivery.url;
    const result = await sendNotification({
      target,
      notification: notificationFor(event, this.ctx.config.environment === 'production'),
      secret,
      timeoutMs: this.settings.timeoutMs,
      agent: this.agent,
      guard: this.settings.guardPrivateTargets,
      signal: this.shutdown.signal,
    });
    if (result.aborted) {
      // Shutting down: not the receiver's fault. Release the lease so it is retried at once.
      await this.ctx.store.db
        .updateTable('webhook_deliveries')
        .set({ claimed_until: null, claim_token: null })
        .where('id', '=', delivery.id)
        .where('claim_token', '=', claimed.claimToken)
        .execute()
        .catch(() => {});
      return undefined;
    }
    const nextToken = randomUUID();
    let nextRows: DeliveryRow[];
    let status: DeliveryRow['status'];
    try {
      ({ status, nextRows } = await this.record(claimed, target, startedAt, result, continueLane && !this.closed ? nextToken : undefined));
    } catch (error) {
      // The attempt could not be logged (one field the database refuses, say). Settle the
      // delivery anyway, or its lease would expire and it would be sent again and again.
      this.onError?.(error);
      status = await this.settleUnrecorded(claimed, target, startedAt, result);
      nextRows = [];
    }
    countWebhookDelivery(result.succeeded ? 'succeeded' : status === 'failed' ? 'failed' : 'retrying');
    const [next] = await this.load(nextRows, nextToken);
    return next;
  }

  /** What an attempt changes: the delivery's new state and the endpoint's flag (pure). */
  private outcomeOf(claimed: ClaimedDelivery, target: string, startedAt: number, now: number, result: SendResult) {
    const { delivery } = claimed;
    // While the lease is ours nobody else changes the row, so the leased copy is current.
    const number = delivery.attempts + 1;
    let status: DeliveryRow['status'] = 'succeeded';
    let nextAttemptAt: number | null = null;
    if (!result.succeeded) {
      const delay = retryDelayMs(delivery.cycle_attempts + 1, now - delivery.cycle_started_at, this.settings.horizonMs);
      status = delay === null ? 'failed' : 'pending';
      nextAttemptAt = delay === null ? null : now + delay;
    }
    const flag: 'set' | 'clear' | 'none' = !delivery.endpoint_id ? 'none' : status === 'failed' ? 'set' : status === 'succeeded' && claimed.endpoint?.flagged_at != null ? 'clear' : 'none';
    return {
      number,
      status,
      flag,
      flagReason: storableText(`Entrega ${delivery.id} fallida tras ${number} intentos (${result.statusCode ?? result.error})`.slice(0, 300)),
      change: {
        status,
        url: storableText(target),
        attempts: number,
        cycle_attempts: delivery.cycle_attempts + 1,
        last_status_code: result.statusCode,
        last_error: storableText(result.error),
        last_attempt_at: startedAt,
        claimed_until: null,
        claim_token: null,
        completed_at: status === 'pending' ? null : now,
        ...(nextAttemptAt !== null ? { next_attempt_at: nextAttemptAt } : {}),
      },
      attempt: {
        id: randomUUID(),
        delivery_id: delivery.id,
        number,
        request_id: result.requestId,
        url: storableText(result.url),
        started_at: startedAt,
        status_code: result.statusCode,
        error: storableText(result.error),
        latency_ms: result.latencyMs,
        response_body: storableText(result.responseBody),
        succeeded: result.succeeded ? 1 : 0,
        worker_id: this.settings.workerId,
      },
    };
  }

  /**
   * Log the attempt, settle the delivery (only while the lease is still ours: a lost lease
   * means another process took over, and the attempt is only logged), flag or unflag the
   * endpoint, and — keeping the lane going while the receiver answers well — lease the
   * target's next due delivery. All in one transaction.
   */
  private async record(
    claimed: ClaimedDelivery,
    target: string,
    startedAt: number,
    result: SendResult,
    nextToken: string | undefined,
  ): Promise<{ status: DeliveryRow['status']; nextRows: DeliveryRow[] }> {
    const now = await this.ctx.clock.now();
    const o = this.outcomeOf(claimed, target, startedAt, now, result);
    const next = nextToken && result.succeeded ? { token: nextToken, wall: Date.now() } : undefined;
    if (this.ctx.store.dialect === 'postgres') return this.recordPostgres(claimed, now, o, next);
    const { delivery } = claimed;
    return inTransaction(this.ctx.store, async (tx: Tx) => {
      await tx.insertInto('webhook_attempts').values(o.attempt).execute();
      const updated = await tx.updateTable('webhook_deliveries').set(o.change).where('id', '=', delivery.id).where('claim_token', '=', claimed.claimToken).executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { status: delivery.status, nextRows: [] };
      if (o.flag === 'set') await tx.updateTable('webhook_endpoints').set({ flagged_at: now, flag_reason: o.flagReason }).where('id', '=', delivery.endpoint_id!).execute();
      if (o.flag === 'clear') await tx.updateTable('webhook_endpoints').set({ flagged_at: null, flag_reason: null }).where('id', '=', delivery.endpoint_id!).where('flagged_at', 'is not', null).execute();
      const nextRows = next ? await this.lease(tx, { targetKey: delivery.target_key, limit: 1 }, now, next.wall, next.token) : [];
      return { status: o.status, nextRows };
    });
  }

  /** The same as one statement (data-modifying CTEs): one round trip instead of six. */
  private async recordPostgres(
    claimed: ClaimedDelivery,
    now: number,
    o: ReturnType<Dispatcher['outcomeOf']>,
    next: { token: string; wall: number } | undefined,
  ): Promise<{ status: DeliveryRow['status']; nextRows: DeliveryRow[] }> {
    const { delivery } = claimed;
    const a = o.attempt;
    const c = o.change;
    const result = await sql<DeliveryRow & { settled_count: number }>`
      with attempt as (
        insert into webhook_attempts (id, delivery_id, number, request_id, url, started_at, status_code, error, latency_ms, response_body, succeeded, worker_id)
        values (${a.id}, ${a.delivery_id}, ${a.number}, ${a.request_id}, ${a.url}, ${a.started_at}, ${a.status_code}::integer, ${a.error}::text, ${a.latency_ms}, ${a.response_body}::text, ${a.succeeded}, ${a.worker_id})
      ), settled as (
        update webhook_deliveries set status = ${c.status}, url = ${c.url}, attempts = ${c.attempts}, cycle_attempts = ${c.cycle_attempts},
          last_status_code = ${c.last_status_code}::integer, last_error = ${c.last_error}::text, last_attempt_at = ${c.last_attempt_at},
          claimed_until = null, claim_token = null, completed_at = ${c.completed_at}::bigint,
          next_attempt_at = coalesce(${c.next_attempt_at ?? null}::bigint, next_attempt_at)
        where id = ${delivery.id} and claim_token = ${claimed.claimToken}
        returning id
      ), flag as (
        update webhook_endpoints
        set flagged_at = case when ${o.flag}::text = 'set' then ${now}::bigint else null end,
            flag_reason = case when ${o.flag}::text = 'set' then ${o.flagReason}::text else null end
        where id = ${delivery.endpoint_id}::text and ${o.flag}::text <> 'none'
          and (${o.flag}::text = 'set' or flagged_at is not null) and exists (select 1 from settled)
      ), next as (
        update webhook_deliveries set claimed_until = ${(next?.wall ?? 0) + this.settings.leaseMs}::bigint, claim_token = ${next?.token ?? null}::text
        where ${!!next}::boolean and exists (select 1 from settled) and id in (
          select id from webhook_deliveries
          where target_key = ${delivery.target_key} and status = 'pending' and next_attempt_at <= ${now}::bigint
            and (claimed_until is null or claimed_until < ${next?.wall ?? 0}::bigint) and id <> ${delivery.id}
          order by next_attempt_at limit 1
          for update skip locked)
        returning *
      )
      select (select count(*) from settled)::integer as settled_count, next.* from (select 1) as one left join next on true`.execute(this.ctx.store.db);
    const rows = result.rows;
    if (!rows[0] || rows[0].settled_count !== 1) return { status: delivery.status, nextRows: [] };
    const nextRows = rows.filter((r) => r.id).map(({ settled_count: _, ...row }) => row as DeliveryRow);
    return { status: o.status, nextRows };
  }

  /**
   * When record() failed: only the delivery's state (status, counters, next attempt, lease),
   * no attempt row, no free text from the receiver. Returns the status it settled on.
   */
  private async settleUnrecorded(claimed: ClaimedDelivery, target: string, startedAt: number, result: SendResult): Promise<DeliveryRow['status']> {
    const { delivery } = claimed;
    try {
      const now = await this.ctx.clock.now();
      const { change } = this.outcomeOf(claimed, target, startedAt, now, result);
      const updated = await this.ctx.store.db
        .updateTable('webhook_deliveries')
        .set({
          status: change.status,
          attempts: change.attempts,
          cycle_attempts: change.cycle_attempts,
          last_status_code: change.last_status_code,
          last_error: result.succeeded ? null : 'el intento no pudo registrarse',
          last_attempt_at: change.last_attempt_at,
          completed_at: change.completed_at,
          claimed_until: null,
          claim_token: null,
          ...(change.next_attempt_at !== undefined ? { next_attempt_at: change.next_attempt_at } : {}),
        })
        .where('id', '=', delivery.id)
        .where('claim_token', '=', claimed.claimToken)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1 ? change.status : delivery.status;
    } catch (error) {
      this.onError?.(error);
      return delivery.status;
    }
  }

  /**
   * A lane: send `first`, then keep sending the same target's next due deliveries (up to
   * LANE_LENGTH, so lanes rotate and every target gets its turn), then free the slot.
   */
  private launch(first: ClaimedDelivery, onDone: () => void): void {
    const key = first.delivery.target_key;
    this.inFlightByTarget.set(key, (this.inFlightByTarget.get(key) ?? 0) + 1);
    const run = (async () => {
      let current: ClaimedDelivery | undefined = first;
      for (let sent = 1; current; sent++) {
        const next = await this.attempt(current, sent < LANE_LENGTH);
        current = next;
      }
    })()
      .catch((error) => this.onError?.(error))
      .then(() => {
        const left = (this.inFlightByTarget.get(key) ?? 1) - 1;
        if (left <= 0) this.inFlightByTarget.delete(key);
        else this.inFlightByTarget.set(key, left);
        this.inFlight.delete(run);
        onDone();
      });
    this.inFlight.add(run);
  }

  onError?: (error: unknown) => void;

  /**
   * Fan out new events and start attempts for due deliveries without waiting for them (a
   * slow receiver never holds up the others). Returns how much work it found.
   */
  async tick(onDone: () => void = () => {}): Promise<number> {
    if (this.closed) return 0;
    // A fan-out that fails must not stop delivery of what is already due.
    let fanned = 0;
    try {
      fanned = await this.fanOut();
    } catch (error) {
      this.onError?.(error);
    }
    const free = this.settings.globalConcurrency - this.inFlight.size;
    const claimed = await this.claim(free);
    for (const c of claimed) this.launch(c, onDone);
    return fanned + claimed.length;
  }

  /** Wait for the attempts in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** Deliver everything that is due now (tests): tick and wait until nothing is left. */
  async drain(maxRounds = 10_000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const found = await this.tick();
      await this.idle();
      if (found === 0) return;
    }
  }

  /** Abort attempts in flight (their leases are released), wait for them, close connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.shutdown.abort();
    await this.idle();
    await this.agent.close().catch(() => {});
  }
}
