// The OpenAPI 3.1 document (`/openapi.json`, from the routes' schemas through @fastify/swagger)
// completed with each family's docs.ts: summaries, descriptions, every answer and its examples,
// the security schemes. Route files stay as they are: the docs are merged here, by
// "METHOD /url", and only into the document (never into the routes' serializers).
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { Ctx } from '../../platform/context.ts';
import { errorStatuses, statusText, type AnswerDoc, type FamilyDocs, type OperationDoc } from '../shared/api-docs.ts';
import { SESSION_COOKIE } from '../shared/sessions.ts';

export interface DocumentedOperation {
  family: FamilyDocs;
  doc: OperationDoc;
}

/** Every documented operation by "METHOD /url" (the route's own URL, `:id` parameters). */
export function operationIndex(families: FamilyDocs[]): Map<string, DocumentedOperation> {
  const index = new Map<string, DocumentedOperation>();
  for (const family of families) {
    for (const [key, doc] of Object.entries(family.operations)) {
      if (index.has(key)) throw new Error(`${key} is documented twice`);
      index.set(key, { family, doc });
    }
  }
  return index;
}

/** "GET /console/api/apps/{id}" → "GET /console/api/apps/:id". */
export function routeKey(method: string, openapiPath: string): string {
  return `${method.toUpperCase()} ${openapiPath.replace(/\{(\w+)\}/g, ':$1')}`;
}

export const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An access token from `POST /oauth/v2/token` (wallet API) or `POST /oauth/token` (card API), or the app’s own, sent as `Authorization: Bearer …`. A token from a seller’s consent (authorization code) works on the card API only.',
  },
  terminal: {
    type: 'http',
    scheme: 'bearer',
    description: 'A POS terminal’s own credential, collected once with `POST /point/device/activate` after the merchant linked it.',
  },
  pairing: {
    type: 'http',
    scheme: 'bearer',
    description: 'The `pairing_secret` of `POST /point/device/register`: only the terminal that registered has it.',
  },
  publicKey: {
    type: 'apiKey',
    in: 'query',
    name: 'public_key',
    description: 'The app’s public key (TEST-… in sandbox, APP_USR-… in production): card tokens made from the buyer’s browser.',
  },
  sessionToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Session-Token',
    description: 'The `sessionToken` of `POST /console/api/session`, for scripts and this reference: needs no CSRF token.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The console’s HttpOnly session cookie, set by `POST /console/api/session`. State changes with it also need `X-CSRF-Token`.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'The `csrfToken` of `POST /console/api/session` or `GET /console/api/me`; required with the session cookie on POST, PUT, PATCH and DELETE.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'METRICS_TOKEN, when the deployment sets one.',
  },
} as const;

const TAGS = [
  {
    name: 'wallet API',
    description:
      'The merchant wallet API (mPandco v1.7.1 contract): OAuth tokens, payment intents, payments and payouts. Errors are `{code, message[, errors]}` (Spanish messages), the token endpoint’s are OAuth’s `{error, error_description}`.',
  },
  {
    name: 'card API',
    description:
      'Card payments in the wire format of the Mercado Pago SDKs: card tokens, payments, refunds, customers and saved cards. JSON only; errors are `{message, error, status, cause[]}`.',
  },
  { name: 'Point', description: 'The Point integration API: the integrator webhook of the merchant’s app (bearer token).' },
  {
    name: 'console API',
    description:
      'The JSON API of the web console: registration, sign-in, apps and their keys, the wallet, merchant reports and the operator’s tasks. Sign in with `POST /console/api/session`, then send `X-Session-Token` (or the cookie plus `X-CSRF-Token`). Errors are `{code, message[, errors]}`.',
  },
  { name: 'webhooks', description: 'Webhook endpoints, deliveries and events of an app (console session), and the app’s event feed (bearer token).' },
  { name: 'sandbox', description: 'Sandbox helpers (only when PASARELA_ENV=sandbox): test money, the deployment clock, and the buyer’s side of an intent.' },
  { name: 'operations', description: 'Health, readiness and Prometheus metrics for the people who run the deployment.' },
];

function answerSchema(answer: AnswerDoc): Record<string, unknown> {
  if (!answer.schema) return { description: answer.description, type: 'null' };
  const media: Record<string, unknown> = { schema: answer.schema };
  if (answer.example !== undefined) media.example = answer.example;
  return {
    description: answer.description,
    content: { [answer.contentType ?? 'application/json']: media },
    ...(answer.headers ? { headers: answer.headers } : {}),
  };
}

/** The route's schema as the document shows it: the route's own, completed by its doc. */
function documentedSchema(schema: Record<string, any>, url: string, method: string, { family, doc }: DocumentedOperation): Record<string, unknown> {
  const security = doc.security ?? schema.security ?? family.security;
  const response: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(doc.answers)) response[status] = answerSchema(answer);
  const statuses = errorStatuses(doc, { hasBody: method !== 'GET', hasPathParams: url.includes(':'), secured: Boolean(security?.length) });
  for (const status of statuses) {
    response[status] = {
      description: statusText(status),
      content: { 'application/json': { schema: family.errorShape, example: family.errorExample(status) } },
    };
  }
  return {
    ...schema,
    hide: false,
    summary: doc.summary,
    description: doc.description,
    tags: doc.tags ?? [family.tag],
    ...(security ? { security } : {}),
    consumes: doc.consumes ?? family.consumes,
    ...(doc.body && !schema.body ? { body: { content: { [doc.body.contentType]: { schema: doc.body.schema } } } } : {}),
    response,
  };
}

/** Request examples and the bracket (deepObject) style of nested form fields. */
function completeRequestBodies(document: any, index: Map<string, DocumentedOperation>): void {
  for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<any>(item)) {
      const found = index.get(routeKey(method, path));
      const content = operation?.requestBody?.content;
      if (!found || !content) continue;
      if (!found.doc.body && Object.keys(content).length === 0) continue;
      for (const [type, media] of Object.entries<any>(content)) {
        const example = found.doc.body?.example ?? found.doc.bodyExample;
        if (example !== undefined) media.example = example;
        const properties = media.schema?.properties ?? {};
        if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
          const nested = Object.entries<any>(properties).filter(([, s]) => s.type === 'object' || s.type === 'array' || s.anyOf);
          if (nested.length) media.encoding = Object.fromEntries(nested.map(([name]) => [name, { style: 'deepObject', explode: true }]));
        }
      }
    }
  }
}

export async function registerApiDocument(app: FastifyInstance, ctx: Ctx, families: FamilyDocs[]): Promise<void> {
  const index = operationIndex(families);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pasarela API',
        version: '0.1.0',
        description:
          'Every API of a Pasarela deployment: the wallet merchant API (mPandco v1.7.1 contract), the card API (Mercado Pago wire format), the Point integration API, the console API, the sandbox helpers and the operations probes. Amounts are decimal text or JSON numbers in major units as each family says; the payment `status` codes of the wallet API are 2000 (cancelled), 4000 (waiting) and 9000 (finished), and its `type` is 1000 (digital-account payment).',
      },
      servers: [{ url: ctx.config.publicUrl, description: ctx.config.environment }],
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES as never },
    },
    transform: ({ schema, url, route }) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
      const method = methods.find((m) => index.has(`${m} ${url}`));
      if (!method) return { schema, url };
      return { schema: documentedSchema((schema ?? {}) as Record<string, unknown>, url, method, index.get(`${method} ${url}`)!) as never, url };
    },
    transformObject: (documentObject) => {
      const document = (documentObject as { openapiObject: unknown }).openapiObject;
      completeRequestBodies(document, index);
      return document as never;
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
