// Every background worker of a deployment, started by `pasarela start` beside the API.
import type { Ctx } from '../platform/context.ts';
import { expireIntents, performPendingReturnCalls } from '../modules/wallet-intents/index.ts';
import { voidExpiredHolds } from '../modules/ledger/index.ts';
import { cardAuthorizationVoided } from '../modules/cards/index.ts';
import { abandonDueIntents } from '../modules/point/index.ts';
import { startPayoutSettlement } from './payout-settlement.ts';
import { startRetentionWorker } from './retention.ts';
import { startWorker, type Worker } from './runner.ts';
import { startWebhookWorker } from './webhooks.ts';

export interface WorkerLogger {
  error(object: unknown, message: string): void;
}

export function startWorkers(ctx: Ctx, log: WorkerLogger): Worker[] {
  const onError = (name: string) => (error: unknown) => log.error({ err: error, worker: name }, 'worker tick failed');
  // Each capability registers its worker here (outbox dispatcher, expirers, payout settlement).
  const workers: Worker[] = [];
  workers.push(startPayoutSettlement(ctx, { onError: onError('payout-settlement') }));
  workers.push(startWebhookWorker(ctx, { onError: onError('webhooks') }));
  workers.push(startWorker({ name: 'intent-expiry', intervalMs: 30_000, tick: () => expireIntents(ctx), onError: onError('intent-expiry') }));
  workers.push(startWorker({ name: 'point-intent-expiry', intervalMs: 15_000, tick: () => abandonDueIntents(ctx), onError: onError('point-intent-expiry') }));
  workers.push(startWorker({ name: 'return-url-calls', intervalMs: 5_000, tick: () => performPendingReturnCalls(ctx), onError: onError('return-url-calls') }));
  // Ledger holds past their deadline are voided; a capability that owns holds (card
  // authorizations) passes `onVoided` here to update its own rows in the same transaction.
  workers.push(
    startWorker({
      name: 'hold-expiry',
      intervalMs: 30_000,
      tick: () => voidExpiredHolds(ctx, { onVoided: cardAuthorizationVoided }),
      onError: onError('hold-expiry'),
    }),
  );
  // Expired tokens, sessions, sign-in counters, idempotency keys and old webhook deliveries.
  workers.push(startRetentionWorker(ctx, { onError: onError('retention') }));
  return workers;
}

export async function stopWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.stop()));
}
