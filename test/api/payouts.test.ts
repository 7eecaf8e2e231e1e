// Bulk payouts ("dispersión") over real HTTP: the contract's register-item in its three
// encodings, validation, permission, submit (debit of items + fees, exactly once), settlement
// on the deployment clock, failures with refunds, and the operator's CSV bank file and answer.
// Runs on the configured database: `npm test -- payouts`, `TEST_DB=postgres npm test -- payouts`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { setFeeRule } from '../../src/modules/fees/service.ts';
import { verifyLedger } from '../../src/modules/ledger/service.ts';
import { issueAffiliationCodes, registerUser } from '../../src/modules/identity/users.ts';
import { refDay } from '../../src/kernel/refs.ts';
import { startPayoutSettlement } from '../../src/workers/payout-settlement.ts';
import { getPayoutBatch, settleDuePayouts, transitionPayoutItem } from '../../src/modules/payouts/index.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';

const REGISTER = '/api/multipayment/register-item.json';
const DOCUMENTED_ACCOUNT = '01050000000000000000';
const BANK_NOT_FOUND = 'No se ha encontrado un banco para el numero de cuenta ingresado';

interface World {
  server: TestServer;
  demo: DemoDocument;
  token: string;
  appId: string;
  merchant: Record<string, string>;
  operator: Record<string, string>;
}

/** A server, the demo merchant with an OAuth token (urn:client_apps), console sessions, and payouts enabled. */
async function world(options: { enablePayouts?: boolean } = {}): Promise<World> {
  const server = await startTestServer();
  const demo = await ensureDemo(server.ctx);
  const token = await http(server.url, 'POST', '/oauth/v2/token', {
    form: { grant_type: 'urn:client_apps', client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret },
  });
  assert.equal(token.status, 200, token.text);
  const merchant = await sessionHeaders(server, demo.merchant.username, demo.merchant.password);
  const operator = await sessionHeaders(server, demo.operator.username, demo.operator.password);
  const apps = await http(server.url, 'GET', '/console/api/apps', { headers: merchant });
  const appId = apps.body.data[0].id as string;
  // The demo app comes with every permission; a test of the permission itself starts without it.
  const payouts = options.enablePayouts !== false;
  const set = await http(server.url, 'PATCH', `/console/api/apps/${appId}/permissions`, { headers: merchant, json: { payouts } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.app.permissions.payouts, payouts);
  return { server, demo, token: token.body.access_token, appId, merchant, operator };
}

async function sessionHeaders(server: TestServer, login: string, password: string): Promise<Record<string, string>> {
  const answer = await http(server.url, 'POST', '/console/api/session', { json: { login, password } });
  assert.equal(answer.status, 200, answer.text);
  return { 'x-session-token': answer.body.sessionToken };
}

function itemFields(item: {
  reference?: string;
  nameAccount?: string;
  identificationNumber?: string;
  bankAccount?: string;
  amount?: string;
}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(item)) if (v !== undefined) out[`multi_payment_item[${k}]`] = v;
  return out;
}

const EXAMPLE = { reference: '123456', nameAccount: 'Pedro Perez', identificationNumber: 'j54637469', bankAccount: DOCUMENTED_ACCOUNT, amount: '150.75' };

async function registerJson(w: World, type: string, item: Record<string, unknown>) {
  return http(w.server.url, 'POST', `${REGISTER}?type=${type}`, { token: w.token, json: { multi_payment_item: item } });
}

async function fund(w: World, amount: string) {
  const funded = await http(w.server.url, 'POST', '/sandbox/wallets/fund', {
    token: w.token,
    json: { account: w.demo.merchant.username, amount, currency: 'VES' },
  });
  assert.equal(funded.status, 200, funded.text);
}

async function walletMinor(w: World): Promise<number> {
  const me = await http(w.server.url, 'GET', '/console/api/me', { headers: w.merchant });
  const ves = me.body.wallets.find((x: { currency: string }) => x.currency === 'VES');
  return ves.balanceMinor as number;
}

async function systemMinor(w: World, code: string): Promise<number> {
  const row = await w.server.ctx.store.db.selectFrom('accounts').select('balance_minor').where('key', '=', `system:${code}:VES`).executeTakeFirst();
  return row ? Number(row.balance_minor) : 0;
}

async function pendingBatch(w: World) {
  const list = await http(w.server.url, 'GET', '/console/api/payout-batches?state=pending_upload', { headers: w.merchant });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.body.data.length <= 1, 'at most one batch pending upload');
  return list.body.data[0] as { id: string; itemCount: number; total: string } | undefined;
}

