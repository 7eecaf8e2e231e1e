// Every error leaves the server in one of the documented shapes, mapped here and only here:
// 400 "Validation Failed" with the Symfony-style children tree (Spanish messages), OAuth's
// {error, error_description} on the token endpoint, and {code, message} otherwise.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import FindMyWay from 'find-my-way';
import { Type } from '@sinclair/typebox';
import { assertNever, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, type FieldError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES, type CommonCode } from '../../kernel/messages.ts';
import { Refused } from '../../kernel/refusals.ts';
import { Replayed } from '../../modules/commands/index.ts';
import { OAuthError, type OAuthErrorCode } from '../../modules/apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { BodyError } from './body.ts';
import { spanishRefusal } from './refusals.ts';
import { answerIfFinished, sendStoredAnswer } from './idempotency.ts';

export interface ErrorNode {
  errors?: string[];
  children?: Record<string, ErrorNode>;
}

/** Build `{errors: [...form-level], children: {field: {errors|children}}}` from field errors. */
export function errorTree(fieldErrors: FieldError[]): { errors: string[]; children: Record<string, ErrorNode> } {
  const root: { errors: string[]; children: Record<string, ErrorNode> } = { errors: [], children: {} };
  for (const { path, message } of fieldErrors) {
    if (path.length === 0) {
      if (!root.errors.includes(message)) root.errors.push(message);
      continue;
    }
    let node: ErrorNode = root;
    for (const segment of path) {
      node.children ??= {};
      node = node.children[segment] ??= {};
    }
    node.errors ??= [];
    if (!node.errors.includes(message)) node.errors.push(message);
  }
  return root;
}

/**
 * The documented error body of the wallet and console APIs, for routes' response schemas: every
 * error this module sends matches it (`errors` only on "Validation Failed"). A schema stricter
 * than the answers once turned body errors into 500s (FST_ERR_FAILED_ERROR_SERIALIZATION).
 */
export const ErrorAnswer = Type.Object({
  code: Type.Integer({ examples: [400] }),
  message: Type.String({ examples: ['Validation Failed'] }),
  errors: Type.Optional(
    Type.Object({
      errors: Type.Optional(Type.Array(Type.String())),
      children: Type.Optional(Type.Record(Type.String(), Type.Any())),
    }),
  ),
});

export function validationBody(fieldErrors: FieldError[]) {
  return { code: 400, message: 'Validation Failed', errors: errorTree(fieldErrors) };
}

// Symfony's Spanish validator messages, which the contract's integrations already show, and
// each one's code (src/kernel/messages.ts: the English is said without the limit).
function defaultMessage(error: ErrorObject): { message: string; code: CommonCode } {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { message: COMMON_MESSAGES.required.es, code: 'common.required' };
    case 'minLength':
      return p.limit === 1
        ? { message: COMMON_MESSAGES.required.es, code: 'common.required' }
        : { message: `Este valor es demasiado corto. Debería tener ${p.limit} caracteres o más.`, code: 'common.tooShort' };
    case 'maxLength':
      return { message: `Este valor es demasiado largo. Debería tener ${p.limit} caracteres o menos.`, code: 'common.tooLong' };
    case 'enum':
    case 'const':
      return { message: COMMON_MESSAGES.choice.es, code: 'common.choice' };
    case 'minimum':
      return { message: `Este valor debería ser ${p.limit} o más.`, code: 'common.tooSmall' };
    case 'maximum':
      return { message: `Este valor debería ser ${p.limit} o menos.`, code: 'common.tooLarge' };
    case 'additionalProperties':
      return { message: COMMON_MESSAGES.notAllowed.es, code: 'common.notAllowed' };
    case 'minItems':
      return { message: `Esta colección debe contener ${p.limit} elemento o más.`, code: 'common.tooFewItems' };
    case 'maxItems':
      return { message: `Esta colección debe contener ${p.limit} elementos o menos.`, code: 'common.tooManyItems' };
    case 'format':
    case 'pattern':
    case 'type':
    case 'anyOf':
    case 'oneOf':
    default:
      return { message: COMMON_MESSAGES.invalid.es, code: 'common.invalid' };
  }
}

