// Webhooks over HTTP: the console JSON API (endpoints, secrets shown once, deliveries,
// attempts, replay), the Point integrator webhook with its check, the event stream, and the
// `pasarela listen` / `pasarela trigger` commands against a real server and receiver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { verifySignature } from '../../src/index.ts';
import { renewCredentials } from '../../src/modules/apps/service.ts';
import { appendEvent, type EventType } from '../../src/modules/events/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { startWebhookWorker, type WebhookWorker } from '../../src/workers/webhooks.ts';
import { runCli, spawnCli } from '../cli.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { consoleSession, createMerchant, sleep, startReceiver, type Merchant, type Receiver } from '../webhook-fixtures.ts';

let server: TestServer;
let receiver: Receiver;
let worker: WebhookWorker;

before(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  worker = startWebhookWorker(server.ctx, { settings: { pollMs: 3600_000, timeoutMs: 2000 }, wake: false });
});
after(async () => {
  await worker.stop();
  await receiver.close();
  await server.close();
});

const at = (path: string) => receiver.received.filter((r) => r.path === path);

async function pointEvent(merchant: Merchant, type: EventType, state: string) {
  const now = await server.ctx.clock.now();
  const id = `pi-${Math.random().toString(36).slice(2)}`;
  await inTransaction(server.ctx.store, (tx) =>
    appendEvent(tx, {
      type,
      objectId: id,
      ownerUserId: merchant.user.id,
      appId: merchant.app.id,
      payload: {
        id,
        amount: 1500,
        client_id: merchant.app.client_id,
        caller_id: merchant.user.id,
        created_at: new Date(now).toISOString(),
        state,
        payment: { id: 123, state: 'approved', type: 'credit_card' },
        additional_info: { external_reference: 'ref-1' },
      },
      now,
    }),
  );
  return id;
}

