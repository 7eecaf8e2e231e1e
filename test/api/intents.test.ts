// The payment button and billing API of the wallet contract, end to end over HTTP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyLedger } from '../../src/modules/ledger/service.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import {
  approve,
  balanceOf,
  consoleLogin,
  createSale,
  documentedSaleFields,
  executeSale,
  multipart,
  startReceiver,
  useWalletWorld,
  walletWorld,
  type WalletWorld,
} from './wallet-fixtures.ts';

let server: TestServer;
let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
  server = world.server;
});

describe('create a payment intent', () => {
  test('the documented curl -F example answers the documented shape', async () => {
    const intent = await createSale(w);
    assert.equal(intent.intent, 'sale');
    assert.equal(intent.state, 'created');
    assert.deepEqual(intent.total, { currency: { id: 'VES' }, items: 17.5, shipping: 0, tax: 1.3, amount: 18.8 });
    assert.deepEqual(intent.transactions[0].amount, { currency: { id: 'VES' }, total: 20, details: { shipping: 0, tax: 1.3, sub_total: 17.5 } });
    assert.deepEqual(intent.transactions[0].items[0], { name: 'telefono', quantity: 1, currency: { id: 'VES' }, sku: 'P001', price: 7.5 });
    assert.equal(intent.transactions[0].description, 'Compra por eBay');
    assert.equal(intent.transactions[0].invoice_number, 'F00015');
    assert.deepEqual(intent.redirect_urls.history_responses, []);
    assert.equal(intent.payer, undefined);
    assert.equal(intent._links.self.href, `${server.url}/api/payment-intent/show.json?id=${intent.id}`);
    assert.equal(intent._links.approval_url.href, `${server.url}/p/express-checkout/${intent.id}/1`);
    assert.equal(intent._links.execute.method, 'POST');
    assert.equal(intent._links.cancel.href, `${server.url}/api/payment-intent/cancel.json`);
    const shown = await http(server.url, 'GET', `/api/payment-intent/show.json?id=${intent.id}`, { token: w.token });
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.total, intent.total);
  });

  test('urlencoded and JSON (arrays and "0"-keyed objects) give the same intent', async () => {
    const fields = documentedSaleFields();
    const form = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: fields });
    assert.equal(form.status, 200, form.text);
    const tree = {
      paymentintent: {
        intent: 'sale',
        redirectUrls: { returnUrl: 'http://localhost:4000/ok', cancelUrl: 'http://localhost:4000/cancel' },
        transactions: {
          '0': {
            amount: { total: 20, details: { tax: '1.3', subTotal: 17.5 } },
            description: 'Compra por eBay',
            items: { '0': { name: 'telefono', price: 7.5, sku: 'P001' }, '1': { name: 'forro', price: '10' } },
          },
        },
      },
    };
    const keyed = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: tree });
    assert.equal(keyed.status, 200, keyed.text);
    const arrays = structuredClone(tree) as any;
    arrays.paymentintent.transactions = [{ ...tree.paymentintent.transactions['0'], items: Object.values(tree.paymentintent.transactions['0'].items) }];
    const list = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: arrays });
    assert.equal(list.status, 200, list.text);
    for (const answer of [form, keyed, list]) {
      assert.deepEqual(answer.body.total, { currency: { id: 'VES' }, items: 17.5, shipping: 0, tax: 1.3, amount: 18.8 });
      assert.equal(answer.body.transactions[0].amount.total, 20);
      assert.equal(answer.body.transactions[0].items.length, 2);
    }
  });

  test('validation failures answer the documented tree in Spanish', async () => {
    const fields = documentedSaleFields();
    delete fields['paymentintent[redirectUrls][returnUrl]'];
    fields['paymentintent[transactions][0][amount][total]'] = '20.001';
    delete fields['paymentintent[transactions][0][description]'];
    const answer = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, multipart: multipart(fields) });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 400);
    assert.equal(answer.body.message, 'Validation Failed');
    assert.deepEqual(answer.body.errors.children.redirectUrls.children.returnUrl.errors, ['La URI de retorno es obligatoria.']);
    const t0 = answer.body.errors.children.transactions.children['0'].children;
    assert.match(t0.amount.children.total.errors[0], /decimales/);
    assert.deepEqual(t0.description.errors, ['La descripción es obligatoria.']);
    const request = await http(server.url, 'POST', '/api/payment-intent/.json', {
      token: w.token,
      form: { ...documentedSaleFields(), 'paymentintent[intent]': 'request' },
    });
    assert.equal(request.status, 400);
    assert.ok(request.body.errors.children.recipient.errors[0]);
    const unknown = await http(server.url, 'POST', '/api/payment-intent/.json', {
      token: w.token,
      form: { ...documentedSaleFields(), 'paymentintent[intent]': 'request', 'paymentintent[recipient]': 'V99999999' },
    });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.errors.children.recipient.errors, ['El destinatario no existe.']);
  });

  test('history is a Paginator with working links and a capped page size', async () => {
    const other = await startTestServer();
    try {
      const ow = await walletWorld(other);
      for (let i = 0; i < 12; i++) await createSale(ow);
      const first = await http(other.url, 'GET', '/api/payment-intent/.json', { token: ow.token });
      assert.equal(first.status, 200);
      assert.deepEqual(first.body.meta, { currentPage: 1, maxPerPage: 10, totalPages: 2, totalResults: 12 });
      assert.equal(first.body.data.length, 10);
      const next = new URL(first.body.links.next.href);
      const second = await http(other.url, 'GET', next.pathname + next.search, { token: ow.token });
      assert.equal(second.body.data.length, 2);
      assert.equal(second.body.meta.currentPage, 2);
      assert.equal(second.body.links.next, undefined);
      const ids = new Set([...first.body.data, ...second.body.data].map((i: { id: string }) => i.id));
      assert.equal(ids.size, 12);
      const capped = await http(other.url, 'GET', '/api/payment-intent/.json?maxPerPage=5000', { token: ow.token });
      assert.equal(capped.body.meta.maxPerPage, 100);
    } finally {
      await other.close();
    }
  });
});

