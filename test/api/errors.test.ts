// Every class of bad input gets a 4xx in the documented shape — never a 500, never a crash —
// and every answer carries a request id.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fundWallet } from '../../src/modules/wallets/service.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { login, registerPerson } from './core-fixtures.ts';

let server: TestServer;
const seen: { label: string; status: number; requestId: string | null }[] = [];

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

interface Raw {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function raw(label: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string | FormData } = {}): Promise<Raw> {
  const response = await fetch(server.url + path, { method, headers: init.headers, body: init.body });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  seen.push({ label, status: response.status, requestId: response.headers.get('x-request-id') });
  return { status: response.status, headers: response.headers, body, text };
}

function expectError(answer: Raw, status: number, message?: RegExp) {
  assert.equal(answer.status, status, answer.text.slice(0, 300));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(answer.body.code, status);
  assert.equal(typeof answer.body.message, 'string');
  if (message) assert.match(answer.body.message, message);
}

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

describe('malformed bodies', () => {
  test('malformed or empty JSON → 400', async () => {
    for (const body of ['{"username": ', '{username: "x"}', "{'a': 1}", '[1, 2', 'nul', '{"a": 1} trailing']) {
      expectError(await raw(`json ${body}`, 'POST', '/console/api/register', { headers: JSON_TYPE, body }), 400, /JSON no es válido/);
    }
    expectError(await raw('empty json', 'POST', '/console/api/register', { headers: JSON_TYPE, body: '' }), 400, /vacío/);
    expectError(await raw('proto json', 'POST', '/console/api/register', { headers: JSON_TYPE, body: '{"__proto__": {"admin": true}}' }), 400);
    // the token endpoint answers in the OAuth shape
    const oauth = await raw('json token', 'POST', '/oauth/v2/token', { headers: JSON_TYPE, body: '{"grant_type":' });
    assert.equal(oauth.status, 400);
    assert.equal(oauth.body.error, 'invalid_request');
    assert.match(oauth.body.error_description, /JSON no es válido/);
  });

  test('a content type other than JSON, form or multipart → 415', async () => {
    for (const type of ['application/xml', 'text/plain', 'text/plain;charset=UTF-8', 'application/octet-stream', 'image/png']) {
      expectError(
        await raw(`type ${type}`, 'POST', '/console/api/register', { headers: { 'content-type': type }, body: 'username=x' }),
        415,
        /JSON, formulario o multipart/,
      );
    }
    const oauth = await raw('type token', 'POST', '/oauth/v2/token', { headers: { 'content-type': 'text/plain' }, body: 'grant_type=urn:client_apps' });
    assert.equal(oauth.status, 415);
    assert.equal(oauth.body.error, 'invalid_request');
  });

  test('a body over 1 MB → 413 (JSON, form, multipart file)', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    expectError(await raw('big json', 'POST', '/console/api/register', { headers: JSON_TYPE, body: JSON.stringify({ name: big }) }), 413, /demasiado grande/);
    expectError(await raw('big form', 'POST', '/console/api/register', { headers: FORM_TYPE, body: `name=${big}` }), 413, /demasiado grande/);
    const form = new FormData();
    form.set('name', 'x');
    form.set('logo', new Blob([Buffer.alloc(1024 * 1024 + 1)]), 'logo.png');
    expectError(await raw('big file', 'POST', '/console/api/register', { body: form }), 413, /1 MB/);
    const field = new FormData();
    field.set('name', 'x'.repeat(70 * 1024));
    const longField = await raw('long field', 'POST', '/console/api/register', { body: field });
    assert.ok(longField.status === 413 || longField.status === 400, longField.text);
  });

  test('too many fields → 413 (form, multipart, JSON, files, query string)', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');
    expectError(await raw('many form', 'POST', '/console/api/register', { headers: FORM_TYPE, body: many }), 413, /más de 1000 campos/);
    const form = new FormData();
    for (let i = 0; i < 1001; i++) form.append(`f${i}`, '1');
    expectError(await raw('many multipart', 'POST', '/console/api/register', { body: form }), 413);
    const files = new FormData();
    for (let i = 0; i < 5; i++) files.append(`file${i}`, new Blob([Buffer.alloc(10)]), 'a.png');
    expectError(await raw('many files', 'POST', '/console/api/register', { body: files }), 413);
    expectError(
      await raw('many json', 'POST', '/console/api/register', {
        headers: JSON_TYPE,
        body: JSON.stringify({ list: Array.from({ length: 6000 }, (_, i) => i) }),
      }),
      413,
    );
    expectError(await raw('many query', 'GET', `/healthz?${many}`), 413);
    // a list index past the field limit does not build a huge array
    const sparse = await raw('sparse index', 'POST', '/console/api/register', { headers: FORM_TYPE, body: 'a[999999999]=1&username=x' });
    assert.ok(sparse.status >= 400 && sparse.status < 500, sparse.text);
  });

  test('nesting too deep → 400 (form, multipart, JSON, query string), and the server stays up', async () => {
    const deepName = 'a' + '[b]'.repeat(13);
    expectError(await raw('deep form', 'POST', '/console/api/register', { headers: FORM_TYPE, body: `${deepName}=1` }), 400, /anidan más de 12 niveles/);
    const form = new FormData();
    form.set(deepName, '1');
    expectError(await raw('deep multipart', 'POST', '/console/api/register', { body: form }), 400, /anidan/);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { a: deep };
    expectError(await raw('deep json', 'POST', '/console/api/register', { headers: JSON_TYPE, body: JSON.stringify(deep) }), 400, /anidan/);
    const veryDeep = '['.repeat(100_000) + ']'.repeat(100_000);
    expectError(await raw('very deep json', 'POST', '/console/api/register', { headers: JSON_TYPE, body: veryDeep }), 400);
    // the query string is parsed before any hook: it once crashed the whole process
    expectError(await raw('deep query', 'GET', `/healthz?${deepName}=1`), 400, /anidan/);
    const unknownPath = await raw('deep query 404', 'GET', `/no-such-path?${deepName}=1`);
    expectError(unknownPath, unknownPath.status === 404 ? 404 : 400);
    expectError(await raw('deep query token', 'GET', `/api/user/profile.json?${deepName}=1`), 400);
    assert.equal((await raw('alive', 'GET', '/healthz')).status, 200);
  });

  test('broken multipart → 400', async () => {
    expectError(
      await raw('no boundary', 'POST', '/console/api/register', { headers: { 'content-type': 'multipart/form-data' }, body: 'abc' }),
      400,
      /multipart/,
    );
    const cut = '--xyz\r\nContent-Disposition: form-data; name="username"\r\n\r\nana';
    expectError(
      await raw('cut multipart', 'POST', '/console/api/register', { headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: cut }),
      400,
      /multipart/,
    );
  });
});

