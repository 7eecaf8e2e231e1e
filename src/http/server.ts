// Builds the Fastify server: shared plugins first, then one plugin per route family.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Ajv } from 'ajv';
import type { Ctx } from '../platform/context.ts';
import { LIMITS, parseQuery, registerBodyParsing } from './shared/body.ts';
import { errorHandler, frameworkError, registerNotFound } from './shared/errors.ts';
import { rejectLooseIntegers, rejectNonFiniteNumbers, WIRE_INTEGER } from './shared/numbers.ts';
import { registerSecurityHeaders } from './shared/headers.ts';
import { deploymentMetrics } from '../platform/metrics.ts';
import { redactUrl } from './shared/redact.ts';
import { consentRoutes } from './pages/consent.ts';
import { checkoutRoutes } from './pages/checkout.ts';
import { consoleRoutes } from './console-api/routes.ts';
import { passwordRoutes } from './console-api/password-routes.ts';
import { sessionRoutes } from './console-api/session-routes.ts';
import { registerSessions } from './shared/sessions.ts';
import { sessionChecksFirst } from './shared/auth.ts';
import { homeRoutes } from './pages/home.ts';
import { consoleAppRoutes } from './pages/console-app.ts';
import { opsRoutes } from './ops/routes.ts';
import { payoutRoutes } from './wallet-api/payout-routes.ts';
import { consolePayoutRoutes } from './console-api/payout-routes.ts';
import { consoleOperatorRoutes } from './console-api/operator-routes.ts';
import { sandboxRoutes } from './sandbox/routes.ts';
import { sandboxPointRoutes } from './sandbox/point-routes.ts';
import { terminalPageRoutes } from './pages/terminal.ts';
import { walletAuthRoutes } from './wallet-api/auth-routes.ts';
import { walletRoutes } from './console-api/wallet-routes.ts';
import { merchantRoutes } from './console-api/merchant-routes.ts';
import { webhookRoutes } from './console-api/webhook-routes.ts';
import { consolePointRoutes } from './console-api/point-routes.ts';
import { cardRoutes } from './card-api/routes.ts';
import { cardScriptRoutes, loadCardScript } from './card-browser/script-routes.ts';
import { cardExampleRoutes } from './card-browser/example-routes.ts';
import { pointIntegratorRoutes } from './point-api/integrator-routes.ts';
import { pointIntegrationRoutes } from './point-api/integration-routes.ts';
import { pointDeviceRoutes } from './point-api/device-routes.ts';
import { walletIntentRoutes } from './wallet-api/intent-routes.ts';
import { outboxBacklog } from '../modules/events/index.ts';
import { registerApiDocument } from './reference/document.ts';
import { referenceRoutes } from './reference/page.ts';
import { API_FAMILIES } from './reference/families.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ServerOptions {
  logger?: boolean;
}

/** Trust the nearest `hops` proxies (Fastify accepts a number, its types do not). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
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
    // Behind a proxy (TRUST_PROXY) request.ip is the client from X-Forwarded-For, never a value
    // an untrusted peer wrote; the sign-in limits count by it.
    trustProxy: typeof ctx.config.trustProxy === 'number' ? trustHops(ctx.config.trustProxy) : ctx.config.trustProxy,
    // A client that trickles its headers or body, or holds an idle connection, is cut off
    // (408 / close) once its limit passes. Node checks pending requests every
    // connectionsCheckingInterval (30 s by default — too coarse for limits of seconds).
    requestTimeout: ctx.config.http.requestTimeoutMs,
    keepAliveTimeout: ctx.config.http.keepAliveTimeoutMs,
    http: { headersTimeout: ctx.config.http.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, ctx.config.http.headersTimeoutMs) },
    frameworkErrors: frameworkError,
    routerOptions: { querystringParser: (text: string) => parseQuery(text), maxParamLength: 200 },
    ajv: {
      // allowUnionTypes: a schema may name two types (`type: ['string', 'number']`), so that a
      // value of either passes as it came, where a union's string branch would coerce a number.
      customOptions: { allErrors: true, verbose: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true, allowUnionTypes: true },
      plugins: [(ajv: Ajv) => ajv.addKeyword({ keyword: 'x-messages', schemaType: 'object' }).addKeyword({ keyword: WIRE_INTEGER, schemaType: 'boolean' })],
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // No answer reports a change before it is on disk (SQLite group commit, store/group-sync.ts).
  // Answers that report nothing stored (health) need not wait for a sync of others' commits.
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!request.routeOptions.config?.reportsNothingStored) await ctx.store.settle();
    return payload;
  });
  app.setErrorHandler(errorHandler(ctx));
  app.addHook('preValidation', rejectLooseIntegers);
  app.addHook('preHandler', rejectNonFiniteNumbers);
  await registerSecurityHeaders(app, ctx.config);
  // Every route is measured, labelled with its template (never the raw URL: bounded labels).
  const metrics = deploymentMetrics(
    () => outboxBacklog(ctx.store.db),
    () => ctx.clock.now(),
  );
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  registerNotFound(app);
  sessionChecksFirst(app);
  await registerBodyParsing(app);
  await registerSessions(app);

  await registerApiDocument(app, ctx, API_FAMILIES);
  await app.register(async (scope) => referenceRoutes(scope));

  await app.register(async (scope) => opsRoutes(scope, ctx, metrics));
  await app.register(async (scope) => homeRoutes(scope, ctx));
  await app.register(async (scope) => walletAuthRoutes(scope, ctx));
  await app.register(async (scope) => walletIntentRoutes(scope, ctx));
  await app.register(async (scope) => sessionRoutes(scope, ctx));
  await app.register(async (scope) => passwordRoutes(scope, ctx));
  await app.register(async (scope) => consoleRoutes(scope, ctx));
  await app.register(async (scope) => consoleOperatorRoutes(scope, ctx));
  await app.register(async (scope) => walletRoutes(scope, ctx));
  await app.register(async (scope) => merchantRoutes(scope, ctx));
  await app.register(async (scope) => webhookRoutes(scope, ctx));
  await app.register(async (scope) => consolePointRoutes(scope, ctx));
  await app.register(async (scope) => pointIntegratorRoutes(scope, ctx));
  await app.register(async (scope) => pointIntegrationRoutes(scope, ctx));
  await app.register(async (scope) => pointDeviceRoutes(scope, ctx));
  await app.register(async (scope) => cardRoutes(scope, ctx));
  const cardScript = loadCardScript();
  await app.register(async (scope) => cardScriptRoutes(scope, cardScript));
  await app.register(async (scope) => payoutRoutes(scope, ctx));
  await app.register(async (scope) => consolePayoutRoutes(scope, ctx));
  await app.register(async (scope) => checkoutRoutes(scope, ctx));
  await app.register(async (scope) => consentRoutes(scope, ctx));
  await app.register(async (scope) => consoleAppRoutes(scope));
  if (ctx.config.environment === 'sandbox') {
    await app.register(async (scope) => sandboxRoutes(scope, ctx));
    await app.register(async (scope) => sandboxPointRoutes(scope, ctx));
    await app.register(async (scope) => terminalPageRoutes(scope, ctx));
    await app.register(async (scope) => cardExampleRoutes(scope, ctx, cardScript));
  }
  return app;
}
