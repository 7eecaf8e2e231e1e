// Fan-out: events not yet fanned out become one delivery per matching target (app endpoints
// subscribed to the type, the payment's notification_url, the verified POS integrator
// webhook) and are marked fanned out — in one transaction, so a crash neither loses nor
// duplicates deliveries. The same transaction gives them their event-stream position (commit
// order, for `pasarela listen`). An event that cannot be fanned out (a poison event) is set
// aside with no deliveries and reported, never retried on every tick.
import { newRowId } from '../../kernel/ids.ts';
import { notificationUrlOf, subscribes, type EventRecord } from './model.ts';
import { inTransaction, isRetryableDbError } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { sha256Hex } from '../../platform/secrets.ts';
import { markEventsFannedOut, type DeliveryRow, type EndpointRow } from './repo.ts';
import { enabledEndpointsOf, eventIdsToFanOut, hasEventsToFanOut, insertDeliveries, lockEventsToFanOut, lockEventToSetAside } from './dispatch-repo.ts';

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

/** An endpoint with its subscription list parsed (once per fan-out, not once per event). */
interface Subscriber {
  row: EndpointRow;
  eventTypes: readonly string[];
}

function subscribersOf(endpoints: readonly EndpointRow[]): Subscriber[] {
  return endpoints.filter((e) => e.enabled === 1 && e.deleted_at === null).map((row) => ({ row, eventTypes: JSON.parse(row.event_types) as string[] }));
}

function deliveriesFor(event: EventRecord, subscribers: readonly Subscriber[], now: number): DeliveryRow[] {
  const out: DeliveryRow[] = [];
  const base = (target: DeliveryRow['target'], key: string, url: string, endpoint: EndpointRow | null): DeliveryRow => ({
    id: newRowId(),
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
  for (const { row: e, eventTypes } of subscribers) {
    if (!belongs(e) || !subscribes(eventTypes, event.type)) continue;
    if (e.kind === 'app') out.push(base('endpoint', e.id, e.url, e));
    else if (e.kind === 'integrator' && e.verified === 1 && event.object_type === 'point_intent') out.push(base('integrator', e.id, e.url, e));
  }
  const raw = notificationUrlOf(event);
  const own = raw === undefined ? undefined : httpUrl(raw);
  if (own) out.push(base('notification_url', urlKey(own), own, null));
  return out;
}

/** The deliveries an event needs, given the candidate endpoints (pure). */
export function targetsFor(event: EventRecord, endpoints: readonly EndpointRow[], now: number): DeliveryRow[] {
  return deliveriesFor(event, subscribersOf(endpoints), now);
}

/** One transaction: up to `limit` waiting events (or the one named) become deliveries. */
async function fanOutBatch(ctx: Ctx, limit: number, onlyId?: string): Promise<number> {
  const { store } = ctx;
  const now = await ctx.clock.now();
  return inTransaction(store, async (tx) => {
    const events = await lockEventsToFanOut(tx, store.dialect, limit, onlyId);
    if (events.length === 0) return 0;
    const appIds = [...new Set(events.map((e) => e.app_id).filter((x): x is string => !!x))];
    const owners = [
      ...new Set(
        events
          .filter((e) => !e.app_id)
          .map((e) => e.owner_user_id)
          .filter((x): x is string => !!x),
      ),
    ];
    const subscribers = subscribersOf(await enabledEndpointsOf(tx, appIds, owners));
    await insertDeliveries(
      tx,
      events.flatMap((e) => deliveriesFor(e, subscribers, now)),
    );
    await markEventsFannedOut(tx, events);
    return events.length;
  });
}

/**
 * After a failed batch: each waiting event of the next batch in its own transaction. An
 * event that fails alone with an error about its data is poison: it is marked fanned out
 * with no deliveries (it would fail on every tick otherwise) and reported through onError
 * with its id and the reason. An error that is not about the data (the database went away)
 * stops here and is thrown, so no event is given up for it.
 */
async function fanOutEach(ctx: Ctx, batch: number, onError: ((error: unknown) => void) | undefined): Promise<number> {
  const { store } = ctx;
  let handled = 0;
  for (const id of await eventIdsToFanOut(store.db, batch)) {
    try {
      handled += await fanOutBatch(ctx, 1, id);
    } catch (error) {
      if (!isPoisonError(error)) throw error;
      const marked = await inTransaction(store, async (tx) => {
        const events = await lockEventToSetAside(tx, store.dialect, id);
        await markEventsFannedOut(tx, events);
        return events.length;
      });
      handled += marked;
      if (marked) {
        const reason = error instanceof Error ? error.message : String(error);
        onError?.(Object.assign(new Error(`evento ${id} sin entregas: no se pudo distribuir (${reason.slice(0, 300)})`), { cause: error, eventId: id }));
      }
    }
  }
  return handled;
}

/**
 * Turn up to one batch of new events into deliveries; returns how many events. When a batch
 * fails, its events are fanned out one at a time, so one event that cannot be (a poison
 * event) does not hold up the others: see fanOutEach.
 */
export async function fanOutEvents(ctx: Ctx, batch: number, onError?: (error: unknown) => void): Promise<number> {
  // Most ticks find nothing: look without taking the write lock first.
  if (!(await hasEventsToFanOut(ctx.store.db))) return 0;
  try {
    return await fanOutBatch(ctx, batch);
  } catch (error) {
    if (!isPoisonError(error)) throw error;
    return fanOutEach(ctx, batch, onError);
  }
}
