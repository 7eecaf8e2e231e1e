// The SDK against a real server: a sale from creation to annulment, a billing request paid at
// the till, a payout, the profile, and the lists read as async iterators across pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pasarela, PaymentIntentSummary } from '../../packages/sdk/src/index.ts';
import { saleParams, useSdkWorld, type SdkWorld } from './fixtures.ts';

let world: SdkWorld;
let pasarela: Pasarela;
useSdkWorld((w) => {
  world = w;
  pasarela = w.client();
});

test('a complete sale: create, approve as the buyer, execute, find the payment, annul', async () => {
  const buyer = world.demo.buyers[0]!;
  const intent = await pasarela.paymentIntents.create(saleParams('Pedido 1001'));
  assert.equal(intent.intent, 'sale');
  assert.equal(intent.state, 'created');
  assert.deepEqual(intent.total, { currency: { id: 'VES' }, items: 17.5, shipping: 0, tax: 1.3, amount: 18.8 });
  assert.deepEqual(
    intent.transactions[0]!.items.map((i) => [i.name, i.price, i.quantity]),
    [
      ['telefono', 7.5, 1],
      ['forro', 10, 1],
    ],
  );
  assert.equal(intent._links.approval_url?.href, `${world.server.url}/p/express-checkout/${intent.id}/1`);
  assert.equal(intent.lastResponse.statusCode, 200);
  assert.match(intent.lastResponse.idempotencyKey ?? '', /^[0-9a-f-]{36}$/, 'a POST carries a generated key');
  assert.equal(intent.lastResponse.attempts, 1);
  assert.ok(!Object.keys(intent).includes('lastResponse'), 'lastResponse is not part of the object');

  const approval = await pasarela.sandbox.approve(intent.id, { payer: buyer.username });
  assert.equal(approval.payerId, buyer.id);
  assert.equal(approval.paymentIntent, intent.id);
  assert.match(approval.returnUrl, /^http:\/\/localhost:4000\/ok\?/);

  const sale = await pasarela.paymentIntents.executeSale(intent.id, { payer: approval.payerId });
  assert.equal(sale.state, 'executed');
  assert.equal(sale.payer?.payer_info.id, buyer.id);
  const ref = sale.transactions[0]!.related_resources?.sale?.ref;
  assert.match(ref ?? '', /^P\d{6}\d+$/);

  const payment = await pasarela.payments.retrieve(ref!);
  assert.equal(payment.amount_total, '20.00');
  assert.equal(payment.status, 9000);
  assert.equal(payment.user.id, buyer.id);
  assert.equal(payment._data.payment_intent, intent.id);
  assert.equal((await pasarela.payments.retrieve(payment.id)).ref, ref, 'by id or by reference');

  const again = await pasarela.paymentIntents.retrieve(intent.id);
  assert.equal(again.state, 'executed');
  assert.deepEqual(again.redirect_urls.history_responses, []);

  const annulled = await pasarela.paymentIntents.annul(intent.id);
  assert.equal(annulled.state, 'annulled');
  assert.equal((await pasarela.payments.retrieve(ref!)).status, 2000);
});

test('a billing request paid at the till with a pay token and the PIN', async () => {
  const buyer = world.demo.buyers[1]!;
  const request = await pasarela.paymentIntents.create({ ...saleParams('Factura 15'), intent: 'request', recipient: buyer.phone });
  assert.equal(request.intent, 'request');
  assert.equal(request._links.approval_url, undefined);
  assert.equal(request.payer?.payer_info.id, buyer.id);
  const payToken = request.pay_tokens?.[0];
  assert.ok(payToken, 'the request offers the payer’s pay tokens');
  const paid = await pasarela.paymentIntents.executeRequest(request.id, { payToken: payToken.id, pin: buyer.pin });
  assert.equal(paid.state, 'executed');
  assert.match(paid.transactions[0]!.related_resources?.request?.ref ?? '', /^P/);
});

