// A buyer walks through the hosted checkout in a real browser: to the merchant's return URL,
// and through the cancel path.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { createSale, executeSale, startReceiver, walletWorld, type Receiver, type WalletWorld } from '../api/wallet-fixtures.ts';
import { chromiumAvailable, launchBrowser } from './browser.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (apt-get install chromium)';
let server: TestServer;
let w: WalletWorld;
let receiver: Receiver;
let browser: Browser;

before(async () => {
  if (skip) return;
  server = await startTestServer();
  w = await walletWorld(server);
  receiver = await startReceiver(200, '<!doctype html><title>Tienda</title><p>Gracias</p>');
  browser = await launchBrowser();
});
after(async () => {
  if (skip) return;
  await browser.close();
  await receiver.close();
  await server.close();
});

function saleFor(receiverUrl: string) {
  return { 'paymentintent[redirectUrls][returnUrl]': `${receiverUrl}/gracias`, 'paymentintent[redirectUrls][cancelUrl]': `${receiverUrl}/carrito` };
}

test('the buyer signs in, reviews and authorizes; the merchant executes', { skip }, async () => {
  const buyer = w.demo.buyers[0]!;
  const intent = await createSale(w, saleFor(receiver.url));
  // a browser set to Spanish (Venezuela): the page follows its Accept-Language, no ?lang needed
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'es-VE' });
  await page.goto(intent._links.approval_url.href);
  assert.equal(await page.locator('h1').textContent(), 'Inicie sesión para pagar');
  await page.fill('#login', buyer.phone);
  await page.fill('#password', 'clave-equivocada');
  await page.click('button[type=submit] >> nth=0');
  assert.match((await page.locator('.error').textContent()) ?? '', /incorrectos/);
  await page.fill('#login', buyer.phone);
  await page.fill('#password', buyer.password);
  await page.click('button[type=submit] >> nth=0');
  await page.waitForURL(/\/2\?lang=es$/);
  assert.equal((await page.locator('#total').textContent())?.trim(), '20,00 VES');
  assert.equal(await page.locator('.merchant span').textContent(), 'Tienda Demo');
  const logo = await page.locator('.merchant img').evaluate((img: HTMLImageElement) => img.naturalWidth);
  assert.ok(logo > 0, 'the merchant logo loads under the CSP');
  mkdirSync('.test-artifacts', { recursive: true });
  await page.screenshot({ path: '.test-artifacts/checkout-review.png', fullPage: true });
  await Promise.all([page.waitForURL(`${receiver.url}/gracias**`), page.click('#approve')]);
  const landed = new URL(page.url());
  assert.equal(landed.searchParams.get('paymentIntent'), intent.id);
  assert.equal(landed.searchParams.get('payerId'), buyer.id);
  const executed = await executeSale(w, intent.id, buyer.id);
  assert.equal(executed.status, 200, executed.text);
  assert.equal(executed.body.state, 'executed');
  // The page now says the payment is done instead of offering it again.
  await page.goto(intent._links.approval_url.href);
  assert.match((await page.locator('.error').textContent()) ?? '', /ya fue procesado/);
  await page.close();
});

test('the buyer cancels and returns to the cancel URL; the intent cannot be executed', { skip }, async () => {
  const buyer = w.demo.buyers[1]!;
  const intent = await createSale(w, saleFor(receiver.url));
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${intent._links.approval_url.href}?lang=en`);
  assert.equal(await page.locator('h1').textContent(), 'Sign in to pay');
  await page.fill('#login', buyer.username);
  await page.fill('#password', buyer.password);
  await page.click('button[type=submit] >> nth=0');
  await page.waitForURL(/\/2\?lang=en$/);
  await Promise.all([page.waitForURL(`${receiver.url}/carrito?paymentIntent=${intent.id}`), page.click('#cancel')]);
  const shown = await http(server.url, 'GET', `/api/payment-intent/show.json?id=${intent.id}`, { token: w.token });
  assert.equal(shown.body.state, 'rejected');
  const refused = await executeSale(w, intent.id, buyer.id);
  assert.equal(refused.status, 400);
  await context.close();
});

test('the pages carry a strict CSP and refuse a form without its CSRF token', { skip }, async () => {
  const intent = await createSale(w, saleFor(receiver.url));
  const page = await http(server.url, 'GET', new URL(intent._links.approval_url.href).pathname);
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.ok(csp.includes(receiver.url), 'form-action allows the return and cancel origins');
  const forged = await http(server.url, 'POST', new URL(intent._links.approval_url.href).pathname, {
    form: { login: w.demo.buyers[0]!.username, password: w.demo.buyers[0]!.password },
  });
  assert.equal(forged.status, 403);
  const missing = await http(server.url, 'GET', '/p/express-checkout/no-existe/1');
  assert.equal(missing.status, 404);
});
