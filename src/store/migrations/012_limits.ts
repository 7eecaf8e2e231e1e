// Limits that cannot be turned against a person, and what the retention worker prunes by age.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // Failed sign-ins per window: one row for the person (or unknown name) and one per
  // (person, client source). Rows are reset in place when their window has passed and pruned
  // by the retention worker afterwards.
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_failures_window').on('sign_in_failures').column('window_start').execute();

  // Sources a person signed in from: the person-wide ceiling does not shut these out.
  await db.schema
    .createTable('sign_in_sources')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('last_success_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_sources_pk', ['user_id', 'source'])
    .execute();
  await db.schema.createIndex('sign_in_sources_last').on('sign_in_sources').column('last_success_at').execute();

  // Wrong PINs typed at one merchant's till: that merchant's lock, nobody else's. The person's
  // own counter (console transfers) stays on the users row.
  await db.schema
    .createTable('pin_merchant_attempts')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('merchant_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_at', 'bigint')
    .addPrimaryKeyConstraint('pin_merchant_attempts_pk', ['user_id', 'merchant_user_id'])
    .execute();

  // The retention worker finds what has expired by these.
  await db.schema.createIndex('oauth_tokens_expires').on('oauth_tokens').column('expires_at').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('webhook_deliveries_completed').on('webhook_deliveries').columns(['status', 'completed_at']).execute();

  // The sign-in counters used to live in settings rows; they were short-lived, so they go.
  await sql`delete from settings where key like 'login_failures:%'`.execute(db);
}
