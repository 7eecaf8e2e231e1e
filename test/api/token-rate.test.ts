// Token issuance is limited per client (TOKEN_RATE_LIMIT per TOKEN_RATE_WINDOW_SECONDS): past
// the limit a 429 in the OAuth error shape with Retry-After; other clients are not affected;
// the count lives in the database, so two server processes on one database share it, and
// parallel requests cannot exceed it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, spawnCli, untilReady } from '../cli.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { walletWorld, type WalletWorld } from './wallet-fixtures.ts';
import { createMerchant } from '../webhook-fixtures.ts';
import { revealCredentials } from '../../src/modules/apps/service.ts';

const LIMIT = 5;
let server: TestServer;
let w: WalletWorld;
before(async () => {
  server = await startTestServer({ env: { TOKEN_RATE_LIMIT: String(LIMIT), TOKEN_RATE_WINDOW_SECONDS: '60' } });
  w = await walletWorld(server);
});
after(async () => server?.close());

const token = (url: string, clientId: string, clientSecret: string) =>
  http(url, 'POST', '/oauth/v2/token', { form: { grant_type: 'urn:client_apps', client_id: clientId, client_secret: clientSecret } });

test('past the limit a client gets 429 with Retry-After; another client does not; the next window is open', async () => {
  // A fresh window, so the test does not straddle a boundary.
  const now = await server.ctx.clock.now();
  await server.ctx.clock.advance(Math.ceil((60_000 - (now % 60_000)) / 1000) + 1);
  const { clientId, clientSecret } = w.demo.merchant.app;
  for (let i = 0; i < LIMIT; i++) assert.equal((await token(server.url, clientId, clientSecret)).status, 200, `token ${i + 1}`);
  const refused = await token(server.url, clientId, clientSecret);
  assert.equal(refused.status, 429, refused.text);
  assert.equal(refused.body.error, 'temporarily_unavailable');
  assert.match(refused.body.error_description, /Demasiadas solicitudes de token/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${refused.headers.get('retry-after')}`);
  assert.equal(refused.headers.get('cache-control'), 'no-store');
  const other = revealCredentials(server.ctx, (await createMerchant(server.ctx)).app);
  assert.equal((await token(server.url, other.clientId, other.clientSecret)).status, 200, 'another client is not limited');
  // Wrong secrets are not counted against the app (nor stored: the key is the app, not the caller's text).
  assert.equal((await token(server.url, clientId, 'wrong')).status, 401);
  await server.ctx.clock.advance(retryAfter);
  assert.equal((await token(server.url, clientId, clientSecret)).status, 200, 'after Retry-After');
  const rows = await server.ctx.store.db.selectFrom('rate_limits').select('key').execute();
  assert.ok(rows.length <= 2, JSON.stringify(rows));
});

test('parallel requests cannot exceed the limit, and two processes on one database share it', async () => {
  const now = await server.ctx.clock.now();
  await server.ctx.clock.advance(Math.ceil((60_000 - (now % 60_000)) / 1000) + 1);
  // A second server process on the same database, as behind a load balancer.
  const port = await freePort();
  const secondUrl = `http://127.0.0.1:${port}`;
  const second = spawnCli(['start'], { ...server.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: secondUrl });
  try {
    await untilReady(second, secondUrl);
    const { clientId, clientSecret } = w.demo.merchant.app;
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => token(i % 2 ? secondUrl : server.url, clientId, clientSecret)));
    const statuses = answers.map((a) => a.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, LIMIT, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 429).length, 16 - LIMIT);
  } finally {
    await second.stop();
  }
});

test('TOKEN_RATE_LIMIT=0 lifts the limit (the bench does)', async () => {
  const open = await startTestServer({ env: { TOKEN_RATE_LIMIT: '0' } });
  try {
    const demo = await walletWorld(open);
    const { clientId, clientSecret } = demo.demo.merchant.app;
    for (let i = 0; i < 12; i++) assert.equal((await token(open.url, clientId, clientSecret)).status, 200);
    assert.equal(open.config.tokenRateLimit.max, 0);
  } finally {
    await open.close();
  }
});
