// The virtual terminal in Chromium at 390 px, as a cashier uses it. The integrator creates
// intents with the official SDK's Point client; the demo's pre-linked terminal (opened from the
// address `pasarela demo` prints) takes one and pays with APRO, and the intent ends FINISHED
// with its payment in /v1/payments; the simulator's 1200.00 shows a rejection with no money
// moved. A fresh page registers itself, shows its pairing code, and once the merchant links it
// (console API) waits for charges, sees a cancelled one go, and notices being unlinked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { MercadoPagoConfig, Payment, Point } from 'mercadopago';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/index.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { launchBrowser } from './browser.ts';
import { captureScreen, esMoney, openConsole, skipWithoutChromium as skip, unexpectedErrors } from './console-kit.ts';

const require = createRequire(import.meta.url);
const { AppConfig } = require('mercadopago/dist/utils/config') as { AppConfig: { BASE_URL: string; DEFAULT_RETRIES: number } };

let server: TestServer;
let demo: DemoDocument;
let browser: Browser;
let point: Point;
let payments: Payment;

before(async () => {
  if (skip) return;
  server = await startTestServer();
  demo = await ensureDemo(server.ctx);
  browser = await launchBrowser();
  AppConfig.BASE_URL = server.url;
  AppConfig.DEFAULT_RETRIES = 0;
  const config = new MercadoPagoConfig({ accessToken: demo.merchant.app.accessToken, options: { timeout: 10_000 } });
  point = new Point(config);
  payments = new Payment(config);
});
after(async () => {
  if (skip) return;
  await browser.close();
  await server.close();
});

/** The demo terminal's page on this test server (the fragment as `pasarela demo` prints it). */
function demoTerminalUrl(): string {
  assert.equal(demo.devices.length, 1);
  return `${server.url}/p/terminal${new URL(demo.devices[0]!.virtualTerminalUrl).hash}`;
}

async function merchantBalance(): Promise<number> {
  const row = await server.ctx.store.db.selectFrom('accounts').select('balance_minor').where('id', '=', demo.merchant.accountId).executeTakeFirstOrThrow();
  return Number(row.balance_minor);
}

/** What an element says, with the no-break spaces of formatted amounts as plain spaces (as esMoney writes them). */
async function said(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? '').replace(/\s/g, ' ');
}

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

async function intentState(id: string): Promise<string> {
  return (await point.searchPaymentIntent({ payment_intent_id: id })).state!;
}

