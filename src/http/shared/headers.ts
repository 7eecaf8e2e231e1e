// Security headers on every answer: helmet's set (nosniff, frame and referrer policies, a CSP
// that allows nothing — right for JSON; pages set their own stricter-but-working policy, see
// pages/checkout.ts), HSTS when the deployment is served over HTTPS, and `Cache-Control:
// no-store` on every JSON answer that does not choose its own caching: they are per caller, and
// several carry credentials (tokens, sessions, CSRF tokens, app keys, webhook secrets).
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from '../../platform/config.ts';

/** What a JSON answer gets when nothing else is said: nothing may be kept by any cache. */
const NO_STORE = 'no-store';

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"] },
    },
    // Sent over plain HTTP (a sandbox on localhost) HSTS means nothing; behind TLS it pins HTTPS.
    strictTransportSecurity: config.publicUrl.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (!reply.hasHeader('cache-control') && (type === '' || type.startsWith('application/json'))) reply.header('cache-control', NO_STORE);
    return payload;
  });
}
