// A business on a production deployment: no sandbox code button (the code comes from sales),
// a new application waits for activation, the owner asks for it, and permissions are shown, not
// switched (the operator decides them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solidPng } from '../../src/modules/apps/png.ts';
import { http } from '../helpers.ts';
import { affiliationCodes, nextIdentity, operatorSession } from '../api/core-fixtures.ts';
import { captureScreen, openConsole, skipWithoutChromium, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld({ PASARELA_ENV: 'production' });

test('production: sign up with a sales code, register an app, request its activation', { skip }, async () => {
  const codes = await affiliationCodes(world.server);
  const who = nextIdentity();
  const { page, errors, context } = await openConsole(world.browser);
  await page.goto(`${world.server.url}/console/signup`);
  await page.getByRole('heading', { name: 'Crear una cuenta' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Obtener código de prueba' }).count(), 0, 'no test codes in production');
  await page.getByLabel('Razón social').fill('Comercio Real C.A.');
  await page.getByLabel('Usuario', { exact: true }).fill(`real${who.username}`);
  await page.getByLabel('Correo electrónico').fill(`real${who.username}@example.com`);
  await page.getByLabel('Teléfono').fill(who.phone);
  await page.getByLabel('Identificación').fill(`J${who.identification.slice(1)}`);
  await page.getByLabel('Contraseña').fill('una-clave-segura-1');
  await page.getByLabel('Código de afiliación').fill(codes.regular);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await page.getByRole('link', { name: 'Registrar aplicación' }).click();

  await page.getByLabel('Nombre de la aplicación').fill('Comercio Real');
  await page.getByLabel('Descripción de la aplicación').fill('Ventas en línea');
  await page.getByLabel('URL de página de inicio').fill('https://comercio.example.com');
  await page.getByTestId('logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: solidPng(64, 64, [30, 120, 60]) });
  await page.getByRole('button', { name: 'Aceptar' }).click();
  await page.getByText('Pendiente de activación').waitFor();
  assert.equal(await page.getByRole('switch').count(), 0, 'permissions are shown, not switched');
  await captureScreen(page, '30-app-detail-production');

  await page.getByRole('button', { name: 'Solicitar activación' }).click();
  await page.getByText(/Solicitud enviada \(/).waitFor();
  await page.getByText('Activación solicitada').waitFor();
  await captureScreen(page, '31-app-activation-requested');
  const id = /\/apps\/([^/?]+)/.exec(page.url())![1]!;
  const operator = await operatorSession(world.server);
  const pending = await http(world.server.url, 'GET', '/console/api/operator/apps?pending=true', { headers: operator.headers });
  assert.ok(
    pending.body.data.some((a: { id: string }) => a.id === id),
    'the operator sees the request',
  );
  assert.deepEqual(errors, []);
  await context.close();
});
