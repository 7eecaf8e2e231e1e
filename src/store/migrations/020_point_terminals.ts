// POS terminals (the Point integration API): the merchant's stores and tills, terminals (linked
// by a pairing code, then authenticated by their own credential, kept only as a hash), payment
// intents sent to a terminal and every state each intent went through. A terminal holds at most
// one active intent (`open_intent_id`, claimed by a guarded update). Card payments made at a
// terminal say where (`point_of_interaction`).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('point_stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create index point_stores_owner on point_stores (owner_user_id, created_at)`.execute(db);

  await db.schema
    .createTable('point_tills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('point_stores.id'))
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('external_pos_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('point_tills_external', ['owner_user_id', 'external_pos_id'])
    .execute();

  await db.schema
    .createTable('point_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('operating_mode', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('till_id', 'text', (c) => c.references('point_tills.id'))
    // While waiting to be linked: the code the merchant types, and the secret the terminal
    // collects its credential with (hash), both gone once the credential is issued.
    .addColumn('pairing_code', 'text')
    .addColumn('pairing_secret_hash', 'text')
    .addColumn('pairing_expires_at', 'bigint')
    .addColumn('credential_hash', 'text')
    .addColumn('open_intent_id', 'text')
    .addColumn('linked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('point_devices_status', sql`status in ('pending', 'linked', 'unlinked')`)
    .addCheckConstraint('point_devices_mode', sql`operating_mode in ('PDV', 'STANDALONE')`)
    .addCheckConstraint('point_devices_linked', sql`status <> 'linked' or (owner_user_id is not null and till_id is not null)`)
    .execute();
  await sql`create unique index point_devices_pairing on point_devices (pairing_code) where pairing_code is not null`.execute(db);
  await sql`create unique index point_devices_credential on point_devices (credential_hash) where credential_hash is not null`.execute(db);
  await sql`create index point_devices_owner on point_devices (owner_user_id, id)`.execute(db);

  await db.schema
    .createTable('point_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('point_devices.id'))
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text')
    // JSON: {installments, type, installments_cost} and {external_reference, print_on_terminal, ticket_number}.
    .addColumn('payment_options', 'text', (c) => c.notNull())
    .addColumn('additional_info', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'bigint')
    .addColumn('payment_state', 'text')
    .addColumn('payment_type', 'text')
    // Not taken (OPEN) or not paid (ON_TERMINAL) by then: ABANDONED.
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint(
      'point_intents_state',
      sql`state in ('OPEN', 'ON_TERMINAL', 'PROCESSING', 'PROCESSED', 'FINISHED', 'CANCELED', 'ABANDONED', 'ERROR', 'CONFIRMATION_REQUIRED')`,
    )
    .addCheckConstraint('point_intents_amount', sql`amount_minor > 0`)
    .execute();
  await sql`create index point_intents_owner on point_intents (owner_user_id, created_at)`.execute(db);
  await sql`create index point_intents_due on point_intents (expires_at) where state in ('OPEN', 'ON_TERMINAL')`.execute(db);
  // A terminal's long poll asks for its active intent every 250 ms: by device, not a scan of the history.
  await sql`create index point_intents_device on point_intents (device_id, state)`.execute(db);

  await db.schema
    .createTable('point_intent_events')
    .addColumn('intent_id', 'text', (c) => c.notNull().references('point_intents.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('point_intent_events_pk', ['intent_id', 'seq'])
    .execute();
  await sql`create index point_intent_events_owner on point_intent_events (owner_user_id, created_at)`.execute(db);

  await db.schema.alterTable('card_payments').addColumn('point_of_interaction', 'text').execute();
}