/** A schema's own message for a keyword: its Spanish text and the rule code beside it. */
export interface SchemaMessage {
  message: string;
  code: string;
}
type SchemaWithMessages = { 'x-messages'?: Record<string, SchemaMessage>; properties?: Record<string, SchemaWithMessages> };

function messageFor(error: ErrorObject): { message: string; code: string } {
  const parent = error.parentSchema as SchemaWithMessages | undefined;
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: string }).missingProperty ?? '');
    const custom = parent?.properties?.[missing]?.['x-messages']?.required;
    if (custom) return custom;
  }
  return parent?.['x-messages']?.[error.keyword] ?? defaultMessage(error);
}

/** ajv errors → field errors; `formRoot` (e.g. "paymentintent") is the form's own name. */
export function fromAjv(errors: ErrorObject[], formRoot?: string): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    // anyOf reports each branch; the branch errors say nothing more useful than anyOf itself.
    if (errors.some((e) => e !== error && e.keyword === 'anyOf' && error.schemaPath.startsWith(e.schemaPath.replace(/anyOf$/, 'anyOf/')))) continue;
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (error.keyword === 'required') path.push(String((error.params as { missingProperty?: string }).missingProperty));
    if (error.keyword === 'additionalProperties') path.push(String((error.params as { additionalProperty?: string }).additionalProperty));
    if (formRoot && path[0] === formRoot) path.shift();
    out.push({ path, ...messageFor(error) });
  }
  return out;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Root key of the form (the contract's children tree starts below it). */
    formRoot?: string;
    /** Error shape of this route family. */
    errorStyle?: 'oauth';
    /** A catch-all page route (the console's): not a sign that an unknown path exists. */
    spaFallback?: boolean;
    /** The answer says nothing about stored data (health): it does not wait for the log sync (server.ts). */
    reportsNothingStored?: boolean;
  }
}

