// What the retention worker prunes of the webhooks capability: finished deliveries (succeeded,
// or given up) older than the horizon, their attempts first. Pending deliveries are never
// touched, whatever their age.
import type { Ctx } from '../../platform/context.ts';
import { deleteFinishedAttemptsBefore, deleteFinishedDeliveriesBefore } from './repo.ts';

/** One retention batch: up to `limit` attempts of deliveries finished more than `horizonMs` ago. */
export async function pruneFinishedAttempts(ctx: Ctx, horizonMs: number, limit: number): Promise<number> {
  return deleteFinishedAttemptsBefore(ctx.store.db, (await ctx.clock.now()) - horizonMs, limit);
}

/** One retention batch: up to `limit` such deliveries whose attempts are already gone. */
export async function pruneFinishedDeliveries(ctx: Ctx, horizonMs: number, limit: number): Promise<number> {
  return deleteFinishedDeliveriesBefore(ctx.store.db, (await ctx.clock.now()) - horizonMs, limit);
}
