// Table types of the webhooks capability (migrations 004 and 008), merged into the Database interface.
import type { Generated } from 'kysely';

export type WebhookEndpointKind = 'app' | 'integrator';
export type WebhookTarget = 'endpoint' | 'notification_url' | 'integrator';
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookEndpointsTable {
  id: string;
  kind: WebhookEndpointKind;
  app_id: string;
  owner_user_id: string;
  url: string;
  description: string;
  /** JSON array of event types or patterns. */
  event_types: string;
  secret_enc: string | null;
  enabled: number;
  verified: number;
  flagged_at: number | null;
  flag_reason: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface WebhookAppSecretsTable {
  app_id: string;
  secret_enc: string;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  target: WebhookTarget;
  target_key: string;
  endpoint_id: string | null;
  app_id: string | null;
  owner_user_id: string | null;
  url: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  cycle_attempts: number;
  cycle_started_at: number;
  next_attempt_at: number;
  claimed_until: number | null;
  claim_token: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  completed_at: number | null;
  created_at: number;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  number: number;
  request_id: string;
  url: string;
  started_at: number;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_body: string | null;
  succeeded: number;
  worker_id: string;
}

/** One row (id 1): the last stream_seq handed out; locked by whoever hands out the next. */
export interface EventStreamCounterTable {
  id: number;
  last_seq: number;
}

declare module './schema.ts' {
  interface EventsTable {
    /** 1 once the dispatcher turned the event into deliveries (migration 004). */
    fanned_out: Generated<number>;
    /** Commit-order position in the event stream, set after commit (migration 008). */
    stream_seq: Generated<number | null>;
  }
  interface Database {
    event_stream_counter: EventStreamCounterTable;
    webhook_endpoints: WebhookEndpointsTable;
    webhook_app_secrets: WebhookAppSecretsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_attempts: WebhookAttemptsTable;
  }
}
