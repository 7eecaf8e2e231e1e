// The owner authorizes and removes an app's distribution accounts one at a time from the
// console API: by username, phone, identification or wallet account id; unknown accounts and
// the owner's own are refused under `account` with a rule code; duplicates change nothing;
// another merchant's app is not found; a payment intent distributing to an account is taken
// only while it is authorized. The permissions PATCH replaces the whole list by difference.
// In production the owner may once the operator grants the permission.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_MESSAGES, MAX_DISTRIBUTION_ACCOUNTS } from '../../src/modules/apps/rules.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { createApp, login, operatorSession, registerBusiness, registerPerson, type SessionAuth } from './core-fixtures.ts';
import { documentedSaleFields, multipart } from './wallet-fixtures.ts';

const path = (appId: string, accountId?: string) => `/console/api/apps/${appId}/distribution-accounts${accountId ? `/${accountId}` : ''}`;

function add(server: TestServer, session: SessionAuth, appId: string, account: unknown) {
  return http(server.url, 'POST', path(appId), { json: { account }, headers: session.headers });
}

function remove(server: TestServer, session: SessionAuth, appId: string, accountId: string) {
  return http(server.url, 'DELETE', path(appId, accountId), { headers: session.headers });
}

/** The field error under `account` and its rule code (the `pasarela-field-codes` header). */
function accountProblem(answer: { status: number; body: any; headers: Headers }) {
  assert.equal(answer.status, 400, JSON.stringify(answer.body));
  return { message: answer.body.errors.children.account.errors[0], codes: answer.headers.get('pasarela-field-codes') };
}

