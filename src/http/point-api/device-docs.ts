// The device-side API of POS terminals in the OpenAPI document (tag "Point device"): what a
// terminal — or a web page acting as one — calls. Documentation only.
import { Type } from '@sinclair/typebox';
import { Doc, type FamilyDocs } from '../shared/api-docs.ts';
import { CardError, cardErrorExample } from '../card-api/docs.ts';
import { intentExample, PointIntent } from './intent-docs.ts';

const { str, nullable, obj, instant } = Doc;

const TerminalIntent = Type.Composite([
  PointIntent,
  obj({ currency_id: str(), amount_text: str('The amount as the screen shows it, e.g. "15.00"'), expires_at: instant('ABANDONED if not done by then') }),
]);
const terminalIntentExample = { ...intentExample, currency_id: 'VES', amount_text: '15.00', expires_at: '2026-01-05T19:50:25.125Z' };
const intentAnswer = (status: number, description: string, state: string, payment?: object) =>
  Doc.answer(status, description, TerminalIntent, {
    ...terminalIntentExample,
    state,
    ...(payment ? { payment: { ...intentExample.payment, ...payment } } : {}),
  });

const terminal = [{ terminal: [] }];

export const pointDeviceDocs: FamilyDocs = {
  tag: 'Point device',
  consumes: ['application/json'],
  errorShape: CardError,
  errorExample: cardErrorExample,
  security: terminal,
  operations: {
    'POST /point/device/register': {
      summary: 'Register a terminal',
      description:
        'The terminal shows `pairing_code` for the merchant to type in the console (`POST /console/api/point/devices`); it keeps `pairing_secret` to collect its credential. The code lasts 15 minutes. `model`: capitals, digits and `_` (default `PASARELA_VIRTUAL`); the id is `MODEL__SMARTPOS<serial>`.',
      security: [],
      answers: Doc.answer(201, 'Waiting to be linked.', obj({ device_id: str(), pairing_code: str(), pairing_secret: str(), expires_at: instant() }), {
        device_id: 'PASARELA_VIRTUAL__SMARTPOS4821930475',
        pairing_code: 'K7PM2QXA',
        pairing_secret: 'q0c6…',
        expires_at: '2026-01-05T19:55:25.125Z',
      }),
      bodyExample: { model: 'PAX_A910' },
    },
    'POST /point/device/activate': {
      summary: 'Collect the terminal’s credential',
      description:
        'With `Authorization: Bearer <pairing_secret>`. Before the merchant links it: `pending` with the code again. Once linked: `linked` and the `credential` — given once (kept only as a hash); every other device call sends it as `Authorization: Bearer <credential>`. An unknown or expired pairing: 400 `point_pairing_code_invalid`.',
      security: [{ pairing: [] }],
      answers: Doc.answer(
        200,
        'Pending or linked.',
        obj({ status: str('pending or linked'), device_id: str(), pairing_code: Doc.opt(str()), expires_at: Doc.opt(instant()), credential: Doc.opt(str()) }),
        { status: 'linked', device_id: 'PASARELA_VIRTUAL__SMARTPOS4821930475', credential: 'Vd3…' },
      ),
      errors: [409],
    },
    'GET /point/device/me': {
      summary: 'This terminal',
      description: 'Its id, operating mode, till and store. 401 once unlinked: the credential stops working at once.',
      answers: Doc.answer(
        200,
        'The terminal.',
        obj({ id: str(), operating_mode: str(), pos_id: nullable(str()), store_id: nullable(str()), external_pos_id: nullable(str()) }),
        {
          id: 'PASARELA_VIRTUAL__SMARTPOS4821930475',
          operating_mode: 'PDV',
          pos_id: '0190…',
          store_id: '0190…',
          external_pos_id: 'CAJA1',
        },
      ),
    },
    'GET /point/device/payment-intents/next': {
      summary: 'The intent to show now',
      description:
        'The terminal’s OPEN (or already taken) intent, or `null`. `wait` (0–25 s) holds the request until one arrives (long poll): call it again when it answers null.',
      answers: Doc.answer(200, 'The intent, or null.', obj({ payment_intent: Type.Union([TerminalIntent, Type.Null()]) }), {
        payment_intent: terminalIntentExample,
      }),
    },
    'GET /point/device/payment-intents/:pid': {
      summary: 'One of this terminal’s intents',
      description: 'Only intents sent to this terminal for its current merchant; any other is 404.',
      answers: intentAnswer(200, 'The intent.', 'ON_TERMINAL'),
    },
    'POST /point/device/payment-intents/:pid/take': {
      summary: 'Take the intent (green button)',
      description: 'OPEN → ON_TERMINAL; the integrator can no longer cancel it. Not OPEN (cancelled, taken, abandoned): 409 `point_intent_state`.',
      answers: intentAnswer(200, 'Taken.', 'ON_TERMINAL'),
      errors: [409],
    },
    'POST /point/device/payment-intents/:pid/card-tokens': {
      summary: 'Read the card',
      description:
        'The card as read (number, expiry, code, cardholder) becomes a single-use card token of the intent’s app, as `POST /v1/card_tokens` makes. In sandbox the cardholder name picks the outcome (APRO, CONT, FUND, OTHE, …). Only while ON_TERMINAL.',
      answers: Doc.answer(201, 'The card token.', obj({ id: str(), first_six_digits: str(), last_four_digits: str() }, { additionalProperties: true }), {
        id: '13de61b66c5b78865c53ba622d1739d4',
        first_six_digits: '450995',
        last_four_digits: '3704',
      }),
      errors: [409],
      bodyExample: { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } },
    },
    'POST /point/device/payment-intents/:pid/payment': {
      summary: 'Pay the intent with the card token',
      description:
        'ON_TERMINAL → PROCESSING → the outcome, at once: PROCESSED with `payment.state` approved, rejected or cancelled (reversed); CONFIRMATION_REQUIRED while the payment is in process; ERROR when the terminal failed (sandbox: 1300.00). Sandbox amounts as the provider’s simulator: 1100.00 reversed, 1200.00 rejected, 1300.00 error. An approved payment is a card payment (fee schedule `pos`) in `/v1/payments`. A token refused (used, another app’s) leaves the intent ON_TERMINAL.',
      answers: intentAnswer(200, 'The outcome.', 'PROCESSED', { id: 1000000007, state: 'approved' }),
      errors: [409],
      bodyExample: { token: '13de61b66c5b78865c53ba622d1739d4' },
    },
    'POST /point/device/payment-intents/:pid/confirm': {
      summary: 'Confirm the receipt',
      description: 'PROCESSED → FINISHED, once the result was shown (and the receipt printed).',
      answers: intentAnswer(200, 'Finished.', 'FINISHED', { id: 1000000007, state: 'approved' }),
      errors: [409],
    },
  },
};
