// The outbox. Every state change appends its event inside the same database transaction, so
// a change that rolls back leaves no event and an event never exists without its change.
// Delivery (webhooks, return-url calls) reads from here; see src/workers/.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../store/db.ts';

export type EventObjectType = 'payment_intent' | 'payment' | 'refund' | 'payout_item' | 'point_intent' | 'application';

export interface EventInput {
  /** e.g. "payment_intent.executed", "payment.created", "application.credentials_renewed". */
  type: string;
  objectType: EventObjectType;
  objectId: string;
  /** The merchant (or user) the event belongs to: whose endpoints receive it. */
  ownerUserId: string | null;
  appId?: string | null;
  payload: unknown;
  now: number;
}

export async function appendEvent(tx: Tx, event: EventInput): Promise<string> {
  const id = randomUUID();
  await tx
    .insertInto('events')
    .values({
      id,
      type: event.type,
      object_type: event.objectType,
      object_id: event.objectId,
      owner_user_id: event.ownerUserId,
      app_id: event.appId ?? null,
      payload: JSON.stringify(event.payload ?? {}),
      created_at: event.now,
    })
    .execute();
  return id;
}