describe('sale flow: approve, execute, annul', () => {
  test('executing debits the payer and credits the merchant exactly once', async () => {
    const buyer = w.demo.buyers[0]!;
    const before = { buyer: await balanceOf(w, buyer.username), merchant: await balanceOf(w, w.demo.merchant.username) };
    const intent = await createSale(w);
    const unapproved = await executeSale(w, intent.id, buyer.id);
    assert.equal(unapproved.status, 400);
    assert.deepEqual(unapproved.body.errors.errors, ['El pagador aún no aprobó la intención de pago.']);
    const approved = await approve(w, intent.id, buyer.phone);
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.returnUrl, `http://localhost:4000/ok?paymentIntent=${intent.id}&payerId=${buyer.id}`);
    const wrongPayer = await executeSale(w, intent.id, w.demo.buyers[1]!.id);
    assert.equal(wrongPayer.status, 400);
    const executed = await executeSale(w, intent.id, buyer.id);
    assert.equal(executed.status, 200, executed.text);
    assert.equal(executed.body.state, 'executed');
    assert.equal(executed.body.payer.payer_info.id, buyer.id);
    const sale = executed.body.transactions[0].related_resources.sale;
    assert.match(sale.ref, /^P\d{6}\d{7}$/);
    assert.equal(await balanceOf(w, buyer.username), before.buyer - 2000);
    assert.equal(await balanceOf(w, w.demo.merchant.username), before.merchant + 2000);
    const again = await executeSale(w, intent.id, buyer.id);
    assert.equal(again.status, 400);
    assert.deepEqual(again.body.errors.errors, ['La intención de pago ya fue ejecutada.']);
    assert.equal(await balanceOf(w, buyer.username), before.buyer - 2000);

    const found = await http(server.url, 'GET', `/api/payment/find.json?id=${sale.id}`, { token: w.token });
    assert.equal(found.status, 200);
    assert.equal(found.body.ref, sale.ref);
    assert.equal(found.body.amount_total, '20.00');
    assert.equal(found.body.status, 9000);
    assert.equal(found.body.type, 1000);
    assert.equal(found.body.user.id, buyer.id);
    assert.match(found.body.created_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const byRef = await http(server.url, 'GET', `/api/payment/find.json?id=${sale.ref}`, { token: w.token });
    assert.equal(byRef.body.id, sale.id);

    const annulled = await http(server.url, 'POST', '/api/payment-intent/cancel.json', {
      token: w.token,
      multipart: multipart({ 'cancel_payment_intent[paymentIntent]': intent.id }),
    });
    assert.equal(annulled.status, 200, annulled.text);
    assert.equal(annulled.body.state, 'annulled');
    assert.equal(await balanceOf(w, buyer.username), before.buyer);
    assert.equal(await balanceOf(w, w.demo.merchant.username), before.merchant);
    const twice = await http(server.url, 'POST', '/api/payment-intent/cancel.json', {
      token: w.token,
      form: { 'cancel_payment_intent[paymentIntent]': intent.id },
    });
    assert.equal(twice.status, 400);
    const payment = await http(server.url, 'GET', `/api/payment/find.json?id=${sale.id}`, { token: w.token });
    assert.equal(payment.body.status, 2000);
    assert.deepEqual(await verifyLedger(server.ctx.store), []);
  });

  test('50 simultaneous executes of one intent: one success, one debit', async () => {
    const buyer = w.demo.buyers[1]!;
    const intent = await createSale(w);
    await approve(w, intent.id, buyer.username);
    const before = await balanceOf(w, buyer.username);
    const answers = await Promise.all(Array.from({ length: 50 }, () => executeSale(w, intent.id, buyer.id)));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.ok(
      answers.every((a) => a.status === 200 || a.status === 400),
      answers.map((a) => a.status).join(','),
    );
    assert.equal(await balanceOf(w, buyer.username), before - 2000);
    const entries = await server.ctx.store.db.selectFrom('journal_entries').select('id').where('reference_id', '=', intent.id).execute();
    assert.equal(entries.length, 1);
    const annuls = await Promise.all(
      Array.from({ length: 10 }, () =>
        http(server.url, 'POST', '/api/payment-intent/cancel.json', { token: w.token, json: { cancel_payment_intent: { paymentIntent: intent.id } } }),
      ),
    );
    assert.equal(annuls.filter((a) => a.status === 200).length, 1);
    assert.equal(await balanceOf(w, buyer.username), before);
    assert.deepEqual(await verifyLedger(server.ctx.store), []);
  });

  test('expiry and the 24-hour annulment window follow the deployment clock', async () => {
    const other = await startTestServer();
    try {
      const ow = await walletWorld(other);
      const buyer = ow.demo.buyers[0]!;
      const stale = await createSale(ow);
      const executedIntent = await createSale(ow);
      await approve(ow, executedIntent.id, buyer.username);
      assert.equal((await executeSale(ow, executedIntent.id, buyer.id)).status, 200);
      await http(other.url, 'POST', '/sandbox/clock', { token: ow.token, json: { advanceSeconds: 3 * 3600 + 1 } });
      const shown = await http(other.url, 'GET', `/api/payment-intent/show.json?id=${stale.id}`, { token: ow.token });
      assert.equal(shown.body.state, 'expired');
      const late = await approve(ow, stale.id, buyer.username);
      assert.equal(late.status, 400);
      assert.deepEqual(late.body.errors.errors, ['La intención de pago venció.']);
      await http(other.url, 'POST', '/sandbox/clock', { token: ow.token, json: { advanceSeconds: 21 * 3600 } });
      const tooLate = await http(other.url, 'POST', '/api/payment-intent/cancel.json', {
        token: ow.token,
        form: { 'cancel_payment_intent[paymentIntent]': executedIntent.id },
      });
      assert.equal(tooLate.status, 400);
      assert.deepEqual(tooLate.body.errors.errors, ['Solo puede anularse dentro de las 24 horas siguientes a la ejecución.']);
    } finally {
      await other.close();
    }
  });

  test('annulment is refused when the merchant no longer holds the funds', async () => {
    const buyer = w.demo.buyers[0]!;
    const merchant = w.demo.merchant;
    const intent = await createSale(w);
    await approve(w, intent.id, buyer.username);
    assert.equal((await executeSale(w, intent.id, buyer.id)).status, 200);
    const session = await consoleLogin(server.url, merchant.username, merchant.password);
    const all = await balanceOf(w, merchant.username);
    const moved = await http(server.url, 'POST', '/console/api/transfers', {
      headers: { 'x-session-token': session },
      json: { to: w.demo.buyers[1]!.username, amount: (all / 100).toFixed(2), pin: '1234' },
    });
    assert.equal(moved.status, 201, moved.text);
    const refused = await http(server.url, 'POST', '/api/payment-intent/cancel.json', {
      token: w.token,
      form: { 'cancel_payment_intent[paymentIntent]': intent.id },
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.errors.errors[0], /ya no tiene el saldo/);
    const shown = await http(server.url, 'GET', `/api/payment-intent/show.json?id=${intent.id}`, { token: w.token });
    assert.equal(shown.body.state, 'executed');
    assert.deepEqual(await verifyLedger(server.ctx.store), []);
  });
});

describe('billing API (request)', () => {
  test('pay at the till with pay token and PIN; wrong PIN refused', async () => {
    const buyer = w.demo.buyers[0]!;
    const fields = { ...documentedSaleFields(), 'paymentintent[intent]': 'request', 'paymentintent[recipient]': buyer.phone };
    const created = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, multipart: multipart(fields) });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.payer.payer_info.id, buyer.id);
    assert.equal(created.body._links.approval_url, undefined);
    const payToken = created.body.pay_tokens[0];
    assert.equal(payToken._data.name, `${buyer.identification}-María Pérez`);
    const id = created.body.id;
    const wrong = await http(server.url, 'POST', `/api/payment-intent/execute/request.json?id=${id}`, {
      token: w.token,
      form: { 'payment_execution[payToken]': payToken.id, 'payment_execution[pin]': '9999' },
    });
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.body.errors.children.pin.errors, ['El PIN de operaciones no es correcto.']);
    const before = await balanceOf(w, buyer.username);
    const paid = await http(server.url, 'POST', `/api/payment-intent/execute/request.json?id=${id}`, {
      token: w.token,
      multipart: multipart({ 'payment_execution[payToken]': payToken.id, 'payment_execution[pin]': buyer.pin }),
    });
    assert.equal(paid.status, 200, paid.text);
    assert.equal(paid.body.state, 'executed');
    assert.match(paid.body.transactions[0].related_resources.request.ref, /^P\d{13}$/);
    assert.equal(await balanceOf(w, buyer.username), before - 2000);
  });

  test('paid in the wallet: the return URL is called server-side and recorded', async () => {
    const receiver = await startReceiver(200, 'recibido');
    try {
      const buyer = w.demo.buyers[1]!;
      const fields = {
        ...documentedSaleFields(`${receiver.url}/retorno?orden=7`),
        'paymentintent[intent]': 'request',
        'paymentintent[recipient]': buyer.identification,
      };
      const created = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: fields });
      assert.equal(created.status, 200, created.text);
      const paid = await http(server.url, 'POST', `/sandbox/payment-intents/${created.body.id}/pay`, { token: w.token, json: { payer: buyer.username } });
      assert.equal(paid.status, 200, paid.text);
      assert.equal(receiver.requests.length, 1);
      const called = new URL(receiver.requests[0]!.url, receiver.url);
      assert.equal(called.pathname, '/retorno');
      assert.equal(called.searchParams.get('orden'), '7');
      assert.equal(called.searchParams.get('paymentIntent'), created.body.id);
      assert.equal(called.searchParams.get('payerId'), buyer.id);
      const shown = await http(server.url, 'GET', `/api/payment-intent/show.json?id=${created.body.id}`, { token: w.token });
      assert.equal(shown.body.state, 'executed');
      assert.deepEqual(shown.body.redirect_urls.history_responses, [
        { uri: `${receiver.url}/retorno?orden=7&paymentIntent=${created.body.id}&payerId=${buyer.id}`, method: 'GET', status_code: 200, body: 'recibido' },
      ]);
    } finally {
      await receiver.close();
    }
  });

  test('the billing API permission is required', async () => {
    const operator = await consoleLogin(server.url, w.demo.operator.username, w.demo.operator.password);
    const appId = (
      await server.ctx.store.db.selectFrom('oauth_apps').select('id').where('client_id', '=', w.demo.merchant.app.clientId).executeTakeFirstOrThrow()
    ).id;
    const off = await http(server.url, 'PATCH', `/console/api/operator/apps/${appId}/permissions`, {
      headers: { 'x-session-token': operator },
      json: { billingApi: false },
    });
    assert.equal(off.status, 200, off.text);
    try {
      const refused = await http(server.url, 'POST', '/api/payment-intent/.json', {
        token: w.token,
        form: { ...documentedSaleFields(), 'paymentintent[intent]': 'request', 'paymentintent[recipient]': w.demo.buyers[0]!.username },
      });
      assert.equal(refused.status, 403);
    } finally {
      await http(server.url, 'PATCH', `/console/api/operator/apps/${appId}/permissions`, {
        headers: { 'x-session-token': operator },
        json: { billingApi: true },
      });
    }
  });
});

