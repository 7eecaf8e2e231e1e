// The wallet API in the OpenAPI document (see shared/api-docs.ts): what each operation does,
// its answers and examples. Documentation only — the routes' serializers never see these.
import { Type } from '@sinclair/typebox';
import { Doc, FORM_ENCODINGS, type FamilyDocs } from '../shared/api-docs.ts';
import { ErrorAnswer } from '../shared/errors.ts';

const { str, int, num, nullable, opt, list, obj } = Doc;

/** The wallet family's error example for a status (Spanish messages, as the contract's). */
export function walletErrorExample(status: number): unknown {
  switch (status) {
    case 400:
      return {
        code: 400,
        message: 'Validation Failed',
        errors: { errors: [], children: { transactions: { errors: ['Este valor no debería estar vacío.'] } } },
      };
    case 401:
      return { code: 401, message: 'Se requiere un token de acceso (Authorization: Bearer …).' };
    case 403:
      return { code: 403, message: 'La aplicación no tiene habilitado el permiso API de facturación.' };
    case 404:
      return { code: 404, message: 'La intención de pago no existe.' };
    case 413:
      return { code: 413, message: 'El cuerpo de la solicitud es demasiado grande.' };
    case 415:
      return { code: 415, message: 'Tipo de contenido no soportado: use JSON, formulario o multipart.' };
    case 429:
      return { code: 429, message: 'Demasiados intentos. Intente de nuevo más tarde.' };
    default:
      return { code: status, message: 'Solicitud no válida.' };
  }
}

const bearer = [{ bearer: [] }];
const Currency = obj({ id: str('ISO 4217 code', 'VES') });
const Link = obj({ href: str(), method: opt(str()) });
const Party = obj({ id: str(), _data: obj({ fullname: str() }) });

const Intent = obj(
  {
    id: str('Intent id', '01a247b9-68b6-73bb-adbc-da9f00c7d45e'),
    intent: Type.Union([Type.Literal('sale'), Type.Literal('request')]),
    state: str('created, approved, executed, rejected, expired or annulled', 'created'),
    payer: opt(obj({ payer_info: Party })),
    redirect_urls: obj({
      return_url: nullable(str()),
      cancel_url: nullable(str()),
      history_responses: opt(list(obj({ uri: str(), method: str(), status_code: nullable(int()), body: str() }), 'Calls made to the return URL (show only)')),
    }),
    total: obj({ currency: Currency, items: num(), shipping: num(), tax: num(), amount: num() }),
    transactions: list(
      obj({
        id: str(),
        amount: obj({ currency: Currency, total: num(), details: obj({ shipping: num(), tax: num(), sub_total: num() }) }),
        items: opt(list(obj({ name: str(), quantity: int(), currency: Currency, sku: nullable(str()), price: num() }))),
        description: nullable(str()),
        invoice_number: nullable(str()),
        related_resources: opt(Type.Record(Type.String(), obj({ id: str(), ref: str() }))),
        distributions: opt(list(obj({ digital_account_destination: str(), amount: num(), description: nullable(str()) }))),
      }),
    ),
    pay_tokens: opt(list(obj({ id: str(), _data: obj({ name: str() }) }), 'request only: the ways the recipient may pay at the till')),
    created_at: Doc.instant(),
    expires_at: Doc.instant(),
    _links: Type.Record(Type.String(), Link, { description: 'self, execute, approval_url (sale), cancel' }),
  },
  { description: 'The contract’s PaymentIntent; amounts are JSON numbers in major units.' },
);

