// Payments history: person-to-person transfers appear beside executed intents; refs are
// unique P + yymmdd + sequence; transfer fees are paid by the sender on top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyLedger } from '../../src/modules/ledger/service.ts';
import { http, type TestServer } from '../helpers.ts';
import { balanceOf, consoleLogin, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let server: TestServer;
let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
  server = world.server;
});

test('a transfer to the merchant shows in its payments, with the fee charged to the sender', async () => {
  const buyer = w.demo.buyers[0]!;
  const operator = await consoleLogin(server.url, w.demo.operator.username, w.demo.operator.password);
  const fee = await http(server.url, 'PUT', '/console/api/operator/fees', {
    headers: { 'x-session-token': operator },
    json: { operation: 'transfer', percent: '1', fixed: '0.10' },
  });
  assert.equal(fee.status, 200, fee.text);
  assert.deepEqual(fee.body, { operation: 'transfer', currency: 'VES', percent: '1', fixed: '0.10' });
  const precise = await http(server.url, 'PUT', '/console/api/operator/fees', {
    headers: { 'x-session-token': operator },
    json: { operation: 'sale', percent: '2.05', fixed: '0' },
  });
  assert.equal(precise.body.percent, '2.05');
  const tooPrecise = await http(server.url, 'PUT', '/console/api/operator/fees', {
    headers: { 'x-session-token': operator },
    json: { operation: 'sale', percent: '2.005' },
  });
  assert.equal(tooPrecise.status, 400);
  const session = await consoleLogin(server.url, buyer.username, buyer.password);
  const before = { buyer: await balanceOf(w, buyer.username), merchant: await balanceOf(w, w.demo.merchant.username) };
  const sent = await http(server.url, 'POST', '/console/api/transfers', {
    headers: { 'x-session-token': session },
    json: { to: w.demo.merchant.username, amount: '100.00', pin: buyer.pin, description: 'Pago de factura 7' },
  });
  assert.equal(sent.status, 201, sent.text);
  assert.equal(sent.body.fee, '1.10');
  assert.equal(await balanceOf(w, buyer.username), before.buyer - 10110);
  assert.equal(await balanceOf(w, w.demo.merchant.username), before.merchant + 10000);
  const list = await http(server.url, 'GET', '/api/payment/.json', { token: w.token });
  assert.equal(list.status, 200);
  const transfer = list.body.data.find((p: { ref: string }) => p.ref === sent.body.ref);
  assert.ok(transfer, 'the transfer is in the merchant payments');
  assert.equal(transfer.amount_total, '100.00');
  assert.equal(transfer.status, 9000);
  assert.equal(transfer.user.id, buyer.id);
  assert.equal(transfer._data.kind, 'transfer');
  assert.equal(transfer._data.fee, '1.10');
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('payment refs are unique under concurrency', async () => {
  const buyer = w.demo.buyers[1]!;
  const session = await consoleLogin(server.url, buyer.username, buyer.password);
  const sends = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      http(server.url, 'POST', '/console/api/transfers', {
        headers: { 'x-session-token': session },
        json: { to: w.demo.buyers[0]!.phone, amount: `1.${String(i).padStart(2, '0')}`, pin: buyer.pin },
      }),
    ),
  );
  const refs = sends.map((s) => {
    assert.equal(s.status, 201, s.text);
    assert.match(s.body.ref, /^P\d{13}$/);
    return s.body.ref;
  });
  assert.equal(new Set(refs).size, refs.length);
});
