// The events module's SQL: the outbox table (see outbox.ts).
import type { Insertable } from 'kysely';
import type { Tx } from '../../store/db.ts';
import type { EventsTable } from '../../store/schema.ts';

export async function insertEvent(tx: Tx, event: Insertable<EventsTable>): Promise<void> {
  await tx.insertInto('events').values(event).execute();
}
