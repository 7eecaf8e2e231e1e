import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('payment_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('merchant_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('return_url', 'text', (c) => c.notNull())
    .addColumn('cancel_url', 'text', (c) => c.notNull())
    .addColumn('transactions', 'text', (c) => c.notNull())
    .addColumn('recipient_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('payer_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('approved_at', 'bigint')
    .addColumn('executed_at', 'bigint')
    .addColumn('annulled_at', 'bigint')
    .addColumn('rejected_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('payment_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_intents_merchant').on('payment_intents').columns(['merchant_user_id', 'created_at']).execute();
  await db.schema.createIndex('payment_intents_recipient').on('payment_intents').columns(['recipient_user_id', 'state']).execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('payer_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recipient_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('merchant_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('app_id', 'text')
    .addColumn('intent_id', 'text')
    .addColumn('source_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('fee_minor', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('reversal_entry_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payments_payer').on('payments').columns(['payer_user_id', 'created_at']).execute();
  await db.schema.createIndex('payments_recipient').on('payments').columns(['recipient_user_id', 'created_at']).execute();
  await db.schema.createIndex('payments_merchant').on('payments').columns(['merchant_user_id', 'created_at']).execute();

  // Server-side calls to a billing intent's return_url ("history_responses").
  await db.schema
    .createTable('return_url_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('intent_id', 'text', (c) => c.notNull().references('payment_intents.id'))
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('body', 'text')
    .addColumn('error', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('called_at', 'bigint')
    .execute();
  await db.schema.createIndex('return_url_calls_intent').on('return_url_calls').column('intent_id').execute();
  await db.schema.createIndex('return_url_calls_state').on('return_url_calls').column('state').execute();
}
