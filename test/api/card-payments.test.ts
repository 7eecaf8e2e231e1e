// The card family through the official `mercadopago` SDK, unchanged, pointed at a real server:
// tokens → payments with each sandbox outcome → get and search → partial and full refunds →
// capture false then capture, and cancel; data-entry codes; idempotency; the ledger verified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CardToken, IdentificationType, MercadoPagoConfig, Payment, PaymentMethod, PaymentRefund } from 'mercadopago';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { verifyLedger } from '../../src/modules/ledger/index.ts';
import { startTestServer, type TestServer } from '../helpers.ts';

const require = createRequire(import.meta.url);
const { AppConfig } = require('mercadopago/dist/utils/config') as { AppConfig: { BASE_URL: string; DEFAULT_RETRIES: number } };

let server: TestServer;
let client: MercadoPagoConfig;
let publicKey: string;
let accessToken: string;

const CARD = { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123' };

before(async () => {
  server = await startTestServer();
  const demo = await ensureDemo(server.ctx);
  accessToken = demo.merchant.app.accessToken;
  publicKey = demo.merchant.app.publicKey;
  AppConfig.BASE_URL = server.url;
  AppConfig.DEFAULT_RETRIES = 0;
  client = new MercadoPagoConfig({ accessToken, options: { timeout: 10_000 } });
});
after(() => server?.close());

async function token(name = 'APRO', card: Record<string, unknown> = CARD): Promise<string> {
  const created = await new CardToken(client).create({ body: { ...card, cardholder: { name, identification: { type: 'V', number: '12345678' } } } as never });
  return created.id!;
}

async function pay(name: string, extra: Record<string, unknown> = {}) {
  return new Payment(client).create({
    body: {
      transaction_amount: 100.5,
      token: await token(name),
      description: 'Compra',
      installments: 1,
      payer: { email: 'buyer@example.com' },
      ...extra,
    } as never,
  });
}

test('sandbox outcomes by cardholder name, through the official SDK', async () => {
  const approved = await pay('APRO', { external_reference: 'order-1' });
  assert.equal(approved.status, 'approved');
  assert.equal(approved.status_detail, 'accredited');
  assert.equal(approved.transaction_amount, 100.5);
  assert.equal(approved.payment_method_id, 'visa');
  assert.deepEqual([approved.card?.first_six_digits, approved.card?.last_four_digits], ['450995', '3704']);
  assert.ok(Number.isInteger(approved.id));
  const expected: Record<string, [string, string]> = {
    CONT: ['in_process', 'pending_contingency'],
    CALL: ['rejected', 'cc_rejected_call_for_authorize'],
    FUND: ['rejected', 'cc_rejected_insufficient_amount'],
    SECU: ['rejected', 'cc_rejected_bad_filled_security_code'],
    EXPI: ['rejected', 'cc_rejected_bad_filled_date'],
    FORM: ['rejected', 'cc_rejected_bad_filled_other'],
    OTHE: ['rejected', 'cc_rejected_other_reason'],
  };
  for (const [name, [status, detail]] of Object.entries(expected)) {
    const payment = await pay(name);
    assert.deepEqual([payment.status, payment.status_detail], [status, detail], name);
  }
  const got = await new Payment(client).get({ id: approved.id! });
  assert.equal(got.status, 'approved');
  const found = await new Payment(client).search({ options: { external_reference: 'order-1' } });
  assert.deepEqual(
    found.results?.map((p) => p.id),
    [approved.id],
  );
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('search honours sort (date_created, date_approved, date_last_updated, id) and criteria', async () => {
  const reference = `sorted-${Date.now()}`;
  const ids: number[] = [];
  for (const name of ['APRO', 'CALL', 'APRO']) ids.push((await pay(name, { external_reference: reference })).id!);
  // Creation order opposite to the ids; approval and last update in yet another order.
  const db = server.ctx.store.db;
  const base = Date.parse('2030-01-01T00:00:00Z');
  const dates = [
    { created_at: base + 3000, approved_at: base + 9000, updated_at: base + 4000 },
    { created_at: base + 2000, approved_at: null, updated_at: base + 6000 },
    { created_at: base + 1000, approved_at: base + 8000, updated_at: base + 5000 },
  ];
  for (const [i, id] of ids.entries()) await db.updateTable('card_payments').set(dates[i]!).where('id', '=', id).execute();
  const search = async (sort?: string, criteria?: string) =>
    (
      await new Payment(client).search({ options: { external_reference: reference, ...(sort ? { sort } : {}), ...(criteria ? { criteria } : {}) } as never })
    ).results?.map((p) => ids.indexOf(Number(p.id)));
  assert.deepEqual(await search('id', 'asc'), [0, 1, 2]);
  assert.deepEqual(await search('id', 'desc'), [2, 1, 0]);
  assert.deepEqual(await search('date_created', 'asc'), [2, 1, 0]);
  assert.deepEqual(await search('date_created', 'desc'), [0, 1, 2]);
  assert.deepEqual(await search(), [0, 1, 2], 'newest first by default');
  assert.deepEqual(await search('date_last_updated', 'asc'), [0, 2, 1]);
  assert.deepEqual(await search('date_approved', 'asc'), [2, 0, 1], 'the payment never approved comes last');
  assert.deepEqual(await search('date_approved', 'desc'), [0, 2, 1]);
  await assert.rejects(new Payment(client).search({ options: { sort: 'amount' } as never }), (e: { status: number }) => e.status === 400);
});

test('a token is single use, and a used token is refused with its code', async () => {
  const id = await token();
  await new Payment(client).create({ body: { transaction_amount: 10, token: id, installments: 1, payer: { email: 'a@b.co' } } as never });
  await assert.rejects(
    new Payment(client).create({ body: { transaction_amount: 10, token: id, installments: 1, payer: { email: 'a@b.co' } } as never }),
    (e: { status: number; causes: { code: unknown }[] }) => e.status === 400 && e.causes[0]?.code === 2006,
  );
});

test('a debit card takes no installments: 400 with code 109 before any authorization, and the token stays usable', async () => {
  const debit = await token('APRO', { ...CARD, card_number: '4002760000000009' });
  const body = { transaction_amount: 30, token: debit, installments: 3, payer: { email: 'buyer@example.com' } };
  await assert.rejects(new Payment(client).create({ body: body as never }), (e: { status: number; causes: { code: unknown }[] }) => {
    assert.equal(e.status, 400);
    assert.deepEqual(
      e.causes.map((c) => c.code),
      [109],
    );
    return true;
  });
  const once = await new Payment(client).create({ body: { ...body, installments: 1 } as never });
  assert.deepEqual([once.status, once.payment_method_id, once.payment_type_id, once.installments], ['approved', 'debvisa', 'debit_card', 1]);
  const credit = await pay('APRO', { installments: 6 });
  assert.deepEqual([credit.status, credit.payment_type_id, credit.installments], ['approved', 'credit_card', 6]);
});

test('data-entry errors answer their codes, never a 5xx', async () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ ...CARD, card_number: '4509953566233705' }, ['E301']],
    [{ ...CARD, card_number: '' }, ['205']],
    [{ ...CARD, security_code: '12' }, ['E302']],
    [{ ...CARD, expiration_month: 13 }, ['325']],
    [{ ...CARD, expiration_year: 1999 }, ['326']],
    [{ card_number: '', expiration_month: '', expiration_year: '', security_code: '' }, ['205', '208', '209', '224']],
  ];
  for (const [card, codes] of cases) {
    await assert.rejects(
      new CardToken(client).create({ body: { ...card, cardholder: { name: 'APRO' } } as never }),
      (e: { status: number; causes: { code: unknown }[] }) => {
        assert.equal(e.status, 400);
        assert.deepEqual(
          e.causes.map((c) => c.code),
          codes,
        );
        return true;
      },
    );
  }
  await assert.rejects(new CardToken(client).create({ body: { ...CARD, cardholder: { name: '' } } as never }), (e: { causes: { code: unknown }[] }) =>
    e.causes.some((c) => c.code === '221'),
  );
});

