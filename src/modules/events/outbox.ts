// The outbox. Every state change appends its events inside the same database transaction, so
// a change that rolls back leaves no event and an event never exists without its change.
// Delivery (webhooks, return-url calls) reads from here; see src/workers/.
import { newRowId } from '../../kernel/ids.ts';
import type { Tx } from '../../store/db.ts';
import { objectTypeOf, type EventType } from './catalogue.ts';
import { insertEvents } from './repo.ts';

export interface EventInput {
  type: EventType;
  /** The object the event is about; its object type comes from the catalogue. */
  objectId: string;
  /** The merchant (or user) the event belongs to: whose endpoints receive it. */
  ownerUserId: string | null;
  appId?: string | null;
  payload: Record<string, unknown>;
}

/** Append a command's events, in order, in one statement (returns their ids). */
export async function appendEvents(tx: Tx, events: readonly EventInput[], now: number): Promise<string[]> {
  const rows = events.map((event) => ({
    id: newRowId(),
    type: event.type,
    object_type: objectTypeOf(event.type),
    object_id: event.objectId,
    owner_user_id: event.ownerUserId,
    app_id: event.appId ?? null,
    payload: JSON.stringify(event.payload),
    created_at: now,
  }));
  await insertEvents(tx, rows);
  return rows.map((row) => row.id);
}

export async function appendEvent(tx: Tx, event: EventInput & { now: number }): Promise<string> {
  const [id] = await appendEvents(tx, [event], event.now);
  return id!;
}