const intentExample = {
  id: '01a247b9-68b6-73bb-adbc-da9f00c7d45e',
  intent: 'sale',
  state: 'created',
  redirect_urls: { return_url: 'https://tienda.example.com/ok', cancel_url: 'https://tienda.example.com/cancel', history_responses: [] },
  total: { currency: { id: 'VES' }, items: 17.5, shipping: 0, tax: 1.3, amount: 18.8 },
  transactions: [
    {
      id: '3186418b-2bc7-4e22-ac9c-b41d45c753df',
      amount: { currency: { id: 'VES' }, total: 18.8, details: { shipping: 0, tax: 1.3, sub_total: 17.5 } },
      items: [{ name: 'teléfono', quantity: 1, currency: { id: 'VES' }, sku: 'P001', price: 17.5 }],
      description: 'Compra en Mi Tienda',
      invoice_number: 'F00015',
      distributions: [],
    },
  ],
  created_at: '2026-01-05T19:41:03.013Z',
  expires_at: '2026-01-05T22:41:03.013Z',
  _links: {
    self: { href: 'https://pasarela.example.com/api/payment-intent/show.json?id=01a247b9-68b6-73bb-adbc-da9f00c7d45e', method: 'GET' },
    execute: { href: 'https://pasarela.example.com/api/payment-intent/execute/sale.json?id=01a247b9-68b6-73bb-adbc-da9f00c7d45e', method: 'POST' },
    approval_url: { href: 'https://pasarela.example.com/p/express-checkout/01a247b9-68b6-73bb-adbc-da9f00c7d45e/1', method: 'GET' },
    cancel: { href: 'https://pasarela.example.com/api/payment-intent/cancel.json', method: 'POST' },
  },
};

const Payment = obj(
  {
    id: str(),
    created_at: str('"YYYY-MM-DD hh:mm:ss", UTC'),
    amount_total: str('Decimal text', '20.00'),
    ref: str('Payment reference', 'P2612050000001'),
    user: Party,
    status: Type.Union([Type.Literal(2000), Type.Literal(4000), Type.Literal(9000)], { description: '2000 cancelled, 4000 waiting, 9000 finished' }),
    type: Type.Literal(1000, { description: '1000: digital-account payment' }),
    recipient: Party,
    digital_account_source: obj({ id: str(), created_at: str(), name: nullable(str()) }),
    payment_methods: list(
      obj({
        operation_method: str(),
        amount_total: str(),
        item_operations: list(obj({ description: nullable(str()), amount_total: str(), currency: Currency })),
      }),
    ),
    _data: obj({ summary: nullable(str()), kind: str(), currency: Currency, fee: str(), payment_intent: nullable(str()) }),
  },
  { description: 'The contract’s Payment.' },
);

const paymentExample = {
  id: '01a247b9-dbd1-7738-af5f-6cc369370cc7',
  created_at: '2026-01-05 19:41:32',
  amount_total: '18.80',
  ref: 'P2601050000001',
  user: { id: '75882be3-597c-42e1-a8a6-e2f68afd6218', _data: { fullname: 'María Pérez' } },
  status: 9000,
  type: 1000,
  recipient: { id: 'ce4c0730-062d-4d1e-a753-ddd60fe23ebb', _data: { fullname: 'Pepitos House' } },
  digital_account_source: { id: '01a247b8-c835-72d9-9325-6249a92bd0fb', created_at: '2026-01-01 10:00:00', name: null },
  payment_methods: [
    {
      operation_method: 'digital_account',
      amount_total: '18.80',
      item_operations: [{ description: 'Compra en Mi Tienda', amount_total: '18.80', currency: { id: 'VES' } }],
    },
  ],
  _data: { summary: 'Compra en Mi Tienda', kind: 'sale', currency: { id: 'VES' }, fee: '0.47', payment_intent: '01a247b9-68b6-73bb-adbc-da9f00c7d45e' },
};

const Paginator = <T extends import('@sinclair/typebox').TSchema>(item: T) =>
  obj(
    {
      links: Type.Record(Type.String(), obj({ href: str() }), { description: 'first, self, next, previous, last' }),
      meta: obj({ currentPage: int(), maxPerPage: int(), totalPages: int(), totalResults: int() }),
      data: list(item),
    },
    { description: 'The contract’s Paginator (`page`, `maxPerPage` up to 100).' },
  );

const pageOf = (example: unknown) => ({
  links: {
    first: { href: 'https://pasarela.example.com/api/payment/.json?page=1' },
    self: { href: 'https://pasarela.example.com/api/payment/.json?page=1' },
    last: { href: 'https://pasarela.example.com/api/payment/.json?page=1' },
  },
  meta: { currentPage: 1, maxPerPage: 10, totalPages: 1, totalResults: 1 },
  data: [example],
});

const idempotency = ' Send `Idempotency-Key` to make a retry safe: the same key answers the first answer again.';

