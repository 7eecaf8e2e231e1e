// Webhook rules without I/O: signatures, the retry schedule, subscriptions, the wire shapes,
// fan-out targets, and which addresses the SSRF guard refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { checkSignature, parseSignatureHeader, signatureHeader, signatureManifest, verifySignature } from '../../src/index.ts';
import {
  DEFAULT_RETRY_HORIZON_MS,
  isEventTypePattern,
  isKnownEventPattern,
  MINUTE_MS,
  notificationFor,
  notificationUrl,
  retryDelayMs,
  retrySchedule,
  subscribes,
  targetsFor,
  type EventRecord,
} from '../../src/modules/webhooks/index.ts';
import { checkTargetUrl, guardedLookup, isBlockedAddress } from '../../src/platform/ssrf.ts';
import type { WebhookEndpointsTable } from '../../src/store/schema-webhooks.ts';

const secret = 'whsec_test';

test('the manifest and signature follow the contract recipe', () => {
  assert.equal(signatureManifest({ dataId: '123456', requestId: 'req-1', ts: 1700000000 }), 'id:123456;request-id:req-1;ts:1700000000;');
  assert.equal(signatureManifest({ dataId: 'ABC-def', requestId: 'r', ts: 1 }), 'id:abc-def;request-id:r;ts:1;', 'alphanumeric ids are lower-cased');
  const header = signatureHeader(secret, { dataId: '123456', requestId: 'req-1', ts: 1700000000 });
  const expected = createHmac('sha256', secret).update('id:123456;request-id:req-1;ts:1700000000;').digest('hex');
  assert.equal(header, `ts=1700000000,v1=${expected}`);
  assert.deepEqual(parseSignatureHeader(header), { ts: '1700000000', v1: [expected] });
  assert.deepEqual(parseSignatureHeader(' ts=5 , v1=aa, v1=bb'), { ts: '5', v1: ['aa', 'bb'] });
  assert.equal(parseSignatureHeader('v1=aa'), undefined);
  assert.equal(parseSignatureHeader('ts=abc,v1=aa'), undefined);
});

test('verifySignature: every way a receiver holds headers and query', () => {
  const nowMs = 1_700_000_000_000;
  const ts = nowMs / 1000;
  const headers = { 'x-request-id': 'req-9', 'x-signature': signatureHeader(secret, { dataId: '42', requestId: 'req-9', ts }) };
  const cases: [string, Parameters<typeof verifySignature>[0], Parameters<typeof verifySignature>[1], boolean][] = [
    ['node headers + query object', headers, { 'data.id': '42', type: 'payment' }, true],
    ['qs-style nested query', headers, { data: { id: '42' }, type: 'payment' }, true],
    ['URLSearchParams', headers, new URLSearchParams('data.id=42&type=payment'), true],
    ['request URL', headers, '/hook?data.id=42&type=payment', true],
    ['fetch Headers', new Headers(headers), 'data.id=42', true],
    ['header names in another case', { 'X-Request-Id': 'req-9', 'X-Signature': headers['x-signature'] }, { 'data.id': '42' }, true],
    ['other data.id', headers, { 'data.id': '43' }, false],
    ['other request id', { ...headers, 'x-request-id': 'req-8' }, { 'data.id': '42' }, false],
    ['no signature', { 'x-request-id': 'req-9' }, { 'data.id': '42' }, false],
    ['no data.id', headers, {}, false],
  ];
  for (const [name, h, q, ok] of cases) assert.equal(verifySignature(h, q, secret, { nowMs }), ok, name);
  assert.equal(verifySignature(headers, { 'data.id': '42' }, 'whsec_other', { nowMs }), false, 'other secret');
  assert.deepEqual(checkSignature(headers, { 'data.id': '42' }, secret, { nowMs: nowMs + 301_000 }), { ok: false, reason: 'timestamp_out_of_tolerance' });
  assert.deepEqual(checkSignature(headers, { 'data.id': '42' }, secret, { nowMs: nowMs + 301_000, toleranceSeconds: 0 }), { ok: true });
  // During a rotation a header may carry several v1: any one that matches is enough.
  const both = { ...headers, 'x-signature': `${headers['x-signature']},v1=${'0'.repeat(64)}` };
  assert.equal(verifySignature(both, { 'data.id': '42' }, secret, { nowMs }), true);
});

test('retry schedule: 1, 2, 4, 8 minutes, then every 15 minutes for about 3 days', () => {
  const schedule = retrySchedule();
  assert.deepEqual(
    schedule.slice(0, 6),
    [1, 2, 4, 8, 15, 15].map((m) => m * MINUTE_MS),
  );
  assert.ok(schedule.slice(4).every((d) => d === 15 * MINUTE_MS));
  const total = schedule.reduce((a, b) => a + b, 0);
  assert.ok(total <= DEFAULT_RETRY_HORIZON_MS && total > DEFAULT_RETRY_HORIZON_MS - 15 * MINUTE_MS, `last attempt ${total / 3600_000} h after the first`);
  assert.equal(schedule.length + 1, 292, 'attempts in all (the first and 291 retries)');
  assert.equal(retryDelayMs(1, 0, 30 * 1000), null, 'a horizon shorter than the first delay: no retry');
  assert.deepEqual(
    retrySchedule(40 * MINUTE_MS),
    [1, 2, 4, 8, 15].map((m) => m * MINUTE_MS),
  );
});

