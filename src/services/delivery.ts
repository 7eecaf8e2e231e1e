// The outbox dispatcher. Two steps, each its own transaction:
// 1. fan-out: events not yet fanned out become one delivery per matching target (app
//    endpoints subscribed to the type, the payment's notification_url, the verified POS
//    integrator webhook) and are marked fanned out — in one transaction, so a crash neither
//    loses nor duplicates deliveries;
// 2. claim: due deliveries get a wall-clock lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so
//    several processes never take the same one; SQLite: the single writer). Each attempt is
//    recorded, then the delivery succeeds, is rescheduled, or fails and flags its endpoint.
// A killed process's leases expire and another (or the restarted) process takes them over:
// every event is delivered at least once; normally exactly once.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import '../store/schema-webhooks.ts';
import { notificationFor, notificationUrlOf, retryDelayMs, subscribes, type EventRecord } from '../domain/webhooks.ts';
import { inTransaction, type Tx } from '../store/db.ts';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../store/schema-webhooks.ts';
import type { Ctx } from './context.ts';
import { outboundAgent } from './ssrf.ts';
import { sendNotification, type SendResult } from './webhook-sender.ts';
import { webhookSettings, type WebhookSettings } from './webhook-settings.ts';
import { appNotificationSecret } from './webhooks.ts';
import type { Agent } from 'undici';

type DeliveryRow = WebhookDeliveriesTable;
type EndpointRow = WebhookEndpointsTable;

/** Candidates looked at per claim (the oldest due ones, per-target limited). */
const CANDIDATE_WINDOW = 2000;
const INSERT_CHUNK = 200;

