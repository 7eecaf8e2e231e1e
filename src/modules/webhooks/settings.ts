// Tunables of webhook delivery, from the configuration (defaults follow the contract).
import { hostname } from 'node:os';
import { DEFAULT_RETRY_HORIZON_MS, DEFAULT_TIMEOUT_MS } from './model.ts';
import type { Ctx } from '../../platform/context.ts';

export interface WebhookSettings {
  /** Per-attempt timeout (contract: the receiver answers within 22 s). */
  timeoutMs: number;
  /** Retry until the next attempt would fall past this long after the first one. */
  horizonMs: number;
  /** At most this many attempts in flight to one endpoint (per process). */
  perEndpointConcurrency: number;
  /** At most this many attempts in flight in one process. */
  globalConcurrency: number;
  /** How often the dispatcher looks for work when idle. */
  pollMs: number;
  /** A claim expires after this long (wall clock), so a killed process's work is taken over. */
  leaseMs: number;
  /** Events turned into deliveries per transaction. */
  fanoutBatch: number;
  /** Refuse private, loopback and link-local targets (production). */
  guardPrivateTargets: boolean;
  /** Identifies this process in the attempt log. */
  workerId: string;
}

/**
 * WEBHOOK_TIMEOUT_MS (22000), WEBHOOK_RETRY_HORIZON_SECONDS (259200 = 3 days),
 * WEBHOOK_CONCURRENCY_PER_ENDPOINT (2), WEBHOOK_CONCURRENCY (32), WEBHOOK_POLL_MS (500),
 * WEBHOOK_LEASE_MS (timeout + 5 s), read by the configuration.
 */
export function webhookSettings(ctx: Pick<Ctx, 'config'>, overrides: Partial<WebhookSettings> = {}): WebhookSettings {
  const configured = ctx.config.webhooks;
  const timeoutMs = overrides.timeoutMs ?? configured.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    timeoutMs,
    horizonMs: overrides.horizonMs ?? (configured.retryHorizonSeconds ?? DEFAULT_RETRY_HORIZON_MS / 1000) * 1000,
    perEndpointConcurrency: overrides.perEndpointConcurrency ?? Math.floor(configured.concurrencyPerEndpoint ?? 2),
    globalConcurrency: overrides.globalConcurrency ?? Math.floor(configured.concurrency ?? 32),
    pollMs: overrides.pollMs ?? configured.pollMs ?? 500,
    leaseMs: overrides.leaseMs ?? configured.leaseMs ?? timeoutMs + 5000,
    fanoutBatch: overrides.fanoutBatch ?? 200,
    guardPrivateTargets: overrides.guardPrivateTargets ?? ctx.config.environment === 'production',
    workerId: overrides.workerId ?? `${hostname()}:${process.pid}`,
  };
}