test('subscriptions: exact types, <object>.* and *', () => {
  assert.ok(subscribes(['*'], 'payment.created'));
  assert.ok(subscribes(['payment.*'], 'payment.updated'));
  assert.ok(!subscribes(['payment.*'], 'payment_intent.created'));
  assert.ok(subscribes(['refund.created', 'payment.created'], 'payment.created'));
  assert.ok(!subscribes(['payment.created'], 'payment.updated'));
  for (const ok of ['*', 'payment.*', 'payment_intent.executed', 'application.credentials_renewed']) assert.ok(isEventTypePattern(ok), ok);
  for (const bad of ['', 'payment', '*.created', 'Payment.created', 'payment.', 'pay ment.created', 'payment.**']) assert.ok(!isEventTypePattern(bad), bad);
  // well formed is not enough for a subscription: it must name an event of the catalogue
  for (const known of ['*', 'payment.*', 'refund.*', 'payment_intent.executed']) assert.ok(isKnownEventPattern(known), known);
  for (const unknown of ['paymnt.*', 'payment.creatd', 'card.*', 'payment.created.extra']) assert.ok(!isKnownEventPattern(unknown), unknown);
});

const event = (over: Partial<EventRecord> = {}): EventRecord => ({
  id: 'evt-1',
  type: 'payment.created',
  object_type: 'payment',
  object_id: '123',
  owner_user_id: 'user-1',
  app_id: 'app-1',
  payload: '{}',
  created_at: Date.UTC(2024, 0, 2, 3, 4, 5),
  ...over,
});

test('notification shapes: the general one and Point', () => {
  const general = notificationFor(event(), false);
  assert.deepEqual(general, {
    dataId: '123',
    topic: 'payment',
    body: {
      id: 'evt-1',
      live_mode: false,
      type: 'payment',
      date_created: '2024-01-02T03:04:05.000Z',
      user_id: 'user-1',
      api_version: 'v1',
      action: 'payment.created',
      data: { id: '123' },
    },
  });
  assert.equal(notificationUrl('https://shop.example/hook?x=1', general), 'https://shop.example/hook?x=1&data.id=123&type=payment');
  const point = notificationFor(
    event({
      type: 'point_intent.updated',
      object_type: 'point_intent',
      object_id: 'pi-1',
      payload: JSON.stringify({ id: 'pi-1', amount: 1500, state: 'FINISHED', payment: { id: 9, state: 'approved', type: 'credit_card' } }),
    }),
    true,
  );
  assert.equal(point.topic, 'point_integration_wh');
  assert.equal(point.dataId, 'pi-1');
  assert.deepEqual(Object.keys(point.body).sort(), ['additional_info', 'amount', 'caller_id', 'client_id', 'created_at', 'id', 'payment', 'state']);
  assert.deepEqual(point.body.payment, { id: 9, state: 'approved', type: 'credit_card' });
});

test('fan-out targets: subscribed app endpoints, the verified integrator, the payment’s notification_url', () => {
  const endpoint = (over: Partial<WebhookEndpointsTable>): WebhookEndpointsTable => ({
    id: 'e',
    kind: 'app',
    app_id: 'app-1',
    owner_user_id: 'user-1',
    url: 'https://a.example/h',
    description: '',
    event_types: '["*"]',
    secret_enc: 'x',
    enabled: 1,
    verified: 1,
    flagged_at: null,
    flag_reason: null,
    created_at: 0,
    updated_at: 0,
    deleted_at: null,
    ...over,
  });
  const endpoints = [
    endpoint({ id: 'all' }),
    endpoint({ id: 'refunds', event_types: '["refund.*"]' }),
    endpoint({ id: 'other-app', app_id: 'app-2' }),
    endpoint({ id: 'disabled', enabled: 0 }),
    endpoint({ id: 'point', kind: 'integrator', event_types: '["point_intent.*"]' }),
    endpoint({ id: 'point-unverified', kind: 'integrator', app_id: 'app-1', verified: 0, event_types: '["point_intent.*"]' }),
  ];
  const keys = (e: EventRecord) =>
    targetsFor(e, endpoints, 1)
      .map((d) => `${d.target}:${d.target_key.startsWith('url:') ? 'url' : d.target_key}`)
      .sort();
  assert.deepEqual(keys(event()), ['endpoint:all']);
  assert.deepEqual(keys(event({ payload: JSON.stringify({ notification_url: 'https://shop.example/ipn' }) })), ['endpoint:all', 'notification_url:url']);
  assert.deepEqual(keys(event({ payload: JSON.stringify({ notification_url: 'javascript:alert(1)' }) })), ['endpoint:all']);
  assert.deepEqual(keys(event({ type: 'point_intent.updated', object_type: 'point_intent' })), ['endpoint:all', 'integrator:point']);
  assert.deepEqual(keys(event({ app_id: null })), ['endpoint:all', 'endpoint:other-app'], 'an event no app caused goes to every endpoint of the owner’s apps');
  assert.deepEqual(keys(event({ app_id: null, owner_user_id: 'someone-else' })), []);
});

