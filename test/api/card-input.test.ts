// The card family against bad input and other callers: every answer is a 2xx or a 4xx in the
// family's error shape (never a 5xx); money fields take amounts, not booleans or hex; integers
// are plain digits; ids beyond range are unknown (404); an ambiguous PUT changes nothing;
// another merchant's tokens, payments and refunds are unknown (404, or 2006 for a token used
// in a payment); a public key tokenizes and does nothing else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { verifyLedger } from '../../src/modules/ledger/index.ts';
import { http, startTestServer, type HttpAnswer, type TestServer } from '../helpers.ts';
import { merchant } from './core-fixtures.ts';
import { createMerchant } from '../webhook-fixtures.ts';
import { revealCredentials } from '../../src/modules/apps/service.ts';
import { pruneCardTokenQuotas } from '../../src/modules/cards/index.ts';

let server: TestServer;
let accessToken: string;
let publicKey: string;

const CARD = { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } };

before(async () => {
  server = await startTestServer();
  ({ accessToken, publicKey } = (await ensureDemo(server.ctx)).merchant.app);
});
after(() => server?.close());

/** The card family's error shape, with a 4xx status. */
function assertCardError(answer: HttpAnswer, status: number, label: string): void {
  assert.equal(answer.status, status, `${label}: ${answer.text}`);
  assert.equal(answer.body.status, status, label);
  assert.equal(typeof answer.body.message, 'string', label);
  assert.equal(typeof answer.body.error, 'string', label);
  assert.ok(Array.isArray(answer.body.cause), label);
}

async function cardToken(card: Record<string, unknown> = CARD, key = publicKey): Promise<HttpAnswer> {
  return http(server.url, 'POST', `/v1/card_tokens?public_key=${key}`, { json: card });
}

async function pay(json: Record<string, unknown>, token = accessToken): Promise<HttpAnswer> {
  return http(server.url, 'POST', '/v1/payments', { token, json: { transaction_amount: 10, token: (await cardToken()).body.id, ...json } });
}

const NOT_AMOUNTS: [string, unknown][] = [
  ['three decimals', 10.123],
  ['1e20', 1e20],
  ['-0', -0],
  ['zero', 0],
  ['negative', -5],
  ['"NaN"', 'NaN'],
  ['"Infinity"', 'Infinity'],
  ['"1e2"', '1e2'],
  ['"0x10"', '0x10'],
  ['true', true],
  ['an object', { value: 10 }],
];

