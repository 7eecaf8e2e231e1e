// The example merchant checkout (sandbox only): a shop's page that mounts the card fields of
// /js/pasarela.js with the demo app's public key, and a demo shop backend that pays with the
// token it receives. The page is written as a merchant would write it: every Pasarela file by
// its absolute URL (PUBLIC_URL), and the shop's own backend by a path on the page's origin
// (`data-pay-url`), so a merchant's server can serve this same HTML and receive the tokens
// itself (the browser test does exactly that).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ValidationError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { TEST_CARDS, brandById } from '../../modules/cards/index.ts';
import { ensureDemo } from '../../modules/sandbox/index.ts';
import { displayAmount, escapeHtml, html, pickLang, type Lang } from '../pages/html.ts';
import { loadAsset, sendAsset, VersionQuery, versionedUrl, type Asset } from './assets.ts';
import { EXAMPLE_PRODUCT, examplePayment, exampleText } from './example-text.ts';
import { SCRIPT_PATH, SCRIPT_STYLES_PATH, type CardScript } from './script-routes.ts';

export const EXAMPLE_PATH = '/examples/card-checkout';
/** The shop backend's route, on whatever origin serves the page. */
export const EXAMPLE_PAY_PATH = `${EXAMPLE_PATH}/pay`;

const PayBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 64 }), product: Type.String({ maxLength: 64 }) });

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
/** A card number as printed: 4-6-5 for 15 digits (American Express), by fours otherwise. */
const grouped = (number: string) => (number.length === 15 ? number.replace(/^(\d{4})(\d{6})/, '$1 $2 ') : number.replace(/(\d{4})(?=\d)/g, '$1 '));

interface PageFiles {
  script: Asset;
  styles: Asset;
  icon: Asset;
}

/** A tag's attributes for a file of Pasarela's, pinned: the versioned URL and its integrity. */
function pinned(attribute: 'src' | 'href', base: string, path: string, asset: Asset): string {
  return `${attribute}="${escapeHtml(base + versionedUrl(path, asset))}" integrity="${asset.integrity}" crossorigin="anonymous"`;
}

function renderPage(options: { lang: Lang; publicKey: string; base: string; files: CardScript; page: PageFiles }): string {
  const { lang, base, files, page } = options;
  const t = exampleText(lang);
  const amount = `${displayAmount(EXAMPLE_PRODUCT.amount, lang)} VES`;
  const cards = TEST_CARDS.map(
    (card) =>
      html`<tr>
        <td>${grouped(card.number)}</td>
        <td>${brandById(card.brand)?.name ?? card.brand}</td>
        <td>${card.securityCode}</td>
      </tr>`,
  );
  const body = html`<header class="shop-header">
      <span class="shop-name">${t.shop}</span>
      <span class="badge">${t.sandbox}</span>
    </header>
    <main class="shop">
      <h1>${t.title}</h1>
      <section class="panel" aria-labelledby="order-title">
        <h2 id="order-title">${t.order}</h2>
        <p class="product"><strong>${EXAMPLE_PRODUCT.name[lang]}</strong><br />${EXAMPLE_PRODUCT.description[lang]}</p>
        <p class="total"><span>${t.total}</span> <strong>${amount}</strong></p>
      </section>
      <form
        id="checkout"
        class="panel"
        aria-labelledby="pay-title"
        novalidate
        data-public-key="${options.publicKey}"
        data-locale="${lang}"
        data-pay-url="${EXAMPLE_PAY_PATH}"
        data-product="${EXAMPLE_PRODUCT.id}"
        data-text-paying="${t.paying}"
        data-text-payment-number="${t.paymentNumber}"
        data-text-failed="${t.failed}"
      >
        <h2 id="pay-title">${t.payByCard}</h2>
        <p class="note">${t.privacy}</p>
        <div id="card-fields"></div>
        <noscript><p class="note">${t.noscript}</p></noscript>
        <button type="submit" id="pay">${fill(t.pay, { amount })}</button>
        <div id="result" class="result" role="status" aria-live="polite"></div>
      </form>
      <section class="panel" aria-labelledby="cards-title">
        <h2 id="cards-title">${t.testCards}</h2>
        <p class="note">${t.testCardsNote}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">${t.cardNumber}</th>
              <th scope="col">${t.brand}</th>
              <th scope="col">${t.securityCode}</th>
            </tr>
          </thead>
          <tbody>
            ${cards}
          </tbody>
        </table>
      </section>
    </main>
    <footer>
      <nav aria-label="${t.language}"><a href="?lang=es" lang="es">Español</a> · <a href="?lang=en" lang="en">English</a></nav>
    </footer>`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)} · ${escapeHtml(t.shop)}</title>
