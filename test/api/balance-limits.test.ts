// Every amount is capped (MAX_AMOUNT_MINOR, 10^14 minor units), but what they add up to is not:
// a balance is a sum of amounts. The sandbox funds any test user's wallet (or the merchant's
// own) with up to the cap per call, as often as asked, so ~91 calls by any merchant take a
// shared test buyer's balance — and the one sandbox funding account's — past 2^53, where
// JavaScript numbers stop being exact. Observed: the fund call that crosses it answers 500 (the
// wallet view cannot format it); on SQLite a transfer into the wallet commits past the line, and
// from then on every view of that wallet answers 500; on PostgreSQL the int8 reader refuses the
// value, so once the funding account is there every later funding (any merchant's) is a 500.
// A balance that would leave the exact range must be refused (4xx) like any other limit.
// Not fixed yet: `todo` keeps the suite green while reporting the failure; drop it with the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { verifyLedger } from '../../src/modules/ledger/index.ts';
import { consoleLogin, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const MAX_AMOUNT = '1000000000000'; // 10^12 VES = 10^14 minor units, the per-amount maximum

const OPEN_DEFECT = { todo: 'balances are not bounded (breaker report): remove with the fix' };

test('funding and transfers never take a balance out of the exact range: a 4xx, never a 500, and the wallet stays readable', OPEN_DEFECT, async () => {
  const [buyer1, buyer2] = w.demo.buyers;
  const fund = (account: string) => http(w.server.url, 'POST', '/sandbox/wallets/fund', { token: w.token, json: { account, amount: MAX_AMOUNT } });

  // 91 × 10^14 > 2^53 ≈ 9.007 × 10^15.
  for (let i = 0; i < 91; i++) {
    const answer = await fund(buyer1!.username);
    assert.ok(answer.status < 500, `funding #${i + 1}: ${answer.status} ${answer.text.slice(0, 200)}`);
    if (answer.status !== 200) break;
  }

  // Another path into the same wallet: a person's transfer.
  assert.ok((await fund(buyer2!.username)).status < 500);
  const session = await consoleLogin(w.server.url, buyer2!.username, buyer2!.password);
  const transfer = await http(w.server.url, 'POST', '/console/api/transfers', {
    headers: { 'x-session-token': session },
    json: { to: buyer1!.username, amount: '100000000000', currency: 'VES', pin: buyer2!.pin },
  });
  assert.ok(transfer.status < 500, `transfer: ${transfer.status} ${transfer.text.slice(0, 200)}`);

  const me = await http(w.server.url, 'GET', '/console/api/me', {
    headers: { 'x-session-token': await consoleLogin(w.server.url, buyer1!.username, buyer1!.password) },
  });
  assert.equal(me.status, 200, `the funded buyer's wallet view: ${me.text.slice(0, 200)}`);
  assert.deepEqual(await verifyLedger(w.server.ctx.store), []);
});
