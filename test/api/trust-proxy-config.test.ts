// TRUST_PROXY decides whose X-Forwarded-For names the client, and so what the sign-in limits
// count by. A value the proxy-address compiler cannot read ("yes", "TRUE", "10.0.0.0/33") crashed
// `pasarela start` with a stack trace from inside Fastify instead of the configuration error every
// other variable gives; "100" (meant as hops) was silently read as the address 0.0.0.100.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';
import { http, startTestServer } from '../helpers.ts';

const config = (value: string) => loadConfig({ TRUST_PROXY: value, DATA_DIR: '/tmp/unused' });

test('TRUST_PROXY: flags in any case, hop counts, and address lists; anything else is a ConfigError naming it', () => {
  assert.equal(config('').trustProxy, false);
  assert.equal(config('FALSE').trustProxy, false);
  assert.equal(config('TRUE').trustProxy, true);
  assert.equal(config(' true ').trustProxy, true);
  assert.equal(config('2').trustProxy, 2);
  assert.equal(config('100').trustProxy, 100);
  assert.deepEqual(config('loopback, 10.0.0.0/8,::1, fe80::/10, 192.168.0.0/255.255.0.0').trustProxy, [
    'loopback',
    '10.0.0.0/8',
    '::1',
    'fe80::/10',
    '192.168.0.0/255.255.0.0',
  ]);
  for (const bad of ['yes', 'on', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '10.0.0.300', 'proxy.internal', '10.0.0.0/x']) {
    assert.throws(
      () => config(bad),
      (error: unknown) => error instanceof ConfigError && error.message.includes('TRUST_PROXY'),
      bad,
    );
  }
});

test('an accepted list (named ranges, CIDR, an IPv4 netmask) starts the server', async () => {
  const server = await startTestServer({ env: { TRUST_PROXY: 'loopback, 10.0.0.0/8, 192.168.0.0/255.255.0.0' } });
  try {
    const answer = await http(server.url, 'GET', '/healthz', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(answer.status, 200);
  } finally {
    await server.close();
  }
});
