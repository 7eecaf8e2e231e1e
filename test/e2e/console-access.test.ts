// Getting in and being let out, in a real browser: sign-in with phone or identification, a
// wrong password, too many attempts (429) said kindly, a session that expires under the user
// (back to sign-in, then back to the same page), and the person's home with balances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { IDENTITY_MESSAGES } from '../../src/modules/identity/rules.ts';
import { http, startTestServer } from '../helpers.ts';
import { merchant, PASSWORD, registerPerson } from '../api/core-fixtures.ts';
import { captureScreen, openConsole, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();

async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel('Usuario, teléfono o identificación').fill(login);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

test('a person signs in with the phone (or the identification), sees the balance; a wrong password is said on the form', { skip }, async () => {
  const person = await registerPerson(world.server);
  const { page, errors, context } = await openConsole(world.browser, 390);
  await page.goto(`${world.server.url}/console/`);
  await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
  await captureScreen(page, '20-signin');

  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByText(IDENTITY_MESSAGES.login.es).waitFor();
  await signIn(page, person.phone, 'clave-equivocada');
  await page.getByText(IDENTITY_MESSAGES.badLogin.es).waitFor();
  await captureScreen(page, '21-signin-wrong-password');

  // By keyboard: Enter in the password field sends the form.
  await page.getByLabel('Usuario, teléfono o identificación').fill(person.phone);
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByLabel('Contraseña').press('Enter');
  await page.getByRole('heading', { name: 'Hola, Persona de Prueba' }).waitFor();
  assert.match((await page.locator('.balance').first().textContent()) ?? '', /VES\s*0,00/);
  await captureScreen(page, '22-home-person');
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await page.getByText('Cerró su sesión.').waitFor();
  await signIn(page, person.identification, PASSWORD);
  await page.getByRole('heading', { name: 'Hola, Persona de Prueba' }).waitFor();
  assert.deepEqual(unexpectedErrors(errors, 401), []);
  await context.close();
});

test('too many failed sign-ins: the page says to wait, in words', { skip }, async () => {
  const person = await registerPerson(world.server);
  for (let i = 0; i < 10; i++) await http(world.server.url, 'POST', '/console/api/session', { json: { login: person.username, password: 'clave-equivocada' } });
  const { page, errors, context } = await openConsole(world.browser);
  await page.goto(`${world.server.url}/console/signin`);
  await signIn(page, person.username, PASSWORD);
  await page.getByText(/Demasiados intentos fallidos/).waitFor();
  assert.equal(await page.locator('.field-error').count(), 0, 'not blamed on a field');
  await captureScreen(page, '23-signin-too-many');
  assert.deepEqual(unexpectedErrors(errors, 429), []);
  await context.close();
});

test('a session that expires sends the user to sign in, saying so, and back to the same page', { skip }, async () => {
  const own = await startTestServer();
  try {
    const { user, app } = await merchant(own);
    const { page, errors, context } = await openConsole(world.browser);
    await page.goto(`${own.url}/console/apps`);
    await signIn(page, user.username, PASSWORD);
    await page.getByRole('heading', { name: 'Aplicaciones oAuth' }).waitFor();
    await page.getByRole('link', { name: 'Ver Tienda' }).waitFor();

    // 12 hours later (deployment clock), the next request answers 401.
    assert.equal((await http(own.url, 'POST', '/sandbox/clock', { json: { advanceSeconds: 12 * 3600 + 60 }, token: app.accessToken })).status, 200);
    await page.getByRole('link', { name: 'Ver Tienda' }).click();
    await page.getByText('Su sesión expiró. Inicie sesión de nuevo para continuar donde estaba.').waitFor();
    await captureScreen(page, '24-signin-expired');
    await signIn(page, user.username, PASSWORD);
    await page.getByRole('heading', { name: 'Llaves de acceso' }).waitFor();
    assert.match(page.url(), new RegExp(`/console/apps/${app.id}$`));

    // A reload after the session ended says so too (this tab had a session).
    assert.equal((await http(own.url, 'POST', '/sandbox/clock', { json: { advanceSeconds: 12 * 3600 + 60 }, token: app.accessToken })).status, 200);
    await page.reload();
    await page.getByText(/Su sesión expiró/).waitFor();
    assert.deepEqual(unexpectedErrors(errors, 401), []);
    await context.close();
  } finally {
    await own.close();
  }
});
