// Health, readiness and Prometheus metrics. `/metrics` takes `Authorization: Bearer
// $METRICS_TOKEN` when METRICS_TOKEN is set; without a token it is open in sandbox and does
// not exist (404) in production, where it would tell anyone the traffic and the amounts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { NotFoundError, UnauthorizedError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DeploymentMetrics } from '../../platform/metrics.ts';
import { sha256Hex } from '../../platform/secrets.ts';
import { pingDatabase } from '../../store/health.ts';

function presentedToken(request: FastifyRequest): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
}

export async function opsRoutes(app: FastifyInstance, ctx: Ctx, metrics: DeploymentMetrics): Promise<void> {
  const hide = { hide: true } as const;
  // Probes answer at once, whatever commits of others are waiting for their sync.
  const probe = { reportsNothingStored: true };
  app.get('/healthz', { config: probe, schema: { ...hide } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: probe, schema: { ...hide } }, async (_request, reply) => {
    try {
      await pingDatabase(ctx.store.db);
      return { status: 'ok', database: ctx.store.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: ctx.store.dialect });
    }
  });

  const { metricsToken } = ctx.config;
  // Compared as hashes: equal lengths, so timingSafeEqual never throws and leaks no length.
  const expected = metricsToken ? Buffer.from(sha256Hex(metricsToken)) : undefined;
  app.get('/metrics', { schema: { ...hide } }, async (request, reply) => {
    if (!expected) {
      if (ctx.config.environment === 'production') throw new NotFoundError('Recurso no encontrado.');
    } else if (!timingSafeEqual(Buffer.from(sha256Hex(presentedToken(request))), expected)) {
      throw new UnauthorizedError('Se requiere el token de métricas (Authorization: Bearer $METRICS_TOKEN).');
    }
    reply.type(metrics.contentType);
    return metrics.render();
  });
}
