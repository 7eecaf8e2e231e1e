// What one attempt changes (pure): the delivery's next state under the retry schedule, the
// attempt's log row, and whether its endpoint is flagged (failed for good) or unflagged.
import { newRowId } from '../../kernel/ids.ts';
import { retryDelayMs, storableText } from './model.ts';
import type { AttemptRecord } from './dispatch-repo.ts';
import type { DeliveryRow, EndpointRow } from './repo.ts';
import type { SendResult } from './sender.ts';

export interface AttemptFacts {
  /** The leased copy: while the lease is ours nobody else changes the row, so it is current. */
  delivery: DeliveryRow;
  endpoint: EndpointRow | undefined;
  /** Where the attempt went (the endpoint's URL at the time). */
  target: string;
  startedAt: number;
  now: number;
  result: SendResult;
  horizonMs: number;
  workerId: string;
}

export function attemptOutcome(facts: AttemptFacts): AttemptRecord & { status: DeliveryRow['status'] } {
  const { delivery, result, now } = facts;
  const number = delivery.attempts + 1;
  let status: DeliveryRow['status'] = 'succeeded';
  let nextAttemptAt: number | null = null;
  if (!result.succeeded) {
    const delay = retryDelayMs(delivery.cycle_attempts + 1, now - delivery.cycle_started_at, facts.horizonMs);
    status = delay === null ? 'failed' : 'pending';
    nextAttemptAt = delay === null ? null : now + delay;
  }
  const flag = !delivery.endpoint_id ? 'none' : status === 'failed' ? 'set' : status === 'succeeded' && facts.endpoint?.flagged_at != null ? 'clear' : 'none';
  return {
    status,
    flag,
    flagReason: storableText(`Entrega ${delivery.id} fallida tras ${number} intentos (${result.statusCode ?? result.error})`.slice(0, 300)),
    change: {
      status,
      url: storableText(facts.target),
      attempts: number,
      cycle_attempts: delivery.cycle_attempts + 1,
      last_status_code: result.statusCode,
      last_error: storableText(result.error),
      last_attempt_at: facts.startedAt,
      claimed_until: null,
      claim_token: null,
      completed_at: status === 'pending' ? null : now,
      ...(nextAttemptAt !== null ? { next_attempt_at: nextAttemptAt } : {}),
    },
    attempt: {
      id: newRowId(),
      delivery_id: delivery.id,
      number,
      request_id: result.requestId,
      url: storableText(result.url),
      started_at: facts.startedAt,
      status_code: result.statusCode,
      error: storableText(result.error),
      latency_ms: result.latencyMs,
      response_body: storableText(result.responseBody),
      succeeded: result.succeeded ? 1 : 0,
      worker_id: facts.workerId,
    },
  };
}
