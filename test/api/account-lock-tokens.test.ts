// An operator's lock reaches every bearer-token path: the account's access and refresh tokens
// are revoked with the lock, every grant (wallet and card token endpoints, a seller's consent
// code) is refused with invalid_grant, and a token of a locked account is refused even if it
// escaped the revocation. After an unlock, new tokens work; the revoked ones stay revoked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { checkAuthorizationRequest, issueAuthorizationCode, updateApp } from '../../src/modules/apps/index.ts';
import { sha256Hex } from '../../src/platform/secrets.ts';
import { http, startTestServer, type HttpAnswer, type TestServer } from '../helpers.ts';
import { clientToken, merchant, operatorSession, profile, refresh, registerPerson, type SessionAuth } from './core-fixtures.ts';

const REDIRECT = 'https://integrador.example/mp/callback';

let server: TestServer;
let operator: SessionAuth;
before(async () => {
  server = await startTestServer();
  operator = await operatorSession(server);
});
after(() => server?.close());

const lock = (userId: string) => http(server.url, 'POST', `/console/api/operator/users/${userId}/lock`, { headers: operator.headers });
const unlock = (userId: string) => http(server.url, 'POST', `/console/api/operator/users/${userId}/unlock`, { headers: operator.headers });
const cardToken = (app: { clientId: string; clientSecret: string }, body: Record<string, unknown>) =>
  http(server.url, 'POST', '/oauth/token', { json: { client_id: app.clientId, client_secret: app.clientSecret, ...body } });
const cardSearch = (token: string) => http(server.url, 'GET', '/v1/payments/search', { token });

function assertInvalidGrant(answer: HttpAnswer, what: string) {
  assert.equal(answer.status, 400, `${what}: ${answer.text}`);
  assert.equal(answer.body.error, 'invalid_grant', what);
}

test('a lock revokes the owner’s tokens and refuses every grant; an unlock lets new tokens work', async () => {
  const { user, app } = await merchant(server);
  const wallet = await clientToken(server, app);
  assert.equal(wallet.status, 200, wallet.text);
  const card = await cardToken(app, { grant_type: 'client_credentials' });
  assert.equal(card.status, 200, card.text);
  assert.equal((await profile(server, wallet.body.access_token)).status, 200);
  assert.equal((await cardSearch(card.body.access_token)).status, 200);

  assert.equal((await lock(user.id)).status, 200);

  const walletCall = await profile(server, wallet.body.access_token);
  assert.equal(walletCall.status, 401, walletCall.text);
  const cardCall = await cardSearch(card.body.access_token);
  assert.equal(cardCall.status, 401, cardCall.text);
  assert.equal(cardCall.body.status, 401, 'in the card family’s shape');
  assert.equal((await profile(server, app.accessToken)).status, 401, 'the app’s own token is refused while locked');
  const live = await server.ctx.store.db
    .selectFrom('oauth_tokens')
    .select(['kind'])
    .where('token_hash', 'in', [wallet.body.access_token, wallet.body.refresh_token, card.body.access_token, card.body.refresh_token].map(sha256Hex))
    .where('revoked_at', 'is', null)
    .execute();
  assert.deepEqual(live, [], 'the lock revoked the access and refresh tokens');

  assertInvalidGrant(await clientToken(server, app), 'urn:client_apps');
  assertInvalidGrant(
    await http(server.url, 'POST', '/oauth/v2/token', { form: { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret } }),
    'wallet client_credentials',
  );
  assertInvalidGrant(await refresh(server, app, wallet.body.refresh_token), 'wallet refresh_token');
  const cardGrant = await cardToken(app, { grant_type: 'client_credentials' });
  assertInvalidGrant(cardGrant, 'card client_credentials');
  assert.equal(cardGrant.body.status, 400, 'in the card family’s shape');
  assertInvalidGrant(await cardToken(app, { grant_type: 'refresh_token', refresh_token: card.body.refresh_token }), 'card refresh_token');

  // A token the revocation missed (issued while the lock committed) is refused by the lock itself.
  await sql`update oauth_tokens set revoked_at = null where token_hash = ${sha256Hex(card.body.access_token)}`.execute(server.ctx.store.db);
  assert.equal((await cardSearch(card.body.access_token)).status, 401, 'a locked owner’s live token is refused');

  assert.equal((await unlock(user.id)).status, 200);
  const again = await clientToken(server, app);
  assert.equal(again.status, 200, again.text);
  assert.equal((await profile(server, again.body.access_token)).status, 200);
  const cardAgain = await cardToken(app, { grant_type: 'client_credentials' });
  assert.equal(cardAgain.status, 200, cardAgain.text);
  assert.equal((await cardSearch(cardAgain.body.access_token)).status, 200);
  assert.equal((await profile(server, app.accessToken)).status, 200, 'the app’s own token is a credential: it works again');
  assert.equal((await profile(server, wallet.body.access_token)).status, 401, 'a revoked token stays revoked');
  assertInvalidGrant(await refresh(server, app, wallet.body.refresh_token), 'a revoked refresh token stays revoked');
});

test('a locked seller: its consent tokens are refused, and its code grants nothing (the code stays unused)', async () => {
  const { user, app } = await merchant(server);
  await updateApp(server.ctx, user.id, app.id, { redirectUris: [REDIRECT] });
  const seller = await registerPerson(server);
  const codeFor = async () => {
    const checked = await checkAuthorizationRequest(server.ctx, { clientId: app.clientId, redirectUri: REDIRECT, responseType: 'code', state: 'x' });
    assert.ok(!('problem' in checked));
    return issueAuthorizationCode(server.ctx, checked, seller.id);
  };
  const consent = await cardToken(app, { grant_type: 'authorization_code', code: await codeFor(), redirect_uri: REDIRECT });
  assert.equal(consent.status, 200, consent.text);
  assert.equal((await cardSearch(consent.body.access_token)).status, 200);
  const pending = await codeFor();

  assert.equal((await lock(seller.id)).status, 200);
  assert.equal((await cardSearch(consent.body.access_token)).status, 401, 'the seller’s consent token');
  assertInvalidGrant(await cardToken(app, { grant_type: 'refresh_token', refresh_token: consent.body.refresh_token }), 'the seller’s refresh token');
  assertInvalidGrant(await cardToken(app, { grant_type: 'authorization_code', code: pending, redirect_uri: REDIRECT }), 'a locked seller’s code');
  const owners = await cardToken(app, { grant_type: 'client_credentials' });
  assert.equal(owners.status, 200, 'the app’s owner is not locked');
  assert.equal((await cardSearch(owners.body.access_token)).status, 200);

  assert.equal((await unlock(seller.id)).status, 200);
  const redeemed = await cardToken(app, { grant_type: 'authorization_code', code: pending, redirect_uri: REDIRECT });
  assert.equal(redeemed.status, 200, `the refused code was not used up: ${redeemed.text}`);
  assert.equal((await cardSearch(redeemed.body.access_token)).status, 200);
});
