// The console API's money operations in the OpenAPI document: the wallet, payment requests,
// the merchant's intents and payouts (see docs-schemas.ts for the shapes).
import { Type } from '@sinclair/typebox';
import { Doc, Empty, type OperationDoc } from '../shared/api-docs.ts';
import { Batch, IntentDetail, IntentRow, Wallet, batchExample, created, intentRowExample, ok, operator, walletExample } from './docs-schemas.ts';

const { str, int, bool, nullable, list, obj, instant } = Doc;

export const consoleMoneyOperations: Record<string, OperationDoc> = {
  'GET /console/api/wallet': {
    summary: 'The wallet page',
    description: 'Balances, whether the PIN is set (or locked), and whether sandbox test money may be added.',
    answers: ok('The wallet.', obj({ wallets: list(Wallet), pin: obj({ set: bool(), locked: bool() }), testTopUp: bool() }), {
      wallets: [walletExample],
      pin: { set: true, locked: false },
      testTopUp: true,
    }),
  },
  'POST /console/api/wallets': {
    summary: 'Open a wallet account in another currency',
    description: 'One wallet per currency.',
    answers: created('The new wallet.', Wallet, { ...walletExample, currency: 'USD', balance: '0.00', balanceMinor: 0 }),
    bodyExample: { currency: 'USD' },
    errors: [409],
  },
  'GET /console/api/movements': {
    summary: 'Ledger movements of the user’s wallets',
    description: 'Newest first; `nextCursor` asks for the next (older) page.',
    answers: ok(
      'A page of movements.',
      obj({
        data: list(
          obj({
            id: str(),
            entryId: str(),
            kind: str(),
            description: nullable(str()),
            accountId: str(),
            currency: str(),
            amount: str('Signed decimal text'),
            createdAt: instant(),
          }),
        ),
        nextCursor: nullable(str()),
      }),
      {
        data: [
          {
            id: '01a247b9-a4c7-7539-ac89-406109a4212b:1',
            entryId: '01a247b9-a4c7-7539-ac89-406109a4212b',
            kind: 'intent_request',
            description: 'Factura de luz',
            accountId: '01a247b9-9e3a-73e9-8438-1fe8b341a242',
            currency: 'VES',
            amount: '-20.00',
            createdAt: '2026-01-05T19:41:18.404Z',
          },
        ],
        nextCursor: null,
      },
    ),
  },
  'POST /console/api/transfers': {
    summary: 'Send money to another user (enviar dinero)',
    description: 'Authorized with the PIN. Send `Idempotency-Key` to make a retry safe.',
    answers: created(
      'The transfer.',
      obj({
        entryId: str(),
        paymentId: str(),
        ref: str(),
        fee: str(),
        amount: str(),
        currency: str(),
        fromAccountId: str(),
        toAccountId: str(),
        toUsername: str(),
      }),
      {
        entryId: '01a247b9-abe7-70f2-a4af-ea3ba9fe89c4',
        paymentId: '01a247b9-abe7-70f2-a4af-eccb2e4d1c71',
        ref: 'P2601050000004',
        fee: '0.00',
        amount: '1.00',
        currency: 'VES',
        fromAccountId: '01a247b9-9e6c-7149-98b7-8616dc355930',
        toAccountId: '01a247b9-a98c-728f-9701-c457af39f12b',
        toUsername: 'pepitos',
      },
    ),
    bodyExample: { to: 'pepitos', amount: '1.00', currency: 'VES', description: 'Almuerzo', pin: '1234' },
    errors: [409, 429],
  },
  'PUT /console/api/pin': {
    summary: 'Set, change or reset the operations PIN',
    description: 'With the account password; clears a lockout.',
    answers: { 204: Empty },
    bodyExample: { password: 'una-clave-larga', pin: '1234' },
    errors: [429],
  },
  'GET /console/api/payment-requests': {
    summary: 'Open payment requests addressed to the user',
    description: 'Billing-API requests merchants sent to the signed-in user, newest first.',
    answers: ok(
      'The open requests.',
      Doc.data(
        obj({
          id: str(),
          merchantName: str(),
          appName: nullable(str()),
          description: nullable(str()),
          invoiceNumber: nullable(str()),
          amount: str(),
          currency: str(),
          createdAt: instant(),
          expiresAt: instant(),
        }),
      ),
      {
        data: [
          {
            id: '01a247b9-a469-746d-a169-b010a6e117a3',
            merchantName: 'Pepitos House',
            appName: 'Tienda Demo',
            description: 'Factura de luz',
            invoiceNumber: 'F00015',
            amount: '20.00',
            currency: 'VES',
            createdAt: '2026-01-05T19:41:18.312Z',
            expiresAt: '2026-01-05T22:41:18.312Z',
          },
        ],
      },
    ),
  },
  'POST /console/api/payment-requests/:id/pay': {
    summary: 'Pay a payment request with the PIN',
    description: 'Moves the money; the merchant’s return URL is then called.',
    answers: ok('Paid.', obj({ id: str(), state: Type.Literal('executed') }), { id: '01a247b9-80f9-7684-9650-eaf24d94d518', state: 'executed' }),
    bodyExample: { pin: '1234' },
    errors: [409, 429],
  },
  'POST /console/api/payment-requests/:id/reject': {
    summary: 'Decline a payment request with the PIN',
    description: 'The request can no longer be paid.',
    answers: ok('Declined.', obj({ id: str(), state: Type.Literal('rejected') }), { id: '01a247b9-a87c-701d-be36-c8c2a80c03ed', state: 'rejected' }),
    bodyExample: { pin: '1234' },
    errors: [409, 429],
  },
  'POST /console/api/sandbox/top-up': {
    summary: 'Sandbox: add test money to the user’s own wallet',
    description: 'Test users only, sandbox only.',
    answers: ok('The wallet.', Wallet, walletExample),
    bodyExample: { amount: '25.50', currency: 'VES' },
  },
  'GET /console/api/merchant/intents': {
    summary: 'The merchant’s payment intents',
    description: 'Newest first: by state, app and creation time (`from` ≤ t < `to`), or searched by id or payment reference.',
    answers: ok('A page of intents.', obj({ data: list(IntentRow), meta: obj({ page: int(), perPage: int(), total: int(), totalPages: int() }) }), {
      data: [intentRowExample],
      meta: { page: 1, perPage: 20, total: 1, totalPages: 1 },
    }),
  },
  'GET /console/api/merchant/intents/:id': {
    summary: 'One of the merchant’s intents',
    description: 'State history, payment and fee, ledger postings and return-URL calls.',
    answers: ok('The intent.', IntentDetail),
  },
  'POST /console/api/merchant/intents/:id/annul': {
    summary: 'Annul an executed intent within 24 h',
    description: 'Every posting of its payment is reversed.',
    answers: ok('The intent, state `annulled`.', IntentDetail),
    errors: [409],
  },
  'GET /console/api/merchant/summary': {
    summary: 'The merchant’s balances and daily volume',
    description: 'Wallet balances and finished payments per UTC day over the last 30 days.',
    answers: ok('The summary.', obj({ wallets: list(Wallet), volume: list(obj({ date: str('YYYY-MM-DD'), currency: str(), amount: str(), count: int() })) }), {
      wallets: [walletExample],
      volume: [{ date: '2026-01-05', currency: 'VES', amount: '20.00', count: 1 }],
    }),
  },
  'GET /console/api/payout-batches': {
    summary: 'The merchant’s payout batches',
    description: 'Newest first; filter by `state`.',
    answers: ok('The batches.', Doc.data(Batch), { data: [batchExample] }),
  },
  'GET /console/api/payout-batches/:id': {
    summary: 'One payout batch',
    description: 'The batch with its items.',
    answers: ok('The batch.', obj({ batch: Batch }), { batch: batchExample }),
  },
  'POST /console/api/payout-batches/upload': {
    summary: 'Upload a CSV of payout items',
    description:
      'The items go into the batch pending upload as the app `appId`’s (it needs the payouts permission). The first line names the columns, in any order: ' +
      '`tipo` (DISPERSION or DISPERSION_INSTANT_INTERBANK), `referencia`, `titular`, `identificacion`, `cuenta`, `monto` (or the wallet API’s names: ' +
      '`type`, `reference`, `nameAccount`, `identificationNumber`, `bankAccount`, `amount`). Comma or semicolon separated; with semicolons a decimal ' +
      'comma is read too. Each line is checked like register-item: the good ones are registered together, each bad one is answered in `errors` ' +
      '(its line, field, column and message) and registered not at all. A file that cannot be read as a whole (a missing column, no lines, more ' +
      'than 5000) is a 400 and registers nothing. A reference that an earlier line of the file or the batch pending upload already has is answered as ' +
      'a problem of its line (code payouts.referenceRepeated) and not registered again, so the whole file can be sent again after fixing a line. ' +
      'Send `Idempotency-Key` with a text/csv body to make a retry safe.',
    body: {
      contentType: 'text/csv',
      schema: Type.String(),
      example: 'tipo,referencia,titular,identificacion,cuenta,monto\nDISPERSION,nomina-001,Pedro Pérez,V12345678,01050000000000000000,150.75\n',
    },
    answers: ok(
      'What was registered, and each problem of the other lines.',
      obj({
        batchId: nullable(str('The batch pending upload the items joined (null when no line was good)')),
        rows: int('Lines after the header'),
        accepted: int('Lines registered'),
        rejected: int('Lines with a problem (not registered)'),
        errors: list(
          obj({
            line: int('Line of the file (1 is the header)'),
            field: str('type, reference, nameAccount, identificationNumber, bankAccount or amount'),
            column: str('The column as the header names it'),
            message: str(),
            code: Type.Optional(
              str('The rule’s stable code where a shared rule words the message (e.g. payouts.accountFormat): the console says it in its language'),
            ),
          }),
        ),
      }),
      {
        batchId: batchExample.id,
        rows: 3,
        accepted: 2,
        rejected: 1,
        errors: [{ line: 3, field: 'bankAccount', column: 'cuenta', message: 'El número de cuenta debe tener 20 dígitos.', code: 'payouts.accountFormat' }],
      },
    ),
    errors: [404, 409],
  },
  'POST /console/api/payout-batches/:id/submit': {
    summary: 'Submit a batch pending upload',
    description: 'Debits the wallet for the items plus fees and hands the batch to the bank.',
    answers: ok('The batch, state `submitted`.', obj({ batch: Batch }), { batch: { ...batchExample, state: 'submitted', feeIsEstimate: false } }),
    errors: [409],
  },
  'GET /console/api/operator/payout-batches': {
    summary: 'Every merchant’s payout batches (operator)',
    description: 'Newest first; filter by `state`.' + operator,
    answers: ok('The batches.', Doc.data(Batch), { data: [batchExample] }),
  },
  'GET /console/api/operator/payout-batches/:id': {
    summary: 'One payout batch (operator)',
    description: 'The batch with its items.' + operator,
    answers: ok('The batch.', obj({ batch: Batch }), { batch: batchExample }),
  },
  'GET /console/api/operator/payout-batches/:id/bank-file.csv': {
    summary: 'Bank file (CSV) of a submitted batch',
    description: 'Columns: ref, bank code, account, identification, name, amount, type, reference.' + operator,
    answers: {
      200: {
        description: 'The CSV file (attachment).',
        contentType: 'text/csv',
        schema: Type.String(),
        example: 'MP19122800001,0102,01020000000000000001,J54637469,Pedro Pérez,150.75,DISPERSION,nómina-2026-01\n',
      },
    },
  },
  'POST /console/api/operator/payout-batches/:id/bank-answer': {
    summary: 'Import the bank’s answer (operator)',
    description:
      'CSV lines `ref,status[,reason]`, status PAID or FAILED, as a text/csv body, a multipart file `file`, or the field `csv`. Marks items paid or failed (failed ones are refunded); importing twice changes nothing.' +
      operator,
    body: { contentType: 'text/csv', schema: Type.String(), example: 'MP19122800001,PAID\nMP19122800002,FAILED,cuenta cerrada\n' },
    answers: ok(
      'What the import did.',
      obj({}, { additionalProperties: true, description: 'Counts of items marked paid, failed or unchanged, and lines not understood.' }),
    ),
    errors: [409],
  },

  // --- Webhooks (console session) --------------------------------------------------
};
