// The operator's pages in English, in a real browser: requests approved and rejected with a
// reason (a missing reason and a request already decided are said in English too, by their
// codes), users locked and unlocked, affiliation codes, fees, the ledger verifier (production),
// and payout batches with the bank's answer imported (sandbox: a whole-file 400 and each line's
// problem said in English). No Spanish is left in the main content but the data itself; every
// screen passes axe-core at 390 px and 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { APP_MESSAGES } from '../../src/modules/apps/rules.ts';
import { PAYOUT_MESSAGES } from '../../src/modules/payouts/rules.ts';
import { ensureOperator } from '../../src/modules/identity/index.ts';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { refusalsEn } from '../../console/src/locales/refusals-en.ts';
import { http, startTestServer } from '../helpers.ts';
import { createApp, login, operatorSession, registerBusiness, registerPerson } from '../api/core-fixtures.ts';
import { captureScreen, openConsole, skipWithoutChromium, unexpectedErrors, useConsoleWorld } from './console-kit.ts';

const skip = skipWithoutChromium;
const world = useConsoleWorld({ PASARELA_ENV: 'production' });
const OPERATOR_NAME = 'Operador de la plataforma';

// Words of the console's Spanish that English text never has: one left in the main content is
// an untranslated text (the data — people's and apps' names, usernames — is taken out first).
const SPANISH =
  /[¿¡áéíóúñ]|\b(de|del|la|las|el|los|para|por|con|solicitud(es)?|aprob\w*|rechaz\w*|motivo|usuarios?|buscar|bloque\w*|desbloque\w*|c[oó]digos?|generar|disponible|libro|verificar|verificad[oa]s?|verificaci[oó]n|lotes?|importar|respuesta|enviado|liquidado|l[ií]nea|pagados?|fallidos?|comisi[oó]n\w*|permiso|activaci[oó]n|archivo|registro)\b/i;

async function assertEnglish(page: Page, data: string[] = []): Promise<void> {
  let text = await page.locator('main').innerText();
  for (const datum of [OPERATOR_NAME, '@operador', ...data]) text = text.split(datum).join(' ');
  const found = SPANISH.exec(text);
  assert.equal(found, null, `Spanish left in the main content ("${found?.[0]}"):\n${text}`);
}

/** Switch the sign-in page to English and sign in as the operator. */
async function signInOperatorInEnglish(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/signin`);
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username, phone or identification').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Hello, ${OPERATOR_NAME}` }).waitFor();
}