/** Events of `type` (`payout_item.created` / `payout_item.updated`), optionally with this payload status. */
async function events(w: World, type: string, status?: string): Promise<number> {
  const rows = await w.server.ctx.store.db.selectFrom('events').select(['payload', 'object_type', 'object_id']).where('type', '=', type).execute();
  for (const row of rows) {
    assert.equal(row.object_type, 'payout_item');
    assert.match(row.object_id, /^MP\d{11}$/);
  }
  return rows.filter((r) => status === undefined || JSON.parse(r.payload).status === status).length;
}

test('register-item: the documented curl -F example, urlencoded and JSON; refs MP+yymmdd+sequence; one batch pending upload', async () => {
  const w = await world({ enablePayouts: false });
  try {
    // Without the app's payouts permission: 403; without a token: 401.
    const form = new FormData();
    for (const [k, v] of Object.entries(itemFields(EXAMPLE))) form.set(k, v);
    const forbidden = await http(w.server.url, 'POST', `${REGISTER}?type=DISPERSION`, { token: w.token, multipart: form });
    assert.equal(forbidden.status, 403, forbidden.text);
    assert.deepEqual(Object.keys(forbidden.body).sort(), ['code', 'message']);
    assert.match(forbidden.body.message, /pagos masivos/);
    const anonymous = await http(w.server.url, 'POST', `${REGISTER}?type=DISPERSION`, { form: itemFields(EXAMPLE) });
    assert.equal(anonymous.status, 401);

    const enabled = await http(w.server.url, 'PATCH', `/console/api/apps/${w.appId}/permissions`, { headers: w.merchant, json: { payouts: true } });
    assert.equal(enabled.status, 200, enabled.text);

    // curl -X POST '…/api/multipayment/register-item.json?type=DISPERSION' -H 'Authorization: Bearer …' -F 'multi_payment_item[reference]=123456' …
    const multipart = await http(w.server.url, 'POST', `${REGISTER}?type=DISPERSION`, { token: w.token, multipart: form });
    assert.equal(multipart.status, 200, multipart.text);
    const day = refDay(await w.server.ctx.clock.now());
    assert.deepEqual(multipart.body, { ref: `MP${day}00001`, identification_number: 'j54637469', status: 'APPROVED' });

    const urlencoded = await http(w.server.url, 'POST', `${REGISTER}?type=DISPERSION_INSTANT_INTERBANK`, {
      token: w.token,
      form: itemFields({ ...EXAMPLE, reference: 'pago-2', bankAccount: '01340032610321098765', identificationNumber: 'V12345678', amount: '20' }),
    });
    assert.equal(urlencoded.status, 200, urlencoded.text);
    assert.deepEqual(urlencoded.body, { ref: `MP${day}00002`, identification_number: 'V12345678', status: 'APPROVED' });

    // JSON: amount as a number too.
    const json = await registerJson(w, 'DISPERSION', { ...EXAMPLE, reference: 'pago-3', bankAccount: '01910047142147001234', amount: 7.5 });
    assert.equal(json.status, 200, json.text);
    assert.deepEqual(json.body, { ref: `MP${day}00003`, identification_number: 'j54637469', status: 'APPROVED' });

    // Other realistic accounts of several banks are accepted.
    for (const [i, account] of ['01020501830000123456', '01080099410100012345', '0105-0054-12-1054123456'].entries()) {
      const answer = await registerJson(w, 'DISPERSION', { ...EXAMPLE, reference: `otra-${i}`, bankAccount: account });
      assert.equal(answer.status, 200, answer.text);
    }

    const batch = await pendingBatch(w);
    assert.ok(batch);
    assert.equal(batch.itemCount, 6);
    assert.equal(batch.total, '630.50'); // 150.75 + 20 + 7.50 + 3 × 150.75
    const shown = await http(w.server.url, 'GET', `/console/api/payout-batches/${batch.id}`, { headers: w.merchant });
    assert.equal(shown.status, 200);
    assert.equal(shown.body.batch.state, 'pending_upload');
    const [first, second] = shown.body.batch.items;
    assert.equal(first.ref, `MP${day}00001`);
    assert.equal(first.type, 'DISPERSION');
    assert.equal(first.status, 'APPROVED');
    assert.equal(first.bankCode, '0105');
    assert.equal(first.bankName, 'Mercantil');
    assert.equal(first.amount, '150.75');
    assert.equal(first.nameAccount, 'Pedro Perez');
    assert.equal(second.type, 'DISPERSION_INSTANT_INTERBANK');
    assert.equal(second.bankName, 'Banesco');
    assert.equal(shown.body.batch.items[5].bankAccount, '01050054121054123456');
    assert.equal(await events(w, 'payout_item.created'), 6);
  } finally {
    await w.server.close();
  }
});

