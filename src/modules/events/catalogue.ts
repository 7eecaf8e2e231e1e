// The one event catalogue: every event type Pasarela emits, joined from the declarations of
// the capabilities that emit them. `EventType` is the only type `appendEvent` accepts, so an
// event that is not declared here does not compile; the README's list is checked against it.
import { APP_EVENTS } from '../apps/events.ts';
import { CARD_EVENTS } from '../cards/events.ts';
import { PAYMENT_EVENTS } from '../payments/events.ts';
import { PAYOUT_EVENTS } from '../payouts/events.ts';
import { POINT_EVENTS } from '../point/events.ts';
import { WALLET_INTENT_EVENTS } from '../wallet-intents/events.ts';
import type { EventObjectType } from './declare.ts';

export const EVENT_CATALOGUE = {
  ...WALLET_INTENT_EVENTS,
  ...PAYMENT_EVENTS,
  ...CARD_EVENTS,
  ...PAYOUT_EVENTS,
  ...POINT_EVENTS,
  ...APP_EVENTS,
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, value);
}

export function objectTypeOf(type: EventType): EventObjectType {
  return EVENT_CATALOGUE[type].object;
}
