// A key is kept 24 h; a request that finds its key expired takes it over and runs. Two retries
// arriving together after the expiry both read the expired row, and on PostgreSQL both took it
// over: the second UPDATE waited for the first's row lock and then overwrote its answer, so one
// key ran the command twice (two intents). The takeover must be conditional: of concurrent
// requests on an expired key one runs, the others get its answer. (In a sandbox any merchant's
// token can move the clock past the 24 h; in production a retry loop that spans a day does.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const intent = {
  paymentintent: {
    intent: 'sale',
    redirectUrls: { returnUrl: 'http://localhost:4000/ok', cancelUrl: 'http://localhost:4000/cancel' },
    transactions: [{ amount: { total: '2' }, description: 'Pedido vencido', items: [{ name: 'x', price: '2' }] }],
  },
};

test('concurrent retries of an expired key run the command once and answer alike', async () => {
  const keys = ['vencida-1', 'vencida-2', 'vencida-3'];
  for (const key of keys) {
    const first = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: intent, headers: { 'x-idempotency-key': key } });
    assert.equal(first.status, 200, first.text);
  }
  const moved = await http(w.server.url, 'POST', '/sandbox/clock', { token: w.token, json: { advanceSeconds: 25 * 3600 } });
  assert.equal(moved.status, 200, moved.text);

  for (const key of keys) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: intent, headers: { 'x-idempotency-key': key } }),
      ),
    );
    assert.ok(
      answers.every((a) => a.status === 200),
      answers.map((a) => `${a.status} ${a.text.slice(0, 100)}`).join('\n'),
    );
    const ids = new Set(answers.map((a) => a.body.id));
    assert.equal(ids.size, 1, `key ${key}: ${ids.size} intents created by one key after its expiry`);
  }
});