describe('distributions and fees', () => {
  test('distributions go only to authorized accounts, are applied on execution and reversed on annulment; fees are charged', async () => {
    const other = await startTestServer();
    try {
      const ow = await walletWorld(other);
      const [buyer, partner] = [ow.demo.buyers[0]!, ow.demo.buyers[1]!];
      const merchant = ow.demo.merchant;
      const appId = (await other.ctx.store.db.selectFrom('oauth_apps').select('id').where('client_id', '=', merchant.app.clientId).executeTakeFirstOrThrow())
        .id;
      const withDistribution = {
        ...documentedSaleFields(),
        'paymentintent[transactions][0][distributions][0][digitalAccountDestination]': partner.username,
        'paymentintent[transactions][0][distributions][0][amount]': '5.25',
        'paymentintent[transactions][0][distributions][0][description]': 'comisión socio',
      };
      const operator = await consoleLogin(other.url, ow.demo.operator.username, ow.demo.operator.password);
      // The demo app comes with distributions to the demo buyers; this test starts without them.
      const disabled = await http(other.url, 'PATCH', `/console/api/operator/apps/${appId}/permissions`, {
        headers: { 'x-session-token': operator },
        json: { distributions: false, distributionAccounts: [] },
      });
      assert.equal(disabled.status, 200, disabled.text);
      const refused = await http(other.url, 'POST', '/api/payment-intent/.json', { token: ow.token, form: withDistribution });
      assert.equal(refused.status, 400);
      const enabled = await http(other.url, 'PATCH', `/console/api/operator/apps/${appId}/permissions`, {
        headers: { 'x-session-token': operator },
        json: { distributions: true, distributionAccounts: [partner.username] },
      });
      assert.equal(enabled.status, 200, enabled.text);
      const fee = await http(other.url, 'PUT', '/console/api/operator/fees', {
        headers: { 'x-session-token': operator },
        json: { operation: 'sale', currency: 'VES', percent: '2.5', fixed: '1.00' },
      });
      assert.equal(fee.status, 200, fee.text);
      const tooMuch = await http(other.url, 'POST', '/api/payment-intent/.json', {
        token: ow.token,
        form: { ...withDistribution, 'paymentintent[transactions][0][distributions][0][amount]': '20.01' },
      });
      assert.equal(tooMuch.status, 400);
      const created = await http(other.url, 'POST', '/api/payment-intent/.json', { token: ow.token, form: withDistribution });
      assert.equal(created.status, 200, created.text);
      const before = {
        buyer: await balanceOf(ow, buyer.username),
        partner: await balanceOf(ow, partner.username),
        merchant: await balanceOf(ow, merchant.username),
      };
      await approve(ow, created.body.id, buyer.username);
      const executed = await executeSale(ow, created.body.id, buyer.id);
      assert.equal(executed.status, 200, executed.text);
      // 20.00 total: 5.25 to the partner, fee 2.5 % of 20.00 = 0.50 + 1.00 = 1.50, merchant 13.25.
      assert.equal(await balanceOf(ow, buyer.username), before.buyer - 2000);
      assert.equal(await balanceOf(ow, partner.username), before.partner + 525);
      assert.equal(await balanceOf(ow, merchant.username), before.merchant + 1325);
      const payment = await http(other.url, 'GET', `/api/payment/find.json?id=${executed.body.transactions[0].related_resources.sale.id}`, { token: ow.token });
      assert.equal(payment.body._data.fee, '1.50');
      const annulled = await http(other.url, 'POST', '/api/payment-intent/cancel.json', {
        token: ow.token,
        form: { 'cancel_payment_intent[paymentIntent]': created.body.id },
      });
      assert.equal(annulled.status, 200, annulled.text);
      assert.equal(await balanceOf(ow, buyer.username), before.buyer);
      assert.equal(await balanceOf(ow, partner.username), before.partner);
      assert.equal(await balanceOf(ow, merchant.username), before.merchant);
      assert.deepEqual(await verifyLedger(other.ctx.store), []);
    } finally {
      await other.close();
    }
  });
});

