// Builds the Fastify server: shared plugins first, then one plugin per route family.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Ajv } from 'ajv';
import type { Ctx } from '../services/context.ts';
import { LIMITS, parseQuery, registerBodyParsing } from './body.ts';
import { handleError, registerNotFound } from './errors.ts';
import { redactUrl } from './redact.ts';
import { storeIdempotentAnswer } from './idempotency.ts';
import { checkoutRoutes } from './routes/checkout.ts';
import { consoleRoutes } from './routes/console.ts';
import { homeRoutes } from './routes/home.ts';
import { opsRoutes } from './routes/ops.ts';
import { payoutRoutes } from './routes/payouts.ts';
import { sandboxRoutes } from './routes/sandbox.ts';
import { walletAuthRoutes } from './routes/wallet-auth.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { walletIntentRoutes } from './routes/wallet-intents.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ServerOptions {
  logger?: boolean;
}

export async function buildServer(ctx: Ctx, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: ctx.config.logLevel,
            // Secrets never reach the log: no headers, no bodies, and secret query values masked.
            serializers: {
              req: (req) => ({ method: req.method, url: redactUrl(String(req.url)), remoteAddress: req.ip }),
              res: (res) => ({ statusCode: res.statusCode }),
            },
          },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: LIMITS.bodyBytes,
    routerOptions: { querystringParser: (text: string) => parseQuery(text), maxParamLength: 200 },
    ajv: {
      customOptions: { allErrors: true, verbose: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true },
      plugins: [(ajv: Ajv) => ajv.addKeyword({ keyword: 'x-messages', schemaType: 'object' })],
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(handleError);
  app.addHook('onSend', storeIdempotentAnswer(ctx));
  registerNotFound(app);
  await registerBodyParsing(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Pasarela API', version: '0.1.0', description: 'Wallet merchant API (mPandco v1.7.1 contract), console API and sandbox helpers.' },
      servers: [{ url: ctx.config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (scope) => opsRoutes(scope, ctx));
  await app.register(async (scope) => homeRoutes(scope, ctx));
  await app.register(async (scope) => walletAuthRoutes(scope, ctx));
  await app.register(async (scope) => walletIntentRoutes(scope, ctx));
  await app.register(async (scope) => consoleRoutes(scope, ctx));
  await app.register(async (scope) => webhookRoutes(scope, ctx));
  await app.register(async (scope) => payoutRoutes(scope, ctx));
  await app.register(async (scope) => checkoutRoutes(scope, ctx));
  if (ctx.config.environment === 'sandbox') await app.register(async (scope) => sandboxRoutes(scope, ctx));
  return app;
}
