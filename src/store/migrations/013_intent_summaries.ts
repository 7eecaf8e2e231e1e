// A page of the intents list reads each intent's stored summary (its transactions without
// items and distributions, written at creation) instead of taking the transactions apart per
// read, in an index in the list's order: a page of the heaviest intents costs one column read
// per row, not ~70 KB of JSON each on the event loop (SQLite) or the database's CPU.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('payment_intents')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await backfillIntentSummaries(db, dialect);
  // Newest first, ties by id: the list's order, so a page is read in order without a sort.
  await db.schema.dropIndex('payment_intents_merchant').execute();
  await db.schema.createIndex('payment_intents_merchant_list').on('payment_intents').columns(['merchant_user_id', 'created_at desc', 'id desc']).execute();
}

/** The intents created before: the same summary the list used to compute on every read. */
export async function backfillIntentSummaries(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const summarized =
    dialect === 'postgres'
      ? sql`(select coalesce(json_agg(e.value - 'items' - 'distributions' order by e.n), '[]')::text from jsonb_array_elements(payment_intents.transactions::jsonb) with ordinality as e(value, n))`
      : sql`(select json_group_array(json_remove(e.value, '$.items', '$.distributions')) from (select value from json_each(payment_intents.transactions) order by key) as e)`;
  await sql`update payment_intents set summary = ${summarized}`.execute(db);
}
