// POS terminals beyond the happy path: an intent left alone is ABANDONED on the deployment
// clock; take vs cancel on one intent has exactly one winner (many rounds, and a second
// terminal of the same merchant racing too); a terminal's credential reads only its own
// intents; unlinking cancels the waiting intent and the credential stops working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { abandonDueIntents } from '../../src/modules/point/index.ts';
import { setFeeRule } from '../../src/modules/fees/index.ts';
import { createEndpoint } from '../../src/modules/webhooks/index.ts';
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

async function createIntent(merchant: Merchant, terminal: Terminal, amount = 1500): Promise<string> {
  const answer = await http(server.url, 'POST', `/point/integration-api/devices/${terminal.deviceId}/payment-intents`, {
    token: merchant.accessToken,
    json: { amount },
  });
  assert.equal(answer.status, 201, answer.text);
  return answer.body.id;
}

const intentState = async (merchant: Merchant, id: string) =>
  (await http(server.url, 'GET', `/point/integration-api/payment-intents/${id}`, { token: merchant.accessToken })).body.state as string;

test('an intent not taken in time ends ABANDONED on the deployment clock and frees its terminal', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const id = await createIntent(merchant, terminal);
  assert.equal(await abandonDueIntents(server.ctx), 0, 'not yet due');
  await server.ctx.clock.advance(server.ctx.config.pointIntentTtlSeconds + 1);
  assert.equal((await device(server, terminal, 'GET', '/payment-intents/next')).body.payment_intent, null, 'a due intent is not shown');
  const late = await device(server, terminal, 'POST', `/payment-intents/${id}/take`);
  assert.equal(late.status, 409, 'a due intent cannot be taken');
  assert.ok((await abandonDueIntents(server.ctx)) >= 1);
  assert.equal(await intentState(merchant, id), 'ABANDONED');
  const events = await http(server.url, 'GET', `/point/integration-api/payment-intents/${id}/events`, { token: merchant.accessToken });
  assert.deepEqual(
    events.body.events.map((e: { status: string }) => e.status),
    ['OPEN', 'ABANDONED'],
  );
  // Taken but never paid: abandoned too; and a new intent is accepted on the freed terminal.
  const taken = await createIntent(merchant, terminal);
  assert.equal((await device(server, terminal, 'POST', `/payment-intents/${taken}/take`)).status, 200);
  await server.ctx.clock.advance(server.ctx.config.pointIntentTtlSeconds + 1);
  // Creating the next intent abandons the due one first (the worker may not have run yet).
  const next = await createIntent(merchant, terminal);
  assert.equal(await intentState(merchant, taken), 'ABANDONED');
  assert.equal(await intentState(merchant, next), 'OPEN');
});

test('take vs cancel on one intent: exactly one wins, every round; another terminal never takes it', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const other = await linkTerminal(server, merchant, { pdv: true });
  let takes = 0;
  let cancels = 0;
  for (let round = 0; round < 25; round++) {
    const id = await createIntent(merchant, terminal);
    const [take, cancel, stranger] = await Promise.all([
      device(server, terminal, 'POST', `/payment-intents/${id}/take`),
      http(server.url, 'DELETE', `/point/integration-api/devices/${terminal.deviceId}/payment-intents/${id}`, { token: merchant.accessToken }),
      device(server, other, 'POST', `/payment-intents/${id}/take`),
    ]);
    assert.equal(stranger.status, 404, 'another terminal does not see the intent');
    const winners = [take.status, cancel.status].filter((s) => s === 200).length;
    assert.equal(winners, 1, `round ${round}: take ${take.status} ${take.text}, cancel ${cancel.status} ${cancel.text}`);
    assert.ok([take.status, cancel.status].includes(409), 'the loser is refused with 409');
    const state = await intentState(merchant, id);
    const events = (await http(server.url, 'GET', `/point/integration-api/payment-intents/${id}/events`, { token: merchant.accessToken })).body.events;
    assert.equal(events.length, 2, 'one event for the one transition');
    if (take.status === 200) {
      takes++;
      assert.equal(state, 'ON_TERMINAL');
      // Finish it so the terminal is free for the next round.
      const token = await device(server, terminal, 'POST', `/payment-intents/${id}/card-tokens`, APRO_CARD);
      assert.equal((await device(server, terminal, 'POST', `/payment-intents/${id}/payment`, { token: token.body.id })).body.state, 'PROCESSED');
    } else {
      cancels++;
      assert.equal(state, 'CANCELED');
    }
  }
  assert.equal(takes + cancels, 25);
});

