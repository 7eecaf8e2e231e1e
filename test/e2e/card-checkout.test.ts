// /js/pasarela.js on a merchant's page, in Chromium: the example checkout served by a separate
// merchant server (its own origin and CSP), filled with the keyboard and paid. The merchant's
// server records every request it gets, and the card number is in none of them; the payment
// is approved at Pasarela. A declined card (FUND) says why; data-entry errors stand at their
// field, in Spanish and English; the page passes axe at 390 and 1280 px.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/index.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { launchBrowser } from './browser.ts';
import { captureScreen, openConsole, skipWithoutChromium as skip, unexpectedErrors } from './console-kit.ts';
import { startMerchantServer, type MerchantServer } from './merchant-server.ts';

const CARD = '4509953566233704';
const ES = {
  number: 'Número de la tarjeta',
  expiry: 'Vencimiento (MM/AA)',
  csc: 'Código de seguridad',
  name: 'Nombre del titular (como aparece en la tarjeta)',
};
const EN = { number: 'Card number', expiry: 'Expiration date (MM/YY)', csc: 'Security code', name: "Cardholder's name (as on the card)" };

let server: TestServer;
let demo: DemoDocument;
let merchant: MerchantServer;
let browser: Browser;

before(async () => {
  if (skip) return;
  server = await startTestServer();
  demo = await ensureDemo(server.ctx);
  merchant = await startMerchantServer(server.url, demo.merchant.app.accessToken);
  browser = await launchBrowser();
});
after(async () => {
  if (skip) return;
  await browser.close();
  await merchant.close();
  await server.close();
});

/** Type the card with the keyboard, field to field with Tab, as a buyer does. */
async function typeCard(page: Page, labels: typeof ES, card: { number: string; expiry: string; csc: string; name: string }) {
  await page.getByLabel(labels.number, { exact: true }).focus();
  await page.keyboard.type(card.number);
  await page.keyboard.press('Tab');
  await page.keyboard.type(card.expiry);
  await page.keyboard.press('Tab');
  await page.keyboard.type(card.csc);
  await page.keyboard.press('Tab');
  await page.keyboard.type(card.name);
}

/** Every way the card number could be written into a request the merchant received. */
function cardNumberSpellings(number: string): string[] {
  const spaced = number.replace(/(\d{4})(?=\d)/g, '$1 ');
  return [number, spaced, encodeURIComponent(spaced), spaced.replace(/ /g, '+'), spaced.replace(/ /g, '-'), number.slice(0, 12)];
}

