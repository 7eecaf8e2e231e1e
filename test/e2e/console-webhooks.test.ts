// The merchant's webhooks in the web console, in a real browser, against a real receiver: the
// demo merchant adds an endpoint (the form checked with the server's rules first), sees its
// signing secret once, renews the app's keys (an event), and follows the delivery in the log
// with its attempt; the receiver then fails, the merchant resends the delivery and sees the
// second attempt, resends the endpoint's failed deliveries once it is back, disables and enables
// the endpoint, renews its secret and deletes it. The webhook worker is driven by the test
// (runOnce) and gives up at the first failure, so "failed" is reached without waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifySignature } from '../../src/index.ts';
import { ensureDemo } from '../../src/modules/sandbox/index.ts';
import { WEBHOOK_MESSAGES } from '../../src/modules/webhooks/rules.ts';
import { startWebhookWorker } from '../../src/workers/webhooks.ts';
import { startReceiver } from '../webhook-fixtures.ts';
import { captureScreen, openConsole, signInAs, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();

test('a merchant adds a webhook endpoint, sees its secret once, follows a delivery and its attempts, and resends it', { skip }, async (t) => {
  const demo = await ensureDemo(world.server.ctx);
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const worker = startWebhookWorker(world.server.ctx, { settings: { pollMs: 3_600_000, timeoutMs: 2000, horizonMs: 0 }, wake: false });
  t.after(() => worker.stop());

  const { page, errors, context } = await openConsole(world.browser);
  const endpointPosts: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/webhooks') && endpointPosts.push(r.url()));
  await signInAs(page, world.server.url, demo.merchant.username, demo.merchant.password, 'Pepitos House');

  // From the application page to its webhooks: none yet.
  await page.goto(`${world.server.url}/console/apps`);
  await page.getByRole('link', { name: 'Ver Tienda Demo' }).click();
  const section = page.getByRole('region', { name: 'Webhooks' });
  await section.getByText('0 endpoints').waitFor();
  await section.getByRole('link', { name: 'Gestionar webhooks' }).click();
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Sin endpoints todavía' }).waitFor();
  await captureScreen(page, '70-webhooks-empty');

  // The browser refuses what the server would, in its words; nothing is sent.
  await page.getByRole('button', { name: 'Agregar endpoint' }).click();
  await page.getByText(WEBHOOK_MESSAGES.url.es).waitFor();
  await page.getByText(WEBHOOK_MESSAGES.eventTypes.es).waitFor();
  assert.deepEqual(endpointPosts, []);
  // Where the URL may point, only the server says — on the same field.
  await page.getByLabel('URL del endpoint').fill('ftp://example.com/hooks');
  await page.getByRole('checkbox', { name: /application\.credentials_renewed/ }).check();
  await page.getByRole('button', { name: 'Agregar endpoint' }).click();
  await page
    .locator('.field', { has: page.getByLabel('URL del endpoint') })
    .getByText('La URL debe usar http o https.')
    .waitFor();
  await captureScreen(page, '71-webhooks-form-errors');

  // Added: the signing secret is shown once, with a copy button and a warning.
  await page.getByLabel('URL del endpoint').fill(`${receiver.url}/hooks`);
  await page.getByLabel('Descripción (opcional)').fill('Servidor de la tienda');
  await page.getByRole('checkbox', { name: /payment\.created/ }).check();
  await page.getByRole('button', { name: 'Agregar endpoint' }).click();
  const panel = page.getByTestId('webhook-secret-panel');
  await panel.waitFor();
  const secret = (await page.getByTestId('webhook-secret').textContent())!;
  assert.match(secret, /^whsec_[0-9a-f]{48}$/);
  assert.match((await panel.textContent()) ?? '', /no se volverá a mostrar/);
  await panel.getByRole('button', { name: 'Copiar Secreto de firma' }).click();
  await page.getByText('Secreto de firma copiado al portapapeles.').waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  const item = page.getByTestId('webhook-endpoint');
  await item.locator('strong', { hasText: `${receiver.url}/hooks` }).waitFor();
  assert.deepEqual((await item.getByRole('list', { name: 'Tipos de evento' }).getByRole('listitem').allTextContents()).sort(), [
    'application.credentials_renewed',
    'payment.created',
  ]);
  assert.equal(await page.getByLabel('URL del endpoint').inputValue(), '', 'the form is ready for another one');
  await captureScreen(page, '72-webhooks-secret-once');
  await panel.getByRole('button', { name: 'Ya lo guardé' }).click();
  await panel.waitFor({ state: 'detached' });
  await page.reload();
  await item.waitFor();
  assert.doesNotMatch(await page.content(), /whsec_/, 'the secret is not shown again');

  // An event: the app's keys are renewed on its page; the worker delivers it, signed.
  await page.getByRole('link', { name: 'Tienda Demo' }).click();
  await page.getByRole('button', { name: 'Renovar credenciales' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Sí, renovar ahora' }).click();
  await page.getByText('Credenciales renovadas: las anteriores ya no funcionan.').waitFor();
  await worker.runOnce();
  assert.equal(receiver.received.length, 1);
  const got = receiver.received[0]!;
  assert.equal(got.body.action, 'application.credentials_renewed');
  assert.ok(verifySignature(got.headers, got.query, secret), 'signed with the secret shown once');

  // The delivery log shows it delivered, with its attempt.
  await page.getByRole('region', { name: 'Webhooks' }).getByRole('link', { name: 'Ver registro de entregas' }).click();
  await page.getByRole('heading', { name: 'Registro de entregas', level: 1 }).waitFor();
  const row = page.getByTestId('webhook-delivery');
  await row.getByText('Entregada').waitFor();
  assert.match((await row.textContent()) ?? '', /1 intento · Última respuesta: HTTP 200/);
  await captureScreen(page, '73-webhooks-log');
  await row.getByRole('link', { name: /^application\.credentials_renewed/ }).click();
  const attempts = page.getByTestId('webhook-attempt');
  await attempts.first().waitFor();
  assert.equal(await attempts.count(), 1);
  assert.equal(await attempts.first().getByTestId('attempt-status').textContent(), '200');
  assert.equal(await attempts.first().getByTestId('attempt-body').textContent(), 'ok');
  assert.match((await attempts.first().textContent()) ?? '', /Latencia\d+ ms/);
  await captureScreen(page, '74-webhooks-delivery');

  // The receiver fails; "Reenviar" sends it again and the page shows the second attempt by itself.
  receiver.handle((_r, res) => void res.writeHead(500, { 'content-type': 'text/plain' }).end('receptor caído'));
  await page.getByRole('button', { name: 'Reenviar' }).click();
  await page.getByText('Entrega reenviada: el nuevo intento aparecerá en unos segundos.').waitFor();
  await page.getByTestId('delivery-status').getByText('Pendiente').waitFor();
  await worker.runOnce();
  assert.equal(receiver.received.length, 2);
  await page.getByRole('heading', { name: 'Intento 2' }).waitFor();
  const second = attempts.nth(1);
  assert.equal(await second.getByTestId('attempt-status').textContent(), '500');
  assert.equal(await second.getByTestId('attempt-body').textContent(), 'receptor caído');
  assert.match((await second.textContent()) ?? '', /Falló/);
  await page.getByTestId('delivery-status').getByText('Fallida').waitFor();
  await captureScreen(page, '75-webhooks-delivery-replayed');

  // Filters: by status, and by an event type it is not.
  await page.getByRole('link', { name: 'Volver al registro' }).click();
  await page.getByLabel('Estado').selectOption('failed');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await page.getByRole('heading', { name: '1 entrega', exact: true }).waitFor();
  await row.getByText('Fallida').waitFor();
  await page.getByLabel('Tipo de evento').selectOption('payment.created');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await page.getByText('Ninguna entrega coincide con los filtros.').waitFor();
  await captureScreen(page, '76-webhooks-log-filtered');

  // Back on the endpoints: flagged as failing; once the receiver is back, resend the failed ones.
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await item.getByText('Con fallas').waitFor();
  receiver.handle((_r, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  await item.getByRole('button', { name: /^Reenviar fallidas/ }).click();
  await page.getByText('1 entrega fallida se enviará de nuevo ahora.').waitFor();
  await worker.runOnce();
  assert.equal(receiver.received.length, 3);
  await page.reload();
  await item.getByText('Activo', { exact: true }).waitFor();

  // Disabled, it stays disabled after a reload; then enabled again.
  const enabled = item.getByRole('switch', { name: /^Recibe eventos/ });
  assert.equal(await enabled.isChecked(), true);
  await enabled.click();
  await page.getByText('Endpoint desactivado: no recibirá eventos hasta que lo active.').waitFor();
  await page.reload();
  await item.getByText('Desactivado').waitFor();
  assert.equal(await enabled.isChecked(), false);
  await enabled.click();
  await page.getByText('Endpoint activado.').waitFor();

  // A new signing secret, after a confirmation that says the old one stops at once.
  await item.getByRole('button', { name: /^Renovar secreto/ }).click();
  const rotate = page.getByRole('dialog', { name: '¿Renovar el secreto de firma?' });
  await rotate.waitFor();
  assert.match((await rotate.textContent()) ?? '', /deja de firmar de inmediato/);
  await captureScreen(page, '77-webhooks-rotate-confirm');
  await rotate.getByRole('button', { name: 'Sí, renovar' }).click();
  await page.getByText('Secreto renovado. Este es el nuevo secreto de firma:').waitFor();
  const renewed = (await page.getByTestId('webhook-secret').textContent())!;
  assert.match(renewed, /^whsec_/);
  assert.notEqual(renewed, secret);
  await panel.getByRole('button', { name: 'Ya lo guardé' }).click();

  // Deleted after a confirmation.
  await item.getByRole('button', { name: /^Eliminar/ }).click();
  const remove = page.getByRole('dialog', { name: '¿Eliminar este endpoint?' });
  await remove.getByRole('button', { name: 'Sí, eliminar' }).click();
  await page.getByText('Endpoint eliminado.').waitFor();
  await page.getByRole('heading', { name: 'Sin endpoints todavía' }).waitFor();

  // In English too.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'No endpoints yet' }).waitFor();
  await page.getByRole('button', { name: /Español/ }).click();

  assert.deepEqual(unexpectedErrors(errors, 400), [], 'no errors in the browser console but the refused URL');
  await context.close();
});
