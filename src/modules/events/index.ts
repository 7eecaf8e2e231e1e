export { appendEvent, appendEvents, type EventInput } from './outbox.ts';
export { outboxBacklog } from './repo.ts';
export { EVENT_CATALOGUE, EVENT_TYPES, isEventType, objectTypeOf, type EventType } from './catalogue.ts';
export type { EventDeclarations, EventObjectType } from './declare.ts';
