// POS terminals through the official SDK's Point client: devices, mode, intents (one at a
// time per terminal), cancel, then a payment made on the terminal through the device-side API
// that lands in /v1/payments and the merchant's balance, with the integrator webhook told
// every state in order. The simulator's amounts end rejected or in error with no money moved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { MercadoPagoConfig, Payment, PaymentRefund, Point } from 'mercadopago';
import { startWebhookWorker, type WebhookWorker } from '../../src/workers/webhooks.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { createMerchant, startReceiver, type Merchant, type Receiver } from '../webhook-fixtures.ts';
import { device, linkTerminal, payOnTerminal, type Terminal } from '../point-fixtures.ts';

const require = createRequire(import.meta.url);
const { AppConfig } = require('mercadopago/dist/utils/config') as { AppConfig: { BASE_URL: string; DEFAULT_RETRIES: number } };

let server: TestServer;
let receiver: Receiver;
let worker: WebhookWorker;

before(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  // One delivery at a time per target: the integrator sees the states in the order they happened.
  worker = startWebhookWorker(server.ctx, { settings: { pollMs: 3600_000, timeoutMs: 2000, perEndpointConcurrency: 1 }, wake: false });
  AppConfig.BASE_URL = server.url;
  AppConfig.DEFAULT_RETRIES = 0;
});
after(async () => {
  await worker.stop();
  await receiver.close();
  await server.close();
});

async function balance(merchant: Merchant): Promise<number> {
  const row = await server.ctx.store.db
    .selectFrom('accounts')
    .select('balance_minor')
    .where('id', '=', merchant.app.receiving_account_id)
    .executeTakeFirstOrThrow();
  return Number(row.balance_minor);
}

async function verifiedIntegrator(merchant: Merchant, path: string): Promise<void> {
  const token = merchant.accessToken;
  assert.equal((await http(server.url, 'PATCH', '/point/integration-api/integrators', { token, json: { webhook: `${receiver.url}${path}` } })).status, 204);
  assert.equal((await http(server.url, 'POST', '/point/integration-api/integrators/check', { token })).status, 204);
}

const pointStates = (path: string, intentId: string) =>
  receiver.received.filter((r) => r.path === path && r.body?.id === intentId).map((r) => r.body.state as string);

