// The merchant's payout batches in the web console, in a real browser: a CSV with one bad row
// is uploaded (with a progress bar), the bad row's error is shown in the table of errors, the
// pending batch's totals are reviewed and the rest is submitted after a confirmation; the
// batch's page then follows its payments' status (paid, failed with its reason) without
// reloading while the operator imports the bank's answer. Every screen passes axe-core with no
// browser-console errors, at 390 px and 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { PAYOUT_MESSAGES } from '../../src/modules/payouts/rules.ts';
import { http } from '../helpers.ts';
import { operatorSession } from '../api/core-fixtures.ts';
import { captureScreen, esMoney, openConsole, signInAs, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();

const CSV = [
  'tipo,referencia,titular,identificacion,cuenta,monto',
  'DISPERSION,nomina-001,Pedro Pérez,V12345678,01050000000000000000,150.75',
  'DISPERSION,nomina-002,Luis Díaz,V7654321,0105000000000000000,80',
  'DISPERSION_INSTANT_INTERBANK,nomina-003,Ana Gómez,J54637469,01340032610321098765,20',
  '',
].join('\n');

test('a payout CSV with one bad row uploads, shows that row’s error, and the rest is submitted; the batch follows its payments’ status', { skip }, async () => {
  const server = world.server;
  const demo = await ensureDemo(server.ctx);
  const m = demo.merchant;
  const operator = await operatorSession(server);
  for (const operation of ['payout_dispersion', 'payout_instant']) {
    const fee = await http(server.url, 'PUT', '/console/api/operator/fees', {
      json: { operation, currency: 'VES', percent: '0', fixed: '1.00' },
      headers: operator.headers,
    });
    assert.equal(fee.status, 200, fee.text);
  }
  const token = await http(server.url, 'POST', '/oauth/v2/token', {
    form: { grant_type: 'urn:client_apps', client_id: m.app.clientId, client_secret: m.app.clientSecret },
  });
  assert.equal(token.status, 200, token.text);
  const funded = await http(server.url, 'POST', '/sandbox/wallets/fund', {
    token: token.body.access_token,
    json: { account: m.username, amount: '1000', currency: 'VES' },
  });
  assert.equal(funded.status, 200, funded.text);

  const { page, errors } = await openConsole(world.browser);
  await signInAs(page, server.url, m.username, m.password, 'Pepitos House');
  await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Pagos masivos' }).click();
  await page.getByRole('heading', { name: 'Pagos masivos', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Sin lotes todavía' }).waitFor();
  await captureScreen(page, '70-payouts-empty');

  await page.getByRole('link', { name: 'Nuevo lote' }).first().click();
  await page.getByRole('heading', { name: 'Nuevo lote de pagos', level: 1 }).waitFor();
  const template = page.getByRole('link', { name: 'Descargar plantilla CSV' });
  assert.equal(await template.getAttribute('download'), 'plantilla-pagos-masivos.csv');
  assert.match(
    decodeURIComponent((await template.getAttribute('href'))!),
    /^data:text\/csv;charset=utf-8,\uFEFFtipo,referencia,titular,identificacion,cuenta,monto/,
  );
  await page.getByText('No hay un lote pendiente').waitFor();
  // Without a file, the browser says so before anything is sent.
  await page.getByRole('button', { name: 'Subir archivo' }).click();
  await page.getByText('Elija un archivo CSV.').waitFor();
  await captureScreen(page, '71-payouts-new');

  await page.getByLabel('Archivo CSV').setInputFiles({ name: 'nomina.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.getByRole('button', { name: 'Subir archivo' }).click();
  const result = page.getByTestId('upload-result');
  await result.getByText('2 de 3 filas agregadas al lote.').waitFor();
  const progress = page.getByRole('progressbar', { name: 'Progreso de la subida' });
  assert.equal(await progress.getAttribute('value'), '100');
  await result.getByText('1 fila tiene errores y no se agregó').waitFor();
  const bad = page.locator('[data-testid="upload-error"]');
  assert.equal(await bad.count(), 1);
  assert.equal(await bad.getAttribute('data-line'), '3');
  assert.match((await bad.textContent())!, /Cuenta.*El número de cuenta debe tener 20 dígitos\./);
  // The review: the pending batch's totals by currency (two payments, fee 1.00 each as estimated).
  const totals = page.getByTestId('payout-totals');
  await totals.getByText(esMoney(170.75)).waitFor();
  await totals.getByText(esMoney(2)).waitFor();
  await totals.getByText(esMoney(172.75)).waitFor();
  await captureScreen(page, '72-payouts-uploaded');

  await page.getByRole('button', { name: 'Enviar lote' }).click();
  const dialog = page.getByRole('dialog', { name: '¿Enviar el lote?' });
  await dialog.getByText(`Se debitan ${esMoney(172.75)} de su billetera por 2 pagos`).waitFor();
  await captureScreen(page, '73-payouts-confirm');
  await dialog.getByRole('button', { name: 'Sí, enviar' }).click();
  await page.getByText('Lote enviado: el dinero se debitó y los pagos están en proceso.').waitFor();
  await page.getByTestId('batch-state').getByText('Enviado').waitFor();
  const items = page.getByTestId('batch-item');
  assert.equal(await items.count(), 2);
  assert.deepEqual(await items.evaluateAll((rows) => rows.map((r) => r.querySelector('.badge')?.textContent)), ['En proceso', 'En proceso']);
  await captureScreen(page, '74-payouts-submitted');
  const me = await http(server.url, 'GET', '/console/api/me', { headers: { 'x-session-token': (await signInToken(server.url, m.username, m.password))! } });
  assert.equal(me.body.wallets.find((w: { currency: string }) => w.currency === 'VES').balance, '827.25');

  // The operator imports the bank's answer; the open page shows each payment's status by itself.
  const refs = await items.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ref')!));
  const batchId = page.url().split('/').pop()!;
  const answer = await fetch(`${server.url}/console/api/operator/payout-batches/${batchId}/bank-answer`, {
    method: 'POST',
    headers: { ...operator.headers, 'content-type': 'text/csv' },
    body: `${refs[0]},PAID\n${refs[1]},FAILED,cuenta cerrada\n`,
  });
  assert.equal(answer.status, 200, await answer.text());
  await page.getByTestId('batch-state').getByText('Liquidado').waitFor({ timeout: 15_000 });
  await page.locator(`[data-ref="${refs[0]}"]`).getByText('Pagado').waitFor();
  await page.locator(`[data-ref="${refs[1]}"]`).getByText('Fallido').waitFor();
  await page.getByText('Motivo: cuenta cerrada').waitFor();
  await captureScreen(page, '75-payouts-settled');

  await page.getByRole('link', { name: 'Volver a pagos masivos' }).click();
  const listed = page.locator(`[data-testid="payout-batch"][data-id="${batchId}"]`);
  await listed.getByText('Liquidado').waitFor();
  assert.match((await listed.textContent())!, /2 pagos · Pagado: 1 · Fallido: 1/);
  await captureScreen(page, '76-payouts-list');

  // English: the same list, its words switched; a line's problem is told in English too.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Payouts', level: 1 }).waitFor();
  await listed.getByText('Settled').waitFor();
  await page.getByRole('link', { name: 'New batch' }).click();
  await page.getByLabel('CSV file').setInputFiles({ name: 'payroll.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.getByRole('button', { name: 'Upload file' }).click();
  await result.getByText('2 of 3 rows added to the batch.').waitFor();
  assert.match((await bad.textContent())!, /Account.*The account number must have 20 digits\./);
  // A file the server cannot read as a whole (no payment under the header): its 400 names the
  // message's code, and the console says it in English.
  await page.getByLabel('CSV file').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from(`${CSV.split('\n')[0]}\n`) });
  const refused = page.waitForResponse((r) => r.url().includes('/payout-batches/upload'));
  await page.getByRole('button', { name: 'Upload file' }).click();
  assert.equal((await refused).headers()['pasarela-field-codes'], '=payouts.fileNoPayments');
  await page.getByText(PAYOUT_MESSAGES.fileNoPayments.en).waitFor();
  assert.equal(await page.getByText(PAYOUT_MESSAGES.fileNoPayments.es).count(), 0);
  await page.getByRole('button', { name: /Español/ }).click();
  await page.getByText(PAYOUT_MESSAGES.fileNoPayments.es).waitFor();
  assert.deepEqual(unexpectedErrors(errors, 400), []);
});

async function signInToken(base: string, login: string, password: string): Promise<string | undefined> {
  const answer = await http(base, 'POST', '/console/api/session', { json: { login, password } });
  return answer.body.sessionToken;
}
