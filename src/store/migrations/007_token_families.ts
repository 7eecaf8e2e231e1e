import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // One row per refresh-token family: refreshes and the revocation of a reused family lock
  // it, so a revocation cannot miss a pair that a concurrent refresh is writing.
  await db.schema
    .createTable('oauth_token_families')
    .addColumn('family_id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // The app's credentials version a token was issued under: a renewal makes every older
  // token fail at the bearer check, with no lock taken at issuance.
  await db.schema.alterTable('oauth_tokens').addColumn('credentials_version', 'integer').execute();
}
