// Card money to the cent, and under concurrency: a payment refunded in many parts returns
// exactly the fee it took (never more per part than the part itself, never a 5xx), partial
// captures charge the fee on what was captured, and every race on one payment or one token
// lets exactly one change through. The ledger verifier stays clean after each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { SANDBOX_PROCESSOR } from '../../src/modules/cards/index.ts';
import { setFeeRule } from '../../src/modules/fees/index.ts';
import { verifyLedger } from '../../src/modules/ledger/index.ts';
import { fundWallet } from '../../src/modules/wallets/service.ts';
import { http, startTestServer, type HttpAnswer, type TestServer } from '../helpers.ts';
import { seededRandom } from '../prng.ts';

let server: TestServer;
let accessToken: string;
let publicKey: string;
let merchantAccountId: string;

const CARD = { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } };

before(async () => {
  server = await startTestServer();
  const demo = await ensureDemo(server.ctx);
  ({ accessToken, publicKey } = demo.merchant.app);
  merchantAccountId = demo.merchant.accountId;
  // The merchant has money of its own: a refund is never short of funds here.
  await fundWallet(server.ctx, { account: demo.merchant.username, amount: '100000.00' });
});
after(() => server?.close());

async function cardToken(): Promise<string> {
  const answer = await http(server.url, 'POST', `/v1/card_tokens?public_key=${publicKey}`, { json: CARD });
  assert.equal(answer.status, 201, answer.text);
  return answer.body.id;
}

async function pay(amount: number, extra: Record<string, unknown> = {}): Promise<number> {
  const answer = await http(server.url, 'POST', '/v1/payments', {
    token: accessToken,
    json: { transaction_amount: amount, token: await cardToken(), ...extra },
  });
  assert.equal(answer.status, 201, answer.text);
  return answer.body.id;
}

const refund = (id: number, amount?: number) =>
  http(server.url, 'POST', `/v1/payments/${id}/refunds`, { token: accessToken, json: amount === undefined ? {} : { amount } });

