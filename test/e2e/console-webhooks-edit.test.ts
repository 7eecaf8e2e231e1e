// The rest of an application's webhooks in the web console, in a real browser: a merchant edits
// an endpoint in place (URL refused by the server on its field, then fixed; event types changed,
// a pattern set through the API kept; disabled), pages through a delivery log longer than a page,
// and creates, reveals, copies and renews the app's notification secret (after a confirmation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendEvents } from '../../src/modules/events/index.ts';
import { appNotificationSecret, createEndpoint, Dispatcher, getEndpoint } from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { createMerchant } from '../webhook-fixtures.ts';
import { captureScreen, openConsole, signInAs, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();

test('a merchant edits a webhook endpoint and pages through its delivery log', { skip }, async (t) => {
  const { ctx } = world.server;
  const merchant = await createMerchant(ctx);
  const created = await createEndpoint(ctx, merchant.user.id, merchant.app.id, {
    url: 'https://hooks.example.test/old',
    eventTypes: ['payment.*', 'application.credentials_renewed'],
    description: 'Servidor viejo',
  });
  const endpointId = created.endpoint.id;
  // 55 events, one delivery each: more than a page (50) of the log.
  const now = await ctx.clock.now();
  await inTransaction(ctx.store, (tx) =>
    appendEvents(
      tx,
      Array.from({ length: 55 }, (_, i) => ({
        type: 'payment.created' as const,
        objectId: `pay-${i}`,
        ownerUserId: merchant.user.id,
        appId: merchant.app.id,
        payload: { i },
      })),
      now,
    ),
  );
  const dispatcher = new Dispatcher(ctx);
  while ((await dispatcher.fanOut()) > 0);
  await dispatcher.close();

  const { page, errors, context } = await openConsole(world.browser);
  t.after(() => context.close());
  await signInAs(page, world.server.url, merchant.user.username, merchant.password, merchant.user.name);
  await page.goto(`${world.server.url}/console/apps/${merchant.app.id}/webhooks`);
  const item = page.getByTestId('webhook-endpoint');
  await item.getByRole('button', { name: /^Editar/ }).click();
  const form = page.getByRole('region', { name: 'Editar endpoint' });
  await form.waitFor();
  assert.equal(await page.getByRole('region', { name: 'Agregar endpoint' }).count(), 0, 'one form at a time');
  const url = form.getByLabel('URL del endpoint');
  assert.equal(await url.inputValue(), 'https://hooks.example.test/old');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value), 'https://hooks.example.test/old', 'the URL has focus');
  assert.equal(await form.getByRole('checkbox', { name: 'payment.*' }).isChecked(), true, 'a pattern outside the catalogue stays a choice');
  assert.equal(await form.getByRole('checkbox', { name: /application\.credentials_renewed/ }).isChecked(), true);
  assert.equal(await form.getByRole('checkbox', { name: /^Recibe eventos/ }).isChecked(), true);
  await captureScreen(page, '78-webhooks-edit');

  // Where the URL may point only the server says, on the field; nothing changed meanwhile.
  await url.fill('ftp://hooks.example.test/new');
  await form.getByRole('button', { name: 'Guardar cambios' }).click();
  await form
    .locator('.field', { has: page.getByLabel('URL del endpoint') })
    .getByText('La URL debe usar http o https.')
    .waitFor();
  assert.equal((await getEndpoint(ctx, merchant.user.id, merchant.app.id, endpointId)).url, 'https://hooks.example.test/old');

  await url.fill('https://hooks.example.test/new');
  await form.getByRole('checkbox', { name: /application\.credentials_renewed/ }).uncheck();
  await form.getByRole('checkbox', { name: /payment\.updated/ }).check();
  await form.getByRole('checkbox', { name: /^Recibe eventos/ }).uncheck();
  await form.getByRole('button', { name: 'Guardar cambios' }).click();
  await page.getByText('Cambios guardados.').waitFor();
  await form.waitFor({ state: 'detached' });
  await page.getByRole('region', { name: 'Agregar endpoint' }).waitFor();
  const saved = await getEndpoint(ctx, merchant.user.id, merchant.app.id, endpointId);
  assert.equal(saved.url, 'https://hooks.example.test/new');
  assert.deepEqual([...saved.eventTypes].sort(), ['payment.*', 'payment.updated']);
  assert.equal(saved.enabled, false);
  assert.equal(saved.description, 'Servidor viejo');
  await page.reload();
  await item.locator('strong', { hasText: 'https://hooks.example.test/new' }).waitFor();
  await item.getByText('Desactivado').waitFor();
  assert.deepEqual((await item.getByRole('list', { name: 'Tipos de evento' }).getByRole('listitem').allTextContents()).sort(), [
    'payment.*',
    'payment.updated',
  ]);

  // Cancel leaves the endpoint as it was.
  await item.getByRole('button', { name: /^Editar/ }).click();
  await form.getByLabel('URL del endpoint').fill('https://elsewhere.example.test/');
  await form.getByRole('button', { name: 'Cancelar' }).click();
  await form.waitFor({ state: 'detached' });
  assert.equal((await getEndpoint(ctx, merchant.user.id, merchant.app.id, endpointId)).url, 'https://hooks.example.test/new');

  // The log shows a page, and the older deliveries on asking; each once.
  await page.goto(`${world.server.url}/console/apps/${merchant.app.id}/webhooks/deliveries`);
  await page.getByRole('heading', { name: 'Las 50 entregas más recientes' }).waitFor();
  const rows = page.getByTestId('webhook-delivery');
  assert.equal(await rows.count(), 50);
  await captureScreen(page, '79-webhooks-log-more');
  await page.getByRole('button', { name: 'Ver entregas anteriores' }).click();
  await page.getByRole('heading', { name: '55 entregas' }).waitFor();
  assert.equal(await rows.count(), 55);
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  assert.equal(new Set(ids).size, 55);
  assert.equal(await page.getByRole('button', { name: 'Ver entregas anteriores' }).count(), 0);

  assert.deepEqual(unexpectedErrors(errors, 400), [], 'no errors in the browser console but the refused URL');
});