test('a buyer pays on the merchant’s page: approved, and the merchant’s server never received the card number', { skip }, async () => {
  const { page, errors, context } = await openConsole(browser, 390);
  // What the browser sent, and where: the card may go to Pasarela's card tokens only.
  const sent: { url: string; data: string }[] = [];
  page.on('request', (request) => sent.push({ url: request.url(), data: request.postData() ?? '' }));
  await page.goto(`${merchant.url}/examples/card-checkout`);
  assert.equal(new URL(page.url()).origin, merchant.url, 'the page comes from the merchant');
  await page.getByLabel(ES.number, { exact: true }).waitFor();

  // Named by their labels, with the autocomplete tokens browsers fill cards by, and no `name`
  // (a form posted without the script would not carry them either).
  const tokens: [string, string][] = [
    [ES.number, 'cc-number'],
    [ES.expiry, 'cc-exp'],
    [ES.csc, 'cc-csc'],
    [ES.name, 'cc-name'],
  ];
  for (const [label, autocomplete] of tokens) {
    const field = page.getByLabel(label, { exact: true });
    assert.equal(await field.getAttribute('autocomplete'), autocomplete, label);
    assert.equal(await field.getAttribute('name'), null, `${label} has no name`);
    assert.equal(await field.evaluate((input: HTMLInputElement) => input.labels?.length), 1, `${label}: one label`);
  }
  await captureScreen(page, 'card-checkout-es');

  // The brand shows as the number is typed.
  const brand = page.locator('.pasarela-brand');
  await page.getByLabel(ES.number, { exact: true }).focus();
  await page.keyboard.type('4');
  assert.equal(await brand.textContent(), 'Tarjeta Visa');
  await page.keyboard.press('Backspace');
  assert.equal(await brand.textContent(), '');

  await typeCard(page, ES, { number: CARD, expiry: '1130', csc: '123', name: 'APRO' });
  assert.equal(await page.getByLabel(ES.number, { exact: true }).inputValue(), '4509 9535 6623 3704');
  assert.equal(await page.getByLabel(ES.expiry, { exact: true }).inputValue(), '11/30');

  // The pay button's progress state, held while the merchant's server waits.
  const release = merchant.hold();
  await page.keyboard.press('Enter');
  const pay = page.locator('#pay');
  await page.waitForFunction(() => (document.getElementById('pay') as HTMLButtonElement).disabled);
  assert.equal(await pay.textContent(), 'Procesando el pago…');
  assert.equal(await page.locator('#checkout').getAttribute('aria-busy'), 'true');
  await captureScreen(page, 'card-checkout-paying');
  release();

  const result = page.locator('#result.result-approved');
  await result.waitFor();
  const said = (await result.textContent()) ?? '';
  const match = /^¡Listo! Su pago fue aprobado\. Pago Nº (\d+)\.$/.exec(said);
  assert.ok(match, said);
  assert.equal(await page.getByLabel(ES.number, { exact: true }).inputValue(), '', 'the card left the page');
  assert.equal(await pay.isDisabled(), true, 'a paid order is not paid twice');
  await captureScreen(page, 'card-checkout-approved');

  const payment = await http(server.url, 'GET', `/v1/payments/${match[1]}`, { token: demo.merchant.app.accessToken });
  assert.equal(payment.status, 200, payment.text);
  assert.equal(payment.body.status, 'approved');
  assert.equal(payment.body.transaction_amount, 25.5);
  assert.equal(payment.body.card.last_four_digits, '3704');

  // What the merchant's server got: the page, then one POST with the token and the product.
  const posts = merchant.requests.filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1);
  const posted = JSON.parse(posts[0]!.body) as { token: string; product: string };
  assert.deepEqual(Object.keys(posted).sort(), ['product', 'token']);
  assert.match(posted.token, /^[0-9a-f]{32}$/);
  assert.ok(merchant.requests.some((r) => r.method === 'GET' && r.url === '/examples/card-checkout'));
  const everything = JSON.stringify(merchant.requests);
  assert.ok(everything.includes(posted.token), 'the record holds the bodies');
  for (const spelling of cardNumberSpellings(CARD)) assert.ok(!everything.includes(spelling), `the merchant received ${spelling}`);
  const carrying = sent.filter((r) => cardNumberSpellings(CARD).some((spelling) => r.url.includes(spelling) || r.data.includes(spelling)));
  assert.deepEqual(
    carrying.map((r) => r.url),
    [`${server.url}/v1/card_tokens?public_key=${demo.merchant.app.publicKey}`],
    'the browser sent the card once, to Pasarela',
  );
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});

test('a declined card (cardholder FUND) says why; the buyer may try again', { skip }, async () => {
  const { page, errors, context } = await openConsole(browser, 1280);
  await page.goto(`${merchant.url}/examples/card-checkout`);
  await typeCard(page, ES, { number: '5031755734530604', expiry: '11/30', csc: '123', name: 'FUND' });
  assert.equal(await page.locator('.pasarela-brand').textContent(), 'Tarjeta Mastercard');
  await page.locator('#pay').click();
  const result = page.locator('#result.result-rejected');
  await result.waitFor();
  assert.equal(await result.textContent(), 'Su tarjeta no tiene fondos suficientes.');
  assert.equal(await page.locator('#pay').isDisabled(), false);
  assert.equal(await page.getByLabel(ES.number, { exact: true }).inputValue(), '5031 7557 3453 0604', 'the card stays for another try');
  await captureScreen(page, 'card-checkout-declined');
  const everything = JSON.stringify(merchant.requests);
  for (const spelling of cardNumberSpellings('5031755734530604')) assert.ok(!everything.includes(spelling), `the merchant received ${spelling}`);
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});

