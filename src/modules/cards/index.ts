export { CARD_EVENTS } from './events.ts';
export {
  BRANDS,
  brandById,
  CARD_PROBLEMS,
  IDENTIFICATION_TYPES,
  TEST_CARDS,
  type Brand,
  type CardFields,
  type CardProblemCode,
  type IdentificationType,
  type RejectionDetail,
} from './model.ts';
export { cardProcessor, installCardProcessor, SANDBOX_PROCESSOR, type CardProcessor, type ProcessorAnswer } from './processor.ts';
export {
  CARD_TOKEN_TTL_MS,
  CardProblems,
  createCardToken,
  eraseExpiredCardCodes,
  getCardToken,
  pruneCardTokenQuotas,
  takeCardTokenQuota,
  type CardToken,
} from './tokens.ts';
export {
  AUTHORIZATION_TTL_MS,
  cancelCardPayment,
  cardAuthorizationVoided,
  captureCardPayment,
  CARD_PAYMENT_ID_BASE,
  chargeCard,
  drawCardPaymentId,
  createCardPayment,
  findCardPayments,
  getCardPayment,
  type CardPayment,
  type CardPaymentInput,
  type CardPaymentSearch,
  type ChargeOptions,
} from './payments.ts';
export { CARD_REFUND_ID_BASE, getCardRefund, listCardRefunds, refundCardPayment, type CardRefund } from './refunds.ts';
export {
  changeCustomer,
  createCustomer,
  customerCard,
  customerCards,
  findCustomers,
  getCustomer,
  removeCustomer,
  removeCustomerCard,
  saveCustomerCard,
  tokenFromSavedCard,
  type Customer,
  type CustomerInput,
} from './customers.ts';
export type { CustomerCardRow } from './repo.ts';
