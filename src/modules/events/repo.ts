// The events module's SQL: the outbox table (see outbox.ts).
import type { Insertable } from 'kysely';
import type { Tx } from '../../store/db.ts';
import { preparedInsert } from '../../store/prepared.ts';
import type { EventsTable } from '../../store/schema.ts';

const insertEventRows = preparedInsert('events');

/** A command's events, in one statement. */
export async function insertEvents(tx: Tx, events: readonly Insertable<EventsTable>[]): Promise<void> {
  await insertEventRows(tx, events);
}
