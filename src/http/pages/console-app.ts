// The web console (console/, a React single-page app) served under /console/. Its build,
// console/dist, is made by `npm ci` (the prepare script) or `npm run build:console`; the hashed
// assets are cached for good, index.html never, and every other path under /console/ (a page of
// the app) answers index.html so a reload or a shared link opens the right page.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { html, layout } from './html.ts';

export const CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/** The console's own policy: its scripts and styles are files; logos preview from blob: URLs. */
const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(reply: FastifyReply): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('content-security-policy', CONSOLE_CSP).header('cache-control', 'no-cache');
}

export async function consoleAppRoutes(app: FastifyInstance): Promise<void> {
  const built = existsSync(`${CONSOLE_DIST}index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root: CONSOLE_DIST,
      prefix: '/console/',
      wildcard: false,
      index: false,
      schemaHide: true,
      cacheControl: false,
      // Vite names every asset by its content hash, so a cached copy is never stale.
      setHeaders: (res, path) => res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  const shell = async (request: { url: string }, reply: FastifyReply) => {
    if (request.url.startsWith('/console/api/')) return reply.callNotFound();
    if (!built) {
      return page(reply.code(503)).send(
        layout(
          'es',
          'Consola',
          html`<h1>La consola no está construida</h1>
            <p>Ejecute <code>npm run build:console</code> (lo hace <code>npm ci</code>) y recargue.</p>`,
        ),
      );
    }
    return page(reply).sendFile('index.html');
  };
  app.get('/console', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/', 302));
  app.get('/console/', { schema: { hide: true } }, shell);
  app.get('/console/*', { schema: { hide: true }, config: { spaFallback: true } }, shell);
}
