// What /js/pasarela.js knows, built from the card family's own rules (src/modules/cards) so the
// browser and the server never disagree: the brands by BIN, the data-entry messages by cause
// code and the field each is about, the document types, the texts of the fields and of the
// payment outcomes (Spanish and English). The script receives this once, inlined when served.
import { BRANDS, CARD_PROBLEMS, IDENTIFICATION_TYPES, type CardProblemCode, type RejectionDetail } from '../../modules/cards/index.ts';

type Text = { es: string; en: string };

/** The fields the script mounts, in the order they appear (and are focused when invalid). */
export const CARD_FIELDS = ['number', 'expiry', 'securityCode', 'name', 'docType', 'docNumber'] as const;
export type CardField = (typeof CARD_FIELDS)[number];

/** The field each data-entry code is about: its message is shown next to that field. */
export const FIELD_OF_PROBLEM: Record<CardProblemCode, CardField> = {
  '205': 'number',
  E301: 'number',
  '208': 'expiry',
  '325': 'expiry',
  '209': 'expiry',
  '326': 'expiry',
  '224': 'securityCode',
  E302: 'securityCode',
  '221': 'name',
  '316': 'name',
  '212': 'docType',
  '322': 'docType',
  '214': 'docNumber',
  '324': 'docNumber',
};

/** The words of the card fields; `{n}` and `{brand}` are filled in by the script. */
export const FIELD_TEXT = {
  es: {
    number: 'Número de la tarjeta',
    expiry: 'Vencimiento (MM/AA)',
    expiryPlaceholder: 'MM/AA',
    securityCode: 'Código de seguridad',
    securityCodeBack: '{n} dígitos al dorso de la tarjeta.',
    securityCodeFront: '{n} dígitos al frente de la tarjeta.',
    name: 'Nombre del titular (como aparece en la tarjeta)',
    docType: 'Tipo de documento',
    docNumber: 'Número de documento',
    brand: 'Tarjeta {brand}',
    network: 'No pudimos conectar con Pasarela. Revise su conexión e intente de nuevo.',
    unavailable: 'No pudimos verificar la tarjeta en este momento. Intente de nuevo más tarde.',
  },
  en: {
    number: 'Card number',
    expiry: 'Expiration date (MM/YY)',
    expiryPlaceholder: 'MM/YY',
    securityCode: 'Security code',
    securityCodeBack: '{n} digits on the back of the card.',
    securityCodeFront: '{n} digits on the front of the card.',
    name: "Cardholder's name (as on the card)",
    docType: 'Document type',
    docNumber: 'Document number',
    brand: '{brand} card',
    network: 'We could not reach Pasarela. Check your connection and try again.',
    unavailable: 'We could not check the card right now. Try again later.',
  },
} as const satisfies Record<'es' | 'en', Record<string, string>>;

type Detail = RejectionDetail | 'accredited' | 'pending_contingency' | 'pending_review_manual';
type Status = 'approved' | 'authorized' | 'in_process' | 'rejected' | 'cancelled' | 'refunded';

