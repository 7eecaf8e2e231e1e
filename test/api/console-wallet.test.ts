// The console's wallet API: the wallet summary (PIN state, test money), payment requests that
// merchants address to a person (listed, paid or declined with the PIN, nobody else's), the
// sandbox top-up for test users only, and movements a page at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { login, PASSWORD, registerPerson } from './core-fixtures.ts';
import { balanceOf, consoleLogin, createRequest, startReceiver, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => (w = world));

async function buyerSession(index: number) {
  const buyer = w.demo.buyers[index]!;
  return { buyer, headers: { 'x-session-token': await consoleLogin(w.server.url, buyer.username, buyer.password) } };
}

const merchantIntent = (id: string) => http(w.server.url, 'GET', `/api/payment-intent/show.json?id=${id}`, { token: w.token });

test('the wallet summary says whether the PIN is set and whether test money may be added', async () => {
  const { headers } = await buyerSession(0);
  const demo = await http(w.server.url, 'GET', '/console/api/wallet', { headers });
  assert.equal(demo.status, 200, demo.text);
  assert.deepEqual(demo.body.pin, { set: true, locked: false });
  assert.equal(demo.body.testTopUp, true, 'a demo buyer is a test user');
  assert.equal(demo.body.wallets[0].currency, 'VES');

  const person = await registerPerson(w.server, { pin: '' });
  const session = await login(w.server, person.username);
  const fresh = await http(w.server.url, 'GET', '/console/api/wallet', { headers: session.headers });
  assert.deepEqual(fresh.body.pin, { set: false, locked: false });
  assert.equal(fresh.body.testTopUp, false, 'a person registered through the console is not a test user');
  const refused = await http(w.server.url, 'POST', '/console/api/sandbox/top-up', { json: { amount: '10.00' }, headers: session.headers });
  assert.equal(refused.status, 403, refused.text);

  const set = await http(w.server.url, 'PUT', '/console/api/pin', { json: { password: PASSWORD, pin: '2468' }, headers: session.headers });
  assert.equal(set.status, 204, set.text);
  assert.deepEqual((await http(w.server.url, 'GET', '/console/api/wallet', { headers: session.headers })).body.pin, { set: true, locked: false });
});

test('a test user adds test money to their own wallet', async () => {
  const { buyer, headers } = await buyerSession(1);
  const before = await balanceOf(w, buyer.username);
  const topUp = await http(w.server.url, 'POST', '/console/api/sandbox/top-up', { json: { amount: '25.50', currency: 'VES' }, headers });
  assert.equal(topUp.status, 200, topUp.text);
  assert.equal(topUp.body.currency, 'VES');
  assert.equal(await balanceOf(w, buyer.username), before + 2550);
  const bad = await http(w.server.url, 'POST', '/console/api/sandbox/top-up', { json: { amount: 'mucho' }, headers });
  assert.equal(bad.status, 400, bad.text);
});

test('a request addressed to a person is listed for them only and paid with their PIN', async () => {
  const { buyer, headers } = await buyerSession(0);
  const other = await buyerSession(1);
  const created = await createRequest(w, buyer.phone, { 'paymentintent[transactions][0][description]': 'Factura de luz' });

  const listed = await http(w.server.url, 'GET', '/console/api/payment-requests', { headers });
  assert.equal(listed.status, 200, listed.text);
  const mine = listed.body.data.find((r: { id: string }) => r.id === created.id);
  assert.ok(mine, 'the request is listed for its recipient');
  assert.equal(mine.amount, '20.00');
  assert.equal(mine.currency, 'VES');
  assert.equal(mine.description, 'Factura de luz');
  assert.equal(mine.merchantName, 'Pepitos House');
  assert.equal(mine.appName, 'Tienda Demo');
  const theirs = await http(w.server.url, 'GET', '/console/api/payment-requests', { headers: other.headers });
  assert.ok(!theirs.body.data.some((r: { id: string }) => r.id === created.id), 'nobody else sees it');

  const stranger = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/pay`, {
    json: { pin: other.buyer.pin },
    headers: other.headers,
  });
  assert.equal(stranger.status, 404, stranger.text);
  const wrong = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/pay`, { json: { pin: '9999' }, headers });
  assert.equal(wrong.status, 400, wrong.text);
  assert.deepEqual(wrong.body.errors.children.pin.errors, ['El PIN de operaciones no es correcto.']);

  const before = await balanceOf(w, buyer.username);
  const paid = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/pay`, { json: { pin: buyer.pin }, headers });
  assert.equal(paid.status, 200, paid.text);
  assert.deepEqual(paid.body, { id: created.id, state: 'executed' });
  assert.equal(await balanceOf(w, buyer.username), before - 2000);
  assert.equal((await merchantIntent(created.id)).body.state, 'executed');
  const after = await http(w.server.url, 'GET', '/console/api/payment-requests', { headers });
  assert.ok(!after.body.data.some((r: { id: string }) => r.id === created.id), 'a paid request is no longer pending');
  const again = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/pay`, { json: { pin: buyer.pin }, headers });
  assert.equal(again.status, 400, again.text);

  const movements = await http(w.server.url, 'GET', '/console/api/movements?limit=5', { headers });
  assert.ok(
    movements.body.data.some((m: { amount: string; description: string }) => m.amount === '-20.00' && m.description.length > 0),
    JSON.stringify(movements.body.data),
  );
});

