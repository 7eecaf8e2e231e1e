// events_object (object_type, object_id) served no query: nothing reads events by the object
// they are about (deliveries and streams read by owner, stream position or fan-out state). Every
// event appended paid for it — one more index page per commit on the sale path.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`drop index if exists events_object`.execute(db);
}
