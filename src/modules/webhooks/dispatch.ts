// The outbox dispatcher. Two steps, each its own transaction:
// 1. fan-out (fan-out.ts): new events become deliveries; a failed fan-out never keeps the
//    claims below from running;
// 2. claim: due deliveries get a wall-clock lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so
//    several processes never take the same one; SQLite: the single writer). Each attempt is
//    recorded, then the delivery succeeds, is rescheduled, or fails and flags its endpoint.
//    Each attempt goes to the endpoint's current URL. What the receiver answered is stored as
//    storable text; if the attempt still cannot be recorded, the delivery's state is settled
//    anyway, so it is not sent again when its lease expires.
// A killed process's leases expire and another (or the restarted) process takes them over:
// every event is delivered at least once; normally exactly once.
import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { notificationFor } from './model.ts';
import { inTransaction } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { outboundAgent } from '../../platform/ssrf.ts';
import { attemptOutcome } from './attempt-outcome.ts';
import { dueCandidates, failLeased, leaseDeliveries, loadLeased, recordAttempt, releaseLease, settleLeased, type LoadedDelivery } from './dispatch-repo.ts';
import { fanOutEvents } from './fan-out.ts';
import { appNotificationSecret } from './notification-secret.ts';
import type { DeliveryRow } from './repo.ts';
import { countWebhookDelivery } from '../../platform/metrics.ts';
import { sendNotification, type SendResult } from './sender.ts';
import { webhookSettings, type WebhookSettings } from './settings.ts';

/** Candidates looked at per claim (the oldest due ones, per-target limited). */
const CANDIDATE_WINDOW = 500;
/** Deliveries one lane sends to its target before giving its slot back. */
const LANE_LENGTH = 50;

export interface ClaimedDelivery extends LoadedDelivery {
  claimToken: string;
}

export class Dispatcher {
  readonly settings: WebhookSettings;
  private readonly agent: Agent;
  private readonly inFlightByTarget = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private closed = false;

  onError?: (error: unknown) => void;

  constructor(
    private readonly ctx: Ctx,
    overrides: Partial<WebhookSettings> = {},
  ) {
    this.settings = webhookSettings(ctx, overrides);
    // The lanes already hold each target to perEndpointConcurrency. The agent's limit is per
    // origin, and many endpoints (tenants) can share one host: allow as many connections per
    // origin as this process has attempts in flight, so an attempt never queues inside undici
    // behind another endpoint's slow calls (and its timeout never runs while it waits there).
    this.agent = outboundAgent({ guard: this.settings.guardPrivateTargets, connections: Math.max(this.settings.globalConcurrency, 1) });
  }

  /** Turn up to one batch of new events into deliveries; returns how many events. */
  async fanOut(): Promise<number> {
    return fanOutEvents(this.ctx, this.settings.fanoutBatch, this.onError);
  }

  private lease(token: string, wall: number, now: number) {
    return { now, wall, until: wall + this.settings.leaseMs, token };
  }

  private async load(deliveries: DeliveryRow[], token: string): Promise<ClaimedDelivery[]> {
    return (await loadLeased(this.ctx.store.db, deliveries)).map((loaded) => ({ ...loaded, claimToken: token }));
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
    const excluded = [...this.inFlightByTarget].filter(([, n]) => n >= per).map(([k]) => k);
    const candidates = await dueCandidates(store.db, { now, wall, perTarget: per, excluded, window: CANDIDATE_WINDOW, limit: limit * 4 });
    const chosen: string[] = [];
    const planned = new Map<string, number>();
    for (const c of candidates) {
      if (chosen.length >= limit) break;
      const used = (this.inFlightByTarget.get(c.target_key) ?? 0) + (planned.get(c.target_key) ?? 0);
      if (used >= per) continue;
      planned.set(c.target_key, (planned.get(c.target_key) ?? 0) + 1);
      chosen.push(c.id);
    }
    if (chosen.length === 0) return [];
    const token = randomUUID();
    const leased = await inTransaction(store, (tx) => leaseDeliveries(tx, store.dialect, { ids: chosen }, this.lease(token, wall, now)));
    return this.load(leased, token);
  }

  /** The signing secret: the endpoint's own, or the app's notification secret (created on first use). */
  private async secretFor(claimed: ClaimedDelivery): Promise<string | undefined> {
    const { delivery, endpoint, appSecretEnc } = claimed;
    if (delivery.target === 'endpoint') return endpoint?.secret_enc ? this.ctx.keys.open(endpoint.secret_enc) : undefined;
    if (appSecretEnc) return this.ctx.keys.open(appSecretEnc);
    const appId = delivery.app_id ?? endpoint?.app_id;
    return appId ? appNotificationSecret(this.ctx, appId) : undefined;
  }