test('the SDK Point client: devices, mode, one intent at a time, cancel, then a terminal payment to FINISHED', async () => {
  const merchant = await createMerchant(server.ctx);
  await verifiedIntegrator(merchant, '/point-sdk');
  const terminal: Terminal = await linkTerminal(server, merchant);
  const point = new Point(new MercadoPagoConfig({ accessToken: merchant.accessToken, options: { timeout: 10_000 } }));

  const listed = await point.getDevices({ request: { options: { offset: 0, limit: 10 } as never } });
  assert.equal((listed as any).paging.total, 1);
  assert.equal((listed as any).devices[0].id, terminal.deviceId);
  assert.equal((listed as any).devices[0].operating_mode, 'STANDALONE');

  const standalone = await point.createPaymentIntent({ device_id: terminal.deviceId, request: { amount: 1500 } }).catch((e) => e);
  assert.equal(standalone.status, 409, 'a STANDALONE terminal takes no intents');

  const mode = await point.changeDeviceOperatingMode({ device_id: terminal.deviceId, request: { operating_mode: 'PDV' } });
  assert.equal(mode.operating_mode, 'PDV');

  const first = await point.createPaymentIntent({
    device_id: terminal.deviceId,
    request: { amount: 1500, description: 'Mesa 4', payment: { installments: 1, type: 'credit_card' }, additional_info: { external_reference: 'pedido-1' } },
  });
  assert.equal(first.state, 'OPEN');
  assert.equal(first.amount, 1500);
  assert.equal(first.device_id, terminal.deviceId);

  const second = await point.createPaymentIntent({ device_id: terminal.deviceId, request: { amount: 900 } }).catch((e) => e);
  assert.equal(second.status, 409);
  assert.equal(second.causes[0].code, 'point_device_busy');

  const got = await point.searchPaymentIntent({ payment_intent_id: first.id! });
  assert.equal(got.state, 'OPEN');
  assert.equal(got.additional_info?.external_reference, 'pedido-1');

  const cancelled = await point.cancelPaymentIntent({ device_id: terminal.deviceId, payment_intent_id: first.id! });
  assert.equal(cancelled.id, first.id);
  const again = await point.cancelPaymentIntent({ device_id: terminal.deviceId, payment_intent_id: first.id! }).catch((e) => e);
  assert.equal(again.status, 409, 'cancelled once');

  const before = await balance(merchant);
  const intent = await point.createPaymentIntent({ device_id: terminal.deviceId, request: { amount: 2550, description: 'Mesa 5' } });
  const next = await device(server, terminal, 'GET', '/payment-intents/next');
  assert.equal(next.body.payment_intent.id, intent.id);
  assert.equal(next.body.payment_intent.amount_text, '25.50');
  const paid = await payOnTerminal(server, terminal, intent.id!);
  assert.equal(paid.state, 'PROCESSED');
  assert.equal(paid.payment.state, 'approved');
  const cancelLate = await point.cancelPaymentIntent({ device_id: terminal.deviceId, payment_intent_id: intent.id! }).catch((e) => e);
  assert.equal(cancelLate.status, 409, 'a processed intent is not cancelled');
  const finished = await device(server, terminal, 'POST', `/payment-intents/${intent.id}/confirm`);
  assert.equal(finished.body.state, 'FINISHED');

  const status = await point.getPaymentIntentStatus({ payment_intent_id: intent.id! });
  assert.equal(status.status, 'FINISHED');
  const final = await point.searchPaymentIntent({ payment_intent_id: intent.id! });
  assert.equal(final.state, 'FINISHED');
  const paymentId = (final.payment as any).id as number;

  const client = new MercadoPagoConfig({ accessToken: merchant.accessToken, options: { timeout: 10_000 } });
  const payment = await new Payment(client).get({ id: paymentId });
  assert.equal(payment.status, 'approved');
  assert.equal(payment.transaction_amount, 25.5);
  assert.equal((payment as any).point_of_interaction.device_id, terminal.deviceId);
  assert.equal((payment as any).point_of_interaction.payment_intent_id, intent.id);
  const found = await new Payment(client).search({ options: { external_reference: undefined } as never });
  assert.ok(
    found.results?.some((p) => Number(p.id) === paymentId),
    'listed in /v1/payments',
  );
  assert.equal(await balance(merchant), before + 2550, 'the merchant got the amount (no pos fee set)');

  const refund = await new PaymentRefund(client).create({ payment_id: paymentId, body: {} });
  assert.equal(refund.amount, 25.5);
  assert.equal(await balance(merchant), before, 'refunded');

  const list = await point.getPaymentIntentList({ body: { options: { startDate: '2000-01-01', endDate: '2100-01-01' } } });
  assert.deepEqual(
    list.events?.filter((e) => e.payment_intent_id === intent.id).map((e) => e.status),
    ['OPEN', 'ON_TERMINAL', 'PROCESSING', 'PROCESSED', 'FINISHED'],
  );

  await worker.runOnce();
  assert.deepEqual(pointStates('/point-sdk', first.id!), ['OPEN', 'CANCELED']);
  assert.deepEqual(pointStates('/point-sdk', intent.id!), ['OPEN', 'ON_TERMINAL', 'PROCESSING', 'PROCESSED', 'FINISHED']);
});

test('the simulator’s amounts: 1200.00 rejected and 1300.00 error move no money; 1100.00 is reversed', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const token = merchant.accessToken;
  const before = await balance(merchant);
  const create = async (amount: number) => {
    const answer = await http(server.url, 'POST', `/point/integration-api/devices/${terminal.deviceId}/payment-intents`, { token, json: { amount } });
    assert.equal(answer.status, 201, answer.text);
    return answer.body.id as string;
  };

  const rejected = await payOnTerminal(server, terminal, await create(120000));
  assert.equal(rejected.state, 'PROCESSED');
  assert.equal(rejected.payment.state, 'rejected');
  await device(server, terminal, 'POST', `/payment-intents/${rejected.id}/confirm`);

  const error = await payOnTerminal(server, terminal, await create(130000));
  assert.equal(error.state, 'ERROR');
  assert.equal(error.payment.id, null, 'no payment at all');

  const reversedId = await create(110000);
  const processed = await http(server.url, 'POST', `/sandbox/point/payment-intents/${reversedId}/process`, { token, json: {} });
  assert.equal(processed.status, 200, processed.text);
  assert.equal(processed.body.state, 'FINISHED');
  assert.equal(processed.body.payment.state, 'cancelled');

  const declined = await http(server.url, 'POST', `/sandbox/point/payment-intents/${await create(5000)}/process`, { token, json: { cardholder: 'FUND' } });
  assert.equal(declined.body.payment.state, 'rejected');

  assert.equal(await balance(merchant), before, 'no money moved');
  const payments = await http(server.url, 'GET', '/v1/payments/search', { token });
  assert.deepEqual(payments.body.results.map((p: any) => p.status).sort(), ['cancelled', 'rejected', 'rejected']);

  const approved = await http(server.url, 'POST', `/sandbox/point/payment-intents/${await create(4000)}/process`, { token, json: null });
  assert.equal(approved.body.state, 'FINISHED');
  assert.equal(await balance(merchant), before + 4000);
});
