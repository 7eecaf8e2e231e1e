// Versioned migrations, applied in order on start and by `pasarela migrate`.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Store } from './db.ts';
import * as m001 from './migrations/001_core.ts';
import * as m002 from './migrations/002_events_fees.ts';
import * as m003 from './migrations/003_payments.ts';
import * as m004 from './migrations/004_webhooks.ts';
import * as m005 from './migrations/005_payouts.ts';
import * as m006 from './migrations/006_idempotency.ts';
import * as m007 from './migrations/007_token_families.ts';
import * as m008 from './migrations/008_event_stream.ts';
import * as m009 from './migrations/009_payment_state.ts';
import * as m010 from './migrations/010_holds.ts';
import * as m011 from './migrations/011_rate_limits.ts';
import * as m012 from './migrations/012_limits.ts';
import * as m013 from './migrations/013_intent_summaries.ts';
import * as m014 from './migrations/014_cards.ts';
import * as m015 from './migrations/015_customers.ts';
import * as m016 from './migrations/016_card_token_erasure.ts';
import * as m017 from './migrations/017_oauth_test_users.ts';
import * as m018 from './migrations/018_password_resets.ts';
import * as m019 from './migrations/019_operator_reviews.ts';
import * as m020 from './migrations/020_point_terminals.ts';
import * as m021 from './migrations/021_drop_events_object.ts';

type Step = { up(db: Kysely<unknown>, dialect: Store['dialect']): Promise<void> };
const STEPS: Record<string, Step> = {
  '001_core': m001,
  '002_events_fees': m002,
  '003_payments': m003,
  '004_webhooks': m004,
  '005_payouts': m005,
  '006_idempotency': m006,
  '007_token_families': m007,
  '008_event_stream': m008,
  '009_payment_state': m009,
  '010_holds': m010,
  '011_rate_limits': m011,
  '012_limits': m012,
  '013_intent_summaries': m013,
  '014_cards': m014,
  '015_customers': m015,
  '016_card_token_erasure': m016,
  '017_oauth_test_users': m017,
  '018_password_resets': m018,
  '019_operator_reviews': m019,
  '020_point_terminals': m020,
  '021_drop_events_object': m021,
};

export async function migrateToLatest(store: Store): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of Object.entries(STEPS)) {
        out[name] = { up: (db) => step.up(db, store.dialect) };
      }
      return out;
    },
  };
  // Capabilities are developed side by side; a migration merged later may sort before one
  // already applied on a developer's database.
  // Kysely looks for its own tables in every schema unless told which one: on PostgreSQL name
  // the schema in use, or another schema's migration tables would be taken for this one's.
  const migrationTableSchema =
    store.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db: store.db, provider, allowUnorderedMigrations: true, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