<link rel="icon" type="image/svg+xml" href="${escapeHtml(base + versionedUrl(`${EXAMPLE_PATH}/favicon.svg`, page.icon))}">
<link rel="stylesheet" ${pinned('href', base, SCRIPT_STYLES_PATH, files.styles)}>
<link rel="stylesheet" ${pinned('href', base, `${EXAMPLE_PATH}/page.css`, page.styles)}>
<script ${pinned('src', base, SCRIPT_PATH, files.script)} defer></script>
<script ${pinned('src', base, `${EXAMPLE_PATH}/page.js`, page.script)} defer></script>
</head>
<body>
${body.value}
</body>
</html>`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

export async function cardExampleRoutes(app: FastifyInstance, ctx: Ctx, files: CardScript): Promise<void> {
  const page: PageFiles = {
    script: loadAsset('examples/card-checkout.js', 'text/javascript; charset=utf-8'),
    styles: loadAsset('examples/card-checkout.css', 'text/css; charset=utf-8'),
    icon: loadAsset('examples/favicon.svg', 'image/svg+xml'),
  };
  const schema = { hide: true, querystring: VersionQuery };
  app.get(`${EXAMPLE_PATH}/page.js`, { schema }, async (request, reply) => sendAsset(request, reply, page.script));
  app.get(`${EXAMPLE_PATH}/page.css`, { schema }, async (request, reply) => sendAsset(request, reply, page.styles));
  app.get(`${EXAMPLE_PATH}/favicon.svg`, { schema }, async (request, reply) => sendAsset(request, reply, page.icon));

  app.get(
    EXAMPLE_PATH,
    { schema: { hide: true, querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 10 })) }) } },
    async (request, reply) => {
      const lang = pickLang(request);
      const demo = await ensureDemo(ctx);
      const base = ctx.config.publicUrl.replace(/\/+$/, '');
      // PUBLIC_URL may name another origin than the one the browser used (localhost / 127.0.0.1).
      const pasarela = ["'self'", originOf(base)].filter(Boolean).join(' ');
      reply
        .type('text/html; charset=utf-8')
        .header(
          'content-security-policy',
          `default-src 'none'; script-src ${pasarela}; style-src ${pasarela}; connect-src ${pasarela}; img-src ${pasarela}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
        )
        .header('cache-control', 'no-store')
        .header('vary', 'accept-language');
      return renderPage({ lang, publicKey: demo.merchant.app.publicKey, base, files, page });
    },
  );

  // The demo shop's backend: it receives the token (never the card) and pays with the demo
  // app's access token through the public API, as a merchant's server does (here in-process).
  app.post(EXAMPLE_PAY_PATH, { schema: { hide: true, body: PayBody } }, async (request, reply) => {
    const { token, product } = request.body as Static<typeof PayBody>;
    if (product !== EXAMPLE_PRODUCT.id) throw new ValidationError([{ path: ['product'], message: 'El producto no existe.' }]);
    const demo = await ensureDemo(ctx);
    const answer = await app.inject({
      method: 'POST',
      url: '/v1/payments',
      headers: { authorization: `Bearer ${demo.merchant.app.accessToken}`, 'content-type': 'application/json', 'x-idempotency-key': `card-checkout-${token}` },
      payload: JSON.stringify(examplePayment(token)),
    });
    const payment = answer.json() as { id?: number; status?: string; status_detail?: string; message?: string };
    if (answer.statusCode !== 201) return reply.code(answer.statusCode >= 500 ? 502 : 400).send({ message: payment.message ?? 'payment failed' });
    return { id: payment.id, status: payment.status, status_detail: payment.status_detail };
  });
}
