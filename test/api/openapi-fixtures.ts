// The documented operations (from the server's own `/openapi.json`), the callers to try them
// as, and the check every answer must pass: never a 5xx, and every error in a documented
// shape — the route's declared response schema when it has one for that status, otherwise
// `{code, message[, errors]}` (`{error, error_description}` on the token endpoint).
import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import { http, type TestServer } from '../helpers.ts';
import { consoleLogin, type WalletWorld } from './wallet-fixtures.ts';

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /console/api/apps/{id}. */
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema: Record<string, unknown> }[];
  bodySchema?: Record<string, unknown>;
  responses: Map<number, ValidateFunction>;
}

const ajv = new Ajv({ strict: false, allErrors: true });

export async function documentedOperations(server: TestServer): Promise<Operation[]> {
  const answer = await http(server.url, 'GET', '/openapi.json');
  assert.equal(answer.status, 200);
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries<Record<string, any>>(answer.body.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const parameters: any[] = op.parameters ?? [];
      const responses = new Map<number, ValidateFunction>();
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        const schema = response?.content?.['application/json']?.schema;
        if (schema && Number(status) >= 400) responses.set(Number(status), ajv.compile(schema));
      }
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        responses,
      });
    }
  }
  return out;
}

export interface Caller {
  name: string;
  headers: Record<string, string>;
}

/** Nobody; the demo merchant (bearer token and console session at once); the operator. */
export async function callers(w: WalletWorld): Promise<Caller[]> {
  const merchantSession = await consoleLogin(w.server.url, w.demo.merchant.username, w.demo.merchant.password);
  const operatorSession = await consoleLogin(w.server.url, w.demo.operator.username, w.demo.operator.password);
  return [
    { name: 'anonymous', headers: {} },
    { name: 'merchant', headers: { authorization: `Bearer ${w.token}`, 'x-session-token': merchantSession } },
    { name: 'operator', headers: { 'x-session-token': operatorSession } },
  ];
}

export function fillPath(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

export interface Sent {
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
}

/** One request; an event stream is closed as soon as its status is known. */
export async function send(url: string, method: string, headers: Record<string, string>, body?: string | FormData): Promise<Sent> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const response = await fetch(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status, contentType, text: '', headers: response.headers };
    }
    return { status: response.status, contentType, text: await response.text(), headers: response.headers };
  } finally {
    clearTimeout(timer);
  }
}

/** The card family's paths (its own error shape): /v1/…, /users/… and its token endpoint. */
export function isCardFamilyPath(path: string): boolean {
  return (
    path.startsWith('/v1/') ||
    path.startsWith('/users/') ||
    path === '/oauth/token' ||
    // The Point family (integration API, integrator webhook, device API).
    path.startsWith('/point/')
  );
}

/** The answer is not a 5xx and, if an error, is in the documented shape for its route. */
export function checkAnswer(op: Operation, sent: Sent, label: string): void {
  assert.ok(sent.status < 500, `${label}: ${sent.status} ${sent.text.slice(0, 300)}`);
  assert.equal(sent.headers.get('x-content-type-options'), 'nosniff', `${label}: no nosniff`);
  if (sent.status < 400) return;
  assert.match(sent.contentType, /^application\/json/, `${label}: error answer is not JSON`);
  const body = JSON.parse(sent.text);
  const declared = op.responses.get(sent.status);
  if (declared) {
    assert.ok(declared(body), `${label}: ${sent.status} does not match its declared schema: ${ajv.errorsText(declared.errors)} — ${sent.text.slice(0, 300)}`);
  }
  if (op.path === '/oauth/v2/token') {
    assert.equal(typeof body.error, 'string', `${label}: ${sent.text}`);
    assert.equal(typeof body.error_description, 'string', `${label}: ${sent.text}`);
    return;
  }
  if (isCardFamilyPath(op.path)) {
    // The card family's shape: {message, error, status, cause[]}.
    assert.equal(body.status, sent.status, `${label}: ${sent.text.slice(0, 300)}`);
    assert.equal(typeof body.error, 'string', `${label}: ${sent.text.slice(0, 300)}`);
    assert.ok(Array.isArray(body.cause), `${label}: ${sent.text.slice(0, 300)}`);
    assert.equal(typeof body.message, 'string', `${label}: ${sent.text.slice(0, 300)}`);
    assert.ok(!/FST_|Error:/.test(body.message), `${label}: internal detail in the message: ${body.message}`);
    return;
  }
  assert.equal(body.code, sent.status, `${label}: ${sent.text.slice(0, 300)}`);
  assert.equal(typeof body.message, 'string', `${label}: ${sent.text.slice(0, 300)}`);
  assert.ok(!/FST_|Error:/.test(body.message), `${label}: internal detail in the message: ${body.message}`);
  if (body.errors !== undefined) assert.equal(body.message, 'Validation Failed', `${label}: ${sent.text.slice(0, 300)}`);
}

/** Ids that exist in the demo world, so requests reach past "not found". */
export async function realIds(w: WalletWorld, caller: Caller): Promise<Record<string, string>> {
  const apps = await http(w.server.url, 'GET', '/console/api/apps', { headers: caller.headers });
  const appId = apps.status === 200 && apps.body.data[0] ? apps.body.data[0].id : 'x';
  return { id: appId, webhookId: 'x', deliveryId: 'x' };
}

/** Stands for a number no double can hold: `1e999` in JSON text, "Infinity" in a form. */
export const HUGE = '__huge__';

export function jsonWithHugeNumbers(tree: unknown): string {
  return JSON.stringify(tree).replaceAll(`"${HUGE}"`, '1e999');
}

/** A tree as urlencoded bracket pairs (`a[b][0]=1`), the contract's form encoding. */
export function formPairs(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object') {
    const value = tree === HUGE ? 'Infinity' : tree === undefined ? '' : String(tree);
    return [`${encodeURIComponent(prefix || 'value')}=${encodeURIComponent(value)}`];
  }
  return Object.entries(tree).flatMap(([k, v]) => formPairs(v, prefix ? `${prefix}[${k}]` : k));
}
