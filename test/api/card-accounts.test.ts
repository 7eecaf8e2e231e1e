// The card family's account calls against a real server: test users (site and currency, at
// most 10 alive, expiry after 60 idle days on the deployment clock, never paying real users:
// cause 145) and POST /oauth/token (client_credentials, refresh_token, authorization_code with
// its single use, ten minutes and exact redirect URI), answered in the family's shapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CardToken, MercadoPagoConfig, OAuth, User } from 'mercadopago';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { checkAuthorizationRequest, getApp, issueAuthorizationCode, updateApp } from '../../src/modules/apps/index.ts';
import { findAppByClientIdWithoutLogo } from '../../src/modules/apps/repo.ts';
import { findUserByUsername, setPin } from '../../src/modules/identity/index.ts';
import { isRefused } from '../../src/kernel/refusals.ts';
import { listWallets, sendMoney } from '../../src/modules/wallets/index.ts';
import { verifyLedger } from '../../src/modules/ledger/index.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { approve, createSale } from './wallet-fixtures.ts';
import { merchant } from './core-fixtures.ts';

const require = createRequire(import.meta.url);
const { AppConfig } = require('mercadopago/dist/utils/config') as { AppConfig: { BASE_URL: string; DEFAULT_RETRIES: number } };

const REDIRECT = 'https://integrador.example/mp/callback?shop=7';
const CARD = { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123' };

let server: TestServer;
let demo: DemoDocument;
let bearer: Record<string, string>;

before(async () => {
  server = await startTestServer();
  demo = await ensureDemo(server.ctx);
  bearer = { authorization: `Bearer ${demo.merchant.app.accessToken}` };
  AppConfig.BASE_URL = server.url;
  AppConfig.DEFAULT_RETRIES = 0;
  const merchant = await findUserByUsername(server.ctx.store.db, demo.merchant.username);
  const app = await getApp(server.ctx.store.db, (await appOf(demo.merchant.app.clientId)).id);
  await updateApp(server.ctx, merchant!.id, app.id, { redirectUris: [REDIRECT] });
});
after(() => server?.close());

async function appOf(clientId: string) {
  return (await findAppByClientIdWithoutLogo(server.ctx.store.db, clientId))!;
}

async function createTestUser(site = 'MLV', headers = bearer) {
  return http(server.url, 'POST', '/users/test_user', { json: { site_id: site }, headers });
}

/** A code as the consent page issues it, for the seller named (the page itself: e2e/card-consent). */
async function codeFor(sellerId: string, redirectUri = REDIRECT): Promise<string> {
  const checked = await checkAuthorizationRequest(server.ctx, { clientId: demo.merchant.app.clientId, redirectUri, responseType: 'code', state: 'x' });
  assert.ok(!('problem' in checked));
  return issueAuthorizationCode(server.ctx, checked, sellerId);
}

/** A card payment of 50 made with this access token, naming `email` as the payer. */
async function cardPayment(accessToken: string, email: string) {
  const card = await new CardToken(new MercadoPagoConfig({ accessToken: demo.merchant.app.accessToken })).create({
    body: { ...CARD, cardholder: { name: 'APRO', identification: { type: 'V', number: '12345678' } } } as never,
  });
  return http(server.url, 'POST', '/v1/payments', {
    json: { transaction_amount: 50, token: card.id, description: 'Prueba', installments: 1, payer: { email } },
    headers: { authorization: `Bearer ${accessToken}` },
  });
}

const tokenRequest = (body: Record<string, unknown>) =>
  http(server.url, 'POST', '/oauth/token', { json: { client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret, ...body } });

test('a test user per site: its currency, its credentials, and /users/me of its own site', async () => {
  const made = await createTestUser('MLA');
  assert.equal(made.status, 201);
  assert.match(made.body.nickname, /^test_user_\d{10}$/);
  assert.equal(made.body.site_status, 'active');
  assert.match(made.body.email, /@testuser\.com$/);
  assert.ok(made.body.password.length >= 8);
  const wallets = await listWallets(server.ctx.store.db, made.body.id);
  assert.ok(wallets.some((w) => w.currency === 'ARS'));
  // It signs in with what it was given (the console's session API).
  const session = await http(server.url, 'POST', '/console/api/session', { json: { login: made.body.nickname, password: made.body.password } });
  assert.equal(session.status, 200, JSON.stringify(session.body));

  const bad = await createTestUser('XXX');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.status, 400);
  assert.match(bad.body.cause[0].description, /site_id/);
  const anonymous = await http(server.url, 'POST', '/users/test_user', { json: { site_id: 'MLA' } });
  assert.equal(anonymous.status, 401);
});

