// Expiry of intents nobody executed in time: readers already see them as expired by their
// expires_at; the worker stores it and publishes the event.
import type { Ctx } from '../../platform/context.ts';
import { runCommand } from '../commands/index.ts';
import { findDueIntents, markIntentExpired } from './repo.ts';

/**
 * Worker tick: store the expiry of intents nobody executed in time (readers already see them
 * as expired) and publish `payment_intent.expired`.
 */
export async function expireIntents(ctx: Ctx, limit = 100): Promise<number> {
  const now = await ctx.clock.now();
  const due = await findDueIntents(ctx.store.db, now, limit);
  let expired = 0;
  for (const row of due) {
    // Counted from the committed answer: a change may run twice (a retried transaction).
    const changed = await runCommand(
      ctx,
      undefined,
      async ({ tx, emit }) => {
        if (!(await markIntentExpired(tx, row.id, now))) return false;
        emit({
          type: 'payment_intent.expired',
          objectId: row.id,
          ownerUserId: row.merchant_user_id,
          appId: row.app_id,
          payload: { id: row.id, state: 'expired' },
        });
        return true;
      },
      now,
    );
    if (changed) expired++;
  }
  return expired;
}
