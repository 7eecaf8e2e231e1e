// Security headers on every answer: helmet's set (nosniff, frame and referrer policies, a CSP
// that allows nothing — right for JSON; pages set their own stricter-but-working policy, see
// pages/checkout.ts), HSTS when the deployment is served over HTTPS, and `Cache-Control:
// no-store` on every JSON answer that does not choose its own caching: they are per caller, and
// several carry credentials (tokens, sessions, CSRF tokens, app keys, webhook secrets).
//
// helmet's values depend only on its options, so they are worked out once at start and copied
// onto each answer. @fastify/helmet ran helmet's middleware on every request: 3.5 % of the
// server's CPU in a sale, for the same dozen strings each time.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../../platform/config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** helmet's headers for this deployment, for answers made before any hook runs (a URL that does not parse). */
    securityHeaders: Readonly<Record<string, string>>;
  }
}

/** What a JSON answer gets when nothing else is said: nothing may be kept by any cache. */
const NO_STORE = 'no-store';

/** The headers helmet's middleware sets with these options, captured from one run of it. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => (failure = error));
  if (failure) throw failure;
  return headers;
}

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"] },
    },
    // Sent over plain HTTP (a sandbox on localhost) HSTS means nothing; behind TLS it pins HTTPS.
    strictTransportSecurity: config.publicUrl.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.decorate('securityHeaders', headers);
  const entries = Object.entries(headers);
  // On the raw response, as helmet's middleware did: answers that write the response themselves
  // (the event stream) get them too, and a route's own value (a page's CSP) still wins.
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of entries) reply.raw.setHeader(name, value);
    done();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (!reply.hasHeader('cache-control') && (type === '' || type.startsWith('application/json'))) reply.header('cache-control', NO_STORE);
    return payload;
  });
}
