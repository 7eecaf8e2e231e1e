// The virtual terminal (sandbox): a card terminal's screen in a web page, for cashiers to try
// the Point flow without hardware. The page is a shell with one section per screen; its script
// (terminal-script.ts) drives it through the device-side API only — register and show the
// pairing code, collect the credential once linked, wait for intents, take, read a test card,
// pay, confirm the receipt — so a real terminal could do the very same. The demo's pre-linked
// terminal opens with its credential in the URL's fragment (`#credential=…`), which browsers
// never send to the server.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { TEST_CARDS } from '../../modules/cards/index.ts';
import { VIRTUAL_TERMINAL_PATH } from '../../modules/sandbox/index.ts';
import { html, pickLang, type Lang } from './html.ts';
import { sendPage } from './page-session.ts';
import { TERMINAL_CSS } from './terminal-style.ts';
import { TERMINAL_JS } from './terminal-script.ts';
import { terminalText, type TerminalText } from './terminal-text.ts';

const hidden = { hide: true } as const;
const Query = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })) });
const LOCALES: Record<Lang, string> = { es: 'es-VE', en: 'en-US' };
const BRANDS: Record<string, string> = { visa: 'Visa', master: 'Mastercard', amex: 'American Express' };

function screens(t: TerminalText, expiryYear: number) {
  const heading = (text: string, id?: string) => html`<h1 tabindex="-1" ${id ? html`id="${id}"` : ''}>${text}</h1>`;
  const cards = TEST_CARDS.map(
    (card, i) =>
      html`<label class="choice"
        ><input type="radio" name="card" value="${i}" data-number="${card.number}" data-csc="${card.securityCode}" ${i === 0 ? html`checked` : ''} />
        <span>${BRANDS[card.brand] ?? card.brand} •••• ${card.number.slice(-4)}</span></label
      >`,
  );
  const outcomes = Object.entries(t.outcomes).map(
    ([name, label], i) =>
      html`<label class="choice"
        ><input type="radio" name="cardholder" value="${name}" ${i === 0 ? html`checked` : ''} /> <span><strong>${name}</strong> · ${label}</span></label
      >`,
  );
  return html`<section data-screen="boot">
      ${heading(t.title)}
      <p>${t.connecting}</p>
    </section>
    <section data-screen="pairing" hidden>
      ${heading(t.pairingTitle)}
      <p>${t.pairingHelp}</p>
      <p class="label">${t.pairingCode}</p>
      <p class="code" id="pairing-code"></p>
      <p class="note">${t.pairingExpires} <span id="pairing-expires"></span></p>
      <p class="note">${t.pairingWaiting}</p>
    </section>
    <section data-screen="idle" hidden>
      ${heading(t.idleTitle)}
      <p>${t.idleHelp}</p>
      <dl>
        <dt>${t.device}</dt>
        <dd id="device-id"></dd>
        <dt>${t.till}</dt>
        <dd id="device-till"></dd>
      </dl>
      <p class="warning" id="standalone" hidden>${t.standalone}</p>
    </section>
    <section data-screen="intent" hidden>
      ${heading(t.intentTitle)}
      <p class="amount" data-field="amount"></p>
      <p class="description" data-field="description"></p>
      <button type="button" class="go" id="take" data-busy-text="${t.taking}">${t.take}</button>
    </section>
    <section data-screen="card" hidden>
      ${heading(t.cardTitle)}
      <p class="amount" data-field="amount"></p>
      <form id="card-form" data-expiry-year="${expiryYear}">
        <fieldset>
          <legend>${t.testCard}</legend>
          ${cards}
        </fieldset>
        <fieldset>
          <legend>${t.outcome}</legend>
          ${outcomes}
        </fieldset>
        <p class="note">${t.amountsNote}</p>
        <button type="submit" class="go" id="swipe" data-busy-text="${t.processing}">${t.swipe}</button>
      </form>
    </section>
    <section data-screen="processing" hidden>
      ${heading(t.processing)}
      <p class="amount" data-field="amount"></p>
    </section>
    <section data-screen="result" hidden>
      ${heading('', 'result-title')}
      <p class="amount" data-field="amount"></p>
      <p class="note" id="result-payment"></p>
      <button type="button" class="go" id="confirm">${t.printReceipt}</button>
      <button type="button" class="secondary" id="result-ok">${t.next}</button>
    </section>
    <section data-screen="done" hidden>
      ${heading(t.finished)}
      <p class="amount" data-field="amount"></p>
      <p>${t.finishedHelp}</p>
      <button type="button" class="secondary" id="done-ok">${t.next}</button>
    </section>
    <section data-screen="unlinked" hidden>
      ${heading(t.unlinkedTitle)}
      <p>${t.unlinkedHelp}</p>
      <button type="button" class="secondary" id="register-again">${t.registerAgain}</button>
    </section>`;
}

export async function terminalPageRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get(VIRTUAL_TERMINAL_PATH, { schema: { ...hidden, querystring: Query } }, async (request, reply) => {
    const lang = pickLang(request);
    const t = terminalText(lang);
    const nonce = randomBytes(16).toString('base64');
    // Test cards expire in the sandbox clock's future, whatever the browser's clock says.
    const expiryYear = new Date(await ctx.clock.now()).getUTCFullYear() + 3;
    return sendPage(reply, {
      lang,
      status: 200,
      title: t.title,
      assets: { css: '/p/static/terminal.css', js: '/p/static/terminal.js', nonce },
      body: html`<div
        id="vt"
        class="terminal"
        data-locale="${LOCALES[lang]}"
        data-approved="${t.approved}"
        data-rejected="${t.rejected}"
        data-reversed="${t.reversed}"
        data-pending="${t.pending}"
        data-error="${t.error}"
        data-payment="${t.payment}"
        data-canceled="${t.canceled}"
        data-offline="${t.offline}"
        data-generic-error="${t.genericError}"
      >
        <p class="top"><span>Pasarela</span> <span class="badge">${t.sandbox}</span></p>
        <p class="sr-only" id="live" role="status"></p>
        <p class="error" id="problem" role="alert" hidden></p>
        ${screens(t, expiryYear)}
      </div>`,
    });
  });

  app.get('/p/static/terminal.css', { schema: hidden }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(TERMINAL_CSS),
  );
  app.get('/p/static/terminal.js', { schema: hidden }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(TERMINAL_JS),
  );
}
