// The fingerprint that tells "the same request" from "another request" under one idempotency
// key must read what the request says, not how its encoder happened to order the fields: a
// retry whose JSON object (or multipart form) lists the same fields in another order is the
// same request and gets the stored answer. It was refused as "another request" — so the client
// was told its key was misused while its payment had gone through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { documentedSaleFields, multipart, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const REUSED = 'La clave de idempotencia ya se usó con otra solicitud.';

test('a retry listing the same JSON fields in another order is replayed; another value is still refused', async () => {
  const intent = (total: string) => ({
    intent: 'sale',
    redirectUrls: { returnUrl: 'http://localhost:4000/ok', cancelUrl: 'http://localhost:4000/cancel' },
    transactions: [{ amount: { total }, description: 'Pedido 77', items: [{ name: 'telefono', price: total }] }],
  });
  const headers = { 'x-idempotency-key': 'orden-de-campos-1' };
  const first = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: { paymentintent: intent('20') }, headers });
  assert.equal(first.status, 200, first.text);

  const { transactions, redirectUrls, intent: kind } = intent('20');
  const reordered = {
    paymentintent: { transactions: [{ items: transactions[0]!.items, description: 'Pedido 77', amount: { total: '20' } }], redirectUrls, intent: kind },
  };
  const retry = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: reordered, headers });
  assert.equal(retry.status, 200, `reordered retry: ${retry.text.slice(0, 200)}`);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  assert.equal(retry.body.id, first.body.id);

  const other = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: { paymentintent: intent('21') }, headers });
  assert.equal(other.status, 400);
  assert.deepEqual(other.body.errors.errors, [REUSED]);
});

test('a multipart retry with the fields in another order is replayed', async () => {
  const fields = documentedSaleFields();
  const headers = { 'x-idempotency-key': 'orden-de-campos-2' };
  const first = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, multipart: multipart(fields), headers });
  assert.equal(first.status, 200, first.text);
  const reversed = Object.fromEntries(Object.entries(fields).reverse());
  const retry = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, multipart: multipart(reversed), headers });
  assert.equal(retry.status, 200, `reversed multipart retry: ${retry.text.slice(0, 200)}`);
  assert.equal(retry.body.id, first.body.id);
  // Lists keep their order: items swapped are another request.
  const swapped = {
    ...fields,
    'paymentintent[transactions][0][items][0][name]': fields['paymentintent[transactions][0][items][1][name]']!,
    'paymentintent[transactions][0][items][1][name]': fields['paymentintent[transactions][0][items][0][name]']!,
  };
  const other = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, multipart: multipart(swapped), headers });
  assert.equal(other.status, 400, other.text.slice(0, 200));
  assert.deepEqual(other.body.errors.errors, [REUSED]);
});
