// Customers of a seller and their saved cards (the card family's /v1/customers). A saved card
// keeps the number sealed as a token does, never its security code: paying with it takes a
// fresh token made from the card's id and the code typed again.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('identification', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('default_card_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One customer per email and seller: the search by email finds one.
  await db.schema.createIndex('customers_owner_email').unique().on('customers').columns(['owner_user_id', 'email']).execute();

  await db.schema
    .createTable('customer_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('payment_method_id', 'text', (c) => c.notNull())
    .addColumn('payment_type_id', 'text', (c) => c.notNull())
    .addColumn('first_six_digits', 'text', (c) => c.notNull())
    .addColumn('last_four_digits', 'text', (c) => c.notNull())
    .addColumn('card_number_length', 'integer', (c) => c.notNull())
    .addColumn('security_code_length', 'integer', (c) => c.notNull())
    .addColumn('number_sealed', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('expiration_month', 'integer', (c) => c.notNull())
    .addColumn('expiration_year', 'integer', (c) => c.notNull())
    .addColumn('cardholder_name', 'text', (c) => c.notNull())
    .addColumn('identification_type', 'text')
    .addColumn('identification_number', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create index customer_cards_customer on customer_cards (customer_id, created_at)`.execute(db);
}
