// The merchant's payments in the web console, in a real browser, with a wallet holder in a
// second browser context: the merchant's billing request (wallet API) is open on its payments
// page; the holder pays it with the PIN in their own console; the merchant's page shows it paid
// without reloading. The merchant then filters and searches, opens the detail (state history,
// fee, balanced postings), annuls it after a confirmation, and sees it annulled with the
// reversal. Every screen passes axe-core with no browser-console errors, at 390 px and 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { operatorSession } from '../api/core-fixtures.ts';
import { balanceOf, createRequest, walletWorld, type WalletWorld } from '../api/wallet-fixtures.ts';
import { captureScreen, esMoney, openConsole, signInAs, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();
let w: WalletWorld;

test('a wallet holder pays a pending request with the PIN and the merchant’s page shows it without reloading; the merchant annuls it', { skip }, async () => {
  w = await walletWorld(world.server);
  const operator = await operatorSession(world.server);
  const fee = await http(world.server.url, 'PUT', '/console/api/operator/fees', {
    json: { operation: 'request', currency: 'VES', percent: '2.5', fixed: '0' },
    headers: operator.headers,
  });
  assert.equal(fee.status, 200, fee.text);
  const buyer = w.demo.buyers[0]!;
  const m = w.demo.merchant;

  // The merchant's page, loaded once with the request open on it.
  const request = await createRequest(w, buyer.username, { 'paymentintent[transactions][0][description]': 'Factura de agua' });
  const merchant = await openConsole(world.browser);
  await signInAs(merchant.page, world.server.url, m.username, m.password, 'Pepitos House');
  await merchant.page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Pagos', exact: true }).click();
  await merchant.page.getByRole('heading', { name: 'Pagos', level: 1 }).waitFor();
  const row = merchant.page.locator(`[data-testid="merchant-intent"][data-id="${request.id}"]`);
  await row.getByText('Pendiente').waitFor();
  assert.match((await row.textContent()) ?? '', /Factura de agua/);
  await merchant.page.getByRole('heading', { name: 'Volumen diario' }).waitFor();
  await merchant.page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
  await captureScreen(merchant.page, '60-payments-pending');

  // The wallet holder pays it with the PIN in their own browser.
  const holder = await openConsole(world.browser, 390);
  await signInAs(holder.page, world.server.url, buyer.username, buyer.password, 'María Pérez');
  await holder.page.goto(`${world.server.url}/console/wallet`);
  const item = holder.page.getByTestId('payment-request').filter({ hasText: 'Factura de agua' });
  await item.getByRole('button', { name: /^Pagar / }).click();
  const dialog = holder.page.getByRole('dialog', { name: 'Pagar solicitud' });
  await dialog.getByLabel('PIN de operaciones').fill(buyer.pin);
  await dialog.getByRole('button', { name: 'Pagar ahora' }).click();
  await holder.page.getByText(`Pagó ${esMoney(20)} a Pepitos House.`).waitFor();

  // The merchant's page shows it paid, without a reload, and says so to screen readers.
  await row.getByText('Pagada').waitFor();
  assert.equal(await merchant.page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce), true, 'no reload');
  await merchant.page
    .getByRole('status')
    .filter({ hasText: /ahora está: Pagada/ })
    .waitFor({ state: 'attached' });
  const ref = (await row.locator('.mono').textContent())!;
  assert.match(ref, /^P\d{13}$/);
  await merchant.page
    .getByTestId('volume-VES')
    .getByText(/en 1 pago$/)
    .waitFor();
  await captureScreen(merchant.page, '61-payments-paid');

  // Filters and search: by state, then by the payment's reference.
  await merchant.page.getByLabel('Estado').selectOption('created');
  await merchant.page.getByRole('button', { name: 'Filtrar' }).click();
  await row.waitFor({ state: 'detached' });
  await merchant.page.getByRole('button', { name: 'Limpiar' }).click();
  await merchant.page.getByLabel('Buscar').fill(ref);
  await merchant.page.getByRole('button', { name: 'Filtrar' }).click();
  await merchant.page.getByRole('heading', { name: '1 resultado', exact: true }).waitFor();
  assert.equal(await merchant.page.getByTestId('merchant-intent').count(), 1);
  await captureScreen(merchant.page, '62-payments-search');

  // The detail: history, fee, balanced postings; then the annulment, after a confirmation.
  await row.getByRole('link').click();
  await merchant.page.getByRole('heading', { name: `Intención de pago · ${esMoney(20)}` }).waitFor();
  assert.equal((await merchant.page.getByTestId('intent-fee').textContent())?.replace(/\s/g, ' '), esMoney(0.5));
  const payment = merchant.page.getByTestId('postings-payment');
  await payment.getByText('Comisiones de la plataforma').waitFor();
  assert.match(((await payment.textContent()) ?? '').replace(/\s/g, ' '), new RegExp(`María Pérez.*− ${esMoney(20)}.*Pepitos House.*\\+ ${esMoney(19.5)}`));
  assert.match((await merchant.page.getByTestId('intent-history').textContent()) ?? '', /Pendiente.*Pagada/);
  await captureScreen(merchant.page, '63-payment-detail');

  const before = await balanceOf(w, buyer.username);
  await merchant.page.getByRole('button', { name: 'Anular pago' }).click();
  const confirm = merchant.page.getByRole('dialog', { name: '¿Anular este pago?' });
  await confirm.getByText(`Se devuelven ${esMoney(20)} al pagador`).waitFor();
  await captureScreen(merchant.page, '64-payment-annul-confirm');
  await confirm.getByRole('button', { name: 'Sí, anular' }).click();
  await merchant.page.getByText('Pago anulado. El dinero volvió al pagador.').waitFor();
  await merchant.page.getByTestId('intent-state').getByText('Anulada').waitFor();
  await merchant.page
    .getByTestId('postings-annulment')
    .getByText(`+ ${esMoney(20)}`)
    .waitFor();
  assert.equal(await merchant.page.getByRole('button', { name: 'Anular pago' }).count(), 0, 'no second annulment');
  assert.equal(await balanceOf(w, buyer.username), before + 2000);
  await captureScreen(merchant.page, '65-payment-annulled');

  // Back on the list the state shows annulled.
  await merchant.page.getByRole('link', { name: 'Volver a pagos' }).click();
  await merchant.page.getByRole('heading', { name: 'Pagos', level: 1 }).waitFor();
  await merchant.page.locator(`[data-testid="merchant-intent"][data-id="${request.id}"]`).getByText('Anulada').waitFor();
  await merchant.page.getByText('Sin pagos recibidos en los últimos 30 días.').waitFor(); // an annulled payment is no volume

  // The same page in English.
  await merchant.page.getByRole('button', { name: /English/ }).click();
  await merchant.page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
  await merchant.page.locator(`[data-testid="merchant-intent"][data-id="${request.id}"]`).getByText('Annulled').waitFor();
  await captureScreen(merchant.page, '66-payments-english');

  assert.deepEqual(unexpectedErrors(merchant.errors), []);
  assert.deepEqual(unexpectedErrors(holder.errors), []);
  await holder.context.close();
  await merchant.context.close();
});