test('a terminal credential reads only its own intents, never another terminal’s or merchant’s', async () => {
  const shop = await createMerchant(server.ctx);
  const rival = await createMerchant(server.ctx);
  const mine = await linkTerminal(server, shop, { pdv: true });
  const sibling = await linkTerminal(server, shop, { pdv: true });
  const theirs = await linkTerminal(server, rival, { pdv: true });
  const myIntent = await createIntent(shop, mine);
  const siblingIntent = await createIntent(shop, sibling);
  const rivalIntent = await createIntent(rival, theirs);

  assert.equal((await device(server, mine, 'GET', '/payment-intents/next')).body.payment_intent.id, myIntent);
  assert.equal((await device(server, theirs, 'GET', '/payment-intents/next')).body.payment_intent.id, rivalIntent);
  for (const id of [siblingIntent, rivalIntent]) {
    for (const [method, path] of [
      ['GET', `/payment-intents/${id}`],
      ['POST', `/payment-intents/${id}/take`],
      ['POST', `/payment-intents/${id}/confirm`],
    ] as const) {
      const answer = await device(server, mine, method, path);
      assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
    }
  }
  assert.equal((await device(server, mine, 'POST', `/payment-intents/${rivalIntent}/card-tokens`, APRO_CARD)).status, 404);
  // The integrator API is per merchant too.
  assert.equal((await http(server.url, 'GET', `/point/integration-api/payment-intents/${rivalIntent}`, { token: shop.accessToken })).status, 404);
  assert.equal(
    (await http(server.url, 'POST', `/point/integration-api/devices/${theirs.deviceId}/payment-intents`, { token: shop.accessToken, json: { amount: 100 } }))
      .status,
    404,
  );
  // A card token of another app cannot pay this intent.
  await device(server, mine, 'POST', `/payment-intents/${myIntent}/take`);
  await device(server, theirs, 'POST', `/payment-intents/${rivalIntent}/take`);
  const rivalToken = await device(server, theirs, 'POST', `/payment-intents/${rivalIntent}/card-tokens`, APRO_CARD);
  const stolen = await device(server, mine, 'POST', `/payment-intents/${myIntent}/payment`, { token: rivalToken.body.id });
  assert.equal(stolen.status, 400, stolen.text);
  assert.equal((await device(server, mine, 'GET', `/payment-intents/${myIntent}`)).body.state, 'ON_TERMINAL', 'a refused payment leaves it on the terminal');
  // No credential, a wrong one: 401.
  assert.equal((await http(server.url, 'GET', '/point/device/payment-intents/next')).status, 401);
  assert.equal((await http(server.url, 'GET', '/point/device/payment-intents/next', { token: shop.accessToken })).status, 401);
});

test('unlinking cancels the waiting intent and the terminal’s credential stops working at once', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const id = await createIntent(merchant, terminal);
  await device(server, terminal, 'POST', `/payment-intents/${id}/take`);
  const unlinked = await http(server.url, 'DELETE', `/console/api/point/devices/${terminal.deviceId}`, { headers: terminal.headers });
  assert.equal(unlinked.status, 200, unlinked.text);
  assert.equal(unlinked.body.status, 'unlinked');
  assert.equal(await intentState(merchant, id), 'CANCELED');
  assert.equal((await device(server, terminal, 'GET', '/me')).status, 401);
  assert.equal((await device(server, terminal, 'POST', `/payment-intents/${id}/card-tokens`, APRO_CARD)).status, 401);
  const devices = await http(server.url, 'GET', '/point/integration-api/devices', { token: merchant.accessToken });
  assert.equal(devices.body.paging.total, 0);
  assert.equal(
    (
      await http(server.url, 'POST', `/point/integration-api/devices/${terminal.deviceId}/payment-intents`, {
        token: merchant.accessToken,
        json: { amount: 100 },
      })
    ).status,
    404,
  );
});