test('paid in the console, the merchant’s return URL is called server-side after the answer', async () => {
  const receiver = await startReceiver(200, 'recibido');
  try {
    const { buyer, headers } = await buyerSession(0);
    const created = await createRequest(w, buyer.username, { 'paymentintent[redirectUrls][returnUrl]': `${receiver.url}/retorno?orden=9` });
    const paid = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/pay`, { json: { pin: buyer.pin }, headers });
    assert.equal(paid.status, 200, paid.text);
    // Called after the answer: wait until the merchant's intent records it.
    let history: unknown[] = [];
    for (let tries = 0; history.length === 0 && tries < 600; tries++) {
      history = (await merchantIntent(created.id)).body.redirect_urls.history_responses;
      if (history.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(history, [
      { uri: `${receiver.url}/retorno?orden=9&paymentIntent=${created.id}&payerId=${buyer.id}`, method: 'GET', status_code: 200, body: 'recibido' },
    ]);
    assert.equal(receiver.requests.length, 1);
  } finally {
    await receiver.close();
  }
});

test('a request is declined with the PIN; no one else may decline it, not even through the sandbox helper', async () => {
  const { buyer, headers } = await buyerSession(0);
  const created = await createRequest(w, buyer.username);
  const helper = await http(w.server.url, 'POST', `/sandbox/payment-intents/${created.id}/reject`, {
    token: w.token,
    json: { payer: w.demo.buyers[1]!.username },
  });
  assert.equal(helper.status, 403, helper.text);
  assert.equal((await merchantIntent(created.id)).body.state, 'created');

  const noPin = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/reject`, { json: {}, headers });
  assert.equal(noPin.status, 400, noPin.text);
  const declined = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/reject`, { json: { pin: buyer.pin }, headers });
  assert.equal(declined.status, 200, declined.text);
  assert.equal((await merchantIntent(created.id)).body.state, 'rejected');
});

test('movements come a page at a time: every posting once, newest first; a bad cursor is a 400', async () => {
  const payer = await registerPerson(w.server);
  const session = await login(w.server, payer.username);
  const { headers } = await buyerSession(1);
  for (const amount of ['1.00', '2.00', '3.00', '4.00', '5.00']) {
    const sent = await http(w.server.url, 'POST', '/console/api/transfers', { json: { to: payer.username, amount, pin: w.demo.buyers[1]!.pin }, headers });
    assert.equal(sent.status, 201, sent.text);
  }
  const seen: string[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null) {
    const page: { status: number; text: string; body: { data: { id: string; amount: string; createdAt: string }[]; nextCursor: string | null } } = await http(
      w.server.url,
      'GET',
      `/console/api/movements?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { headers: session.headers },
    );
    assert.equal(page.status, 200, page.text);
    seen.push(...page.body.data.map((m) => m.amount));
    cursor = page.body.nextCursor;
    pages++;
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, ['5.00', '4.00', '3.00', '2.00', '1.00']);
  const bad = await http(w.server.url, 'GET', '/console/api/movements?cursor=nada', { headers: session.headers });
  assert.equal(bad.status, 400, bad.text);
});
