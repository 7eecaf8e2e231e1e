// Every answer a test server gives to a documented operation must be documented: its status
// listed for the operation, and a JSON body valid against the documented schema. The schemas
// are documentation only (they never serialize), so this is what keeps them true; a violation
// fails the test that caused it when its server closes.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import { routeKey } from '../src/http/reference/document.ts';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

interface Documented {
  statuses: Set<number>;
  validators: Map<number, ValidateFunction>;
}

export function checkAnswersAgainstDocument(app: FastifyInstance): () => void {
  const violations: string[] = [];
  let operations: Map<string, Documented> | undefined;
  const documented = () => {
    if (operations) return operations;
    operations = new Map();
    const document = app.swagger() as unknown as { paths: Record<string, Record<string, { responses: Record<string, any> }>> };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const validators = new Map<number, ValidateFunction>();
        for (const [status, answer] of Object.entries(operation.responses ?? {})) {
          const schema = answer?.content?.['application/json']?.schema;
          if (schema) validators.set(Number(status), ajv.compile(schema));
        }
        operations.set(routeKey(method, path), { statuses: new Set(Object.keys(operation.responses ?? {}).map(Number)), validators });
      }
    }
    return operations;
  };
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url;
    if (!url || request.method === 'HEAD') return payload;
    const key = `${request.method} ${url}`;
    const operation = documented().get(key);
    if (!operation) return payload;
    const status = reply.statusCode;
    if (!operation.statuses.has(status)) {
      violations.push(`${key} answered ${status}, which its documentation does not list`);
      return payload;
    }
    const validate = operation.validators.get(status);
    const type = String(reply.getHeader('content-type') ?? '');
    if (validate && typeof payload === 'string' && type.startsWith('application/json') && !validate(JSON.parse(payload))) {
      violations.push(`${key} ${status} does not match its documented schema: ${ajv.errorsText(validate.errors?.slice(0, 3))} — ${payload.slice(0, 300)}`);
    }
    return payload;
  });
  return () => assert.deepEqual(violations, [], `answers that differ from the OpenAPI document:\n${violations.join('\n')}`);
}
