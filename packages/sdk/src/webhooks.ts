// Verifying a notification: `x-signature: ts=<unix seconds>,v1=<hex>`, where v1 is the
// HMAC-SHA256, under the endpoint's secret, of `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`.
// The timestamp must lie within a tolerance of now (default 5 minutes), so a captured
// notification cannot be replayed later.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { PasarelaSignatureVerificationError } from './errors.ts';
import type { WebhookEvent } from './events.ts';

/** Node's `req.headers`, a fetch `Headers`, or a plain object. */
export type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };

export interface ConstructEventOptions {
  /** Refuse timestamps further than this from now, in seconds (default 300; 0 turns the check off). */
  toleranceSeconds?: number;
  /**
   * The notification's request URL (Node's `req.url` is enough): its `data.id` must then be the
   * body's. The signature covers the query's `data.id`, which the body repeats.
   */
  url?: string | URL;
  /** Now, in milliseconds (tests). */
  nowMs?: number;
}

export type SignatureFailure =
  | 'invalid_body'
  | 'missing_data_id'
  | 'data_id_mismatch'
  | 'missing_signature'
  | 'malformed_signature'
  | 'missing_request_id'
  | 'timestamp_out_of_tolerance'
  | 'signature_mismatch';

export const DEFAULT_TOLERANCE_SECONDS = 300;

const MESSAGES: Record<SignatureFailure, string> = {
  invalid_body: 'the body is not a JSON notification',
  missing_data_id: 'the notification names no data.id',
  data_id_mismatch: "the body's data.id is not the URL's",
  missing_signature: 'no x-signature header',
  malformed_signature: 'the x-signature header is not ts=…,v1=…',
  missing_request_id: 'no x-request-id header',
  timestamp_out_of_tolerance: 'the signature is too old (or from the future)',
  signature_mismatch: 'the signature does not match (wrong secret, or the notification was altered)',
};

function fail(code: SignatureFailure): never {
  throw new PasarelaSignatureVerificationError({ code, message: `Pasarela webhook: ${MESSAGES[code]}.` });
}

function header(headers: HeaderBag, name: string): string {
  if (typeof headers.get === 'function') return (headers.get as (n: string) => string | null)(name) ?? '';
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function parseSignature(value: string): { ts: string; v1: string[] } | undefined {
  let ts = '';
  const v1: string[] = [];
  for (const piece of value.split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim();
    const part = piece.slice(eq + 1).trim();
    if (key === 'ts') ts = part;
    else if (key === 'v1') v1.push(part);
  }
  return /^\d{1,12}$/.test(ts) && v1.length > 0 ? { ts, v1 } : undefined;
}

function signature(secret: string, dataId: string, requestId: string, ts: string | number): string {
  return createHmac('sha256', secret).update(`id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`).digest('hex');
}

function readBody(body: string | Uint8Array | object): Record<string, unknown> {
  let value: unknown = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
    } catch {
      fail('invalid_body');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('invalid_body');
  return value as Record<string, unknown>;
}

/**
 * The notification, once its signature is checked: `body` as received (the raw text or bytes,
 * or the parsed object), `headers` the request's, `secret` the endpoint's signing secret
 * (`whsec_…`). Throws PasarelaSignatureVerificationError (its `code` says why) otherwise.
 */
export function constructEvent(body: string | Uint8Array | object, headers: HeaderBag, secret: string, options: ConstructEventOptions = {}): WebhookEvent {
  if (typeof secret !== 'string' || secret === '') throw new TypeError('Pasarela webhook: the signing secret is required.');
  const event = readBody(body);
  const data = event.data as { id?: unknown } | undefined;
  const bodyId = typeof data?.id === 'string' || typeof data?.id === 'number' ? String(data.id) : '';
  const urlId = options.url === undefined ? '' : (new URL(String(options.url), 'http://receiver').searchParams.get('data.id') ?? '');
  if (bodyId && urlId && bodyId !== urlId) fail('data_id_mismatch');
  const dataId = bodyId || urlId;
  if (!dataId) fail('missing_data_id');

  const raw = header(headers, 'x-signature');
  if (!raw) fail('missing_signature');
  const parsed = parseSignature(raw);
  if (!parsed) fail('malformed_signature');
  const requestId = header(headers, 'x-request-id');
  if (!requestId) fail('missing_request_id');
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (tolerance > 0 && Math.abs(Math.floor((options.nowMs ?? Date.now()) / 1000) - Number(parsed.ts)) > tolerance) fail('timestamp_out_of_tolerance');
  const expected = Buffer.from(signature(secret, dataId, requestId, parsed.ts), 'hex');
  const matches = parsed.v1.some((candidate) => /^[0-9a-f]{64}$/i.test(candidate) && timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  if (!matches) fail('signature_mismatch');
  return event as unknown as WebhookEvent;
}

/**
 * Headers of a correctly signed notification, for your own receiver's tests (as Pasarela
 * would send them): `constructEvent(body, generateTestHeaders({ dataId, secret }), secret)`.
 */
export function generateTestHeaders(input: { dataId: string; secret: string; requestId?: string; timestampSeconds?: number }): {
  'x-request-id': string;
  'x-signature': string;
} {
  const requestId = input.requestId ?? randomUUID();
  const ts = input.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return { 'x-request-id': requestId, 'x-signature': `ts=${ts},v1=${signature(input.secret, input.dataId, requestId, ts)}` };
}

export const webhooks = { constructEvent, generateTestHeaders } as const;
