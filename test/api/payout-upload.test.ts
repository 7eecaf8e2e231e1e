// The console's payout CSV upload: the good lines of a file registered together into the batch
// pending upload, each bad line answered (line, field, column, Spanish message) and not
// registered; a file unreadable as a whole registers nothing; the app's payouts permission,
// ownership, idempotency and the batch's limits. Runs on the configured database:
// `npm test -- payout-upload`, `TEST_DB=postgres npm test -- payout-upload`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';

const UPLOAD = '/console/api/payout-batches/upload';

interface World {
  server: TestServer;
  demo: DemoDocument;
  token: string;
  appId: string;
  merchant: Record<string, string>;
}

async function world(): Promise<World> {
  const server = await startTestServer();
  const demo = await ensureDemo(server.ctx);
  const token = await http(server.url, 'POST', '/oauth/v2/token', {
    form: { grant_type: 'urn:client_apps', client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret },
  });
  assert.equal(token.status, 200, token.text);
  const session = await http(server.url, 'POST', '/console/api/session', { json: { login: demo.merchant.username, password: demo.merchant.password } });
  assert.equal(session.status, 200, session.text);
  const merchant = { 'x-session-token': session.body.sessionToken as string };
  const apps = await http(server.url, 'GET', '/console/api/apps', { headers: merchant });
  const appId = apps.body.data[0].id as string;
  const set = await http(server.url, 'PATCH', `/console/api/apps/${appId}/permissions`, { headers: merchant, json: { payouts: true } });
  assert.equal(set.status, 200, set.text);
  return { server, demo, token: token.body.access_token, appId, merchant };
}

