// The operator's fee schedule, per operation and currency. Fees are credited to the platform
// fee account in the same ledger entry as the operation they charge for.
import { ValidationError } from '../../kernel/errors.ts';
import { FEE_OPERATIONS, NO_FEE, type FeeOperation, type FeeRule } from './model.ts';
import { FEE_MESSAGES } from './rules.ts';
import { formatAmount, parseAmount, parseCurrency, type Currency } from '../../kernel/money.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { readCacheOf } from '../../store/read-cache.ts';
import { allFeeRules, findFeeRule, findFeeRules, upsertFeeRule } from './repo.ts';

/**
 * How long a fee rule read by this process may be used. A change made here is seen at once (the
 * cache forgets on any write to fee_rules); one made by another process within this time.
 */
const FEE_RULES_CACHE_MS = 1000;

/** The rule in force for one operation; read on every payment, so kept in memory (see above). */
export async function feeRule(ctx: Ctx, tx: Tx, operation: FeeOperation, currency: Currency): Promise<FeeRule> {
  const cache = readCacheOf<FeeRule>(ctx.store, 'fee_rules', ['fee_rules'], FEE_RULES_CACHE_MS);
  const rule = await cache.get(`${operation}:${currency}`, async () => {
    const row = await findFeeRule(tx, operation, currency);
    return row ? Object.freeze({ percentBasisPoints: row.percentBasisPoints, fixedMinor: row.fixedMinor }) : NO_FEE;
  });
  return rule!;
}

/** The rules of these operations in these currencies in one statement; NO_FEE where none is set. */
export async function feeRuleTable(
  db: Db | Tx,
  operations: readonly FeeOperation[],
  currencies: readonly Currency[],
): Promise<(operation: FeeOperation, currency: Currency) => FeeRule> {
  const rules = new Map(
    (await findFeeRules(db, operations, currencies)).map((r) => [
      `${r.operation}:${r.currency}`,
      { percentBasisPoints: r.percentBasisPoints, fixedMinor: r.fixedMinor },
    ]),
  );
  return (operation, currency) => rules.get(`${operation}:${currency}`) ?? NO_FEE;
}

/** 250 basis points → "2.5" (exact: integer arithmetic, trailing zeros dropped). */
function percentText(basisPoints: number): string {
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${Math.trunc(basisPoints / 100)}${fraction ? `.${fraction}` : ''}`;
}

export interface FeeRuleView {
  operation: FeeOperation;
  currency: Currency;
  percent: string;
  fixed: string;
}

export async function listFeeRules(db: Db): Promise<FeeRuleView[]> {
  return (await allFeeRules(db)).map((r) => ({
    operation: r.operation,
    currency: r.currency,
    percent: percentText(r.percentBasisPoints),
    fixed: formatAmount(r.fixedMinor, r.currency),
  }));
}

/** Operator: set one rule. `percent` is a decimal string ("2.5" = 2.5 %), at most 2 decimals. */
export async function setFeeRule(ctx: Ctx, input: { operation: unknown; currency?: unknown; percent?: unknown; fixed?: unknown }): Promise<FeeRuleView> {
  const operation = input.operation as FeeOperation;
  if (!FEE_OPERATIONS.includes(operation)) throw new ValidationError([{ path: ['operation'], message: FEE_MESSAGES.operation.es, code: 'fees.operation' }]);
  const currency = parseCurrency(input.currency, ['currency']);
  // Basis points are "percent with two decimals": parse them exactly like a 2-decimal amount.
  const percentBp = input.percent === undefined || input.percent === '' ? 0 : parseAmount(input.percent, 'USD', { path: ['percent'], allowZero: true });
  if (percentBp > 100_00) throw new ValidationError([{ path: ['percent'], message: FEE_MESSAGES.percent.es, code: 'fees.percent' }]);
  const fixedMinor = input.fixed === undefined || input.fixed === '' ? 0 : parseAmount(input.fixed, currency, { path: ['fixed'], allowZero: true });
  const now = await ctx.clock.now();
  await upsertFeeRule(ctx.store.db, { operation, currency, percentBasisPoints: percentBp, fixedMinor }, now);
  return (await listFeeRules(ctx.store.db)).find((r) => r.operation === operation && r.currency === currency)!;
}