describe('console webhooks API', () => {
  test('endpoints: secret shown once, rotation, validation, deliveries with attempts, replay, tenant isolation', async () => {
    const merchant = await createMerchant(server.ctx);
    const other = await createMerchant(server.ctx);
    const headers = await consoleSession(server.url, merchant);
    const otherHeaders = await consoleSession(server.url, other);
    const base = `/console/api/apps/${merchant.app.id}/webhooks`;

    const bad = await http(server.url, 'POST', base, { headers, json: { url: 'notaurl', eventTypes: ['payment.created', 'Bad Type'] } });
    assert.equal(bad.status, 400, bad.text);
    assert.ok(bad.body.errors.children.url);
    assert.ok(bad.body.errors.children.eventTypes);
    // only the catalogue's types, and patterns that match at least one of them
    for (const eventTypes of [['paymnt.*'], ['payment.creatd'], ['payment.created', 'card.*']]) {
      const refused = await http(server.url, 'POST', base, { headers, json: { url: `${receiver.url}/console`, eventTypes } });
      assert.equal(refused.status, 400, `${eventTypes}: ${refused.text}`);
      assert.deepEqual(Object.keys(refused.body.errors.children), ['eventTypes'], refused.text);
      assert.match(JSON.stringify(refused.body.errors.children.eventTypes), /Tipo de evento desconocido/, refused.text);
    }
    assert.equal((await http(server.url, 'GET', base, { headers })).body.data.length, 0, 'nothing was created');

    const created = await http(server.url, 'POST', base, {
      headers,
      json: { url: `${receiver.url}/console`, eventTypes: ['application.*'], description: 'mi servidor' },
    });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.secret, /^whsec_[0-9a-f]{48}$/);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const endpointId = created.body.endpoint.id;
    assert.deepEqual(created.body.endpoint.eventTypes, ['application.*']);

    const listed = await http(server.url, 'GET', base, { headers });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.data.length, 1);
    assert.doesNotMatch(listed.text, /whsec_/);
    const one = await http(server.url, 'GET', `${base}/${endpointId}`, { headers });
    assert.doesNotMatch(one.text, /whsec_|secret_enc/);

    const rotated = await http(server.url, 'POST', `${base}/${endpointId}/secret`, { headers });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, created.body.secret);
    const secret = rotated.body.secret as string;

    // Another merchant sees none of it.
    assert.equal((await http(server.url, 'GET', base, { headers: otherHeaders })).status, 404);
    assert.equal((await http(server.url, 'GET', `/console/api/apps/${other.app.id}/webhooks/${endpointId}`, { headers: otherHeaders })).status, 404);

    // Renewing the keys is an event; it is delivered signed with the rotated secret.
    const renewed = await http(server.url, 'POST', `/console/api/apps/${merchant.app.id}/credentials/renew`, { headers });
    assert.equal(renewed.status, 200, renewed.text);
    await worker.runOnce();
    const [got] = at('/console');
    assert.ok(got);
    assert.equal(got.body.action, 'application.credentials_renewed');
    assert.ok(verifySignature(got.headers, got.query, secret));
    assert.equal(verifySignature(got.headers, got.query, created.body.secret), false);

    const events = await http(server.url, 'GET', `/console/api/apps/${merchant.app.id}/events`, { headers });
    assert.equal(events.body.data[0].type, 'application.credentials_renewed');
    assert.doesNotMatch(events.text, new RegExp(renewed.body.accessToken));

    const deliveries = await http(server.url, 'GET', `/console/api/apps/${merchant.app.id}/webhook-deliveries?endpointId=${endpointId}`, { headers });
    assert.equal(deliveries.status, 200);
    assert.equal(deliveries.body.data.length, 1);
    const delivery = deliveries.body.data[0];
    assert.equal(delivery.status, 'succeeded');
    assert.equal(delivery.eventType, 'application.credentials_renewed');
    const byType = (type: string) => http(server.url, 'GET', `/console/api/apps/${merchant.app.id}/webhook-deliveries?eventType=${type}`, { headers });
    assert.deepEqual(
      (await byType('application.credentials_renewed')).body.data.map((d: { id: string }) => d.id),
      [delivery.id],
    );
    assert.deepEqual((await byType('payment.created')).body.data, []);
    const detail = await http(server.url, 'GET', `/console/api/apps/${merchant.app.id}/webhook-deliveries/${delivery.id}`, { headers });
    assert.equal(detail.body.delivery.attemptLog.length, 1);
    assert.equal(detail.body.delivery.attemptLog[0].statusCode, 200);
    assert.equal(typeof detail.body.delivery.attemptLog[0].latencyMs, 'number');
    assert.equal((await http(server.url, 'GET', `/console/api/apps/${other.app.id}/webhook-deliveries/${delivery.id}`, { headers: otherHeaders })).status, 404);

    const replay = await http(server.url, 'POST', `/console/api/apps/${merchant.app.id}/webhook-deliveries/${delivery.id}/replay`, { headers });
    assert.equal(replay.status, 202, replay.text);
    assert.equal(replay.body.delivery.status, 'pending');
    await worker.runOnce();
    assert.equal(at('/console').length, 2);
    assert.equal(at('/console')[1]!.body.id, got.body.id);
    const afterReplay = await http(server.url, 'GET', `/console/api/apps/${merchant.app.id}/webhook-deliveries/${delivery.id}`, { headers });
    assert.equal(afterReplay.body.delivery.attemptLog.length, 2);

    const misspelt = await http(server.url, 'PATCH', `${base}/${endpointId}`, { headers, json: { eventTypes: ['aplication.*'] } });
    assert.equal(misspelt.status, 400, misspelt.text);
    const patched = await http(server.url, 'PATCH', `${base}/${endpointId}`, { headers, json: { eventTypes: ['*'], enabled: false } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.endpoint.enabled, false);
    assert.equal((await http(server.url, 'DELETE', `${base}/${endpointId}`, { headers })).status, 204);
    assert.equal((await http(server.url, 'GET', `${base}/${endpointId}`, { headers })).status, 404);
  });
});