function send(reply: FastifyReply, status: number, body: unknown) {
  // Serialized here, not by the route's response schema: an error answer must never become a
  // 500 because a schema disagrees with it (test/api/malformed.test.ts checks they agree).
  return reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/** The status, the documented body and, for a `{code, message}` body, the message's rule code. */
type Answer = { status: number; body: Record<string, unknown>; messageCode?: string; fieldErrors?: FieldError[] };

function invalid(fieldErrors: FieldError[]): Answer {
  return { status: 400, body: validationBody(fieldErrors), fieldErrors };
}

/** The common message of a framework or body error, by its key. */
function common(status: number, key: keyof typeof COMMON_MESSAGES): Answer {
  return { status, body: { code: status, message: COMMON_MESSAGES[key].es }, messageCode: `common.${key}` };
}

/** The status and documented body of an error (the `{code, message}` family by default). */
function describe(error: FastifyError | Error, formRoot: string | undefined): Answer | undefined {
  const plain = (status: number, message: string, messageCode?: string): Answer => ({ status, body: { code: status, message }, messageCode });
  if ((error as FastifyError).validation) return invalid(fromAjv((error as FastifyError).validation as unknown as ErrorObject[], formRoot));
  if (error instanceof OAuthError) return { status: oauthStatus(error.code), body: { error: error.code, error_description: error.message } };
  if (error instanceof ValidationError) return invalid(error.fieldErrors);
  if (error instanceof Refused) {
    const answer = spanishRefusal(error.refusal);
    switch (answer.kind) {
      case 'form':
        return { status: 400, body: validationBody([{ path: [...(error.refusal.field ?? [])], message: answer.message }]) };
      case 'forbidden':
        return plain(403, answer.message);
      case 'too_many':
        return plain(429, answer.message);
      default:
        return assertNever(answer.kind, 'refusal kind');
    }
  }
  if (error instanceof NotFoundError) return plain(404, error.message, error.code);
  if (error instanceof UnauthorizedError) return plain(401, error.message, error.code);
  if (error instanceof ForbiddenError) return plain(403, error.message, error.code);
  if (error instanceof BodyError) return plain(error.statusCode, error.message, error.code);
  // PostgreSQL refusing a character (U+0000) or an encoding: bad input that slipped past the
  // body checks, not a server fault.
  if ((error as { code?: string }).code === '22021') return common(400, 'badCharacters');
  const status = (error as FastifyError).statusCode ?? 500;
  if (status < 400 || status >= 500) return undefined;
  const code = (error as FastifyError).code ?? '';
  return common(
    status,
    code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? 'bodyTooLarge'
      : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'mediaType'
        : code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'jsonEmpty'
          : code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
            ? 'jsonInvalid'
            : status === 413
              ? 'bodyTooLarge'
              : 'badRequest',
  );
}

function oauthStatus(code: OAuthErrorCode): number {
  return code === 'invalid_client' ? 401 : 400;
}

/** The token endpoint speaks RFC 6749 §5.2 for every error, whatever raised it. */
function asOAuth(answer: Answer, error: FastifyError | Error): Answer {
  if ('error' in answer.body) return answer;
  const tree = answer.body.errors as ReturnType<typeof errorTree> | undefined;
  const description = tree ? flatten(tree).join('; ') : String(answer.body.message);
  // Too many sign-in failures behind a password grant: the grant is refused, for now. Too many
  // tokens for one client: the server will not issue more until the window passes.
  const tooMany = error instanceof Refused && error.refusal.code === 'token_rate_limited' ? 'temporarily_unavailable' : 'invalid_grant';
  // A locked account's password grant: the owner's credentials no longer grant anything (§5.2).
  if (error instanceof Refused && error.refusal.code === 'account_locked')
    return { status: 400, body: { error: 'invalid_grant', error_description: description } };
  const code = answer.status >= 500 ? 'server_error' : answer.status === 429 ? tooMany : 'invalid_request';
  return { status: answer.status, body: { error: code, error_description: description } };
}

function flatten(node: ErrorNode, path: string[] = []): string[] {
  const here = (node.errors ?? []).map((m) => (path.length ? `${path.join('.')}: ` : '') + m);
  return [...here, ...Object.entries(node.children ?? {}).flatMap(([k, child]) => flatten(child, [...path, k]))];
}

export function errorHandler(ctx: Ctx) {
  return async (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof Replayed) return sendStoredAnswer(reply, error.answer);
    if ((error instanceof Refused || error instanceof ValidationError) && (await answerIfFinished(ctx, request, reply))) return reply;
    return handleError(error, request, reply);
  };
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const config = request.routeOptions?.config ?? {};
  let answer = describe(error, config.formRoot);
  if (!answer) {
    request.log.error({ err: error }, 'unhandled error');
    answer = common(500, 'serverError');
  }
  if (answer.status === 401) reply.header('www-authenticate', 'Bearer realm="Pasarela"');
  const retryAfterSeconds = error instanceof Refused && 'retryAfterSeconds' in error.refusal ? error.refusal.retryAfterSeconds : undefined;
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  // The refusal's stable code beside the Spanish text (which the contract fixes and may change
  // wording): clients such as the SDK tell "already executed" from "insufficient funds" by it.
  if (error instanceof Refused) reply.header('pasarela-refusal', error.refusal.code);
  // Likewise the code of each field error from a rule table, by its field ("logo=apps.logoNotPng").
  const codes = fieldCodes(answer.fieldErrors ?? []);
  if (codes) reply.header('pasarela-field-codes', codes);
  if (answer.messageCode) reply.header('pasarela-message-code', answer.messageCode);
  if (config.errorStyle === 'oauth') answer = asOAuth(answer, error);
  else if (request.server.errorShapes?.some((shape) => request.url.startsWith(shape.prefix))) {
    // A request under another family's prefix that failed before reaching its routes.
    const tree = answer.body.errors as ReturnType<typeof errorTree> | undefined;
    answer = { status: answer.status, body: plainBody(request, answer.status, tree ? flatten(tree).join('; ') : String(answer.body.message)) };
  }
  return send(reply, answer.status, answer.body);
}

