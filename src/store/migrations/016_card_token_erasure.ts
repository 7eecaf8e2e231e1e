// A card token keeps the card number sealed only while it can still be used: once used or
// expired the number is erased with the security code (a saved card keeps its own copy). The
// column becomes nullable, the rule is a check constraint, and the numbers of tokens already
// used or expired are erased now.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table card_tokens alter column number_sealed drop not null`.execute(db);
    await sql`update card_tokens set number_sealed = null where status <> 'active'`.execute(db);
    await sql`alter table card_tokens add constraint card_tokens_number_erased check (status = 'active' or number_sealed is null)`.execute(db);
    return;
  }
  // SQLite changes a column's constraints only by rebuilding the table (no table refers to it).
  await db.schema
    .createTable('card_tokens_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('live_mode', 'integer', (c) => c.notNull())
    .addColumn('payment_method_id', 'text', (c) => c.notNull())
    .addColumn('payment_type_id', 'text', (c) => c.notNull())
    .addColumn('first_six_digits', 'text', (c) => c.notNull())
    .addColumn('last_four_digits', 'text', (c) => c.notNull())
    .addColumn('card_number_length', 'integer', (c) => c.notNull())
    .addColumn('security_code_length', 'integer', (c) => c.notNull())
    // Erased (null) once the token is used or expires, like the security code.
    .addColumn('number_sealed', 'text')
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
    .addCheckConstraint('card_tokens_number_erased', sql`status = 'active' or number_sealed is null`)
    .execute();
  await sql`insert into card_tokens_next
    select id, app_id, live_mode, payment_method_id, payment_type_id, first_six_digits, last_four_digits, card_number_length,
      security_code_length, case when status = 'active' then number_sealed end, security_code_sealed, key_id, expiration_month,
      expiration_year, cardholder_name, identification_type, identification_number, status, created_at, expires_at, used_at
    from card_tokens`.execute(db);
  await sql`drop table card_tokens`.execute(db);
  await sql`alter table card_tokens_next rename to card_tokens`.execute(db);
  await sql`create index card_tokens_active on card_tokens (expires_at) where status = 'active'`.execute(db);
}
