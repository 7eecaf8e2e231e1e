// Customers and saved cards through the official SDK: create, search by email, save a card
// from a token, pay with a fresh token made from the saved card and its security code, delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CardToken, Customer, CustomerCard, MercadoPagoConfig, Payment } from 'mercadopago';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';

const require = createRequire(import.meta.url);
const { AppConfig } = require('mercadopago/dist/utils/config') as { AppConfig: { BASE_URL: string; DEFAULT_RETRIES: number } };

let server: TestServer;
let client: MercadoPagoConfig;
let accessToken: string;

before(async () => {
  server = await startTestServer();
  const demo = await ensureDemo(server.ctx);
  accessToken = demo.merchant.app.accessToken;
  AppConfig.BASE_URL = server.url;
  AppConfig.DEFAULT_RETRIES = 0;
  client = new MercadoPagoConfig({ accessToken, options: { timeout: 10_000 } });
});
after(() => server?.close());

test('a customer saves a card and pays with it; the security code is typed again', async () => {
  const customers = new Customer(client);
  const created = await customers.create({ body: { email: 'Ana@Example.com', first_name: 'Ana', identification: { type: 'V', number: '12345678' } } });
  assert.equal(created.email, 'ana@example.com');
  await assert.rejects(
    customers.create({ body: { email: 'ana@example.com' } }),
    (e: { status: number; causes: { code: unknown }[] }) => e.status === 400 && e.causes[0]?.code === 101,
  );
  const found = await customers.search({ options: { email: 'ana@example.com' } });
  assert.deepEqual(
    found.results?.map((c) => c.id),
    [created.id],
  );

  const token = await new CardToken(client).create({
    body: { card_number: '5031755734530604', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } } as never,
  });
  const cards = new CustomerCard(client);
  const saved = await cards.create({ customerId: created.id!, body: { token: token.id! } });
  assert.deepEqual([saved.first_six_digits, saved.last_four_digits, saved.payment_method?.id], ['503175', '0604', 'master']);
  assert.equal((await customers.get({ customerId: created.id! })).default_card, saved.id);
  assert.equal((await cards.list({ customerId: created.id! })).length, 1);
  // The token that was saved is used up.
  const reuse = await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 5, token: token.id } });
  assert.equal(reuse.status, 400);

  // Paying with the saved card: a fresh token from its id and the security code.
  const noCode = await http(server.url, 'POST', '/v1/card_tokens', { token: accessToken, json: { card_id: saved.id, customer_id: created.id } });
  assert.equal(noCode.status, 400);
  assert.equal(noCode.body.cause[0].code, '224');
  const fresh = await new CardToken(client).create({ body: { card_id: saved.id, customer_id: created.id, security_code: '123' } as never });
  assert.equal(fresh.last_four_digits, '0604');
  const paid = await new Payment(client).create({
    body: { transaction_amount: 15, token: fresh.id!, installments: 1, payer: { type: 'customer', id: created.id } } as never,
  });
  assert.equal(paid.status, 'approved');
  assert.equal(paid.payment_method_id, 'master');

  await cards.remove({ customerId: created.id!, cardId: saved.id! });
  assert.equal((await cards.list({ customerId: created.id! })).length, 0);
  const gone = await http(server.url, 'POST', '/v1/card_tokens', { token: accessToken, json: { card_id: saved.id, security_code: '123' } });
  assert.equal(gone.status, 404);
  await customers.remove({ customerId: created.id! });
  assert.equal((await http(server.url, 'GET', `/v1/customers/${created.id}`, { token: accessToken })).status, 404);
});