export const walletDocs: FamilyDocs = {
  tag: 'wallet API',
  consumes: FORM_ENCODINGS,
  errorShape: ErrorAnswer,
  errorExample: walletErrorExample,
  security: bearer,
  operations: {
    'GET /api/user/profile.json': {
      summary: 'Profile of the token owner',
      description: 'The user behind the access token, its digital accounts (wallets) with balances, and the app (client) the token was issued to.',
      answers: {
        200: {
          description: 'The profile.',
          schema: obj({
            id: str(),
            username: str(),
            email: nullable(str()),
            type: str('person, business or operator'),
            phone: nullable(str()),
            identification: nullable(str()),
            _data: obj({ fullname: str() }),
            digital_accounts: list(obj({ id: str(), currency: Currency, balance: str('Decimal text') })),
            client: obj({ id: str('client_id'), name: str() }),
          }),
          example: {
            id: 'ce4c0730-062d-4d1e-a753-ddd60fe23ebb',
            username: 'pepitos',
            email: 'pepitos@example.com',
            type: 'business',
            phone: '584140408397',
            identification: 'J30408396',
            _data: { fullname: 'Pepitos House' },
            digital_accounts: [{ id: '01a247b8-c77e-75b4-8dc6-a9ff2393ebb0', currency: { id: 'VES' }, balance: '1520.00' }],
            client: { id: 'd8755d0d2d2cc979c83453ee228c4e88', name: 'Mi Tienda' },
          },
        },
      },
    },
    'POST /api/payment-intent/.json': {
      summary: 'Create a payment intent (sale or request)',
      description:
        'Body root `paymentintent`. `intent=sale` (payment button, permission botón de pago): the buyer approves at `_links.approval_url`, then you execute it. `intent=request` (billing API): a payment request addressed to `recipient`, paid in the wallet or at the till with a pay token.' +
        idempotency,
      answers: { 200: { description: 'The new intent, state `created`.', schema: Intent, example: intentExample } },
      bodyExample: {
        paymentintent: {
          intent: 'sale',
          redirectUrls: { returnUrl: 'https://tienda.example.com/ok', cancelUrl: 'https://tienda.example.com/cancel' },
          transactions: [
            {
              amount: { total: '18.80', currency: 'VES', details: { subTotal: '17.50', tax: '1.30', shipping: '0' } },
              description: 'Compra en Mi Tienda',
              invoiceNumber: 'F00015',
              items: [{ name: 'teléfono', price: '17.50', quantity: 1, sku: 'P001', currency: 'VES' }],
            },
          ],
        },
      },
      errors: [409, 429],
    },
    'GET /api/payment-intent/.json': {
      summary: 'Payment intent history (Paginator)',
      description:
        'Your intents, newest first. Each entry is a summary: the full intent (items, distributions, return-URL history) is at its `_links.self` (show.json).',
      answers: { 200: { description: 'A page of intent summaries.', schema: Paginator(Intent), example: pageOf(intentExample) } },
    },
    'GET /api/payment-intent/show.json': {
      summary: 'One payment intent',
      description: 'The full intent by `id`, with its items, distributions and the calls made to its return URL.',
      answers: { 200: { description: 'The intent.', schema: Intent, example: intentExample } },
      errors: [404],
    },
    'POST /api/payment-intent/execute/sale.json': {
      summary: 'Execute an approved sale',
      description:
        'Moves the money of a sale the buyer approved: body root `payment_execution` with `payer` (the payerId the return URL carried).' + idempotency,
      answers: {
        200: {
          description: 'The intent, state `executed`, with its payment in `related_resources`.',
          schema: Intent,
          example: { ...intentExample, state: 'executed' },
        },
      },
      bodyExample: { payment_execution: { paymentIntent: '01a247b9-68b6-73bb-adbc-da9f00c7d45e', payer: '75882be3-597c-42e1-a8a6-e2f68afd6218' } },
      errors: [404, 409, 429],
    },
    'POST /api/payment-intent/execute/request.json': {
      summary: 'Execute a billing request at the till (pay token + PIN)',
      description:
        'The recipient pays a request at the till: body root `payment_execution` with one of the intent’s `payToken` ids and the recipient’s PIN (permission API de facturación).' +
        idempotency,
      answers: { 200: { description: 'The intent, state `executed`.', schema: Intent, example: { ...intentExample, intent: 'request', state: 'executed' } } },
      bodyExample: { payment_execution: { payToken: 'a5f1c2d3', pin: '1234' } },
      errors: [404, 409, 429],
    },
    'POST /api/payment-intent/cancel.json': {
      summary: 'Annul an executed intent within 24 h',
      description:
        'Reverses every posting of the intent’s payment (body root `cancel_payment_intent`, field `paymentIntent`). Allowed within 24 hours of execution, while the money is still in your wallet.' +
        idempotency,
      answers: { 200: { description: 'The intent, state `annulled`.', schema: Intent, example: { ...intentExample, state: 'annulled' } } },
      bodyExample: { cancel_payment_intent: { paymentIntent: '01a247b9-68b6-73bb-adbc-da9f00c7d45e' } },
      errors: [404, 409, 429],
    },
    'GET /api/payment/.json': {
      summary: 'Payments history (Paginator)',
      description: 'Payments you made or received, newest first (`page`, `maxPerPage`).',
      answers: { 200: { description: 'A page of payments.', schema: Paginator(Payment), example: pageOf(paymentExample) } },
    },
    'GET /api/payment/find.json': {
      summary: 'One payment by id or ref',
      description:
        '`id` is the payment id or its reference (`P…`). Status 2000 is cancelled, 4000 waiting, 9000 finished; type 1000 is a digital-account payment.',
      answers: { 200: { description: 'The payment.', schema: Payment, example: paymentExample } },
      errors: [404],
    },
    'POST /api/multipayment/register-item.json': {
      summary: 'Add a payout item (dispersión) to the batch pending upload',
      description:
        'Body root `multi_payment_item`. `type=DISPERSION` settles interbank within 24 h, `type=DISPERSION_INSTANT_INTERBANK` at once. The batch pending upload is opened automatically and submitted from the console (permission pagos masivos).' +
        idempotency,
      answers: {
        200: {
          description: 'The registered item.',
          schema: obj({ ref: str('Item reference', 'MP19122800001'), identification_number: str(), status: str('APPROVED while pending upload', 'APPROVED') }),
          example: { ref: 'MP19122800001', identification_number: 'j54637469', status: 'APPROVED' },
        },
      },
      bodyExample: {
        multi_payment_item: {
          reference: 'nómina-2026-01',
          nameAccount: 'Pedro Pérez',
          identificationNumber: 'j54637469',
          bankAccount: '01020000000000000001',
          amount: '150.75',
        },
      },
      errors: [409, 429],
    },
  },
};

