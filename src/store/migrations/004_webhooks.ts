import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

// Webhooks: endpoints, the per-app notification secret, one delivery per (event, target) and
// every attempt. The outbox (`events`, migration 002) gains a fan-out marker so the
// dispatcher turns each event into deliveries exactly once, in one transaction.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('events')
    .addColumn('fanned_out', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Only the events still waiting for fan-out are indexed (a handful at any time).
  await sql`create index events_pending_fanout on events (created_at) where fanned_out = 0`.execute(db);

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'app' | 'integrator'
    .addColumn('app_id', 'text', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    /** JSON array of event types or patterns ("payment.*", "*"). */
    .addColumn('event_types', 'text', (c) => c.notNull())
    /** Sealed with the master key; null = signed with the app's notification secret. */
    .addColumn('secret_enc', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    /** Integrator webhooks receive nothing until the check proved the endpoint answers. */
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('flagged_at', 'bigint')
    .addColumn('flag_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('webhook_endpoints_app').on('webhook_endpoints').columns(['app_id', 'kind']).execute();
  await db.schema.createIndex('webhook_endpoints_owner').on('webhook_endpoints').column('owner_user_id').execute();

  await db.schema
    .createTable('webhook_app_secrets')
    .addColumn('app_id', 'text', (c) => c.primaryKey().references('oauth_apps.id'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    /** 'endpoint' | 'notification_url' | 'integrator'. */
    .addColumn('target', 'text', (c) => c.notNull())
    /** Endpoint id, or "url:<sha256>" for a notification_url: one delivery per event and target. */
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text')
    .addColumn('app_id', 'text')
    .addColumn('owner_user_id', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // 'pending' | 'succeeded' | 'failed'
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    /** Attempts since the retry schedule (re)started; a replay starts a new schedule. */
    .addColumn('cycle_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cycle_started_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    /** Wall-clock lease of the process delivering it now; an expired lease may be taken over. */
    .addColumn('claimed_until', 'bigint')
    .addColumn('claim_token', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_target').unique().on('webhook_deliveries').columns(['event_id', 'target_key']).execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  // A lane takes its target's next due delivery.
  await db.schema.createIndex('webhook_deliveries_lane').on('webhook_deliveries').columns(['target_key', 'status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();
  await db.schema.createIndex('webhook_deliveries_app').on('webhook_deliveries').columns(['app_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    /** Deployment clock. */
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    /** The first KB of the response. */
    .addColumn('response_body', 'text')
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    /** hostname:pid of the process that made the attempt. */
    .addColumn('worker_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'number']).execute();
}
