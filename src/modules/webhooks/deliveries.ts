// The delivery log of an application (console): its deliveries, one with every attempt, and
// replay — one delivery, or every failed delivery of an endpoint.
import { runCommand } from '../commands/index.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import { WEBHOOK_MESSAGES } from './rules.ts';
import { refuse } from '../../kernel/refusals.ts';
import { type Db, type Tx } from '../../store/db.ts';
import { getOwnedApp } from '../apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { ownedEndpoint } from './endpoints.ts';
import {
  endpointUrl,
  findAppDelivery,
  listAppDeliveries,
  listAttempts,
  resetForReplay,
  type AttemptRow,
  type DeliveryFilter,
  type DeliveryPosition,
  type DeliveryRow,
  type DeliveryWithType,
} from './repo.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export type { DeliveryFilter };

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
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    completedAt: isoOrNull(row.completed_at),
    createdAt: iso(row.created_at),
  };
}

// A cursor names the last delivery of a page; opaque to clients (base64url of its position).
function encodeCursor(p: DeliveryPosition): string {
  return Buffer.from(`${p.createdAt}|${p.id}`).toString('base64url');
}

function decodeCursor(cursor: string): DeliveryPosition {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const position = { createdAt: Number(createdAt), id: id ?? '' };
  if (!createdAt || !Number.isSafeInteger(position.createdAt) || !position.id || position.id.length > 100) {
    throw new ValidationError([{ path: ['cursor'], message: COMMON_MESSAGES.cursor.es, code: 'common.cursor' }]);
  }
  return position;
}

/** A page of the app's deliveries, newest first; `nextCursor` asks for the next (older) page, null on the last. */
export async function listDeliveries(ctx: Ctx, ownerUserId: string, appId: string, filter: DeliveryFilter & { cursor?: string } = {}) {
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const rows = await listAppDeliveries(ctx.store.db, appId, { ...filter, limit: limit + 1, after });
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    data: shown.map(deliveryView),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: Number(last.created_at), id: last.id }) : null,
  };
}

async function ownedDelivery(db: Db | Tx, ownerUserId: string, appId: string, deliveryId: string): Promise<DeliveryWithType> {
  await getOwnedApp(db, ownerUserId, appId);
  const row = await findAppDelivery(db, appId, deliveryId);
  if (!row) throw new NotFoundError(WEBHOOK_MESSAGES.deliveryNotFound.es, 'webhooks.deliveryNotFound');
  return row;
}

/** A delivery with every attempt (time, status, latency, first KB of the answer). */
export async function getDelivery(ctx: Ctx, ownerUserId: string, appId: string, deliveryId: string) {
  const row = await ownedDelivery(ctx.store.db, ownerUserId, appId, deliveryId);
  const attempts = await listAttempts(ctx.store.db, deliveryId);
  return { ...deliveryView(row), attemptLog: attempts.map(attemptView) };
}

/**
 * Send a delivery again now, whatever its state, with a fresh retry schedule. A delivery
 * that is being attempted right now is refused.
 */
export async function replayDelivery(ctx: Ctx, ownerUserId: string, appId: string, deliveryId: string) {
  const now = await ctx.clock.now();
  return runCommand(ctx, undefined, async ({ tx }) => {
    const row = await ownedDelivery(tx, ownerUserId, appId, deliveryId);
    if (row.claimed_until !== null && row.claimed_until > Date.now()) refuse({ code: 'delivery_in_flight' });
    // An endpoint's delivery goes to where the endpoint points now (the merchant may have
    // fixed the URL since); the dispatcher does the same on every attempt.
    const url = (row.endpoint_id ? await endpointUrl(tx, row.endpoint_id) : undefined) ?? row.url;
    await resetForReplay(tx, { deliveryId }, url, now);
    return deliveryView(await ownedDelivery(tx, ownerUserId, appId, deliveryId));
  });
}

/** Replay every failed delivery of an endpoint (after fixing the receiver). */
export async function replayFailed(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string): Promise<{ replayed: number }> {
  const now = await ctx.clock.now();
  return runCommand(ctx, undefined, async ({ tx }) => {
    const endpoint = await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    return { replayed: await resetForReplay(tx, { failedOfEndpoint: endpointId }, endpoint.url, now) };
  });
}
