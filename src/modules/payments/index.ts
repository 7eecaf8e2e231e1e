export {
  cancelPayment,
  createPayment,
  findPayment,
  listPayments,
  nextPaymentRef,
  type NewPayment,
  type PaymentRow,
  type PaymentState,
  type PaymentView,
} from './service.ts';
export { findPaymentRefs, getPayment } from './repo.ts';
