// Intents a terminal did not take (OPEN) or did not charge once taken (ON_TERMINAL) before
// their deadline, on the deployment clock, are ABANDONED and free their terminal. Run by the
// point-intent-expiry worker; the sandbox clock moves the deadline in tests.
import type { Ctx } from '../../platform/context.ts';
import { runCommand } from '../commands/index.ts';
import { abandonIfDue } from './intents.ts';
import { dueIntents } from './repo.ts';

export async function abandonDueIntents(ctx: Ctx, limit = 100): Promise<number> {
  const now = await ctx.clock.now();
  let abandoned = 0;
  for (const row of await dueIntents(ctx.store.db, now, limit)) {
    // Counted from the committed answer: a change may run twice (a retried transaction).
    if (await runCommand(ctx, undefined, (scope) => abandonIfDue(scope, row.id), now)) abandoned++;
  }
  return abandoned;
}