test('at most 10 alive per account; one idle 60 days expires, stops counting, cannot sign in nor pay', async () => {
  // An account of its own (the demo merchant's count is shared with the other tests), with its app's token.
  const business = await merchant(server);
  const bearerOf = async () => {
    const pair = await http(server.url, 'POST', '/oauth/token', {
      json: { grant_type: 'client_credentials', client_id: business.app.clientId, client_secret: business.app.clientSecret },
    });
    assert.equal(pair.status, 200, pair.text);
    return { authorization: `Bearer ${pair.body.access_token}` };
  };
  const ownerBearer = await bearerOf();
  const sessionOf = async (login: string, password: string) => http(server.url, 'POST', '/console/api/session', { json: { login, password } });
  const made = [];
  for (let i = 0; i < 10; i++) {
    const answer = await createTestUser('MLB', ownerBearer);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    made.push(answer.body);
  }
  const eleventh = await createTestUser('MLB', ownerBearer);
  assert.equal(eleventh.status, 400);
  assert.equal(eleventh.body.cause[0].code, 'test_users_limit');

  // Nine of them are used now; one is left idle.
  await server.ctx.clock.advance(59 * 24 * 3600);
  for (const user of made.slice(1)) assert.equal((await sessionOf(user.nickname, user.password)).status, 200);
  await server.ctx.clock.advance(2 * 24 * 3600);
  const expired = await sessionOf(made[0].nickname, made[0].password);
  assert.equal(expired.status, 403, JSON.stringify(expired.body));
  // Paying does not bring it back either: a payment naming it is refused, and it stays expired.
  const seller = (await createTestUser('MLV')).body;
  const sellerPair = await tokenRequest({ grant_type: 'authorization_code', code: await codeFor(seller.id), redirect_uri: REDIRECT });
  const paid = await cardPayment(sellerPair.body.access_token, made[0].email);
  assert.equal(paid.status, 403, paid.text);
  assert.equal((await sessionOf(made[0].nickname, made[0].password)).status, 403);
  const newBearer = await bearerOf();
  assert.equal((await createTestUser('MLB', newBearer)).status, 201, 'the expired one no longer counts');
  assert.equal((await createTestUser('MLB', newBearer)).status, 400, 'ten alive again');
});

test('a seller’s consent token collects card payments only: not the wallet API, payouts or test users', async () => {
  const seller = (await createTestUser('MLV')).body;
  const pair = await tokenRequest({ grant_type: 'authorization_code', code: await codeFor(seller.id), redirect_uri: REDIRECT });
  const headers = { authorization: `Bearer ${pair.body.access_token}` };
  assert.equal((await http(server.url, 'GET', '/users/me', { headers })).status, 200);
  for (const [method, path] of [
    ['GET', '/api/user/profile.json'],
    ['POST', '/api/payment-intent/.json'],
    ['POST', '/api/multipayment/register-item.json'],
    ['POST', '/users/test_user'],
  ] as const) {
    const answer = await http(server.url, method, path, { headers, ...(method === 'POST' ? { json: { site_id: 'MLV' } } : {}) });
    assert.equal(answer.status, 403, `${method} ${path}: ${answer.text}`);
  }
});