/**
 * The `pasarela-field-codes` header: `field=code` for each coded field error, in order. The
 * form-level messages (errors.errors, deduplicated as errorTree does) come with an empty field
 * name, in their order, an uncoded one with an empty code so the others keep their places.
 */
function fieldCodes(fieldErrors: FieldError[]): string | undefined {
  const pairs: string[] = [];
  const formLevel: string[] = [];
  let formLevelCoded = false;
  for (const { path, message, code } of fieldErrors) {
    if (path.length === 0) {
      if (formLevel.includes(message)) continue;
      formLevel.push(message);
      formLevelCoded ||= Boolean(code);
      pairs.push(`=${encodeURIComponent(code ?? '')}`);
    } else if (code) pairs.push(`${encodeURIComponent(path.join('.'))}=${encodeURIComponent(code)}`);
  }
  const sent = formLevelCoded ? pairs : pairs.filter((p) => !p.startsWith('='));
  return sent.length ? sent.join(', ') : undefined;
}

/**
 * A wire family whose errors have another shape, by the URL prefix it owns: errors raised
 * before a route is chosen (an unknown path, a URL that does not parse) take its shape too.
 */
export interface ErrorShape {
  prefix: string;
  body(status: number, message: string): Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    errorShapes: ErrorShape[];
  }
}

function plainBody(request: FastifyRequest, status: number, message: string): Record<string, unknown> {
  const shape = request.server.errorShapes?.find((s) => request.url.startsWith(s.prefix));
  return shape ? shape.body(status, message) : { code: status, message };
}

/**
 * The router's own refusals (a path that is not valid percent-encoding, a path parameter over
 * maxParamLength) are answered before any hook runs: the documented shape and the headers every
 * answer carries are set here.
 */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const key = status === 414 ? 'urlTooLong' : 'urlInvalid';
  // Made before any hook runs (the router could not read the URL): helmet's set is added here.
  reply.headers(request.server.securityHeaders);
  reply.header('x-request-id', request.id).header('cache-control', 'no-store');
  reply.header('pasarela-message-code', `common.${key}`);
  return send(reply, status, plainBody(request, status, COMMON_MESSAGES[key].es));
}

/** 404 for an unknown path, 405 (with Allow) for a known path and the wrong method. */
export function registerNotFound(app: FastifyInstance): void {
  app.decorate('errorShapes', [] as ErrorShape[]);
  const known = FindMyWay({ ignoreTrailingSlash: false });
  const methodsByUrl = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    // The catch-all `OPTIONS *` of @fastify/cors (CORS preflight of the card tokens) says
    // nothing about which paths exist: counted, it turned every unknown path into a 405.
    if (route.config?.spaFallback || route.url === '*') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      const set = methodsByUrl.get(route.url) ?? new Set<string>();
      if (!methodsByUrl.has(route.url)) {
        methodsByUrl.set(route.url, set);
        try {
          known.on('GET', route.url, () => {}, { url: route.url });
        } catch {
          // the same pattern registered twice (another method) — already known
        }
      }
      set.add(method);
    }
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const match = known.find('GET', path) as { store?: { url?: string } } | null;
    const allowed = match?.store?.url ? methodsByUrl.get(match.store.url) : undefined;
    if (allowed && !allowed.has(request.method)) {
      reply.header('allow', [...allowed].join(', ')).header('pasarela-message-code', 'common.methodNotAllowed');
      return send(reply, 405, plainBody(request, 405, `Método ${request.method} no permitido. Use: ${[...allowed].join(', ')}.`));
    }
    reply.header('pasarela-message-code', 'common.routeNotFound');
    return send(reply, 404, plainBody(request, 404, COMMON_MESSAGES.routeNotFound.es));
  });
}
