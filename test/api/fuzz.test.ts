// Property-based fuzzing over the OpenAPI document: any documented operation, as any caller,
// with path, query and body values drawn from the documented schemas mixed with hostile ones
// (wrong types, non-finite numbers, NUL, odd encodings and content types). Property: never a
// 5xx, every error in its route's documented shape. Seeded (FUZZ_SEED reproduces a run) and
// bounded in time (FUZZ_SECONDS, default 40).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkAnswer, callers, documentedOperations, fillPath, formPairs, HUGE, jsonWithHugeNumbers, realIds, send, type Caller } from './openapi-fixtures.ts';
import { useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 40);

// Operations that take the fuzzer's own credentials away (renewing the keys, signing out,
// moving the clock past every token's expiry) would turn the rest of the run into 401s. The
// malformed-request sweep covers them.
const SKIPPED = new Set(['POST /console/api/apps/{id}/credentials/renew', 'DELETE /console/api/session', 'POST /sandbox/clock']);

const hostileText = fc.constantFrom(
  'Infinity',
  '-Infinity',
  'NaN',
  '1e999',
  '-1',
  '0',
  '1.5',
  '0x10',
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '../../etc',
  '%00',
  '%',
  '<script>',
  '"',
  "'",
  '\\',
  '\u202e',
  '🙂',
  'null',
  'true',
  '[]',
  '{}',
);
const domainText = fc.constantFrom(
  'comprador1',
  '584125550001',
  'V19123456',
  'VES',
  'USD',
  'sale',
  'request',
  'DISPERSION',
  'DISPERSION_INSTANT_INTERBANK',
  '20',
  '7.50',
  '1111',
  'https://example.com/ok',
  'http://127.0.0.1:1/x',
  'payment.*',
  'pending',
  'succeeded',
);
const text = fc.oneof(fc.string({ maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 12 }), hostileText, domainText);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(HUGE, 2 ** 53 + 1, -(2 ** 53), 1e308, 0, -0, 1));
const leaf: fc.Arbitrary<unknown> = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(text, domainText), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Values shaped like the schema most of the time, anything some of the time. */
function fromSchema(schema: any, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return leaf;
  let shaped: fc.Arbitrary<unknown>;
  const branches: any[] = schema.anyOf ?? schema.oneOf ?? [];
  if (branches.length) shaped = fc.oneof(...branches.map((b) => fromSchema(b, depth + 1)));
  else if (schema.type === 'object') {
    const properties = Object.entries<any>(schema.properties ?? {});
    shaped = properties.length
      ? fc.record(Object.fromEntries(properties.map(([k, v]) => [k, fromSchema(v, depth + 1)])), { requiredKeys: [] })
      : fc.dictionary(text, leaf, { maxKeys: 3 });
  } else if (schema.type === 'array') shaped = fc.array(fromSchema(schema.items, depth + 1), { maxLength: 3 });
  else if (schema.type === 'integer') shaped = fc.oneof(fc.integer({ min: (schema.minimum ?? -1000) - 2, max: (schema.maximum ?? 1000) + 2 }), number, text);
  else if (schema.type === 'number') shaped = fc.oneof(number, text);
  else if (schema.type === 'boolean') shaped = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', '1', 'yes'));
  else if (schema.enum) shaped = fc.oneof(fc.constantFrom(...schema.enum), text);
  else if (schema.const !== undefined) shaped = fc.oneof(fc.constant(schema.const), text);
  else if (typeof schema.maxLength === 'number') {
    // Around the documented limit; a long limit (a base64 logo) is probed with one value past it.
    const max: number = schema.maxLength;
    shaped = fc.oneof(text, max <= 500 ? fc.string({ minLength: Math.max(0, max - 1), maxLength: max + 1 }) : fc.constant('A'.repeat(max + 1)));
  } else shaped = text;
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

type Encoding = 'json' | 'form' | 'multipart' | 'raw';
const contentTypes = fc.constantFrom(
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'application/json; charset=latin1',
  '*/*',
  'application/vnd.api+json',
);

function encode(tree: unknown, encoding: Encoding, rawText: string, rawType: string): { body?: string | FormData; type?: string } {
  switch (encoding) {
    case 'json':
      return { body: tree === undefined ? '' : jsonWithHugeNumbers(tree), type: 'application/json' };
    case 'form':
      return { body: formPairs(tree).join('&'), type: 'application/x-www-form-urlencoded' };
    case 'multipart': {
      const form = new FormData();
      for (const pair of formPairs(tree)) {
        const [k, v = ''] = pair.split('=');
        form.append(decodeURIComponent(k!), decodeURIComponent(v));
      }
      return { body: form };
    }
    case 'raw':
      return { body: rawText, type: rawType };
  }
}

test('fuzzing the documented operations finds no 5xx and no undocumented error shape', { timeout: (SECONDS + 120) * 1000 }, async () => {
  const operations = (await documentedOperations(w.server)).filter((op) => !SKIPPED.has(`${op.method} ${op.path}`));
  const who: Caller[] = await callers(w);
  const ids = await realIds(w, who[1]!);
  const pathValue = fc.oneof(fc.constantFrom(ids.id!, 'x', '0', '..', '%2e%2e'), text);

  // One arbitrary per operation, built once (building them per run costs more than the requests).
  const request = fc.oneof(
    ...operations.map((operation, op) =>
      fc.record({
        // Names, not objects, so a counterexample reads well; looked up in the property.
        op: fc.constant(op),
        operation: fc.constant(`${operation.method} ${operation.path}`),
        caller: fc.integer({ min: 0, max: who.length - 1 }),
        path: fc.record(Object.fromEntries(operation.pathParams.map((name) => [name, pathValue]))) as fc.Arbitrary<Record<string, string>>,
        query: fc.record(Object.fromEntries(operation.queryParams.map((p) => [p.name, fromSchema(p.schema)])), { requiredKeys: [] }),
        tree: operation.bodySchema ? fromSchema(operation.bodySchema) : anyJson,
        encoding: fc.constantFrom<Encoding>('json', 'json', 'form', 'multipart', 'raw'),
        rawText: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{"a":', '[[[[', '1e999', 'null', '')),
        rawType: contentTypes,
      }),
    ),
  );

  let runs = 0;
  const statuses = new Map<number, number>();
  const property = fc.asyncProperty(request, async (r) => {
    const op = operations[r.op]!;
    const caller = who[r.caller]!;
    const query = formPairs(r.query)
      .filter((pair) => !pair.startsWith('value='))
      .join('&');
    const url = `${w.server.url}${fillPath(op, r.path)}${query ? `?${query}` : ''}`;
    const { body, type } = op.method === 'GET' ? {} : encode(r.tree, r.encoding, r.rawText, r.rawType);
    const answer = await send(url, op.method, { ...caller.headers, ...(type ? { 'content-type': type } : {}) }, body);
    runs++;
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    checkAnswer(op, answer, `${caller.name} ${op.method} ${url.slice(w.server.url.length, 200)} [${r.encoding}]`);
  });
  const result = await fc.check(property, { seed: SEED, numRuns: 100_000, endOnFailure: true, plugins: [fc.interruptAfterTimeLimit(SECONDS * 1000)] });
  assert.equal(result.failed, false, fc.defaultReportMessage(result) ?? 'failed');
  // A run that did almost nothing proves nothing.
  assert.ok(runs >= 200, `only ${runs} requests in ${SECONDS} s`);
  // The fuzzer must reach past validation too, not only bounce off it.
  assert.ok(
    [...statuses.keys()].some((s) => s >= 200 && s < 300),
    `no success among ${JSON.stringify([...statuses])}`,
  );
  process.stderr.write(`fuzz: ${runs} requests, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
});