test('test users and real users never pay each other (cause 145); two test users do', async () => {
  const seller = (await createTestUser('MLV')).body;
  const buyer = (await createTestUser('MLV')).body;
  const pay = cardPayment;
  // A real seller (the demo merchant), a test buyer.
  const realToTest = await pay(demo.merchant.app.accessToken, buyer.email);
  assert.equal(realToTest.status, 400);
  assert.equal(realToTest.body.cause[0].code, 145);
  // A test seller (through the marketplace flow), a real buyer, then a test buyer.
  const pair = await tokenRequest({ grant_type: 'authorization_code', code: await codeFor(seller.id), redirect_uri: REDIRECT });
  const testToReal = await pay(pair.body.access_token, 'someone@example.com');
  assert.equal(testToReal.status, 400);
  assert.equal(testToReal.body.cause[0].code, 145);
  const shouting = await pay(demo.merchant.app.accessToken, ` ${buyer.email.toUpperCase()}`);
  assert.equal(shouting.body.cause?.[0]?.code, 145, 'the email is matched however it is typed');
  const testToTest = await pay(pair.body.access_token, buyer.email);
  assert.equal(testToTest.status, 201, JSON.stringify(testToTest.body));
  assert.equal(testToTest.body.status, 'approved');
  const balance = (await listWallets(server.ctx.store.db, seller.id)).find((w) => w.currency === 'VES')!;
  assert.ok(balance.balanceMinor > 0 && balance.balanceMinor <= 5000, 'collected by the test seller, less the fee');
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('the wallet family keeps them apart too: a test user cannot pay a real merchant’s intent', async () => {
  const buyer = (await createTestUser('MLV')).body;
  const w = { server, demo, token: demo.merchant.app.accessToken };
  const sale = await createSale(w);
  const approved = await approve(w, sale.id, buyer.nickname);
  assert.equal(approved.status, 400, approved.text);
  assert.match(approved.text, /Un usuario de prueba y un usuario real no pueden pagarse entre sí/);
  // Nor may a real buyer pay a sale whose money goes to a test user's wallet.
  const toTestUser = await createSale(w, { 'paymentintent[transactions][0][digitalAccountDestination]': buyer.nickname });
  const refused = await approve(w, toTestUser.id, demo.buyers[1]!.username);
  assert.equal(refused.status, 400, refused.text);
  assert.match(refused.text, /Un usuario de prueba y un usuario real/);
  // A demo buyer (a real person of the sandbox, not a test user) still pays it.
  assert.equal((await approve(w, sale.id, demo.buyers[0]!.username)).status, 200);
  // Nor send it money from the wallet.
  await setPin(server.ctx, buyer.id, buyer.password, '4321');
  await assert.rejects(
    sendMoney(server.ctx, buyer.id, { to: demo.buyers[0]!.username, amountMinor: 100, currency: 'VES', pin: '4321', description: 'x' }),
    (error) => isRefused(error, 'test_and_real_users'),
  );
});

test('client_credentials and refresh_token answer the seller, the public key and live_mode', async () => {
  const first = await tokenRequest({ grant_type: 'client_credentials' });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.token_type, 'bearer');
  assert.equal(first.body.public_key, demo.merchant.app.publicKey);
  assert.equal(first.body.live_mode, false);
  const merchant = await findUserByUsername(server.ctx.store.db, demo.merchant.username);
  assert.equal(first.body.user_id, merchant!.id);
  assert.equal(first.headers.get('cache-control'), 'no-store');
  const me = await new User(new MercadoPagoConfig({ accessToken: first.body.access_token })).get();
  assert.equal(me.nickname, demo.merchant.username);

  const refreshed = await new OAuth(new MercadoPagoConfig({ accessToken: first.body.access_token })).refresh({
    body: { client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret, refresh_token: first.body.refresh_token },
  });
  assert.ok(refreshed.access_token && refreshed.access_token !== first.body.access_token);
  assert.equal(refreshed.user_id as unknown, merchant!.id);

  // The wallet family's password grant is not this endpoint's.
  const password = await tokenRequest({ grant_type: 'password', username: demo.merchant.username, password: demo.merchant.password });
  assert.equal(password.status, 400);
  assert.equal(password.body.error, 'unsupported_grant_type');
  const wrongSecret = await tokenRequest({ grant_type: 'client_credentials', client_secret: 'nope' });
  assert.equal(wrongSecret.status, 401);
  assert.deepEqual(Object.keys(wrongSecret.body).sort(), ['cause', 'error', 'message', 'status']);
  assert.equal(wrongSecret.body.error, 'invalid_client');
});

test('authorization_code: the SDK exchanges it once, at the registered redirect URI, within ten minutes', async () => {
  const seller = (await createTestUser('MLV')).body;
  const oauth = new OAuth(new MercadoPagoConfig({ accessToken: demo.merchant.app.accessToken }));
  const exchange = (code: string, redirectUri = REDIRECT) =>
    oauth.create({ body: { client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret, code, redirect_uri: redirectUri } });

  const code = await codeFor(seller.id);
  const pair = await exchange(code);
  assert.equal(pair.user_id as unknown, seller.id);
  assert.equal(pair.public_key, demo.merchant.app.publicKey);
  const me = await new User(new MercadoPagoConfig({ accessToken: pair.access_token! })).get();
  assert.equal(me.nickname, seller.nickname);
  assert.equal(me.site_id, 'MLV');

  const reused = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  assert.equal(reused.status, 400);
  assert.equal(reused.body.error, 'invalid_grant');
  // A code presented twice may have been stolen: what its first exchange issued is revoked.
  assert.equal((await http(server.url, 'GET', '/users/me', { token: pair.access_token! })).status, 401);
  const refreshAfter = await tokenRequest({ grant_type: 'refresh_token', refresh_token: pair.refresh_token });
  assert.equal(refreshAfter.body.error, 'invalid_grant');

  const other = await codeFor(seller.id);
  const mismatch = await tokenRequest({ grant_type: 'authorization_code', code: other, redirect_uri: `${REDIRECT}&x=1` });
  assert.equal(mismatch.body.error, 'invalid_grant');

  const late = await codeFor(seller.id);
  await server.ctx.clock.advance(10 * 60 + 1);
  const expired = await tokenRequest({ grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT });
  assert.equal(expired.status, 400);
  assert.equal(expired.body.error, 'invalid_grant');

  const missing = await tokenRequest({ grant_type: 'authorization_code', redirect_uri: REDIRECT });
  assert.equal(missing.body.error, 'invalid_request');
  const malformed = await tokenRequest({ grant_type: 'authorization_code', code: { nested: true }, redirect_uri: REDIRECT });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error, 'invalid_request');

  // Ten concurrent exchanges of one code: exactly one pair (then revoked by the others, as a reuse).
  const once = await codeFor(seller.id);
  const answers = await Promise.all(Array.from({ length: 10 }, () => tokenRequest({ grant_type: 'authorization_code', code: once, redirect_uri: REDIRECT })));
  assert.equal(answers.filter((a) => a.status === 200).length, 1);
  assert.ok(answers.every((a) => a.status === 200 || a.body.error === 'invalid_grant'));
});

test('redirect URIs are checked when registered: absolute http(s), no fragment, at most 10', async () => {
  const merchant = await findUserByUsername(server.ctx.store.db, demo.merchant.username);
  const app = await appOf(demo.merchant.app.clientId);
  for (const bad of [['javascript:alert(1)'], ['https://x.example/#frag'], ['/relative'], Array.from({ length: 11 }, (_, i) => `https://x.example/${i}`)]) {
    await assert.rejects(updateApp(server.ctx, merchant!.id, app.id, { redirectUris: bad }), /redirección/);
  }
  const view = await http(server.url, 'PATCH', `/console/api/apps/${app.id}`, { json: { redirectUris: 'ftp://x' } });
  assert.ok(view.status === 401 || view.status === 403 || view.status === 400);
});