test('the demo terminal takes the SDK’s intent and pays with APRO: FINISHED, the payment in /v1/payments', { skip }, async () => {
  const { page, errors, context } = await openConsole(browser, 390);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(demoTerminalUrl());
  await heading(page, 'Esperando un cobro').waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the credential leaves the address bar');
  assert.equal(await page.locator('#device-id').textContent(), demo.devices[0]!.id);
  assert.equal(await page.locator('#device-till').textContent(), 'CAJA1');
  assert.ok(await page.locator('#standalone').isHidden(), 'a PDV terminal has no standalone warning');
  await captureScreen(page, 'terminal-idle');

  const before = await merchantBalance();
  const intent = await point.createPaymentIntent({ device_id: demo.devices[0]!.id, request: { amount: 150000, description: 'Mesa 4' } });
  await heading(page, 'Cobro pendiente').waitFor();
  assert.equal(await said(page, 'section:not([hidden]) .amount'), esMoney(1500));
  assert.equal(await page.locator('section:not([hidden]) .description').textContent(), 'Mesa 4');
  assert.match(await said(page, '[role=status]'), /^Cobro pendiente: VES 1\.500,00$/);
  const take = page.getByRole('button', { name: 'Cobrar' });
  const box = (await take.boundingBox())!;
  assert.ok(box.height >= 64 && box.width >= 300, `a big button to take it: ${box.width}×${box.height}`);
  assert.equal(await take.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(26, 127, 55)', 'green');
  await captureScreen(page, 'terminal-intent');
  await take.click();

  await heading(page, 'Pase la tarjeta').waitFor();
  assert.equal(await intentState(intent.id!), 'ON_TERMINAL');
  assert.ok(await page.getByRole('radio', { name: 'Visa •••• 3704' }).isChecked());
  assert.ok(await page.getByRole('radio', { name: 'APRO · Aprobado' }).isChecked());
  assert.equal(await page.getByRole('radio').count(), 5 + 8, 'the test cards and the cardholder outcomes');
  await captureScreen(page, 'terminal-card');
  await page.getByRole('radio', { name: 'Mastercard •••• 0604' }).check();
  await page.getByRole('button', { name: 'Pasar tarjeta' }).click();

  await heading(page, 'Pago aprobado').waitFor();
  assert.match(await said(page, '[role=status]'), /^Pago aprobado: VES 1\.500,00$/);
  await captureScreen(page, 'terminal-approved');
  assert.equal(await intentState(intent.id!), 'PROCESSED');
  await page.getByRole('button', { name: 'Entregar comprobante y finalizar' }).click();
  await heading(page, 'Operación finalizada').waitFor();
  await captureScreen(page, 'terminal-finished');

  const final = await point.searchPaymentIntent({ payment_intent_id: intent.id! });
  assert.equal(final.state, 'FINISHED');
  const paymentId = Number((final.payment as { id: number }).id);
  const payment = await payments.get({ id: paymentId });
  assert.equal(payment.status, 'approved');
  assert.equal(payment.transaction_amount, 1500);
  assert.equal(payment.card?.last_four_digits, '0604', 'the card chosen on the terminal');
  assert.equal((payment as { point_of_interaction?: { device_id?: string } }).point_of_interaction?.device_id, demo.devices[0]!.id);
  const listed = await http(server.url, 'GET', '/v1/payments/search?sort=date_created&criteria=desc', { token: demo.merchant.app.accessToken });
  assert.ok(
    listed.body.results.some((p: { id: number }) => p.id === paymentId),
    'listed in /v1/payments',
  );
  assert.ok((await merchantBalance()) > before, 'the merchant was paid');

  // Back to waiting; the page keeps its credential (another language, same terminal).
  await page.getByRole('button', { name: 'Listo' }).click();
  await heading(page, 'Esperando un cobro').waitFor();
  await page.goto(`${server.url}/p/terminal?lang=en`);
  await heading(page, 'Waiting for a charge').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // Only the page, its assets and the device-side API; the credential in no address.
  const credential = demo.devices[0]!.credential;
  const paths = new Set(requested.map((url) => new URL(url).pathname.replace(/\/payment-intents\/[^/]+/, '/payment-intents/:pid')));
  for (const path of paths) assert.match(path, /^\/p\/terminal$|^\/p\/static\/terminal\.(js|css)$|^\/console\/favicon\.svg$|^\/point\/device\//, path);
  assert.ok(!requested.some((url) => url.includes(credential) || url.includes(encodeURIComponent(credential))), 'the credential is sent in no address');
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});

test('1200.00 on the demo terminal: the page shows the rejection and no money moves', { skip }, async () => {
  const { page, errors, context } = await openConsole(browser, 390);
  await page.goto(demoTerminalUrl());
  await heading(page, 'Esperando un cobro').waitFor();
  const before = await merchantBalance();
  const intent = await point.createPaymentIntent({ device_id: demo.devices[0]!.id, request: { amount: 120000, description: 'Mesa 7' } });
  await heading(page, 'Cobro pendiente').waitFor();
  await page.getByRole('button', { name: 'Cobrar' }).click();
  await page.getByRole('button', { name: 'Pasar tarjeta' }).click();
  await heading(page, 'Pago rechazado').waitFor();
  assert.match(await said(page, '[role=status]'), /^Pago rechazado: VES 1\.200,00$/);
  await captureScreen(page, 'terminal-rejected');
  const processed = await point.searchPaymentIntent({ payment_intent_id: intent.id! });
  assert.equal(processed.state, 'PROCESSED');
  assert.equal((processed.payment as { state: string }).state, 'rejected');
  assert.equal(await merchantBalance(), before, 'no money moved');
  // The receipt of a rejection ends the intent too.
  await page.getByRole('button', { name: 'Entregar comprobante y finalizar' }).click();
  await heading(page, 'Operación finalizada').waitFor();
  assert.equal(await intentState(intent.id!), 'FINISHED');

  // 1300.00: the terminal fails before any card is charged; back to waiting without a receipt.
  const failing = await point.createPaymentIntent({ device_id: demo.devices[0]!.id, request: { amount: 130000 } });
  await page.getByRole('button', { name: 'Listo' }).click();
  await heading(page, 'Cobro pendiente').waitFor();
  await page.getByRole('button', { name: 'Cobrar' }).click();
  await page.getByRole('radio', { name: 'FUND · Rechazado: fondos insuficientes' }).check();
  await page.getByRole('button', { name: 'Pasar tarjeta' }).click();
  await heading(page, 'Error del terminal: no se cobró nada').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Entregar comprobante y finalizar' }).isHidden());
  assert.equal(await intentState(failing.id!), 'ERROR');
  assert.equal(await merchantBalance(), before, 'no money moved');
  await page.getByRole('button', { name: 'Listo' }).click();
  await heading(page, 'Esperando un cobro').waitFor();
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});

test('a fresh page registers, shows its pairing code, and once the merchant links it waits for charges', { skip }, async () => {
  const { page, errors, context } = await openConsole(browser, 390);
  await page.goto(`${server.url}/p/terminal`);
  await heading(page, 'Vincule este terminal').waitFor();
  const code = (await page.locator('#pairing-code').textContent())!;
  assert.match(code, /^[A-HJ-NP-Z2-9]{8}$/);
  await captureScreen(page, 'terminal-pairing');
  // Reloaded, it still shows the same code (the pairing secret is kept), not a new terminal.
  await page.reload();
  await heading(page, 'Vincule este terminal').waitFor();
  assert.equal(await page.locator('#pairing-code').textContent(), code);

  const session = await http(server.url, 'POST', '/console/api/session', { json: { login: demo.merchant.username, password: demo.merchant.password } });
  assert.equal(session.status, 200, session.text);
  const headers = { 'x-session-token': session.body.sessionToken };
  const pos = await http(server.url, 'GET', '/console/api/point', { headers });
  const till = pos.body.tills.find((t: { externalPosId: string }) => t.externalPosId === 'CAJA1');
  const linked = await http(server.url, 'POST', '/console/api/point/devices', { headers, json: { pairingCode: code.toLowerCase(), tillId: till.id } });
  assert.equal(linked.status, 201, linked.text);

  await heading(page, 'Esperando un cobro').waitFor();
  assert.equal(await page.locator('#device-id').textContent(), linked.body.id);
  assert.ok(await page.locator('#standalone').isVisible(), 'linked in STANDALONE mode: it says why no charge comes');
  await captureScreen(page, 'terminal-linked-standalone');

  // The integrator switches it to PDV and sends a charge, then cancels it before it is taken.
  await point.changeDeviceOperatingMode({ device_id: linked.body.id, request: { operating_mode: 'PDV' } });
  const intent = await point.createPaymentIntent({ device_id: linked.body.id, request: { amount: 2550 } });
  await heading(page, 'Cobro pendiente').waitFor();
  assert.equal(await said(page, 'section:not([hidden]) .amount'), esMoney(25.5));
  await point.cancelPaymentIntent({ device_id: linked.body.id, payment_intent_id: intent.id! });
  await heading(page, 'Esperando un cobro').waitFor();
  assert.equal(await page.getByRole('alert').textContent(), 'El cobro fue cancelado o venció antes de tomarlo.');

  // Unlinked by the merchant: the page says so and offers to start over as a new terminal.
  const unlinked = await http(server.url, 'DELETE', `/console/api/point/devices/${linked.body.id}`, { headers });
  assert.equal(unlinked.status, 200, unlinked.text);
  await heading(page, 'Terminal desvinculado').waitFor({ timeout: 20_000 });
  await captureScreen(page, 'terminal-unlinked');
  await page.getByRole('button', { name: 'Registrar como terminal nuevo' }).click();
  await heading(page, 'Vincule este terminal').waitFor();
  assert.notEqual(await page.locator('#pairing-code').textContent(), code);
  assert.deepEqual(unexpectedErrors(errors, 401), []);
  await context.close();
});
