// What the hosted pages share (checkout and the OAuth consent page): the buyer's or seller's
// page session (its own cookie, never the console's), the sign-in form's CSRF cookie, the
// sign-in with its attempt limits, and the strict headers every page answers with.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRefused } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { randomToken } from '../../platform/secrets.ts';
import { findSession, login, SESSION_TTL_MS, type Session } from '../../modules/identity/index.ts';
import { html, layout, type Html, type Lang, type PageAssets } from './html.ts';
import type { SIGN_IN_TEXT } from './sign-in-text.ts';

const SESSION = 'pasarela_checkout';
const FORM_CSRF = 'pasarela_form';

export interface PageCookies {
  /** The signed-in session (not the operator's: pages are for buyers and sellers). */
  session(request: FastifyRequest): Promise<Session | undefined>;
  /** A fresh token for a sign-in form, set as its cookie; the form posts it back. */
  issueFormToken(reply: FastifyReply): string;
  /** Does the posted `csrf` match the session's secret or the sign-in form's cookie? */
  csrfOk(request: FastifyRequest, session: Session | undefined, posted: string | undefined): boolean;
  signedIn(reply: FastifyReply, session: Session): void;
  signedOut(reply: FastifyReply): void;
}

export function pageCookies(ctx: Ctx): PageCookies {
  const secure = ctx.config.publicUrl.startsWith('https://') ? '; Secure' : '';
  return {
    async session(request) {
      const session = await findSession(ctx, request.cookies[SESSION] ?? '');
      return session && session.user.type !== 'operator' ? session : undefined;
    },
    issueFormToken(reply) {
      const token = randomToken(18);
      reply.header('set-cookie', `${FORM_CSRF}=${token}; Path=/p/; HttpOnly; SameSite=Strict${secure}`);
      return token;
    },
    csrfOk(request, session, posted) {
      const formToken = request.cookies[FORM_CSRF] ?? '';
      return (!!session && posted === session.csrfSecret) || (!!formToken && posted === formToken);
    },
    signedIn(reply, session) {
      reply.header(
        'set-cookie',
        `${SESSION}=${encodeURIComponent(session.token)}; Path=/p/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_MS / 1000}${secure}`,
      );
    },
    signedOut(reply) {
      reply.header('set-cookie', `${SESSION}=; Path=/p/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`);
    },
  };
}

/** A sign-in from a page form: the session, or why not (a `retry-after` is set when limited). */
export async function pageSignIn(
  ctx: Ctx,
  reply: FastifyReply,
  form: { login?: string; password?: string },
  source: string,
): Promise<Session | 'bad_login' | 'too_many' | 'expired' | 'locked'> {
  try {
    return (await login(ctx, form.login ?? '', form.password ?? '', source)) ?? 'bad_login';
  } catch (error) {
    if (isRefused(error, 'too_many_attempts')) {
      if (error.refusal.code === 'too_many_attempts' && error.refusal.retryAfterSeconds) reply.header('retry-after', String(error.refusal.retryAfterSeconds));
      return 'too_many';
    }
    if (isRefused(error, 'test_user_expired')) return 'expired';
    if (isRefused(error, 'account_locked')) return 'locked';
    throw error;
  }
}

/**
 * A page with the pages' strict headers. `formTargets`: origins a form may post or redirect to
 * besides this one (browsers apply form-action to the redirect that follows a form post).
 * `assets` with a nonce: only that script runs, and it may call this origin's API (connect-src).
 */
export function sendPage(
  reply: FastifyReply,
  page: { lang: Lang; status: number; title: string; body: Html; formTargets?: readonly string[]; langHref?: (lang: Lang) => string; assets?: PageAssets },
) {
  const targets = (page.formTargets ?? []).filter(Boolean).join(' ');
  const nonce = page.assets?.nonce;
  const scripts = nonce ? `script-src 'nonce-${nonce}'; connect-src 'self'` : `script-src 'self'`;
  return reply
    .code(page.status)
    .header(
      'content-security-policy',
      `default-src 'none'; style-src 'self'; ${scripts}; img-src 'self'; form-action 'self' ${targets}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('vary', 'accept-language')
    .type('text/html; charset=utf-8')
    .send(layout(page.lang, page.title, page.body, page.langHref, page.assets));
}

/** The origin of a URL, or '' (a form-action source). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** The sign-in form's fields and button (the form and its hidden fields are the page's). */
export function signInFields(t: (typeof SIGN_IN_TEXT)['es']): Html {
  return html`<label for="login">${t.login}</label>
    <input type="text" id="login" name="login" autocomplete="username" required maxlength="100" autofocus />
    <label for="password">${t.password}</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required maxlength="200" />
    <button type="submit" data-busy-text="${t.signingIn}">${t.signIn}</button>`;
}
