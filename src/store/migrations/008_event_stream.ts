import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

// The event stream (`pasarela listen`) reads events in commit order, not by created_at: each
// event gets `stream_seq` after it committed (at fan-out, or by the stream itself), from a
// counter row that the assigning transaction holds locked until it commits. So a reader that
// sees sequence n has already seen every sequence below n, and "after n" never misses an event
// that committed late.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('events').addColumn('stream_seq', 'bigint').execute();
  // Every event already there is in the past of every stream: number them all.
  await sql`
    update events set stream_seq = numbered.n
    from (select id, row_number() over (order by created_at, id) as n from events) as numbered
    where events.id = numbered.id`.execute(db);
  await db.schema.createIndex('events_stream_seq').unique().on('events').column('stream_seq').execute();
  await db.schema.createIndex('events_owner_stream').on('events').columns(['owner_user_id', 'stream_seq']).execute();
  // Only the events still waiting for a sequence are indexed (a handful at any time).
  await sql`create index events_unsequenced on events (created_at) where stream_seq is null`.execute(db);

  await db.schema
    .createTable('event_stream_counter')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into event_stream_counter (id, last_seq) select 1, coalesce(max(stream_seq), 0) from events`.execute(db);
}
