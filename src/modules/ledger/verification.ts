// The ledger verifier run on demand by the operator (the CLI's `pasarela verify-ledger` runs the
// same check): its last result is kept, so the console shows when the books were last checked.
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../store/db.ts';
import { getSetting, putSetting } from '../../store/settings.ts';
import { verifyLedger, type LedgerDiscrepancy } from './service.ts';
import { iso } from '../../kernel/instants.ts';

const LAST_RUN_KEY = 'ledger.verification.last';
/** The answer lists this many differences at most (`total` counts them all). */
export const MAX_LISTED_DISCREPANCIES = 100;

export interface LedgerVerification {
  ok: boolean;
  checkedAt: string;
  durationMs: number;
  total: number;
  problems: LedgerDiscrepancy[];
}

export async function runLedgerVerification(ctx: Ctx): Promise<LedgerVerification> {
  const started = Date.now();
  const problems = await verifyLedger(ctx.store);
  const result: LedgerVerification = {
    ok: problems.length === 0,
    checkedAt: iso(await ctx.clock.now()),
    durationMs: Date.now() - started,
    total: problems.length,
    problems: problems.slice(0, MAX_LISTED_DISCREPANCIES),
  };
  await putSetting(ctx.store.db, LAST_RUN_KEY, JSON.stringify(result));
  return result;
}

export async function lastLedgerVerification(db: Db): Promise<LedgerVerification | null> {
  const stored = await getSetting(db, LAST_RUN_KEY);
  return stored ? (JSON.parse(stored) as LedgerVerification) : null;
}
