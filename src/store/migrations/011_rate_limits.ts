import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

// Fixed-window counters shared by every process of a deployment (see src/store/rate-limits.ts):
// one row per limited key, reset in place when its window passes, so rows never pile up.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();
}
