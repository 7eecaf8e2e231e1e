// The card processor is asked for every step, with our payment id as its reference: authorize,
// capture (the amount captured), cancel, refund (each part). When it declines a capture, a
// cancellation or a refund, nothing changes here: the payment keeps its state, the hold stays
// pending, no money moves, and the answer says why (400, cause processor_declined).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { installCardProcessor, SANDBOX_PROCESSOR, type CardProcessor, type ProcessorAnswer } from '../../src/modules/cards/index.ts';
import { listWallets, sendMoney } from '../../src/modules/wallets/index.ts';
import { verifyLedger } from '../../src/modules/ledger/index.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';

let server: TestServer;
let accessToken: string;
let publicKey: string;
let merchantId: string;
let demoBuyer: string;
const calls: string[] = [];
let decline: 'capture' | 'cancel' | 'refund' | undefined;

const answer = (action: string): ProcessorAnswer =>
  decline === action ? { accepted: false, reason: `${action} rechazado por el emisor` } : { accepted: true };
const recording: CardProcessor = {
  name: 'recording',
  authorize: async (request) => {
    calls.push(`authorize ${request.reference} ${request.amountMinor} ${request.capture}`);
    return SANDBOX_PROCESSOR.authorize(request);
  },
  capture: async (reference, amountMinor) => (calls.push(`capture ${reference} ${amountMinor}`), answer('capture')),
  cancel: async (reference) => (calls.push(`cancel ${reference}`), answer('cancel')),
  refund: async (reference, refundReference, amountMinor) => (calls.push(`refund ${reference} ${refundReference} ${amountMinor}`), answer('refund')),
};

before(async () => {
  server = await startTestServer();
  const demo = await ensureDemo(server.ctx);
  ({ accessToken, publicKey } = demo.merchant.app);
  demoBuyer = demo.buyers[0]!.username;
  merchantId = (await server.ctx.store.db.selectFrom('users').select('id').where('username', '=', demo.merchant.username).executeTakeFirstOrThrow()).id;
  installCardProcessor(server.ctx, recording);
});
after(() => server?.close());

async function pay(capture: boolean): Promise<number> {
  const token = await http(server.url, 'POST', `/v1/card_tokens?public_key=${publicKey}`, {
    json: { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } },
  });
  const paid = await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 40, token: token.body.id, capture } });
  assert.equal(paid.status, 201, paid.text);
  return paid.body.id;
}

const balance = async () => (await listWallets(server.ctx.store.db, merchantId)).find((w) => w.currency === 'VES')!;
const put = (id: number, json: unknown) => http(server.url, 'PUT', `/v1/payments/${id}`, { token: accessToken, json });
const refund = (id: number, amount: number) => http(server.url, 'POST', `/v1/payments/${id}/refunds`, { token: accessToken, json: { amount } });

test('every step goes to the processor with the payment id as its reference', async () => {
  calls.length = 0;
  decline = undefined;
  const held = await pay(false);
  assert.equal((await put(held, { capture: true, transaction_amount: 30 })).status, 200);
  const refunded = await refund(held, 10);
  assert.equal(refunded.status, 201);
  const cancelled = await pay(false);
  assert.equal((await put(cancelled, { status: 'cancelled' })).status, 200);
  assert.deepEqual(calls, [
    `authorize ${held} 4000 false`,
    `capture ${held} 3000`,
    `refund ${held} ${refunded.body.id} 1000`,
    `authorize ${cancelled} 4000 false`,
    `cancel ${cancelled}`,
  ]);
});

test('a refund the ledger refuses (the merchant spent the money) is never asked of the processor', async () => {
  decline = undefined;
  const id = await pay(true);
  const wallet = await balance();
  // The merchant sends away all but one bolívar: a refund of 40 cannot be posted.
  await sendMoney(server.ctx, merchantId, { to: demoBuyer, amountMinor: wallet.balanceMinor - 100, currency: 'VES', pin: '1234', description: 'Retiro' });
  calls.length = 0;
  const refused = await refund(id, 40);
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.body.cause[0].code, 4040);
  assert.deepEqual(calls, [], 'the processor was not asked to refund money the ledger could not take back');
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('a declined capture, cancellation or refund changes nothing and says why', async () => {
  const held = await pay(false);
  const before = await balance();
  decline = 'capture';
  const capture = await put(held, { capture: true });
  assert.equal(capture.status, 400, capture.text);
  assert.equal(capture.body.cause[0].code, 'processor_declined');
  assert.match(capture.body.message, /capture rechazado por el emisor/);
  decline = 'cancel';
  assert.equal((await put(held, { status: 'cancelled' })).body.cause[0].code, 'processor_declined');
  const still = await http(server.url, 'GET', `/v1/payments/${held}`, { token: accessToken });
  assert.equal(still.body.status, 'authorized');
  assert.deepEqual(await balance(), before, 'the hold is still pending and nothing moved');

  decline = undefined;
  assert.equal((await put(held, { capture: true })).status, 200);
  const captured = await balance();
  decline = 'refund';
  const refused = await refund(held, 5);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.cause[0].code, 'processor_declined');
  assert.deepEqual(await balance(), captured);
  const after = await http(server.url, 'GET', `/v1/payments/${held}`, { token: accessToken });
  assert.equal(after.body.transaction_amount_refunded, 0);
  decline = undefined;
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});
