// Every background worker of a deployment, started by `pasarela start` beside the API.
import type { Ctx } from '../services/context.ts';
import type { Worker } from './runner.ts';
import { startWebhookWorker } from './webhooks.ts';
import { startPayoutSettlement } from './payout-settlement.ts';

export interface WorkerLogger {
  error(object: unknown, message: string): void;
}

export function startWorkers(ctx: Ctx, log: WorkerLogger): Worker[] {
  const onError = (name: string) => (error: unknown) => log.error({ err: error, worker: name }, 'worker tick failed');
  void onError;
  void ctx;
  // Each capability registers its worker here (outbox dispatcher, expirers, payout settlement).
  const workers: Worker[] = [];
  workers.push(startPayoutSettlement(ctx, { onError: onError('payout-settlement') }));
  workers.push(startWebhookWorker(ctx, { onError: onError('webhooks') }));
  return workers;
}

export async function stopWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.stop()));
}
