// The event catalogue as the console shows it: the server's own list (src/modules/events),
// grouped by the object each event is about, each with a summary in the console's language.
import { useTranslation } from 'react-i18next';
import { EVENT_CATALOGUE, EVENT_TYPES, type EventType } from '../../../../src/modules/events/catalogue.ts';
import type { EventObjectType } from '../../../../src/modules/events/declare.ts';

export interface EventGroup {
  object: EventObjectType;
  types: EventType[];
}

/** Every event type, grouped by object in the catalogue's order. */
export const EVENT_GROUPS: EventGroup[] = EVENT_TYPES.reduce<EventGroup[]>((groups, type) => {
  const object = EVENT_CATALOGUE[type].object;
  const group = groups.find((g) => g.object === object);
  if (group) group.types.push(type);
  else groups.push({ object, types: [type] });
  return groups;
}, []);

export { EVENT_TYPES };

/** An event type's summary in the console's language (the catalogue's English one when there is no translation). */
export function useEventSummary(): (type: string) => string {
  const { t } = useTranslation();
  const summaries = t('webhooks.eventSummaries', { returnObjects: true }) as Record<string, string>;
  return (type) => summaries[type] ?? (Object.hasOwn(EVENT_CATALOGUE, type) ? EVENT_CATALOGUE[type as EventType].summary : type);
}
