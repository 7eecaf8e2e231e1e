export * from './model.ts';
export { feeRule, feeRuleTable, listFeeRules, setFeeRule, type FeeRuleView } from './service.ts';
