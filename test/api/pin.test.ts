// The PIN lockout over HTTP: transfers authorized with the PIN, the lock, and its reset through
// PUT /console/api/pin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fundWallet } from '../../src/modules/wallets/service.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { login, PASSWORD, PIN, registerPerson } from './core-fixtures.ts';

// The wire texts are the contract: written out, not imported from the code under test.
const PIN_WRONG = 'El PIN de operaciones no es correcto.';
const PIN_LOCKED = 'El PIN de operaciones está bloqueado por intentos fallidos. Debe restablecerlo.';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

function formErrors(answer: { status: number; body: any; text: string }): string[] {
  assert.equal(answer.status, 400, answer.text);
  assert.equal(answer.body.code, 400);
  assert.equal(answer.body.message, 'Validation Failed');
  return [...answer.body.errors.errors, ...(answer.body.errors.children?.pin?.errors ?? [])];
}

test('wrong PINs lock transfers; the lock survives until PUT /console/api/pin resets it', async () => {
  const payer = await registerPerson(server);
  const payee = await registerPerson(server);
  const session = await login(server, payer.username);
  await fundWallet(server.ctx, { account: payer.username, amount: '50.00' });

  const send = (pin: string) =>
    http(server.url, 'POST', '/console/api/transfers', { json: { to: payee.phone, amount: '1.50', pin }, headers: session.headers });

  const ok = await send(PIN);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.amount, '1.50');

  assert.deepEqual(formErrors(await send('0000')), [PIN_WRONG]);
  assert.deepEqual(formErrors(await send('0001')), [PIN_WRONG]);
  assert.deepEqual(formErrors(await send('0002')), [PIN_LOCKED]);
  assert.deepEqual(formErrors(await send(PIN)), [PIN_LOCKED], 'the right PIN is refused once locked');

  // the reset needs the account password
  const badReset = await http(server.url, 'PUT', '/console/api/pin', { json: { password: 'otra-clave-mala', pin: '4321' }, headers: session.headers });
  assert.equal(badReset.status, 400, badReset.text);
  assert.deepEqual(badReset.body.errors.children.password.errors, ['La contraseña no es correcta.']);
  assert.deepEqual(formErrors(await send(PIN)), [PIN_LOCKED]);

  const reset = await http(server.url, 'PUT', '/console/api/pin', { json: { password: PASSWORD, pin: '4321' }, headers: session.headers });
  assert.equal(reset.status, 204, reset.text);
  assert.deepEqual(formErrors(await send(PIN)), [PIN_WRONG]);
  const after = await send('4321');
  assert.equal(after.status, 201, after.text);

  const me = await http(server.url, 'GET', '/console/api/me', { headers: session.headers });
  assert.equal(me.body.wallets[0].balance, '47.00');
});

test('concurrent wrong PINs over HTTP: two "wrong", the rest "locked"', async () => {
  const payer = await registerPerson(server);
  const payee = await registerPerson(server);
  const session = await login(server, payer.username);
  const answers = await Promise.all(
    Array.from({ length: 15 }, (_, i) =>
      http(server.url, 'POST', '/console/api/transfers', { json: { to: payee.username, amount: '1.00', pin: String(7000 + i) }, headers: session.headers }),
    ),
  );
  const messages = answers.map((a) => formErrors(a)[0]);
  assert.equal(messages.filter((m) => m === PIN_WRONG).length, 2, messages.join('\n'));
  assert.equal(messages.filter((m) => m === PIN_LOCKED).length, 13, messages.join('\n'));
});