async function upload(w: World, csv: string, options: { appId?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${w.server.url}${UPLOAD}?appId=${encodeURIComponent(options.appId ?? w.appId)}`, {
    method: 'POST',
    headers: { ...w.merchant, 'content-type': 'text/csv', ...options.headers },
    body: csv,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

async function itemCount(w: World): Promise<number> {
  const row = await w.server.ctx.store.db
    .selectFrom('payout_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const HEADER = 'tipo,referencia,titular,identificacion,cuenta,monto';
const GOOD = 'DISPERSION,nomina-001,Pedro Pérez,V12345678,01050000000000000000,150.75';
const GOOD_2 = 'dispersion_instant_interbank,nomina-002,Ana Gómez,J54637469,0134-0032-61-0321098765,20';

test('upload: the good lines are registered together, each bad line answered with its line, field and message; then submitted', async () => {
  const w = await world();
  try {
    const csv = [
      HEADER,
      GOOD,
      'DISPERSION,nomina-003,Luis Díaz,V1,0105000000000000000,1.5',
      GOOD_2,
      'OTRO,nomina-004,Eva,V2222222,01050000000000000000,-3',
      '',
    ].join('\n');
    const answer = await upload(w, csv);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.rows, 4);
    assert.equal(answer.body.accepted, 2);
    assert.equal(answer.body.rejected, 2);
    const problems = answer.body.errors.map((e: { line: number; field: string; column: string }) => `${e.line}:${e.field}:${e.column}`);
    assert.deepEqual(problems.sort(), ['3:bankAccount:cuenta', '3:identificationNumber:identificacion', '5:amount:monto', '5:type:tipo'].sort());
    const account = answer.body.errors.find((e: { line: number; field: string }) => e.line === 3 && e.field === 'bankAccount');
    assert.equal(account.message, 'El número de cuenta debe tener 20 dígitos.');
    assert.equal(answer.body.errors.find((e: { field: string }) => e.field === 'amount').message, 'El monto debe ser mayor que cero.');

    const batch = await http(w.server.url, 'GET', `/console/api/payout-batches/${answer.body.batchId}`, { headers: w.merchant });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.body.batch.state, 'pending_upload');
    assert.equal(batch.body.batch.itemCount, 2);
    assert.equal(batch.body.batch.total, '170.75');
    const items = batch.body.batch.items as { reference: string; type: string; bankAccount: string; nameAccount: string; ref: string }[];
    assert.deepEqual(
      items.map((i) => [i.reference, i.type, i.bankAccount]),
      [
        ['nomina-001', 'DISPERSION', '01050000000000000000'],
        ['nomina-002', 'DISPERSION_INSTANT_INTERBANK', '01340032610321098765'],
      ],
    );
    assert.notEqual(items[0]!.ref, items[1]!.ref);
    assert.equal(await itemCount(w), 2);

    // A later item through the wallet API joins the same batch; its reference follows the upload's.
    const single = await http(w.server.url, 'POST', '/api/multipayment/register-item.json?type=DISPERSION', {
      token: w.token,
      json: {
        multi_payment_item: { reference: 'suelto', nameAccount: 'Ana', identificationNumber: 'V1234567', bankAccount: '01050000000000000000', amount: '1' },
      },
    });
    assert.equal(single.status, 200, single.text);
    assert.ok(single.body.ref > items[1]!.ref);

    const funded = await http(w.server.url, 'POST', '/sandbox/wallets/fund', {
      token: w.token,
      json: { account: w.demo.merchant.username, amount: '500', currency: 'VES' },
    });
    assert.equal(funded.status, 200, funded.text);
    const submitted = await http(w.server.url, 'POST', `/console/api/payout-batches/${answer.body.batchId}/submit`, { headers: w.merchant });
    assert.equal(submitted.status, 200, submitted.text);
    assert.equal(submitted.body.batch.state, 'submitted');
    assert.equal(submitted.body.batch.itemCount, 3);
    assert.equal(submitted.body.batch.counts.PROCESSING, 3);
  } finally {
    await w.server.close();
  }
});

test('upload: semicolons with decimal commas, Spanish headers with accents, a BOM, CRLF and any column order; a multipart file too', async () => {
  const w = await world();
  try {
    const csv = '\uFEFFMonto;Cuenta;Titular;Identificación;Referencia;Tipo\r\n1234,56;01050000000000000000;"Pérez, Hijos";V12345678;ref-1;DISPERSION\r\n';
    const answer = await upload(w, csv);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([answer.body.accepted, answer.body.rejected, answer.body.errors], [1, 0, []]);
    const batch = await http(w.server.url, 'GET', `/console/api/payout-batches/${answer.body.batchId}`, { headers: w.merchant });
    assert.equal(batch.body.batch.total, '1234.56');
    assert.equal(batch.body.batch.items[0].nameAccount, 'Pérez, Hijos');

    // With commas between fields, a decimal comma is not guessed: "1,5" would split the line.
    const english = await upload(
      w,
      'type,reference,nameAccount,identificationNumber,bankAccount,amount\nDISPERSION,r2,Ana,V1234567,01050000000000000000,"1,5"\n',
    );
    assert.equal(english.status, 200, english.text);
    assert.deepEqual(english.body.errors, [{ line: 2, field: 'amount', column: 'amount', message: 'El monto no es válido.', code: 'common.amountInvalid' }]);

    const form = new FormData();
    form.set('file', new Blob([`${HEADER}\n${GOOD}\n`], { type: 'text/csv' }), 'pagos.csv');
    const multipart = await http(w.server.url, 'POST', `${UPLOAD}?appId=${w.appId}`, { headers: w.merchant, multipart: form });
    assert.equal(multipart.status, 200, multipart.text);
    assert.equal(multipart.body.accepted, 1);
    assert.equal(multipart.body.batchId, answer.body.batchId);
    assert.equal(await itemCount(w), 2);
  } finally {
    await w.server.close();
  }
});

test('upload: a file unreadable as a whole is a 400 and registers nothing', async () => {
  const w = await world();
  try {
    const cases: [string, RegExp][] = [
      ['', /vacío/],
      [`${HEADER}\n`, /no tiene pagos/],
      [`tipo,referencia,titular,cuenta\n${GOOD}\n`, /Faltan columnas.*identificacion, monto/],
      [`${HEADER},Monto\n${GOOD},1\n`, /«Monto» está repetida/],
      [`${HEADER}\n"DISPERSION,nomina-001\n`, /comilla sin cerrar/],
    ];
    for (const [csv, message] of cases) {
      const answer = await upload(w, csv);
      assert.equal(answer.status, 400, csv);
      assert.match(answer.text, message, csv);
    }
    // More lines than a batch holds.
    const many = await upload(w, [HEADER, ...Array.from({ length: 5001 }, () => GOOD)].join('\n'));
    assert.equal(many.status, 400, many.text.slice(0, 200));
    // Lines each under the cap whose sum is over a batch's maximum: refused whole.
    const huge = (reference: string) => `DISPERSION,${reference},Ana,V1234567,01050000000000000000,1000000000000`;
    const total = await upload(w, [HEADER, huge('r1'), huge('r2')].join('\n'));
    assert.equal(total.status, 400, total.text);
    assert.match(total.body.message + JSON.stringify(total.body.errors ?? {}), /monto máximo/);
    // No body at all.
    const none = await http(w.server.url, 'POST', `${UPLOAD}?appId=${w.appId}`, { headers: w.merchant, json: {} });
    assert.equal(none.status, 400, none.text);
    assert.equal(await itemCount(w), 0);
  } finally {
    await w.server.close();
  }
});

