// The sandbox helpers in the OpenAPI document (see shared/api-docs.ts). Documentation only.
import { Doc, FORM_ENCODINGS, type FamilyDocs, type Security } from '../shared/api-docs.ts';
import { ErrorAnswer } from '../shared/errors.ts';
import { consoleErrorExample } from '../console-api/docs.ts';
import { CODES_PATH } from './routes.ts';

const { str, int, num, nullable, opt, list, obj, instant } = Doc;

const Clock = obj({ now: instant('The deployment’s time'), offsetSeconds: num('How far it was moved forward') });
const clockExample = { now: '2026-01-06T20:41:46.689Z', offsetSeconds: 90000 };
const payer = ' `payer` is a test user’s username, phone or identification.';
/** An app's token, or the operator's console session. */
const appOrOperator: Security = [{ bearer: [] }, { sessionToken: [] }, { sessionCookie: [], csrfToken: [] }];

import { intentExample, PointIntent } from '../point-api/intent-docs.ts';

export const sandboxDocs: FamilyDocs = {
  tag: 'sandbox',
  consumes: FORM_ENCODINGS,
  errorShape: ErrorAnswer,
  errorExample: consoleErrorExample,
  security: [{ bearer: [] }],
  operations: {
    [`GET ${CODES_PATH}`]: {
      summary: 'Fresh affiliation codes for registering a business',
      description:
        'The link of `GET /console/api/config` (`affiliationCodesUrl`), with its `access_token`: a regular and a commercial code, each for one registration.',
      security: [],
      answers: {
        200: { description: 'Two codes.', schema: obj({ regular: str(), commercial: str() }), example: { regular: 'kugihFqa', commercial: 'vXdYayNf' } },
      },
      errors: [401],
    },
    'POST /sandbox/wallets/fund': {
      summary: 'Add test money to a wallet',
      description: 'To a test user’s wallet (`account`: username, phone, identification or wallet id) or the merchant’s own.',
      answers: {
        200: {
          description: 'The wallet after the top-up.',
          schema: obj({ id: str(), currency: str(), balance: str(), balanceMinor: int(), held: str(), heldMinor: int() }),
          example: { id: '01a247b8-c835-72d9-9325-6249a92bd0fb', currency: 'VES', balance: '1000.00', balanceMinor: 100000, held: '0.00', heldMinor: 0 },
        },
      },
      bodyExample: { account: 'comprador1', amount: '1000.00', currency: 'VES' },
      errors: [404],
    },
    'GET /sandbox/clock': {
      summary: 'The deployment clock',
      description: 'Now, as intents and tokens see it (an app’s token or the operator’s session).',
      security: appOrOperator,
      answers: { 200: { description: 'The clock.', schema: Clock, example: clockExample } },
    },
    'POST /sandbox/point/payment-intents/:id/process': {
      summary: 'Process a POS intent as a cashier would',
      description:
        'What a cashier does on the virtual terminal, through the same device-side path: the terminal takes the intent, reads a public test card with `cardholder` as the name (default APRO; CONT, FUND, OTHE… as for card payments) and pays; a PROCESSED intent is confirmed (FINISHED). The amount decides first, as the provider’s simulator: 1100.00 reversed, 1200.00 rejected, 1300.00 error. Answers the intent in the Point shape.',
      answers: {
        200: {
          description: 'The intent after processing.',
          schema: PointIntent,
          example: { ...intentExample, state: 'FINISHED', payment: { ...intentExample.payment, id: 1000000007, state: 'approved' } },
        },
      },
      bodyExample: { cardholder: 'APRO' },
    },
    'POST /sandbox/clock': {
      summary: 'Move the deployment clock forward',
      description: 'To see intents and tokens expire. An app may only while SANDBOX_CLOCK_FOR_APPS is on; the operator always.',
      security: appOrOperator,
      answers: { 200: { description: 'The clock.', schema: Clock, example: clockExample } },
      bodyExample: { advanceSeconds: 90000 },
    },
    'POST /sandbox/payment-intents/:id/approve': {
      summary: 'The buyer approves a sale',
      description: 'As on the approval page: the answer is where the buyer’s browser would go next (`paymentIntent` and `payerId` for execute).' + payer,
      answers: {
        200: {
          description: 'The return URL.',
          schema: obj({ returnUrl: str() }),
          example: {
            returnUrl: 'https://tienda.example.com/ok?paymentIntent=01a247b9-d23b-7790-aee0-431a51f6fa4d&payerId=75882be3-597c-42e1-a8a6-e2f68afd6218',
          },
        },
      },
      bodyExample: { payer: 'comprador1' },
      errors: [409],
    },
    'POST /sandbox/payment-intents/:id/reject': {
      summary: 'The buyer cancels a sale',
      description: 'As on the approval page: the answer is the cancel URL the browser would go to.' + payer,
      answers: {
        200: {
          description: 'The cancel URL.',
          schema: obj({ cancelUrl: str() }),
          example: { cancelUrl: 'https://tienda.example.com/carrito?paymentIntent=01a247b9-6b11-75be-baad-672c79553565' },
        },
      },
      bodyExample: { payer: 'comprador1' },
      errors: [409],
    },
    'POST /sandbox/payment-intents/:id/pay': {
      summary: 'The recipient pays a request in the wallet',
      description: 'The return URL is then called; the answer shows those calls.' + payer,
      answers: {
        200: {
          description: 'The intent’s state and the return-URL calls.',
          schema: obj({
            paymentIntent: str(),
            state: str(),
            historyResponses: list(obj({ uri: opt(str()), method: opt(str()), statusCode: opt(nullable(int())) }, { additionalProperties: true })),
          }),
          example: { paymentIntent: '01a247b9-80f9-7684-9650-eaf24d94d518', state: 'executed', historyResponses: [] },
        },
      },
      bodyExample: { payer: 'comprador1' },
      errors: [409],
    },
  },
};