describe('a dead receiver', () => {
  test('holds at most two connections and never blocks the API', async () => {
    const hanging = await startReceiver(() => {}); // never answers
    try {
      const merchant = await createMerchant(server.ctx);
      const headers = await consoleSession(server.url, merchant);
      const created = await http(server.url, 'POST', `/console/api/apps/${merchant.app.id}/webhooks`, { headers, json: { url: `${hanging.url}/dead` } });
      assert.equal(created.status, 201);
      for (let i = 0; i < 4; i++) await http(server.url, 'POST', `/console/api/apps/${merchant.app.id}/credentials/renew`, { headers });
      const running = worker.runOnce();
      await hanging.waitFor((r) => r.length === 2, 2000);
      for (const path of ['/healthz', `/console/api/apps/${merchant.app.id}/webhooks`]) {
        const t = Date.now();
        const answer = await http(server.url, 'GET', path, { headers });
        assert.equal(answer.status, 200);
        assert.ok(Date.now() - t < 500, `${path} answered in ${Date.now() - t} ms while deliveries hang`);
      }
      await running; // both attempts time out (2 s)
      assert.equal(hanging.maxInFlight(), 2);
      const list = await http(server.url, 'GET', `/console/api/apps/${merchant.app.id}/webhook-deliveries`, { headers });
      const errors = list.body.data.map((d: { lastError: string | null }) => d.lastError).sort();
      assert.deepEqual(errors, [null, null, 'timeout', 'timeout']);
    } finally {
      await hanging.close();
    }
  });
});

describe('Point integrator webhook', () => {
  test('nothing is sent before the check; the check proves the endpoint answers; then Point notifications arrive signed', async () => {
    const merchant = await createMerchant(server.ctx);
    const headers = await consoleSession(server.url, merchant);
    const token = merchant.accessToken;

    const noAuth = await http(server.url, 'PATCH', '/point/integration-api/integrators', { json: { webhook: `${receiver.url}/point` } });
    assert.equal(noAuth.status, 401);
    const set = await http(server.url, 'PATCH', '/point/integration-api/integrators', { token, json: { webhook: `${receiver.url}/point` } });
    assert.equal(set.status, 204, set.text);
    assert.equal(at('/point').length, 0, 'registering sends nothing');
    const state = await http(server.url, 'GET', '/point/integration-api/integrators', { token });
    assert.deepEqual(state.body, { webhook: `${receiver.url}/point`, verified: false, flagged: false });

    await pointEvent(merchant, 'point_intent.created', 'OPEN');
    await worker.runOnce();
    assert.equal(at('/point').length, 0, 'no deliveries to an unverified integrator webhook');

    receiver.handle((r, res) => void res.writeHead(r.path === '/point' ? 503 : 200).end('no'));
    const failed = await http(server.url, 'POST', '/point/integration-api/integrators/check', { token });
    assert.equal(failed.status, 400, failed.text);
    assert.match(failed.text, /503/);
    receiver.handle((_r, res) => void res.writeHead(200).end('ok'));

    const { body: secretAnswer } = await http(server.url, 'POST', `/console/api/apps/${merchant.app.id}/notification-secret`, { headers });
    const secret = secretAnswer.secret as string;
    const checked = await http(server.url, 'POST', '/point/integration-api/integrators/check', { token });
    assert.equal(checked.status, 204, checked.text);
    const check = at('/point').at(-1)!;
    assert.equal(check.query.get('type'), 'point_integration_wh');
    assert.equal(check.query.get('data.id'), merchant.app.client_id);
    assert.ok(verifySignature(check.headers, check.query, secret));
    const before = at('/point').length;

    const intentId = await pointEvent(merchant, 'point_intent.updated', 'FINISHED');
    await worker.runOnce();
    const notes = at('/point').slice(before);
    assert.equal(notes.length, 1, 'only events after verification are delivered');
    const n = notes[0]!;
    assert.deepEqual(Object.keys(n.body).sort(), ['additional_info', 'amount', 'caller_id', 'client_id', 'created_at', 'id', 'payment', 'state']);
    assert.equal(n.body.id, intentId);
    assert.equal(n.body.amount, 1500);
    assert.equal(n.body.state, 'FINISHED');
    assert.deepEqual(n.body.payment, { id: 123, state: 'approved', type: 'credit_card' });
    assert.equal(n.query.get('data.id'), intentId);
    assert.equal(n.query.get('type'), 'point_integration_wh');
    assert.ok(verifySignature(n.headers, n.query, secret));

    // A new URL must be checked again.
    await http(server.url, 'PATCH', '/point/integration-api/integrators', { token, json: { webhook: `${receiver.url}/point2` } });
    assert.equal((await http(server.url, 'GET', '/point/integration-api/integrators', { token })).body.verified, false);
  });
});

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in: ${out}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

