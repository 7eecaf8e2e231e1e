// `webhooks.constructEvent` agrees with the server's own signature code: what the server signs
// the SDK accepts, what the server refuses the SDK refuses (seeded random cases), the tolerance
// holds at its edges, and a real notification delivered by the server is read back by it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  constructEvent,
  EVENT_TYPES,
  generateTestHeaders,
  Pasarela,
  PasarelaSignatureVerificationError,
  type WebhookEvent,
} from '../../packages/sdk/src/index.ts';
import { signatureHeader, verifySignature } from '../../src/index.ts';
import { EVENT_TYPES as SERVER_EVENT_TYPES } from '../../src/modules/events/index.ts';
import { startWebhookWorker } from '../../src/workers/webhooks.ts';
import { http } from '../helpers.ts';
import { startReceiver } from '../webhook-fixtures.ts';
import { saleParams, useSdkWorld, type SdkWorld } from './fixtures.ts';

let world: SdkWorld;
useSdkWorld((w) => {
  world = w;
});

const SECRET = 'whsec_0123456789abcdef0123456789abcdef0123456789abcdef';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function notification(dataId: string) {
  return {
    id: 'evt-1',
    live_mode: false,
    type: 'payment',
    date_created: new Date().toISOString(),
    user_id: 'u1',
    api_version: 'v1',
    action: 'payment.created',
    data: { id: dataId },
  };
}

/** What the server sends for `dataId`: the JSON body and its signed headers. */
function signedByServer(dataId: string, secret = SECRET, ts = nowSeconds(), requestId = 'req-1') {
  return {
    raw: JSON.stringify(notification(dataId)),
    headers: { 'x-request-id': requestId, 'x-signature': signatureHeader(secret, { dataId, requestId, ts }) },
  };
}

const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PasarelaSignatureVerificationError, String(error));
    return error.code;
  }
  return 'accepted';
};

test('what the server signs, the SDK accepts: raw text, bytes, parsed object; Node headers or fetch Headers', () => {
  const { raw, headers } = signedByServer('PAY-123abc');
  const event: WebhookEvent = constructEvent(raw, headers, SECRET);
  assert.equal(event.action, 'payment.created');
  assert.equal(event.data.id, 'PAY-123abc');
  assert.deepEqual(constructEvent(Buffer.from(raw), headers, SECRET), event);
  assert.deepEqual(constructEvent(JSON.parse(raw) as object, new Headers(headers), SECRET), event);
  assert.deepEqual(constructEvent(raw, { 'X-Request-Id': [headers['x-request-id']], 'X-Signature': headers['x-signature'] }, SECRET), event);
  assert.equal(Pasarela.webhooks.constructEvent, constructEvent, 'no client needed');
  // The URL the notification came to (Node's req.url): its data.id is the signed one.
  assert.equal(constructEvent(raw, headers, SECRET, { url: '/hook?data.id=PAY-123abc&type=payment' }).id, 'evt-1');
});

test('the SDK refuses, and says why', () => {
  const { raw, headers } = signedByServer('pay_1');
  assert.equal(
    failure(() => constructEvent(raw, headers, 'whsec_other')),
    'signature_mismatch',
  );
  assert.equal(
    failure(() => constructEvent(JSON.stringify(notification('pay_2')), headers, SECRET)),
    'signature_mismatch',
  );
  assert.equal(
    failure(() => constructEvent(raw, headers, SECRET, { url: '/hook?data.id=pay_2' })),
    'data_id_mismatch',
  );
  assert.equal(
    failure(() => constructEvent('{"id":"evt"}', headers, SECRET)),
    'missing_data_id',
  );
  assert.equal(
    failure(() => constructEvent('not json', headers, SECRET)),
    'invalid_body',
  );
  assert.equal(
    failure(() => constructEvent('[1]', headers, SECRET)),
    'invalid_body',
  );
  assert.equal(
    failure(() => constructEvent(raw, { 'x-request-id': 'req-1' }, SECRET)),
    'missing_signature',
  );
  assert.equal(
    failure(() => constructEvent(raw, { ...headers, 'x-signature': 'v1=abc' }, SECRET)),
    'malformed_signature',
  );
  assert.equal(
    failure(() => constructEvent(raw, { 'x-signature': headers['x-signature'] }, SECRET)),
    'missing_request_id',
  );
  assert.equal(
    failure(() => constructEvent(raw, { ...headers, 'x-request-id': 'req-2' }, SECRET)),
    'signature_mismatch',
  );
  assert.throws(() => constructEvent(raw, headers, ''), TypeError);
});