test('amounts that are not amounts are refused with 400 wherever money is read', async () => {
  const held = await pay({ capture: false, transaction_amount: 50 });
  const approved = await pay({ transaction_amount: 50 });
  for (const [label, amount] of NOT_AMOUNTS) {
    assertCardError(await pay({ transaction_amount: amount }), 400, `payment ${label}`);
    const capture = await http(server.url, 'PUT', `/v1/payments/${held.body.id}`, { token: accessToken, json: { capture: true, transaction_amount: amount } });
    assertCardError(capture, 400, `capture ${label}`);
    assertCardError(
      await http(server.url, 'POST', `/v1/payments/${approved.body.id}/refunds`, { token: accessToken, json: { amount } }),
      400,
      `refund ${label}`,
    );
  }
  const after = await http(server.url, 'GET', `/v1/payments/${held.body.id}`, { token: accessToken });
  assert.equal(after.body.status, 'authorized');
  assert.equal((await http(server.url, 'GET', `/v1/payments/${approved.body.id}`, { token: accessToken })).body.transaction_amount_refunded, 0);
  // Amounts as the wire sends them still work: a JSON number, or its decimal text.
  assert.equal((await pay({ transaction_amount: 10.5 })).body.transaction_amount, 10.5);
  assert.equal((await pay({ transaction_amount: '10.50' })).body.transaction_amount, 10.5);
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('installments and paging are plain integers in range', async () => {
  for (const installments of [0, 37, 1e9, 2.5, '0x10', '1e1', true, -1]) {
    assertCardError(await pay({ installments }), 400, `installments ${JSON.stringify(installments)}`);
  }
  assert.equal((await pay({ installments: '12' })).body.installments, 12);
  for (const query of ['limit=0x10', 'limit=1e1', 'limit=0', 'offset=-1', 'limit=true', 'offset=1e3']) {
    assertCardError(await http(server.url, 'GET', `/v1/payments/search?${query}`, { token: accessToken }), 400, query);
  }
});

test('search dates that do not name an instant are refused, never a 5xx', async () => {
  for (const date of ['2024-12-31T23:59:60Z', 'NOW-30DAYS', '2024-02-30T00:00:00Z', '']) {
    for (const field of ['begin_date', 'end_date']) {
      const answer = await http(server.url, 'GET', `/v1/payments/search?${field}=${encodeURIComponent(date)}`, { token: accessToken });
      assertCardError(answer, 400, `${field}=${date}`);
    }
  }
  const ok = await http(server.url, 'GET', `/v1/payments/search?begin_date=2020-01-01T00:00:00Z&end_date=2100-01-01T00:00:00.000-04:00`, {
    token: accessToken,
  });
  assert.equal(ok.status, 200, ok.text);
});

test('ids beyond any payment or refund are not found (404), at any length of digits', async () => {
  const paid = await pay({});
  for (const id of ['99999999999999999', '999999999999999', '0', '18446744073709551616', '9'.repeat(30)]) {
    const label = `payment ${id}`;
    assertCardError(await http(server.url, 'GET', `/v1/payments/${id}`, { token: accessToken }), 404, label);
    assertCardError(await http(server.url, 'PUT', `/v1/payments/${id}`, { token: accessToken, json: { capture: true } }), 404, label);
    assertCardError(await http(server.url, 'POST', `/v1/payments/${id}/refunds`, { token: accessToken, json: {} }), 404, label);
    assertCardError(await http(server.url, 'GET', `/v1/payments/${id}/refunds`, { token: accessToken }), 404, label);
    assertCardError(await http(server.url, 'GET', `/v1/payments/${paid.body.id}/refunds/${id}`, { token: accessToken }), 404, `refund ${id}`);
  }
  for (const id of ['-1', 'abc', '1.5', '1e3']) {
    const answer = await http(server.url, 'GET', `/v1/payments/${id}`, { token: accessToken });
    assert.ok(answer.status === 400 || answer.status === 404, `${id}: ${answer.text}`);
    assertCardError(answer, answer.status, id);
  }
});

test('a PUT that asks to capture and to cancel at once changes nothing', async () => {
  const held = await pay({ capture: false });
  for (const body of [{ capture: true, status: 'cancelled' }, { status: 'cancelled', capture: true, transaction_amount: 5 }, { transaction_amount: 5 }]) {
    assertCardError(await http(server.url, 'PUT', `/v1/payments/${held.body.id}`, { token: accessToken, json: body }), 400, JSON.stringify(body));
  }
  const after = await http(server.url, 'GET', `/v1/payments/${held.body.id}`, { token: accessToken });
  assert.equal(after.body.status, 'authorized');
  // Either one alone still works.
  assert.equal(
    (await http(server.url, 'PUT', `/v1/payments/${held.body.id}`, { token: accessToken, json: { capture: true, transaction_amount: 5 } })).body.status,
    'approved',
  );
  assert.deepEqual(await verifyLedger(server.ctx.store), []);
});

test('card data: unicode names, 13 to 19 digits by brand, anything else a data-entry code', async () => {
  const ok = await cardToken({ ...CARD, cardholder: { name: 'José Ñandú Müller-O’Brien'.replace('’', "'") } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.cardholder.name, "José Ñandú Müller-O'Brien");
  const nineteen = await cardToken({ ...CARD, card_number: '4000000000000000006' });
  assert.equal(nineteen.status, 201, nineteen.text);
  assert.equal(nineteen.body.card_number_length, 19);
  const cases: [Record<string, unknown>, string][] = [
    [{ card_number: '4000000000000000007' }, 'E301'], // 19 digits, Luhn fails
    [{ card_number: '40000000000000000006' }, 'E301'], // 20 digits
    [{ card_number: '5031755734530604000' }, 'E301'], // Mastercard has 16
    [{ card_number: '4509953566233704'.replace('4', '٤') }, 'E301'], // an Arabic-Indic digit
    [{ card_number: 1e30 }, 'E301'],
    [{ cardholder: { name: 'A😀' } }, '316'],
    [{ cardholder: { name: 'x'.repeat(61) } }, '316'],
    [{ cardholder: { name: '   ' } }, '221'],
    [{ expiration_month: '1.5' }, '325'],
    [{ expiration_year: -1 }, '326'],
    [{ security_code: '١٢٣' }, 'E302'],
    [{ cardholder: { name: 'APRO', identification: { type: 'V', number: '12AB' } } }, '324'],
    [{ cardholder: { name: 'APRO', identification: { type: 'ZZ', number: '123456' } } }, '322'],
  ];
  for (const [change, code] of cases) {
    const answer = await cardToken({ ...CARD, ...change });
    assertCardError(answer, 400, JSON.stringify(change));
    assert.deepEqual(
      answer.body.cause.map((c: { code: string }) => c.code),
      [code],
      JSON.stringify(change),
    );
  }
});

test('a card number sent as a JSON number past 2^53 (rounded on the way in) is refused as invalid, never tokenized with other digits', async () => {
  // 4509953566233707777 fails Luhn; read as a double it becomes 4509953566233708000, which passes.
  const send = (digits: string) =>
    fetch(`${server.url}/v1/card_tokens?public_key=${publicKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"card_number": ${digits}, "expiration_month": 11, "expiration_year": 2030, "security_code": "123", "cardholder": {"name": "APRO"}}`,
    });
  for (const digits of ['4509953566233707777', '4509953566233708000']) {
    const answer = await send(digits);
    const body = await answer.json();
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.deepEqual(
      body.cause.map((c: { code: string }) => c.code),
      ['E301'],
      digits,
    );
  }
  // A number that a double holds exactly is read as its digits.
  const exact = await send('4509953566233704');
  assert.equal(exact.status, 201);
  assert.equal(((await exact.json()) as { last_four_digits: string }).last_four_digits, '3704');
});

test("another merchant's tokens, payments and refunds are unknown to it", async () => {
  const other = await merchant(server);
  const token = (await cardToken()).body.id;
  const paid = await pay({});
  const refund = await http(server.url, 'POST', `/v1/payments/${paid.body.id}/refunds`, { token: accessToken, json: { amount: 1 } });
  assert.equal(refund.status, 201, refund.text);
  const theirs = other.app.accessToken;
  assertCardError(await http(server.url, 'GET', `/v1/card_tokens/${token}`, { token: theirs }), 404, 'token by access token');
  assertCardError(await http(server.url, 'GET', `/v1/card_tokens/${token}?public_key=${other.app.publicKey}`), 404, 'token by public key');
  const spent = await http(server.url, 'POST', '/v1/payments', { token: theirs, json: { transaction_amount: 10, token } });
  assertCardError(spent, 400, 'pay with it');
  assert.equal(spent.body.cause[0].code, 2006);
  const attempts: [string, string, unknown?][] = [
    ['GET', `/v1/payments/${paid.body.id}`],
    ['PUT', `/v1/payments/${paid.body.id}`, { status: 'cancelled' }],
    ['PUT', `/v1/payments/${paid.body.id}`, { capture: true }],
    ['POST', `/v1/payments/${paid.body.id}/refunds`, {}],
    ['GET', `/v1/payments/${paid.body.id}/refunds`],
    ['GET', `/v1/payments/${paid.body.id}/refunds/${refund.body.id}`],
  ];
  for (const [method, path, json] of attempts) {
    const answer = await http(server.url, method, path, { token: theirs, ...(json ? { json } : {}) });
    assertCardError(answer, 404, `${method} ${path}`);
    assert.equal(answer.body.message, 'El pago no existe.');
  }
  const search = await http(server.url, 'GET', '/v1/payments/search', { token: theirs });
  assert.deepEqual(search.body.results, []);
  // The token is still theirs to use: the other merchant's attempt spent nothing.
  assert.equal((await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 10, token } })).status, 201);
  const own = await http(server.url, 'GET', `/v1/payments/${paid.body.id}`, { token: accessToken });
  assert.deepEqual([own.body.status, own.body.transaction_amount_refunded], ['approved', 1]);
});

