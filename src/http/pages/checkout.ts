// The hosted checkout of the payment button (`_links.approval_url`): the buyer signs in,
// reviews the merchant, items and total, then authorizes or cancels. Server-rendered, no
// JavaScript required, CSRF-protected, strict CSP.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts';
import { Refused } from '../../kernel/refusals.ts';
import { spanishRefusal } from '../shared/refusals.ts';
import { formatAmount, type Currency } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  approveSale,
  cancelRedirect,
  checkoutAppLogo,
  intentAppName,
  intentSummary,
  loadIntent,
  rejectIntent,
  type Intent,
} from '../../modules/wallet-intents/index.ts';
import { endSession, type Session } from '../../modules/identity/index.ts';
import { listWallets } from '../../modules/wallets/index.ts';
import { CHECKOUT_CSS, CHECKOUT_JS } from './checkout-assets.ts';
import { checkoutText, type CheckoutText } from './checkout-text.ts';
import { displayAmount, html, pickLang, type Html, type Lang } from './html.ts';
import { originOf, pageCookies, pageSignIn, sendPage, signInFields } from './page-session.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }), step: Type.Optional(Type.String({ maxLength: 10 })) });
const hidden = { hide: true } as const;

export async function checkoutRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const cookies = pageCookies(ctx);

  function send(reply: FastifyReply, lang: Lang, status: number, title: string, body: Html, intent?: Intent) {
    // The return and cancel pages are where the forms' redirects lead.
    const formTargets = intent ? [originOf(intent.row.return_url), originOf(intent.row.cancel_url)] : [];
    return sendPage(reply, { lang, status, title, body, formTargets });
  }

  function message(reply: FastifyReply, lang: Lang, status: number, text: string, intent?: Intent, back?: string) {
    const t = checkoutText(lang);
    return send(
      reply,
      lang,
      status,
      t.title,
      html`<h1>${t.title}</h1>
        <p class="error">${text}</p>
        ${back ? html`<p><a href="${back}">${t.backToMerchant}</a></p>` : ''}`,
      intent,
    );
  }

  /** A page for an intent that cannot be paid any more (or never could here). */
  function unpayable(reply: FastifyReply, lang: Lang, intent: Intent): FastifyReply | undefined {
    const t = checkoutText(lang);
    if (intent.row.intent !== 'sale') return message(reply, lang, 409, t.notSale, intent);
    const texts: Record<string, string> = { expired: t.expired, executed: t.executed, annulled: t.annulled, rejected: t.rejected };
    if (intent.state !== 'created') return message(reply, lang, 410, texts[intent.state]!, intent, cancelRedirect(intent.row));
    return undefined;
  }

  async function find(id: string): Promise<Intent | undefined> {
    try {
      return await loadIntent(ctx, id);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** The next step keeps the language the checkout settled on (asked for or the browser's). */
  function stepUrl(id: string, step: number, lang: Lang) {
    return `/p/express-checkout/${encodeURIComponent(id)}/${step}?lang=${lang}`;
  }

  async function signInPage(reply: FastifyReply, lang: Lang, intent: Intent, status = 200, error?: string) {
    const t = checkoutText(lang);
    const token = cookies.issueFormToken(reply);
    return send(
      reply,
      lang,
      status,
      t.signInTitle,
      html`${merchantHeader(intent, await appName(intent))}
        <h1>${t.signInTitle}</h1>
        <p class="note">
          ${t.total}: <strong>${displayAmount(formatAmount(intent.row.amount_minor, intent.row.currency as Currency), lang)} ${intent.row.currency}</strong>
        </p>
        ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
        <form method="post" action="${stepUrl(intent.row.id, 1, lang)}">
          <input type="hidden" name="csrf" value="${token}" />
          ${signInFields(t)}
        </form>
        <form method="post" action="${stepUrl(intent.row.id, 2, lang)}">
          <input type="hidden" name="action" value="cancel" /><input type="hidden" name="csrf" value="${token}" /><button type="submit" class="secondary">
            ${t.cancel}
          </button>
        </form>`,
      intent,
    );
  }

  function merchantHeader(intent: Intent, appName: string) {
    return html`<div class="merchant"><img src="/p/apps/${intent.row.app_id}/logo.png" alt="" /><span>${appName}</span></div>`;
  }

  function appName(intent: Intent): Promise<string> {
    return intentAppName(ctx, intent);
  }

  async function reviewPage(reply: FastifyReply, lang: Lang, intent: Intent, session: Session, error?: string) {
    const t = checkoutText(lang);
    const currency = intent.row.currency as Currency;
    const f = (minor: number) => displayAmount(formatAmount(minor, currency), lang);
    const summary = intentSummary(intent.transactions);
    const wallet = (await listWallets(ctx.store.db, session.user.id)).find((w) => w.currency === currency);
    const balance = wallet?.balanceMinor ?? 0;
    const enough = balance >= intent.row.amount_minor;
    const rows = intent.transactions.flatMap((tr) =>
      tr.items.map(
        (i) =>
          html`<tr>
            <td>${i.name}</td>
            <td class="n">${i.quantity}</td>
            <td class="n">${f(i.priceMinor)}</td>
          </tr>`,
      ),
    );
    return send(
      reply,
      lang,
      200,
      t.title,
      html`${merchantHeader(intent, await appName(intent))}
        <h1>${t.title}</h1>
        <p class="note">${intent.transactions.map((tr) => tr.description).join(' · ')}</p>
        <table>
          <tr>
            <th>${t.item}</th>
            <th class="n">${t.quantity}</th>
            <th class="n">${t.price}</th>
          </tr>
          ${rows}
          <tr>
            <td colspan="2">${t.subTotal}</td>
            <td class="n">${f(summary.itemsMinor)}</td>
          </tr>
          <tr>
            <td colspan="2">${t.tax}</td>
            <td class="n">${f(summary.taxMinor)}</td>
          </tr>
          <tr>
            <td colspan="2">${t.shipping}</td>
            <td class="n">${f(summary.shippingMinor)}</td>
          </tr>
          <tr class="total">
            <td colspan="2">${t.total}</td>
            <td class="n" id="total">${f(intent.row.amount_minor)} ${currency}</td>
          </tr>
        </table>
        <p class="note">${t.payWith} · ${t.balance}: ${f(balance)} ${currency}</p>
        <p class="note">${t.signedInAs} <strong>${session.user.name}</strong> (${session.user.username}).</p>
        ${error ? html`<p class="error" role="alert">${error}</p>` : ''} ${enough ? '' : html`<p class="error" role="alert">${t.insufficient}</p>`}
        <form method="post" action="${stepUrl(intent.row.id, 2, lang)}">
          <input type="hidden" name="csrf" value="${session.csrfSecret}" />
          ${enough ? html`<button type="submit" name="action" value="approve" id="approve" data-busy-text="${t.approving}">${t.approve}</button>` : ''}
          <button type="submit" name="action" value="cancel" id="cancel" class="secondary">${t.cancel}</button>
        </form>
        <form method="post" action="/p/express-checkout/${intent.row.id}/logout">
          <input type="hidden" name="csrf" value="${session.csrfSecret}" /><button type="submit" class="secondary">${t.notYou}</button>
        </form>`,
      intent,
    );
  }

  app.get('/p/static/checkout.css', { schema: hidden }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CHECKOUT_CSS),
  );
  app.get('/p/static/checkout.js', { schema: hidden }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CHECKOUT_JS),
  );

  app.get('/p/apps/:id/logo.png', { schema: { ...hidden, params: Type.Object({ id: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
    const logo = await checkoutAppLogo(ctx, (request.params as { id: string }).id);
    if (!logo) throw new NotFoundError('La aplicación no tiene logo.');
    return reply.type('image/png').header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(Buffer.from(logo));
  });

  /** What both methods start with: the language, a payable intent and the buyer's session. */
  async function openPage(request: FastifyRequest, reply: FastifyReply) {
    const { id, step } = request.params as { id: string; step: string };
    const lang = pickLang(request);
    const t = checkoutText(lang);
    const intent = await find(id);
    if (!intent) return { sent: message(reply, lang, 404, t.notFound) };
    const closed = unpayable(reply, lang, intent);
    if (closed) return { sent: closed };
    return { id, step, lang, t, intent, session: await cookies.session(request) };
  }

  app.get('/p/express-checkout/:id/:step', { schema: { ...hidden, params: Params } }, async (request, reply) => {
    const page = await openPage(request, reply);
    if ('sent' in page) return page.sent;
    const { id, step, lang, t, intent, session } = page;
    if (step === '1') return session ? reply.redirect(stepUrl(id, 2, lang), 303) : signInPage(reply, lang, intent);
    if (step !== '2') return message(reply, lang, 404, t.notFound);
    if (!session) return reply.redirect(stepUrl(id, 1, lang), 303);
    const refusal = payerRefusal(t, intent, session);
    if (refusal) return message(reply, lang, 403, refusal, intent, cancelRedirect(intent.row));
    return reviewPage(reply, lang, intent, session);
  });

  function payerRefusal(t: CheckoutText, intent: Intent, session: Session): string | undefined {
    if (intent.row.payer_user_id && intent.row.payer_user_id !== session.user.id) return t.otherPayer;
    if (intent.row.merchant_user_id === session.user.id) return t.ownIntent;
    return undefined;
  }

  const FormBody = Type.Object({
    csrf: Type.Optional(Type.String({ maxLength: 200 })),
    login: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 20 })),
  });

  app.post('/p/express-checkout/:id/:step', { schema: { ...hidden, params: Params, body: FormBody } }, async (request, reply) => {
    const page = await openPage(request, reply);
    if ('sent' in page) return page.sent;
    const { id, step, lang, t, intent, session } = page;
    const form = (request.body ?? {}) as { csrf?: string; login?: string; password?: string; action?: string };
    if (!cookies.csrfOk(request, session, form.csrf)) return message(reply, lang, 403, t.csrf, intent);

    if (step === 'logout') {
      if (session) await endSession(ctx, session.token);
      cookies.signedOut(reply);
      return reply.redirect(stepUrl(id, 1, lang), 303);
    }

    if (step === '1') {
      const result = await pageSignIn(ctx, reply, form, request.ip);
      if (result === 'too_many') return signInPage(reply, lang, intent, 429, t.tooMany);
      if (result === 'bad_login') return signInPage(reply, lang, intent, 401, t.badLogin);
      if (result === 'expired') return signInPage(reply, lang, intent, 403, t.testUserExpired);
      if (result === 'locked') return signInPage(reply, lang, intent, 403, t.accountLocked);
      cookies.signedIn(reply, result);
      return reply.redirect(stepUrl(id, 2, lang), 303);
    }
    if (step !== '2') return message(reply, lang, 404, t.notFound);

    if (form.action === 'cancel') {
      // Cancelling before signing in just goes back; a signed-in buyer's cancel is recorded.
      if (!session) return reply.redirect(cancelRedirect(intent.row), 303);
      try {
        const { cancelUrl } = await rejectIntent(ctx, id, session.user);
        return reply.redirect(cancelUrl, 303);
      } catch (error) {
        return conflictPage(reply, lang, error, intent);
      }
    }
    if (form.action !== 'approve' || !session) return reply.redirect(stepUrl(id, session ? 2 : 1, lang), 303);
    const refusal = payerRefusal(t, intent, session);
    if (refusal) return message(reply, lang, 403, refusal, intent, cancelRedirect(intent.row));
    try {
      const { returnUrl } = await approveSale(ctx, id, session.user);
      return reply.redirect(returnUrl, 303);
    } catch (error) {
      return conflictPage(reply, lang, error, intent);
    }
  });

  /** Expected refusals (state changed meanwhile, wrong payer) become a page; anything else is a bug. */
  function conflictPage(reply: FastifyReply, lang: Lang, error: unknown, intent: Intent) {
    if (error instanceof Refused) return message(reply, lang, 409, spanishRefusal(error.refusal).message, intent, cancelRedirect(intent.row));
    if (error instanceof ForbiddenError) return message(reply, lang, 409, error.message, intent, cancelRedirect(intent.row));
    throw error;
  }
}
