// The Point integration API (terminals and payment intents) and the device-side API in the
// OpenAPI document. Both answer errors in the Mercado Pago family's shape. Documentation only.
import { Doc, type FamilyDocs } from '../shared/api-docs.ts';
import { CardError, cardErrorExample } from '../card-api/docs.ts';

const { str, int, bool, nullable, opt, list, obj, instant } = Doc;

export const PointIntent = obj({
  id: str('The payment intent'),
  device_id: str(),
  amount: int('Integer minor units (1500 = 15.00)'),
  description: nullable(str()),
  payment: obj({
    installments: int(),
    type: str('credit_card or debit_card'),
    installments_cost: str('seller or buyer'),
    id: nullable(int('The card payment, once paid (as in /v1/payments)')),
    state: nullable(str('The card payment’s status')),
  }),
  additional_info: obj({ external_reference: opt(str()), print_on_terminal: opt(bool()), ticket_number: opt(str()) }),
  state: str('OPEN, ON_TERMINAL, PROCESSING, PROCESSED, FINISHED, CANCELED, ABANDONED, ERROR, CONFIRMATION_REQUIRED'),
});
export const intentExample = {
  id: '0190d2a4-7b1e-7c3a-9a51-3f2a1c9e5b10',
  device_id: 'PAX_A910__SMARTPOS1495357742',
  amount: 1500,
  description: 'Mesa 4',
  payment: { installments: 1, type: 'credit_card', installments_cost: 'seller', id: null, state: null },
  additional_info: { external_reference: 'pedido-4411', print_on_terminal: true },
  state: 'OPEN',
};
const Device = obj({
  id: str('MODEL__SERIAL'),
  operating_mode: str('PDV (takes intents from the API) or STANDALONE'),
  pos_id: nullable(str('The till')),
  store_id: nullable(str()),
  external_pos_id: nullable(str()),
});
const deviceExample = { id: 'PAX_A910__SMARTPOS1495357742', operating_mode: 'PDV', pos_id: '0190…', store_id: '0190…', external_pos_id: 'CAJA1' };
const Event = obj({ payment_intent_id: str(), status: str(), created_on: instant() });
const eventExample = { payment_intent_id: intentExample.id, status: 'OPEN', created_on: '2026-01-05T19:40:25.125Z' };

export const pointIntentDocs: FamilyDocs = {
  tag: 'Point intents',
  consumes: ['application/json'],
  errorShape: CardError,
  errorExample: cardErrorExample,
  security: [{ bearer: [] }],
  operations: {
    'GET /point/integration-api/devices': {
      summary: 'The merchant’s terminals',
      description: 'Linked terminals, oldest link first, with their till (`pos_id`, `external_pos_id`) and store. `offset`/`limit` page them.',
      answers: Doc.answer(200, 'A page of terminals.', obj({ devices: list(Device), paging: obj({ total: int(), limit: int(), offset: int() }) }), {
        devices: [deviceExample],
        paging: { total: 1, limit: 50, offset: 0 },
      }),
    },
    'PATCH /point/integration-api/devices/:id': {
      summary: 'Change a terminal’s operating mode',
      description:
        'Only a `PDV` terminal takes payment intents from the API; `STANDALONE` is operated by hand. While an intent is OPEN, ON_TERMINAL or PROCESSING on the terminal it cannot become `STANDALONE` (409, cause `point_device_busy`): cancel the intent first.',
      answers: Doc.answer(200, 'The new mode.', obj({ operating_mode: str() }), { operating_mode: 'PDV' }),
      bodyExample: { operating_mode: 'PDV' },
      errors: [409],
    },
    'POST /point/integration-api/devices/:id/payment-intents': {
      summary: 'Send a payment intent to a terminal',
      description:
        'The amount is in integer minor units. One intent at a time per terminal: while one is OPEN, ON_TERMINAL or PROCESSING another is refused (409, cause `point_device_busy`); a STANDALONE terminal refuses (409, `point_device_standalone`). Not taken within `POINT_INTENT_TTL_SECONDS` (deployment clock) it ends ABANDONED. `X-Idempotency-Key` is honoured.',
      answers: Doc.answer(201, 'The intent, OPEN.', PointIntent, intentExample),
      errors: [409],
      bodyExample: {
        amount: 1500,
        description: 'Mesa 4',
        payment: { installments: 1, type: 'credit_card' },
        additional_info: { external_reference: 'pedido-4411' },
      },
    },
    'DELETE /point/integration-api/devices/:id/payment-intents/:pid': {
      summary: 'Cancel a payment intent',
      description: 'Only while OPEN (not yet taken by the terminal): otherwise 409, cause `point_intent_state`.',
      answers: Doc.answer(200, 'Cancelled.', obj({ id: str() }), { id: intentExample.id }),
      errors: [409],
    },
    'GET /point/integration-api/payment-intents/:pid': {
      summary: 'A payment intent',
      description: 'With its `state` and, once paid, `payment.id` (the card payment in `/v1/payments`) and `payment.state`.',
      answers: Doc.answer(200, 'The intent.', PointIntent, {
        ...intentExample,
        state: 'FINISHED',
        payment: { ...intentExample.payment, id: 1000000007, state: 'approved' },
      }),
    },
    'GET /point/integration-api/payment-intents/:pid/events': {
      summary: 'The states of a payment intent',
      description: 'Every state it went through, oldest first; `status` and `created_on` repeat the latest.',
      answers: Doc.answer(200, 'Its events.', obj({ status: str(), created_on: instant(), events: list(Event) }), {
        status: 'OPEN',
        created_on: eventExample.created_on,
        events: [eventExample],
      }),
    },
    'GET /point/integration-api/payment-intents/events': {
      summary: 'Payment intent events in a period',
      description: '`startDate` and `endDate`: days (AAAA-MM-DD, both included) or instants. At most 1000 events, oldest first.',
      answers: Doc.answer(200, 'The events.', obj({ events: list(Event) }), { events: [eventExample] }),
    },
  },
};