test('the tolerance: 5 minutes either way by default, your own, or off', () => {
  const at = (offset: number) => signedByServer('pay_1', SECRET, nowSeconds() + offset);
  const check = (offset: number, options = {}) => {
    const { raw, headers } = at(offset);
    return failure(() => constructEvent(raw, headers, SECRET, { nowMs: (nowSeconds() + 0.5) * 1000, ...options }));
  };
  assert.equal(check(-300), 'accepted');
  assert.equal(check(-301), 'timestamp_out_of_tolerance');
  assert.equal(check(300), 'accepted');
  assert.equal(check(301), 'timestamp_out_of_tolerance');
  assert.equal(check(-11, { toleranceSeconds: 10 }), 'timestamp_out_of_tolerance');
  assert.equal(check(-10, { toleranceSeconds: 10 }), 'accepted');
  assert.equal(check(-86_400, { toleranceSeconds: 0 }), 'accepted');
});

test('the SDK and the server agree on every notification (seeded random cases)', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261205);
  const token = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[,\s]/.test(s));
  fc.assert(
    fc.property(
      token,
      token,
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.integer({ min: -400, max: 400 }),
      fc.constantFrom('none', 'secret', 'data.id', 'request id', 'signature byte', 'second v1'),
      (dataId, requestId, secret, offset, tamper) => {
        const ts = nowSeconds() + offset;
        let header = signatureHeader(secret, { dataId, requestId, ts });
        const headers = { 'x-request-id': tamper === 'request id' ? `${requestId}x` : requestId, 'x-signature': header };
        if (tamper === 'signature byte') headers['x-signature'] = header.replace(/v1=(.)/, (_m, c: string) => `v1=${c === '0' ? '1' : '0'}`);
        if (tamper === 'second v1') headers['x-signature'] = header = `${header},v1=${'0'.repeat(64)}`;
        const bodyId = tamper === 'data.id' ? `${dataId}x` : dataId;
        const verifySecret = tamper === 'secret' ? `${secret}x` : secret;
        const query = new URLSearchParams({ 'data.id': bodyId });
        const server = verifySignature(headers, query, verifySecret);
        const sdk = failure(() => constructEvent(JSON.stringify(notification(bodyId)), headers, verifySecret)) === 'accepted';
        assert.equal(sdk, server, JSON.stringify({ dataId, requestId, secret, offset, tamper }));
      },
    ),
    { seed, numRuns: 500 },
  );
});

test('generateTestHeaders signs as the server does (the server verifies them)', () => {
  const headers = generateTestHeaders({ dataId: 'Intent-9', secret: SECRET, requestId: 'req-9' });
  assert.equal(verifySignature(headers, 'data.id=Intent-9', SECRET), true);
  assert.equal(verifySignature(headers, 'data.id=Intent-9', 'whsec_other'), false);
  assert.equal(constructEvent(notification('Intent-9'), headers, SECRET).data.id, 'Intent-9');
});

test('the event types are the server’s catalogue', () => {
  assert.deepEqual([...EVENT_TYPES].sort(), [...SERVER_EVENT_TYPES].sort());
});

test('a real notification: the server delivers a sale’s events, the SDK verifies them and fetches the intent', async () => {
  const receiver = await startReceiver();
  const worker = startWebhookWorker(world.server.ctx, { settings: { pollMs: 3600_000, timeoutMs: 2000 }, wake: false });
  after(async () => {
    await worker.stop();
    await receiver.close();
  });
  const { merchant, buyers } = world.demo;
  const session = await http(world.server.url, 'POST', '/console/api/session', { json: { login: merchant.username, password: merchant.password } });
  const headers = { 'x-session-token': session.body.sessionToken as string };
  const apps = await http(world.server.url, 'GET', '/console/api/apps', { headers });
  const app = apps.body.data.find((a: { clientId: string }) => a.clientId === merchant.app.clientId);
  assert.ok(app, apps.text);
  const endpoint = await http(world.server.url, 'POST', `/console/api/apps/${app.id}/webhooks`, {
    headers,
    json: { url: `${receiver.url}/hook`, eventTypes: ['payment_intent.*'] },
  });
  assert.equal(endpoint.status, 201, endpoint.text);
  const secret = endpoint.body.secret as string;

  const pasarela = world.client();
  const intent = await pasarela.paymentIntents.create(saleParams('Con notificación'));
  const { payerId } = await pasarela.sandbox.approve(intent.id, { payer: buyers[0]!.username });
  await pasarela.paymentIntents.executeSale(intent.id, { payer: payerId });
  await worker.runOnce();

  const received = receiver.received.filter((r) => r.path === '/hook');
  const events = received.map((r) => constructEvent(r.raw, r.headers, secret, { url: `${r.path}?${r.query}` }));
  // Up to two deliveries per endpoint run at once: they may arrive in any order.
  assert.deepEqual(
    events
      .filter((e) => e.data.id === intent.id)
      .map((e) => e.action)
      .sort(),
    ['payment_intent.approved', 'payment_intent.created', 'payment_intent.executed'],
  );
  const executed = events.find((e) => e.action === 'payment_intent.executed')!;
  assert.equal(executed.type, 'payment_intent');
  assert.equal((await pasarela.paymentIntents.retrieve(executed.data.id)).state, 'executed');
  assert.throws(() => constructEvent(received[0]!.raw, received[0]!.headers, 'whsec_wrong'), PasarelaSignatureVerificationError);
});
