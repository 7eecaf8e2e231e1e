// The fee schedule's table (fee_rules): the only SQL of the fees module.
import type { Currency } from '../../kernel/money.ts';
import type { Db, Tx } from '../../store/db.ts';
import { prepared } from '../../store/prepared.ts';
import type { FeeOperation } from './model.ts';

export interface FeeRuleRow {
  operation: FeeOperation;
  currency: Currency;
  percentBasisPoints: number;
  fixedMinor: number;
}

const feeRuleOf = prepared((db, p: { operation: FeeOperation; currency: Currency }) =>
  db.selectFrom('fee_rules').select(['percent_bp', 'fixed_minor']).where('operation', '=', p.operation).where('currency', '=', p.currency),
);

export async function findFeeRule(db: Db | Tx, operation: FeeOperation, currency: Currency): Promise<FeeRuleRow | undefined> {
  const row = await feeRuleOf.first(db, { operation, currency });
  return row && { operation, currency, percentBasisPoints: row.percent_bp, fixedMinor: row.fixed_minor };
}

/** The rules of these operations in these currencies, in one statement. */
export async function findFeeRules(db: Db | Tx, operations: readonly FeeOperation[], currencies: readonly Currency[]): Promise<FeeRuleRow[]> {
  if (!operations.length || !currencies.length) return [];
  const rows = await db
    .selectFrom('fee_rules')
    .select(['operation', 'currency', 'percent_bp', 'fixed_minor'])
    .where('operation', 'in', [...operations])
    .where('currency', 'in', [...currencies])
    .execute();
  return rows.map((r) => ({
    operation: r.operation as FeeOperation,
    currency: r.currency as Currency,
    percentBasisPoints: r.percent_bp,
    fixedMinor: r.fixed_minor,
  }));
}

export async function allFeeRules(db: Db | Tx): Promise<FeeRuleRow[]> {
  const rows = await db.selectFrom('fee_rules').selectAll().orderBy('operation').orderBy('currency').execute();
  return rows.map((r) => ({
    operation: r.operation as FeeOperation,
    currency: r.currency as Currency,
    percentBasisPoints: r.percent_bp,
    fixedMinor: r.fixed_minor,
  }));
}

export async function upsertFeeRule(db: Db | Tx, rule: FeeRuleRow, now: number): Promise<void> {
  const values = { percent_bp: rule.percentBasisPoints, fixed_minor: rule.fixedMinor, updated_at: now };
  await db
    .insertInto('fee_rules')
    .values({ operation: rule.operation, currency: rule.currency, ...values })
    .onConflict((oc) => oc.columns(['operation', 'currency']).doUpdateSet(values))
    .execute();
}
