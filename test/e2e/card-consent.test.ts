// The marketplace's authorization-code flow in Chromium: the integrator sends a seller to the
// address the official SDK builds (its host pointed at Pasarela), the seller signs in on the
// consent page ("Autorizar a <app> a cobrar en su nombre") and approves, the browser lands on
// the integrator's registered redirect URI with a code and the same state, the SDK exchanges
// the code, and a payment made with that token is collected by the seller. Cancelling answers
// error=access_denied; an unregistered redirect URI is never followed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { CardToken, MercadoPagoConfig, OAuth, Payment } from 'mercadopago';
import { createRequire } from 'node:module';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/index.ts';
import { updateApp } from '../../src/modules/apps/index.ts';
import { findAppByClientIdWithoutLogo } from '../../src/modules/apps/repo.ts';
import { findUserByUsername } from '../../src/modules/identity/index.ts';
import { listWallets } from '../../src/modules/wallets/index.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { launchBrowser } from './browser.ts';
import { captureScreen, openConsole, skipWithoutChromium as skip, unexpectedErrors } from './console-kit.ts';

const require = createRequire(import.meta.url);
const { AppConfig } = require('mercadopago/dist/utils/config') as { AppConfig: { BASE_URL: string; DEFAULT_RETRIES: number } };

let server: TestServer;
let demo: DemoDocument;
let browser: Browser;
let integrator: Server;
let callbackBase: string;
const landed: URL[] = [];

before(async () => {
  if (skip) return;
  server = await startTestServer();
  demo = await ensureDemo(server.ctx);
  AppConfig.BASE_URL = server.url;
  AppConfig.DEFAULT_RETRIES = 0;
  // The integrator's own server: it records where the seller's browser comes back.
  integrator = createServer((request, response) => {
    const url = new URL(request.url ?? '/', callbackBase);
    if (url.pathname === '/mp/callback') landed.push(url);
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!DOCTYPE html><html lang="es"><title>Integrador</title><h1>Listo</h1></html>');
  });
  await new Promise<void>((resolve) => integrator.listen(0, '127.0.0.1', resolve));
  callbackBase = `http://127.0.0.1:${(integrator.address() as AddressInfo).port}`;
  const merchant = await findUserByUsername(server.ctx.store.db, demo.merchant.username);
  const app = await findAppByClientIdWithoutLogo(server.ctx.store.db, demo.merchant.app.clientId);
  await updateApp(server.ctx, merchant!.id, app!.id, { redirectUris: [`${callbackBase}/mp/callback`] });
  browser = await launchBrowser();
});
after(async () => {
  if (skip) return;
  await browser.close();
  integrator.close();
  await server.close();
});

async function testUser() {
  const made = await http(server.url, 'POST', '/users/test_user', { json: { site_id: 'MLV' }, token: demo.merchant.app.accessToken });
  assert.equal(made.status, 201, made.text);
  return made.body as { id: string; nickname: string; password: string; email: string };
}

/** The address the official SDK sends a seller to, with its host pointed at Pasarela. */
function authorizationUrl(state: string, redirectUri = `${callbackBase}/mp/callback`): string {
  const url = new OAuth(new MercadoPagoConfig({ accessToken: demo.merchant.app.accessToken })).getAuthorizationURL({
    options: { client_id: demo.merchant.app.clientId, redirect_uri: redirectUri, state },
  });
  return url.replace('https://auth.mercadopago.com', server.url);
}

