// Console sessions in the browser: an HttpOnly, SameSite=Lax cookie (@fastify/cookie) holding
// the opaque session token, and CSRF tokens from @fastify/csrf-protection. The plugin keeps its
// per-session secret where @fastify/session would (`request.session.csrfSecret`): here that is
// the session row in the database, so every process of a deployment can check a token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import { SESSION_TTL_MS } from '../../modules/identity/index.ts';
import type { Ctx } from '../../platform/context.ts';

export const SESSION_COOKIE = 'pasarela_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function registerSessions(app: FastifyInstance): Promise<void> {
  await app.register(cookie);
  await app.register(csrfProtection, { sessionPlugin: '@fastify/session', sessionKey: 'csrfSecret', logLevel: 'info' });
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_TTL_MS / 1000 });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function sessionCookieValue(request: FastifyRequest): string {
  return request.cookies[SESSION_COOKIE] ?? '';
}

/**
 * Does this cookie-borne state change carry a valid CSRF token (`X-CSRF-Token`)? The plugin's
 * check answers a failure itself through `reply.send`; it is run here with a reply that only
 * records that answer, so the caller can refuse in the console's own error shape.
 */
export function csrfTokenValid(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  let refused = false;
  const recorder = { send: () => ((refused = true), recorder) } as unknown as FastifyReply;
  request.server.csrfProtection(request, recorder, () => {});
  return !refused;
}

/**
 * Does a request without a session come from this site's own pages? Browsers always send
 * Origin on a cross-site post; scripts send none (and are not a browser's visitor).
 */
export function isSameOrigin(ctx: Ctx, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const host = new URL(origin).host;
    return host === request.headers.host || host === new URL(ctx.config.publicUrl).host;
  } catch {
    return false; // "null" (a sandboxed frame, a file) or garbage
  }
}