describe('distribution accounts (sandbox)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  test('the owner adds accounts by any reference, duplicates change nothing, unknown and own accounts are refused, removal is idempotent', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const app = await createApp(server, session);
    const [maria, jose] = [await registerPerson(server, { name: 'María Pérez' }), await registerPerson(server, { name: 'José Rodríguez' })];

    // Without the permission: refused, and nothing is stored.
    const early = await add(server, session, app.id, maria.username);
    assert.equal(accountProblem(early).message, 'La aplicación no tiene habilitada la distribución de fondos.');
    assert.equal(early.headers.get('pasarela-refusal'), 'distributions_disabled');
    const on = await http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json: { distributions: true }, headers: session.headers });
    assert.equal(on.status, 200, on.text);
    assert.deepEqual(on.body.app.distributionAccounts, []);

    const added = await add(server, session, app.id, maria.username);
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.added, true);
    assert.equal(added.body.accountId, maria.walletId);
    assert.deepEqual(added.body.app.distributionAccounts, [maria.walletId]);
    assert.deepEqual(
      added.body.app.distributionRecipients.map((r: Record<string, string>) => ({ ...r, authorizedAt: typeof r.authorizedAt })),
      [{ accountId: maria.walletId, currency: 'VES', username: maria.username, name: 'María Pérez', authorizedAt: 'string' }],
    );

    // The same person by phone, identification or account id: already there.
    for (const reference of [maria.phone, ` ${maria.identification} `, maria.walletId]) {
      const again = await add(server, session, app.id, reference);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.added, false);
      assert.deepEqual(again.body.app.distributionAccounts, [maria.walletId]);
    }
    const second = await add(server, session, app.id, jose.identification);
    assert.equal(second.status, 201, second.text);
    assert.deepEqual(
      second.body.app.distributionRecipients.map((r: { name: string }) => r.name),
      ['María Pérez', 'José Rodríguez'],
    );

    const unknown = accountProblem(await add(server, session, app.id, 'nadie-con-este-nombre'));
    assert.deepEqual(unknown, { message: APP_MESSAGES.distributionAccountUnknown.es, codes: 'account=apps.distributionAccountUnknown' });
    const own = accountProblem(await add(server, session, app.id, business.username));
    assert.deepEqual(own, { message: APP_MESSAGES.distributionAccountOwn.es, codes: 'account=apps.distributionAccountOwn' });
    const ownWallet = accountProblem(await add(server, session, app.id, business.walletId));
    assert.equal(ownWallet.codes, 'account=apps.distributionAccountOwn');
    const empty = accountProblem(await add(server, session, app.id, '   '));
    assert.deepEqual(empty, { message: APP_MESSAGES.distributionAccount.es, codes: 'account=apps.distributionAccount' });
    const missing = await http(server.url, 'POST', path(app.id), { json: {}, headers: session.headers });
    assert.equal(accountProblem(missing).codes, 'account=apps.distributionAccount');

    const removed = await remove(server, session, app.id, maria.walletId);
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.body.removed, true);
    assert.deepEqual(removed.body.app.distributionAccounts, [jose.walletId]);
    const twice = await remove(server, session, app.id, maria.walletId);
    assert.equal(twice.status, 200, twice.text);
    assert.equal(twice.body.removed, false);
    const view = await http(server.url, 'GET', `/console/api/apps/${app.id}`, { headers: session.headers });
    assert.deepEqual(view.body.app.distributionAccounts, [jose.walletId]);
  });

  test("another merchant's app is not found, and the list stays as it was; without a session nothing changes", async () => {
    const owner = await registerBusiness(server);
    const ownerSession = await login(server, owner.username);
    const app = await createApp(server, ownerSession);
    const partner = await registerPerson(server);
    await http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json: { distributions: true }, headers: ownerSession.headers });
    assert.equal((await add(server, ownerSession, app.id, partner.username)).status, 201);

    const intruder = await registerBusiness(server);
    const intruderSession = await login(server, intruder.username);
    const stranger = await registerPerson(server);
    const foreignAdd = await add(server, intruderSession, app.id, stranger.username);
    assert.equal(foreignAdd.status, 404, foreignAdd.text);
    const foreignRemove = await remove(server, intruderSession, app.id, partner.walletId);
    assert.equal(foreignRemove.status, 404, foreignRemove.text);
    const anonymous = await http(server.url, 'POST', path(app.id), { json: { account: stranger.username } });
    assert.equal(anonymous.status, 401, anonymous.text);
    const anonymousRemove = await http(server.url, 'DELETE', path(app.id, partner.walletId));
    assert.equal(anonymousRemove.status, 401, anonymousRemove.text);
    const view = await http(server.url, 'GET', `/console/api/apps/${app.id}`, { headers: ownerSession.headers });
    assert.deepEqual(view.body.app.distributionAccounts, [partner.walletId]);
  });

  test('a payment intent distributing to an account is taken while it is authorized and refused once it is removed', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const app = await createApp(server, session);
    const partner = await registerPerson(server);
    await http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json: { distributions: true }, headers: session.headers });
    const sale = () =>
      http(server.url, 'POST', '/api/payment-intent/.json', {
        token: app.accessToken,
        multipart: multipart({
          ...documentedSaleFields(),
          'paymentintent[transactions][0][distributions][0][digitalAccountDestination]': partner.phone,
          'paymentintent[transactions][0][distributions][0][amount]': '2.50',
          'paymentintent[transactions][0][distributions][0][description]': 'comisión',
        }),
      });
    assert.equal((await sale()).status, 400);
    assert.equal((await add(server, session, app.id, partner.username)).status, 201);
    const taken = await sale();
    assert.equal(taken.status, 200, taken.text);
    assert.equal((await remove(server, session, app.id, partner.walletId)).status, 200);
    const refused = await sale();
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.headers.get('pasarela-refusal'), 'distribution_unauthorized');
  });

  test('the permissions PATCH replaces the list by difference: kept accounts keep their authorization time and place', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const app = await createApp(server, session);
    const [maria, jose, ana] = [await registerPerson(server), await registerPerson(server), await registerPerson(server)];
    const patch = (json: Record<string, unknown>) => http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json, headers: session.headers });
    assert.equal((await patch({ distributions: true })).status, 200);
    const first = await add(server, session, app.id, maria.username);
    assert.equal(first.status, 201, first.text);
    const mariaSince = first.body.app.distributionRecipients[0].authorizedAt;
    const later = async () => new Promise((resolve) => setTimeout(resolve, 5));
    await later();

    // jose before maria in the body: the list still starts with maria, authorized first.
    const grown = await patch({ distributionAccounts: [jose.username, maria.walletId] });
    assert.equal(grown.status, 200, grown.text);
    assert.deepEqual(grown.body.app.distributionAccounts, [maria.walletId, jose.walletId]);
    const since = (answer: { body: any }) =>
      Object.fromEntries(answer.body.app.distributionRecipients.map((r: { accountId: string; authorizedAt: string }) => [r.accountId, r.authorizedAt]));
    assert.equal(since(grown)[maria.walletId], mariaSince);
    assert.ok(since(grown)[jose.walletId] > mariaSince);
    await later();

    const swapped = await patch({ distributionAccounts: [ana.phone, jose.walletId] });
    assert.equal(swapped.status, 200, swapped.text);
    assert.deepEqual(swapped.body.app.distributionAccounts, [jose.walletId, ana.walletId]);
    assert.equal(since(swapped)[jose.walletId], since(grown)[jose.walletId]);
    assert.deepEqual((await patch({ distributionAccounts: [] })).body.app.distributionAccounts, []);
  });

  test('the permissions PATCH answers an unknown account and the owner’s own as field errors under their place in the list, changing nothing', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const app = await createApp(server, session);
    const partner = await registerPerson(server);
    const patch = (json: Record<string, unknown>) => http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json, headers: session.headers });
    assert.equal((await patch({ distributions: true, distributionAccounts: [partner.username] })).status, 200);

    const unknown = await patch({ distributionAccounts: [partner.username, 'nadie-con-este-nombre'] });
    assert.equal(unknown.status, 400, unknown.text);
    assert.equal(unknown.headers.get('pasarela-refusal'), null);
    assert.equal(unknown.headers.get('pasarela-field-codes'), 'distributionAccounts.1=apps.distributionAccountUnknown');
    assert.deepEqual(unknown.body.errors.children.distributionAccounts.children['1'].errors, [APP_MESSAGES.distributionAccountUnknown.es]);
    const own = await patch({ distributionAccounts: [business.username] });
    assert.equal(own.status, 400, own.text);
    assert.equal(own.headers.get('pasarela-field-codes'), 'distributionAccounts.0=apps.distributionAccountOwn');
    const tooMany = await patch({ distributionAccounts: Array.from({ length: MAX_DISTRIBUTION_ACCOUNTS + 1 }, () => partner.username) });
    assert.equal(tooMany.status, 400, tooMany.text);
    const view = await http(server.url, 'GET', `/console/api/apps/${app.id}`, { headers: session.headers });
    assert.deepEqual(view.body.app.distributionAccounts, [partner.walletId]);
  });

  test(`an app keeps at most ${MAX_DISTRIBUTION_ACCOUNTS} distribution accounts`, async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const app = await createApp(server, session);
    await http(server.url, 'PATCH', `/console/api/apps/${app.id}/permissions`, { json: { distributions: true }, headers: session.headers });
    // The list filled directly (registering 50 people over HTTP would only slow the test down).
    const db = server.ctx.store.db;
    const holder = await registerPerson(server);
    const now = Date.now();
    const fake = Array.from({ length: MAX_DISTRIBUTION_ACCOUNTS - 1 }, (_, i) => `test-account-${app.id}-${i}`);
    await db
      .insertInto('accounts')
      .values(
        fake.map((id, i) => ({
          id,
          key: `test:${id}`,
          kind: 'wallet' as const,
          owner_user_id: holder.id,
          system_code: null,
          currency: `X${String(i).padStart(2, '0')}`,
          balance_minor: 0,
          held_minor: 0,
          created_at: now,
        })),
      )
      .execute();
    await db
      .insertInto('app_distribution_accounts')
      .values([...fake, holder.walletId].map((account_id) => ({ app_id: app.id, account_id, created_at: now })))
      .execute();
    const partner = await registerPerson(server);
    const full = accountProblem(await add(server, session, app.id, partner.username));
    assert.deepEqual(full, { message: APP_MESSAGES.distributionAccountsFull.es, codes: 'account=apps.distributionAccountsFull' });
    // One already listed adds nothing, so a full list does not refuse it.
    const listed = await add(server, session, app.id, holder.username);
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.body.added, false);
    assert.equal((await remove(server, session, app.id, fake[0]!)).status, 200);
    assert.equal((await add(server, session, app.id, partner.username)).status, 201);
  });
});

describe('distribution accounts (production)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { PASARELA_ENV: 'production' } });
  });
  after(async () => server.close());

  test('the owner manages them once the operator grants the distributions permission', async () => {
    const business = await registerBusiness(server);
    const session = await login(server, business.username);
    const app = await createApp(server, session);
    const partner = await registerPerson(server);
    const early = await add(server, session, app.id, partner.username);
    assert.equal(early.headers.get('pasarela-refusal'), 'distributions_disabled', early.text);
    const operator = await operatorSession(server);
    const granted = await http(server.url, 'PATCH', `/console/api/operator/apps/${app.id}/permissions`, {
      json: { distributions: true },
      headers: operator.headers,
    });
    assert.equal(granted.status, 200, granted.text);
    const added = await add(server, session, app.id, partner.username);
    assert.equal(added.status, 201, added.text);
    assert.deepEqual(added.body.app.distributionAccounts, [partner.walletId]);
    assert.equal((await remove(server, session, app.id, partner.walletId)).body.removed, true);
  });
});
