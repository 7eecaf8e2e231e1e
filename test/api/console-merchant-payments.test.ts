// The merchant's payments on the console API: its intents filtered (state, app, dates) and
// searched (id, payment reference) a page at a time; one intent with its state history,
// payment and fee, balanced ledger postings; the annulment within 24 h from the console, which
// reverses every posting; the balance and daily volume; nobody else's intents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { login, operatorSession, registerBusiness } from './core-fixtures.ts';
import { consoleLogin, createRequest, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => (w = world));

type Headers = Record<string, string>;
const merchant = async (): Promise<Headers> => ({ 'x-session-token': await consoleLogin(w.server.url, w.demo.merchant.username, w.demo.merchant.password) });
const get = (path: string, headers: Headers) => http(w.server.url, 'GET', path, { headers });

/** A billing request to the first demo buyer, paid by them in their console. */
async function paidRequest(description: string): Promise<string> {
  const buyer = w.demo.buyers[0]!;
  const created = await createRequest(w, buyer.username, { 'paymentintent[transactions][0][description]': description });
  const headers = { 'x-session-token': await consoleLogin(w.server.url, buyer.username, buyer.password) };
  const paid = await http(w.server.url, 'POST', `/console/api/payment-requests/${created.id}/pay`, { json: { pin: buyer.pin }, headers });
  assert.equal(paid.status, 200, paid.text);
  return created.id;
}

test('the merchant’s intents are filtered by state, app and dates, searched by id or reference, and paged', async () => {
  const headers = await merchant();
  const open = await createRequest(w, w.demo.buyers[1]!.username, { 'paymentintent[transactions][0][description]': 'Pendiente' });
  const paidId = await paidRequest('Pagada');

  const all = await get('/console/api/merchant/intents?limit=2', headers);
  assert.equal(all.status, 200, all.text);
  assert.equal(all.body.data.length, 2);
  assert.equal(all.body.data[0].id, paidId, 'newest first');
  assert.ok(all.body.meta.total >= 2);
  const second = await get('/console/api/merchant/intents?limit=1&page=2', headers);
  assert.deepEqual(
    second.body.data.map((r: { id: string }) => r.id),
    [all.body.data[1].id],
    'page 2 of 1 is the second newest',
  );
  assert.equal(second.body.meta.totalPages, all.body.meta.total);
  const paidRow = all.body.data[0];
  assert.equal(paidRow.state, 'executed');
  assert.equal(paidRow.amount, '20.00');
  assert.equal(paidRow.description, 'Pagada');
  assert.equal(paidRow.payer, 'María Pérez');
  assert.match(paidRow.paymentRef, /^P\d{6}\d{7}$/);

  const ids = async (query: string) => ((await get(`/console/api/merchant/intents?${query}`, headers)).body.data as { id: string }[]).map((r) => r.id);
  assert.ok((await ids('state=executed')).includes(paidId));
  assert.ok(!(await ids('state=executed')).includes(open.id));
  assert.ok((await ids('state=created')).includes(open.id));
  assert.deepEqual(await ids(`q=${paidRow.paymentRef}`), [paidId], 'by payment reference');
  assert.deepEqual(await ids(`q=${paidRow.paymentRef.toLowerCase()}`), [paidId], 'the reference in any case');
  assert.deepEqual(await ids(`q=${open.id}`), [open.id], 'by id');
  assert.deepEqual(await ids('q=P000000000000'), []);
  assert.ok((await ids(`app=${paidRow.appId}`)).includes(paidId));
  assert.deepEqual(await ids('app=otra-app'), []);
  const hour = 3600_000;
  const now = Date.now();
  assert.ok((await ids(`from=${new Date(now - hour).toISOString()}&to=${new Date(now + hour).toISOString()}`)).includes(paidId));
  assert.deepEqual(await ids(`from=${new Date(now + hour).toISOString()}`), []);
  assert.deepEqual(await ids(`to=${new Date(now - 24 * hour).toISOString()}`), []);

  const badState = await get('/console/api/merchant/intents?state=pagada', headers);
  assert.equal(badState.status, 400, badState.text);
  const badDate = await get('/console/api/merchant/intents?from=ayer', headers);
  assert.equal(badDate.status, 400, badDate.text);
  assert.deepEqual(badDate.body.errors.children.from.errors, ['La fecha no es válida.']);
  const backwards = await get(`/console/api/merchant/intents?from=${new Date(now).toISOString()}&to=${new Date(now - hour).toISOString()}`, headers);
  assert.equal(backwards.status, 400, backwards.text);

  // Another business sees none of them.
  const other = await login(w.server, (await registerBusiness(w.server)).username);
  assert.equal((await get('/console/api/merchant/intents', other.headers)).body.meta.total, 0);
  assert.equal((await get(`/console/api/merchant/intents/${paidId}`, other.headers)).status, 404);
  const stranger = await http(w.server.url, 'POST', `/console/api/merchant/intents/${paidId}/annul`, { headers: other.headers });
  assert.equal(stranger.status, 404, stranger.text);
});

