// Trying to break POS terminals: races the platform runs on its own (the abandon worker, a
// second intent creation, unlinking) against the terminal and the integrator must leave one
// outcome and never a 500; bad input on every Point route answers 4xx in the family's shape;
// a terminal payment refunds and the ledger stays balanced.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { abandonDueIntents } from '../../src/modules/point/index.ts';
import { verifyLedger } from '../../src/modules/ledger/service.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { createMerchant, type Merchant } from '../webhook-fixtures.ts';
import { APRO_CARD, device, linkTerminal, payOnTerminal, type Terminal } from '../point-fixtures.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const intentsPath = (terminal: Terminal) => `/point/integration-api/devices/${terminal.deviceId}/payment-intents`;

async function createIntent(merchant: Merchant, terminal: Terminal, amount = 1500): Promise<string> {
  const answer = await http(server.url, 'POST', intentsPath(terminal), { token: merchant.accessToken, json: { amount } });
  assert.equal(answer.status, 201, answer.text);
  return answer.body.id;
}

const intentState = async (merchant: Merchant, id: string) =>
  (await http(server.url, 'GET', `/point/integration-api/payment-intents/${id}`, { token: merchant.accessToken })).body.state as string;

test('the abandon worker racing the integrator’s cancel and a new intent: one outcome, never a 500', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  for (let round = 0; round < 12; round++) {
    const id = await createIntent(merchant, terminal);
    await server.ctx.clock.advance(server.ctx.config.pointIntentTtlSeconds + 1);
    const [worker, cancel, created, createdToo] = await Promise.allSettled([
      abandonDueIntents(server.ctx),
      http(server.url, 'DELETE', `${intentsPath(terminal)}/${id}`, { token: merchant.accessToken }),
      http(server.url, 'POST', intentsPath(terminal), { token: merchant.accessToken, json: { amount: 700 } }),
      http(server.url, 'POST', intentsPath(terminal), { token: merchant.accessToken, json: { amount: 800 } }),
    ]);
    assert.equal(worker.status, 'fulfilled', `round ${round}: the worker threw ${worker.status === 'rejected' ? worker.reason : ''}`);
    for (const answer of [cancel, created, createdToo]) {
      assert.equal(answer.status, 'fulfilled');
      assert.ok(answer.value.status < 500, `round ${round}: ${answer.value.status} ${answer.value.text}`);
    }
    assert.ok(['ABANDONED', 'CANCELED'].includes(await intentState(merchant, id)));
    const events = (await http(server.url, 'GET', `/point/integration-api/payment-intents/${id}/events`, { token: merchant.accessToken })).body.events;
    assert.equal(events.length, 2, `round ${round}: one final event`);
    const opened = [created, createdToo].filter((a) => a.status === 'fulfilled' && a.value.status === 201);
    assert.ok(opened.length <= 1, 'one open intent per terminal');
    for (const a of opened)
      if (a.status === 'fulfilled') await http(server.url, 'DELETE', `${intentsPath(terminal)}/${a.value.body.id}`, { token: merchant.accessToken });
  }
});

