// Payout settlement: pays PROCESSING payout items when they are due on the deployment clock
// (DISPERSION_INSTANT_INTERBANK at the next tick, DISPERSION 24 h after submission).
import type { Ctx } from '../platform/context.ts';
import { settleDuePayouts } from '../modules/payouts/index.ts';
import { startWorker, type Worker } from './runner.ts';

export const PAYOUT_SETTLEMENT_INTERVAL_MS = 2000;

export function startPayoutSettlement(ctx: Ctx, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): Worker {
  return startWorker({
    name: 'payout-settlement',
    intervalMs: options.intervalMs ?? PAYOUT_SETTLEMENT_INTERVAL_MS,
    tick: () => settleDuePayouts(ctx),
    onError: options.onError,
  });
}