describe('validation failures', () => {
  test('field errors in the children tree with Spanish messages (schema and service rules)', async () => {
    const answer = await http(server.url, 'POST', '/console/api/register', { json: { type: 'empresa', username: 'x'.repeat(41), pin: '12345' } });
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(answer.body, {
      code: 400,
      message: 'Validation Failed',
      errors: {
        errors: [],
        children: {
          type: { errors: ['Este valor no es válido.'] },
          username: { errors: ['Este valor es demasiado largo. Debería tener 40 caracteres o menos.'] },
          pin: { errors: ['Este valor es demasiado largo. Debería tener 4 caracteres o menos.'] },
        },
      },
    });
    const service = await http(server.url, 'POST', '/console/api/register', { form: { username: 'ab', password: 'x' } });
    assert.equal(service.status, 400);
    assert.deepEqual(service.body.errors.errors, []);
    assert.deepEqual(service.body.errors.children.password, { errors: ['La contraseña debe tener al menos 8 caracteres.'] });
    assert.match(service.body.errors.children.username.errors[0], /^El usuario debe tener/);
  });

  test('a form-level error goes to errors.errors (insufficient funds)', async () => {
    const payer = await registerPerson(server);
    const payee = await registerPerson(server);
    await fundWallet(server.ctx, { account: payer.username, amount: '10.00' });
    const session = await login(server, payer.username);
    const answer = await http(server.url, 'POST', '/console/api/transfers', {
      json: { to: payee.username, amount: '10.01', pin: '1234' },
      headers: session.headers,
    });
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(answer.body, {
      code: 400,
      message: 'Validation Failed',
      errors: { errors: ['Saldo insuficiente para realizar este envío de dinero.'], children: {} },
    });
    const decimals = await http(server.url, 'POST', '/console/api/transfers', {
      json: { to: payee.username, amount: 1.005, pin: '1234' },
      headers: session.headers,
    });
    assert.deepEqual(decimals.body.errors.children.amount, { errors: ['El monto admite como máximo 2 decimales.'] });
    const me = await http(server.url, 'GET', '/console/api/me', { headers: session.headers });
    assert.equal(me.body.wallets[0].balance, '10.00', 'nothing moved');
  });
});

describe('routing', () => {
  test('unknown path → 404 JSON; wrong method → 405 JSON with Allow', async () => {
    for (const path of ['/nope', '/api/nope.json', '/console/api/nope', '/oauth/v2/nope']) {
      expectError(await raw(`404 ${path}`, 'GET', path), 404);
    }
    const cases: [string, string, string][] = [
      ['GET', '/oauth/v2/token', 'POST'],
      ['DELETE', '/api/user/profile.json', 'GET'],
      ['PUT', '/console/api/register', 'POST'],
      ['GET', '/console/api/apps/some-id/credentials/renew', 'POST'],
      ['POST', '/healthz', 'GET'],
    ];
    for (const [method, path, allowed] of cases) {
      const answer = await raw(`405 ${method} ${path}`, method, path, method === 'GET' || method === 'DELETE' ? {} : { headers: JSON_TYPE, body: '{}' });
      expectError(answer, 405);
      assert.ok((answer.headers.get('allow') ?? '').split(/,\s*/).includes(allowed), `${method} ${path}: allow ${answer.headers.get('allow')}`);
    }
  });
});

describe('request id', () => {
  test('every answer above carried an x-request-id, and none was a 5xx', () => {
    assert.ok(seen.length > 40, `only ${seen.length} requests recorded`);
    for (const s of seen) {
      assert.ok(s.requestId && s.requestId.length > 0, `${s.label}: no x-request-id`);
      assert.ok(s.status < 500, `${s.label}: ${s.status}`);
    }
  });

  test('a valid incoming x-request-id is echoed; an invalid one is replaced', async () => {
    const echoed = await http(server.url, 'GET', '/healthz', { headers: { 'x-request-id': 'req-123.abc:9' } });
    assert.equal(echoed.headers.get('x-request-id'), 'req-123.abc:9');
    const onError = await http(server.url, 'GET', '/nope', { headers: { 'x-request-id': 'trace-404' } });
    assert.equal(onError.headers.get('x-request-id'), 'trace-404');
    const ids = new Set<string>();
    for (const bad of ['has spaces in it', 'x'.repeat(200), 'semi;colon', '']) {
      const answer = await http(server.url, 'GET', '/healthz', { headers: { 'x-request-id': bad } });
      const id = answer.headers.get('x-request-id') ?? '';
      assert.match(id, /^[0-9a-f-]{36}$/, `${JSON.stringify(bad)} → ${id}`);
      ids.add(id);
    }
    assert.equal(ids.size, 4, 'a fresh id per request');
  });
});
