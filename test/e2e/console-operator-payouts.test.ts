// The operator's payout batches in a real browser (sandbox, the demo merchant): a submitted
// batch's bank file is downloaded, and the bank's answer imported back — one payout paid, one
// failed, a ref of no item and an unreadable line — with a summary that says what each did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { http } from '../helpers.ts';
import { captureScreen, openConsole, signInAs, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld();
const ITEM = { nameAccount: 'Pedro Perez', identificationNumber: 'j54637469', bankAccount: '01050000000000000000' };

/** The demo merchant funds its wallet, registers two payouts and submits the batch. */
async function submittedBatch() {
  const demo = await ensureDemo(world.server.ctx);
  const url = world.server.url;
  const token = (
    await http(url, 'POST', '/oauth/v2/token', {
      form: { grant_type: 'urn:client_apps', client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret },
    })
  ).body.access_token as string;
  const merchant = {
    'x-session-token': (await http(url, 'POST', '/console/api/session', { json: { login: demo.merchant.username, password: demo.merchant.password } })).body
      .sessionToken,
  };
  const funded = await http(url, 'POST', '/sandbox/wallets/fund', { token, json: { account: demo.merchant.username, amount: '1000.00', currency: 'VES' } });
  assert.equal(funded.status, 200, funded.text);
  const refs: string[] = [];
  for (const [reference, amount] of [
    ['nómina-1', '120.00'],
    ['nómina-2', '80.50'],
  ]) {
    const item = await http(url, 'POST', '/api/multipayment/register-item.json?type=DISPERSION', {
      token,
      json: { multi_payment_item: { ...ITEM, reference, amount } },
    });
    assert.equal(item.status, 200, item.text);
    refs.push(item.body.ref);
  }
  const pending = await http(url, 'GET', '/console/api/payout-batches?state=pending_upload', { headers: merchant });
  const batchId = pending.body.data[0].id as string;
  const submitted = await http(url, 'POST', `/console/api/payout-batches/${batchId}/submit`, { headers: merchant });
  assert.equal(submitted.status, 200, submitted.text);
  return { demo, batchId, refs };
}

test('the operator downloads a batch’s bank file and imports the bank’s answer, with a summary', { skip }, async () => {
  const { demo, batchId, refs } = await submittedBatch();
  const { page, errors, context } = await openConsole(world.browser);
  await signInAs(page, world.server.url, demo.operator.username, demo.operator.password, 'Operador de la plataforma');
  await page.getByRole('link', { name: 'Lotes de pago' }).click();
  const short = batchId.slice(-8);
  const row = page.getByTestId('operator-batch').filter({ hasText: `Lote ${short}` });
  await row.getByText('Enviado').waitFor();
  await captureScreen(page, '48-operator-payouts');

  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: `Archivo del banco del lote ${short}` }).click()]);
  const csv = await readFile((await download.path())!, 'utf8');
  for (const ref of refs) assert.match(csv, new RegExp(`^${ref},0105,`, 'm'));

  await row.getByRole('button', { name: `Importar respuesta del banco del lote ${short}` }).click();
  await row.getByRole('button', { name: 'Importar', exact: true }).click();
  await row.getByText('Elija el archivo de respuesta o pegue sus líneas.').waitFor();
  const unknownRef = `${refs[0]!.slice(0, -3)}999`;
  const answer = ['ref,status,reason', `${refs[0]},PAID`, `${refs[1]},FAILED,Cuenta cerrada`, `${unknownRef},PAID`, 'sin-estado'].join('\n');
  await row.getByLabel('Archivo de respuesta del banco (CSV)').setInputFiles({ name: 'respuesta.csv', mimeType: 'text/csv', buffer: Buffer.from(answer) });
  await row.getByLabel('Contenido de la respuesta').waitFor();
  assert.equal(await row.getByLabel('Contenido de la respuesta').inputValue(), answer, 'the file is shown before it is sent');
  await row.getByRole('button', { name: 'Importar', exact: true }).click();
  // Every payout answered: the batch is settled and leaves the "submitted" list; the summary stays.
  const summary = page.locator('.alert', { hasText: `Respuesta del banco importada al lote ${short} (Liquidado): 4 líneas leídas` });
  await summary.waitFor();
  await summary.getByText('1 pago marcado como pagado').waitFor();
  await summary.getByText('1 pago marcado como fallido (el monto y su comisión vuelven al comercio)').waitFor();
  await summary.getByText('2 líneas con problemas').waitFor();
  await page.getByRole('heading', { name: 'No hay lotes en este estado' }).waitFor();
  const problems = await summary.getByTestId('bank-answer-problems').locator('li').allTextContents();
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.equal(problems[0], `Línea 4: ${unknownRef} no es un pago de este lote`);
  assert.match(problems[1]!, /^Línea 5: \S/);
  await captureScreen(page, '49-operator-bank-answer');

  const operator = {
    'x-session-token': (
      await http(world.server.url, 'POST', '/console/api/session', { json: { login: demo.operator.username, password: demo.operator.password } })
    ).body.sessionToken,
  };
  const batch = await http(world.server.url, 'GET', `/console/api/operator/payout-batches/${batchId}`, { headers: operator });
  assert.deepEqual(
    batch.body.batch.items.map((i: { ref: string; status: string }) => [i.ref, i.status]),
    [
      [refs[0], 'PAID'],
      [refs[1], 'FAILED'],
    ],
  );
  assert.deepEqual(unexpectedErrors(errors), []);
  await context.close();
});
