// "¿Olvidó su contraseña?" in a real browser (a sandbox without a mail server, where a test
// account's link is shown on screen): from
// the sign-in page, ask for the link, open it, be refused a short password in the rules' words,
// choose a new one, and sign in with it; the old one no longer works. axe and both widths on
// every screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_MESSAGES } from '../../src/modules/identity/rules.ts';
import { http } from '../helpers.ts';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { captureScreen, openConsole, signInAs, skipWithoutChromium as skip, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const world = useConsoleWorld();

async function testAccount(): Promise<{ username: string; password: string; phone: string }> {
  const demo = await ensureDemo(world.server.ctx);
  const made = await http(world.server.url, 'POST', '/users/test_user', { json: { site_id: 'MLV' }, token: demo.merchant.app.accessToken });
  assert.equal(made.status, 201, made.text);
  const user = await world.server.ctx.store.db.selectFrom('users').select('phone').where('id', '=', made.body.id).executeTakeFirstOrThrow();
  return { username: made.body.nickname, password: made.body.password, phone: user.phone! };
}

test('a person resets a forgotten password from the sign-in page', { skip }, async () => {
  const person = await testAccount();
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

  assert.equal((await http(world.server.url, 'POST', '/console/api/session', { json: { login: person.username, password: person.password } })).status, 401);
  await signInAs(page, world.server.url, person.username, 'mi-clave-nueva-2026', 'Usuario de prueba MLV');
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});

test('a used link says so and offers a new one', { skip }, async () => {
  const person = await testAccount();
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