function paymentRow(id: number) {
  return server.ctx.store.db
    .selectFrom('card_payments')
    .select(['status', 'captured_minor', 'refunded_minor', 'fee_minor', 'fee_refunded_minor'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function refundRows(id: number) {
  return server.ctx.store.db.selectFrom('card_refunds').select(['amount_minor', 'fee_back_minor']).where('payment_id', '=', id).orderBy('id').execute();
}

async function walletBalance(): Promise<number> {
  const row = await server.ctx.store.db.selectFrom('accounts').select('balance_minor').where('id', '=', merchantAccountId).executeTakeFirstOrThrow();
  return Number(row.balance_minor);
}

/** Refund `parts` (minor units) one after another; every part answers 201. */
async function refundInParts(id: number, parts: number[]): Promise<void> {
  for (const [i, part] of parts.entries()) {
    const answer = await refund(id, part / 100);
    assert.equal(answer.status, 201, `part ${i} of ${parts.join(',')}: ${answer.text}`);
  }
}

async function assertFeeReturnedExactly(id: number): Promise<void> {
  const row = await paymentRow(id);
  const refunds = await refundRows(id);
  assert.equal(row.status, 'refunded');
  assert.equal(Number(row.fee_refunded_minor), Number(row.fee_minor), 'the fee returned in total is the fee taken');
  assert.equal(
    refunds.reduce((sum, r) => sum + Number(r.fee_back_minor), 0),
    Number(row.fee_minor),
  );
  for (const r of refunds) assert.ok(Number(r.fee_back_minor) <= Number(r.amount_minor), `fee back ${r.fee_back_minor} > refund ${r.amount_minor}`);
}

test('a fee of 3 % + 0.50 comes back exactly when a payment is refunded in parts, whatever the parts', async () => {
  await setFeeRule(server.ctx, { operation: 'card', currency: 'VES', percent: '3', fixed: '0.50' });
  const random = seededRandom('card refunds in parts');
  // The case that once answered 500: the floor of each part's share left more fee than the last cent.
  const splits: [number, number[]][] = [
    [100, [50, 49, 1]],
    [100, Array.from({ length: 10 }, () => 10)],
    [101, [1, 1, 1, 98]],
  ];
  for (let i = 0; i < 6; i++) {
    const total = random.int(60, 5000);
    const parts: number[] = [];
    let left = total;
    while (left > 0) {
      const part = Math.min(left, random.int(1, Math.max(1, Math.floor(total / 4))));
      parts.push(part);
      left -= part;
    }
    splits.push([total, parts]);
  }
  for (const [total, parts] of splits) {
    const before = await walletBalance();
    const id = await pay(total / 100);
    await refundInParts(id, parts);
    await assertFeeReturnedExactly(id);
    assert.equal(await walletBalance(), before, `payment ${total} refunded in ${parts.join(',')}: the merchant is back where it was`);
  }
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('a fee as large as the payment is returned in parts too (the merchant received nothing)', async () => {
  await setFeeRule(server.ctx, { operation: 'card', currency: 'VES', percent: '0', fixed: '1.00' });
  const id = await pay(1);
  assert.equal(Number((await paymentRow(id)).fee_minor), 100);
  await refundInParts(id, [30, 70]);
  await assertFeeReturnedExactly(id);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('a payment that cannot pay its fee is refused before the processor is asked to authorize it', async () => {
  await setFeeRule(server.ctx, { operation: 'card', currency: 'VES', percent: '0', fixed: '1.00' });
  const authorize = SANDBOX_PROCESSOR.authorize;
  let authorizations = 0;
  SANDBOX_PROCESSOR.authorize = async (request) => {
    authorizations++;
    return authorize(request);
  };
  try {
    for (const capture of [true, false]) {
      const token = await cardToken();
      const answer = await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 0.5, token, capture } });
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body.cause[0].code, 129);
      assert.equal(authorizations, 0, `capture ${capture}: no authorization was asked for`);
      const row = await server.ctx.store.db.selectFrom('card_tokens').select('status').where('id', '=', token).executeTakeFirstOrThrow();
      assert.equal(row.status, 'active', 'the token was not used up');
    }
    await pay(1);
    assert.equal(authorizations, 1, 'a payment that covers its fee is authorized');
  } finally {
    SANDBOX_PROCESSOR.authorize = authorize;
  }
});

test('a partial capture charges the fee on what was captured, and returns exactly that', async () => {
  await setFeeRule(server.ctx, { operation: 'card', currency: 'VES', percent: '2.5', fixed: '0.10' });
  const id = await pay(77.77, { capture: false });
  const captured = await http(server.url, 'PUT', `/v1/payments/${id}`, { token: accessToken, json: { capture: true, transaction_amount: 33.33 } });
  assert.equal(captured.status, 200, captured.text);
  assert.equal(captured.body.transaction_amount, 33.33, 'the payment is for what was captured');
  const row = await paymentRow(id);
  assert.equal(Number(row.captured_minor), 3333);
  assert.equal(Number(row.fee_minor), 83 + 10);
  await refundInParts(id, [1, 1000, 2331, 1]);
  await assertFeeReturnedExactly(id);
  assert.equal((await refund(id, 0.01)).status, 400);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

const outcome = (a: HttpAnswer) => (a.status < 300 ? `${a.status}:${a.body.status}` : `${a.status}:${a.body.cause?.[0]?.code}`);

test('20 concurrent captures of one authorization: one captures, the rest are refused with 126', async () => {
  const id = await pay(50, { capture: false });
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      http(server.url, 'PUT', `/v1/payments/${id}`, { token: accessToken, json: { capture: true, transaction_amount: 30 + i } }),
    ),
  );
  const won = answers.filter((a) => a.status === 200);
  assert.equal(won.length, 1, answers.map(outcome).join(' '));
  assert.ok(
    answers.every((a) => a.status === 200 || (a.status === 400 && a.body.cause[0].code === 126)),
    answers.map(outcome).join(' '),
  );
  assert.equal(Number((await paymentRow(id)).captured_minor), Math.round(won[0]!.body.transaction_details.total_paid_amount * 100));
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('captures racing cancels: exactly one of them wins', async () => {
  for (let round = 0; round < 3; round++) {
    const id = await pay(20, { capture: false });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http(server.url, 'PUT', `/v1/payments/${id}`, { token: accessToken, json: i % 2 === round % 2 ? { capture: true } : { status: 'cancelled' } }),
      ),
    );
    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1, answers.map(outcome).join(' '));
    assert.ok(
      answers.every((a) => a.status === 200 || a.status === 400),
      answers.map(outcome).join(' '),
    );
    const row = await paymentRow(id);
    assert.equal(row.status, won[0]!.body.status);
    assert.equal(Number(row.captured_minor), row.status === 'approved' ? 2000 : 0);
  }
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('refunds racing the capture: none before it, and never more than was captured', async () => {
  const id = await pay(10, { capture: false });
  const answers = await Promise.all([
    ...Array.from({ length: 6 }, () => refund(id, 3)),
    http(server.url, 'PUT', `/v1/payments/${id}`, { token: accessToken, json: { capture: true } }),
    ...Array.from({ length: 6 }, () => refund(id, 3)),
  ]);
  assert.ok(
    answers.every((a) => a.status < 300 || a.status === 400),
    answers.map(outcome).join(' '),
  );
  const row = await paymentRow(id);
  assert.equal(row.status, 'approved');
  assert.ok(Number(row.refunded_minor) <= 1000);
  assert.equal(Number(row.refunded_minor), answers.filter((a) => a.status === 201).length * 300);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('one token in 10 concurrent payments: one payment, the rest refused with 2006', async () => {
  const token = await cardToken();
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 5, token } })),
  );
  assert.equal(answers.filter((a) => a.status === 201).length, 1, answers.map(outcome).join(' '));
  assert.ok(answers.every((a) => a.status === 201 || (a.status === 400 && a.body.cause[0].code === 2006)));
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('one idempotency key in 10 parallel payments and refunds: each runs once, the rest replay it', async () => {
  const token = await cardToken();
  const key = `order-${token}`;
  const payments = await Promise.all(
    Array.from({ length: 10 }, () =>
      http(server.url, 'POST', '/v1/payments', { token: accessToken, headers: { 'x-idempotency-key': key }, json: { transaction_amount: 9, token } }),
    ),
  );
  assert.ok(
    payments.every((a) => a.status === 201),
    payments.map(outcome).join(' '),
  );
  assert.equal(new Set(payments.map((a) => a.body.id)).size, 1);
  assert.equal(payments.filter((a) => a.headers.get('idempotent-replayed') !== 'true').length, 1);
  const id = payments[0]!.body.id;
  const refunds = await Promise.all(
    Array.from({ length: 10 }, () =>
      http(server.url, 'POST', `/v1/payments/${id}/refunds`, { token: accessToken, headers: { 'x-idempotency-key': `refund-${key}` }, json: { amount: 1 } }),
    ),
  );
  assert.ok(
    refunds.every((a) => a.status === 201),
    refunds.map(outcome).join(' '),
  );
  assert.equal(new Set(refunds.map((a) => a.body.id)).size, 1);
  assert.equal(Number((await paymentRow(id)).refunded_minor), 100);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});
