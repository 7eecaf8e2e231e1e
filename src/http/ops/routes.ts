// Health, readiness and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Registry, collectDefaultMetrics, Histogram } from 'prom-client';
import type { Ctx } from '../../platform/context.ts';

export async function opsRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'pasarela_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const hide = { hide: true } as const;
  app.get('/healthz', { schema: { ...hide } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { ...hide } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.store.db);
      return { status: 'ok', database: ctx.store.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: ctx.store.dialect });
    }
  });
  app.get('/metrics', { schema: { ...hide } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