test('a public key tokenizes cards and does nothing else', async () => {
  const paid = await pay({});
  const token = (await cardToken()).body.id;
  const asBearer = { authorization: `Bearer ${publicKey}` };
  const attempts: [string, string, unknown?][] = [
    ['POST', '/v1/payments', { transaction_amount: 10, token }],
    ['GET', `/v1/payments/${paid.body.id}`],
    ['GET', '/v1/payments/search'],
    ['PUT', `/v1/payments/${paid.body.id}`, { status: 'cancelled' }],
    ['POST', `/v1/payments/${paid.body.id}/refunds`, {}],
    ['GET', `/v1/payments/${paid.body.id}/refunds`],
    ['GET', '/users/me'],
    ['POST', '/users/test_user', { site_id: 'MLA' }],
  ];
  for (const [method, path, json] of attempts) {
    for (const [how, query, headers] of [
      ['query', `${path.includes('?') ? '&' : '?'}public_key=${publicKey}`, {}],
      ['bearer', '', asBearer],
    ] as const) {
      const answer = await http(server.url, method, path + query, { headers, ...(json ? { json } : {}) });
      assertCardError(answer, 401, `${method} ${path} (public key as ${how})`);
    }
  }
  assert.equal((await http(server.url, 'GET', `/v1/payments/${paid.body.id}`, { token: accessToken })).body.transaction_amount_refunded, 0);
  // Keys of the other environment, and keys that are not keys.
  for (const key of ['APP_USR-00000000-0000-0000-0000-000000000000', 'TEST-nope', accessToken, '']) {
    assertCardError(await cardToken(CARD, encodeURIComponent(key)), 401, `public_key=${key.slice(0, 12)}`);
  }
});