test('one intent shows its history, payment, fee and balanced postings; annulled within 24 h, every posting is reversed', async () => {
  const operator = await operatorSession(w.server);
  const fee = await http(w.server.url, 'PUT', '/console/api/operator/fees', {
    json: { operation: 'request', currency: 'VES', percent: '2.5', fixed: '0' },
    headers: operator.headers,
  });
  assert.equal(fee.status, 200, fee.text);
  const headers = await merchant();
  const before = await get('/console/api/merchant/summary', headers);
  const todayOf = (body: { volume: { date: string; amount: string }[] }) => body.volume.at(-1)!;
  const id = await paidRequest('Con comisión');

  const shown = await get(`/console/api/merchant/intents/${id}`, headers);
  assert.equal(shown.status, 200, shown.text);
  const d = shown.body;
  assert.deepEqual(
    d.history.map((h: { state: string }) => h.state),
    ['created', 'executed'],
  );
  assert.equal(d.payment.amount, '20.00');
  assert.equal(d.payment.fee, '0.50');
  assert.equal(d.payment.net, '19.50');
  assert.equal(d.payment.state, 'finished');
  assert.ok(d.annulUntil, 'annullable for 24 h');
  const sum = (postings: { amount: string }[]) => postings.reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0);
  assert.equal(sum(d.postings), 0, 'balanced');
  assert.deepEqual(
    d.postings.map((p: { owner: { username: string } | null; systemCode: string | null; amount: string }) => [p.owner?.username ?? p.systemCode, p.amount]),
    [
      [w.demo.buyers[0]!.username, '-20.00'],
      [w.demo.merchant.username, '19.50'],
      ['platform_fees', '0.50'],
    ],
  );
  assert.equal(d.transactions[0].items.length, 2);

  const summary = await get('/console/api/merchant/summary', headers);
  assert.equal(summary.status, 200, summary.text);
  assert.equal(summary.body.volume.length, 30);
  assert.equal(Math.round(Number(todayOf(summary.body).amount) * 100) - Math.round(Number(todayOf(before.body).amount) * 100), 2000);
  const totalOf = (body: { totals: { currency: string; count: number }[] }) => body.totals.find((x) => x.currency === 'VES')?.count ?? 0;
  assert.equal(totalOf(summary.body) - totalOf(before.body), 1, 'one more payment in the span');
  assert.ok(summary.body.wallets.some((wallet: { currency: string }) => wallet.currency === 'VES'));

  const annulled = await http(w.server.url, 'POST', `/console/api/merchant/intents/${id}/annul`, { headers });
  assert.equal(annulled.status, 200, annulled.text);
  assert.equal(annulled.body.state, 'annulled');
  assert.equal(annulled.body.payment.state, 'canceled');
  assert.equal(annulled.body.annulUntil, null);
  assert.deepEqual(
    annulled.body.history.map((h: { state: string }) => h.state),
    ['created', 'executed', 'annulled'],
  );
  const reversal = annulled.body.postings.filter((p: { entry: string }) => p.entry === 'annulment');
  assert.deepEqual(
    reversal.map((p: { amount: string }) => p.amount),
    ['20.00', '-19.50', '-0.50'],
  );
  const again = await http(w.server.url, 'POST', `/console/api/merchant/intents/${id}/annul`, { headers });
  assert.equal(again.status, 400, again.text);
  assert.deepEqual(again.body.errors.errors, ['La intención de pago ya fue anulada.']);
  const after = await get('/console/api/merchant/summary', headers);
  assert.equal(todayOf(after.body).amount, todayOf(before.body).amount, 'an annulled payment is no volume');

  const open = await createRequest(w, w.demo.buyers[1]!.username);
  const notPaid = await http(w.server.url, 'POST', `/console/api/merchant/intents/${open.id}/annul`, { headers });
  assert.equal(notPaid.status, 400, notPaid.text);
  assert.deepEqual(notPaid.body.errors.errors, ['Solo puede anularse una intención de pago ejecutada.']);
});
