// Notifications of card payments: a payment's own notification_url and the app's endpoints
// subscribed to payment.* receive the general notification, signed; the receiver then reads
// the payment's current state with the access token. Sandbox payments send them too (this
// server is a sandbox).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CardToken, MercadoPagoConfig, Payment, PaymentRefund } from 'mercadopago';
import { verifySignature } from '../../src/index.ts';
import { createEndpoint, rotateNotificationSecret } from '../../src/modules/webhooks/index.ts';
import { startWebhookWorker, type WebhookWorker } from '../../src/workers/webhooks.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { createMerchant, startReceiver, type Merchant, type Receiver } from '../webhook-fixtures.ts';

const require = createRequire(import.meta.url);
const { AppConfig } = require('mercadopago/dist/utils/config') as { AppConfig: { BASE_URL: string; DEFAULT_RETRIES: number } };

let server: TestServer;
let receiver: Receiver;
let worker: WebhookWorker;

before(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  worker = startWebhookWorker(server.ctx, { settings: { pollMs: 3600_000, timeoutMs: 2000 }, wake: false });
  AppConfig.BASE_URL = server.url;
  AppConfig.DEFAULT_RETRIES = 0;
});
after(async () => {
  await worker.stop();
  await receiver.close();
  await server.close();
});

const at = (path: string) => receiver.received.filter((r) => r.path === path);

async function payWithNotificationUrl(merchant: Merchant, notificationUrl: string) {
  const client = new MercadoPagoConfig({ accessToken: merchant.accessToken, options: { timeout: 10_000 } });
  const token = await new CardToken(client).create({
    body: { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } } as never,
  });
  const payment = await new Payment(client).create({
    body: {
      transaction_amount: 120,
      token: token.id,
      description: 'Compra',
      installments: 1,
      payer: { email: 'buyer@example.com' },
      notification_url: notificationUrl,
    } as never,
  });
  return { client, payment };
}

test('a card payment notifies its notification_url and the app’s payment.* endpoints, signed; the receiver reads the current state', async () => {
  const merchant = await createMerchant(server.ctx);
  const { secret: endpointSecret } = await createEndpoint(server.ctx, merchant.user.id, merchant.app.id, {
    url: `${receiver.url}/app-endpoint`,
    eventTypes: ['payment.*'],
  });
  const { secret: notificationSecret } = await rotateNotificationSecret(server.ctx, merchant.user.id, merchant.app.id);
  const { client, payment } = await payWithNotificationUrl(merchant, `${receiver.url}/ipn?order=77`);
  assert.equal(payment.status, 'approved');
  await worker.runOnce();

  const [own] = at('/ipn');
  assert.ok(own, 'the notification_url received the notification');
  assert.equal(own.method, 'POST');
  assert.deepEqual(Object.keys(own.body).sort(), ['action', 'api_version', 'data', 'date_created', 'id', 'live_mode', 'type', 'user_id']);
  assert.equal(own.body.type, 'payment');
  assert.equal(own.body.action, 'payment.created');
  assert.equal(own.body.api_version, 'v1');
  assert.equal(own.body.live_mode, false);
  assert.equal(own.body.user_id, merchant.user.id);
  assert.ok(!Number.isNaN(Date.parse(own.body.date_created)));
  assert.deepEqual(own.body.data, { id: String(payment.id) });
  assert.equal(own.query.get('data.id'), String(payment.id));
  assert.equal(own.query.get('type'), 'payment');
  assert.equal(own.query.get('order'), '77', 'the URL keeps its own query');
  assert.ok(own.headers['x-request-id']);
  assert.ok(verifySignature(own.headers, own.query, notificationSecret), 'signed with the app’s notification secret');

  const [endpoint] = at('/app-endpoint');
  assert.ok(endpoint, 'the app endpoint subscribed to payment.* received it too');
  assert.equal(endpoint.body.action, 'payment.created');
  assert.deepEqual(endpoint.body.data, { id: String(payment.id) });
  assert.ok(verifySignature(endpoint.headers, endpoint.query, endpointSecret));

  // The receiver fetches the payment named by data.id with the access token.
  const fetched = await http(server.url, 'GET', `/v1/payments/${own.query.get('data.id')}`, { token: merchant.accessToken });
  assert.equal(fetched.status, 200);
  assert.equal(fetched.body.id, payment.id);
  assert.equal(fetched.body.status, 'approved');

  // A partial refund: the payment's notification_url hears of it (the refund and the payment's update).
  await new PaymentRefund(client).create({ payment_id: payment.id!, body: { amount: 20 } });
  await worker.runOnce();
  const later = at('/ipn').slice(1);
  assert.deepEqual(later.map((r) => `${r.body.type} ${r.body.action}`).sort(), ['payment payment.updated', 'refund refund.created']);
  for (const r of later) assert.ok(verifySignature(r.headers, r.query, notificationSecret));
  const updated = later.find((r) => r.body.action === 'payment.updated')!;
  assert.equal(updated.query.get('data.id'), String(payment.id));
  const current = await new Payment(client).get({ id: Number(updated.body.data.id) });
  assert.equal(current.status_detail, 'partially_refunded');
  assert.equal(current.transaction_amount_refunded, 20);
});

test('a payment without notification_url notifies only the app’s endpoints', async () => {
  const merchant = await createMerchant(server.ctx);
  await createEndpoint(server.ctx, merchant.user.id, merchant.app.id, { url: `${receiver.url}/only-endpoint`, eventTypes: ['payment.*'] });
  const client = new MercadoPagoConfig({ accessToken: merchant.accessToken, options: { timeout: 10_000 } });
  const token = await new CardToken(client).create({
    body: { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } } as never,
  });
  const payment = await new Payment(client).create({ body: { transaction_amount: 5, token: token.id, installments: 1, payer: { email: 'a@b.co' } } as never });
  await worker.runOnce();
  const deliveries = await server.ctx.store.db.selectFrom('webhook_deliveries').select(['target']).where('app_id', '=', merchant.app.id).execute();
  assert.deepEqual(
    deliveries.map((d) => d.target),
    ['endpoint'],
  );
  assert.equal(at('/only-endpoint')[0]?.query.get('data.id'), String(payment.id));
});
