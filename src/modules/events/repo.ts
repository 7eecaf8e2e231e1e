// The events module's SQL: the outbox table (see outbox.ts).
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../../store/db.ts';
import { preparedInsert } from '../../store/prepared.ts';
import type { EventsTable } from '../../store/schema.ts';

const insertEventRows = preparedInsert('events', { deferrable: true });

/**
 * A command's events, in one statement up to a thousand (SQLite binds at most 32766 values in a
 * statement: a bulk upload's thousands of events go in several).
 */
export async function insertEvents(tx: Tx, events: readonly Insertable<EventsTable>[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) await insertEventRows(tx, i === 0 && events.length <= 1000 ? events : events.slice(i, i + 1000));
}

/** The events not yet turned into deliveries: how many, and the oldest one's time (metrics). */
export async function outboxBacklog(db: Db): Promise<{ oldestCreatedAt: number | null; pending: number }> {
  const row = await db
    .selectFrom('events')
    .select((eb) => [eb.fn.min('created_at').as('oldest'), eb.fn.countAll().as('pending')])
    .where('fanned_out', '=', 0)
    .executeTakeFirst();
  const oldest = row?.oldest;
  return { oldestCreatedAt: oldest === null || oldest === undefined ? null : Number(oldest), pending: Number(row?.pending ?? 0) };
}
