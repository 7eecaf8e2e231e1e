// The notifications Pasarela sends (the server's event catalogue; a test keeps the two lists equal).

export const EVENT_TYPES = [
  'payment_intent.created',
  'payment_intent.approved',
  'payment_intent.rejected',
  'payment_intent.executed',
  'payment_intent.annulled',
  'payment_intent.expired',
  'payment.created',
  'payment.updated',
  'refund.created',
  'refund.updated',
  'payout_item.created',
  'payout_item.updated',
  'point_intent.created',
  'point_intent.updated',
  'application.credentials_renewed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * A notification's JSON body. Only `data.id` is covered by the signature: fetch the object
 * by it (`paymentIntents.retrieve`, `payments.retrieve`) rather than trusting the rest.
 */
export interface WebhookEvent {
  /** The event's id (the same on every delivery attempt and replay: use it to skip duplicates). */
  id: string;
  live_mode: boolean;
  /** The object's type: `payment_intent`, `payment`, `payout_item`, `application`, … */
  type: string;
  date_created: string;
  user_id: string | null;
  api_version: 'v1';
  /** What happened: one of EVENT_TYPES. */
  action: EventType;
  data: { id: string };
}