test('partial and full refunds never exceed the payment; the fee goes back exactly', async () => {
  const payment = await pay('APRO');
  const refunds = new PaymentRefund(client);
  const partial = await refunds.create({ payment_id: payment.id!, body: { amount: 40.25 } });
  assert.equal(partial.amount, 40.25);
  await assert.rejects(refunds.create({ payment_id: payment.id!, body: { amount: 60.26 } }), (e: { status: number }) => e.status === 400);
  const rest = await refunds.create({ payment_id: payment.id! });
  assert.equal(rest.amount, 60.25);
  const after = await new Payment(client).get({ id: payment.id! });
  assert.equal(after.status, 'refunded');
  assert.equal(after.transaction_amount_refunded, 100.5);
  assert.equal((await refunds.list({ payment_id: payment.id! })).length, 2);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('50 concurrent partial refunds: their sum never exceeds the payment', async () => {
  const payment = await pay('APRO');
  const answers = await Promise.all(
    Array.from({ length: 50 }, () =>
      fetch(`${server.url}/v1/payments/${payment.id}/refunds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 3 }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { amount?: number } })),
    ),
  );
  assert.ok(
    answers.every((a) => a.status === 201 || a.status === 400),
    JSON.stringify(answers.filter((a) => a.status !== 201 && a.status !== 400)),
  );
  const ok = answers.filter((a) => a.status === 201);
  assert.equal(ok.length, 33);
  const after = await new Payment(client).get({ id: payment.id! });
  assert.equal(after.transaction_amount_refunded, 99);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('capture false holds the money until captured (in part) or cancelled', async () => {
  const payments = new Payment(client);
  const held = await pay('APRO', { capture: false });
  assert.deepEqual([held.status, held.status_detail, held.captured], ['authorized', 'pending_capture', false]);
  const captured = await payments.capture({ id: held.id!, transaction_amount: 80 });
  assert.deepEqual([captured.status, captured.captured], ['approved', true]);
  await assert.rejects(
    payments.capture({ id: held.id! }),
    (e: { status: number; causes: { code: unknown }[] }) => e.status === 400 && e.causes[0]?.code === 126,
  );
  const other = await pay('APRO', { capture: false });
  const cancelled = await payments.cancel({ id: other.id! });
  assert.equal(cancelled.status, 'cancelled');
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('same idempotency key and body → the same payment; another body → 400', async () => {
  const tok = await token();
  const body = { transaction_amount: 12, token: tok, installments: 1, payer: { email: 'a@b.co' } };
  const first = await new Payment(client).create({ body: body as never, requestOptions: { idempotencyKey: 'order-77' } });
  const again = await new Payment(client).create({ body: body as never, requestOptions: { idempotencyKey: 'order-77' } });
  assert.equal(again.id, first.id);
  await assert.rejects(
    new Payment(client).create({ body: { ...body, transaction_amount: 13 } as never, requestOptions: { idempotencyKey: 'order-77' } }),
    (e: { status: number }) => e.status === 400,
  );
});

test('users/me names the seller behind the token', async () => {
  const { User } = await import('mercadopago');
  const me = await new User(client).get();
  assert.equal((me as { nickname?: string }).nickname, 'pepitos-house');
  assert.equal((me as { site_id?: string }).site_id, 'MLV');
});

test('reference lists: payment methods and identification types', async () => {
  const methods = await new PaymentMethod(client).get();
  assert.ok(methods.some((m) => m.id === 'visa' && m.payment_type_id === 'credit_card'));
  const types = await new IdentificationType(client).list();
  assert.ok(types.some((t) => t.id === 'V'));
});

test('a browser tokenizes with the public key from any origin; the public key pays nothing', async () => {
  const preflight = await fetch(`${server.url}/v1/card_tokens?public_key=${encodeURIComponent(publicKey)}`, {
    method: 'OPTIONS',
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  // Only this path is open to other origins.
  const payments = await fetch(`${server.url}/v1/payments`, {
    method: 'OPTIONS',
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(payments.headers.get('access-control-allow-origin'), null);
  const answer = await fetch(`${server.url}/v1/card_tokens?public_key=${encodeURIComponent(publicKey)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
    body: JSON.stringify({ ...CARD, cardholder: { name: 'APRO' } }),
  });
  assert.equal(answer.status, 201);
  assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  const paid = await fetch(`${server.url}/v1/payments?public_key=${encodeURIComponent(publicKey)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${publicKey}` },
    body: JSON.stringify({ transaction_amount: 10, token: ((await answer.json()) as { id: string }).id }),
  });
  assert.equal(paid.status, 401);
});