test('upload: only into an app of the merchant with the payouts permission, signed in', async () => {
  const w = await world();
  try {
    const csv = `${HEADER}\n${GOOD}\n`;
    const anonymous = await fetch(`${w.server.url}${UPLOAD}?appId=${w.appId}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    assert.equal(anonymous.status, 401);
    assert.equal((await upload(w, csv, { appId: '01a247ba-0000-7000-8000-000000000001' })).status, 404);
    // Another merchant's app is not found either.
    const other = await http(w.server.url, 'POST', '/console/api/session', {
      json: { login: w.demo.buyers[0]!.username, password: w.demo.buyers[0]!.password },
    });
    assert.equal(other.status, 200, other.text);
    const foreign = await upload(w, csv, { headers: { 'x-session-token': other.body.sessionToken } });
    assert.equal(foreign.status, 404, foreign.text);
    const off = await http(w.server.url, 'PATCH', `/console/api/apps/${w.appId}/permissions`, { headers: w.merchant, json: { payouts: false } });
    assert.equal(off.status, 200, off.text);
    const forbidden = await upload(w, csv);
    assert.equal(forbidden.status, 403, forbidden.text);
    assert.match(forbidden.body.message, /pagos masivos/);
    assert.equal(await itemCount(w), 0);
  } finally {
    await w.server.close();
  }
});

test('upload: a retry with the same Idempotency-Key registers once; the key with another file is refused', async () => {
  const w = await world();
  try {
    const csv = `${HEADER}\n${GOOD}\n${GOOD_2}\n`;
    const headers = { 'idempotency-key': 'subida-1' };
    const [first, second] = await Promise.all([upload(w, csv, { headers }), upload(w, csv, { headers })]);
    for (const a of [first, second]) assert.ok(a.status === 200 || a.status === 409, a.text);
    const again = await upload(w, csv, { headers });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.accepted, 2);
    assert.equal(await itemCount(w), 2);
    const reused = await upload(w, `${HEADER}\n${GOOD}\n`, { headers });
    assert.equal(reused.status, 400, reused.text);
    assert.equal(await itemCount(w), 2);
  } finally {
    await w.server.close();
  }
});

test('upload: a batch’s worth of lines (5000) is registered in one upload; then the pending batch refuses another line whole', async () => {
  const w = await world();
  try {
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `DISPERSION,ref-${i},Pedro Pérez,V12345678,01050000000000000000,1.${String(i % 100).padStart(2, '0')}`,
    );
    const full = await upload(w, [HEADER, ...lines].join('\n'));
    assert.equal(full.status, 200, full.text.slice(0, 300));
    assert.equal(full.body.accepted, 5000);
    const created = await w.server.ctx.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'payout_item.created')
      .executeTakeFirstOrThrow();
    assert.equal(Number(created.n), 5000);
    const more = await upload(w, `${HEADER}\n${GOOD}\n`);
    assert.equal(more.status, 400, more.text);
    assert.match(more.text, /máximo de 5000 registros/);
    assert.equal(await itemCount(w), 5000);
  } finally {
    await w.server.close();
  }
});

test('upload: the whole file again after fixing a line registers only that line; a reference twice in a file is registered once', async () => {
  const w = await world();
  try {
    const BAD = 'DISPERSION,nomina-003,Luis Díaz,V7654321,0105000000000000000,12';
    const FIXED = 'DISPERSION,nomina-003,Luis Díaz,V7654321,01050000000000000000,12';
    const first = await upload(w, [HEADER, GOOD, BAD, GOOD_2].join('\n'));
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.accepted, 2);

    const again = await upload(w, [HEADER, GOOD, FIXED, GOOD_2].join('\n'));
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.accepted, 1, 'only the fixed line joins the batch');
    assert.deepEqual(
      again.body.errors.map((e: { line: number; field: string; code: string }) => `${e.line}:${e.field}:${e.code}`),
      ['2:reference:payouts.referenceRepeated', '4:reference:payouts.referenceRepeated'],
    );
    assert.equal(again.body.batchId, first.body.batchId);
    assert.equal(await itemCount(w), 3);

    // Nothing new at all: nothing registered, no batch named.
    const same = await upload(w, [HEADER, GOOD, FIXED].join('\n'));
    assert.equal(same.status, 200, same.text);
    assert.equal(same.body.accepted, 0);
    assert.equal(same.body.batchId, null);
    assert.equal(same.body.rejected, 2);

    // One file naming a new reference twice: the later line is the problem.
    const twice = await upload(
      w,
      [HEADER, 'DISPERSION,nomina-009,Eva Ruiz,V2222222,01050000000000000000,3', 'DISPERSION,nomina-009,Eva Ruiz,V2222222,01050000000000000000,3'].join('\n'),
    );
    assert.equal(twice.status, 200, twice.text);
    assert.equal(twice.body.accepted, 1);
    assert.deepEqual(
      twice.body.errors.map((e: { line: number; code: string }) => `${e.line}:${e.code}`),
      ['3:payouts.referenceRepeated'],
    );
    assert.equal(await itemCount(w), 4);
    const batch = await http(w.server.url, 'GET', `/console/api/payout-batches/${first.body.batchId}`, { headers: w.merchant });
    assert.equal(batch.body.batch.itemCount, 4);
    assert.equal(batch.body.batch.total, '185.75');
  } finally {
    await w.server.close();
  }
});