test('register-item: every validation error in the contract tree under multi_payment_item; nothing is created', async () => {
  const w = await world();
  try {
    const tree = (answer: { status: number; body: any }) => {
      assert.equal(answer.status, 400);
      assert.equal(answer.body.code, 400);
      assert.equal(answer.body.message, 'Validation Failed');
      assert.ok(Array.isArray(answer.body.errors.errors));
      return answer.body.errors as { errors: string[]; children: Record<string, { errors?: string[] }> };
    };

    const unknownBank = tree(await registerJson(w, 'DISPERSION', { ...EXAMPLE, bankAccount: '99990000000000000000' }));
    assert.deepEqual(unknownBank.children, { bankAccount: { errors: [BANK_NOT_FOUND] } });
    assert.deepEqual(unknownBank.errors, []);

    const empty = tree(await http(w.server.url, 'POST', `${REGISTER}?type=DISPERSION`, { token: w.token, form: { 'multi_payment_item[reference]': '' } }));
    for (const field of ['reference', 'nameAccount', 'identificationNumber', 'bankAccount', 'amount']) {
      assert.deepEqual(empty.children[field], { errors: ['Este valor no debería estar vacío.'] }, field);
    }
    const noBody = tree(await http(w.server.url, 'POST', `${REGISTER}?type=DISPERSION`, { token: w.token }));
    assert.equal(Object.keys(noBody.children).length, 5);

    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ bankAccount: '0105000000000000000' }, 'bankAccount', /20 dígitos/],
      [{ bankAccount: '0105000000000000000X' }, 'bankAccount', /20 dígitos/],
      [{ bankAccount: '01030000000000000000' }, 'bankAccount', new RegExp(BANK_NOT_FOUND)],
      [{ identificationNumber: '54637469' }, 'identificationNumber', /V, E, J, G o P/],
      [{ identificationNumber: 'X54637469' }, 'identificationNumber', /V, E, J, G o P/],
      [{ amount: '10.555' }, 'amount', /máximo 2 decimales/],
      [{ amount: '0' }, 'amount', /mayor que cero/],
      [{ amount: '-3' }, 'amount', /mayor que cero/],
      [{ amount: 'diez' }, 'amount', /no es válido/],
      [{ nameAccount: '=cmd|calc' }, 'nameAccount', /caracteres no permitidos/],
      [{ nameAccount: 'x'.repeat(101) }, 'nameAccount', /demasiado largo/],
      [{ reference: 'r'.repeat(101) }, 'reference', /demasiado largo/],
    ];
    for (const [change, field, message] of cases) {
      const errors = tree(await registerJson(w, 'DISPERSION', { ...EXAMPLE, ...change }));
      assert.deepEqual(Object.keys(errors.children), [field], JSON.stringify(change));
      assert.match(errors.children[field]!.errors![0]!, message);
    }

    // The type query parameter: missing or unknown → a form-level error.
    for (const query of ['', '?type=', '?type=TRANSFER', '?type=dispersion']) {
      const answer = await http(w.server.url, 'POST', `${REGISTER}${query}`, { token: w.token, json: { multi_payment_item: EXAMPLE } });
      const errors = tree(answer);
      assert.deepEqual(errors.errors, ['El tipo debe ser DISPERSION o DISPERSION_INSTANT_INTERBANK.'], query);
    }
    // Several problems at once are all reported.
    const many = tree(await registerJson(w, 'BAD', { ...EXAMPLE, bankAccount: '1', amount: '' }));
    assert.equal(many.errors.length, 1);
    assert.deepEqual(Object.keys(many.children).sort(), ['amount', 'bankAccount']);
    // Wrong method on the path → 405.
    assert.equal((await http(w.server.url, 'GET', REGISTER, { token: w.token })).status, 405);

    assert.equal(await pendingBatch(w), undefined, 'no batch was opened by refused items');
    assert.equal(await events(w, 'payout_item.created'), 0);
  } finally {
    await w.server.close();
  }
});

