// Prometheus metrics of this process. Two registries:
// - the process registry (this module, created once): Node's default metrics and the business
//   counters the modules emit — payments (count and amount by currency) and webhook deliveries
//   by outcome. Per process, as Prometheus expects: sum them over a deployment's processes.
// - one registry per HTTP server (deploymentMetrics): request durations by route template and
//   status class, and the outbox lag read from the deployment's database at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

const payments = new Counter({
  name: 'pasarela_payments_total',
  help: 'Payments committed (transfers, sales, billing requests), by currency and kind',
  labelNames: ['currency', 'kind'] as const,
  registers: [processRegistry],
});

const paymentAmounts = new Counter({
  name: 'pasarela_payments_amount_minor_total',
  help: 'Amount of the payments committed, in minor units of the currency',
  labelNames: ['currency'] as const,
  registers: [processRegistry],
});

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed';

const webhookDeliveries = new Counter({
  name: 'pasarela_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, another attempt is scheduled) or failed (given up)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});
for (const outcome of ['succeeded', 'retrying', 'failed'] as const) webhookDeliveries.inc({ outcome }, 0);

/** A payment's transaction committed. */
export function countPayment(currency: string, kind: string, amountMinor: number): void {
  payments.inc({ currency, kind });
  paymentAmounts.inc({ currency }, amountMinor);
}

export function countWebhookDelivery(outcome: DeliveryOutcome): void {
  webhookDeliveries.inc({ outcome });
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface DeploymentMetrics {
  /** One answered request: its route template (never the raw URL), method and status. */
  observeRequest(method: string, routeTemplate: string | undefined, statusCode: number, seconds: number): void;
  /** The exposition text: process metrics plus this deployment's. */
  render(): Promise<string>;
  contentType: string;
}

/** The outbox as the events module reads it: the oldest waiting event's time, and how many wait. */
export type OutboxBacklog = () => Promise<{ oldestCreatedAt: number | null; pending: number }>;

export function deploymentMetrics(outbox: OutboxBacklog, now: () => Promise<number>): DeploymentMetrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: 'pasarela_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Read at scrape time: the oldest event not yet turned into deliveries, from the database,
  // so every process reports the same deployment-wide figure.
  new Gauge({
    name: 'pasarela_outbox_lag_seconds',
    help: 'Age of the oldest event waiting in the outbox (0 when none waits)',
    registers: [registry],
    async collect() {
      const { oldestCreatedAt } = await outbox();
      this.set(oldestCreatedAt === null ? 0 : Math.max(0, ((await now()) - oldestCreatedAt) / 1000));
    },
  });
  new Gauge({
    name: 'pasarela_outbox_pending_events',
    help: 'Events waiting in the outbox to be turned into deliveries',
    registers: [registry],
    async collect() {
      this.set((await outbox()).pending);
    },
  });
  const merged = Registry.merge([processRegistry, registry]);
  return {
    observeRequest(method, routeTemplate, statusCode, seconds) {
      duration.observe(
        { method: METHODS.has(method) ? method : 'OTHER', route: routeTemplate ?? 'unmatched', status_class: `${Math.floor(statusCode / 100)}xx` },
        seconds,
      );
    },
    render: () => merged.metrics(),
    contentType: merged.contentType,
  };
}
