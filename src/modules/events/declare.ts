// The shape of an event declaration: each capability lists the events it emits in its own
// events.ts with this type, and the catalogue (catalogue.ts) joins them.

export type EventObjectType = 'payment_intent' | 'payment' | 'refund' | 'payout_item' | 'point_intent' | 'application';

export interface EventDeclaration {
  object: EventObjectType;
  /** One line for the docs: when the event is emitted. */
  summary: string;
}

export type EventDeclarations = Record<string, EventDeclaration>;