test('tokenizing with a public key is limited per app and client address (CARD_TOKEN_RATE_LIMIT): 429 in the family’s shape, with Retry-After', async () => {
  const limited = await startTestServer({ env: { CARD_TOKEN_RATE_LIMIT: '3', CARD_TOKEN_RATE_WINDOW_SECONDS: '60' } });
  try {
    const keys = (await ensureDemo(limited.ctx)).merchant.app;
    const other = revealCredentials(limited.ctx, (await createMerchant(limited.ctx)).app);
    // A fresh window, so the test does not straddle a boundary.
    const now = await limited.ctx.clock.now();
    await limited.ctx.clock.advance(Math.ceil((60_000 - (now % 60_000)) / 1000) + 1);
    const tokenize = (card: Record<string, unknown>, key = keys.publicKey) => http(limited.url, 'POST', `/v1/card_tokens?public_key=${key}`, { json: card });
    const first = await tokenize(CARD);
    assert.equal(first.status, 201);
    // Failed attempts count: they are what trying card numbers looks like.
    assert.equal((await tokenize({ ...CARD, card_number: '4509953566233705' })).status, 400);
    assert.equal((await tokenize(CARD)).status, 201);
    // Reading a token back is not tokenizing.
    assert.equal((await http(limited.url, 'GET', `/v1/card_tokens/${first.body.id}?public_key=${keys.publicKey}`)).status, 200);
    const refused = await tokenize(CARD);
    assertCardError(refused, 429, 'past the limit');
    assert.equal(refused.body.error, 'too_many_requests');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${refused.headers.get('retry-after')}`);
    // Another merchant's public key from the same address, and the merchant's server with its access token, are not limited by it.
    assert.equal((await tokenize(CARD, other.publicKey)).status, 201);
    assert.equal((await http(limited.url, 'POST', '/v1/card_tokens', { token: keys.accessToken, json: CARD })).status, 201);
    await limited.ctx.clock.advance(61);
    assert.equal((await tokenize(CARD)).status, 201, 'the next window is open');
    // The retention worker drops counters whose window ended (the other merchant's), not the open one.
    assert.equal(await pruneCardTokenQuotas(limited.ctx, 100), 1);
    assert.equal((await tokenize(CARD)).status, 201);
  } finally {
    await limited.close();
  }
});

test('the family’s error messages are Spanish, whatever failed; the error codes stay as they were', async () => {
  const english = /\b(the|is|not|must|invalid|request|should|found|allowed|amount|body|token was)\b/i;
  const answers: [string, HttpAnswer, number, string | number | undefined][] = [];
  const record = (label: string, answer: HttpAnswer, status: number, code?: string | number) => answers.push([label, answer, status, code]);
  record('data entry', await cardToken({ ...CARD, card_number: '4509953566233705' }), 400, 'E301');
  record(
    'schema',
    await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 10, token: 'x', installments: 0 } }),
    400,
    'invalid_parameter',
  );
  record('missing field', await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 10 } }), 400, 'invalid_parameter');
  record('unknown token', await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 10, token: 'nope' } }), 400, 2006);
  const paid = await pay({});
  record('state', await http(server.url, 'PUT', `/v1/payments/${paid.body.id}`, { token: accessToken, json: { status: 'cancelled' } }), 400, 126);
  record('refund too much', await http(server.url, 'POST', `/v1/payments/${paid.body.id}/refunds`, { token: accessToken, json: { amount: 11 } }), 400, 4040);
  record('mismatch', await pay({ payment_method_id: 'master' }), 400, 3034);
  record('not found', await http(server.url, 'GET', '/v1/payments/1', { token: accessToken }), 404);
  record('no credentials', await http(server.url, 'GET', '/v1/payments/1'), 401);
  const broken = await fetch(`${server.url}/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: '{',
  });
  const brokenText = await broken.text();
  record('broken JSON', { status: broken.status, headers: broken.headers, body: JSON.parse(brokenText), text: brokenText }, 400);
  for (const [label, answer, status, code] of answers) {
    assertCardError(answer, status, label);
    assert.doesNotMatch(answer.body.message, english, `${label}: ${answer.body.message}`);
    for (const cause of answer.body.cause) assert.doesNotMatch(cause.description, english, `${label}: ${cause.description}`);
    if (code !== undefined) assert.equal(answer.body.cause[0]?.code, code, label);
  }
  assert.equal(answers[0]![1].body.message, 'El número de la tarjeta no es válido.');
  assert.equal(answers[3]![1].body.message, 'El token de la tarjeta no existe, ya se usó o venció.');
  assert.equal(answers[1]![1].body.error, 'bad_request');
});
