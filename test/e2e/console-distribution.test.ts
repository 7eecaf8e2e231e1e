// The demo merchant manages its app's distribution accounts in the web console, in a real
// browser and with the keyboard: without the permission the section says how to get it in place
// of the form, and still lists the accounts with their remove buttons; with it, an unknown account
// and the merchant's own are refused on the field, a demo buyer added by phone is listed by name,
// and a sale distributing to them is executed through the wallet API. Removed after a
// confirmation, such a sale is refused at creation and at execution. Every screen passes axe-core
// with no browser-console errors, at 390 px and 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { APP_MESSAGES } from '../../src/modules/apps/rules.ts';
import { http } from '../helpers.ts';
import { approve, balanceOf, consoleLogin, createSale, documentedSaleFields, executeSale, multipart, walletWorld } from '../api/wallet-fixtures.ts';
import { captureScreen, openConsole, signInAs, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();

const fieldError = (scope: Locator, label: string) => scope.locator('.field', { has: scope.page().getByLabel(label) }).locator('.field-error');

test(
  'the merchant authorizes a demo buyer for distributions, a sale distributing to them is executed, and refused once they are removed',
  { skip },
  async () => {
    const url = world.server.url;
    const w = await walletWorld(world.server);
    const m = w.demo.merchant;
    const [payer, partner] = [w.demo.buyers[0]!, w.demo.buyers[1]!];
    const headers = { 'x-session-token': await consoleLogin(url, m.username, m.password) };
    const appId = (await http(url, 'GET', '/console/api/apps', { headers })).body.data[0].id as string;
    // The demo app comes with its buyers authorized and the permission on: this test starts without either.
    const reset = await http(url, 'PATCH', `/console/api/apps/${appId}/permissions`, { json: { distributions: false, distributionAccounts: [] }, headers });
    assert.equal(reset.status, 200, reset.text);

    const { page, errors } = await openConsole(world.browser, 390);
    await signInAs(page, url, m.username, m.password, 'Pepitos House');
    await page.goto(`${url}/console/apps/${appId}`);
    const section = page.getByRole('region', { name: 'Cuentas de distribución' });
    await section.getByText('Para distribuir fondos, habilite primero el permiso «Distribución de fondos».').waitFor();
    await captureScreen(page, '90-distribution-needs-permission');
    await section.getByRole('link', { name: 'Ir a Permisos' }).click();
    assert.match(page.url(), /#permissions$/);

    // The permission's switch, with the keyboard.
    const toggle = page.getByRole('switch', { name: 'Distribución de fondos' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await section.getByText('Aún no hay cuentas autorizadas.').waitFor();

    // What the server refuses lands on the field, in its words.
    const field = section.getByLabel('Cuenta a autorizar');
    await field.focus();
    await page.keyboard.press('Enter');
    await fieldError(section, 'Cuenta a autorizar').getByText(APP_MESSAGES.distributionAccount.es).waitFor();
    await field.fill('nadie-con-este-nombre');
    await page.keyboard.press('Enter');
    await fieldError(section, 'Cuenta a autorizar').getByText(APP_MESSAGES.distributionAccountUnknown.es).waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await captureScreen(page, '91-distribution-unknown');
    await field.fill(m.username);
    await page.keyboard.press('Enter');
    await fieldError(section, 'Cuenta a autorizar').getByText(APP_MESSAGES.distributionAccountOwn.es).waitFor();

    // A demo buyer by phone: listed by name and username, with the account.
    await field.fill(partner.phone);
    await page.keyboard.press('Enter');
    await section.getByText('José González (@comprador2) puede recibir distribuciones de esta aplicación.').waitFor();
    const item = section.getByTestId('distribution-account');
    assert.equal(await item.count(), 1);
    const accountId = (await item.getAttribute('data-account'))!;
    const shown = (await item.textContent()) ?? '';
    assert.ok(shown.includes('José González') && shown.includes('@comprador2') && shown.includes(accountId), shown);
    assert.equal(await field.inputValue(), '', 'the form is cleared for the next one');
    await captureScreen(page, '92-distribution-listed');
    // Typed again by identification: already there, still one.
    await field.fill(partner.identification);
    await page.keyboard.press('Enter');
    await section.getByText('La cuenta de José González (@comprador2) ya estaba autorizada.').waitFor();
    assert.equal(await item.count(), 1);

    // A sale distributing to them goes through the wallet API; another waits, approved.
    const distributing = {
      'paymentintent[transactions][0][distributions][0][digitalAccountDestination]': partner.username,
      'paymentintent[transactions][0][distributions][0][amount]': '5.00',
      'paymentintent[transactions][0][distributions][0][description]': 'comisión del socio',
    };
    const sale = await createSale(w, distributing);
    assert.equal((await approve(w, sale.id, payer.username)).status, 200);
    const before = await balanceOf(w, partner.username);
    const executed = await executeSale(w, sale.id, payer.id);
    assert.equal(executed.status, 200, executed.text);
    assert.equal(await balanceOf(w, partner.username), before + 500);
    const waiting = await createSale(w, distributing);
    assert.equal((await approve(w, waiting.id, payer.username)).status, 200);

    // With the permission off the list stays, with its remove buttons (the server allows removing
    // without it); only the form gives way to the explanation.
    await toggle.focus();
    await page.keyboard.press('Space');
    await section.getByText('Para distribuir fondos, habilite primero el permiso «Distribución de fondos».').waitFor();
    assert.equal(await item.count(), 1);
    assert.ok(await section.getByRole('button', { name: 'Quitar la cuenta de José González' }).isVisible());
    assert.equal(await section.getByLabel('Cuenta a autorizar').count(), 0);
    await captureScreen(page, '92b-distribution-listed-without-permission');
    await toggle.focus();
    await page.keyboard.press('Space');
    await field.waitFor();

    // Removed with the keyboard, after a confirmation; the focus goes back to the form.
    await section.getByRole('button', { name: 'Quitar la cuenta de José González' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '¿Quitar esta cuenta de distribución?' });
    await dialog.getByText(/José González \(@comprador2\) dejará de recibir distribuciones/).waitFor();
    await captureScreen(page, '93-distribution-remove-confirm');
    await dialog.getByRole('button', { name: 'Sí, quitar' }).focus();
    await page.keyboard.press('Enter');
    await section.getByText('Se quitó la cuenta de José González (@comprador2).').waitFor();
    await section.getByText('Aún no hay cuentas autorizadas.').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'account');
    await captureScreen(page, '94-distribution-removed');

    // Now refused: a new sale at creation, the approved one at execution.
    const refused = await http(url, 'POST', '/api/payment-intent/.json', {
      token: w.token,
      multipart: multipart({ ...documentedSaleFields(), ...distributing }),
    });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.headers.get('pasarela-refusal'), 'distribution_unauthorized');
    const late = await executeSale(w, waiting.id, payer.id);
    assert.equal(late.status, 400, late.text);
    assert.equal(late.headers.get('pasarela-refusal'), 'distribution_unauthorized');
    assert.equal(await balanceOf(w, partner.username), before + 500);

    // In English, the server's refusal is said by its rule code.
    await page.getByRole('button', { name: 'English' }).click();
    const english = page.getByRole('region', { name: 'Distribution accounts' });
    await english.getByLabel('Account to authorize').fill('nadie-con-este-nombre');
    await page.keyboard.press('Enter');
    await fieldError(english, 'Account to authorize').getByText(APP_MESSAGES.distributionAccountUnknown.en).waitFor();
    await captureScreen(page, '95-distribution-english');

    assert.deepEqual(unexpectedErrors(errors, 400), []);
  },
);