test('data-entry errors stand at their field, Spanish first and English with lang; the first invalid field is focused', { skip }, async () => {
  const posts = () => merchant.requests.filter((r) => r.method === 'POST').length;
  const before = posts();
  const { page, errors, context } = await openConsole(browser, 390);
  await page.goto(`${merchant.url}/examples/card-checkout`);
  // Nothing typed: every field says what is missing, and the first one has the focus.
  await page.locator('#pay').click();
  const number = page.getByLabel(ES.number, { exact: true });
  await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]'));
  const messages = await page.locator('.pasarela-error:not([hidden])').allTextContents();
  assert.deepEqual(messages, [
    'Ingrese el número de la tarjeta.',
    'Ingrese el mes de vencimiento.',
    'Ingrese el código de seguridad.',
    'Ingrese el nombre del titular.',
  ]);
  assert.equal(await number.evaluate((input) => input === document.activeElement), true, 'the first invalid field has the focus');

  // A wrong check digit: the message is named by the field (aria-describedby) and marks it invalid.
  await page.reload();
  await typeCard(page, ES, { number: '4509953566233705', expiry: '11/30', csc: '123', name: 'APRO' });
  await page.locator('#pay').click();
  await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]'));
  const error = page.locator('.pasarela-field-number .pasarela-error');
  assert.equal(await error.textContent(), 'El número de la tarjeta no es válido.');
  assert.equal(await number.getAttribute('aria-invalid'), 'true');
  assert.ok((await number.getAttribute('aria-describedby'))?.split(' ').includes((await error.getAttribute('id'))!));
  assert.equal(await number.evaluate((input) => input === document.activeElement), true);
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 1, 'only the number is wrong');
  await captureScreen(page, 'card-checkout-invalid-es');
  // Typing again clears the field's error.
  await page.keyboard.press('Backspace');
  assert.equal(await number.getAttribute('aria-invalid'), null);
  assert.equal(await error.isHidden(), true);

  // English with ?lang=en: the labels and the same message in English; an Amex asks for 4 digits in front.
  await page.goto(`${merchant.url}/examples/card-checkout?lang=en`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await typeCard(page, EN, { number: '4509953566233705', expiry: '11/30', csc: '123', name: 'APRO' });
  await page.locator('#pay').click();
  const englishError = page.locator('.pasarela-field-number .pasarela-error');
  await englishError.waitFor();
  assert.equal(await englishError.textContent(), 'The card number is not valid.');
  assert.equal(await page.getByLabel(EN.number, { exact: true }).evaluate((input) => input === document.activeElement), true);
  await captureScreen(page, 'card-checkout-invalid-en');
  await page.getByLabel(EN.number, { exact: true }).fill('');
  await page.getByLabel(EN.number, { exact: true }).focus();
  await page.keyboard.type('3711');
  assert.equal(await page.locator('.pasarela-brand').textContent(), 'American Express card');
  assert.equal(await page.locator('.pasarela-hint').textContent(), '4 digits on the front of the card.');
  // A one-digit month closed by a slash is that month.
  await page.getByLabel(EN.expiry, { exact: true }).fill('');
  await page.getByLabel(EN.expiry, { exact: true }).focus();
  await page.keyboard.type('1/30');
  assert.equal(await page.getByLabel(EN.expiry, { exact: true }).inputValue(), '01/30');

  assert.equal(posts(), before, 'no token, nothing sent to the merchant');
  assert.deepEqual(unexpectedErrors(errors, 400), []);
  await context.close();
});

test('the page Pasarela serves itself pays through its demo shop backend', { skip }, async () => {
  const { page, errors, context } = await openConsole(browser, 1280);
  await page.goto(`${server.url}/examples/card-checkout`);
  await typeCard(page, ES, { number: '371180303257522', expiry: '0530', csc: '1234', name: 'APRO' });
  assert.equal(await page.getByLabel(ES.number, { exact: true }).inputValue(), '3711 803032 57522');
  await page.locator('#pay').click();
  const result = page.locator('#result.result-approved');
  await result.waitFor();
  assert.match((await result.textContent()) ?? '', /^¡Listo! Su pago fue aprobado\. Pago Nº \d+\.$/);
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});
