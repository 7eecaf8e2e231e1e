export * from './model.ts';
export { feeRule, listFeeRules, setFeeRule, type FeeRuleView } from './service.ts';
