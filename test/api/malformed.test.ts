// Every documented operation (from /openapi.json), anonymous and with credentials, against the
// malformed-request classes a probe found 500s with: invalid JSON, an empty body, a NUL
// character, deep nesting, a wrong content type and numbers too large for a double — in the
// body and in the query. None may answer 5xx; every error is in its route's documented shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAnswer,
  callers,
  documentedOperations,
  fillPath,
  formPairs,
  HUGE,
  jsonWithHugeNumbers,
  realIds,
  send,
  type Caller,
  type Operation,
} from './openapi-fixtures.ts';
import { useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

/** The operation's documented body with every leaf set to a number no double can hold. */
function hugeTree(schema: any, depth = 0): unknown {
  if (!schema || depth > 6) return HUGE;
  if (schema.type === 'object' && schema.properties) {
    return Object.fromEntries(Object.entries<any>(schema.properties).map(([k, v]) => [k, hugeTree(v, depth + 1)]));
  }
  if (schema.type === 'array') return [hugeTree(schema.items, depth + 1)];
  const branches: any[] = schema.anyOf ?? schema.oneOf ?? [];
  const structured = branches.find((b) => b.type === 'object' || b.type === 'array');
  return structured ? hugeTree(structured, depth + 1) : HUGE;
}

interface Variant {
  label: string;
  /** A raw path instead of the operation's own. */
  path?: string;
  type?: string;
  body?: string | FormData;
  query?: string;
}

function bodyVariants(op: Operation): Variant[] {
  const json = 'application/json';
  const form = 'application/x-www-form-urlencoded';
  const tree = hugeTree(op.bodySchema);
  const hugeJson = jsonWithHugeNumbers(tree);
  const deepForm = 'a' + '[b]'.repeat(40) + '=1';
  const multipartNul = new FormData();
  multipartNul.set('name', 'a\u0000b');
  return [
    { label: 'invalid JSON', type: json, body: '{"a": ' },
    { label: 'invalid JSON (single quotes)', type: json, body: "{'a': 1}" },
    { label: 'JSON with trailing garbage', type: json, body: '{"a": 1} x' },
    { label: 'empty JSON body', type: json, body: '' },
    { label: 'JSON null', type: json, body: 'null' },
    { label: 'JSON scalar', type: json, body: '"text"' },
    {
      label: 'NUL in JSON',
      type: json,
      body: JSON.stringify({ a: 'x\u0000y', name: '\u0000', paymentintent: { intent: '\u0000' }, multi_payment_item: { reference: 'a\u0000' } }),
    },
    { label: 'NUL in a JSON key', type: json, body: '{"a\\u0000b": 1}' },
    { label: 'NUL in a form', type: form, body: 'a=x%00y&name=%00' },
    { label: 'NUL in multipart', body: multipartNul },
    { label: 'deep JSON object', type: json, body: '{"a":'.repeat(60) + '1' + '}'.repeat(60) },
    { label: 'deep JSON array', type: json, body: '['.repeat(5000) + ']'.repeat(5000) },
    { label: 'deep form', type: form, body: deepForm },
    { label: 'wide JSON', type: json, body: JSON.stringify(Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, i]))) },
    { label: 'text/plain', type: 'text/plain', body: 'a=1' },
    { label: 'application/xml', type: 'application/xml', body: '<a>1</a>' },
    { label: 'image/png', type: 'image/png', body: '\u0089PNG' },
    { label: 'multipart without boundary', type: 'multipart/form-data', body: 'a=1' },
    { label: 'broken multipart', type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1' },
    { label: 'JSON with a bad charset', type: 'application/json; charset=utf-99', body: '{}' },
    { label: 'huge numbers in JSON', type: json, body: hugeJson },
    { label: 'huge number at the root', type: json, body: '1e999' },
    { label: 'huge numbers in a form', type: form, body: formPairs(tree).join('&') },
  ];
}

function queryVariants(op: Operation): Variant[] {
  const names = op.queryParams.map((p) => p.name);
  if (names.length === 0) names.push('x');
  const all = (value: string) => names.map((n) => `${encodeURIComponent(n)}=${encodeURIComponent(value)}`).join('&');
  return [
    { label: 'NUL in the query', query: all('a\u0000b') },
    { label: 'Infinity in the query', query: all('Infinity') },
    { label: '-Infinity in the query', query: all('-Infinity') },
    { label: '1e999 in the query', query: all('1e999') },
    { label: 'NaN in the query', query: all('NaN') },
    { label: 'deep query', query: 'a' + '[b]'.repeat(40) + '=1' },
    { label: 'broken percent-encoding', query: `${names[0]}=%E0%A4%A&y=%` },
    { label: 'repeated query names', query: `${names[0]}=1&${names[0]}=2&${names[0]}[]=3` },
  ];
}

function pathVariants(op: Operation): Variant[] {
  const raw = (value: string) => op.path.replace(/\{(\w+)\}/g, value);
  return [
    { label: 'broken percent-encoding in the path', path: raw('%E0%A4%A') },
    { label: 'a lone % in the path', path: raw('%') },
    { label: 'NUL in the path', path: raw('%00') },
    { label: 'a path parameter over the length limit', path: raw('x'.repeat(5000)) },
    { label: 'a huge number in the path', path: raw('1e999') },
  ];
}

test('no documented operation answers 5xx to a malformed request, with or without credentials', { timeout: 600_000 }, async () => {
  const operations = await documentedOperations(w.server);
  assert.ok(operations.length >= 50, `only ${operations.length} documented operations`);
  const who: Caller[] = await callers(w);
  let sent = 0;
  const failures: string[] = [];
  for (const caller of who) {
    const ids = await realIds(w, caller);
    for (const op of operations) {
      const path = fillPath(op, ids);
      const variants: Variant[] = [];
      if (op.method !== 'GET') variants.push(...bodyVariants(op));
      if (op.method === 'GET' || op.queryParams.length > 0) variants.push(...queryVariants(op));
      if (op.pathParams.length > 0) variants.push(...pathVariants(op));
      for (const variant of variants) {
        const headers = { ...caller.headers, ...(variant.type ? { 'content-type': variant.type } : {}) };
        const url = `${w.server.url}${variant.path ?? path}${variant.query ? `?${variant.query}` : ''}`;
        const answer = await send(url, op.method, headers, variant.body);
        try {
          checkAnswer(op, answer, `${caller.name} ${op.method} ${op.path} [${variant.label}]`);
        } catch (error) {
          failures.push((error as Error).message.split('\n')[0]!);
        }
        sent++;
      }
    }
  }
  assert.deepEqual(failures.slice(0, 30), [], `${failures.length} of ${sent} answers wrong`);
  assert.ok(sent > 2000, `only ${sent} requests`);
});