/** A production business whose app asked for activation (and, if given, a permission). */
async function askingMerchant(appName: string, permission?: string) {
  const user = await registerBusiness(world.server, { name: `${appName} Inc` });
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

test('in English the operator decides requests, locks and unlocks a user, issues codes, sets a fee and verifies the ledger', { skip }, async (t) => {
  await askingMerchant('Shop One');
  await askingMerchant('Shop Two', 'payouts');
  const stale = await askingMerchant('Shop Three');
  const person = await registerPerson(world.server, { name: 'Rose Lock' });
  const operator = await ensureOperator(world.server.ctx);
  const { page, errors, context } = await openConsole(world.browser);
  t.after(() => context.close());
  await signInOperatorInEnglish(page, world.server.url, operator.username, operator.password);
  const data = ['Shop One', 'Shop Two', 'Shop Three', 'Rose Lock'];

  await page.getByText('4 requests are waiting for your answer.').waitFor();
  for (const name of ['Requests', 'Users', 'Affiliation codes', 'Fees', 'Ledger', 'Payout batches'])
    await page.getByRole('link', { name, exact: true }).waitFor();
  await assertEnglish(page, data);
  await captureScreen(page, '53-operator-home-en');

  // Requests: approve one, reject one (first without a reason: the server's 400, said in English).
  await page.getByRole('link', { name: 'See requests' }).click();
  await page.getByRole('heading', { name: 'Requests', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Approve Production activation of Shop One' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /^Aprobar/ }).count(), 0);
  await assertEnglish(page, data);
  await captureScreen(page, '54-operator-requests-en');
  await page.getByRole('button', { name: 'Approve Production activation of Shop One' }).click();
  await page.getByText('Approved: Production activation of Shop One.').waitFor();

  await page.getByRole('button', { name: 'Reject Production activation of Shop Two' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reject the request' });
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await dialog.getByText(APP_MESSAGES.rejectionReason.en).waitFor();
  assert.equal(await dialog.getByText(APP_MESSAGES.rejectionReason.es).count(), 0);
  await dialog.getByLabel('Reason for the rejection').fill('The homepage does not show the tax number.');
  await captureScreen(page, '55-operator-reject-en');
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await page.getByText('Rejected: Production activation of Shop Two. The merchant will see the reason.').waitFor();
  await page.getByRole('button', { name: 'Approve Permission: Bulk payouts of Shop Two' }).click();
  await page.getByText('Approved: Permission: Bulk payouts of Shop Two.').waitFor();

  // A request decided meanwhile (in another tab): the server's refusal is said in English.
  const elsewhere = await http(world.server.url, 'POST', `/console/api/operator/apps/${stale.app.id}/activation/reject`, {
    headers: (await operatorSession(world.server)).headers,
    json: { reason: 'Decided in another tab.' },
  });
  assert.equal(elsewhere.status, 200, elsewhere.text);
  await page.getByRole('button', { name: 'Reject Production activation of Shop Three' }).click();
  await dialog.getByLabel('Reason for the rejection').fill('The homepage is empty.');
  const refused = page.waitForResponse((r) => r.url().includes('/activation/reject'));
  await dialog.getByRole('button', { name: 'Reject' }).click();
  assert.equal((await refused).headers()['pasarela-refusal'], 'request_not_pending');
  await dialog.getByText(refusalsEn.request_not_pending).waitFor();
  await assertEnglish(page, data);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Users: find one, lock it behind a confirmation, unlock it.
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByRole('heading', { name: 'Newest users' }).waitFor();
  await page.getByLabel('Find a user').fill(person.phone);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('heading', { name: '1 result' }).waitFor();
  await page.getByRole('button', { name: 'Lock Rose Lock' }).click();
  const lock = page.getByRole('dialog', { name: 'Lock Rose Lock?' });
  await lock.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByText('Rose Lock is locked.').waitFor();
  await page.getByTestId('operator-user').getByText('Locked', { exact: true }).waitFor();
  await assertEnglish(page, [...data, person.username, person.phone, person.identification]);
  await captureScreen(page, '56-operator-users-en');
  await page.getByRole('button', { name: 'Unlock Rose Lock' }).click();
  await page.getByText('Rose Lock may sign in again.').waitFor();

  // Affiliation codes.
  await page.getByRole('link', { name: 'Affiliation codes' }).click();
  await page.getByRole('button', { name: 'Issue codes' }).click();
  await page.getByText('New codes').waitFor();
  const code = (await page.locator('.alert .mono').first().textContent())!;
  await page.getByTestId('affiliation-code').filter({ hasText: code }).getByText('Available').waitFor();
  const codes = await page.locator('main .mono').allTextContents();
  await assertEnglish(page, [...data, ...codes, ...codes.map((c) => c.toLowerCase())]);
  await captureScreen(page, '57-operator-codes-en');

  // Fees: the operations are named in English, the POS payment among them.
  await page.getByRole('link', { name: 'Fees', exact: true }).click();
  await page.getByLabel('Operation').selectOption('pos');
  await page.getByLabel('Percent').fill('1.5');
  await page.getByLabel('Fixed amount').fill('2');
  await page.getByRole('button', { name: 'Save fee' }).click();
  await page.getByText(/Fee of POS terminal payment saved: 1\.5 % \+ VES/).waitFor();
  await assertEnglish(page, data);
  await captureScreen(page, '67-operator-fees-en');

  // The ledger verifier.
  await page.getByRole('link', { name: 'Ledger', exact: true }).click();
  await page.getByText('The ledger has not been verified from the console yet.').waitFor();
  await page.getByRole('button', { name: 'Verify now' }).click();
  await page.getByText('The ledger balances').waitFor();
  await assertEnglish(page, data);
  await captureScreen(page, '58-operator-ledger-en');
  assert.deepEqual(unexpectedErrors(errors, 400), []);
});

test('in English the operator imports a bank answer: a whole-file problem and each line’s are said in English', { skip }, async (t) => {
  // Payout batches need the sandbox (a funded demo merchant): a server of its own.
  const sandbox = await startTestServer();
  t.after(() => sandbox.close());
  const demo = await ensureDemo(sandbox.ctx);
  const token = (
    await http(sandbox.url, 'POST', '/oauth/v2/token', {
      form: { grant_type: 'urn:client_apps', client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret },
    })
  ).body.access_token as string;
  const merchant = await login(sandbox, demo.merchant.username, demo.merchant.password);
  const funded = await http(sandbox.url, 'POST', '/sandbox/wallets/fund', {
    token,
    json: { account: demo.merchant.username, amount: '500.00', currency: 'VES' },
  });
  assert.equal(funded.status, 200, funded.text);
  const refs: string[] = [];
  for (const reference of ['payroll-1', 'payroll-2']) {
    const item = await http(sandbox.url, 'POST', '/api/multipayment/register-item.json?type=DISPERSION', {
      token,
      json: {
        multi_payment_item: { nameAccount: 'Peter Smith', identificationNumber: 'J54637469', bankAccount: '01050000000000000000', reference, amount: '40.00' },
      },
    });
    assert.equal(item.status, 200, item.text);
    refs.push(item.body.ref);
  }
  const pending = await http(sandbox.url, 'GET', '/console/api/payout-batches?state=pending_upload', { headers: merchant.headers });
  const batchId = pending.body.data[0].id as string;
  assert.equal((await http(sandbox.url, 'POST', `/console/api/payout-batches/${batchId}/submit`, { headers: merchant.headers })).status, 200);

  const { page, errors, context } = await openConsole(world.browser);
  t.after(() => context.close());
  await signInOperatorInEnglish(page, sandbox.url, demo.operator.username, demo.operator.password);
  await page.getByRole('link', { name: 'Payout batches' }).click();
  const short = batchId.slice(-8);
  const row = page.getByTestId('operator-batch').filter({ hasText: `Batch ${short}` });
  await row.getByText('Submitted').waitFor();
  const data = [demo.merchant.username, 'Pepitos House', short];
  await assertEnglish(page, data);
  await captureScreen(page, '59-operator-payouts-en');

  await row.getByRole('button', { name: `Import answer from the bank for batch ${short}` }).click();
  await row.getByRole('button', { name: 'Import', exact: true }).click();
  await row.getByText('Choose the answer file or paste its lines.').waitFor();
  // A file that cannot be read as a whole: the server's form-level 400, said by its code.
  await row.getByLabel('The answer’s content').fill(`${refs[0]},PAID\n"${refs[1]},FAILED`);
  const refused = page.waitForResponse((r) => r.url().includes('/bank-answer'));
  await row.getByRole('button', { name: 'Import', exact: true }).click();
  assert.equal((await refused).headers()['pasarela-field-codes'], '=payouts.unclosedQuote');
  await row.getByText(PAYOUT_MESSAGES.unclosedQuote.en).waitFor();
  await assertEnglish(page, data);
  await captureScreen(page, '69-operator-bank-answer-error-en');

  const unknownRef = `${refs[0]!.slice(0, -3)}999`;
  await row
    .getByLabel('The answer’s content')
    .fill(['ref,status,reason', `${refs[0]},PAID`, `${refs[1]},FAILED,Account closed`, `${unknownRef},PAID`, 'no-status'].join('\n'));
  await row.getByRole('button', { name: 'Import', exact: true }).click();
  const summary = page.locator('.alert', { hasText: `Bank answer imported to batch ${short} (Settled): 4 lines read` });
  await summary.waitFor();
  await summary.getByText('1 payout marked paid').waitFor();
  await summary.getByText('2 lines with problems').waitFor();
  const problems = await summary.getByTestId('bank-answer-problems').locator('li').allTextContents();
  assert.deepEqual(problems, [`Line 4: ${unknownRef} is not a payout of this batch`, `Line 5: NO-STATUS: ${PAYOUT_MESSAGES.answerReference.en}`]);
  await assertEnglish(page, [...data, ...refs, unknownRef, 'NO-STATUS']);
  await captureScreen(page, '68-operator-bank-answer-en');
  assert.deepEqual(unexpectedErrors(errors, 400), []);
});
