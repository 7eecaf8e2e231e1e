// One call to a URL a merchant chose (a webhook, a billing intent's return_url). An IP literal
// is checked here (the guarded agent's lookup never sees literals, see ssrf.ts), and only the
// first bytes of the answer are read: a receiver cannot make the platform hold a large body.
import { request, type Dispatcher } from 'undici';
import { assertAllowedLiteral } from './ssrf.ts';

export interface OutboundCall {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** An outboundAgent (ssrf.ts): no redirects, guarded lookups in production. */
  agent: Dispatcher;
  /** Refuse private, loopback and link-local IP literals (production). */
  guard: boolean;
  /** Keep at most this many bytes of the answer; the rest is not read. */
  bodyLimit: number;
  signal?: AbortSignal;
  headersTimeout?: number;
  bodyTimeout?: number;
}

export interface OutboundAnswer {
  statusCode: number;
  /** The first `bodyLimit` bytes, decoded as UTF-8 (when reading failed: what was read). */
  body: string;
  /** Set when reading the body failed after the status arrived (a timeout, a reset). */
  bodyError?: unknown;
}

/** Throws when no status arrives: a refused target, a connection error, a timeout, an abort. */
export async function callOutbound(url: string, call: OutboundCall): Promise<OutboundAnswer> {
  if (call.guard) assertAllowedLiteral(new URL(url));
  const response = await request(url, {
    method: call.method,
    headers: call.headers,
    dispatcher: call.agent,
    ...(call.body !== undefined ? { body: call.body } : {}),
    ...(call.signal ? { signal: call.signal } : {}),
    ...(call.headersTimeout !== undefined ? { headersTimeout: call.headersTimeout } : {}),
    ...(call.bodyTimeout !== undefined ? { bodyTimeout: call.bodyTimeout } : {}),
  });
  const chunks: Buffer[] = [];
  let kept = 0;
  const text = () => Buffer.concat(chunks).toString('utf8');
  try {
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, call.bodyLimit - kept));
      kept += Math.min(buffer.length, call.bodyLimit - kept);
      if (kept >= call.bodyLimit) break; // leaving the loop destroys the stream: the rest is not read
    }
  } catch (error) {
    return { statusCode: response.statusCode, body: text(), bodyError: error };
  }
  return { statusCode: response.statusCode, body: text() };
}