test('submit debits the wallet for items + fees exactly once; the ledger agrees; a new item opens a new batch', async () => {
  const w = await world();
  try {
    await setFeeRule(w.server.ctx, { operation: 'payout_dispersion', currency: 'VES', percent: '1.5', fixed: '2.00' });
    await setFeeRule(w.server.ctx, { operation: 'payout_instant', currency: 'VES', percent: '2', fixed: '5.00' });
    await fund(w, '5000.00');
    assert.equal((await registerJson(w, 'DISPERSION', { ...EXAMPLE, amount: '1000.00' })).status, 200);
    assert.equal((await registerJson(w, 'DISPERSION_INSTANT_INTERBANK', { ...EXAMPLE, reference: 'b', amount: '250.50' })).status, 200);
    assert.equal((await registerJson(w, 'DISPERSION', { ...EXAMPLE, reference: 'c', amount: '0.10' })).status, 200);
    // fees: 1000.00 → 15.00 + 2.00 = 17.00; 250.50 → 5.01 + 5.00 = 10.01; 0.10 → 0.00 (half-up of 0.0015) + 2.00 = 2.00
    const batch = (await pendingBatch(w))!;
    const pending = await http(w.server.url, 'GET', `/console/api/payout-batches/${batch.id}`, { headers: w.merchant });
    assert.equal(pending.body.batch.fee, '29.01');
    assert.equal(pending.body.batch.feeIsEstimate, true);
    assert.equal(pending.body.batch.totalCharged, '1279.61');

    const before = await walletMinor(w);
    const submitted = await http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant });
    assert.equal(submitted.status, 200, submitted.text);
    const b = submitted.body.batch;
    assert.equal(b.state, 'submitted');
    assert.equal(b.total, '1250.60');
    assert.equal(b.fee, '29.01');
    assert.equal(b.totalCharged, '1279.61');
    assert.equal(b.feeIsEstimate, false);
    assert.deepEqual(b.counts, { APPROVED: 0, PROCESSING: 3, PAID: 0, FAILED: 0 });
    assert.deepEqual(
      b.items.map((i: { fee: string }) => i.fee),
      ['17.00', '10.01', '2.00'],
    );
    for (const item of b.items) assert.ok(item.submittedAt && item.settleAfter);

    assert.equal(before - (await walletMinor(w)), 127961);
    assert.equal(await systemMinor(w, 'payout_clearing'), 125060);
    assert.equal(await systemMinor(w, 'platform_fees'), 2901);
    assert.deepEqual(await verifyLedger(w.server.ctx.store), []);
    assert.equal(await events(w, 'payout_item.updated', 'PROCESSING'), 3);
    const entries = await w.server.ctx.store.db.selectFrom('journal_entries').select(['id', 'kind']).where('reference_id', '=', batch.id).execute();
    assert.deepEqual(
      entries.map((e) => e.kind),
      ['payout_batch'],
    );

    // Submitting again is refused and charges nothing.
    const again = await http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant });
    assert.equal(again.status, 400);
    assert.deepEqual(again.body.errors.errors, ['El lote ya fue enviado.']);
    assert.equal(before - (await walletMinor(w)), 127961);

    // The next item goes to a new batch pending upload.
    const next = await registerJson(w, 'DISPERSION', { ...EXAMPLE, reference: 'd' });
    assert.equal(next.status, 200);
    const newBatch = (await pendingBatch(w))!;
    assert.notEqual(newBatch.id, batch.id);
    assert.equal(newBatch.itemCount, 1);

    // Another merchant sees none of it (404, never 403).
    const codes = await issueAffiliationCodes(w.server.ctx);
    await registerUser(w.server.ctx, {
      type: 'business',
      username: 'otro-comercio',
      password: 'clave-segura-1',
      pin: '4321',
      email: 'otro@example.com',
      phone: '584125559999',
      identification: 'J299999999',
      name: 'Otro Comercio',
      affiliationCode: codes.regular,
    });
    const other = await sessionHeaders(w.server, 'otro-comercio', 'clave-segura-1');
    assert.equal((await http(w.server.url, 'GET', `/console/api/payout-batches/${batch.id}`, { headers: other })).status, 404);
    assert.equal((await http(w.server.url, 'POST', `/console/api/payout-batches/${newBatch.id}/submit`, { headers: other })).status, 404);
    assert.deepEqual((await http(w.server.url, 'GET', '/console/api/payout-batches', { headers: other })).body.data, []);
    assert.equal((await http(w.server.url, 'GET', '/console/api/payout-batches', { headers: w.merchant })).body.data.length, 2);
  } finally {
    await w.server.close();
  }
});

test('insufficient funds: 400 "Saldo insuficiente…" and nothing changes', async () => {
  const w = await world();
  try {
    await setFeeRule(w.server.ctx, { operation: 'payout_dispersion', currency: 'VES', percent: '0', fixed: '1.00' });
    await fund(w, '100.00');
    assert.equal((await registerJson(w, 'DISPERSION', { ...EXAMPLE, amount: '99.50' })).status, 200);
    const batch = (await pendingBatch(w))!;
    const before = await walletMinor(w);
    const answer = await http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.message, 'Validation Failed');
    assert.match(answer.body.errors.errors[0], /^Saldo insuficiente/);
    assert.equal(await walletMinor(w), before);
    const still = await http(w.server.url, 'GET', `/console/api/payout-batches/${batch.id}`, { headers: w.merchant });
    assert.equal(still.body.batch.state, 'pending_upload');
    assert.equal(still.body.batch.items[0].status, 'APPROVED');
    assert.equal(await events(w, 'payout_item.updated', 'PROCESSING'), 0);
    assert.equal(await systemMinor(w, 'payout_clearing'), 0);
    assert.deepEqual(await verifyLedger(w.server.ctx.store), []);
    // With 0.50 more it goes through (99.50 + 1.00 fee = 100.50).
    await fund(w, '0.50');
    const ok = await http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(await walletMinor(w), 0);
  } finally {
    await w.server.close();
  }
});

