// Bulk payouts: batches, their items, and the per-day counter of item refs.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('payout_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('app_id', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('debit_account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('entry_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint')
    .addColumn('settled_at', 'bigint')
    .addCheckConstraint('payout_batches_state', sql`state in ('pending_upload', 'submitted', 'settled')`)
    .execute();
  // At most one batch pending upload per merchant and currency: concurrent first items agree on it.
  await db.schema
    .createIndex('payout_batches_one_pending')
    .on('payout_batches')
    .columns(['owner_user_id', 'currency'])
    .unique()
    .where(sql.ref('state'), '=', sql.lit('pending_upload'))
    .execute();
  await db.schema.createIndex('payout_batches_owner_created').on('payout_batches').columns(['owner_user_id', 'created_at']).execute();
  await db.schema.createIndex('payout_batches_state').on('payout_batches').columns(['state', 'submitted_at']).execute();

  await db.schema
    .createTable('payout_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('payout_batches.id'))
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('app_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('name_account', 'text', (c) => c.notNull())
    .addColumn('identification_number', 'text', (c) => c.notNull())
    .addColumn('identification', 'text', (c) => c.notNull())
    .addColumn('bank_account', 'text', (c) => c.notNull())
    .addColumn('bank_code', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('settle_after', 'bigint')
    .addColumn('failure_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint')
    .addColumn('paid_at', 'bigint')
    .addColumn('failed_at', 'bigint')
    .addCheckConstraint('payout_items_state', sql`state in ('APPROVED', 'PROCESSING', 'PAID', 'FAILED')`)
    .addCheckConstraint('payout_items_amount', sql`amount_minor > 0 and fee_minor >= 0`)
    .execute();
  await db.schema.createIndex('payout_items_batch').on('payout_items').columns(['batch_id', 'created_at']).execute();
  await db.schema.createIndex('payout_items_due').on('payout_items').columns(['state', 'settle_after']).execute();
}
