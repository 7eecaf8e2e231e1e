// The words of the example merchant checkout (/examples/card-checkout), Spanish first. The card
// fields' own words come with /js/pasarela.js (rules.ts).
import type { Lang } from '../pages/html.ts';

/** The one product of the example shop; its price is the shop's, never the page's. */
export const EXAMPLE_PRODUCT = {
  id: 'cafe-merida',
  amount: '25.50',
  name: { es: 'Café de Mérida, 500 g', en: 'Mérida coffee, 500 g' },
  description: { es: 'Tostado medio, molido para greca.', en: 'Medium roast, ground for a stovetop pot.' },
} as const;

/** The payment the shop's server asks Pasarela for, with the token the page sent (POST /v1/payments). */
export function examplePayment(token: string) {
  return {
    transaction_amount: Number(EXAMPLE_PRODUCT.amount),
    token,
    description: EXAMPLE_PRODUCT.name.es,
    installments: 1,
    payer: { email: 'comprador@example.com' },
    external_reference: `ejemplo-${EXAMPLE_PRODUCT.id}`,
  };
}

const TEXT = {
  es: {
    title: 'Finalizar compra',
    shop: 'Tienda Demo',
    sandbox: 'Ambiente de pruebas',
    order: 'Su pedido',
    total: 'Total',
    payByCard: 'Pague con tarjeta',
    pay: 'Pagar {amount}',
    paying: 'Procesando el pago…',
    paymentNumber: 'Pago Nº {id}.',
    failed: 'No pudimos completar el pago. Intente de nuevo.',
    privacy: 'Los datos de la tarjeta van directo a Pasarela: esta tienda solo recibe un token.',
    noscript: 'Esta página necesita JavaScript para tomar los datos de la tarjeta.',
    testCards: 'Tarjetas de prueba',
    testCardsNote:
      'Use cualquier fecha de vencimiento futura. El nombre del titular elige el resultado: APRO aprobado, CONT pendiente, FUND fondos insuficientes; CALL, SECU, EXPI, FORM y OTHE, otros rechazos.',
    cardNumber: 'Número',
    brand: 'Marca',
    securityCode: 'Código',
    language: 'Idioma',
  },
  en: {
    title: 'Checkout',
    shop: 'Demo Shop',
    sandbox: 'Sandbox',
    order: 'Your order',
    total: 'Total',
    payByCard: 'Pay by card',
    pay: 'Pay {amount}',
    paying: 'Processing the payment…',
    paymentNumber: 'Payment no. {id}.',
    failed: 'We could not complete the payment. Try again.',
    privacy: 'The card details go straight to Pasarela: this shop only receives a token.',
    noscript: 'This page needs JavaScript to take the card details.',
    testCards: 'Test cards',
    testCardsNote:
      "Use any future expiration date. The cardholder's name picks the outcome: APRO approved, CONT pending, FUND insufficient funds; CALL, SECU, EXPI, FORM and OTHE, other declines.",
    cardNumber: 'Number',
    brand: 'Brand',
    securityCode: 'Code',
    language: 'Language',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export function exampleText(lang: Lang) {
  return TEXT[lang];
}
