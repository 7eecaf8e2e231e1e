export * from './model.ts';
export { bankByCode, checkBankAccount, parseBankAccount, VENEZUELAN_BANKS, type Bank, type BankAccount } from './banks.ts';
export {
  getPayoutBatch,
  importPayoutBankAnswer,
  listPayoutBatches,
  payoutBankFile,
  registerPayoutItem,
  settleDuePayouts,
  submitPayoutBatch,
  transitionPayoutItem,
  DEFAULT_FAILURE_REASON,
  PAYOUT_CURRENCY,
  SETTLEMENT_CHUNK,
  type BankAnswerReport,
  type BatchListFilter,
  type ItemOutcome,
  type PayoutBatchRow,
  type PayoutBatchView,
  type PayoutCaller,
  type PayoutItemInput,
  type PayoutItemRow,
  type PayoutItemView,
} from './service.ts';