test('concurrency: a batch submitted many times at once is charged once; concurrent items get unique refs in one batch', async () => {
  const w = await world();
  try {
    await setFeeRule(w.server.ctx, { operation: 'payout_instant', currency: 'VES', percent: '1', fixed: '0' });
    await fund(w, '10000.00');
    const registered = await Promise.all(
      Array.from({ length: 20 }, (_, i) => registerJson(w, 'DISPERSION_INSTANT_INTERBANK', { ...EXAMPLE, reference: `c-${i}`, amount: '10.00' })),
    );
    for (const r of registered) assert.equal(r.status, 200, r.text);
    const refs = registered.map((r) => r.body.ref as string);
    assert.equal(new Set(refs).size, 20);
    const day = refDay(await w.server.ctx.clock.now());
    assert.deepEqual(
      [...refs].sort(),
      Array.from({ length: 20 }, (_, i) => `MP${day}${String(i + 1).padStart(5, '0')}`),
    );
    const batch = (await pendingBatch(w))!;
    assert.equal(batch.itemCount, 20);
    assert.equal(batch.total, '200.00');

    const before = await walletMinor(w);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant })),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 400, 400, 400, 400, 400], answers.map((a) => a.text).join('\n'));
    for (const a of answers.filter((x) => x.status === 400)) assert.deepEqual(a.body.errors.errors, ['El lote ya fue enviado.']);
    assert.equal(before - (await walletMinor(w)), 20000 + 200); // items + 1 % fee, once
    const debits = await w.server.ctx.store.db.selectFrom('journal_entries').select('id').where('kind', '=', 'payout_batch').execute();
    assert.equal(debits.length, 1);
    assert.equal(await events(w, 'payout_item.updated', 'PROCESSING'), 20);
    assert.deepEqual(await verifyLedger(w.server.ctx.store), []);

    // Items registered while a submit runs land in this batch (before) or a new one (after), never lost.
    const racing = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => registerJson(w, 'DISPERSION', { ...EXAMPLE, reference: `r-${i}`, amount: '1.00' })),
      (async () => {
        const b = await pendingBatch(w);
        return b ? http(w.server.url, 'POST', `/console/api/payout-batches/${b.id}/submit`, { headers: w.merchant }) : undefined;
      })(),
    ]);
    for (const r of racing.slice(0, 5)) assert.equal(r!.status, 200);
    const all = await w.server.ctx.store.db.selectFrom('payout_items').select(['state', 'batch_id']).where('reference', 'like', 'r-%').execute();
    assert.equal(all.length, 5);
    const batches = await w.server.ctx.store.db.selectFrom('payout_batches').selectAll().execute();
    for (const b of batches) {
      const items = await w.server.ctx.store.db.selectFrom('payout_items').select(['amount_minor', 'state']).where('batch_id', '=', b.id).execute();
      assert.equal(items.length, b.item_count);
      assert.equal(
        items.reduce((s, i) => s + Number(i.amount_minor), 0),
        Number(b.total_minor),
      );
      for (const i of items) assert.equal(i.state, b.state === 'pending_upload' ? 'APPROVED' : 'PROCESSING');
    }
    assert.deepEqual(await verifyLedger(w.server.ctx.store), []);
  } finally {
    await w.server.close();
  }
});