test('bad input: amounts, modes and pairing codes answer 4xx in the family’s shape', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const token = merchant.accessToken;
  const path = `/point/integration-api/devices/${terminal.deviceId}/payment-intents`;
  for (const amount of [0, -5, 15.5, '15.5', 1e20, null, 'abc']) {
    const answer = await http(server.url, 'POST', path, { token, json: { amount } });
    assert.equal(answer.status, 400, `${amount}: ${answer.text}`);
    assert.equal(answer.body.error, 'bad_request');
  }
  assert.equal(
    (await http(server.url, 'PATCH', `/point/integration-api/devices/${terminal.deviceId}`, { token, json: { operating_mode: 'AUTO' } })).status,
    400,
  );
  const wrongCode = await http(server.url, 'POST', '/console/api/point/devices', {
    headers: terminal.headers,
    json: { pairingCode: 'ZZZZZZZZ', tillId: terminal.tillId },
  });
  assert.equal(wrongCode.status, 400, wrongCode.text);
  const events = await http(server.url, 'GET', '/point/integration-api/payment-intents/events?startDate=nope&endDate=2026-01-01', { token });
  assert.equal(events.status, 400);
  assert.equal((await http(server.url, 'GET', '/point/integration-api/payment-intents/no-such', { token })).status, 404);
  const paid = await payOnTerminal(server, terminal, await createIntent(merchant, terminal));
  const confirmTwice = await device(server, terminal, 'POST', `/payment-intents/${paid.id}/confirm`);
  assert.equal(confirmTwice.status, 200);
  assert.equal((await device(server, terminal, 'POST', `/payment-intents/${paid.id}/confirm`)).status, 409);
});

test('a terminal payment: the pos fee schedule, payment.* events for the app, and a long poll that wakes for a new intent', async () => {
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  await createEndpoint(server.ctx, merchant.user.id, merchant.app.id, { url: 'https://example.test/hook', eventTypes: ['payment.*'] });
  await setFeeRule(server.ctx, { operation: 'pos', currency: 'VES', percent: '2', fixed: '0' });
  try {
    const waiting = device(server, terminal, 'GET', '/payment-intents/next?wait=5');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const id = await createIntent(merchant, terminal, 10000);
    const woke = await waiting;
    assert.equal(woke.body.payment_intent?.id, id, 'the long poll answers with the new intent');
    const paid = await payOnTerminal(server, terminal, id);
    const payment = await http(server.url, 'GET', `/v1/payments/${paid.payment.id}`, { token: merchant.accessToken });
    assert.equal(payment.body.status, 'approved');
    assert.deepEqual(payment.body.fee_details, [{ type: 'application_fee', amount: 2, fee_payer: 'collector' }]);
    assert.equal(payment.body.transaction_details.net_received_amount, 98);
    const events = await server.ctx.store.db
      .selectFrom('events')
      .select(['type', 'object_id'])
      .where('app_id', '=', merchant.app.id)
      .where('type', 'like', 'payment.%')
      .execute();
    assert.deepEqual(
      events.map((e) => [e.type, e.object_id]),
      [['payment.created', String(paid.payment.id)]],
    );
  } finally {
    await setFeeRule(server.ctx, { operation: 'pos', currency: 'VES', percent: '0', fixed: '0' });
  }
});

test('a locked merchant’s terminal neither takes nor pays an intent; after the unlock it does', async () => {
  const { operatorSession } = await import('./core-fixtures.ts');
  const operator = await operatorSession(server);
  const merchant = await createMerchant(server.ctx);
  const terminal = await linkTerminal(server, merchant, { pdv: true });
  const id = await createIntent(merchant, terminal);
  // Taken and its card read before the lock: the payment is refused after it.
  assert.equal((await device(server, terminal, 'POST', `/payment-intents/${id}/take`)).status, 200);
  const card = await device(server, terminal, 'POST', `/payment-intents/${id}/card-tokens`, APRO_CARD);
  assert.equal(card.status, 201, card.text);
  const lock = await http(server.url, 'POST', `/console/api/operator/users/${merchant.user.id}/lock`, { headers: operator.headers });
  assert.equal(lock.status, 200, lock.text);
  const pay = await device(server, terminal, 'POST', `/payment-intents/${id}/payment`, { token: card.body.id });
  assert.equal(pay.status, 403, pay.text);
  assert.equal(pay.body.message, 'La cuenta está bloqueada.');
  // The merchant's tokens went with the lock: the state is read from the database.
  const stateOf = async () => (await server.ctx.store.db.selectFrom('point_intents').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
  assert.equal(await stateOf(), 'ON_TERMINAL');
  const payments = await server.ctx.store.db.selectFrom('card_payments').select('id').where('collector_user_id', '=', merchant.user.id).execute();
  assert.deepEqual(payments, [], 'no card payment while locked');

  const unlock = await http(server.url, 'POST', `/console/api/operator/users/${merchant.user.id}/unlock`, { headers: operator.headers });
  assert.equal(unlock.status, 200, unlock.text);
  const paid = await device(server, terminal, 'POST', `/payment-intents/${id}/payment`, { token: card.body.id });
  assert.equal(paid.status, 200, paid.text);
  assert.equal(await stateOf(), 'PROCESSED');
});
