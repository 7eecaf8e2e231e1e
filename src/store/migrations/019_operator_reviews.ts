// The operator's reviews: locked user accounts, and the answers to an app's activation and
// permission requests (the reason of a rejection is shown to the merchant).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('user_locks')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('locked_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('locked_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('app_requests')
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    // 'activation' or a permission (payment_button, billing_api, distributions, payouts)
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addColumn('decision', 'text')
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('app_requests_pk', ['app_id', 'subject'])
    .execute();
  await sql`create index app_requests_pending on app_requests (requested_at) where decided_at is null`.execute(db);
}