test('a billing request paid in the wallet (sandbox helper), then read back', async () => {
  const buyer = world.demo.buyers[0]!;
  const request = await pasarela.paymentIntents.create({ ...saleParams('Factura 16'), intent: 'request', recipient: buyer.username });
  const paid = await pasarela.sandbox.pay(request.id, { payer: buyer.username });
  assert.equal(paid.state, 'executed');
  assert.equal((await pasarela.paymentIntents.retrieve(request.id)).state, 'executed');
});

test('a payout item joins the batch pending upload', async () => {
  const item = await pasarela.payouts.create({
    type: 'DISPERSION',
    reference: 'Pago proveedor 1',
    nameAccount: 'Inversiones Pepe',
    identificationNumber: 'j54637469',
    bankAccount: '01020000000000000001',
    amount: '150.00',
  });
  assert.match(item.ref, /^MP\d{6}\d+$/);
  assert.equal(item.identification_number, 'j54637469');
  assert.equal(item.status, 'APPROVED');
});

test('the profile: the app’s owner and its wallets', async () => {
  const profile = await pasarela.profile.retrieve();
  assert.equal(profile.username, world.demo.merchant.username);
  assert.equal(profile.type, 'business');
  assert.equal(profile.client.id, world.demo.merchant.app.clientId);
  assert.ok(profile.digital_accounts.some((a) => a.currency.id === 'VES' && /^\d+\.\d{2}$/.test(a.balance)));
});

test('lists: await reads one page; for await reads every entry of every page, newest first', async () => {
  const made: string[] = [];
  for (let i = 0; i < 7; i++) made.push((await pasarela.paymentIntents.create(saleParams(`Lista ${i}`))).id);

  const first = await pasarela.paymentIntents.list({ maxPerPage: 3 });
  assert.equal(first.data.length, 3);
  assert.equal(first.meta.currentPage, 1);
  assert.equal(first.meta.maxPerPage, 3);
  assert.deepEqual(
    first.data.map((i) => i.id),
    made.slice(-3).reverse(),
  );
  assert.equal(first.lastResponse.statusCode, 200);

  const seen: PaymentIntentSummary[] = [];
  for await (const intent of pasarela.paymentIntents.list({ maxPerPage: 3 })) seen.push(intent);
  assert.equal(seen.length, first.meta.totalResults, 'every intent once');
  assert.equal(new Set(seen.map((i) => i.id)).size, seen.length);
  assert.deepEqual(
    seen.slice(0, 7).map((i) => i.id),
    [...made].reverse(),
  );
  assert.ok(!('items' in seen[0]!.transactions[0]!), 'list entries are summaries');

  // From a later page on, and an early stop: only the pages needed are read.
  const fromPage2: string[] = [];
  for await (const intent of pasarela.paymentIntents.list({ page: 2, maxPerPage: 3 })) {
    fromPage2.push(intent.id);
    if (fromPage2.length === 4) break;
  }
  assert.deepEqual(
    fromPage2,
    seen.slice(3, 7).map((i) => i.id),
  );

  let payments = 0;
  for await (const payment of pasarela.payments.list({ maxPerPage: 2 })) {
    assert.match(payment.ref, /^P/);
    payments++;
  }
  assert.equal(payments, (await pasarela.payments.list()).meta.totalResults);
  assert.ok(payments >= 3, `the sales and requests above are payments (${payments})`);
});

test('an entry created while a list is read is not given twice', async () => {
  const seen: string[] = [];
  let created = false;
  for await (const intent of pasarela.paymentIntents.list({ maxPerPage: 2 })) {
    seen.push(intent.id);
    // Newest first: a new intent pushes every older one a place down, so page 2 starts with
    // the last entry of page 1.
    if (!created) {
      created = true;
      await pasarela.paymentIntents.create(saleParams('Durante la lectura'));
    }
  }
  assert.equal(new Set(seen).size, seen.length, 'no duplicates');
});
