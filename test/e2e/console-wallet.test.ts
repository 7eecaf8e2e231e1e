// A wallet holder in the web console, in a real browser: sees the balance; a merchant's billing
// request (wallet API) appears without reloading and is paid with the PIN (a wrong PIN said on
// the field); the balance and movements show it. Then money sent to another person, sandbox
// test money, and a PIN created and changed with the password. Every screen passes axe-core
// with no unexpected browser-console errors, at 390 px and 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { IDENTITY_MESSAGES } from '../../src/modules/identity/rules.ts';
import { WALLET_MESSAGES } from '../../src/modules/wallets/rules.ts';
import { http } from '../helpers.ts';
import { login, PASSWORD, registerPerson } from '../api/core-fixtures.ts';
import { balanceOf, createRequest, walletWorld, type WalletWorld } from '../api/wallet-fixtures.ts';
import { captureScreen, openConsole, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();
// The demo merchant and buyers, made on first use: top-level hooks may start together, so the
// server is only sure to be up inside a test.
let w: WalletWorld;
const demo = async () => (w ??= await walletWorld(world.server));

/** The money as the console shows it in Spanish (Chromium and Node share ICU's data). */
const money = (amount: number) =>
  new Intl.NumberFormat('es-VE', { style: 'currency', currency: 'VES', currencyDisplay: 'code' }).format(amount).replace(/\s/g, ' ');
const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s/g, ' ');
const fieldError = (page: Page, label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');

async function signIn(page: Page, loginName: string, password: string, name: string) {
  await page.goto(`${world.server.url}/console/signin`);
  await page.getByLabel('Usuario, teléfono o identificación').fill(loginName);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: `Hola, ${name}` }).waitFor();
}

