export {
  cancelPayment,
  createPayment,
  findPayment,
  listPayments,
  merchantDailyVolume,
  nextPaymentRef,
  type DailyVolume,
  type NewPayment,
  type PaymentRow,
  type PaymentState,
  type PaymentView,
} from './service.ts';
export { findPaymentRefs, findPaymentVisibleTo, getPayment } from './repo.ts';
