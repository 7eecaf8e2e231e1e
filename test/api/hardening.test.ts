// Edge cases found in review: totals past the safe range, races between buyers and between
// execute and annul, login spellings, and NUL bytes. None may answer 500 or change money twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyLedger } from '../../src/modules/ledger/service.ts';
import { http, type TestServer } from '../helpers.ts';
import { approve, consoleLogin, createSale, documentedSaleFields, executeSale, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let server: TestServer;
let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
  server = world.server;
});

test('intent amounts past the maximum are a validation error, and nothing is stored', async () => {
  const before = (await http(server.url, 'GET', '/api/payment-intent/.json', { token: w.token })).body.meta.totalResults;
  const extras: Record<string, string>[] = [
    { 'paymentintent[transactions][0][items][0][price]': '999999999999', 'paymentintent[transactions][0][items][0][quantity]': '999999' },
    {
      'paymentintent[transactions][0][items][0][price]': '1000000000000',
      'paymentintent[transactions][0][items][0][quantity]': '90',
      'paymentintent[transactions][0][amount][details][tax]': '100000000000',
    },
  ];
  for (const extra of extras) {
    const fields: Record<string, string> = { ...documentedSaleFields(), ...extra };
    delete fields['paymentintent[transactions][0][amount][details][subTotal]'];
    const answer = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: fields });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.message, 'Validation Failed');
  }
  assert.equal((await http(server.url, 'GET', '/api/payment-intent/.json', { token: w.token })).body.meta.totalResults, before);
});

test('a buyer cannot cancel a sale another buyer approved, even at the same moment', async () => {
  const [a, b] = [w.demo.buyers[0]!, w.demo.buyers[1]!];
  for (let round = 0; round < 25; round++) {
    const intent = await createSale(w);
    const [approved, rejected] = await Promise.all([
      approve(w, intent.id, a.username),
      http(server.url, 'POST', `/sandbox/payment-intents/${intent.id}/reject`, { token: w.token, json: { payer: b.username } }),
    ]);
    assert.ok([200, 400].includes(rejected.status), rejected.text);
    if (approved.status === 200) {
      assert.equal(rejected.status, 400, `round ${round}: B cancelled A's approved sale`);
      const shown = await http(server.url, 'GET', `/api/payment-intent/show.json?id=${intent.id}`, { token: w.token });
      assert.equal(shown.body.state, 'created');
      assert.equal(shown.body.payer.payer_info.id, a.id);
    }
  }
});

test('execute racing annul never answers 500 and moves the money once', async () => {
  const buyer = w.demo.buyers[0]!;
  for (let round = 0; round < 20; round++) {
    const intent = await createSale(w);
    await approve(w, intent.id, buyer.username);
    const [executed, annulled] = await Promise.all([
      executeSale(w, intent.id, buyer.id),
      http(server.url, 'POST', '/api/payment-intent/cancel.json', { token: w.token, form: { 'cancel_payment_intent[paymentIntent]': intent.id } }),
    ]);
    assert.equal(executed.status, 200, executed.text);
    assert.ok([200, 400].includes(annulled.status), `round ${round}: ${annulled.status} ${annulled.text}`);
  }
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('failed sign-ins are counted per person, whatever the spelling of the phone', async () => {
  const buyer = w.demo.buyers[1]!;
  const spellings = ['584125550002', '+58 412 555 0002', '58-412-555-0002', '(58)4125550002', ' 584125550002 '];
  const answers = [];
  for (let i = 0; i < 12; i++) {
    answers.push(await http(server.url, 'POST', '/console/api/session', { json: { login: spellings[i % spellings.length], password: 'no-es-la-clave' } }));
  }
  assert.deepEqual(
    answers.map((a) => a.status),
    [...Array(10).fill(401), 429, 429],
  );
  const right = await http(server.url, 'POST', '/console/api/session', { json: { login: '+58 412 555 0002', password: buyer.password } });
  assert.equal(right.status, 429);
  await server.ctx.clock.advance(15 * 60 + 1);
  assert.equal(await consoleLogin(server.url, '+58 412 555 0002', buyer.password).then(() => 200), 200);
});

test('a NUL byte anywhere is a 400, never a 500', async () => {
  const token = { token: w.token };
  const cases: [string, string, Parameters<typeof http>[3]][] = [
    ['GET', '/api/payment-intent/show.json?id=%00', token],
    ['GET', '/api/payment/find.json?id=a%00b', token],
    ['POST', '/oauth/v2/token', { form: { grant_type: 'urn:client_apps', client_id: 'a\u0000b', client_secret: 'x' } }],
    ['POST', '/console/api/session', { json: { login: 'a\u0000b', password: 'x' } }],
    ['GET', '/p/express-checkout/%00/1', {}],
    ['GET', '/p/apps/%00/logo.png', {}],
    ['POST', '/api/payment-intent/cancel.json', { ...token, form: { 'cancel_payment_intent[paymentIntent]': '\u0000' } }],
    [
      'POST',
      '/console/api/register',
      {
        json: {
          type: 'person',
          username: 'nul-user',
          password: 'clave-segura-1',
          email: 'a@b.co',
          phone: '584145550077',
          identification: 'V77777777',
          name: 'N\u0000',
        },
      },
    ],
  ];
  for (const [method, path, options] of cases) {
    const answer = await http(server.url, method, path, options);
    assert.equal(answer.status, 400, `${method} ${path}: ${answer.status} ${answer.text}`);
  }
});
