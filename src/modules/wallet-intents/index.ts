export * from './model.ts';
export {
  annulIntent,
  approveSale,
  createIntent,
  executeRequest,
  executeSale,
  expireIntents,
  payRequestInWallet,
  rejectIntent,
  withQuery,
  type Intent,
  type IntentRow,
  type MerchantAuth,
} from './service.ts';
export { getMerchantIntent, listIntentSummaries, loadIntent, merchantIntentRow } from './views.ts';
export { performPendingReturnCalls, performReturnCall, RETURN_CALL_TIMEOUT_MS } from './return-calls.ts';
