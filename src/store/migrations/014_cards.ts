// The card family (/v1): single-use card tokens holding the card sealed (the number and the
// security code only encrypted, with the id of the key that sealed them), card payments with
// integer ids, and their refunds.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('card_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('live_mode', 'integer', (c) => c.notNull())
    .addColumn('payment_method_id', 'text', (c) => c.notNull())
    .addColumn('payment_type_id', 'text', (c) => c.notNull())
    .addColumn('first_six_digits', 'text', (c) => c.notNull())
    .addColumn('last_four_digits', 'text', (c) => c.notNull())
    .addColumn('card_number_length', 'integer', (c) => c.notNull())
    .addColumn('security_code_length', 'integer', (c) => c.notNull())
    .addColumn('number_sealed', 'text', (c) => c.notNull())
    // Erased (null) once the token is used or expires.
    .addColumn('security_code_sealed', 'text')
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('expiration_month', 'integer', (c) => c.notNull())
    .addColumn('expiration_year', 'integer', (c) => c.notNull())
    .addColumn('cardholder_name', 'text', (c) => c.notNull())
    .addColumn('identification_type', 'text')
    .addColumn('identification_number', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addCheckConstraint('card_tokens_status', sql`status in ('active', 'used', 'expired')`)
    .addCheckConstraint('card_tokens_code_erased', sql`status = 'active' or security_code_sealed is null`)
    .execute();
  // The sweep that erases the security codes of expired tokens reads only active ones.
  await sql`create index card_tokens_active on card_tokens (expires_at) where status = 'active'`.execute(db);

  await db.schema
    .createTable('card_payments')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('collector_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('live_mode', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_detail', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    // What was captured (the amount, or less on a partial capture); 0 until then.
    .addColumn('captured_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('payment_method_id', 'text', (c) => c.notNull())
    .addColumn('payment_type_id', 'text', (c) => c.notNull())
    .addColumn('installments', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('external_reference', 'text')
    .addColumn('notification_url', 'text')
    .addColumn('statement_descriptor', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('payer', 'text', (c) => c.notNull())
    .addColumn('card', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text')
    .addColumn('entry_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint(
      'card_payments_amounts',
      sql`amount_minor > 0 and captured_minor <= amount_minor and refunded_minor <= captured_minor and fee_refunded_minor <= fee_minor`,
    )
    .execute();
  await db.schema.createIndex('card_payments_collector').on('card_payments').columns(['collector_user_id', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('card_payments_reference').on('card_payments').columns(['collector_user_id', 'external_reference']).execute();

  await db.schema
    .createTable('card_refunds')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('payment_id', 'bigint', (c) => c.notNull().references('card_payments.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('fee_back_minor', 'bigint', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('card_refunds_amount', sql`amount_minor > 0 and fee_back_minor >= 0 and fee_back_minor <= amount_minor`)
    .execute();
  await db.schema.createIndex('card_refunds_payment').on('card_refunds').columns(['payment_id', 'id']).execute();
}