/** What to tell the buyer about a payment, by `status_detail` (and by `status` when the detail is unknown). */
export const OUTCOME_TEXT: Record<Detail | Status | 'unknown', Text> = {
  accredited: { es: '¡Listo! Su pago fue aprobado.', en: 'Done! Your payment was approved.' },
  pending_contingency: {
    es: 'Estamos procesando su pago. En menos de 2 días hábiles le diremos el resultado.',
    en: 'We are processing your payment. We will tell you the result within 2 business days.',
  },
  pending_review_manual: {
    es: 'Estamos revisando su pago. En menos de 2 días hábiles le diremos si fue aprobado.',
    en: 'We are reviewing your payment. We will tell you within 2 business days whether it was approved.',
  },
  cc_rejected_bad_filled_card_number: { es: 'Revise el número de la tarjeta.', en: 'Check the card number.' },
  cc_rejected_bad_filled_date: { es: 'Revise la fecha de vencimiento.', en: 'Check the expiration date.' },
  cc_rejected_bad_filled_other: { es: 'Revise los datos de la tarjeta.', en: 'Check the card details.' },
  cc_rejected_bad_filled_security_code: { es: 'Revise el código de seguridad de la tarjeta.', en: "Check the card's security code." },
  cc_rejected_blacklist: { es: 'No pudimos procesar su pago.', en: 'We could not process your payment.' },
  cc_rejected_call_for_authorize: {
    es: 'Llame al emisor de su tarjeta para autorizar el pago y vuelva a intentarlo.',
    en: 'Call your card issuer to authorize the payment, then try again.',
  },
  cc_rejected_card_disabled: {
    es: 'Llame al emisor de su tarjeta para activarla. El teléfono está al dorso de la tarjeta.',
    en: 'Call your card issuer to activate the card. The phone number is on the back of the card.',
  },
  cc_rejected_card_error: { es: 'No pudimos procesar su pago.', en: 'We could not process your payment.' },
  cc_rejected_duplicated_payment: {
    es: 'Ya hizo un pago por ese monto. Si necesita pagar de nuevo, use otra tarjeta u otro medio de pago.',
    en: 'You already made a payment for that amount. To pay again, use another card or payment method.',
  },
  cc_rejected_high_risk: { es: 'Su pago fue rechazado. Elija otro medio de pago.', en: 'Your payment was declined. Choose another payment method.' },
  cc_rejected_insufficient_amount: { es: 'Su tarjeta no tiene fondos suficientes.', en: 'Your card does not have enough funds.' },
  cc_rejected_invalid_installments: {
    es: 'La tarjeta no acepta pagos en esa cantidad de cuotas.',
    en: 'The card does not take payments in that number of installments.',
  },
  cc_rejected_max_attempts: {
    es: 'Llegó al límite de intentos permitidos. Elija otra tarjeta u otro medio de pago.',
    en: 'You reached the limit of attempts. Choose another card or payment method.',
  },
  cc_rejected_other_reason: {
    es: 'El emisor de la tarjeta no procesó el pago. Use otra tarjeta u otro medio de pago.',
    en: 'The card issuer did not process the payment. Use another card or payment method.',
  },
  approved: { es: '¡Listo! Su pago fue aprobado.', en: 'Done! Your payment was approved.' },
  authorized: {
    es: 'Su pago fue autorizado; se cobrará al confirmar el pedido.',
    en: 'Your payment was authorized; it is charged when the order is confirmed.',
  },
  in_process: { es: 'Estamos procesando su pago.', en: 'We are processing your payment.' },
  rejected: { es: 'Su pago fue rechazado.', en: 'Your payment was declined.' },
  cancelled: { es: 'El pago fue cancelado.', en: 'The payment was cancelled.' },
  refunded: { es: 'El pago fue devuelto.', en: 'The payment was refunded.' },
  unknown: { es: 'No pudimos saber el resultado del pago.', en: 'We could not tell the outcome of the payment.' },
};

/** Everything the browser script receives (inlined as JSON when it is served). */
export function browserCardRules() {
  return {
    // In the server's order: the first brand whose pattern matches the number's first digits
    // (debit ranges come before their network's catch-all, as in brandOf).
    brands: BRANDS.map((b) => ({
      id: b.id,
      name: b.name,
      pattern: b.binPattern,
      lengths: [...b.lengths],
      securityCodeLength: b.securityCodeLength,
      securityCodeLocation: b.securityCodeLocation,
    })),
    problems: CARD_PROBLEMS,
    fieldOfProblem: FIELD_OF_PROBLEM,
    fields: CARD_FIELDS,
    identificationTypes: IDENTIFICATION_TYPES.map((t) => ({ id: t.id, name: t.name, type: t.type, minLength: t.minLength, maxLength: t.maxLength })),
    text: FIELD_TEXT,
    outcomes: OUTCOME_TEXT,
  };
}

export type BrowserCardRules = ReturnType<typeof browserCardRules>;