describe('tenant isolation', () => {
  test("another merchant's intent is not found", async () => {
    const intent = await createSale(w);
    const codes = await http(server.url, 'GET', '/bc38875a09308a2/codes.json?access_token=f21d867c420680a2e4b90e761a9e751f');
    const registered = await http(server.url, 'POST', '/console/api/register', {
      json: {
        type: 'business',
        username: 'otro-comercio',
        password: 'clave-segura-1',
        email: 'otro@example.com',
        phone: '584145550099',
        identification: 'J300000001',
        name: 'Otro Comercio',
        affiliationCode: codes.body.regular,
      },
    });
    assert.equal(registered.status, 201, registered.text);
    const session = await consoleLogin(server.url, 'otro-comercio', 'clave-segura-1');
    const logo = (await import('../../src/modules/apps/png.ts')).solidPng(8, 8, [1, 2, 3]).toString('base64');
    const app = await http(server.url, 'POST', '/console/api/apps', {
      headers: { 'x-session-token': session },
      json: { name: 'Otra', description: 'Otra tienda', homepageUrl: 'https://otra.example.com', logoBase64: logo },
    });
    assert.equal(app.status, 201, app.text);
    const otherToken = app.body.credentials.accessToken;
    for (const [method, path, body] of [
      ['GET', `/api/payment-intent/show.json?id=${intent.id}`, undefined],
      ['POST', `/api/payment-intent/execute/sale.json?id=${intent.id}`, { payment_execution: { payer: w.demo.buyers[0]!.id } }],
      ['POST', '/api/payment-intent/cancel.json', { cancel_payment_intent: { paymentIntent: intent.id } }],
    ] as const) {
      const answer = await http(server.url, method, path, { token: otherToken, json: body });
      assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
    }
    const list = await http(server.url, 'GET', '/api/payment-intent/.json', { token: otherToken });
    assert.equal(list.body.meta.totalResults, 0);
  });
});