test('SSRF guard: private, loopback, link-local and reserved addresses are refused', () => {
  for (const blocked of [
    '127.0.0.1',
    '10.0.0.5',
    '172.16.3.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::10.0.0.1',
    'not-an-ip',
  ]) {
    assert.ok(isBlockedAddress(blocked), blocked);
  }
  for (const allowed of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.ok(!isBlockedAddress(allowed), allowed);
});

test('SSRF guard: the connect-time lookup refuses a name when any of its addresses is private', async () => {
  const fake = (answers: Record<string, string[]>) => (host: string, cb: (e: NodeJS.ErrnoException | null, a: { address: string; family: number }[]) => void) =>
    cb(
      null,
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  const lookup = guardedLookup(fake({ 'public.example': ['93.184.216.34'], 'rebind.example': ['93.184.216.34', '127.0.0.1'], 'v6.example': ['::1'] }));
  const ask = (host: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => lookup(host, { all }, (error, address) => resolve({ error, address })));
  assert.deepEqual(await ask('public.example', false), { error: null, address: '93.184.216.34' });
  assert.deepEqual((await ask('public.example', true)).address, [{ address: '93.184.216.34', family: 4 }]);
  assert.match(String((await ask('rebind.example', true)).error), /127\.0\.0\.1/);
  assert.match(String((await ask('v6.example', false)).error), /::1/);
  assert.match(String((await ask('nothing.example', false)).error), /no resuelve/);

  assert.equal(await checkTargetUrl('http://127.0.0.1:3000/x', false), undefined, 'sandbox allows local receivers');
  assert.match((await checkTargetUrl('http://127.0.0.1:3000/x', true))!.message, /privada/);
  assert.match((await checkTargetUrl('https://rebind.example/x', true, fake({ 'rebind.example': ['10.0.0.1'] })))!.message, /privada/);
  assert.equal(await checkTargetUrl('https://public.example/x', true, fake({ 'public.example': ['93.184.216.34'] })), undefined);
  assert.match((await checkTargetUrl('https://user:pw@public.example/x', true))!.code, /common\.targetUrlCredentials/);
  assert.match((await checkTargetUrl('file:///etc/passwd', false))!.message, /http/);
});

test('fan-out stores a notification_url normalized (percent-encoded, as it is sent)', () => {
  const event: EventRecord = {
    id: 'ev',
    type: 'payment.created',
    object_type: 'payment',
    object_id: '1',
    owner_user_id: 'u',
    app_id: 'a',
    payload: JSON.stringify({ notification_url: 'HTTPS://Shop.Example/ipn\u0000 x?q=é' }),
    created_at: 0,
  };
  const [target] = targetsFor(event, [], 0);
  assert.equal(target!.url, 'https://shop.example/ipn%00%20x?q=%C3%A9');
  assert.deepEqual(
    targetsFor({ ...event, payload: JSON.stringify({ notification_url: 'https://sho\u0000p.example/' }) }, [], 0),
    [],
    'not a URL at all: no delivery',
  );
});

test('SSRF guard: IPv4 hidden in IPv6 (compatible, SIIT, local NAT64, 6to4) is checked as IPv4', async () => {
  for (const blocked of [
    '::7f00:1',
    '::127.0.0.1',
    '::a00:1',
    '::ffff:0:7f00:1',
    '::ffff:0:127.0.0.1',
    '::ffff:0:a9fe:a9fe',
    '64:ff9b:1::7f00:1',
    '64:ff9b:1::808:808',
    '2002:7f00:1::',
    '2002:a00:1::1',
    '2002:c0a8:101::1',
  ]) {
    assert.ok(isBlockedAddress(blocked), blocked);
  }
  for (const allowed of ['::808:808', '::ffff:0:808:808', '2002:808:808::1', '64:ff9b::808:808', '2001:4860:4860::8888'])
    assert.ok(!isBlockedAddress(allowed), allowed);
  for (const url of [
    'http://[::127.0.0.1]/x',
    'http://[::ffff:0:127.0.0.1]/x',
    'http://[64:ff9b:1::127.0.0.1]/x',
    'http://[2002:7f00:1::]/x',
    'http://localhost./x',
  ]) {
    assert.ok(await checkTargetUrl(url, true), url);
  }
});