describe('developer tools', () => {
  test('pasarela listen forwards the app’s events signed; pasarela trigger creates them', { timeout: 120_000 }, async () => {
    const merchant = await createMerchant(server.ctx);
    const secret = 'whsec_listen_test';
    const listen = spawnCli(
      ['listen', '--url', server.url, '--token', merchant.accessToken, '--forward-to', `${receiver.url}/listen`, '--secret', secret],
      server.env,
    ).child;
    let stderr = '';
    listen.stderr!.on('data', (c: Buffer) => (stderr += c));
    try {
      await waitForLine(listen, /Listo\./);
      const delivered = waitForLine(listen, /payment\.created .* --> 200/);
      const triggered = await runCli(['trigger', 'payment.created', '--app', merchant.app.client_id], server.env);
      assert.equal(triggered.code, 0, triggered.stderr);
      assert.match(triggered.stdout, /Evento payment\.created creado/);
      const line = await delivered;
      const dataId = /data\.id=(\S+)/.exec(triggered.stdout)![1]!;
      assert.ok(line.includes(dataId), line);
      // a real payment: the app fetches it by data.id
      const payment = await http(server.url, 'GET', `/api/payment/find.json?id=${dataId}`, { token: merchant.accessToken });
      assert.equal(payment.status, 200, payment.text);
      assert.equal(String(payment.body.id), dataId);
      // the sale's own events come first (created, approved, executed), then the payment's
      const got = at('/listen').find((n) => n.body.action === 'payment.created');
      assert.ok(got, JSON.stringify(at('/listen').map((n) => n.body.action)));
      assert.equal(got.body.action, 'payment.created');
      assert.equal(got.query.get('data.id'), dataId);
      assert.ok(verifySignature(got.headers, got.query, secret));

      const unknown = await runCli(['trigger', 'nonsense.happened', '--app', merchant.app.client_id], server.env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /desconocido/);
    } finally {
      listen.kill('SIGTERM');
      await new Promise((r) => listen.once('exit', r));
    }
    assert.equal(stderr.includes('Error'), false, stderr);
  });
});

/** GET /webhooks/events/stream, parsed as it arrives: each notification's SSE id and objectId. */
async function openStream(token: string, lastEventId?: string) {
  const ctl = new AbortController();
  const response = await fetch(`${server.url}/webhooks/events/stream`, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: ctl.signal,
  });
  assert.equal(response.status, 200);
  const got: { id: string; objectId: string }[] = [];
  const kinds: string[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const kind = /^event: (.*)$/m.exec(block)?.[1];
          if (kind) kinds.push(kind);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (kind === 'notification' && data) got.push({ id: /^id: (.*)$/m.exec(block)![1]!, objectId: JSON.parse(data).event.objectId });
        }
      }
      return 'ended' as const;
    } catch {
      return 'aborted' as const;
    }
  })();
  const waitFor = async (predicate: () => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`stream: condition not met within ${timeoutMs} ms (${got.length} events: ${got.slice(-5).map((g) => g.objectId)})`);
      await sleep(25);
    }
  };
  await sleep(300); // connected and past its first poll
  return { got, kinds, ended, waitFor, objectIds: () => got.map((g) => g.objectId), close: () => ctl.abort() };
}