describe('production', () => {
  test('a billing request may not name a private or loopback return URL', async () => {
    const { openTestPlatform } = await import('../helpers.ts');
    const { createIntent } = await import('../../src/modules/wallet-intents/index.ts');
    const { parseIntentForm } = await import('../../src/http/wallet-api/intent-reader.ts');
    const { randomUUID } = await import('node:crypto');
    const { registerUser, issueAffiliationCodes } = await import('../../src/modules/identity/users.ts');
    const { createApp, activateApp, setPermissions, getApp } = await import('../../src/modules/apps/service.ts');
    const { solidPng } = await import('../../src/modules/apps/png.ts');
    const { ValidationError } = await import('../../src/kernel/errors.ts');
    const prod = await openTestPlatform({ env: { PASARELA_ENV: 'production' } });
    try {
      const ctx = prod.ctx;
      const codes = await issueAffiliationCodes(ctx);
      const merchant = await registerUser(ctx, {
        type: 'business',
        username: 'tienda-prod',
        password: 'clave-segura-1',
        email: 't@example.com',
        phone: '584145550011',
        identification: 'J400000001',
        name: 'Tienda',
        affiliationCode: codes.regular,
      });
      const payer = await registerUser(ctx, {
        type: 'person',
        username: 'cliente-prod',
        password: 'clave-segura-1',
        email: 'c@example.com',
        phone: '584145550012',
        identification: 'V400000002',
        name: 'Cliente',
      });
      const { app } = await createApp(ctx, merchant.id, {
        name: 'Prod',
        description: 'd',
        homepageUrl: 'https://tienda.example.com',
        logo: solidPng(4, 4, [0, 0, 0]),
      });
      assert.equal(app.ready, 0);
      await activateApp(ctx, app.id);
      await setPermissions(ctx, { userId: '', isOperator: true }, app.id, { billingApi: true });
      const auth = { user: merchant, app: await getApp(ctx.store.db, app.id) };
      for (const url of ['http://127.0.0.1:9/ok', 'http://10.1.2.3/ok', 'http://localhost/ok', 'http://[::1]/ok']) {
        await assert.rejects(
          createIntent(
            ctx,
            auth,
            parseIntentForm(
              {
                intent: 'request',
                recipient: payer.username,
                redirectUrls: { returnUrl: url, cancelUrl: 'https://tienda.example.com/c' },
                transactions: [{ amount: { total: '1' }, description: 'x', items: [{ name: 'a', price: '1' }] }],
              },
              randomUUID,
            ),
          ),
          (error: unknown) => error instanceof ValidationError && error.fieldErrors[0]!.path.join('.') === 'redirectUrls.returnUrl',
          url,
        );
      }
    } finally {
      await prod.close();
    }
  });
});
