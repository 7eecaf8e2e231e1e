// The card API in the OpenAPI document (see shared/api-docs.ts): what each operation does, its
// answers and examples, in the family's wire format. Documentation only — the routes'
// serializers never see these. A new card route is documented by adding its "METHOD /url" here.
import { Type, type TSchema } from '@sinclair/typebox';
import { Doc, type FamilyDocs, type OperationDoc } from '../shared/api-docs.ts';
import { cardAnswer } from './errors.ts';
import { cardAccountOperations } from './account-docs.ts';

const { str, int, num, bool, nullable, opt, list, obj, instant } = Doc;

export const CardError = obj(
  {
    message: str(),
    error: str('bad_request, unauthorized, forbidden, not_found, too_many_requests'),
    status: int('The HTTP status again'),
    cause: list(obj({ code: Type.Union([Type.String(), Type.Integer()]), description: str() })),
  },
  { description: 'The card family’s error, as the Mercado Pago SDKs parse it.' },
);

export function cardErrorExample(status: number): unknown {
  switch (status) {
    case 400:
      return cardAnswer(400, 'Card token not found, already used or expired.', [{ code: 2006, description: 'Card token not found, already used or expired.' }])
        .body;
    case 401:
      return cardAnswer(401, 'El token de acceso no es válido.').body;
    case 403:
      return cardAnswer(403, 'The caller is not allowed to do this.').body;
    case 404:
      return cardAnswer(404, 'El pago no existe.').body;
    case 429:
      return cardAnswer(429, 'Too many requests.').body;
    default:
      return cardAnswer(status, 'Invalid request.').body;
  }
}

const Cardholder = obj({ name: nullable(str()), identification: nullable(obj({ type: opt(str()), number: opt(str()) })) });
const CardToken = obj({
  id: str('The token to pay with (single use, 7 days)'),
  first_six_digits: str(),
  last_four_digits: str(),
  expiration_month: int(),
  expiration_year: int(),
  cardholder: Cardholder,
  status: str(),
  date_created: instant(),
  date_last_updated: instant(),
  date_due: instant(),
  luhn_validation: bool(),
  live_mode: bool(),
  require_esc: bool(),
  card_number_length: int(),
  security_code_length: int(),
  payment_method_id: opt(str('visa, master, amex…')),
  card_id: opt(nullable(str('The saved card it was made from'))),
});
const tokenExample = {
  id: '13de61b66c5b78865c53ba622d1739d4',
  first_six_digits: '450995',
  last_four_digits: '3704',
  expiration_month: 11,
  expiration_year: 2030,
  cardholder: { name: 'APRO', identification: {} },
  status: 'active',
  date_created: '2026-01-05T19:40:35.189Z',
  date_last_updated: '2026-01-05T19:40:35.189Z',
  date_due: '2026-01-12T19:40:35.189Z',
  luhn_validation: true,
  live_mode: false,
  require_esc: false,
  card_number_length: 16,
  security_code_length: 3,
  payment_method_id: 'visa',
};

