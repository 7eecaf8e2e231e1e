// Server-rendered pages: escaping, the shared layout and the two languages (Spanish first).
import type { IncomingHttpHeaders } from 'node:http';
import Negotiator from 'negotiator';
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Tagged template that escapes every interpolation unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const rendered = Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.value : escapeHtml(x))).join('') : v instanceof Html ? v.value : escapeHtml(v);
    out += rendered + strings[i + 1]!;
  });
  return new Html(out);
}

export type Lang = 'es' | 'en';

const LANGS: Lang[] = ['es', 'en'];

/**
 * The page's language: `?lang=es|en` when given (the footer's links), else the browser's
 * Accept-Language (negotiator: quality values, `es-VE` counts as `es`), else Spanish — the
 * users speak Spanish.
 */
export function pickLang(request: { query: unknown; headers: IncomingHttpHeaders }): Lang {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (asked === 'es' || asked === 'en') return asked;
  return (new Negotiator({ headers: request.headers }).language(LANGS) as Lang | undefined) ?? 'es';
}

/** A page's stylesheet and script (the checkout's unless said); `nonce`: the script's CSP nonce. */
export interface PageAssets {
  css: string;
  js: string;
  nonce?: string;
}

const CHECKOUT_ASSETS: PageAssets = { css: '/p/static/checkout.css', js: '/p/static/checkout.js' };

/** `langHref`: where the footer's language links go (by default the same page with ?lang=). */
export function layout(
  lang: Lang,
  title: string,
  body: Html,
  langHref: (lang: Lang) => string = (l) => `?lang=${l}`,
  assets: PageAssets = CHECKOUT_ASSETS,
): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Pasarela</title>
<link rel="icon" type="image/svg+xml" href="/console/favicon.svg">
<link rel="stylesheet" href="${escapeHtml(assets.css)}">
<script src="${escapeHtml(assets.js)}"${assets.nonce ? ` nonce="${escapeHtml(assets.nonce)}"` : ''} defer></script>
</head>
<body>
<main class="card">
${body.value}
</main>
<footer>Pasarela · <a href="${escapeHtml(langHref('es'))}">Español</a> · <a href="${escapeHtml(langHref('en'))}">English</a></footer>
</body>
</html>`;
}

/** "1000000.50" → "1.000.000,50" (es) or "1,000,000.50" (en): display only, from the exact string. */
export function displayAmount(exact: string, lang: Lang): string {
  const [whole, fraction] = exact.replace('-', '').split('.');
  const sign = exact.startsWith('-') ? '-' : '';
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'es' ? '.' : ',');
  return sign + grouped + (fraction === undefined ? '' : (lang === 'es' ? ',' : '.') + fraction);
}
