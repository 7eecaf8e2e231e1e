// Whether the database answers (the readiness probe).
import { sql } from 'kysely';
import type { Db } from './db.ts';

/** Throws when the database cannot run a trivial statement. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