const TokenError = Type.Object({
  error: str('invalid_request, invalid_client, invalid_grant, unsupported_grant_type, temporarily_unavailable…', 'invalid_client'),
  error_description: str(),
});

/** The token endpoint speaks OAuth 2.0 (RFC 6749 §5.2) for every error. */
export const walletTokenDocs: FamilyDocs = {
  tag: 'wallet API',
  consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
  errorShape: TokenError,
  errorExample: (status) =>
    status === 401
      ? { error: 'invalid_client', error_description: 'Las credenciales del cliente no son válidas.' }
      : status === 429
        ? { error: 'temporarily_unavailable', error_description: 'Demasiadas solicitudes de token. Intente más tarde.' }
        : { error: 'invalid_request', error_description: 'grant_type: Este valor no debería estar vacío.' },
  operations: {
    'POST /oauth/v2/token': {
      summary: 'Obtain or refresh an access token',
      description:
        'Grants: `urn:client_apps` (client_id + client_secret: the app acts for its owner), `password` (plus username and password of a user), `refresh_token`. The client may authenticate with HTTP Basic instead of the body fields. Tokens last `expires_in` seconds; TEST- keys work in sandbox only, APP_USR- in production.',
      security: [],
      answers: {
        200: {
          description: 'A bearer token and its refresh token.',
          schema: obj({ access_token: str(), expires_in: int('Seconds', 3600), token_type: Type.Literal('bearer'), scope: str(), refresh_token: str() }),
          example: {
            access_token: 'TEST-sDHEZO0C44e2X4EZDAaeY-m7HCRsdYR8Jfh0c6UZ1rU',
            expires_in: 3600,
            token_type: 'bearer',
            scope: 'API',
            refresh_token: 'TEST-w49XddA01V5SjUy6_99dcsORxcRWvd0SDpDprMfwsCo',
          },
        },
      },
      bodyExample: {
        grant_type: 'urn:client_apps',
        client_id: 'd8755d0d2d2cc979c83453ee228c4e88',
        client_secret: '87DTsddzKqBnZN4_THeTjCnKAuZTcwvesNFhlQqtvHg',
      },
      errors: [401, 429],
    },
  },
};
