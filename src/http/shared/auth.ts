// Who is calling: a bearer token of the wallet API (app + owner), or a console session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import { APP_MESSAGES, hasPermission, type Permission } from '../../modules/apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { authenticateBearer, type AuthContext, type TokenRequest } from '../../modules/apps/index.ts';
import { findSession, type Session } from '../../modules/identity/index.ts';
import { csrfTokenValid, sessionCookieValue } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext;
    session: Session;
  }
}

/** The rule (APP_MESSAGES) of each way a bearer token fails. */
const BEARER_RULES = {
  missing: 'tokenMissing',
  unknown: 'tokenUnknown',
  expired: 'tokenExpired',
  revoked: 'tokenRevoked',
  locked: 'tokenLocked',
  wrong_environment: 'tokenWrongEnvironment',
} as const;

export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match) return match[1]!;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.access_token === 'string' ? query.access_token : '';
}

/** preHandler: a valid wallet-API token, optionally with an app permission. */
/**
 * A bearer token's app and user, or a 401/403. A token from a seller's consent (the card family's
 * authorization code: it acts for a user who is not the app's owner) is accepted only where
 * `sellerConsent` says so — the card payment calls a seller approved —, never by the wallet
 * family, payouts, webhooks or the creation of test users.
 */
export function requireBearer(ctx: Ctx, permission?: Permission, options: { sellerConsent?: boolean } = {}) {
  return async (request: FastifyRequest) => {
    const result = await authenticateBearer(ctx, bearerToken(request));
    if (result === 'inactive') throw new ForbiddenError(APP_MESSAGES.notActive.es, 'apps.notActive');
    if (typeof result === 'string') throw new UnauthorizedError(APP_MESSAGES[BEARER_RULES[result]].es, `apps.${BEARER_RULES[result]}`);
    if (result.user.id !== result.app.owner_user_id && !options.sellerConsent) throw new ForbiddenError(APP_MESSAGES.sellerToken.es, 'apps.sellerToken');
    if (permission && !hasPermission(result.app, permission)) throw permissionNotEnabled(permission);
    request.auth = result;
  };
}

/** The app lacks `permission`: the Spanish text names it, the code is the rule's. */
export function permissionNotEnabled(permission: Permission): ForbiddenError {
  return new ForbiddenError(`La aplicación no tiene habilitado el permiso ${permissionName(permission)}.`, 'apps.permissionNotEnabled');
}

export function permissionName(permission: Permission): string {
  switch (permission) {
    case 'payment_button':
      return 'botón de pago';
    case 'billing_api':
      return 'API de facturación';
    case 'distributions':
      return 'distribución de fondos';
    case 'payouts':
      return 'pagos masivos';
  }
}

/**
 * Percent-decoded text, or the text as it came when its escapes are malformed (`%`, `%E0%A4%A`):
 * anyone can send those, so they must read as a credential that matches nothing, not a 500.
 */
export function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const SESSION_CHECK = Symbol('session check');

/**
 * onRequest: a console session, from the cookie (browser) or `X-Session-Token` (scripts and
 * API clients: a header a browser never adds by itself, so it needs no CSRF token). A cookie is
 * sent by the browser on its own, so a state change with it must also carry a CSRF token, read
 * from its header (`X-CSRF-Token`): the body is not parsed yet.
 */
export function requireSession(ctx: Ctx, options: { operator?: boolean } = {}) {
  const check = async (request: FastifyRequest) => {
    const headerToken = request.headers['x-session-token'];
    const fromHeader = typeof headerToken === 'string' ? headerToken : '';
    const token = fromHeader || sessionCookieValue(request);
    const session = await findSession(ctx, token);
    if (!session) throw new UnauthorizedError(COMMON_MESSAGES.signInRequired.es, 'common.signInRequired');
    request.session = session;
    if (!fromHeader && !csrfTokenValid(request)) throw new ForbiddenError(COMMON_MESSAGES.csrf.es, 'common.csrf');
    if (options.operator && session.user.type !== 'operator') throw new ForbiddenError(COMMON_MESSAGES.operatorOnly.es, 'common.operatorOnly');
  };
  return Object.assign(check, { [SESSION_CHECK]: true });
}

/**
 * onRoute: a route's session check (requireSession) runs in onRequest, before its body is parsed
 * and checked against its schema. In a later hook an anonymous caller, or a merchant at an
 * operator route, would be answered the schema's 400 (learning what the body takes) before its
 * 401 or 403, and an upload would be read for nobody. A route that puts it later fails to start.
 */
export function sessionChecksFirst(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    for (const stage of ['preParsing', 'preValidation', 'preHandler'] as const) {
      const hooks = [route[stage] ?? []].flat() as unknown[];
      if (hooks.some((hook) => typeof hook === 'function' && SESSION_CHECK in hook)) {
        throw new Error(`${String(route.method)} ${route.url}: its session check runs in ${stage}; give it as onRequest`);
      }
    }
  });
}

export type Reply = FastifyReply;

/**
 * A token request's fields, with the client's id and secret from HTTP Basic when the body has
 * none (RFC 6749 §2.3.1: the client may authenticate either way).
 */
export function tokenRequestOf(request: FastifyRequest): TokenRequest {
  const body: TokenRequest = { ...((request.body ?? {}) as TokenRequest) };
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic && !body.client_id) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    body.client_id = percentDecoded(id ?? '');
    body.client_secret = percentDecoded(secret ?? '');
  }
  return body;
}
