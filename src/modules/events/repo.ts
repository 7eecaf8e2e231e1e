// The events module's SQL: the outbox table (see outbox.ts).
import type { Insertable } from 'kysely';
import type { Tx } from '../../store/db.ts';
import { preparedInsert } from '../../store/prepared.ts';
import type { EventsTable } from '../../store/schema.ts';

const insertEvents = preparedInsert('events');

export async function insertEvent(tx: Tx, event: Insertable<EventsTable>): Promise<void> {
  await insertEvents(tx, event);
}
