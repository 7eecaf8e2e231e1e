// Webhook rules without I/O: the retry schedule, which endpoint wants which event, the
// notification's wire shape (the contract's general notification, or the Point shape), and
// the form of a signing secret.
import { randomHex } from '../../platform/secrets.ts';

import { EVENT_TYPES } from '../events/index.ts';
import { isEventTypePattern, subscribes } from './rules.ts';
import { iso } from '../../kernel/instants.ts';

// The subscription patterns are form rules the console checks too (rules.ts).
export { isEventTypePattern, subscribes };

/** A pattern that names at least one event of the catalogue: "paymnt.*" or "payment.creatd" name none. */
export function isKnownEventPattern(value: string): boolean {
  return isEventTypePattern(value) && EVENT_TYPES.some((type) => subscribes([value], type));
}

export const MINUTE_MS = 60_000;
export const DEFAULT_RETRY_HORIZON_MS = 3 * 24 * 3600 * 1000;
export const DEFAULT_TIMEOUT_MS = 22_000;
/** Response bodies are kept up to this many bytes per attempt. */
export const RESPONSE_BODY_LIMIT = 1024;

/** A new signing secret (an endpoint's, or an app's notification secret). */
export function newWebhookSecret(): string {
  return `whsec_${randomHex(24)}`;
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text a receiver controls (its answer, an error about it) as both databases can store it:
 * NUL (PostgreSQL text cannot hold it) and lone surrogates (not valid UTF-8) become U+FFFD.
 */
export function storableText<T extends string | null>(value: T): T {
  return (value === null ? value : value.replace(UNSTORABLE, '\uFFFD')) as T;
}

/**
 * Delay before the next attempt after `attempt` failed (1-based), or null to give up: 1, 2,
 * 4 and 8 minutes, then every 15 minutes, while the next attempt still falls within
 * `horizonMs` of the first one (`elapsedMs` is the time since the first attempt).
 */
export function retryDelayMs(attempt: number, elapsedMs: number, horizonMs = DEFAULT_RETRY_HORIZON_MS): number | null {
  const delay = attempt <= 4 ? MINUTE_MS * 2 ** (attempt - 1) : 15 * MINUTE_MS;
  if (elapsedMs + delay > horizonMs) return null;
  return delay;
}

/** Every delay of a full schedule (for documentation and tests). */
export function retrySchedule(horizonMs = DEFAULT_RETRY_HORIZON_MS): number[] {
  const delays: number[] = [];
  let elapsed = 0;
  for (let attempt = 1; ; attempt++) {
    const delay = retryDelayMs(attempt, elapsed, horizonMs);
    if (delay === null) return delays;
    delays.push(delay);
    elapsed += delay;
  }
}

export interface EventRecord {
  id: string;
  type: string;
  object_type: string;
  object_id: string;
  owner_user_id: string | null;
  app_id: string | null;
  payload: string;
  created_at: number;
}

export interface Notification {
  /** The JSON body. */
  body: Record<string, unknown>;
  /** `data.id` and `type` of the query string; data.id is also what the signature covers. */
  dataId: string;
  topic: string;
}

export const POINT_TOPIC = 'point_integration_wh';

function parsePayload(event: EventRecord): Record<string, unknown> {
  try {
    const value = JSON.parse(event.payload) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The payment's own `notification_url`, when the event's payload carries one. */
export function notificationUrlOf(event: EventRecord): string | undefined {
  const payload = parsePayload(event);
  const value = payload.notification_url ?? payload.notificationUrl;
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * What an event looks like on the wire. General notifications:
 * `{id, live_mode, type, date_created, user_id, api_version: "v1", action, data: {id}}`;
 * point_intent events carry the intent in the Point shape.
 */
export function notificationFor(event: EventRecord, liveMode: boolean): Notification {
  if (event.object_type === 'point_intent') {
    const p = parsePayload(event);
    const payment = (p.payment && typeof p.payment === 'object' ? p.payment : {}) as Record<string, unknown>;
    return {
      dataId: event.object_id,
      topic: POINT_TOPIC,
      body: {
        amount: p.amount ?? null,
        caller_id: p.caller_id ?? event.owner_user_id,
        client_id: p.client_id ?? null,
        created_at: p.created_at ?? iso(event.created_at),
        id: p.id ?? event.object_id,
        payment: { id: payment.id ?? null, state: payment.state ?? null, type: payment.type ?? null },
        state: p.state ?? null,
        additional_info: p.additional_info ?? {},
      },
    };
  }
  return {
    dataId: event.object_id,
    topic: event.object_type,
    body: {
      id: event.id,
      live_mode: liveMode,
      type: event.object_type,
      date_created: iso(event.created_at),
      user_id: event.owner_user_id,
      api_version: 'v1',
      action: event.type,
      data: { id: event.object_id },
    },
  };
}

/** `?data.id=…&type=…` appended to the target URL (keeping the URL's own query). */
export function notificationUrl(target: string, notification: Notification): string {
  const url = new URL(target);
  url.searchParams.set('data.id', notification.dataId);
  url.searchParams.set('type', notification.topic);
  return url.toString();
}
