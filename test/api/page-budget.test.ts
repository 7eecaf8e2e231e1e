// Answer sizes are bounded: intents at every creation maximum (the heaviest characters JSON
// allows there: 3 bytes each) make a page of 100 in the intents list that stays under the
// documented byte budget, and one full intent (`show`) under its own. Limits past the maxima
// are refused at creation. (A probe once built a 37.6 MB page from 100 maximal intents.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INTENT_LIMITS } from '../../src/modules/wallet-intents/model.ts';
import { INTENT_PAGE_BUDGET_BYTES, INTENT_SHOW_BUDGET_BYTES } from '../../src/http/wallet-api/intent-routes.ts';
import type { Kysely } from 'kysely';
import { backfillIntentSummaries } from '../../src/store/migrations/013_intent_summaries.ts';
import { http } from '../helpers.ts';
import { approve, executeSale, maximalIntent, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

test('a page of 100 maximal intents stays under the byte budget; show carries the full intent', { timeout: 240_000 }, async () => {
  const buyer = w.demo.buyers[0]!;
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    const kind = i % 2 === 0 ? 'sale' : 'request';
    const created = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: maximalIntent(kind, buyer.username) });
    assert.equal(created.status, 200, created.text.slice(0, 300));
    ids.push(created.body.id);
    // Executed sales also carry their payer and a related resource per transaction.
    if (kind === 'sale' && i % 10 === 0) {
      assert.equal((await approve(w, created.body.id, buyer.username)).status, 200);
      assert.equal((await executeSale(w, created.body.id, buyer.id)).status, 200);
    }
  }
  const page = await fetch(`${w.server.url}/api/payment-intent/.json?maxPerPage=100`, { headers: { authorization: `Bearer ${w.token}` } });
  const bytes = Buffer.from(await page.arrayBuffer());
  assert.equal(page.status, 200);
  const body = JSON.parse(bytes.toString('utf8'));
  assert.equal(body.data.length, 100);
  process.stderr.write(`intents page: ${bytes.length} bytes for 100 maximal intents (budget ${INTENT_PAGE_BUDGET_BYTES})\n`);
  assert.ok(bytes.length <= INTENT_PAGE_BUDGET_BYTES, `${bytes.length} bytes > ${INTENT_PAGE_BUDGET_BYTES}`);
  // A summary: no items, distributions or call history; the totals and links are there.
  for (const entry of body.data) {
    assert.equal(entry.transactions[0].items, undefined);
    assert.equal(entry.transactions[0].distributions, undefined);
    assert.equal(entry.redirect_urls.history_responses, undefined);
    assert.ok(entry.total && entry._links.self.href);
  }
  let largest = 0;
  for (const id of [ids[0]!, ids[1]!]) {
    const show = await fetch(`${w.server.url}/api/payment-intent/show.json?id=${id}`, { headers: { authorization: `Bearer ${w.token}` } });
    const full = Buffer.from(await show.arrayBuffer());
    const intent = JSON.parse(full.toString('utf8'));
    assert.equal(
      intent.transactions.reduce((n: number, t: { items: unknown[] }) => n + t.items.length, 0),
      INTENT_LIMITS.items,
    );
    largest = Math.max(largest, full.length);
  }
  process.stderr.write(`one full intent: ${largest} bytes (budget ${INTENT_SHOW_BUDGET_BYTES})\n`);
  assert.ok(largest <= INTENT_SHOW_BUDGET_BYTES, `${largest} bytes > ${INTENT_SHOW_BUDGET_BYTES}`);
});

test('past any maximum, creation is refused with the field named', async () => {
  const buyer = w.demo.buyers[0]!;
  const cases: [string, (form: any) => void, string[]][] = [
    ['one item too many', (f) => f.paymentintent.transactions[9].items.push({ name: 'x', price: '0.01' }), ['transactions', '9', 'items']],
    [
      'a name one character too long',
      (f) => (f.paymentintent.transactions[0].items[0].name = 'n'.repeat(INTENT_LIMITS.itemNameChars + 1)),
      ['transactions', '0', 'items', '0', 'name'],
    ],
    [
      'a sku one character too long',
      (f) => (f.paymentintent.transactions[0].items[0].sku = 's'.repeat(INTENT_LIMITS.skuChars + 1)),
      ['transactions', '0', 'items', '0', 'sku'],
    ],
    [
      'a description one character too long',
      (f) => (f.paymentintent.transactions[1].description = 'd'.repeat(INTENT_LIMITS.descriptionChars + 1)),
      ['transactions', '1', 'description'],
    ],
    [
      'an invoice number one character too long',
      (f) => (f.paymentintent.transactions[1].invoiceNumber = 'i'.repeat(INTENT_LIMITS.invoiceNumberChars + 1)),
      ['transactions', '1', 'invoiceNumber'],
    ],
    ['a control character in a name', (f) => (f.paymentintent.transactions[0].items[0].name = 'a\u0001b'), ['transactions', '0', 'items', '0', 'name']],
    ['an escape character in a description', (f) => (f.paymentintent.transactions[0].description = 'a\u001bb'), ['transactions', '0', 'description']],
    [
      'a return URL one character too long',
      (f) => (f.paymentintent.redirectUrls.returnUrl = 'https://example.com/' + 'u'.repeat(INTENT_LIMITS.urlChars)),
      ['redirectUrls', 'returnUrl'],
    ],
  ];
  for (const [label, change, path] of cases) {
    const form = maximalIntent('sale', buyer.username);
    change(form);
    const answer = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: form });
    assert.equal(answer.status, 400, `${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
    let node = answer.body.errors;
    for (const segment of path) node = node?.children?.[segment];
    assert.ok(node?.errors?.length, `${label}: no error at ${path.join('.')}: ${answer.text.slice(0, 400)}`);
  }
  // Tabs and line breaks in a description are text, not control noise.
  const fine = maximalIntent('sale', buyer.username);
  fine.paymentintent.transactions[0]!.description = 'línea 1\nlínea 2\tcon tabulador';
  assert.equal((await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: fine })).status, 200);
});

test('intents stored before list summaries existed (backfilled by migration 013) list exactly as new ones', async () => {
  const buyer = w.demo.buyers[0]!;
  for (const kind of ['sale', 'request'] as const) {
    const form = maximalIntent(kind, buyer.username);
    form.paymentintent.transactions[1]!.description = 'línea 1\nlínea 2 "entre comillas" \\ ✓';
    assert.equal((await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, json: form })).status, 200);
  }
  const page = async () => (await http(w.server.url, 'GET', '/api/payment-intent/.json?maxPerPage=100', { token: w.token })).text;
  const written = await page();
  const { db, dialect } = w.server.ctx.store;
  // As before the migration: no summary stored; then the migration's backfill.
  await db.updateTable('payment_intents').set({ summary: '[]' }).execute();
  assert.notEqual(await page(), written);
  await backfillIntentSummaries(db as unknown as Kysely<unknown>, dialect);
  assert.equal(await page(), written);
});