const Payment = obj({
  id: int('Payment id'),
  date_created: instant(),
  date_approved: nullable(instant()),
  date_last_updated: instant(),
  operation_type: str(),
  payment_method_id: str(),
  payment_type_id: str('credit_card or debit_card'),
  status: str('approved, authorized, rejected, cancelled, refunded…'),
  status_detail: str(),
  currency_id: str(),
  description: nullable(str()),
  live_mode: bool(),
  collector_id: str('The seller'),
  payer: obj({}, { additionalProperties: true }),
  metadata: obj({}, { additionalProperties: true }),
  transaction_amount: num(),
  transaction_amount_refunded: num(),
  captured: bool(),
  installments: int(),
  transaction_details: obj({ net_received_amount: num(), total_paid_amount: num(), installment_amount: num() }),
  fee_details: list(obj({}, { additionalProperties: true })),
  card: obj({ first_six_digits: str(), last_four_digits: str(), expiration_month: int(), expiration_year: int(), cardholder: Cardholder }),
  external_reference: nullable(str()),
  notification_url: nullable(str()),
  statement_descriptor: nullable(str()),
  binary_mode: bool(),
  point_of_interaction: opt(
    obj(
      { type: str('POINT'), device_id: str(), payment_intent_id: str(), store_id: str(), pos_id: str(), external_pos_id: str() },
      { description: 'Only for a payment taken at a POS terminal: where.' },
    ),
  ),
});
const paymentExample = {
  id: 1000000001,
  date_created: '2026-01-05T19:40:35.817Z',
  date_approved: '2026-01-05T19:40:35.817Z',
  date_last_updated: '2026-01-05T19:40:35.817Z',
  operation_type: 'regular_payment',
  payment_method_id: 'visa',
  payment_type_id: 'credit_card',
  status: 'approved',
  status_detail: 'accredited',
  currency_id: 'VES',
  description: 'Café de Mérida, 500 g',
  live_mode: false,
  collector_id: '5afdaa36-fe4d-41da-a286-c27e7006d1fd',
  payer: { email: 'comprador@example.com' },
  metadata: {},
  transaction_amount: 25.5,
  transaction_amount_refunded: 0,
  captured: true,
  installments: 1,
  transaction_details: { net_received_amount: 25.5, total_paid_amount: 25.5, installment_amount: 25.5 },
  fee_details: [],
  card: {
    first_six_digits: '450995',
    last_four_digits: '3704',
    expiration_month: 11,
    expiration_year: 2030,
    cardholder: { name: 'APRO', identification: null },
  },
  external_reference: 'pedido-77',
  notification_url: null,
  statement_descriptor: null,
  binary_mode: false,
};
const Refund = obj({
  id: int(),
  payment_id: int(),
  amount: num(),
  status: str(),
  date_created: instant(),
  source: obj({ type: str() }),
  unique_sequence_number: nullable(str()),
});
const refundExample = {
  id: 2000000001,
  payment_id: 1000000001,
  amount: 10.25,
  status: 'approved',
  date_created: '2026-01-05T19:40:54.212Z',
  source: { type: 'collector' },
  unique_sequence_number: null,
};
const SavedCard = obj({
  id: str(),
  customer_id: str(),
  expiration_month: int(),
  expiration_year: int(),
  first_six_digits: str(),
  last_four_digits: str(),
  payment_method: obj({ id: str(), name: str(), payment_type_id: str() }),
  security_code: obj({ length: int(), card_location: str() }),
  issuer: obj({ id: nullable(Type.Union([Type.String(), Type.Integer()])), name: nullable(str()) }),
  cardholder: Cardholder,
  date_created: instant(),
  date_last_updated: instant(),
});
const savedCardExample = {
  id: '01a247b8-ffdd-72d5-9004-491f85b9c9f9',
  customer_id: 'f9163578-915904f10de3478c',
  expiration_month: 11,
  expiration_year: 2030,
  first_six_digits: '503175',
  last_four_digits: '0604',
  payment_method: { id: 'master', name: 'Mastercard', payment_type_id: 'credit_card' },
  security_code: { length: 3, card_location: 'back' },
  issuer: { id: null, name: 'Mastercard' },
  cardholder: { name: 'APRO', identification: {} },
  date_created: '2026-01-05T19:40:36.188Z',
  date_last_updated: '2026-01-05T19:40:36.188Z',
};
const Customer = obj({
  id: str(),
  email: str(),
  first_name: nullable(str()),
  last_name: nullable(str()),
  phone: obj({ area_code: opt(str()), number: opt(str()) }),
  identification: obj({ type: opt(str()), number: opt(str()) }),
  description: nullable(str()),
  metadata: obj({}, { additionalProperties: true }),
  default_card: nullable(str()),
  cards: list(SavedCard),
  addresses: list(obj({}, { additionalProperties: true })),
  date_created: instant(),
  date_last_updated: instant(),
  live_mode: bool(),
});
const customerExample = {
  id: 'f9163578-915904f10de3478c',
  email: 'ana@example.com',
  first_name: 'Ana',
  last_name: null,
  phone: {},
  identification: { type: 'V', number: '12345678' },
  description: null,
  metadata: {},
  default_card: '01a247b8-ffdd-72d5-9004-491f85b9c9f9',
  cards: [savedCardExample],
  addresses: [],
  date_created: '2026-01-05T19:40:36.039Z',
  date_last_updated: '2026-01-05T19:40:36.188Z',
  live_mode: false,
};
const Search = <T extends TSchema>(item: T) => obj({ paging: obj({ total: int(), limit: int(), offset: int() }), results: list(item) });

