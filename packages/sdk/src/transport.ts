// Every call to the server: JSON in and out, the bearer token, an idempotency key on each
// state-changing POST (the same key on every attempt, so the server runs it once), bounded
// retries with exponential backoff after a network error or a 5xx, and one retry with a
// renewed token after a 401.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiContext } from './config.ts';
import { errorFromAnswer, PasarelaApiError, PasarelaConnectionError } from './errors.ts';
import { VERSION } from './version.ts';

/** What the last answer said about itself; every returned object carries it as `lastResponse`. */
export interface ResponseMeta {
  statusCode: number;
  /** The server's `x-request-id`. */
  requestId: string | undefined;
  /** The key sent with a POST (generated unless you gave one). */
  idempotencyKey: string | undefined;
  /** The server answered with the stored answer of an earlier request with this key. */
  idempotentReplayed: boolean;
  /** Attempts made: 1 unless a network error or a 5xx was retried. */
  attempts: number;
}

/** Per-call options of the methods that change something. */
export interface RequestOptions {
  /** Your own key (1–255 visible ASCII characters); by default a random UUID per call. */
  idempotencyKey?: string;
}

export type WithResponse<T> = T & { readonly lastResponse: ResponseMeta };

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  /** Send the bearer token (all but the token endpoint). */
  auth: boolean;
  /**
   * May the request be sent again after a network error or a 5xx? GETs may; a POST only with
   * an idempotency key (`idempotent`), or when a duplicate is harmless (a token request).
   */
  retry: boolean;
  /** Send an idempotency key (POSTs the server deduplicates). */
  idempotent?: boolean;
  options?: RequestOptions;
}

/** Where the bearer token comes from (tokens.ts). */
export interface TokenSource {
  current(): Promise<string>;
  /** This token was refused: the next `current()` obtains another, if it can. */
  invalidate(token: string): boolean;
}

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;
const KEY = /^[\x21-\x7e]{1,255}$/;

interface RawAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export class Transport {
  tokens: TokenSource | undefined;

  constructor(private readonly context: ApiContext) {}

  async request<T>(spec: RequestSpec): Promise<{ body: T; meta: ResponseMeta }> {
    const key = spec.idempotent ? (spec.options?.idempotencyKey ?? randomUUID()) : undefined;
    if (key !== undefined && !KEY.test(key)) throw new TypeError('Pasarela: an idempotency key has 1 to 255 visible ASCII characters.');
    const url = this.url(spec);
    const payload = spec.json !== undefined ? JSON.stringify(spec.json) : spec.form ? new URLSearchParams(spec.form).toString() : undefined;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': `pasarela-sdk-node/${VERSION} node/${process.version}` };
    if (spec.json !== undefined) headers['content-type'] = 'application/json';
    else if (spec.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (key !== undefined) headers['idempotency-key'] = key;

    const maxRetries = spec.retry ? this.context.maxNetworkRetries : 0;
    let retries = 0;
    let attempts = 0;
    let renewed = false;
    for (;;) {
      const token = spec.auth ? await this.tokenSource().current() : undefined;
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      attempts++;
      let answer: RawAnswer;
      try {
        answer = await this.send(url, spec.method, headers, payload);
      } catch (cause) {
        if (retries < maxRetries) {
          await sleep(backoffMs(retries++));
          continue;
        }
        throw new PasarelaConnectionError({ message: `Pasarela: no answer from ${this.context.baseUrl} (${describe(cause)}; ${attempts} attempt(s))`, cause });
      }
      // A token the server stopped accepting (expired early, renewed keys): one more try with a new one.
      if (answer.status === 401 && token !== undefined && !renewed && this.tokenSource().invalidate(token)) {
        renewed = true;
        continue;
      }
      if (answer.status >= 500 && retries < maxRetries) {
        await sleep(backoffMs(retries++, answer.headers.get('retry-after')));
        continue;
      }
      const meta: ResponseMeta = {
        statusCode: answer.status,
        requestId: answer.headers.get('x-request-id') ?? undefined,
        idempotencyKey: key,
        idempotentReplayed: answer.headers.get('idempotent-replayed') === 'true',
        attempts,
      };
      const body = parse(answer.text);
      if (answer.status >= 400) {
        throw errorFromAnswer({
          status: answer.status,
          body: body.ok ? body.value : answer.text,
          requestId: meta.requestId,
          refusal: answer.headers.get('pasarela-refusal') ?? undefined,
          retryAfter: answer.headers.get('retry-after'),
        });
      }
      if (!body.ok) {
        throw new PasarelaApiError({ statusCode: answer.status, requestId: meta.requestId, body: answer.text, message: 'Pasarela: the answer is not JSON.' });
      }
      return { body: body.value as T, meta };
    }
  }

  private tokenSource(): TokenSource {
    if (!this.tokens) throw new Error('Pasarela: no token source');
    return this.tokens;
  }

  private url(spec: RequestSpec): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) if (value !== undefined) query.set(name, String(value));
    const search = query.size ? `?${query.toString()}` : '';
    return `${this.context.baseUrl}${spec.path}${search}`;
  }

  private async send(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<RawAnswer> {
    // The timeout covers the whole answer, body included: a connection cut mid-body is retried too.
    const signal = AbortSignal.timeout(this.context.timeoutMs);
    const response = await this.context.fetch(url, { method, headers: { ...headers }, body, signal });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }
}

/** Exponential (0.5 s, 1 s, 2 s … up to 5 s) with jitter, or the server's Retry-After within that bound. */
export function backoffMs(retry: number, retryAfter?: string | null): number {
  const asked = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : undefined;
  if (asked !== undefined) return Math.min(asked, MAX_DELAY_MS);
  const ceiling = Math.min(MAX_DELAY_MS, INITIAL_DELAY_MS * 2 ** retry);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

/** The body with its `lastResponse` (not enumerable: JSON.stringify and spreads leave it out). */
export function withResponse<T extends object>(body: T, meta: ResponseMeta): WithResponse<T> {
  return Object.defineProperty(body, 'lastResponse', { value: meta, enumerable: false }) as WithResponse<T>;
}
