// `pasarela demo --json` as an operator runs it: one JSON document of the documented shape,
// idempotent, safe beside a running server on the same data, and its credentials work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listWallets, sendMoney, type WalletView } from '../../src/modules/wallets/service.ts';
import { runCli } from '../cli.ts';
import { http, startTestServer } from '../helpers.ts';
import { login, profile } from './core-fixtures.ts';

function parseDocument(result: { code: number | null; stdout: string; stderr: string }) {
  assert.equal(result.code, 0, result.stderr);
  // exactly one JSON document and nothing else on stdout
  let doc: any;
  assert.doesNotThrow(() => (doc = JSON.parse(result.stdout)), `stdout is not one JSON document:\n${result.stdout}`);
  assert.equal(typeof doc, 'object');
  return doc;
}

test('demo --json: documented shape, idempotent, beside a running server, working credentials', async () => {
  const server = await startTestServer();
  try {
    const env = { ...server.env, PUBLIC_URL: server.url };
    // two at once, while the server is serving, then once more
    const [first, second] = (await Promise.all([runCli(['demo', '--json'], env), runCli(['demo', '--json'], env)])).map(parseDocument);
    const balancesAfterFirst = await Promise.all(first.buyers.map((b: { id: string }) => listWallets(server.ctx.store.db, b.id)));
    const third = parseDocument(await runCli(['demo', '--json'], env));
    assert.deepEqual(second, first, 'the same credentials from concurrent runs');
    assert.deepEqual(third, first, 'the same credentials on a second run');

    // the documented shape
    assert.equal(first.baseUrl, server.url);
    assert.equal(first.environment, 'sandbox');
    assert.deepEqual(Object.keys(first.operator).sort(), ['password', 'username']);
    const { merchant } = first;
    for (const key of ['username', 'password', 'accountId']) assert.equal(typeof merchant[key], 'string', key);
    assert.deepEqual(Object.keys(merchant.app).sort(), ['accessToken', 'clientId', 'clientSecret', 'publicKey']);
    assert.match(merchant.app.publicKey, /^TEST-/);
    assert.match(merchant.app.accessToken, /^TEST-/);
    assert.ok(Array.isArray(first.buyers) && first.buyers.length >= 2);
    for (const buyer of first.buyers) {
      for (const key of ['id', 'username', 'password', 'cardholder']) assert.equal(typeof buyer[key], 'string', key);
      assert.match(buyer.pin, /^\d{4}$/);
      assert.match(buyer.phone, /^58\d{10}$/);
      assert.match(buyer.identification, /^[VEJGP]\d+$/);
    }
    // one linked PDV virtual terminal at the demo till, the same on every run (concurrent ones included)
    assert.equal(first.devices.length, 1);
    assert.match(first.devices[0].id, /^PASARELA_VIRTUAL__SMARTPOS\d{10}$/);
    assert.equal(first.devices[0].operatingMode, 'PDV');
    const terminalUrl = new URL(first.devices[0].virtualTerminalUrl);
    assert.equal(terminalUrl.origin + terminalUrl.pathname, `${server.url}/p/terminal`);
    assert.equal(
      new URLSearchParams(terminalUrl.hash.slice(1)).get('credential'),
      first.devices[0].credential,
      'the page’s address carries the credential in its fragment',
    );
    const me = await http(server.url, 'GET', '/point/device/me', { token: first.devices[0].credential });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.external_pos_id, 'CAJA1');
    const listed = await http(server.url, 'GET', '/point/integration-api/devices', { token: first.merchant.app.accessToken });
    assert.deepEqual(
      listed.body.devices.map((d: { id: string }) => d.id),
      [first.devices[0].id],
    );

    // buyers funded with at least 1,000,000.00 VES; a further run adds nothing
    const balancesNow = await Promise.all(first.buyers.map((b: { id: string }) => listWallets(server.ctx.store.db, b.id)));
    assert.deepEqual(balancesNow, balancesAfterFirst);
    for (const wallets of balancesNow) {
      const ves = (wallets as WalletView[]).find((w) => w.currency === 'VES')!;
      assert.ok(ves.balanceMinor >= 1_000_000_00, `buyer balance ${ves.balance}`);
    }
    // … even once a buyer has spent some: the demo data exists, so no money moves again
    const [buyer1, buyer2] = first.buyers;
    await sendMoney(server.ctx, buyer1.id, { to: buyer2.username, amountMinor: 250_000_00, currency: 'VES', pin: buyer1.pin, description: 'gasto' });
    const afterSpending = await Promise.all(first.buyers.map((b: { id: string }) => listWallets(server.ctx.store.db, b.id)));
    const fourth = await runCli(['demo'], env);
    assert.equal(fourth.code, 0, fourth.stderr);
    assert.match(fourth.stdout, new RegExp(`URL: ${server.url}\\n`));
    assert.ok(fourth.stdout.includes(`: ${first.devices[0].virtualTerminalUrl}\n`), `the virtual terminal's page is printed:\n${fourth.stdout}`);
    const afterFourth = await Promise.all(first.buyers.map((b: { id: string }) => listWallets(server.ctx.store.db, b.id)));
    assert.deepEqual(afterFourth, afterSpending, 'a further demo run moves no money');
    assert.ok(((afterFourth[0] as WalletView[]).find((w) => w.currency === 'VES')!.balanceMinor as number) < 1_000_000_00);

    // the merchant's keys, used the way the docs show (curl -F): token, refresh, profile
    const form = new FormData();
    form.set('grant_type', 'urn:client_apps');
    form.set('client_id', merchant.app.clientId);
    form.set('client_secret', merchant.app.clientSecret);
    const token = await http(server.url, 'POST', '/oauth/v2/token', { multipart: form });
    assert.equal(token.status, 200, token.text);
    assert.deepEqual(Object.keys(token.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(token.body.token_type, 'bearer');
    assert.equal(token.body.scope, 'API');
    const refreshForm = new FormData();
    refreshForm.set('grant_type', 'refresh_token');
    refreshForm.set('client_id', merchant.app.clientId);
    refreshForm.set('client_secret', merchant.app.clientSecret);
    refreshForm.set('refresh_token', token.body.refresh_token);
    const refreshed = await http(server.url, 'POST', '/oauth/v2/token', { multipart: refreshForm });
    assert.equal(refreshed.status, 200, refreshed.text);
    const seen = await profile(server, refreshed.body.access_token);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.body.username, merchant.username);
    assert.ok(seen.body.digital_accounts.some((a: { id: string }) => a.id === merchant.accountId));
    assert.equal((await profile(server, merchant.app.accessToken)).status, 200);

    // every printed password signs in
    await login(server, first.operator.username, first.operator.password);
    await login(server, merchant.username, merchant.password);
    for (const buyer of first.buyers) await login(server, buyer.phone, buyer.password);
  } finally {
    await server.close();
  }
});
