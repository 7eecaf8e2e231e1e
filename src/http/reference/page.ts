// The API reference at /docs: Scalar's page over /openapi.json, with its script served from
// here (no CDN) and a Content-Security-Policy of its own. Scalar writes one inline script (its
// configuration): it carries a nonce that is new on every answer, so scripts need no
// 'unsafe-inline'. Styles do: its components set style attributes and inject <style> elements
// without the nonce (a nonce in style-src would block them, test/e2e/api-reference.test.ts).
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import scalar from '@scalar/fastify-api-reference';

export const REFERENCE_PATH = '/docs';
/** What Scalar is told the nonce is; each answer gets a fresh one in its place. */
const NONCE_SLOT = 'pasarela-csp-nonce-slot';

export function referencePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    // "Try it out" calls this deployment only.
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export async function referenceRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    const nonce = randomBytes(16).toString('base64');
    reply.header('content-security-policy', referencePolicy(nonce));
    // Scalar's page names no language; the document is written in English.
    return payload.replaceAll(NONCE_SLOT, nonce).replace(/<html(?![^>]*\blang=)/, '<html lang="en"');
  });
  await app.register(scalar, {
    routePrefix: REFERENCE_PATH,
    // The document is /openapi.json; Scalar's own copy of it is not served.
    configuration: {
      url: '/openapi.json',
      pageTitle: 'Pasarela API reference',
      // An icon in the page itself: the browser would otherwise ask for /favicon.ico (a 404).
      favicon: 'data:,',
      nonce: NONCE_SLOT,
      // No fonts, telemetry or proxy from elsewhere: the page talks to this deployment only.
      withDefaultFonts: false,
      telemetry: false,
      hideClientButton: true,
      // Scalar's cloud services (an AI chat, an MCP generator) would send the document elsewhere.
      agent: { disabled: true },
      mcp: { disabled: true },
      defaultOpenAllTags: false,
      // Not kept in the browser: the page shares its origin with the console.
      persistAuth: false,
      // Scalar's default greys fall short of WCAG AA contrast on white (axe, e2e test).
      customCss: [
        ':root, .light-mode {',
        '--scalar-color-2: #4b5563; --scalar-color-3: #4b5563; --scalar-color-disabled: #4b5563;',
        '--scalar-color-green: #047857; --scalar-color-blue: #1d4ed8; --scalar-color-orange: #b45309;',
        '--scalar-color-red: #b91c1c; --scalar-color-purple: #6d28d9; --scalar-color-yellow: #854d0e;',
        '}',
      ].join(' '),
      forceDarkModeState: 'light',
      hideDarkModeToggle: true,
    } as never,
  });
}
