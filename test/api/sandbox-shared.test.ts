// A shared sandbox: a merchant's token acts as a buyer only for test users (the demo buyers)
// and funds only test users' wallets or its own; a real person is refused with a clear 403.
// Moving the deployment clock takes the operator unless the deployment lets apps do it
// (SANDBOX_CLOCK_FOR_APPS, on by default).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../src/platform/config.ts';
import { http, startTestServer } from '../helpers.ts';
import { login, merchant, operatorSession, registerPerson } from './core-fixtures.ts';
import { balanceOf, createSale, documentedSaleFields, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

const REFUSED = /solo operan con usuarios de prueba/;

function assertRefused(answer: { status: number; body: any; text: string }, what: string) {
  assert.equal(answer.status, 403, `${what}: ${answer.text}`);
  assert.deepEqual(Object.keys(answer.body).sort(), ['code', 'message'], what);
  assert.equal(answer.body.code, 403);
  assert.match(answer.body.message, REFUSED, what);
}

describe('sandbox helpers act only for test users', () => {
  let w: WalletWorld;
  useWalletWorld((world) => (w = world));

  test('approve, reject and pay with a real person are refused; with a demo buyer they work', async () => {
    const real = await registerPerson(w.server);
    const sale = await createSale(w);
    for (const payer of [real.username, real.phone, real.identification]) {
      for (const action of ['approve', 'reject']) {
        assertRefused(
          await http(w.server.url, 'POST', `/sandbox/payment-intents/${sale.id}/${action}`, { token: w.token, json: { payer } }),
          `${action} ${payer}`,
        );
      }
    }
    const request = await http(w.server.url, 'POST', '/api/payment-intent/.json', {
      token: w.token,
      form: { ...documentedSaleFields(), 'paymentintent[intent]': 'request', 'paymentintent[recipient]': real.phone },
    });
    assert.equal(request.status, 200, request.text);
    const before = await balanceOf(w, real.username);
    assertRefused(
      await http(w.server.url, 'POST', `/sandbox/payment-intents/${request.body.id}/pay`, { token: w.token, json: { payer: real.username } }),
      'pay',
    );
    assert.equal(await balanceOf(w, real.username), before);
    const shown = await http(w.server.url, 'GET', `/api/payment-intent/show.json?id=${request.body.id}`, { token: w.token });
    assert.equal(shown.body.state, 'created', 'the refused helper changed nothing');

    const approved = await http(w.server.url, 'POST', `/sandbox/payment-intents/${sale.id}/approve`, {
      token: w.token,
      json: { payer: w.demo.buyers[0]!.phone },
    });
    assert.equal(approved.status, 200, approved.text);
  });

  test('another merchant’s intent is “not found” to the helpers, and stays unapproved', async () => {
    const sale = await createSale(w);
    const other = await merchant(w.server);
    const payer = { payer: w.demo.buyers[0]!.username };
    const missing = await http(w.server.url, 'POST', '/sandbox/payment-intents/00000000-0000-7000-8000-000000000000/approve', {
      token: other.app.accessToken,
      json: payer,
    });
    assert.equal(missing.status, 404, missing.text);
    for (const action of ['approve', 'reject']) {
      const answer = await http(w.server.url, 'POST', `/sandbox/payment-intents/${sale.id}/${action}`, { token: other.app.accessToken, json: payer });
      assert.equal(answer.status, 404, `${action}: ${answer.text}`);
      assert.deepEqual(answer.body, missing.body, action);
    }
    const shown = await http(w.server.url, 'GET', `/api/payment-intent/show.json?id=${sale.id}`, { token: w.token });
    assert.equal(shown.body.state, 'created');
    assert.equal(shown.body.payer, undefined, 'nobody approved it');
  });

  test('funding: a test user or the merchant’s own wallet, never a real person’s or another merchant’s', async () => {
    const real = await registerPerson(w.server);
    const other = await merchant(w.server);
    const fund = (account: string) =>
      http(w.server.url, 'POST', '/sandbox/wallets/fund', { token: w.token, json: { account, amount: '10.00', currency: 'VES' } });
    for (const account of [real.username, real.phone, real.walletId, other.user.username, other.user.walletId]) assertRefused(await fund(account), account);
    assert.equal(await balanceOf(w, real.username), 0, 'no test money reached the real wallet');
    assert.equal(await balanceOf(w, other.user.username), 0);

    const buyer = w.demo.buyers[1]!;
    const before = await balanceOf(w, buyer.username);
    assert.equal((await fund(buyer.identification)).status, 200);
    assert.equal(await balanceOf(w, buyer.username), before + 1000);
    const own = await fund(w.demo.merchant.accountId);
    assert.equal(own.status, 200, own.text);
    // another merchant's token funds its own wallet
    const self = await http(w.server.url, 'POST', '/sandbox/wallets/fund', {
      token: other.app.accessToken,
      json: { account: other.user.username, amount: '5.00' },
    });
    assert.equal(self.status, 200, self.text);
    assert.equal(await balanceOf(w, other.user.username), 500);
    // an unknown account is still a 404
    assert.equal((await fund('nadie-con-este-nombre')).status, 404);
  });
});

describe('moving the sandbox clock', () => {
  test('SANDBOX_CLOCK_FOR_APPS is on by default and parsed strictly', () => {
    assert.equal(loadConfig({}).sandboxClockForApps, true);
    assert.equal(loadConfig({ SANDBOX_CLOCK_FOR_APPS: 'false' }).sandboxClockForApps, false);
    assert.equal(loadConfig({ SANDBOX_CLOCK_FOR_APPS: '0' }).sandboxClockForApps, false);
    assert.throws(() => loadConfig({ SANDBOX_CLOCK_FOR_APPS: 'quizás' }), ConfigError);
  });

  test('with the flag off an app may read the clock but not move it; the operator may', async () => {
    const server = await startTestServer({ env: { SANDBOX_CLOCK_FOR_APPS: 'false' } });
    try {
      const shop = await merchant(server);
      const token = shop.app.accessToken;
      const before = await http(server.url, 'GET', '/sandbox/clock', { token });
      assert.equal(before.status, 200, before.text);

      const refused = await http(server.url, 'POST', '/sandbox/clock', { token, json: { advanceSeconds: 3600 } });
      assert.equal(refused.status, 403, refused.text);
      assert.deepEqual(Object.keys(refused.body).sort(), ['code', 'message']);
      assert.match(refused.body.message, /solo el operador/);
      assert.equal((await http(server.url, 'GET', '/sandbox/clock', { token })).body.offsetSeconds, before.body.offsetSeconds, 'the clock did not move');

      // a console session that is not the operator's is refused too; so is a cookie without CSRF
      const person = await login(server, shop.user.username);
      assert.equal((await http(server.url, 'POST', '/sandbox/clock', { headers: person.headers, json: { advanceSeconds: 60 } })).status, 403);
      const operator = await operatorSession(server);
      const cookieOnly = await http(server.url, 'POST', '/sandbox/clock', {
        headers: { cookie: `pasarela_session=${operator.token}` },
        json: { advanceSeconds: 60 },
      });
      assert.equal(cookieOnly.status, 403, cookieOnly.text);
      assert.equal((await http(server.url, 'POST', '/sandbox/clock', { json: { advanceSeconds: 60 } })).status, 401);

      const moved = await http(server.url, 'POST', '/sandbox/clock', { headers: operator.headers, json: { advanceSeconds: 3600 } });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.offsetSeconds, before.body.offsetSeconds + 3600);
      assert.equal((await http(server.url, 'GET', '/sandbox/clock', { headers: operator.headers })).status, 200);
    } finally {
      await server.close();
    }
  });

  test('with the flag on (the default) an app moves it, and so does the operator', async () => {
    const server = await startTestServer();
    try {
      const shop = await merchant(server);
      assert.equal((await http(server.url, 'POST', '/sandbox/clock', { token: shop.app.accessToken, json: { advanceSeconds: 60 } })).status, 200);
      const operator = await operatorSession(server);
      const moved = await http(server.url, 'POST', '/sandbox/clock', { headers: operator.headers, json: { advanceSeconds: 60 } });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.offsetSeconds, 120);
    } finally {
      await server.close();
    }
  });
});