test('a merchant’s billing request appears without reloading and is paid with the PIN; balance and movements show it', { skip }, async () => {
  const buyer = (await demo()).demo.buyers[0]!;
  const { page, errors, context } = await openConsole(world.browser);
  await signIn(page, buyer.username, buyer.password, 'María Pérez');
  await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Billetera' }).click();
  await page.getByRole('heading', { name: 'Mi billetera' }).waitFor();
  const start = await balanceOf(w, buyer.username);
  assert.equal(await text(page, 'balance-VES'), money(start / 100));
  await page.getByText('No tiene solicitudes de pago pendientes.').waitFor();
  await captureScreen(page, '40-wallet');

  // The merchant asks through the wallet API; the page was loaded once and is not reloaded.
  await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
  const request = await createRequest(w, buyer.phone, { 'paymentintent[transactions][0][description]': 'Factura de internet' });
  const item = page.getByTestId('payment-request');
  await item.waitFor();
  assert.match((await item.textContent()) ?? '', /Pepitos House.*Factura de internet/);
  assert.ok((await item.textContent())?.replace(/\s/g, ' ').includes(money(20)));
  assert.equal(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce), true, 'no reload');
  await captureScreen(page, '41-wallet-request');

  await item.getByRole('button', { name: /^Pagar / }).click();
  const dialog = page.getByRole('dialog', { name: 'Pagar solicitud' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Pagar ahora' }).click();
  await dialog.getByText(IDENTITY_MESSAGES.pin.es).waitFor();
  await dialog.getByLabel('PIN de operaciones').fill('9999');
  await dialog.getByRole('button', { name: 'Pagar ahora' }).click();
  await dialog.getByText(IDENTITY_MESSAGES.pinWrong.es).waitFor();
  await captureScreen(page, '42-wallet-pay-pin');
  await dialog.getByLabel('PIN de operaciones').fill(buyer.pin);
  await dialog.getByRole('button', { name: 'Pagar ahora' }).click();
  await page.getByText(`Pagó ${money(20)} a Pepitos House.`).waitFor();
  await item.waitFor({ state: 'detached' }); // the paid request left the list

  assert.equal(await balanceOf(w, buyer.username), start - 2000);
  await page.waitForFunction(
    (expected) => document.querySelector('[data-testid="balance-VES"]')?.textContent?.replace(/\s/g, ' ') === expected,
    money((start - 2000) / 100),
  );
  const recent = page.getByTestId('movements').locator('li').first();
  await recent.getByText('Factura de internet').waitFor();
  assert.ok(((await recent.textContent()) ?? '').replace(/\s/g, ' ').includes(`− ${money(20)}`), 'money out, signed');
  const shown = await http(world.server.url, 'GET', `/api/payment-intent/show.json?id=${request.id}`, { token: w.token });
  assert.equal(shown.body.state, 'executed', 'the merchant sees it paid');
  await captureScreen(page, '43-wallet-paid');

  await page.getByRole('main').getByRole('link', { name: 'Movimientos', exact: true }).click();
  await page.getByRole('heading', { name: 'Movimientos', level: 1 }).waitFor();
  await page.getByTestId('movements').getByText('Factura de internet').waitFor();
  await captureScreen(page, '44-movements');
  assert.deepEqual(unexpectedErrors(errors, 400), []);
  await context.close();
});

test('money is sent to another person with the PIN, and test money is added in sandbox', { skip }, async () => {
  const [buyer, friend] = (await demo()).demo.buyers as [WalletWorld['demo']['buyers'][0], WalletWorld['demo']['buyers'][0]];
  const { page, errors, context } = await openConsole(world.browser, 390);
  await signIn(page, buyer.username, buyer.password, 'María Pérez');
  await page.goto(`${world.server.url}/console/wallet/send`);
  await page.getByRole('heading', { name: 'Enviar dinero' }).waitFor();
  await captureScreen(page, '45-send');

  // The browser refuses what the server would, in the server's words.
  await page.getByRole('button', { name: 'Enviar', exact: true }).click();
  await fieldError(page, 'Destinatario').waitFor();
  assert.equal(await fieldError(page, 'Destinatario').textContent(), WALLET_MESSAGES.recipient.es);
  assert.equal(await fieldError(page, 'Monto').textContent(), WALLET_MESSAGES.amountEmpty.es);
  assert.equal(await fieldError(page, 'PIN de operaciones').textContent(), IDENTITY_MESSAGES.pin.es);
  const session = await login(world.server, buyer.username, buyer.password);
  const serverSays = await http(world.server.url, 'POST', '/console/api/transfers', { json: { to: '', amount: '' }, headers: session.headers });
  assert.equal(serverSays.status, 400);
  await page.getByLabel('Monto').fill('12.505');
  await page.getByRole('button', { name: 'Enviar', exact: true }).click();
  await page.getByText(WALLET_MESSAGES.amountDecimals.es).waitFor();
  await captureScreen(page, '46-send-errors');

  const before = await balanceOf(w, friend.username);
  await page.getByLabel('Destinatario').fill(friend.phone);
  await page.getByLabel('Monto').fill('12.50');
  await page.getByLabel('Concepto (opcional)').fill('Almuerzo');
  await page.getByLabel('PIN de operaciones').fill(buyer.pin);
  await page.getByRole('button', { name: 'Enviar', exact: true }).click();
  await page.getByText(`Envió ${money(12.5)} a ${friend.username}.`).waitFor();
  assert.equal(await balanceOf(w, friend.username), before + 1250);
  await captureScreen(page, '47-sent');

  // Test money: a demo buyer is a test user.
  await page.goto(`${world.server.url}/console/wallet`);
  await page.getByRole('heading', { name: 'Dinero de prueba' }).waitFor();
  const mine = await balanceOf(w, buyer.username);
  await page.getByLabel('Monto').fill('50');
  await page.getByRole('button', { name: 'Recargar' }).click();
  await page.getByText(`Se acreditaron ${money(50)} de prueba.`).waitFor();
  assert.equal(await balanceOf(w, buyer.username), mine + 5000);
  await page.getByTestId('movements').getByText('Recarga de prueba').first().waitFor();
  await captureScreen(page, '48-wallet-topped-up');
  assert.deepEqual(unexpectedErrors(errors, 400), []);
  await context.close();
});

test('a person without a PIN creates one with the password, then changes it', { skip }, async () => {
  await demo();
  const person = await registerPerson(world.server, { pin: '' });
  const { page, errors, context } = await openConsole(world.browser);
  await signIn(page, person.username, PASSWORD, 'Persona de Prueba');
  await page.goto(`${world.server.url}/console/wallet`);
  await page.getByText('Aún no tiene PIN').waitFor();
  await page.getByText(/las recargas de prueba son para los usuarios de prueba/).waitFor();
  await captureScreen(page, '49-wallet-no-pin');

  await page.getByRole('link', { name: 'Crear PIN' }).first().click();
  await page.getByRole('heading', { name: 'Crear PIN de operaciones' }).waitFor();
  await page.getByLabel('Contraseña de su cuenta').fill('no-es-la-clave');
  await page.getByLabel('PIN de operaciones').fill('2468');
  await page.getByRole('button', { name: 'Crear PIN' }).click();
  await fieldError(page, 'Contraseña de su cuenta').getByText(IDENTITY_MESSAGES.passwordWrong.es).waitFor();
  await captureScreen(page, '50-pin-create');
  await page.getByLabel('Contraseña de su cuenta').fill(PASSWORD);
  await page.getByRole('button', { name: 'Crear PIN' }).click();
  await page.getByText('PIN creado. Ya puede pagar y enviar dinero.').waitFor();
  await page.getByRole('heading', { name: 'Cambiar PIN de operaciones' }).waitFor();

  await page.getByLabel('Contraseña de su cuenta').fill(PASSWORD);
  await page.getByLabel('Nuevo PIN').fill('5678');
  await page.getByRole('button', { name: 'Cambiar PIN' }).click();
  await page.getByText('PIN cambiado. Use el nuevo PIN desde ahora.').waitFor();
  await captureScreen(page, '51-pin-changed');

  // The server agrees: the old PIN is wrong, the new one passes (then the empty wallet refuses).
  const session = await login(world.server, person.username);
  const send = (pin: string) =>
    http(world.server.url, 'POST', '/console/api/transfers', { json: { to: w.demo.buyers[0]!.username, amount: '1.00', pin }, headers: session.headers });
  assert.deepEqual((await send('2468')).body.errors.children.pin.errors, [IDENTITY_MESSAGES.pinWrong.es]);
  assert.deepEqual((await send('5678')).body.errors.errors, [WALLET_MESSAGES.noFundsTransfer.es]);

  // The same page in English, money in the English locale.
  await page.getByRole('link', { name: 'Billetera', exact: true }).first().click();
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'My wallet' }).waitFor();
  await page.getByRole('link', { name: 'Change PIN' }).waitFor();
  assert.equal(await text(page, 'balance-VES'), 'VES 0.00');
  await captureScreen(page, '52-wallet-english');
  assert.deepEqual(unexpectedErrors(errors, 400), []);
  await context.close();
});
