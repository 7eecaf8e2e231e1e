// Wrong PINs at the till are counted per person AND merchant: a merchant that locks a person's
// PIN (by mistake or on purpose) locks it at its own till only. Every other merchant can still
// be paid with the right PIN, the person's own transfers too, and the lock at that merchant
// stays until the person resets the PIN (PUT /console/api/pin).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fundWallet } from '../../src/modules/wallets/service.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { login, merchant, PASSWORD, PIN, registerPerson, type Registered } from './core-fixtures.ts';
import { documentedSaleFields } from './wallet-fixtures.ts';

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

/** A billing request from the merchant with `token` to `payer`, and a function paying it with a PIN. */
async function requestTo(token: string, payer: Registered) {
  const fields = { ...documentedSaleFields(), 'paymentintent[intent]': 'request', 'paymentintent[recipient]': payer.phone };
  const created = await http(server.url, 'POST', '/api/payment-intent/.json', { token, form: fields });
  assert.equal(created.status, 200, created.text);
  const { id } = created.body;
  const payToken = created.body.pay_tokens[0].id;
  return (pin: string) =>
    http(server.url, 'POST', `/api/payment-intent/execute/request.json?id=${id}`, {
      token,
      form: { 'payment_execution[payToken]': payToken, 'payment_execution[pin]': pin },
    });
}

function pinError(answer: { status: number; body: any; text: string }): string {
  assert.equal(answer.status, 400, answer.text);
  return [...(answer.body.errors.errors ?? []), ...(answer.body.errors.children?.pin?.errors ?? [])][0];
}

test('a merchant that locks a PIN locks it at its own till only, until the person resets it', async () => {
  const m1 = await merchant(server);
  const m2 = await merchant(server);
  const payer = await registerPerson(server);
  const payee = await registerPerson(server);
  await fundWallet(server.ctx, { account: payer.username, amount: '500.00' });

  const atM1 = await requestTo(m1.app.accessToken, payer);
  assert.deepEqual([pinError(await atM1('0000')), pinError(await atM1('0001')), pinError(await atM1('0002'))], [PIN_WRONG, PIN_WRONG, PIN_LOCKED]);
  assert.equal(pinError(await atM1(PIN)), PIN_LOCKED, 'the right PIN is refused at M1 once locked there');

  // M2 is paid with the right PIN, twice (its count was never touched).
  for (let i = 0; i < 2; i++) {
    const paid = await (await requestTo(m2.app.accessToken, payer))(PIN);
    assert.equal(paid.status, 200, paid.text);
    assert.equal(paid.body.state, 'executed');
  }
  // Wrong PINs at M2 are M2's: two of them do not lock anything, and M1's lock does not add up.
  const atM2 = await requestTo(m2.app.accessToken, payer);
  assert.equal(pinError(await atM2('0003')), PIN_WRONG);
  assert.equal((await atM2(PIN)).status, 200);

  // The person's own transfers (console) are not locked either.
  const session = await login(server, payer.username);
  const transfer = await http(server.url, 'POST', '/console/api/transfers', {
    json: { to: payee.username, amount: '1.00', pin: PIN },
    headers: session.headers,
  });
  assert.equal(transfer.status, 201, transfer.text);

  // M1 stays locked: a right PIN at M2 does not clear it, nor does time.
  await server.ctx.clock.advance(40 * 24 * 3600);
  const later = await requestTo(m1.app.accessToken, payer);
  assert.equal(pinError(await later(PIN)), PIN_LOCKED);

  // The person's reset (with the password) clears the lock at every merchant.
  const fresh = await login(server, payer.username);
  const reset = await http(server.url, 'PUT', '/console/api/pin', { json: { password: PASSWORD, pin: '4321' }, headers: fresh.headers });
  assert.equal(reset.status, 204, reset.text);
  assert.equal(pinError(await later(PIN)), PIN_WRONG, 'the old PIN is gone');
  const paid = await later('4321');
  assert.equal(paid.status, 200, paid.text);
});

test('the till lock of one merchant holds under parallel guesses; other merchants are unaffected meanwhile', async () => {
  const m1 = await merchant(server);
  const m2 = await merchant(server);
  const payer = await registerPerson(server);
  await fundWallet(server.ctx, { account: payer.username, amount: '500.00' });
  const atM1 = await requestTo(m1.app.accessToken, payer);
  const atM2 = await requestTo(m2.app.accessToken, payer);
  const [guesses, paid] = await Promise.all([Promise.all(Array.from({ length: 12 }, (_, i) => atM1(String(6000 + i)))), atM2(PIN)]);
  const messages = guesses.map(pinError);
  assert.equal(messages.filter((m) => m === PIN_WRONG).length, 2, messages.join('\n'));
  assert.equal(messages.filter((m) => m === PIN_LOCKED).length, 10, messages.join('\n'));
  assert.equal(paid.status, 200, paid.text);
});
