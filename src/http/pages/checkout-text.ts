// The hosted checkout's words, Spanish first.
import type { Lang } from './html.ts';
import { SIGN_IN_TEXT } from './sign-in-text.ts';

const es = {
  ...SIGN_IN_TEXT.es,
  title: 'Pagar con Pasarela',
  signInTitle: 'Inicie sesión para pagar',
  merchant: 'Comercio',
  item: 'Artículo',
  quantity: 'Cant.',
  price: 'Precio',
  subTotal: 'Subtotal',
  tax: 'Impuestos',
  shipping: 'Envío',
  total: 'Total a pagar',
  payWith: 'Pagar con su cuenta electrónica',
  balance: 'Saldo disponible',
  insufficient: 'Su saldo no alcanza para este pago. Recargue su cuenta electrónica o cancele.',
  approve: 'Autorizar pago',
  approving: 'Procesando…',
  cancel: 'Cancelar y volver al comercio',
  expired: 'Esta solicitud de pago venció. Vuelva al comercio para generar una nueva.',
  executed: 'Este pago ya fue procesado.',
  annulled: 'Este pago fue anulado.',
  rejected: 'Este pago fue cancelado.',
  notFound: 'La solicitud de pago no existe.',
  otherPayer: 'Esta solicitud de pago fue aprobada por otra persona.',
  ownIntent: 'No puede pagarse a sí mismo.',
  backToMerchant: 'Volver al comercio',
  notSale: 'Esta solicitud se paga desde la aplicación de la billetera.',
  genericError: 'No se pudo completar la operación.',
  approvedTitle: 'Pago autorizado',
};

const en: typeof es = {
  ...SIGN_IN_TEXT.en,
  title: 'Pay with Pasarela',
  signInTitle: 'Sign in to pay',
  merchant: 'Merchant',
  item: 'Item',
  quantity: 'Qty',
  price: 'Price',
  subTotal: 'Subtotal',
  tax: 'Taxes',
  shipping: 'Shipping',
  total: 'Total to pay',
  payWith: 'Pay with your wallet account',
  balance: 'Available balance',
  insufficient: 'Your balance does not cover this payment. Top up your wallet or cancel.',
  approve: 'Authorize payment',
  approving: 'Processing…',
  cancel: 'Cancel and return to the merchant',
  expired: 'This payment request has expired. Go back to the merchant to start a new one.',
  executed: 'This payment has already been processed.',
  annulled: 'This payment was annulled.',
  rejected: 'This payment was cancelled.',
  notFound: 'This payment request does not exist.',
  otherPayer: 'This payment request was approved by someone else.',
  ownIntent: 'You cannot pay yourself.',
  backToMerchant: 'Back to the merchant',
  notSale: 'This request is paid from the wallet app.',
  genericError: 'The operation could not be completed.',
  approvedTitle: 'Payment authorized',
};

export type CheckoutText = typeof es;
export function checkoutText(lang: Lang): CheckoutText {
  return lang === 'en' ? en : es;
}
