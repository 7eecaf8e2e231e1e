// The HTTP edge without a server: bracket forms and JSON trees become one shape, limits are
// refused with the right status, and field errors build the contract's children tree.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyError, LIMITS, normalizeLists, parseForm, parseQuery } from '../../src/http/shared/body.ts';
import { errorTree, validationBody } from '../../src/http/shared/errors.ts';
import { redactUrl } from '../../src/http/shared/redact.ts';

describe('form parsing', () => {
  test('bracket names nest, numbered keys become lists, numbers stay strings', () => {
    const tree = parseForm('paymentintent[intent]=sale&paymentintent[transactions][0][items][0][price]=7.5&paymentintent[transactions][0][items][1][price]=2');
    assert.deepEqual(tree, { paymentintent: { intent: 'sale', transactions: [{ items: [{ price: '7.5' }, { price: '2' }] }] } });
  });

  test('JSON lists keyed "0", "1" … are the same as arrays', () => {
    assert.deepEqual(normalizeLists({ transactions: { '0': { items: { '0': { price: 7.5 } } } } }), { transactions: [{ items: [{ price: 7.5 }] }] });
    // the index decides the position, whatever order the keys arrived in
    assert.deepEqual(normalizeLists(JSON.parse('{"1": "a", "0": "b"}')), ['b', 'a']);
    // keys that are not exactly 0..n-1 stay an object
    assert.deepEqual(normalizeLists({ '0': 'a', '2': 'b' }), { '0': 'a', '2': 'b' });
    assert.deepEqual(normalizeLists({ '0': 'a', name: 'b' }), { '0': 'a', name: 'b' });
  });

  test('prototype keys do not pollute', () => {
    const tree = parseForm('__proto__[polluted]=1&constructor[prototype][polluted]=1&a=1');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((tree as Record<string, unknown>).a, '1');
  });

  test('too deep is a 400, too many fields a 413', () => {
    const deep = 'a' + '[b]'.repeat(LIMITS.depth + 1) + '=1';
    assert.throws(
      () => parseForm(deep),
      (e) => e instanceof BodyError && e.statusCode === 400,
    );
    const many = Array.from({ length: LIMITS.fields + 1 }, (_, i) => `f${i}=1`).join('&');
    assert.throws(
      () => parseForm(many),
      (e) => e instanceof BodyError && e.statusCode === 413,
    );
    // exactly at the limits is fine
    assert.doesNotThrow(() => parseForm('a' + '[b]'.repeat(LIMITS.depth) + '=1'));
    assert.doesNotThrow(() => parseForm(Array.from({ length: LIMITS.fields }, (_, i) => `f${i}=1`).join('&')));
  });

  test('the query-string parser never throws (it runs outside the error handler)', () => {
    const deep = 'a' + '[b]'.repeat(LIMITS.depth + 1) + '=1';
    assert.doesNotThrow(() => parseQuery(deep));
    assert.deepEqual(parseQuery('a=1&b[c]=2'), { a: '1', b: { c: '2' } });
  });
});

describe('validation error tree', () => {
  test('form-level errors at the root, field errors in children mirroring the request', () => {
    const body = validationBody([
      { path: [], message: 'Saldo insuficiente para realizar este envío de dinero.' },
      { path: ['redirectUrls', 'returnUrl'], message: 'La URI de retorno es obligatoria.' },
      { path: ['transactions', '0', 'description'], message: 'Este valor no debería estar vacío.' },
      { path: ['transactions', '0', 'description'], message: 'Este valor no debería estar vacío.' },
    ]);
    assert.deepEqual(body, {
      code: 400,
      message: 'Validation Failed',
      errors: {
        errors: ['Saldo insuficiente para realizar este envío de dinero.'],
        children: {
          redirectUrls: { children: { returnUrl: { errors: ['La URI de retorno es obligatoria.'] } } },
          transactions: { children: { '0': { children: { description: { errors: ['Este valor no debería estar vacío.'] } } } } },
        },
      },
    });
    assert.deepEqual(errorTree([]), { errors: [], children: {} });
  });
});

describe('log redaction', () => {
  test('secret query values are masked however the name is spelled', () => {
    const cases: [string, string][] = [
      ['/api/user/profile.json', '/api/user/profile.json'],
      ['/a?access_token=abc&x=1', '/a?access_token=[oculto]&x=1'],
      ['/a?x=1&CLIENT_SECRET=abc', '/a?x=1&CLIENT_SECRET=[oculto]'],
      ['/a?access%5Ftoken=abc', '/a?access%5Ftoken=[oculto]'],
      ['/a?%61ccess_token=abc', '/a?%61ccess_token=[oculto]'],
      ['/a?access_token[]=abc&access_token[]=def', '/a?access_token[]=[oculto]&access_token[]=[oculto]'],
      ['/a?payment_execution%5Bpin%5D=1234', '/a?payment_execution%5Bpin%5D=[oculto]'],
      ['/a?login[password]=abc&login[name]=ana', '/a?login[password]=[oculto]&login[name]=ana'],
      ['/a?refresh_token=abc&token=def&tokens=ghi', '/a?refresh_token=[oculto]&token=[oculto]&tokens=ghi'],
      ['/a?%E0%A4%A=1&password=x', '/a?%E0%A4%A=1&password=[oculto]'],
    ];
    for (const [url, expected] of cases) assert.equal(redactUrl(url), expected, url);
  });
});
