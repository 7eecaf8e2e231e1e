// X-Idempotency-Key: a retried POST gets the first answer; the key cannot be reused for
// another request; concurrent requests with one key run once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http, type TestServer } from '../helpers.ts';
import { approve, balanceOf, documentedSaleFields, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let server: TestServer;
let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
  server = world.server;
});

async function count(): Promise<number> {
  const list = await http(server.url, 'GET', '/api/payment-intent/.json', { token: w.token });
  return list.body.meta.totalResults;
}

test('a retried create with the same key answers the first intent and creates nothing new', async () => {
  const before = await count();
  const headers = { 'x-idempotency-key': 'pedido-1001' };
  const first = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: documentedSaleFields(), headers });
  assert.equal(first.status, 200, first.text);
  const retry = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: documentedSaleFields(), headers });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.id, first.body.id);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  assert.equal(await count(), before + 1);
  const other = await http(server.url, 'POST', '/api/payment-intent/.json', {
    token: w.token,
    form: { ...documentedSaleFields(), 'paymentintent[transactions][0][amount][total]': '21' },
    headers,
  });
  assert.equal(other.status, 400);
  assert.deepEqual(other.body.errors.errors, ['La clave de idempotencia ya se usó con otra solicitud.']);
});

test('concurrent executes with one key run once and all answer the same', async () => {
  const buyer = w.demo.buyers[0]!;
  const created = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: documentedSaleFields() });
  const id = created.body.id;
  await approve(w, id, buyer.username);
  const balance = await balanceOf(w, buyer.username);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () =>
      http(server.url, 'POST', `/api/payment-intent/execute/sale.json?id=${id}`, {
        token: w.token,
        headers: { 'idempotency-key': `ejecutar-${id}` },
        form: { 'payment_execution[paymentIntent]': id, 'payment_execution[payer]': buyer.id },
      }),
    ),
  );
  // The key is claimed inside the command's transaction: the others wait for the first to
  // commit and then get its answer, byte for byte.
  assert.ok(
    answers.every((a) => a.status === 200),
    answers.map((a) => `${a.status} ${a.text.slice(0, 80)}`).join('\n'),
  );
  assert.equal(new Set(answers.map((a) => a.text)).size, 1);
  assert.equal(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true').length, answers.length - 1);
  assert.ok(answers[0]!.body.state === 'executed' && answers[0]!.body.id === id);
  assert.equal(await balanceOf(w, buyer.username), balance - 2000);
  const later = await http(server.url, 'POST', `/api/payment-intent/execute/sale.json?id=${id}`, {
    token: w.token,
    headers: { 'idempotency-key': `ejecutar-${id}` },
    form: { 'payment_execution[paymentIntent]': id, 'payment_execution[payer]': buyer.id },
  });
  assert.equal(later.status, 200, 'a retry after completion replays the success instead of "already executed"');
});

test('keys are per caller and validated', async () => {
  const bad = await http(server.url, 'POST', '/api/payment-intent/.json', {
    token: w.token,
    form: documentedSaleFields(),
    headers: { 'x-idempotency-key': 'x'.repeat(300) },
  });
  assert.equal(bad.status, 400);
});

test('keys older than 24 h are pruned and may then be used again', async () => {
  const { pruneIdempotencyKeys } = await import('../../src/modules/commands/idempotency.ts');
  const headers = { 'x-idempotency-key': 'pedido-viejo' };
  const first = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: documentedSaleFields(), headers });
  assert.equal(first.status, 200);
  assert.equal(await pruneIdempotencyKeys(server.ctx), 0);
  await server.ctx.clock.advance(24 * 3600 + 1);
  assert.ok((await pruneIdempotencyKeys(server.ctx)) >= 1);
  const again = await http(server.url, 'POST', '/api/payment-intent/.json', { token: w.token, form: documentedSaleFields(), headers });
  assert.equal(again.status, 200);
  assert.notEqual(again.body.id, first.body.id);
});