test('settlement: DISPERSION_INSTANT_INTERBANK is paid at the next tick, DISPERSION after 24 h on the deployment clock', async () => {
  const w = await world();
  const worker = startPayoutSettlement(w.server.ctx, { intervalMs: 3_600_000 });
  try {
    await fund(w, '1000.00');
    const instant = await registerJson(w, 'DISPERSION_INSTANT_INTERBANK', { ...EXAMPLE, amount: '100.00' });
    const slow = await registerJson(w, 'DISPERSION', { ...EXAMPLE, reference: 'slow', amount: '200.00' });
    const batch = (await pendingBatch(w))!;
    // Nothing is due before the batch is submitted.
    assert.equal(await worker.runOnce(), 0);
    assert.equal((await http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant })).status, 200);

    assert.equal(await worker.runOnce(), 1);
    const itemsOf = async () => {
      // A fresh session each time: console sessions last 12 h and the clock moves a day.
      const headers = await sessionHeaders(w.server, w.demo.merchant.username, w.demo.merchant.password);
      const b = await http(w.server.url, 'GET', `/console/api/payout-batches/${batch.id}`, { headers });
      return { batch: b.body.batch, byRef: new Map<string, any>(b.body.batch.items.map((i: { ref: string }) => [i.ref, i])) };
    };
    let view = await itemsOf();
    assert.equal(view.byRef.get(instant.body.ref).status, 'PAID');
    assert.ok(view.byRef.get(instant.body.ref).paidAt);
    assert.equal(view.byRef.get(slow.body.ref).status, 'PROCESSING');
    assert.equal(view.batch.state, 'submitted');
    assert.equal(await systemMinor(w, 'payout_clearing'), 20000);
    assert.equal(await systemMinor(w, 'bank_settlement'), 10000);
    assert.equal(await worker.runOnce(), 0, 'paid once');

    await w.server.ctx.clock.advance(24 * 3600 - 60);
    assert.equal(await worker.runOnce(), 0);
    assert.equal((await itemsOf()).byRef.get(slow.body.ref).status, 'PROCESSING');

    await w.server.ctx.clock.advance(120);
    assert.equal(await worker.runOnce(), 1);
    view = await itemsOf();
    assert.equal(view.byRef.get(slow.body.ref).status, 'PAID');
    assert.equal(view.batch.state, 'settled');
    assert.ok(view.batch.settledAt);
    assert.deepEqual(view.batch.counts, { APPROVED: 0, PROCESSING: 0, PAID: 2, FAILED: 0 });
    assert.equal(await systemMinor(w, 'payout_clearing'), 0);
    assert.equal(await systemMinor(w, 'bank_settlement'), 30000);
    assert.equal(await events(w, 'payout_item.updated', 'PAID'), 2);
    assert.equal(await worker.runOnce(), 0);
    assert.deepEqual(await verifyLedger(w.server.ctx.store), []);
  } finally {
    await worker.stop();
    await w.server.close();
  }
});