function urlKey(url: string): string {
  return `url:${createHash('sha256').update(url).digest('hex').slice(0, 40)}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
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
  const own = notificationUrlOf(event);
  if (own && isHttpUrl(own) && !out.some((d) => d.url === own && d.target === 'notification_url')) {
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

export interface AttemptOutcome {
  deliveryId: string;
  eventId: string;
  result: SendResult;
  status: DeliveryRow['status'];
}

export class Dispatcher {
  readonly settings: WebhookSettings;
  private readonly agent: Agent;
  private readonly inFlightByTarget = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private closed = false;
  /** Called after each attempt is recorded (tests, `listen`-style observers, the worker's wake-up). */
  onAttempt?: (outcome: AttemptOutcome) => void;

  constructor(
    private readonly ctx: Ctx,
    overrides: Partial<WebhookSettings> = {},
  ) {
    this.settings = webhookSettings(ctx, process.env, overrides);
    this.agent = outboundAgent({ guard: this.settings.guardPrivateTargets, connections: Math.max(this.settings.perEndpointConcurrency, 1) });
  }

  get busy(): number {
    return this.inFlight.size;
  }

  /** Turn up to one batch of new events into deliveries; returns how many events. */
  async fanOut(): Promise<number> {
    const { store } = this.ctx;
    const now = await this.ctx.clock.now();
    return inTransaction(store, async (tx) => {
      let q = tx.selectFrom('events').select(['id', 'type', 'object_type', 'object_id', 'owner_user_id', 'app_id', 'payload', 'created_at']).where('fanned_out', '=', 0).orderBy('created_at').limit(this.settings.fanoutBatch);
      if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const events = (await q.execute()) as EventRecord[];
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
      const rows = events.flatMap((e) => targetsFor(e, endpoints, now));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx
          .insertInto('webhook_deliveries')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['event_id', 'target_key']).doNothing())
          .execute();
      }
      await tx
        .updateTable('events')
        .set({ fanned_out: 1 })
        .where(
          'id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
      return events.length;
    });
  }

  /** Lease up to `limit` due deliveries, at most perEndpointConcurrency in flight per target. */
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
    const claimedIds = await inTransaction(store, async (tx) => {
      let lock = tx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('id', 'in', chosen)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', wall)]));
      if (store.dialect === 'postgres') lock = lock.forUpdate().skipLocked();
      const ids = (await lock.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      await tx.updateTable('webhook_deliveries').set({ claimed_until: wall + this.settings.leaseMs, claim_token: token }).where('id', 'in', ids).execute();
      return ids;
    });
    if (claimedIds.length === 0) return [];
    const deliveries = (await store.db.selectFrom('webhook_deliveries').selectAll().where('id', 'in', claimedIds).where('claim_token', '=', token).execute()) as DeliveryRow[];
    const events = new Map(
      ((await store.db
        .selectFrom('events')
        .select(['id', 'type', 'object_type', 'object_id', 'owner_user_id', 'app_id', 'payload', 'created_at'])
        .where(
          'id',
          'in',
          [...new Set(deliveries.map((d) => d.event_id))],
        )
        .execute()) as EventRecord[]).map((e) => [e.id, e]),
    );
    const endpointIds = [...new Set(deliveries.map((d) => d.endpoint_id).filter((x): x is string => !!x))];
    const endpoints = new Map(
      endpointIds.length ? ((await store.db.selectFrom('webhook_endpoints').selectAll().where('id', 'in', endpointIds).execute()) as EndpointRow[]).map((e) => [e.id, e]) : [],
    );
    return deliveries.map((delivery) => ({ delivery, event: events.get(delivery.event_id)!, endpoint: delivery.endpoint_id ? endpoints.get(delivery.endpoint_id) : undefined, claimToken: token }));
  }

  private async secretFor(claimed: ClaimedDelivery): Promise<string | undefined> {
    const { delivery, endpoint } = claimed;
    if (delivery.target === 'endpoint') return endpoint?.secret_enc ? this.ctx.keys.open(endpoint.secret_enc) : undefined;
    const appId = delivery.app_id ?? endpoint?.app_id;
    if (!appId) return undefined;
    return appNotificationSecret(this.ctx, this.ctx.store.db, appId);
  }

  /** One attempt of a claimed delivery, recorded; then success, a retry, or failure. */
  async attempt(claimed: ClaimedDelivery): Promise<AttemptOutcome | undefined> {
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
      return undefined;
    }
    const result = await sendNotification({
      target: delivery.url,
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
    const status = await this.record(claimed, startedAt, result);
    const outcome: AttemptOutcome = { deliveryId: delivery.id, eventId: event.id, result, status };
    this.onAttempt?.(outcome);
    return outcome;
  }

  private async record(claimed: ClaimedDelivery, startedAt: number, result: SendResult): Promise<DeliveryRow['status']> {
    const { delivery } = claimed;
    const now = await this.ctx.clock.now();
    return inTransaction(this.ctx.store, async (tx: Tx) => {
      const current = await tx.selectFrom('webhook_deliveries').select(['attempts', 'cycle_attempts', 'cycle_started_at', 'claim_token', 'status']).where('id', '=', delivery.id).executeTakeFirst();
      const number = (current?.attempts ?? delivery.attempts) + 1;
      await tx
        .insertInto('webhook_attempts')
        .values({
          id: randomUUID(),
          delivery_id: delivery.id,
          number,
          request_id: result.requestId,
          url: result.url,
          started_at: startedAt,
          status_code: result.statusCode,
          error: result.error,
          latency_ms: result.latencyMs,
          response_body: result.responseBody,
          succeeded: result.succeeded ? 1 : 0,
          worker_id: this.settings.workerId,
        })
        .execute();
      // Lost the lease meanwhile (it expired and another process took over): only log the attempt.
      if (!current || current.claim_token !== claimed.claimToken) return current?.status ?? delivery.status;
      const common = { attempts: number, cycle_attempts: current.cycle_attempts + 1, last_status_code: result.statusCode, last_error: result.error, last_attempt_at: startedAt, claimed_until: null, claim_token: null };
      if (result.succeeded) {
        await tx.updateTable('webhook_deliveries').set({ ...common, status: 'succeeded', completed_at: now }).where('id', '=', delivery.id).execute();
        if (delivery.endpoint_id && claimed.endpoint?.flagged_at !== null) {
          await tx.updateTable('webhook_endpoints').set({ flagged_at: null, flag_reason: null }).where('id', '=', delivery.endpoint_id).where('flagged_at', 'is not', null).execute();
        }
        return 'succeeded';
      }
      const delay = retryDelayMs(current.cycle_attempts + 1, now - current.cycle_started_at, this.settings.horizonMs);
      if (delay !== null) {
        await tx.updateTable('webhook_deliveries').set({ ...common, status: 'pending', next_attempt_at: now + delay }).where('id', '=', delivery.id).execute();
        return 'pending';
      }
      await tx.updateTable('webhook_deliveries').set({ ...common, status: 'failed', completed_at: now }).where('id', '=', delivery.id).execute();
      if (delivery.endpoint_id) {
        const reason = `Entrega ${delivery.id} fallida tras ${number} intentos (${result.statusCode ?? result.error})`.slice(0, 300);
        await tx.updateTable('webhook_endpoints').set({ flagged_at: now, flag_reason: reason }).where('id', '=', delivery.endpoint_id).execute();
      }
      return 'failed';
    });
  }

  private launch(claimed: ClaimedDelivery, onDone: () => void): void {
    const key = claimed.delivery.target_key;
    this.inFlightByTarget.set(key, (this.inFlightByTarget.get(key) ?? 0) + 1);
    const run = this.attempt(claimed)
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
    const fanned = await this.fanOut();
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
