import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // The outbox: one row per state change, written in the same transaction as the change.
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('app_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_owner_created').on('events').columns(['owner_user_id', 'created_at']).execute();
  await db.schema.createIndex('events_object').on('events').columns(['object_type', 'object_id']).execute();

  // Operator-set fee schedule: percentage (basis points) + fixed amount, per operation and currency.
  await db.schema
    .createTable('fee_rules')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('percent_bp', 'integer', (c) => c.notNull())
    .addColumn('fixed_minor', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('fee_rules_pk', ['operation', 'currency'])
    .execute();
}
