// The OAuth consent page of the marketplace flow: `GET /authorization` (the address an
// integrator sends a seller to, with client_id, response_type=code, redirect_uri and state)
// leads here; the seller signs in and authorizes the app to collect on their behalf, and goes
// back to the app's redirect URI with a single-use code (or error=access_denied) and the same
// state. Server-rendered, no JavaScript required, CSRF-protected, strict CSP.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import {
  authorizationRedirect,
  checkAuthorizationRequest,
  issueAuthorizationCode,
  type AuthorizationProblem,
  type CheckedAuthorization,
} from '../../modules/apps/index.ts';
import { endSession, type Session } from '../../modules/identity/index.ts';
import { consentText, type ConsentText } from './consent-text.ts';
import { html, pickLang, type Html, type Lang } from './html.ts';
import { originOf, pageCookies, pageSignIn, sendPage, signInFields } from './page-session.ts';

const hidden = { hide: true } as const;
const Field = Type.Optional(Type.String({ maxLength: 500 }));
const Query = Type.Object({ client_id: Field, redirect_uri: Field, response_type: Field, state: Field, platform_id: Field, lang: Field });
const FormBody = Type.Object({
  client_id: Field,
  redirect_uri: Field,
  response_type: Field,
  state: Field,
  csrf: Field,
  action: Field,
  login: Field,
  password: Field,
});
type Fields = Static<typeof FormBody>;