  /**
   * One attempt of a claimed delivery, recorded; then success, a retry, or failure. With
   * `continueLane`, the same transaction leases the target's next due delivery, returned for
   * the caller to send next (a lane keeps one connection busy without a poll in between).
   */
  async attempt(claimed: ClaimedDelivery, continueLane = false): Promise<ClaimedDelivery | undefined> {
    const { delivery, endpoint, event } = claimed;
    const { db } = this.ctx.store;
    const startedAt = await this.ctx.clock.now();
    const gone =
      delivery.target !== 'notification_url' &&
      (!endpoint || endpoint.deleted_at !== null || endpoint.enabled !== 1 || (delivery.target === 'integrator' && endpoint.verified !== 1));
    const secret = gone ? undefined : await this.secretFor(claimed);
    if (gone || !secret) {
      await failLeased(db, delivery.id, claimed.claimToken, gone ? 'webhook deshabilitado o eliminado' : 'sin secreto de firma', startedAt);
      countWebhookDelivery('failed');
      return undefined;
    }
    // An endpoint's delivery goes where the endpoint points now: a retry or a replay after the
    // merchant fixed the URL reaches the fixed one (and the delivery records it).
    const target = delivery.target !== 'notification_url' && endpoint ? endpoint.url : delivery.url;
    // Never tell a receiver about a change that is not yet on disk (see store/group-sync.ts).
    await this.ctx.store.settle();
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
      await releaseLease(db, delivery.id, claimed.claimToken).catch(() => {});
      return undefined;
    }
    const nextToken = continueLane && !this.closed ? randomUUID() : undefined;
    let nextRows: DeliveryRow[];
    let status: DeliveryRow['status'] | undefined;
    try {
      ({ status, nextRows } = await this.record(claimed, target, startedAt, result, nextToken));
    } catch (error) {
      // The attempt could not be logged (one field the database refuses, say). Settle the
      // delivery anyway, or its lease would expire and it would be sent again and again.
      this.onError?.(error);
      status = await this.settleUnrecorded(claimed, target, startedAt, result);
      nextRows = [];
    }
    countWebhookDelivery(result.succeeded ? 'succeeded' : status === 'failed' ? 'failed' : 'retrying');
    const [next] = nextToken ? await this.load(nextRows, nextToken) : [];
    return next;
  }

  /**
   * Log the attempt and settle the delivery (recordAttempt), and — keeping the lane going
   * while the receiver answers well — lease the target's next due delivery. One transaction.
   */
  private async record(
    claimed: ClaimedDelivery,
    target: string,
    startedAt: number,
    result: SendResult,
    nextToken: string | undefined,
  ): Promise<{ status: DeliveryRow['status']; nextRows: DeliveryRow[] }> {
    const { store } = this.ctx;
    const { delivery } = claimed;
    const now = await this.ctx.clock.now();
    const outcome = attemptOutcome({ ...claimed, target, startedAt, now, result, horizonMs: this.settings.horizonMs, workerId: this.settings.workerId });
    const next = nextToken && result.succeeded ? this.lease(nextToken, Date.now(), now) : undefined;
    const nextRows = await inTransaction(store, async (tx) => {
      const settled = await recordAttempt(tx, delivery, claimed.claimToken, outcome, now);
      return settled && next ? leaseDeliveries(tx, store.dialect, { targetKey: delivery.target_key, limit: 1 }, next) : [];
    });
    return { status: outcome.status, nextRows };
  }

  /** When record() failed: only the delivery's state (status, counters, next attempt, lease), no attempt row, no free text from the receiver. */
  private async settleUnrecorded(claimed: ClaimedDelivery, target: string, startedAt: number, result: SendResult): Promise<DeliveryRow['status'] | undefined> {
    try {
      const now = await this.ctx.clock.now();
      const { change } = attemptOutcome({ ...claimed, target, startedAt, now, result, horizonMs: this.settings.horizonMs, workerId: this.settings.workerId });
      await settleLeased(this.ctx.store.db, claimed.delivery.id, claimed.claimToken, {
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
      });
      return change.status;
    } catch (error) {
      this.onError?.(error);
      return undefined;
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
      for (let sent = 1; current; sent++) current = await this.attempt(current, sent < LANE_LENGTH);
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
