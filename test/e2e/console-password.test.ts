// "¿Olvidó su contraseña?" in a real browser (sandbox, where the link is shown on screen): from
// the sign-in page, ask for the link, open it, be refused a short password in the rules' words,
// choose a new one, and sign in with it; the old one no longer works. axe and both widths on
// every screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_MESSAGES } from '../../src/modules/identity/rules.ts';
import { http } from '../helpers.ts';
import { PASSWORD, registerPerson } from '../api/core-fixtures.ts';
import { captureScreen, openConsole, signInAs, skipWithoutChromium as skip, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const world = useConsoleWorld();

test('a person resets a forgotten password from the sign-in page', { skip }, async () => {
  const person = await registerPerson(world.server);
  const { page, errors, context } = await openConsole(world.browser, 390);
  await page.goto(`${world.server.url}/console/signin`);
  await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).click();
  await page.getByRole('heading', { name: 'Restablecer la contraseña' }).waitFor();
  await captureScreen(page, 'password-forgot');
  await page.getByLabel('Usuario, teléfono o identificación').fill(person.phone);
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  await page.getByText('Si la cuenta existe, enviamos un enlace a su correo.').waitFor();
  await captureScreen(page, 'password-forgot-sent');
  await page.getByRole('link', { name: 'abrir el enlace para restablecer la contraseña' }).click();
  await page.getByRole('heading', { name: 'Elegir una nueva contraseña' }).waitFor();

  await page.getByLabel('Nueva contraseña').fill('corta');
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await page.getByText(IDENTITY_MESSAGES.passwordShort.es).waitFor();
  await page.getByLabel('Nueva contraseña').fill('mi-clave-nueva-2026');
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await page.getByText('Su contraseña fue cambiada. Inicie sesión con la nueva.').waitFor();
  await captureScreen(page, 'password-reset-done');

  assert.equal((await http(world.server.url, 'POST', '/console/api/session', { json: { login: person.username, password: PASSWORD } })).status, 401);
  await signInAs(page, world.server.url, person.username, 'mi-clave-nueva-2026', 'Persona de Prueba');
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});

test('a used link says so and offers a new one', { skip }, async () => {
  const person = await registerPerson(world.server);
  const asked = await http(world.server.url, 'POST', '/console/api/password-reset', { json: { login: person.username } });
  const link = asked.body.link as string;
  assert.equal(
    (
      await http(world.server.url, 'POST', '/console/api/password-reset/confirm', {
        json: { token: new URL(link).searchParams.get('token'), password: 'primera-clave-1' },
      })
    ).status,
    204,
  );
  const { page, errors, context } = await openConsole(world.browser, 1280);
  await page.goto(link);
  await page.getByLabel('Nueva contraseña').fill('segunda-clave-2');
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await page.getByText('El enlace para restablecer la contraseña no es válido, ya se usó o venció.').waitFor();
  await page.getByRole('link', { name: 'Pedir un enlace nuevo' }).click();
  await page.getByRole('heading', { name: 'Restablecer la contraseña' }).waitFor();
  assert.deepEqual(unexpectedErrors(errors, 400), []);
  await context.close();
});
