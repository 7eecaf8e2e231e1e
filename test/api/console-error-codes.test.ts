// The console API names the code of every message it answers beside the Spanish text, so the web
// console says it in English: a field error's (`pasarela-field-codes`, `=code` for a form-level
// message), a 401/403/404's (`pasarela-message-code`). And a route behind a session answers
// 401 (anonymous) or 403 (a merchant at an operator route) before it reads the body or the query:
// nobody without a session learns what a body takes. Runs on the configured database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { RULE_TABLES as TABLES } from '../../console/src/lib/rule-tables.ts';
import { http, startTestServer, type HttpAnswer, type TestServer } from '../helpers.ts';
import { operatorSession } from './core-fixtures.ts';

let server: TestServer;
let demo: DemoDocument;
let merchant: Record<string, string>;
let operator: Record<string, string>;
let appId: string;

before(async () => {
  server = await startTestServer();
  demo = await ensureDemo(server.ctx);
  const session = await http(server.url, 'POST', '/console/api/session', { json: { login: demo.merchant.username, password: demo.merchant.password } });
  assert.equal(session.status, 200, session.text);
  merchant = { 'x-session-token': session.body.sessionToken as string };
  operator = (await operatorSession(server)).headers;
  appId = (await http(server.url, 'GET', '/console/api/apps', { headers: merchant })).body.data[0].id;
  const payouts = await http(server.url, 'PATCH', `/console/api/apps/${appId}/permissions`, { headers: merchant, json: { payouts: true } });
  assert.equal(payouts.status, 200, payouts.text);
});
after(async () => {
  await server.close();
});

/** The rule text a code names; fails when it names none. */
function said(code: string | undefined | null): { es: string; en: string } {
  const [table = '', key = ''] = (code ?? '').split('.');
  assert.ok(Object.hasOwn(TABLES, table) && Object.hasOwn(TABLES[table]!, key), `"${code}" names a rule text`);
  return TABLES[table]![key]!;
}

/** The answer's field codes: {field: code}, '' for the form-level message. */
function fieldCodes(answer: HttpAnswer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (answer.headers.get('pasarela-field-codes') ?? '').split(',')) {
    if (!pair.includes('=')) continue;
    const [field = '', code = ''] = pair.trim().split('=').map(decodeURIComponent);
    out[field] ??= code;
  }
  return out;
}

test('a 401, 403 or 404 names its message’s code', async () => {
  const anonymous = await http(server.url, 'GET', '/console/api/wallet');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('pasarela-message-code'), 'common.signInRequired');
  assert.equal(anonymous.body.message, said('common.signInRequired').es);

  const notOperator = await http(server.url, 'GET', '/console/api/operator/requests', { headers: merchant });
  assert.equal(notOperator.status, 403);
  assert.equal(notOperator.headers.get('pasarela-message-code'), 'common.operatorOnly');

  const noApp = await http(server.url, 'GET', '/console/api/apps/no-such-app', { headers: merchant });
  assert.equal(noApp.status, 404);
  assert.equal(noApp.headers.get('pasarela-message-code'), 'apps.notFound');
  assert.equal(noApp.body.message, said('apps.notFound').es);

  const noBatch = await http(server.url, 'GET', '/console/api/payout-batches/no-such-batch', { headers: merchant });
  assert.equal(noBatch.status, 404);
  assert.equal(noBatch.headers.get('pasarela-message-code'), 'payouts.batchNotFound');

  const noRoute = await http(server.url, 'GET', '/console/api/no-such-thing', { headers: merchant });
  assert.equal(noRoute.status, 404);
  assert.equal(noRoute.headers.get('pasarela-message-code'), 'common.routeNotFound');

  const badJson = await fetch(`${server.url}/console/api/transfers`, {
    method: 'POST',
    headers: { ...merchant, 'content-type': 'application/json' },
    body: '{',
  });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.headers.get('pasarela-message-code'), 'common.jsonInvalid');
});

