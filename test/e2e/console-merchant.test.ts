// A new business in the web console, in a real browser: signs up with a sandbox affiliation
// code, registers an application (the logo checked before upload), sees its keys, gets a token
// with them, renews them (the old ones stop at once), switches language, signs out. Every
// screen passes axe-core with no browser-console errors, at 390 px and 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { IDENTITY_MESSAGES } from '../../src/modules/identity/rules.ts';
import { APP_MESSAGES } from '../../src/modules/apps/rules.ts';
import { solidPng, PNG_SIGNATURE } from '../../src/modules/apps/png.ts';
import { http } from '../helpers.ts';
import { clientToken, nextIdentity } from '../api/core-fixtures.ts';
import { captureScreen, openConsole, type ConsolePage, skipWithoutChromium, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();

const fieldError = (page: Page, label: string) => page.locator('.field', { has: page.getByLabel(label) }).locator('.field-error');

test('a new business signs up with a sandbox code, registers an app, sees its keys and gets a token with them', { skip }, async () => {
  const { page, errors, context }: ConsolePage = await openConsole(world.browser, 390);
  const appPosts: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/console/api/apps') && appPosts.push(r.url()));

  // The landing page leads to the console.
  await page.goto(`${world.server.url}/`);
  await page.getByRole('link', { name: 'Cree una cuenta' }).click();
  await page.getByRole('heading', { name: 'Crear una cuenta' }).waitFor();
  await captureScreen(page, '01-signup');

  // The browser refuses what the server would, with the server's words.
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await fieldError(page, 'Usuario').waitFor();
  assert.equal(await fieldError(page, 'Usuario').textContent(), IDENTITY_MESSAGES.username.es);
  assert.equal(await fieldError(page, 'Código de afiliación').textContent(), IDENTITY_MESSAGES.affiliationCode.es);
  const serverSays = await http(world.server.url, 'POST', '/console/api/register', { json: { type: 'business', username: 'x' } });
  assert.equal(serverSays.body.errors.children.username.errors[0], IDENTITY_MESSAGES.username.es);
  await captureScreen(page, '02-signup-errors');

  const who = nextIdentity();
  const username = `tienda${who.username}`;
  const password = 'una-clave-segura-1';
  await page.getByLabel('Razón social').fill('Tienda Prueba C.A.');
  await page.getByLabel('Usuario', { exact: true }).fill(username);
  await page.getByLabel('Correo electrónico').fill(`${username}@example.com`);
  await page.getByLabel('Teléfono').fill(who.phone);
  await page.getByLabel('Identificación').fill(`J${who.identification.slice(1)}`);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Obtener código de prueba' }).click();
  await page.getByText(/Código de prueba «.+» colocado/).waitFor();
  assert.match(await page.getByLabel('Código de afiliación').inputValue(), /^\S{8}$/);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();

  // Signed in at once, on "Configuraciones › Aplicaciones oAuth", empty.
  await page.getByRole('heading', { name: 'Aún no tiene aplicaciones' }).waitFor();
  await captureScreen(page, '03-apps-empty');
  await page.getByRole('link', { name: 'Registrar aplicación' }).click();
  await page.getByRole('heading', { name: 'Registrar aplicación' }).waitFor();
  await captureScreen(page, '04-app-register');

  // The logo is checked before it is uploaded: not a PNG, then over 1 MB.
  await page.getByLabel('Nombre de la aplicación').fill('Mi Tienda');
  await page.getByLabel('Descripción de la aplicación').fill('Tienda en línea de prueba');
  await page.getByLabel('URL de página de inicio').fill('https://www.mystore.com');
  const logo = page.getByTestId('logo-input');
  await logo.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('no soy una imagen') });
  await page.getByRole('button', { name: 'Aceptar' }).click();
  await fieldError(page, 'Logo de la aplicación').waitFor();
  assert.equal(await fieldError(page, 'Logo de la aplicación').textContent(), APP_MESSAGES.logoNotPng.es);
  const big = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(1024 * 1024)]);
  await logo.setInputFiles({ name: 'grande.png', mimeType: 'image/png', buffer: big });
  await page.getByRole('button', { name: 'Aceptar' }).click();
  await page.getByText(APP_MESSAGES.logoTooBig.es).waitFor();
  assert.deepEqual(appPosts, [], 'nothing was uploaded');

  await logo.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: solidPng(96, 96, [11, 92, 173]) });
  const preview = page.getByRole('img', { name: 'Vista previa del logo' });
  await preview.waitFor();
  assert.ok((await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)) > 0, 'the preview shows the chosen logo');
  await captureScreen(page, '05-app-register-filled');
  await page.getByRole('button', { name: 'Aceptar' }).click();
  await page.getByText(/Aplicación registrada. Sus llaves de acceso están abajo/).waitFor();
  assert.equal(appPosts.length, 1);

  // The application page: details, keys hidden until revealed, permissions, receiving account.
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Mi Tienda');
  assert.match((await page.getByTestId('client-secret').textContent()) ?? '', /Oculto/);
  assert.match((await page.getByTestId('access-token').textContent()) ?? '', /Oculto/);
  await captureScreen(page, '06-app-detail');
  await page.getByRole('button', { name: 'Mostrar' }).click();
  await page.getByRole('button', { name: 'Ocultar' }).waitFor();
  const clientId = (await page.getByTestId('client-id').textContent())!;
  const clientSecret = (await page.getByTestId('client-secret').textContent())!;
  assert.doesNotMatch(clientSecret, /Oculto/);
  await captureScreen(page, '07-app-keys');
  await page.getByRole('button', { name: 'Copiar Client secret' }).click();
  await page.getByText('Client secret copiado al portapapeles.').waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), clientSecret);

  // The keys work: a token request (README) with them succeeds.
  const token = await clientToken(world.server, { clientId, clientSecret });
  assert.equal(token.status, 200, token.text);
  assert.ok(token.body.access_token);

  // Renewing asks first, saying the old keys stop at once (Escape backs out); then they do.
  const dialog = page.getByRole('dialog', { name: '¿Renovar las credenciales?' });
  await page.getByRole('button', { name: 'Renovar credenciales' }).click();
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Renovar credenciales' }).click();
  await dialog.waitFor();
  assert.match((await dialog.textContent()) ?? '', /dejarán de funcionar de inmediato/);
  await captureScreen(page, '08-app-renew-confirm');
  await dialog.getByRole('button', { name: 'Sí, renovar ahora' }).click();
  await page.getByText('Credenciales renovadas: las anteriores ya no funcionan.').waitFor();
  const renewedSecret = (await page.getByTestId('client-secret').textContent())!;
  assert.notEqual(renewedSecret, clientSecret);
  assert.notEqual((await clientToken(world.server, { clientId, clientSecret })).status, 200, 'the old secret is refused');
  assert.equal((await clientToken(world.server, { clientId, clientSecret: renewedSecret })).status, 200);

  // Sandbox: the owner switches a permission on; it stays on after a reload.
  const payouts = page.getByRole('switch', { name: 'Pagos masivos' });
  assert.equal(await payouts.isChecked(), false);
  await Promise.all([page.waitForResponse((r) => r.url().includes('/permissions') && r.status() === 200), payouts.click()]);
  await page.reload();
  await page.getByRole('switch', { name: 'Pagos masivos' }).waitFor();
  assert.equal(await page.getByRole('switch', { name: 'Pagos masivos' }).isChecked(), true);

  // Redirect URLs of the consent flow: the browser refuses what the server would, in its words; saved ones stay.
  const uris = page.getByLabel('Direcciones (una por línea)');
  await uris.fill('https://www.mystore.com/oauth#x');
  await page.getByRole('button', { name: 'Guardar direcciones' }).click();
  await page.getByText(APP_MESSAGES.redirectUris.es).waitFor();
  await uris.fill('https://www.mystore.com/oauth/callback\nhttp://localhost:8080/callback');
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PATCH' && r.status() === 200),
    page.getByRole('button', { name: 'Guardar direcciones' }).click(),
  ]);
  await page.getByText('Direcciones guardadas.').waitFor();
  await captureScreen(page, '08b-app-redirect-uris');
  await page.reload();
  assert.equal(await page.getByLabel('Direcciones (una por línea)').inputValue(), 'https://www.mystore.com/oauth/callback\nhttp://localhost:8080/callback');

  // English on the switch, remembered across a reload.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Access keys' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Access keys' }).waitFor();
  await captureScreen(page, '09-app-detail-en');
  await page.getByRole('button', { name: /Español/ }).click();
  await page.getByRole('heading', { name: 'Llaves de acceso' }).waitFor();

  // The list now has the app; signing out ends the session.
  await page
    .getByRole('navigation', { name: 'Menú principal' })
    .getByRole('link', { name: /Aplicaciones oAuth/ })
    .click();
  await page.getByRole('link', { name: 'Ver Mi Tienda' }).waitFor();
  await captureScreen(page, '10-apps-list');
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await page.getByText('Cerró su sesión.').waitFor();
  await captureScreen(page, '11-signin-signed-out');
  await page.goto(`${world.server.url}/console/apps`);
  await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();

  assert.deepEqual(errors, [], 'no errors in the browser console');
  await context.close();
});
