// The OpenAPI document: valid for a well-kept validator (@readme/openapi-parser), every
// operation described (summary, description, a described 2xx answer and error answers in the
// family's shape), the security schemes the console needs for "Try it out", and a TypeScript
// client generated from it (openapi-typescript) that type-checks against real usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { compileErrors, validate } from '@readme/openapi-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { http, startTestServer } from '../helpers.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

test('the OpenAPI document is valid, complete and yields a TypeScript client', async (t) => {
  const server = await startTestServer({ env: { PASARELA_ENV: 'sandbox' } });
  t.after(() => server.close());
  const answer = await http(server.url, 'GET', '/openapi.json');
  assert.equal(answer.status, 200);
  const document = answer.body;
  assert.equal(document.openapi, '3.1.0');

  await t.test('a well-kept validator accepts it', async () => {
    const result = await validate(structuredClone(document));
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
  });

  await t.test('every operation is described, with its answers and errors', () => {
    const problems: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        operations++;
        // The lead adds routes in other branches: name each one the docs miss (its family's docs.ts).
        const name = `${method.toUpperCase()} ${path}`;
        if (!op.summary) problems.push(`${name}: no summary (add it to its family's docs.ts)`);
        if (!op.description) problems.push(`${name}: no description`);
        if (!op.tags?.length) problems.push(`${name}: no tag`);
        const statuses = Object.keys(op.responses ?? {});
        const success = statuses.filter((s) => /^2\d\d$/.test(s));
        if (success.length === 0) problems.push(`${name}: no 2xx answer`);
        for (const s of success) {
          const described = op.responses[s];
          if (!described.description || described.description === 'Default Response') problems.push(`${name}: ${s} answer not described`);
          if (s !== '204' && !described.content) problems.push(`${name}: ${s} answer has no schema`);
          const media: any = described.content && Object.values(described.content)[0];
          if (media && media.example === undefined && !media.schema) problems.push(`${name}: ${s} answer has neither schema nor example`);
        }
        const errors = statuses.filter((s) => /^4\d\d$/.test(s));
        if (errors.length === 0) problems.push(`${name}: no error answers`);
        for (const s of errors) {
          const media = op.responses[s].content?.['application/json'];
          if (!media?.schema || media.example === undefined) problems.push(`${name}: ${s} has no error schema or example`);
        }
        if (op.requestBody) {
          for (const [type, media] of Object.entries<any>(op.requestBody.content)) {
            if (!media.schema) problems.push(`${name}: request ${type} has no schema`);
          }
        }
      }
    }
    assert.deepEqual(problems, [], `undocumented:\n${problems.join('\n')}`);
    assert.ok(operations >= 100, `only ${operations} operations`);
  });

  await t.test('the families, their encodings and the security schemes are declared', () => {
    const token = document.paths['/oauth/v2/token'].post;
    assert.deepEqual(Object.keys(token.requestBody.content).sort(), ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    assert.ok(token.responses['401'].content['application/json'].schema.properties.error_description, 'OAuth error shape');
    const card = document.paths['/v1/payments'].post.responses['400'].content['application/json'];
    assert.deepEqual(Object.keys(card.schema.properties).sort(), ['cause', 'error', 'message', 'status']);
    const wallet = document.paths['/api/payment-intent/.json'].post.responses['401'].content['application/json'];
    assert.deepEqual(Object.keys(wallet.schema.properties).sort(), ['code', 'errors', 'message']);
    const schemes = document.components.securitySchemes;
    assert.deepEqual(schemes.publicKey, { ...schemes.publicKey, type: 'apiKey', in: 'query', name: 'public_key' });
    assert.deepEqual(schemes.sessionCookie, { ...schemes.sessionCookie, type: 'apiKey', in: 'cookie', name: 'pasarela_session' });
    assert.deepEqual(schemes.csrfToken, { ...schemes.csrfToken, type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
    assert.deepEqual(schemes.sessionToken, { ...schemes.sessionToken, type: 'apiKey', in: 'header', name: 'X-Session-Token' });
    assert.deepEqual(document.paths['/console/api/apps'].post.security, [{ sessionToken: [] }, { sessionCookie: [], csrfToken: [] }]);
    assert.deepEqual(document.paths['/v1/card_tokens/'].post.security, [{ publicKey: [] }, { bearer: [] }]);
    const tags = new Set(document.tags.map((tag: { name: string; description: string }) => (assert.ok(tag.description), tag.name)));
    for (const name of ['wallet API', 'card API', 'Point', 'console API', 'webhooks', 'sandbox', 'operations']) assert.ok(tags.has(name), name);
    for (const path of ['/healthz', '/readyz', '/metrics', '/sandbox/clock', '/point/integration-api/integrators', '/users/me'])
      assert.ok(document.paths[path], path);
    for (const path of Object.keys(document.paths)) assert.ok(!/^\/(docs|console\/?$|p\/|js\/|examples\/)/.test(path), `page or asset ${path} is hidden`);
  });

  await t.test('a TypeScript client generated from it type-checks', async () => {
    const types = astToString(await openapiTS(structuredClone(document)));
    const dir = mkdtempSync(join(tmpdir(), 'pasarela-openapi-'));
    try {
      writeFileSync(join(dir, 'api.ts'), types);
      // A client's use of the generated types: what it sends and reads must be what the document says.
      writeFileSync(
        join(dir, 'client.ts'),
        [
          "import type { paths } from './api.ts';",
          "type Token = paths['/oauth/v2/token']['post']['responses'][200]['content']['application/json'];",
          "type TokenForm = NonNullable<paths['/oauth/v2/token']['post']['requestBody']>['content']['application/x-www-form-urlencoded'];",
          "type Intent = paths['/api/payment-intent/show.json']['get']['responses'][200]['content']['application/json'];",
          "type CardError = paths['/v1/payments']['post']['responses'][400]['content']['application/json'];",
          "type Apps = paths['/console/api/apps']['get']['responses'][200]['content']['application/json'];",
          "export const form: TokenForm = { grant_type: 'urn:client_apps', client_id: 'id', client_secret: 'secret' };",
          'export const read = (t: Token, i: Intent, e: CardError, a: Apps): string => t.access_token + i.state + e.cause.map((c) => c.description).join() + a.data[0]?.publicKey;',
          '// @ts-expect-error the token answer has no such field',
          'export const wrong = (t: Token) => t.no_such_field;',
        ].join('\n'),
      );
      const program = ts.createProgram([join(dir, 'client.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        allowImportingTsExtensions: true,
        skipLibCheck: true,
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepEqual(diagnostics, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