test('a seller approves the integrator’s app; its token collects for the seller', { skip }, async () => {
  const seller = await testUser();
  const buyer = await testUser();
  const { page, errors, context } = await openConsole(browser, 390);
  await page.goto(authorizationUrl('pedido-42'));
  await page.getByRole('heading', { name: 'Autorizar a Tienda Demo a cobrar en su nombre' }).waitFor();
  await captureScreen(page, 'consent-sign-in');
  await page.getByLabel('Usuario, teléfono o identificación').fill(seller.nickname);
  await page.getByLabel('Contraseña').fill('wrong-password');
  await page.getByRole('button', { name: 'Continuar' }).click();
  await page.getByText('Usuario o contraseña incorrectos.').waitFor();
  await page.getByLabel('Usuario, teléfono o identificación').fill(seller.nickname);
  await page.getByLabel('Contraseña').fill(seller.password);
  await page.getByRole('button', { name: 'Continuar' }).click();
  await page.getByText(seller.nickname, { exact: false }).waitFor();
  await captureScreen(page, 'consent-approve');
  await page.getByRole('button', { name: 'Autorizar', exact: true }).click();
  await page.getByRole('heading', { name: 'Listo' }).waitFor();

  const back = landed.at(-1)!;
  assert.equal(back.pathname, '/mp/callback');
  assert.equal(back.searchParams.get('state'), 'pedido-42');
  const code = back.searchParams.get('code')!;
  assert.ok(code);
  assert.deepEqual(unexpectedErrors(errors, 401), []);
  await context.close();

  const pair = await new OAuth(new MercadoPagoConfig({ accessToken: demo.merchant.app.accessToken })).create({
    body: { client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret, code, redirect_uri: `${callbackBase}/mp/callback` },
  });
  assert.equal(pair.user_id as unknown, seller.id);
  const sellerClient = new MercadoPagoConfig({ accessToken: pair.access_token! });
  const card = await new CardToken(new MercadoPagoConfig({ accessToken: demo.merchant.app.accessToken })).create({
    body: { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } } as never,
  });
  const payment = await new Payment(sellerClient).create({
    body: { transaction_amount: 80, token: card.id!, description: 'Venta del marketplace', installments: 1, payer: { email: buyer.email } } as never,
  });
  assert.equal(payment.status, 'approved');
  const wallet = (await listWallets(server.ctx.store.db, seller.id)).find((w) => w.currency === 'VES')!;
  assert.ok(wallet.balanceMinor > 0 && wallet.balanceMinor <= 8000, `the seller collected: ${wallet.balanceMinor}`);
  // The integrator's own account did not.
  const seen = await http(server.url, 'GET', `/v1/payments/${payment.id}`, { token: demo.merchant.app.accessToken });
  assert.equal(seen.status, 404, 'the payment is the seller’s, not the app owner’s');
});

test('cancelling answers access_denied with the state; English on request', { skip }, async () => {
  const seller = await testUser();
  const { page, context } = await openConsole(browser, 1280);
  await page.goto(`${authorizationUrl('s-1')}&lang=en`);
  await page.getByRole('heading', { name: 'Authorize Tienda Demo to collect payments on your behalf' }).waitFor();
  await page.getByLabel('Username, phone or ID number').fill(seller.nickname);
  await page.getByLabel('Password').fill(seller.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  // The footer's language links keep the request.
  await page.getByRole('link', { name: 'Español' }).click();
  await page.getByRole('heading', { name: 'Autorizar a Tienda Demo a cobrar en su nombre' }).waitFor();
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('heading', { name: 'Listo' }).waitFor();
  const back = landed.at(-1)!;
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 's-1');
  assert.equal(back.searchParams.get('code'), null);
  await context.close();
});

test('an unregistered redirect URI or an unknown app is shown, never followed', { skip }, async () => {
  const { page, context } = await openConsole(browser, 390);
  const before = landed.length;
  const answer = await page.goto(authorizationUrl('x', 'https://evil.example/steal'));
  assert.equal(answer?.status(), 400);
  await page.getByText('La dirección de regreso (redirect_uri) no está registrada').waitFor();
  assert.equal(new URL(page.url()).origin, server.url);
  await captureScreen(page, 'consent-bad-redirect');
  const unknown = await page.goto(
    `${server.url}/authorization?client_id=nobody&response_type=code&redirect_uri=${encodeURIComponent(`${callbackBase}/mp/callback`)}`,
  );
  assert.equal(unknown?.status(), 400);
  await page.getByText('La aplicación no existe en este ambiente').waitFor();
  // A wrong response_type with a registered URI goes back to the integrator, which must hear of it.
  await page.goto(authorizationUrl('t').replace('response_type=code', 'response_type=token'));
  await page.getByRole('heading', { name: 'Listo' }).waitFor();
  assert.equal(landed.at(-1)!.searchParams.get('error'), 'unsupported_response_type');
  assert.equal(landed.length, before + 1);
  await context.close();
});
