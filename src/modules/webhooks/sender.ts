// One signed notification POST: JSON body, ?data.id=…&type=…, x-request-id and x-signature.
// 2xx is success; redirects are not followed (a 3xx is a failed attempt); the timeout covers
// connecting, the headers and the (truncated) body. It starts when the call is made, so the
// agent must never make a call wait for a connection: the dispatcher's agent allows as many
// connections per origin as it has attempts in flight (see Dispatcher). What the receiver
// answers (and errors about it) is kept as storable text: see storableText.
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { signatureHeader } from './signature.ts';
import { notificationUrl, RESPONSE_BODY_LIMIT, storableText, type Notification } from './model.ts';
import { callOutbound } from '../../platform/outbound.ts';
import { BlockedAddressError } from '../../platform/ssrf.ts';

export interface SendInput {
  /** The target as registered (the query string is added here). */
  target: string;
  notification: Notification;
  secret: string;
  timeoutMs: number;
  agent: Dispatcher;
  /** Refuse private IP literals (the agent's lookup refuses private names). */
  guard: boolean;
  /** Aborts the call (process shutting down). */
  signal?: AbortSignal;
  requestId?: string;
}

export interface SendResult {
  url: string;
  requestId: string;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseBody: string | null;
  succeeded: boolean;
  /** True when `signal` aborted the call (not the receiver's fault). */
  aborted: boolean;
}

export const USER_AGENT = 'Pasarela-Webhooks/1.0';

export function signedHeaders(notification: Notification, secret: string, requestId: string, nowMs = Date.now()): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-request-id': requestId,
    'x-signature': signatureHeader(secret, { dataId: notification.dataId, requestId, ts }),
  };
}

function describeError(error: unknown, timedOut: boolean): string {
  if (timedOut) return 'timeout';
  const e = error as { code?: string; message?: string; cause?: unknown } | undefined;
  const cause = e?.cause as { code?: string; message?: string } | undefined;
  if (error instanceof BlockedAddressError || cause instanceof BlockedAddressError)
    return `blocked: ${((cause instanceof BlockedAddressError ? cause : error) as Error).message}`;
  const code = cause?.code ?? e?.code;
  const message = cause?.message ?? e?.message ?? String(error);
  return (code ? `${code}: ${message}` : message).slice(0, 300);
}

export async function sendNotification(input: SendInput): Promise<SendResult> {
  const requestId = input.requestId ?? randomUUID();
  const url = notificationUrl(input.target, input.notification);
  const started = performance.now();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([timeout.signal, input.signal]) : timeout.signal;
  const finish = (partial: Pick<SendResult, 'statusCode' | 'error' | 'responseBody'>): SendResult => ({
    url,
    requestId,
    statusCode: partial.statusCode,
    // The first KB may end inside a UTF-8 sequence (decoded as U+FFFD) or carry NUL bytes.
    error: storableText(partial.error),
    responseBody: storableText(partial.responseBody),
    latencyMs: Math.round(performance.now() - started),
    succeeded: partial.error === null && partial.statusCode !== null && partial.statusCode >= 200 && partial.statusCode < 300,
    aborted: !!input.signal?.aborted,
  });
  try {
    const answer = await callOutbound(url, {
      method: 'POST',
      headers: signedHeaders(input.notification, input.secret, requestId),
      body: JSON.stringify(input.notification.body),
      agent: input.agent,
      guard: input.guard,
      bodyLimit: RESPONSE_BODY_LIMIT,
      signal,
    });
    if (!('bodyError' in answer)) return finish({ statusCode: answer.statusCode, error: null, responseBody: answer.body });
    if (timeout.signal.aborted) return finish({ statusCode: answer.statusCode, error: 'timeout', responseBody: answer.body });
    throw answer.bodyError;
  } catch (error) {
    return finish({ statusCode: null, error: describeError(error, timeout.signal.aborted && !input.signal?.aborted), responseBody: null });
  } finally {
    clearTimeout(timer);
  }
}
