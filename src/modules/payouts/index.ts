// Bulk payouts ("dispersión", "pagos masivos"): the merchant registers items through the
// wallet API into its batch pending upload, submits the batch from the console (one debit of
// items + fees), and the settlement worker or the operator's bank answer pays or fails each
// item.
//
// Money (every movement one balanced journal entry):
//   submit   merchant wallet −(items + fees) → payout clearing +items, platform fees +fees
//   paid     payout clearing −amount → bank settlement +amount (the money left to the bank)
//   failed   payout clearing −amount (or bank settlement −amount for a bank return of a paid
//            item) and platform fees −fee → merchant wallet +(amount + fee): the fee of a
//            failed item is refunded.
//
// Concurrency: every change of a batch or its items first takes the batch row (a guarded
// UPDATE, which is a row lock on PostgreSQL and runs under the single writer on SQLite), then
// the items, then the ledger accounts — one order everywhere, and each state is checked again
// after the lock, so submitting twice charges once and an item is paid or failed once.
//
// Files: register.ts (wallet API, and the console's CSV upload read by csv-upload.ts and item-fields.ts), views.ts (list, get), submit.ts (console), settlement.ts
// (pay or fail an item, settle due items), bank-file.ts (the operator's bank file and answer),
// repo.ts (the module's only SQL).
export * from './model.ts';
export { PAYOUT_MESSAGES } from './rules.ts';
export { bankByCode, checkBankAccount, parseBankAccount, VENEZUELAN_BANKS, type Bank, type BankAccount } from './banks.ts';
export { importPayoutBankAnswer, payoutBankFile, type BankAnswerReport } from './bank-file.ts';
export { readPayoutCsv, repeatedReference, type UploadProblem, type UploadReading } from './csv-upload.ts';
export { checkItemFields } from './item-fields.ts';
export { registerPayoutItem, registerPayoutItems, PAYOUT_CURRENCY, type BulkRegistration, type PayoutCaller, type PayoutItemInput } from './register.ts';
export type { PayoutBatchRow, PayoutItemRow } from './repo.ts';
export { settleDuePayouts, transitionPayoutItem, DEFAULT_FAILURE_REASON, SETTLEMENT_CHUNK, type ItemOutcome } from './settlement.ts';
export { submitPayoutBatch } from './submit.ts';
export { getPayoutBatch, listPayoutBatches, type BatchListFilter, type PayoutBatchView, type PayoutItemView } from './views.ts';