export async function consentRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const cookies = pageCookies(ctx);

  // The integrator's link: the page lives under /p/, where the pages' session cookie is sent.
  app.get('/authorization', { schema: { ...hidden, querystring: Query } }, async (request, reply) => {
    const query = new URLSearchParams(request.query as Record<string, string>).toString();
    return reply.redirect(`/p/authorization${query ? `?${query}` : ''}`, 303);
  });

  function pageUrl(fields: Fields, lang: Lang): string {
    const query = new URLSearchParams();
    for (const key of ['client_id', 'redirect_uri', 'response_type', 'state'] as const) if (fields[key] !== undefined) query.set(key, fields[key]!);
    query.set('lang', lang);
    return `/p/authorization?${query}`;
  }

  function problemPage(reply: FastifyReply, lang: Lang, problem: Exclude<AuthorizationProblem, 'unsupported_response_type'>): FastifyReply {
    const t = consentText(lang);
    const message = { unknown_client: t.unknownClient, inactive_client: t.inactiveClient, redirect_uri_mismatch: t.redirectMismatch }[problem];
    return sendPage(reply, {
      lang,
      status: 400,
      title: t.title,
      body: html`<h1>${t.title}</h1>
        <p class="error" role="alert">${message}</p>`,
    });
  }

  /** The request's fields kept in every form of the page, so each post is checked again. */
  function carried(fields: Fields, csrf: string): Html {
    return html`<input type="hidden" name="client_id" value="${fields.client_id ?? ''}" />
      <input type="hidden" name="redirect_uri" value="${fields.redirect_uri ?? ''}" />
      <input type="hidden" name="response_type" value="${fields.response_type ?? ''}" />
      ${fields.state !== undefined ? html`<input type="hidden" name="state" value="${fields.state}" />` : ''}
      <input type="hidden" name="csrf" value="${csrf}" />`;
  }

  function appHeader(checked: CheckedAuthorization): Html {
    return html`<div class="merchant"><img src="/p/apps/${checked.app.id}/logo.png" alt="" /><span>${checked.app.name}</span></div>`;
  }

  function signInPage(reply: FastifyReply, lang: Lang, fields: Fields, checked: CheckedAuthorization, status = 200, error?: string) {
    const t = consentText(lang);
    const token = cookies.issueFormToken(reply);
    return sendPage(reply, {
      lang,
      status,
      title: t.title,
      formTargets: [originOf(checked.redirectUri)],
      langHref: (other) => pageUrl(fields, other),
      body: html`${appHeader(checked)}
        <h1>${t.heading(checked.app.name)}</h1>
        <p class="note">${t.signInTitle}</p>
        ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
        <form method="post" action="${pageUrl(fields, lang)}">
          ${carried(fields, token)}
          <input type="hidden" name="action" value="signin" />
          ${signInFields(t)}
        </form>
        <form method="post" action="${pageUrl(fields, lang)}">
          ${carried(fields, token)}<button type="submit" name="action" value="deny" class="secondary">${t.deny}</button>
        </form>`,
    });
  }

  function consentPage(reply: FastifyReply, lang: Lang, fields: Fields, checked: CheckedAuthorization, session: Session) {
    const t = consentText(lang);
    return sendPage(reply, {
      lang,
      status: 200,
      title: t.title,
      formTargets: [originOf(checked.redirectUri)],
      langHref: (other) => pageUrl(fields, other),
      body: html`${appHeader(checked)}
        <h1 id="consent-heading">${t.heading(checked.app.name)}</h1>
        <p>${t.explain}</p>
        <p class="note">${t.homepage}: ${checked.app.homepage_url}</p>
        <p class="note">${t.signedInAs} <strong>${session.user.name}</strong> (${session.user.username}).</p>
        <form method="post" action="${pageUrl(fields, lang)}">
          ${carried(fields, session.csrfSecret)}
          <button type="submit" name="action" value="approve" id="approve" data-busy-text="${t.approving}">${t.approve}</button>
          <button type="submit" name="action" value="deny" id="deny" class="secondary">${t.deny}</button>
        </form>
        <form method="post" action="${pageUrl(fields, lang)}">
          ${carried(fields, session.csrfSecret)}<button type="submit" name="action" value="logout" class="secondary">${t.notYou}</button>
        </form>`,
    });
  }

  /** The request checked; a page or a redirect already sent when it cannot go on. */
  async function open(request: FastifyRequest, reply: FastifyReply, fields: Fields, lang: Lang) {
    const checked = await checkAuthorizationRequest(ctx, {
      clientId: fields.client_id,
      redirectUri: fields.redirect_uri,
      responseType: fields.response_type,
      state: fields.state,
    });
    if ('problem' in checked) {
      // Only a registered redirect URI is ever followed (otherwise: an open redirector).
      if (checked.problem === 'unsupported_response_type')
        return { sent: reply.redirect(authorizationRedirect(checked.redirectUri!, { error: checked.problem }, checked.state), 303) };
      return { sent: problemPage(reply, lang, checked.problem) };
    }
    return { checked, session: await cookies.session(request) };
  }

  app.get('/p/authorization', { schema: { ...hidden, querystring: Query } }, async (request, reply) => {
    const fields = request.query as Fields;
    const lang = pickLang(request);
    const page = await open(request, reply, fields, lang);
    if ('sent' in page) return page.sent;
    return page.session ? consentPage(reply, lang, fields, page.checked, page.session) : signInPage(reply, lang, fields, page.checked);
  });

  app.post('/p/authorization', { schema: { ...hidden, querystring: Query, body: FormBody } }, async (request, reply) => {
    const fields = (request.body ?? {}) as Fields;
    const lang = pickLang(request);
    const t: ConsentText = consentText(lang);
    const page = await open(request, reply, fields, lang);
    if ('sent' in page) return page.sent;
    const { checked, session } = page;
    if (!cookies.csrfOk(request, session, fields.csrf)) return signInPage(reply, lang, fields, checked, 403, t.csrf);
    const back = (answer: { code: string } | { error: string }) => reply.redirect(authorizationRedirect(checked.redirectUri, answer, checked.state), 303);

    switch (fields.action) {
      case 'deny':
        return back({ error: 'access_denied' });
      case 'logout':
        if (session) await endSession(ctx, session.token);
        cookies.signedOut(reply);
        return reply.redirect(pageUrl(fields, lang), 303);
      case 'signin': {
        const result = await pageSignIn(ctx, reply, fields, request.ip);
        if (result === 'too_many') return signInPage(reply, lang, fields, checked, 429, t.tooMany);
        if (result === 'bad_login') return signInPage(reply, lang, fields, checked, 401, t.badLogin);
        if (result === 'expired') return signInPage(reply, lang, fields, checked, 403, t.testUserExpired);
        if (result === 'locked') return signInPage(reply, lang, fields, checked, 403, t.accountLocked);
        // The operator collects nothing: its session is not kept here.
        if (result.user.type === 'operator') {
          await endSession(ctx, result.token);
          return signInPage(reply, lang, fields, checked, 403, t.operator);
        }
        cookies.signedIn(reply, result);
        return reply.redirect(pageUrl(fields, lang), 303);
      }
      case 'approve':
        if (!session) return reply.redirect(pageUrl(fields, lang), 303);
        return back({ code: await issueAuthorizationCode(ctx, checked, session.user.id) });
      default:
        return reply.redirect(pageUrl(fields, lang), 303);
    }
  });
}