async function appEvent(merchant: Merchant, objectId: string, now?: number) {
  const at = now ?? (await server.ctx.clock.now());
  return inTransaction(server.ctx.store, (tx) =>
    appendEvent(tx, { type: 'payment.created', objectId, ownerUserId: merchant.user.id, appId: merchant.app.id, payload: {}, now: at }),
  );
}

describe('event stream', () => {
  test('an event committed long after its created_at is still streamed', async () => {
    const merchant = await createMerchant(server.ctx);
    const stream = await openStream(merchant.accessToken);
    try {
      const now = await server.ctx.clock.now();
      await appEvent(merchant, 'on-time', now);
      await stream.waitFor(() => stream.got.length === 1);
      await sleep(300);
      await appEvent(merchant, 'late-commit', now - 60_000); // its transaction took `now` a minute ago
      await stream.waitFor(() => stream.got.length === 2);
      assert.deepEqual(stream.objectIds(), ['on-time', 'late-commit']);
    } finally {
      stream.close();
    }
  });

  test('a burst of 600 events with one timestamp is streamed whole, and what follows too', { timeout: 60_000 }, async () => {
    const merchant = await createMerchant(server.ctx);
    const stream = await openStream(merchant.accessToken);
    try {
      const now = await server.ctx.clock.now();
      await inTransaction(server.ctx.store, async (tx) => {
        for (let i = 0; i < 600; i++) {
          await appendEvent(tx, {
            type: 'payout_item.updated',
            objectId: `burst-${i}`,
            ownerUserId: merchant.user.id,
            appId: merchant.app.id,
            payload: {},
            now,
          });
        }
      });
      await stream.waitFor(() => stream.got.length >= 600, 15_000);
      await appEvent(merchant, 'after-burst');
      await stream.waitFor(() => stream.got.length >= 601);
      const ids = stream.objectIds();
      assert.equal(new Set(ids).size, 601, 'no duplicates');
      assert.equal(ids.at(-1), 'after-burst');
    } finally {
      stream.close();
    }
  });

  test('Last-Event-ID resumes strictly after that event; an unknown one replays the recent window', async () => {
    const merchant = await createMerchant(server.ctx);
    const first = await openStream(merchant.accessToken);
    await appEvent(merchant, 'E1');
    await sleep(50);
    await appEvent(merchant, 'E2');
    await first.waitFor(() => first.got.length === 2);
    first.close();
    const last = first.got[1]!.id;

    const resumed = await openStream(merchant.accessToken, last);
    try {
      await sleep(500);
      assert.deepEqual(resumed.objectIds(), [], 'nothing before or at Last-Event-ID is sent again');
      await appEvent(merchant, 'E3');
      await resumed.waitFor(() => resumed.got.length === 1);
      assert.deepEqual(resumed.objectIds(), ['E3']);
    } finally {
      resumed.close();
    }

    const unknown = await openStream(merchant.accessToken, 'no-such-event');
    try {
      await unknown.waitFor(() => unknown.got.length === 3);
      assert.deepEqual(unknown.objectIds(), ['E1', 'E2', 'E3']);
    } finally {
      unknown.close();
    }
  });

  test('the stream ends once its token is revoked, before sending anything newer', async () => {
    const merchant = await createMerchant(server.ctx);
    const stream = await openStream(merchant.accessToken);
    try {
      await appEvent(merchant, 'before-revoke');
      await stream.waitFor(() => stream.got.length === 1);
      await renewCredentials(server.ctx, merchant.user.id, merchant.app.id);
      await appEvent(merchant, 'after-revoke');
      const outcome = await Promise.race([stream.ended, sleep(8000).then(() => 'still open' as const)]);
      assert.equal(outcome, 'ended');
      assert.deepEqual(stream.objectIds(), ['before-revoke']);
    } finally {
      stream.close();
    }
  });
});