test('operator: CSV bank file of a submitted batch; the bank answer marks items paid or failed, refunds failures with their fee, idempotently', async () => {
  const w = await world();
  const worker = startPayoutSettlement(w.server.ctx, { intervalMs: 3_600_000 });
  try {
    await setFeeRule(w.server.ctx, { operation: 'payout_dispersion', currency: 'VES', percent: '1', fixed: '1.00' });
    await setFeeRule(w.server.ctx, { operation: 'payout_instant', currency: 'VES', percent: '0', fixed: '3.00' });
    await fund(w, '5000.00');
    const a = (await registerJson(w, 'DISPERSION', { ...EXAMPLE, reference: 'nómina-1', nameAccount: 'Pérez, Ana', amount: '1234.56' })).body.ref as string;
    const b = (
      await registerJson(w, 'DISPERSION', {
        ...EXAMPLE,
        reference: 'nómina-2',
        identificationNumber: 'v12345678',
        bankAccount: '01340032610321098765',
        amount: '100.00',
      })
    ).body.ref as string;
    const c = (
      await registerJson(w, 'DISPERSION_INSTANT_INTERBANK', { ...EXAMPLE, reference: 'nómina-3', bankAccount: '01020501830000123456', amount: '50.00' })
    ).body.ref as string;
    const batch = (await pendingBatch(w))!;

    // Not before it is submitted; only the operator.
    const early = await http(w.server.url, 'GET', `/console/api/operator/payout-batches/${batch.id}/bank-file.csv`, { headers: w.operator });
    assert.equal(early.status, 400);
    assert.equal((await http(w.server.url, 'GET', `/console/api/operator/payout-batches/${batch.id}/bank-file.csv`, { headers: w.merchant })).status, 403);
    assert.equal((await http(w.server.url, 'GET', `/console/api/operator/payout-batches/nope/bank-file.csv`, { headers: w.operator })).status, 404);

    const walletStart = await walletMinor(w);
    assert.equal((await http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant })).status, 200);
    // fees: 12.35 + 1.00 = 13.35; 1.00 + 1.00 = 2.00; 3.00 → 18.35; total 1384.56 + 18.35
    assert.equal(walletStart - (await walletMinor(w)), 138456 + 1835);

    const listed = await http(w.server.url, 'GET', '/console/api/operator/payout-batches?state=submitted', { headers: w.operator });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.data.map((x: { id: string }) => x.id),
      [batch.id],
    );
    assert.equal(listed.body.data[0].ownerUsername, w.demo.merchant.username);

    const file = await http(w.server.url, 'GET', `/console/api/operator/payout-batches/${batch.id}/bank-file.csv`, { headers: w.operator });
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-type')!, /^text\/csv/);
    assert.match(file.headers.get('content-disposition')!, /attachment; filename="dispersion-\d{8}-[0-9a-f]{8}\.csv"/);
    assert.equal(
      file.text,
      [
        'ref,bank_code,bank_account,identification,name,amount,type,reference',
        `${a},0105,${DOCUMENTED_ACCOUNT},J54637469,"Pérez, Ana",1234.56,DISPERSION,nómina-1`,
        `${b},0134,01340032610321098765,V12345678,Pedro Perez,100.00,DISPERSION,nómina-2`,
        `${c},0102,01020501830000123456,J54637469,Pedro Perez,50.00,DISPERSION_INSTANT_INTERBANK,nómina-3`,
        '',
      ].join('\r\n'),
    );

    // The instant item is paid by the worker before the bank answers.
    assert.equal(await worker.runOnce(), 1);
    const feesBefore = await systemMinor(w, 'platform_fees');
    const walletBefore = await walletMinor(w);

    // Answer: a paid, b failed (refund 100.00 + 2.00 fee), c returned after being paid (50.00 + 3.00),
    // an unknown ref and an unreadable line.
    const answer = [
      'ref,status,reason',
      `${a},PAID`,
      `${b},FAILED,Cuenta cerrada`,
      `${c},failed,"Devuelta, titular no coincide"`,
      'MP99010100001,PAID',
      'basura',
      '',
    ].join('\n');
    const first = await fetch(`${w.server.url}/console/api/operator/payout-batches/${batch.id}/bank-answer`, {
      method: 'POST',
      headers: { ...w.operator, 'content-type': 'text/csv' },
      body: answer,
    });
    const report = await first.json();
    assert.equal(first.status, 200, JSON.stringify(report));
    assert.deepEqual(report.paid, [a]);
    assert.deepEqual(report.failed, [b, c]);
    assert.deepEqual(report.unchanged, []);
    assert.deepEqual(report.unknown, [{ line: 5, ref: 'MP99010100001' }]);
    assert.deepEqual(
      report.rejected.map((r: { line: number }) => r.line),
      [6],
    );
    assert.equal(report.lines, 5);
    assert.equal(report.batch.state, 'settled');
    assert.deepEqual(report.batch.counts, { APPROVED: 0, PROCESSING: 0, PAID: 1, FAILED: 2 });
    const byRef = new Map<string, any>(report.batch.items.map((i: { ref: string }) => [i.ref, i]));
    assert.equal(byRef.get(b).failureReason, 'Cuenta cerrada');
    assert.equal(byRef.get(c).failureReason, 'Devuelta, titular no coincide');

    assert.equal((await walletMinor(w)) - walletBefore, 10000 + 200 + 5000 + 300);
    assert.equal(feesBefore - (await systemMinor(w, 'platform_fees')), 500);
    assert.equal(await systemMinor(w, 'payout_clearing'), 0);
    assert.equal(await systemMinor(w, 'bank_settlement'), 123456);
    assert.equal(await events(w, 'payout_item.updated', 'FAILED'), 2);
    const history = (await w.server.ctx.store.db.selectFrom('events').select('payload').where('object_id', '=', c).execute()).map((e) => JSON.parse(e.payload));
    assert.deepEqual(history.map((p) => `${p.previous_status ?? '-'}→${p.status}`).sort(), [
      '-→APPROVED',
      'APPROVED→PROCESSING',
      'PAID→FAILED',
      'PROCESSING→PAID',
    ]);
    const last = history.find((p) => p.status === 'FAILED');
    assert.equal(last.failure_reason, 'Devuelta, titular no coincide');
    assert.equal(last.fee, '3.00');
    assert.equal(last.bank_account, '0102************3456');
    assert.deepEqual(last.currency, { id: 'VES' });
    assert.deepEqual(await verifyLedger(w.server.ctx.store), []);

    // The same answer again (multipart file this time) changes nothing; a PAID answer for a
    // failed item is refused.
    const again = new FormData();
    again.set('file', new Blob([answer + `${b},PAID\n`], { type: 'text/csv' }), 'respuesta.csv');
    const second = await http(w.server.url, 'POST', `/console/api/operator/payout-batches/${batch.id}/bank-answer`, { headers: w.operator, multipart: again });
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(second.body.paid, []);
    assert.deepEqual(second.body.failed, []);
    assert.deepEqual(second.body.unchanged, [a, b, c]);
    assert.deepEqual(
      second.body.rejected.map((r: { line: number; message: string }) => [r.line, r.message]),
      [
        [6, 'La referencia del registro no es válida.'],
        [7, 'El registro ya fue marcado como fallido y su dinero devuelto.'],
      ],
    );
    assert.equal((await walletMinor(w)) - walletBefore, 15500);
    assert.equal(await events(w, 'payout_item.updated', 'FAILED'), 2);

    // JSON {csv} works too; the worker never pays a failed item; FAILED items leave the bank file.
    const third = await http(w.server.url, 'POST', `/console/api/operator/payout-batches/${batch.id}/bank-answer`, {
      headers: w.operator,
      json: { csv: `${a},PAID` },
    });
    assert.deepEqual(third.body.unchanged, [a]);
    await w.server.ctx.clock.advance(2 * 24 * 3600);
    assert.equal(await worker.runOnce(), 0);
    w.operator = await sessionHeaders(w.server, w.demo.operator.username, w.demo.operator.password);
    const refile = await http(w.server.url, 'GET', `/console/api/operator/payout-batches/${batch.id}/bank-file.csv`, { headers: w.operator });
    assert.equal(refile.text.trim().split('\r\n').length, 2);
    assert.equal(
      (await http(w.server.url, 'POST', `/console/api/operator/payout-batches/${batch.id}/bank-answer`, { headers: w.operator, json: {} })).status,
      400,
    );
    assert.deepEqual(await verifyLedger(w.server.ctx.store), []);
  } finally {
    await worker.stop();
    await w.server.close();
  }
});

