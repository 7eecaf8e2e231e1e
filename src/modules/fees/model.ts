// Fees: a percentage (basis points, 1 % = 100) plus a fixed amount, in minor units.
import { assertMinor, percentOf } from '../../kernel/money.ts';

export type FeeOperation = 'sale' | 'request' | 'transfer' | 'payout_dispersion' | 'payout_instant' | 'card' | 'pos';
export const FEE_OPERATIONS: readonly FeeOperation[] = ['sale', 'request', 'transfer', 'payout_dispersion', 'payout_instant', 'card', 'pos'];

export interface FeeRule {
  percentBasisPoints: number;
  fixedMinor: number;
}

export const NO_FEE: FeeRule = { percentBasisPoints: 0, fixedMinor: 0 };

export function feeFor(amountMinor: number, rule: FeeRule): number {
  assertMinor(amountMinor);
  return percentOf(amountMinor, rule.percentBasisPoints) + rule.fixedMinor;
}
