// The security headers every answer carries (src/http/shared/headers.ts), worked out once from
// helmet's options: the whole set over plain HTTP and behind HTTPS (HSTS only there), on the
// raw response so answers written by hand (an event stream) carry them too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import type { Config } from '../../src/platform/config.ts';
import { registerSecurityHeaders } from '../../src/http/shared/headers.ts';

const EXPECTED = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

async function headersFor(publicUrl: string) {
  const app = Fastify();
  await registerSecurityHeaders(app, { publicUrl } as Config);
  app.get('/json', async () => ({ ok: true }));
  app.get('/page', async (_request, reply) => reply.header('content-security-policy', "default-src 'self'").type('text/html').send('<p>hi</p>'));
  app.get('/raw', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.end('data: 1\n\n');
  });
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).headers;
  try {
    return { json: await get('/json'), page: await get('/page'), raw: await get('/raw'), missing: await get('/nope') };
  } finally {
    await app.close();
  }
}

test('over plain HTTP: helmet’s set, no HSTS, no-store on JSON, on every kind of answer', async () => {
  const h = await headersFor('http://localhost:3000');
  for (const [name, value] of Object.entries(EXPECTED)) {
    assert.equal(h.json[name], value, `json ${name}`);
    assert.equal(h.raw[name], value, `hand-written answer ${name}`);
    assert.equal(h.missing[name], value, `404 ${name}`);
  }
  assert.equal(h.json['strict-transport-security'], undefined);
  assert.equal(h.json['cache-control'], 'no-store');
  assert.equal(h.page['content-security-policy'], "default-src 'self'", 'a page’s own policy wins');
  assert.equal(h.page['x-frame-options'], 'DENY');
});

test('behind HTTPS: HSTS for a year, subdomains included', async () => {
  const h = await headersFor('https://pagos.example.com');
  assert.equal(h.json['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  assert.equal(h.json['x-content-type-options'], 'nosniff');
});