const json = Doc.answer;
const idempotency = ' Send `X-Idempotency-Key` to make a retry safe: the same key answers the first answer again.';

const tokenOp = (summary: string): OperationDoc => ({
  summary,
  description:
    'From the buyer’s browser with the app’s public key (`?public_key=TEST-…`, CORS open to any origin), or from a server with the access token. Send the card fields, or `card_id` (+ `customer_id`) and the security code of a saved card. The card data never reaches the merchant’s server; pay with the token’s `id`.',
  security: [{ publicKey: [] }, { bearer: [] }],
  answers: json(201, 'The card token.', CardToken, tokenExample),
  // With the public key, tokenizations are limited per app and client address (CARD_TOKEN_RATE_LIMIT).
  errors: [429],
  bodyExample: {
    card_number: '4509953566233704',
    expiration_month: 11,
    expiration_year: 2030,
    security_code: '123',
    cardholder: { name: 'APRO', identification: { type: 'V', number: '12345678' } },
  },
});
const refundsOp: OperationDoc = {
  summary: 'A payment’s refunds',
  description: 'Every refund of the payment, oldest first.',
  answers: json(200, 'The refunds.', list(Refund), [refundExample]),
};

export const cardDocs: FamilyDocs = {
  tag: 'card API',
  consumes: ['application/json'],
  errorShape: CardError,
  errorExample: cardErrorExample,
  security: [{ bearer: [] }],
  operations: {
    'POST /v1/card_tokens': tokenOp('Tokenize a card'),
    'POST /v1/card_tokens/': tokenOp('Tokenize a card'),
    'GET /v1/card_tokens/:id': {
      summary: 'A card token',
      description: 'A token the same app made (public key or access token), while it exists.',
      security: [{ publicKey: [] }, { bearer: [] }],
      answers: json(200, 'The card token.', CardToken, tokenExample),
    },
    'POST /v1/payments': {
      summary: 'Create a card payment',
      description:
        'Pays `transaction_amount` with a card token. `capture: false` only authorizes (capture or cancel later with PUT). Rejections are payments with `status: rejected` and a `status_detail`; bad cards answer 400 with their cause codes.' +
        idempotency,
      answers: json(201, 'The payment.', Payment, paymentExample),
      bodyExample: {
        transaction_amount: 25.5,
        token: '13de61b66c5b78865c53ba622d1739d4',
        description: 'Café de Mérida, 500 g',
        installments: 1,
        payment_method_id: 'visa',
        payer: { email: 'comprador@example.com' },
        external_reference: 'pedido-77',
      },
      errors: [429],
    },
    'GET /v1/payments/search': {
      summary: 'Search card payments',
      description: 'The seller’s payments by status, external reference and creation time, sorted and paged (`limit`, `offset`).',
      answers: json(200, 'A page of payments.', Search(Payment), { paging: { total: 1, limit: 30, offset: 0 }, results: [paymentExample] }),
    },
    'GET /v1/payments/:id': {
      summary: 'A card payment',
      description: 'One of the seller’s payments.',
      answers: json(200, 'The payment.', Payment, paymentExample),
    },
    'PUT /v1/payments/:id': {
      summary: 'Capture or cancel an authorization',
      description: '`capture: true` (optionally with a smaller `transaction_amount`) captures; `status: "cancelled"` releases the authorization.' + idempotency,
      answers: json(200, 'The payment.', Payment, paymentExample),
      bodyExample: { capture: true },
      errors: [429],
    },
    'POST /v1/payments/:id/refunds': {
      summary: 'Refund a payment',
      description: 'In full (no body or no `amount`) or in part.' + idempotency,
      answers: json(201, 'The refund.', Refund, refundExample),
      bodyExample: { amount: 10.25 },
      errors: [429],
    },
    'GET /v1/payments/:id/refunds': refundsOp,
    'GET /v1/payments/:id/refunds/': refundsOp,
    'GET /v1/payments/:id/refunds/:refund_id': {
      summary: 'One refund',
      description: 'A refund of the payment.',
      answers: json(200, 'The refund.', Refund, refundExample),
    },
    'POST /v1/customers': {
      summary: 'Create a customer',
      description: 'A buyer of the seller, by email (unique per seller), to save cards for.',
      answers: json(201, 'The customer.', Customer, { ...customerExample, cards: [], default_card: null }),
      bodyExample: { email: 'ana@example.com', first_name: 'Ana', identification: { type: 'V', number: '12345678' } },
    },
    'GET /v1/customers/search': {
      summary: 'Search customers',
      description: 'By email; paged with `limit` and `offset`.',
      answers: json(200, 'A page of customers.', Search(Customer), { paging: { total: 1, limit: 10, offset: 0 }, results: [customerExample] }),
    },
    'GET /v1/customers/:id': { summary: 'A customer', description: 'With the saved cards.', answers: json(200, 'The customer.', Customer, customerExample) },
    'PUT /v1/customers/:id': {
      summary: 'Change a customer',
      description: 'Fields left out stay as they are; `default_card` must be one of its cards.',
      answers: json(200, 'The customer.', Customer, customerExample),
      bodyExample: { last_name: 'Rondón' },
    },
    'DELETE /v1/customers/:id': {
      summary: 'Delete a customer and its cards',
      description: 'The answer is the customer as it was.',
      answers: json(200, 'The deleted customer.', Customer, customerExample),
    },
    'POST /v1/customers/:id/cards': {
      summary: 'Save a tokenized card',
      description: 'Saves the card behind an unused card token (`token`) for the customer.',
      answers: json(201, 'The saved card.', SavedCard, savedCardExample),
      bodyExample: { token: '13de61b66c5b78865c53ba622d1739d4' },
    },
    'GET /v1/customers/:id/cards': {
      summary: 'A customer’s cards',
      description: 'Every saved card of the customer.',
      answers: json(200, 'The cards.', list(SavedCard), [savedCardExample]),
    },
    'GET /v1/customers/:id/cards/:card_id': {
      summary: 'A saved card',
      description: 'One card of the customer.',
      answers: json(200, 'The card.', SavedCard, savedCardExample),
    },
    'DELETE /v1/customers/:id/cards/:card_id': {
      summary: 'Delete a saved card',
      description: 'The answer is the card as it was.',
      answers: json(200, 'The deleted card.', SavedCard, savedCardExample),
    },
    ...cardAccountOperations,
    'GET /v1/payment_methods': {
      summary: 'Card brands accepted',
      description: 'Each brand with its BIN pattern, number and security-code lengths and limits.',
      answers: json(
        200,
        'The payment methods.',
        list(
          obj({
            id: str(),
            name: str(),
            payment_type_id: str(),
            status: str(),
            settings: list(obj({}, { additionalProperties: true })),
            min_allowed_amount: num(),
            max_allowed_amount: num(),
          }),
        ),
      ),
    },
    'GET /v1/identification_types': {
      summary: 'Document types of the cardholder',
      description: 'The identification types a cardholder may give, with their lengths.',
      answers: json(200, 'The types.', list(obj({ id: str(), name: str(), type: str(), min_length: int(), max_length: int() })), [
        { id: 'V', name: 'Cédula venezolana', type: 'number', min_length: 6, max_length: 9 },
      ]),
    },
  },
};