test('field errors name their codes: amounts, webhook URLs, schema checks, the modules’ rules', async () => {
  const amount = await http(server.url, 'POST', '/console/api/transfers', {
    headers: merchant,
    json: { to: demo.buyers[0]!.username, amount: '12.345', currency: 'VES', pin: '1234' },
  });
  assert.equal(amount.status, 400, amount.text);
  assert.equal(fieldCodes(amount).amount, 'common.amountDecimals');
  assert.equal(amount.body.errors.children.amount.errors[0], said('common.amountDecimals').es);

  const scheme = await http(server.url, 'POST', `/console/api/apps/${appId}/webhooks`, {
    headers: merchant,
    json: { url: 'ftp://example.com/hook', eventTypes: ['payment.created'] },
  });
  assert.equal(scheme.status, 400, scheme.text);
  assert.equal(fieldCodes(scheme).url, 'common.targetUrlScheme');

  const unknownType = await http(server.url, 'POST', `/console/api/apps/${appId}/webhooks`, {
    headers: merchant,
    json: { url: 'https://example.com/hook', eventTypes: ['payment.nothing'] },
  });
  assert.equal(unknownType.status, 400, unknownType.text);
  assert.equal(fieldCodes(unknownType)['eventTypes.0'], 'webhooks.eventUnknown');

  const tooLong = await http(server.url, 'PUT', '/console/api/operator/fees', { headers: operator, json: { operation: 'x'.repeat(41) } });
  assert.equal(tooLong.status, 400, tooLong.text);
  assert.equal(fieldCodes(tooLong).operation, 'common.tooLong');

  const operation = await http(server.url, 'PUT', '/console/api/operator/fees', { headers: operator, json: { operation: 'nope', percent: '1' } });
  assert.equal(operation.status, 400, operation.text);
  assert.equal(fieldCodes(operation).operation, 'fees.operation');

  const search = await http(server.url, 'GET', `/console/api/operator/users?q=${'a'.repeat(150)}`, { headers: operator });
  assert.equal(search.status, 400, search.text);
  assert.equal(fieldCodes(search).q, 'identity.searchTooLong');

  for (const answer of [amount, scheme, unknownType, tooLong, operation, search]) {
    for (const code of Object.values(fieldCodes(answer))) assert.ok(said(code).en);
  }
});

test('the payout upload’s whole-file 400s name their codes as form-level messages', async () => {
  const upload = (csv: string) =>
    fetch(`${server.url}/console/api/payout-batches/upload?appId=${encodeURIComponent(appId)}`, {
      method: 'POST',
      headers: { ...merchant, 'content-type': 'text/csv' },
      body: csv,
    });
  const cases: [string, string][] = [
    ['\n', 'payouts.fileEmpty'],
    ['tipo,referencia,titular,identificacion,cuenta,monto\n', 'payouts.fileNoPayments'],
    ['tipo,referencia,titular\nDISPERSION,a,b\n', 'payouts.columnsMissing'],
    ['tipo,tipo,referencia,titular,identificacion,cuenta,monto\nx\n', 'payouts.columnRepeated'],
    ['tipo,referencia,titular,identificacion,cuenta,monto\n"DISPERSION,a\n', 'payouts.unclosedQuote'],
  ];
  for (const [csv, code] of cases) {
    const response = await upload(csv);
    const body = await response.json();
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.equal(response.headers.get('pasarela-field-codes'), `=${code}`, csv);
    assert.equal(body.errors.errors.length, 1);
    said(code);
  }
  const missing = await http(server.url, 'POST', `/console/api/payout-batches/upload?appId=${appId}`, { headers: merchant, json: {} });
  assert.equal(missing.status, 400, missing.text);
  assert.equal(fieldCodes(missing).csv, 'payouts.csvMissing');
});

test('every console route behind a session answers 401 to nobody before it reads a bad body or query, and 403 to a merchant at an operator route', async () => {
  const document = await http(server.url, 'GET', '/openapi.json');
  const routes = Object.entries(document.body.paths as Record<string, Record<string, { security?: unknown[] }>>)
    .filter(([path]) => path.startsWith('/console/api/'))
    .flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => (op.security ?? []).length > 0)
        .map(([method]) => [method.toUpperCase(), path] as const),
    )
    // Signing out answers 204 with or without a session.
    .filter(([method, path]) => !(method === 'DELETE' && path === '/console/api/session'));
  assert.ok(routes.length >= 60, `only ${routes.length} session routes found`);
  let withBody = 0;
  for (const [method, template] of routes) {
    // A query no schema takes (limit must be a number) and a body no schema takes (not an object).
    const path = `${template.replace(/\{[^}]+\}/g, 'x')}?limit=lots&state=nope&pending=maybe`;
    const json = method === 'GET' || method === 'DELETE' ? undefined : 42;
    if (json !== undefined) withBody++;
    const nobody = await http(server.url, method, path, { json });
    assert.equal(nobody.status, 401, `${method} ${path} without a session: ${nobody.text}`);
    assert.equal(nobody.headers.get('pasarela-message-code'), 'common.signInRequired');
    if (template.startsWith('/console/api/operator/')) {
      const mine = await http(server.url, method, path, { headers: merchant, json });
      assert.equal(mine.status, 403, `${method} ${path} with a merchant's session: ${mine.text}`);
      assert.equal(mine.headers.get('pasarela-message-code'), 'common.operatorOnly');
    }
  }
  assert.ok(withBody >= 25, `only ${withBody} routes with a body`);
});