test('unlinking while the terminal pays: the payment or the cancel, never a 500, the ledger balanced', async () => {
  const merchant = await createMerchant(server.ctx);
  for (let round = 0; round < 8; round++) {
    const terminal = await linkTerminal(server, merchant, { pdv: true });
    const id = await createIntent(merchant, terminal);
    assert.equal((await device(server, terminal, 'POST', `/payment-intents/${id}/take`)).status, 200);
    const token = await device(server, terminal, 'POST', `/payment-intents/${id}/card-tokens`, APRO_CARD);
    const [pay, unlink] = await Promise.all([
      device(server, terminal, 'POST', `/payment-intents/${id}/payment`, { token: token.body.id }),
      http(server.url, 'DELETE', `/console/api/point/devices/${terminal.deviceId}`, { headers: terminal.headers }),
    ]);
    assert.equal(unlink.status, 200, `round ${round}: unlink ${unlink.text}`);
    assert.ok(pay.status < 500, `round ${round}: pay ${pay.status} ${pay.text}`);
    const state = await intentState(merchant, id);
    if (pay.status === 200) assert.equal(state, 'PROCESSED');
    else assert.equal(state, 'CANCELED');
  }
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('double payment submit and a second card on one intent: one payment, one ledger entry', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const id = await createIntent(merchant, terminal, 4321);
  await device(server, terminal, 'POST', `/payment-intents/${id}/take`);
  const first = await device(server, terminal, 'POST', `/payment-intents/${id}/card-tokens`, APRO_CARD);
  const second = await device(server, terminal, 'POST', `/payment-intents/${id}/card-tokens`, APRO_CARD);
  const answers = await Promise.all([
    device(server, terminal, 'POST', `/payment-intents/${id}/payment`, { token: first.body.id }),
    device(server, terminal, 'POST', `/payment-intents/${id}/payment`, { token: second.body.id }),
    device(server, terminal, 'POST', `/payment-intents/${id}/payment`, { token: first.body.id }),
  ]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409].sort(), answers.map((a) => a.text).join('\n'));
  const payments = await http(server.url, 'GET', '/v1/payments/search?limit=100', { token: merchant.accessToken });
  const mine = payments.body.results.filter((p: { metadata?: Record<string, unknown> }) => p.metadata?.point_payment_intent_id === id);
  assert.equal(mine.length, 1);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('a terminal payment refunds through /v1/payments and a second full refund is refused', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const paid = await payOnTerminal(server, terminal, await createIntent(merchant, terminal, 2500));
  const refund = await http(server.url, 'POST', `/v1/payments/${paid.payment.id}/refunds`, { token: merchant.accessToken, json: {} });
  assert.equal(refund.status, 201, refund.text);
  const again = await http(server.url, 'POST', `/v1/payments/${paid.payment.id}/refunds`, { token: merchant.accessToken, json: {} });
  assert.ok(again.status >= 400 && again.status < 500, again.text);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('bad input on the Point routes: 4xx in the family’s shape, nothing written', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const token = merchant.accessToken;
  const path = intentsPath(terminal);
  const bodies: unknown[] = [
    { amount: 9007199254740993 },
    { amount: '9007199254740993' },
    { amount: 1e308 },
    { amount: true },
    { amount: [100] },
    { amount: { value: 100 } },
    {},
    { amount: 100, description: 'x'.repeat(601) },
    { amount: 100, payment: { installments: 0 } },
    { amount: 100, payment: { installments: 1.5 } },
    { amount: 100, payment: { installments: '3x' } },
    { amount: 100, payment: { type: 'cash' } },
    { amount: 100, additional_info: { external_reference: 'r'.repeat(257) } },
    { amount: 100, additional_info: 'nope' },
    [],
    'amount',
  ];
  for (const json of bodies) {
    const answer = await http(server.url, 'POST', path, { token, json });
    assert.equal(answer.status, 400, `${JSON.stringify(json).slice(0, 80)}: ${answer.text}`);
    assert.equal(answer.body.error, 'bad_request', answer.text);
    assert.equal(typeof answer.body.message, 'string');
  }
  for (const [contentType, body] of [
    ['text/plain', 'amount=100'],
    ['application/json', '{"amount":'],
    ['application/json', 'x'.repeat(2_000_000)],
  ]) {
    const response = await fetch(server.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    const text = await response.text();
    assert.ok(response.status >= 400 && response.status < 500, `${contentType}: ${response.status} ${text.slice(0, 200)}`);
    assert.ok('message' in JSON.parse(text) && 'status' in JSON.parse(text), `${contentType}: ${text.slice(0, 200)}`);
  }
  // Unicode in every free text is kept as sent.
  const unicode = await http(server.url, 'POST', path, {
    token,
    json: { amount: 100, description: 'Café ☕ 𝄞 niño', additional_info: { external_reference: 'ñ-𝄞', ticket_number: '№1' } },
  });
  assert.equal(unicode.status, 201, unicode.text);
  assert.equal(unicode.body.description, 'Café ☕ 𝄞 niño');
  // Long ids and odd characters in the path: 404 or 400, never 500.
  for (const id of ['x'.repeat(101), '%00', '..%2F..%2Fetc', '%F0%9F%98%80']) {
    const answer = await http(server.url, 'GET', `/point/integration-api/payment-intents/${id}`, { token });
    assert.ok([400, 404].includes(answer.status), `${id}: ${answer.status} ${answer.text}`);
    const onDevice = await device(server, terminal, 'POST', `/payment-intents/${id}/take`);
    assert.ok([400, 404].includes(onDevice.status), `${id}: ${onDevice.status} ${onDevice.text}`);
  }
  // Device side: bad card bodies and a bad payment token.
  for (const json of [{}, { ...APRO_CARD, cardholder: 'APRO' }, { ...APRO_CARD, card_number: 'x'.repeat(41) }, { ...APRO_CARD, expiration_month: 13.5 }]) {
    const answer = await device(server, terminal, 'POST', `/payment-intents/${unicode.body.id}/card-tokens`, json);
    assert.ok(answer.status >= 400 && answer.status < 500, answer.text);
  }
  for (const json of [{}, { token: '' }, { token: 'x'.repeat(65) }, { token: 42 }]) {
    const answer = await device(server, terminal, 'POST', `/payment-intents/${unicode.body.id}/payment`, json);
    assert.ok(answer.status >= 400 && answer.status < 500, answer.text);
  }
  assert.equal(await intentState(merchant, unicode.body.id), 'OPEN', 'nothing moved');
  // Sandbox cashier: a cardholder too long, an unknown intent, another merchant's intent.
  const rival = await createMerchant(server.ctx);
  for (const [who, id, json] of [
    [merchant, unicode.body.id, { cardholder: 'x'.repeat(41) }],
    [merchant, 'no-such', {}],
    [rival, unicode.body.id, {}],
  ] as const) {
    const answer = await http(server.url, 'POST', `/sandbox/point/payment-intents/${id}/process`, { token: who.accessToken, json });
    assert.ok(answer.status >= 400 && answer.status < 500, answer.text);
  }
  assert.equal(await intentState(merchant, unicode.body.id), 'OPEN', 'nothing moved');
});

test('intent creation with X-Idempotency-Key: a retry gets the same intent, another body under the key is refused', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const headers = { 'x-idempotency-key': `pos-${Date.now()}` };
  const first = await http(server.url, 'POST', intentsPath(terminal), { token: merchant.accessToken, headers, json: { amount: 900 } });
  const retry = await http(server.url, 'POST', intentsPath(terminal), { token: merchant.accessToken, headers, json: { amount: 900 } });
  assert.equal(first.status, 201, first.text);
  assert.equal(retry.status, 201, retry.text);
  assert.equal(retry.body.id, first.body.id);
  const other = await http(server.url, 'POST', intentsPath(terminal), { token: merchant.accessToken, headers, json: { amount: 901 } });
  assert.ok(other.status >= 400 && other.status < 500, other.text);
});

test('the simulator’s outcomes by amount and cardholder: money moves only for an approved payment', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  // The merchant's wallets, balance and holds: a rejected, reversed or pending payment moves nothing.
  const wallets = () =>
    server.ctx.store.db
      .selectFrom('accounts')
      .select(['currency', 'balance_minor', 'held_minor'])
      .where('owner_user_id', '=', merchant.user.id)
      .orderBy('currency')
      .execute()
      .then((rows) => rows.map((r) => `${r.currency}:${Number(r.balance_minor)}:${Number(r.held_minor)}`));
  const before = await wallets();
  for (const [amount, cardholder, state, payment] of [
    [110000, 'APRO', 'FINISHED', 'cancelled'],
    [120000, 'APRO', 'FINISHED', 'rejected'],
    [130000, 'APRO', 'ERROR', null],
    [1500, 'OTHE', 'FINISHED', 'rejected'],
    [1500, 'FUND', 'FINISHED', 'rejected'],
    [1500, 'CONT', 'CONFIRMATION_REQUIRED', 'in_process'],
  ] as const) {
    const id = await createIntent(merchant, terminal, amount);
    const answer = await http(server.url, 'POST', `/sandbox/point/payment-intents/${id}/process`, { token: merchant.accessToken, json: { cardholder } });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.state, state, `${amount} ${cardholder}`);
    assert.equal(answer.body.payment.state, payment, `${amount} ${cardholder}`);
  }
  const balances = await http(server.url, 'GET', '/v1/payments/search?limit=100', { token: merchant.accessToken });
  assert.ok(
    balances.body.results.every((p: { status: string }) => p.status !== 'approved'),
    'none approved',
  );
  assert.deepEqual(await wallets(), before, 'the merchant’s balances did not move');
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('a terminal with an intent waiting cannot be switched to STANDALONE (it would still take it)', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const modePath = `/point/integration-api/devices/${terminal.deviceId}`;
  const id = await createIntent(merchant, terminal);
  const standalone = await http(server.url, 'PATCH', modePath, { token: merchant.accessToken, json: { operating_mode: 'STANDALONE' } });
  assert.equal(standalone.status, 409, standalone.text);
  assert.equal(standalone.body.cause[0].code, 'point_device_busy');
  // Once the intent is due the switch abandons it; a STANDALONE terminal then has nothing to take.
  await server.ctx.clock.advance(server.ctx.config.pointIntentTtlSeconds + 1);
  const later = await http(server.url, 'PATCH', modePath, { token: merchant.accessToken, json: { operating_mode: 'STANDALONE' } });
  assert.equal(later.status, 200, later.text);
  assert.equal(await intentState(merchant, id), 'ABANDONED');
  assert.equal((await http(server.url, 'POST', intentsPath(terminal), { token: merchant.accessToken, json: { amount: 100 } })).status, 409);
});

test('the events period refuses an impossible day instead of rolling it over', async () => {
  const merchant = await createMerchant(server.ctx);
  for (const q of ['startDate=2026-02-30&endDate=2026-03-05', 'startDate=2026-01-01&endDate=2026-13-01']) {
    const answer = await http(server.url, 'GET', `/point/integration-api/payment-intents/events?${q}`, { token: merchant.accessToken });
    assert.equal(answer.status, 400, `${q}: ${answer.text}`);
    assert.match(answer.body.message, /fecha no es válida/);
  }
});
