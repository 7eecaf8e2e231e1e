// The operator in the web console of a production deployment, in a real browser: approves one
// app's activation and rejects another's with a reason (the merchant reads it on its app page
// and may ask again), decides a permission request, locks a user (its open session ends and
// its sign-in is refused) and unlocks it, issues affiliation codes, sets a fee and runs the
// ledger verifier. Every screen passes axe-core, at 390 px and 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { APP_MESSAGES } from '../../src/modules/apps/rules.ts';
import { ensureOperator } from '../../src/modules/identity/index.ts';
import { http } from '../helpers.ts';
import { createApp, login, PASSWORD, registerBusiness, registerPerson } from '../api/core-fixtures.ts';
import { captureScreen, openConsole, signInAs, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld({ PASARELA_ENV: 'production' });
const OPERATOR_NAME = 'Operador de la plataforma';

async function signInOperator(page: Page): Promise<void> {
  const operator = await ensureOperator(world.server.ctx);
  await signInAs(page, world.server.url, operator.username, operator.password, OPERATOR_NAME);
}

/** A production business whose app asked for activation (and, if given, a permission). */
async function askingMerchant(appName: string, permission?: string) {
  const user = await registerBusiness(world.server, { name: `${appName} C.A.` });
  const session = await login(world.server, user.username);
  const app = await createApp(world.server, session, { name: appName });
  const asked = await http(world.server.url, 'POST', `/console/api/apps/${app.id}/activation-request`, { headers: session.headers });
  assert.equal(asked.status, 200, asked.text);
  if (permission) {
    const wanted = await http(world.server.url, 'POST', `/console/api/apps/${app.id}/permission-requests`, { headers: session.headers, json: { permission } });
    assert.equal(wanted.status, 201, wanted.text);
  }
  return { user, session, app };
}

test('the operator approves an activation, rejects another with a reason the merchant reads, and approves a permission', { skip }, async () => {
  const approved = await askingMerchant('Tienda Aprobada');
  const rejected = await askingMerchant('Tienda Rechazada', 'payouts');
  const { page, errors, context } = await openConsole(world.browser);
  await signInOperator(page);
  await page.getByText('Hay 3 solicitudes esperando su respuesta.').waitFor();
  await captureScreen(page, '39-operator-home');
  await page.getByRole('link', { name: 'Ver solicitudes' }).click();
  await page.getByRole('heading', { name: 'Solicitudes', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Aprobar Activación en producción de Tienda Aprobada' }).waitFor();
  await captureScreen(page, '40-operator-requests');

  await page.getByRole('button', { name: 'Aprobar Activación en producción de Tienda Aprobada' }).click();
  await page.getByText('Aprobado: Activación en producción de Tienda Aprobada.').waitFor();
  const active = await http(world.server.url, 'GET', `/console/api/apps/${approved.app.id}`, { headers: approved.session.headers });
  assert.equal(active.body.app.ready, true, 'the app is active');
  assert.equal(await page.getByRole('button', { name: 'Aprobar Activación en producción de Tienda Aprobada' }).count(), 0, 'no longer waiting');

  // A rejection needs a reason: the browser says so with the server's words.
  await page.getByRole('button', { name: 'Rechazar Activación en producción de Tienda Rechazada' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rechazar la solicitud' });
  await dialog.getByRole('button', { name: 'Rechazar' }).click();
  await dialog.getByText(APP_MESSAGES.rejectionReason.es).waitFor();
  const reason = 'La página de inicio no muestra el RIF del comercio.';
  await dialog.getByLabel('Motivo del rechazo').fill(reason);
  await captureScreen(page, '41-operator-reject');
  await dialog.getByRole('button', { name: 'Rechazar' }).click();
  await page.getByText('Rechazado: Activación en producción de Tienda Rechazada. El comercio verá el motivo.').waitFor();

  await page.getByRole('button', { name: 'Aprobar Permiso: Pagos masivos de Tienda Rechazada' }).click();
  await page.getByText('Aprobado: Permiso: Pagos masivos de Tienda Rechazada.').waitFor();
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();

  // The merchant reads the reason on its application page, and may ask again.
  const merchant = await openConsole(world.browser, 390);
  await signInAs(merchant.page, world.server.url, rejected.user.username, PASSWORD, 'Tienda Rechazada C.A.');
  await merchant.page.goto(`${world.server.url}/console/apps/${rejected.app.id}`);
  await merchant.page.getByText('El operador rechazó la solicitud anterior. Motivo:').waitFor();
  assert.equal(await merchant.page.getByTestId('rejection-reason').textContent(), reason);
  const payouts = merchant.page.locator('.toggle-row', { hasText: 'Pagos masivos' });
  await payouts.getByText('Habilitado').waitFor();
  await captureScreen(merchant.page, '42-app-activation-rejected');
  await merchant.page.getByRole('button', { name: 'Solicitar el permiso API de facturación' }).click();
  await merchant.page.locator('.toggle-row', { hasText: 'API de facturación' }).getByText('Solicitado').waitFor();
  await merchant.page.getByRole('button', { name: 'Solicitar activación' }).click();
  await merchant.page.getByText('Activación solicitada').waitFor();
  assert.deepEqual(unexpectedErrors(merchant.errors), []);
  await merchant.context.close();
});

test('the operator locks a user (its session ends, sign-in refused) and unlocks it', { skip }, async () => {
  const person = await registerPerson(world.server, { name: 'Rosa Bloqueo' });
  const victim = await openConsole(world.browser, 390);
  await signInAs(victim.page, world.server.url, person.username, PASSWORD, 'Rosa Bloqueo');

  const { page, errors, context } = await openConsole(world.browser, 390);
  await signInOperator(page);
  await page.goto(`${world.server.url}/console/operator/users`);
  await page.getByRole('heading', { name: 'Usuarios más recientes' }).waitFor();
  await page.getByLabel('Buscar usuario').fill(person.phone);
  await page.getByRole('button', { name: 'Buscar', exact: true }).click();
  await page.getByRole('heading', { name: '1 resultado' }).waitFor();
  await captureScreen(page, '43-operator-users');
  await page.getByRole('button', { name: 'Bloquear a Rosa Bloqueo' }).click();
  const dialog = page.getByRole('dialog', { name: '¿Bloquear a Rosa Bloqueo?' });
  await dialog.getByRole('button', { name: 'Bloquear' }).click();
  await page.getByText('Rosa Bloqueo quedó bloqueado.').waitFor();
  await page.getByTestId('operator-user').getByText('Bloqueado', { exact: true }).waitFor();
  await captureScreen(page, '44-operator-user-locked');

  // The open session ended: the next page asks to sign in, and signing in is refused.
  await victim.page.goto(`${world.server.url}/console/wallet`);
  await victim.page.getByRole('button', { name: 'Entrar' }).waitFor();
  await victim.page.getByLabel('Usuario, teléfono o identificación').fill(person.username);
  await victim.page.getByLabel('Contraseña').fill(PASSWORD);
  await victim.page.getByRole('button', { name: 'Entrar' }).click();
  await victim.page.getByText('La cuenta está bloqueada. Comuníquese con el operador.').waitFor();

  await page.getByRole('button', { name: 'Desbloquear a Rosa Bloqueo' }).click();
  await page.getByText('Rosa Bloqueo puede iniciar sesión de nuevo.').waitFor();
  await victim.page.getByRole('button', { name: 'Entrar' }).click();
  // Back where the ended session left it.
  await victim.page.getByRole('heading', { name: 'Mi billetera', level: 1 }).waitFor();
  assert.deepEqual(unexpectedErrors(victim.errors, 401, 403), []);
  assert.deepEqual(unexpectedErrors(errors), []);
  await victim.context.close();
  await context.close();
});

test('the operator issues affiliation codes, sets a fee and verifies the ledger', { skip }, async () => {
  const { page, errors, context } = await openConsole(world.browser);
  await signInOperator(page);
  await page.getByRole('link', { name: 'Códigos de afiliación' }).click();
  await page.getByRole('button', { name: 'Generar códigos' }).click();
  await page.getByText('Códigos nuevos').waitFor();
  const code = (await page.locator('.alert .mono').first().textContent())!;
  await page.getByTestId('affiliation-code').filter({ hasText: code }).getByText('Disponible').waitFor();
  await captureScreen(page, '45-operator-codes');

  await page.getByRole('link', { name: 'Comisiones' }).click();
  await page.getByLabel('Operación').selectOption('transfer');
  await page.getByLabel('Porcentaje').fill('dos');
  await page.getByRole('button', { name: 'Guardar comisión' }).click();
  await page.getByText('Indique un porcentaje entre 0 y 100, con hasta dos decimales.').waitFor();
  await page.getByLabel('Porcentaje').fill('1.5');
  await page.getByLabel('Monto fijo').fill('2');
  await page.getByRole('button', { name: 'Guardar comisión' }).click();
  await page.getByText(/Comisión de Transferencia guardada: 1\.5 % \+ VES/).waitFor();
  await page.getByTestId('fee-rule').filter({ hasText: 'Transferencia' }).waitFor();
  await captureScreen(page, '46-operator-fees');
  const fees = await http(world.server.url, 'GET', '/console/api/operator/fees', {
    headers: (await login(world.server, 'operador', (await ensureOperator(world.server.ctx)).password)).headers,
  });
  assert.ok(
    fees.body.data.some((r: { operation: string; percent: string; fixed: string }) => r.operation === 'transfer' && r.percent === '1.5' && r.fixed === '2.00'),
  );

  await page.getByRole('link', { name: 'Libro mayor' }).click();
  await page.getByText('Aún no se ha verificado el libro mayor desde la consola.').waitFor();
  await page.getByRole('button', { name: 'Verificar ahora' }).click();
  await page.getByText('El libro mayor cuadra').waitFor();
  await captureScreen(page, '47-operator-ledger');
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});