test('a merchant creates, reveals, copies and renews the app’s notification secret', { skip }, async (t) => {
  const { ctx } = world.server;
  const merchant = await createMerchant(ctx);
  const { page, errors, context } = await openConsole(world.browser);
  t.after(() => context.close());
  await signInAs(page, world.server.url, merchant.user.username, merchant.password, merchant.user.name);
  await page.goto(`${world.server.url}/console/apps/${merchant.app.id}`);
  const section = page.getByRole('region', { name: 'Secreto de notificación' });
  await section.getByText('La aplicación aún no tiene secreto de notificación').waitFor();

  await section.getByRole('button', { name: 'Crear secreto' }).click();
  const shown = section.getByTestId('notification-secret');
  await shown.getByText(/Oculto/).waitFor();
  assert.doesNotMatch(await page.content(), /whsec_/, 'hidden until revealed');
  await section.getByText(/Secreto vigente desde el/).waitFor();
  await captureScreen(page, '80-app-notification-secret');
  await section.getByRole('button', { name: 'Mostrar' }).click();
  const first = (await shown.textContent())!;
  assert.match(first, /^whsec_[0-9a-f]{48}$/);
  assert.equal(first, await appNotificationSecret(ctx, merchant.app.id), 'the secret that signs the notices');
  await section.getByRole('button', { name: 'Copiar Secreto de notificación' }).click();
  await section.getByText('Secreto de notificación copiado al portapapeles.').waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);
  await section.getByRole('button', { name: 'Ocultar' }).click();
  await shown.getByText(/Oculto/).waitFor();

  // Renewing asks first, saying the old secret stops at once; closing the dialog changes nothing.
  await section.getByRole('button', { name: 'Renovar secreto de notificación' }).click();
  const dialog = page.getByRole('dialog', { name: '¿Renovar el secreto de notificación?' });
  assert.match((await dialog.textContent()) ?? '', /deja de firmar de inmediato/);
  await captureScreen(page, '81-app-notification-secret-renew');
  await dialog.getByRole('button', { name: 'Cancelar' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await appNotificationSecret(ctx, merchant.app.id), first);
  await section.getByRole('button', { name: 'Renovar secreto de notificación' }).click();
  await dialog.getByRole('button', { name: 'Sí, renovar' }).click();
  await dialog.waitFor({ state: 'detached' });
  await shown.getByText(/Oculto/).waitFor();
  await section.getByRole('button', { name: 'Mostrar' }).click();
  const second = (await shown.textContent())!;
  assert.match(second, /^whsec_/);
  assert.notEqual(second, first);
  assert.equal(second, await appNotificationSecret(ctx, merchant.app.id));

  // Not shown again once the page is left.
  await page.reload();
  await section.getByText(/Secreto vigente desde el/).waitFor();
  assert.doesNotMatch(await page.content(), /whsec_/);
  assert.deepEqual(unexpectedErrors(errors), []);
});