test('settlement races: two workers and the operator’s answers at once change each item once; the money adds up', async () => {
  const w = await world();
  try {
    await setFeeRule(w.server.ctx, { operation: 'payout_instant', currency: 'VES', percent: '0', fixed: '1.00' });
    await fund(w, '1000.00');
    const refs: string[] = [];
    for (let i = 0; i < 30; i++)
      refs.push((await registerJson(w, 'DISPERSION_INSTANT_INTERBANK', { ...EXAMPLE, reference: `race-${i}`, amount: '10.00' })).body.ref);
    const batch = (await pendingBatch(w))!;
    assert.equal((await http(w.server.url, 'POST', `/console/api/payout-batches/${batch.id}/submit`, { headers: w.merchant })).status, 200);
    const afterSubmit = await walletMinor(w);
    assert.equal(afterSubmit, 100000 - 30 * 1100);

    const ctx = w.server.ctx;
    const failing = refs.slice(0, 12);
    const outcomes = await Promise.all([
      settleDuePayouts(ctx),
      settleDuePayouts(ctx),
      ...failing.map((ref) => transitionPayoutItem(ctx, { ref, batchId: batch.id }, 'fail', { reason: 'carrera' })),
      ...failing.slice(0, 4).map((ref) => transitionPayoutItem(ctx, { ref, batchId: batch.id }, 'fail', { reason: 'otra vez' })),
    ]);
    const [paidA, paidB] = outcomes as number[];
    const items = await ctx.store.db.selectFrom('payout_items').select(['ref', 'state', 'paid_at']).where('batch_id', '=', batch.id).execute();
    const states = new Map(items.map((i) => [i.ref, i.state]));
    for (const ref of failing) assert.equal(states.get(ref), 'FAILED', ref);
    for (const ref of refs.slice(12)) assert.equal(states.get(ref), 'PAID', ref);
    const paidAtSomePoint = items.filter((i) => i.paid_at !== null).length;
    assert.equal(paidA + paidB, paidAtSomePoint, 'every pay counted once across the two workers');

    // Per item: at most one PAID and at most one FAILED change.
    const updates = await ctx.store.db.selectFrom('events').select(['object_id', 'payload']).where('type', '=', 'payout_item.updated').execute();
    const seen = new Set<string>();
    for (const u of updates) {
      const key = `${u.object_id}:${JSON.parse(u.payload).status}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
    }
    // 12 failed items come back with their fee; the bank holds exactly the 18 paid ones.
    assert.equal((await walletMinor(w)) - afterSubmit, 12 * 1100);
    assert.equal(await systemMinor(w, 'bank_settlement'), 18 * 1000);
    assert.equal(await systemMinor(w, 'payout_clearing'), 0);
    assert.equal(await systemMinor(w, 'platform_fees'), 18 * 100);
    const settled = await getPayoutBatch(ctx, batch.id);
    assert.equal(settled.state, 'settled');
    assert.deepEqual(await verifyLedger(ctx.store), []);
  } finally {
    await w.server.close();
  }
});

test('a batch total stays within the maximum amount: past it the item is refused and the lists keep working', async () => {
  const w = await world();
  try {
    const first = await registerJson(w, 'DISPERSION', { ...EXAMPLE, amount: '999999999999.99' });
    assert.equal(first.status, 200, first.text);
    const over = await registerJson(w, 'DISPERSION', { ...EXAMPLE, amount: '0.02' });
    assert.equal(over.status, 400, over.text);
    assert.match(over.body.errors.errors[0], /monto máximo/);
    const exact = await registerJson(w, 'DISPERSION', { ...EXAMPLE, amount: '0.01' });
    assert.equal(exact.status, 200, exact.text);
    const mine = await http(w.server.url, 'GET', '/console/api/payout-batches', { headers: w.merchant });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.body.data[0].total, '1000000000000.00');
    const all = await http(w.server.url, 'GET', '/console/api/operator/payout-batches', { headers: w.operator });
    assert.equal(all.status, 200, all.text);
  } finally {
    await w.server.close();
  }
});
