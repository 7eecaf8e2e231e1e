export { cancelPayment, createPayment, findPayment, listPayments, nextPaymentRef, type NewPayment, type PaymentRow, type PaymentState, type PaymentView } from './service.ts';
