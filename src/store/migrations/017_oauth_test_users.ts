// Marketplaces and test users of the card family: the redirect URIs an app registers for the
// authorization-code flow, the single-use codes a seller's consent issues, and the test users
// an account creates (POST /users/test_user), each marked on its user row with its site.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('oauth_apps')
    .addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    // The token family the exchange issued: a second use of the code revokes it (RFC 6749 §4.1.2).
    .addColumn('family_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create index oauth_codes_expiry on oauth_codes (expires_at)`.execute(db);

  // Null for every user but the test users of the card family's test-user API.
  await db.schema.alterTable('users').addColumn('test_site_id', 'text').execute();
  await db.schema
    .createTable('test_users')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_active_at', 'bigint', (c) => c.notNull())
    .execute();
  // Card payments name their payer by email: is it a test user?
  await sql`create index users_test_email on users (email) where test_site_id is not null`.execute(db);
  await sql`create index test_users_owner on test_users (owner_user_id, last_active_at)`.execute(db);
}
