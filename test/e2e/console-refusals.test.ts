// The server answers in Spanish, with stable codes beside the text: in English the console says
// refusals and the shared rules' field errors in English, by those codes — a wrong password on
// sign-in, a refusal on its field (PIN creation with a wrong password), a field error only the
// server can find (a logo that starts like a PNG but is not one) — and a code it does not know
// shows the server's own text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG_SIGNATURE } from '../../src/modules/apps/png.ts';
import { createMerchant } from '../webhook-fixtures.ts';
import { captureScreen, openConsole, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();

test('in English, refusals and field errors from the server are said in English', { skip }, async (t) => {
  const merchant = await createMerchant(world.server.ctx);
  const { page, errors, context } = await openConsole(world.browser);
  t.after(() => context.close());
  const fieldError = (label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');

  await page.goto(`${world.server.url}/console/signin`);
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  // A wrong password: the server's 401, said in English.
  await page.getByLabel('Username, phone or identification').fill(merchant.user.username);
  await page.getByLabel('Password').fill('not-the-password');
  const refused = page.waitForResponse((r) => r.url().endsWith('/console/api/session') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const answer = await refused;
  assert.equal(answer.status(), 401);
  assert.equal((await answer.json()).message, 'Usuario o contraseña incorrectos.', 'the server still speaks Spanish');
  await page.getByText('Wrong username or password.').waitFor();
  assert.equal(await page.getByText('Usuario o contraseña incorrectos.').count(), 0);
  await captureScreen(page, '90-refusal-sign-in-en');

  await page.getByLabel('Password').fill(merchant.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Hello, ${merchant.user.name}` }).waitFor();

  // A refusal on its field: creating the PIN with a wrong password (password_wrong).
  await page.goto(`${world.server.url}/console/wallet/pin`);
  await page.getByLabel('Your account password').fill('not-the-password');
  await page.getByLabel('Operations PIN').fill('2468');
  const pinAnswer = page.waitForResponse((r) => r.request().method() !== 'GET' && r.url().includes('/console/api/') && r.url().includes('pin'));
  await page.getByRole('button', { name: 'Create PIN' }).click();
  assert.equal((await pinAnswer).headers()['pasarela-refusal'], 'password_wrong');
  await fieldError('Your account password').getByText('The password is not correct.').waitFor();
  await captureScreen(page, '91-refusal-field-en');

  // A field error only the server finds: the file starts like a PNG but is not one.
  await page.goto(`${world.server.url}/console/apps/new`);
  await page.getByRole('heading', { name: 'Register application' }).waitFor();
  await page.getByLabel('Application name').fill('My Store');
  await page.getByLabel('Application description').fill('An online store');
  await page.getByLabel('Homepage URL').fill('https://www.mystore.com');
  await page
    .getByTestId('logo-input')
    .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.concat([PNG_SIGNATURE, Buffer.from('not really')]) });
  const appAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/console/api/apps'));
  await page.getByRole('button', { name: 'Accept' }).click();
  const registered = await appAnswer;
  assert.equal(registered.status(), 400);
  assert.equal(registered.headers()['pasarela-field-codes'], 'logo=apps.logoNotPng');
  await fieldError('Application logo').getByText('The logo must be a valid PNG image.').waitFor();
  await captureScreen(page, '92-field-error-en');

  // Back in Spanish, the same answer in the server's words.
  await page.getByRole('button', { name: /Español/ }).click();
  await page.getByRole('button', { name: 'Aceptar' }).click();
  await fieldError('Logo de la aplicación').getByText('El logo debe ser una imagen PNG válida.').waitFor();

  assert.deepEqual(unexpectedErrors(errors, 400, 401), []);
});

test('a refusal code the console does not know shows the server’s own text; a known one is said by its code', { skip }, async (t) => {
  const { page, context } = await openConsole(world.browser);
  t.after(() => context.close());
  let code = 'a_refusal_from_a_newer_server';
  // A newer server: a refusal this console has no words for.
  await page.route('**/console/api/session', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 403,
          headers: { 'content-type': 'application/json', 'pasarela-refusal': code },
          body: JSON.stringify({ code: 403, message: 'Texto nuevo del servidor.' }),
        })
      : route.continue(),
  );
  await page.goto(`${world.server.url}/console/signin`);
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByLabel('Username, phone or identification').fill('someone');
  await page.getByLabel('Password').fill('whatever');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Texto nuevo del servidor.').waitFor();
  code = 'sandbox_only';
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Only available in the sandbox.').waitFor();
  assert.equal(await page.getByText('Texto nuevo del servidor.').count(), 0);
  // In Spanish the server's own words stay, with their particulars (a limit, a permission's name).
  await page.getByRole('button', { name: /Español/ }).click();
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByText('Texto nuevo del servidor.').waitFor();
});
