// Webhook signatures (the notification contract): header `x-signature: ts=<unix seconds>,v1=<hex>`
// where v1 = HMAC-SHA256(secret, "id:<data.id>;request-id:<x-request-id>;ts:<ts>;").
// Pure: no I/O, the same code signs on the platform and verifies on a receiver.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ManifestParts {
  /** `data.id` of the query string (lower-cased when alphanumeric, as the contract says). */
  dataId: string;
  /** The `x-request-id` header. */
  requestId: string;
  /** Unix time in seconds (the `ts` of `x-signature`). */
  ts: number | string;
}

/** The signed text: `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`. */
export function signatureManifest(parts: ManifestParts): string {
  return `id:${String(parts.dataId).toLowerCase()};request-id:${parts.requestId};ts:${parts.ts};`;
}

export function signatureHex(secret: string, parts: ManifestParts): string {
  return createHmac('sha256', secret).update(signatureManifest(parts)).digest('hex');
}

/** The `x-signature` header value for these parts. */
export function signatureHeader(secret: string, parts: ManifestParts): string {
  return `ts=${parts.ts},v1=${signatureHex(secret, parts)}`;
}

/** `ts=…,v1=…` → its parts (several v1 are allowed, e.g. during a secret rotation). */
export function parseSignatureHeader(value: string): { ts: string; v1: string[] } | undefined {
  let ts = '';
  const v1: string[] = [];
  for (const piece of value.split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim();
    const val = piece.slice(eq + 1).trim();
    if (key === 'ts') ts = val;
    else if (key === 'v1') v1.push(val);
  }
  if (!/^\d{1,12}$/.test(ts) || v1.length === 0) return undefined;
  return { ts, v1 };
}

type HeaderBag = Headers | Record<string, string | string[] | undefined> | { get(name: string): string | null };
type QueryBag = URLSearchParams | string | Record<string, unknown>;

function header(headers: HeaderBag, name: string): string {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  const bag = headers as Record<string, string | string[] | undefined>;
  let value = bag[name];
  if (value === undefined) {
    const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : bag[key];
  }
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function dataIdOf(query: QueryBag): string {
  if (typeof query === 'string') {
    const text = query.includes('?') ? query.slice(query.indexOf('?') + 1) : query;
    return new URLSearchParams(text).get('data.id') ?? '';
  }
  if (query instanceof URLSearchParams) return query.get('data.id') ?? '';
  const flat = query['data.id'];
  if (typeof flat === 'string' || typeof flat === 'number') return String(flat);
  // Parsers that expand dots (qs with allowDots) give {data: {id}}.
  const nested = query.data as Record<string, unknown> | undefined;
  if (nested && (typeof nested.id === 'string' || typeof nested.id === 'number')) return String(nested.id);
  return '';
}

export interface VerifyOptions {
  /** Refuse signatures older (or newer) than this many seconds; 0 turns the check off. Default 300. */
  toleranceSeconds?: number;
  /** Now in milliseconds (tests). */
  nowMs?: number;
}

export type VerifyFailure =
  'missing_signature' | 'malformed_signature' | 'missing_request_id' | 'missing_data_id' | 'timestamp_out_of_tolerance' | 'signature_mismatch';

/** Like verifySignature, but says why a notification is refused. */
export function checkSignature(
  headers: HeaderBag,
  query: QueryBag,
  secret: string,
  options: VerifyOptions = {},
): { ok: true } | { ok: false; reason: VerifyFailure } {
  const raw = header(headers, 'x-signature');
  if (!raw) return { ok: false, reason: 'missing_signature' };
  const parsed = parseSignatureHeader(raw);
  if (!parsed) return { ok: false, reason: 'malformed_signature' };
  const requestId = header(headers, 'x-request-id');
  if (!requestId) return { ok: false, reason: 'missing_request_id' };
  const dataId = dataIdOf(query);
  if (!dataId) return { ok: false, reason: 'missing_data_id' };
  const tolerance = options.toleranceSeconds ?? 300;
  if (tolerance > 0) {
    const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
    if (Math.abs(nowSeconds - Number(parsed.ts)) > tolerance) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }
  const expected = Buffer.from(signatureHex(secret, { dataId, requestId, ts: parsed.ts }), 'hex');
  for (const candidate of parsed.v1) {
    if (!/^[0-9a-f]{64}$/i.test(candidate)) continue;
    const given = Buffer.from(candidate, 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'signature_mismatch' };
}

/**
 * Does this notification come from Pasarela? `headers` are the request headers (Node's
 * `req.headers`, a fetch `Headers`, or a plain object), `query` the query string (an object
 * such as Express' `req.query`, a `URLSearchParams`, or the request URL), `secret` the
 * endpoint's signing secret. Constant-time; refuses timestamps more than 5 minutes away.
 *
 * ```ts
 * import { verifySignature } from 'pasarela';
 * http.createServer((req, res) => {
 *   const url = new URL(req.url!, 'http://receiver');
 *   if (!verifySignature(req.headers, url.searchParams, process.env.WEBHOOK_SECRET!)) {
 *     res.writeHead(401).end();
 *     return;
 *   }
 *   // … read the JSON body, fetch the object by data.id, answer 200 quickly
 *   res.writeHead(200).end();
 * });
 * ```
 */
export function verifySignature(headers: HeaderBag, query: QueryBag, secret: string, options: VerifyOptions = {}): boolean {
  return checkSignature(headers, query, secret, options).ok;
}
