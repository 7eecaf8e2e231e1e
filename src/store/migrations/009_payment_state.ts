import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

// Payments keep their own state ('finished', 'waiting', 'canceled'); the wallet API's numeric
// status codes (9000, 4000, 2000) are how that family presents it, not what is stored.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('payments')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('finished'))
    .execute();
  await sql`update payments set state = case status when 2000 then 'canceled' when 4000 then 'waiting' else 'finished' end`.execute(db);
  await db.schema.alterTable('payments').dropColumn('status').execute();
}
