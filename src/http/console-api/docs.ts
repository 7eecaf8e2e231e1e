// The console API in the OpenAPI document (see shared/api-docs.ts): what each operation does,
// its answers and examples. Documentation only — the routes' serializers never see these.
import { Type, type TSchema } from '@sinclair/typebox';
import { Doc, Empty, FORM_ENCODINGS, type FamilyDocs, type OperationDoc, type Security } from '../shared/api-docs.ts';
import { ErrorAnswer } from '../shared/errors.ts';

const { str, int, bool, nullable, opt, list, obj, instant } = Doc;

export function consoleErrorExample(status: number): unknown {
  switch (status) {
    case 400:
      return { code: 400, message: 'Validation Failed', errors: { errors: [], children: { name: { errors: ['Este valor no debería estar vacío.'] } } } };
    case 401:
      return { code: 401, message: 'Inicie sesión para continuar.' };
    case 403:
      return { code: 403, message: 'Falta el token CSRF o no es válido.' };
    case 404:
      return { code: 404, message: 'La aplicación no existe.' };
    case 429:
      return { code: 429, message: 'Demasiados intentos fallidos. Intente de nuevo en 60 segundos.' };
    default:
      return { code: status, message: 'Solicitud no válida.' };
  }
}

/** Script clients send X-Session-Token; a browser sends the cookie and, on changes, X-CSRF-Token. */
export const consoleSecurity: Security = [{ sessionToken: [] }, { sessionCookie: [], csrfToken: [] }];

const Profile = obj({
  id: str(),
  type: str('person, business or operator'),
  username: str(),
  name: str(),
  email: nullable(str()),
  phone: nullable(str()),
  identification: nullable(str()),
});
const Wallet = obj({
  id: str(),
  currency: str('', 'VES'),
  balance: str('Decimal text'),
  balanceMinor: int('Minor units (céntimos)'),
  held: str(),
  heldMinor: int(),
});
const profileExample = {
  id: '89e5ee89-772b-47c4-bffa-91899ef5780b',
  type: 'person',
  username: 'comprador1',
  name: 'María Pérez',
  email: 'comprador1@example.com',
  phone: '584125550001',
  identification: 'V19123456',
};
const walletExample = { id: '01a247b8-c835-72d9-9325-6249a92bd0fb', currency: 'VES', balance: '1520.00', balanceMinor: 152000, held: '0.00', heldMinor: 0 };

const App = obj({
  id: str(),
  name: str(),
  description: nullable(str()),
  homepageUrl: nullable(str()),
  redirectUris: list(str('Where the consent page may send a seller back with an authorization code (exact match)')),
  receivingAccountId: nullable(str()),
  environment: str('sandbox or production'),
  ready: bool('Activated: may use the API'),
  activationRequestedAt: nullable(instant()),
  permissions: obj({ paymentButton: bool(), billingApi: bool(), distributions: bool(), payouts: bool() }),
  distributionAccounts: list(str()),
  hasLogo: bool(),
  clientId: str(),
  publicKey: str(),
  createdAt: instant(),
  ownerUserId: opt(str('Operator lists only')),
});
const appExample = {
  id: '30d0ca75-f47a-46b7-a69a-52bdca4114ed',
  name: 'Mi Tienda',
  description: 'Venta de teléfonos',
  homepageUrl: 'https://mitienda.example.com',
  redirectUris: ['https://mitienda.example.com/oauth/callback'],
  receivingAccountId: '01a247b8-c77e-75b4-8dc6-a9ff2393ebb0',
  environment: 'sandbox',
  ready: true,
  activationRequestedAt: null,
  permissions: { paymentButton: true, billingApi: true, distributions: false, payouts: false },
  distributionAccounts: [],
  hasLogo: true,
  clientId: 'd8755d0d2d2cc979c83453ee228c4e88',
  publicKey: 'TEST-4c75e681-e281-4e89-b4e2-fd32a62696e1',
  createdAt: '2026-01-05T19:40:21.945Z',
};
const Credentials = obj({ clientId: str(), clientSecret: str(), publicKey: str(), accessToken: str('A long-lived access token of the app') });
const credentialsExample = {
  clientId: 'd8755d0d2d2cc979c83453ee228c4e88',
  clientSecret: '87DTsddzKqBnZN4_THeTjCnKAuZTcwvesNFhlQqtvHg',
  publicKey: 'TEST-4c75e681-e281-4e89-b4e2-fd32a62696e1',
  accessToken: 'TEST-032a4035ba3f0b77-Vg0pT4Da1IqsS4KZD0WrWHefxc_3wiuhGCeMirelUTs',
};
const AppAnswer = obj({ app: App });

const Me = obj({ user: Profile, csrfToken: str('For X-CSRF-Token with the cookie'), expiresAt: instant(), wallets: list(Wallet) });
const meExample = {
  user: profileExample,
  csrfToken: 'G1LL10yo-yTnn3TXEaoptgoC-pu75_BYD79zua-O4KqbYDpRkA2Y',
  expiresAt: '2026-01-06T07:40:25.702Z',
  wallets: [walletExample],
};

const IntentRow = obj({
  id: str(),
  kind: str('sale or request'),
  state: str(),
  appId: nullable(str()),
  amount: str(),
  currency: str(),
  description: nullable(str()),
  invoiceNumber: nullable(str()),
  payer: nullable(str()),
  recipient: nullable(str()),
  paymentRef: nullable(str()),
  createdAt: instant(),
  executedAt: nullable(instant()),
});
const intentRowExample = {
  id: '01a247b9-80f9-7684-9650-eaf24d94d518',
  kind: 'request',
  state: 'executed',
  appId: 'b339346a-ebde-4cc9-be59-a0ea9453f546',
  amount: '20.00',
  currency: 'VES',
  description: 'Factura de luz',
  invoiceNumber: 'F00015',
  payer: 'María Pérez',
  recipient: 'María Pérez',
  paymentRef: 'P2601050000001',
  createdAt: '2026-01-05T19:41:09.240Z',
  executedAt: '2026-01-05T19:41:09.364Z',
};
const IntentDetail = Type.Composite([
  IntentRow,
  obj({
    expiresAt: instant(),
    returnUrl: nullable(str()),
    cancelUrl: nullable(str()),
    totals: obj({ items: str(), tax: str(), shipping: str(), amount: str() }),
    history: list(obj({ state: str(), at: instant() })),
    annulUntil: nullable(instant('Until when it may be annulled')),
    transactions: list(obj({ description: nullable(str()), invoiceNumber: nullable(str()), total: str() })),
    payment: nullable(obj({ id: str(), ref: str(), state: str(), amount: str(), fee: str(), net: str(), createdAt: instant() })),
    postings: list(obj({ entry: str(), entryId: str(), accountId: str(), amount: str(), currency: str() })),
  }),
]);

const Endpoint = obj({
  id: str(),
  appId: str(),
  url: str(),
  description: str(),
  eventTypes: list(str(), 'Event types or patterns such as payment.*'),
  enabled: bool(),
  flagged: bool('Disabled after repeated failures'),
  flaggedAt: nullable(instant()),
  flagReason: nullable(str()),
  createdAt: instant(),
  updatedAt: instant(),
});
const endpointExample = {
  id: '047b2b76-03e0-4991-a645-c9f1008046eb',
  appId: 'a3e84ac3-4da5-4dc0-bde2-872edd6674bf',
  url: 'https://tienda.example.com/webhooks/pasarela',
  description: '',
  eventTypes: ['payment.*'],
  enabled: true,
  flagged: false,
  flaggedAt: null,
  flagReason: null,
  createdAt: '2026-01-05T19:41:38.820Z',
  updatedAt: '2026-01-05T19:41:38.820Z',
};
const Delivery = obj(
  { id: str(), endpointId: opt(str()), eventId: opt(str()), status: opt(str('pending, succeeded or failed')) },
  { description: 'A delivery of an event to an endpoint; the detail also lists its attempts.' },
);
const Event = obj({
  id: str(),
  type: str('', 'payment.created'),
  objectType: str(),
  objectId: str(),
  createdAt: instant(),
  payload: Type.Unknown({ description: 'The event’s data' }),
});
const eventExample = {
  id: 'evt_01a247b9',
  type: 'payment.created',
  objectType: 'payment',
  objectId: '01a247b9-dbd1-7738-af5f-6cc369370cc7',
  createdAt: '2026-01-05T19:41:32.500Z',
  payload: {},
};
const Batch = obj({
  id: str(),
  state: str('pending_upload, submitted or settled'),
  currency: str(),
  itemCount: int(),
  total: str('Sum of the items'),
  fee: str('Sum of the fees (an estimate while pending upload)'),
  totalCharged: str('total + fee'),
  feeIsEstimate: bool(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'Items by state' }),
  createdAt: instant(),
  submittedAt: nullable(instant()),
  settledAt: nullable(instant()),
  ownerUserId: opt(str()),
  ownerUsername: opt(str()),
  items: opt(
    list(
      obj({
        ref: str(),
        type: str('DISPERSION or DISPERSION_INSTANT_INTERBANK'),
        status: str('APPROVED, PROCESSING, PAID or FAILED'),
        reference: nullable(str()),
        nameAccount: str(),
        identificationNumber: str(),
        bankAccount: str(),
        bankCode: str(),
        bankName: str(),
        currency: str(),
        amount: str(),
        fee: str(),
        failureReason: nullable(str()),
        createdAt: instant(),
        submittedAt: nullable(instant()),
      }),
      'Detail only',
    ),
  ),
});
const batchExample = {
  id: '01a247ba-0000-7000-8000-000000000001',
  state: 'pending_upload',
  currency: 'VES',
  itemCount: 1,
  total: '150.75',
  fee: '1.00',
  totalCharged: '151.75',
  feeIsEstimate: true,
  counts: { APPROVED: 1, PROCESSING: 0, PAID: 0, FAILED: 0 },
  createdAt: '2026-01-05T12:00:00.000Z',
  submittedAt: null,
  settledAt: null,
};
const FeeRule = obj({
  operation: str('', 'request'),
  currency: str('', 'VES'),
  percent: str('Percent as decimal text', '2.5'),
  fixed: str('Fixed amount as decimal text', '0.00'),
});

const json = (description: string, schema: TSchema, example?: unknown) => ({ description, schema, ...(example !== undefined ? { example } : {}) });
const ok = (description: string, schema: TSchema, example?: unknown) => ({ 200: json(description, schema, example) });
const created = (description: string, schema: TSchema, example?: unknown) => ({ 201: json(description, schema, example) });

const operator = ' Operator only.';
const webhook = (op: OperationDoc): OperationDoc => ({ ...op, tags: ['webhooks'] });

export const consoleDocs: FamilyDocs = {
  tag: 'console API',
  consumes: FORM_ENCODINGS,
  errorShape: ErrorAnswer,
  errorExample: consoleErrorExample,
  security: consoleSecurity,
  operations: {
    'GET /console/api/config': {
      summary: 'What the console needs before sign-in',
      description: 'The environment (sandbox or production) and, in sandbox, the link that issues affiliation codes for registering a business.',
      security: [],
      answers: ok('The deployment’s settings.', obj({ environment: str('sandbox or production'), affiliationCodesUrl: nullable(str()) }), {
        environment: 'sandbox',
        affiliationCodesUrl: '/bc38875a09308a2/codes.json?access_token=…',
      }),
    },
    'POST /console/api/register': {
      summary: 'Register a person or a business',
      description: 'Creates a user and its VES wallet. A business needs a regular affiliation code; the PIN (4 digits) authorizes payments from the wallet.',
      security: [],
      answers: created('The new user and wallet.', obj({ user: Profile, wallets: list(Wallet) }), {
        user: profileExample,
        wallets: [{ ...walletExample, balance: '0.00', balanceMinor: 0 }],
      }),
      bodyExample: {
        type: 'person',
        username: 'comprador1',
        password: 'una-clave-larga',
        email: 'comprador1@example.com',
        phone: '584125550001',
        identification: 'V19123456',
        name: 'María Pérez',
        pin: '1234',
      },
      errors: [409, 429],
    },
    'POST /console/api/session': {
      summary: 'Sign in',
      description:
        'With username, phone or identification and password. Sets the HttpOnly session cookie and answers a CSRF token for it. The answer also carries `sessionToken` for scripts (`X-Session-Token`), unless the request says `X-Session-Transport: cookie` (the web console does: its session never reaches JavaScript).',
      security: [],
      answers: ok('Signed in.', obj({ user: Profile, sessionToken: opt(str('For X-Session-Token')), csrfToken: str(), expiresAt: instant() }), {
        user: profileExample,
        sessionToken: 'mqyNvPErMnRRWWXU16U_ZqN_nLAppv4LmUzEeXYKj4k',
        csrfToken: 'dhpMunoE-BEoD1wJ_uzj4W-gYmKewwSVBBx2h6aj5oAZWCUeSvno',
        expiresAt: '2026-01-06T07:40:21.891Z',
      }),
      bodyExample: { login: 'comprador1', password: 'una-clave-larga' },
      errors: [401, 403, 429],
    },
    'POST /console/api/password-reset': {
      summary: 'Ask for a password reset link',
      description:
        'With the username, phone or identification. The same answer whether the account exists or not; the link (single use, 30 minutes) goes by mail to the account’s address through `SMTP_URL`, and in sandbox it is also answered in `link`. Production without a mail server answers 403. Limited per client address (429) and per account (extra requests send nothing).',
      security: [],
      answers: { 202: { description: 'Asked.', schema: obj({ sent: bool(), link: opt(str('Sandbox only')) }), example: { sent: true } } },
      bodyExample: { login: 'comprador1' },
      errors: [403, 429],
    },
    'POST /console/api/password-reset/confirm': {
      summary: 'Set a new password with a reset link',
      description: 'The `token` of the link and the new password (8 characters or more). The link is used up; every session of the account ends.',
      security: [],
      answers: { 204: Empty },
      bodyExample: { token: 'cK_wnq8Bl49WCrVfSF8ZlT-pKyzEbKty0ZNCMeyIMRk', password: 'una-clave-nueva' },
      errors: [403],
    },
    'DELETE /console/api/session': {
      summary: 'Sign out',
      description:
        'Ends the session (header or cookie) and clears the cookie. With the cookie it needs the CSRF token. Signing out without a session also answers 204.',
      answers: { 204: Empty },
      errors: [403],
    },
    'GET /console/api/session': {
      summary: 'The current session, if any',
      description: '`signedIn`, and when true what `GET /console/api/me` answers; never 401, so a sign-in page may ask.',
      security: [],
      answers: ok('Whether someone is signed in.', Type.Composite([obj({ signedIn: bool() }), Type.Partial(Me)]), { signedIn: true, ...meExample }),
    },
    'GET /console/api/me': {
      summary: 'The signed-in user and wallets',
      description: 'The user, its wallets and a fresh CSRF token for the session cookie.',
      answers: ok('The user.', Me, meExample),
    },
    'GET /console/api/apps': {
      summary: 'The user’s OAuth applications',
      description: 'Every app the signed-in user registered, with its permissions and public key (the secret is at `/credentials`).',
      answers: ok('The apps.', Doc.data(App), { data: [appExample] }),
    },
    'POST /console/api/apps': {
      summary: 'Register an OAuth application',
      description: 'Multipart with a PNG `logo` file, or JSON with `logoBase64`. In sandbox the app is ready at once; in production it waits for the operator.',
      answers: created('The app and its keys (the secret is shown here and at /credentials).', obj({ app: App, credentials: Credentials }), {
        app: appExample,
        credentials: credentialsExample,
      }),
      bodyExample: { name: 'Mi Tienda', description: 'Venta de teléfonos', homepageUrl: 'https://mitienda.example.com' },
    },
    'GET /console/api/apps/:id': {
      summary: 'One application',
      description: 'An app of the signed-in user.',
      answers: ok('The app.', AppAnswer, { app: appExample }),
    },
    'PATCH /console/api/apps/:id': {
      summary: 'Change an application',
      description:
        'Name, description, homepage, redirect URIs (`redirectUris`: a list, or one per line; up to 10 absolute https URLs without fragment — http too in sandbox), receiving account or logo; fields left out stay as they are.',
      answers: ok('The app.', AppAnswer, { app: appExample }),
      bodyExample: { description: 'Venta de teléfonos y forros' },
    },
    'GET /console/api/apps/:id/credentials': {
      summary: 'The app’s keys (llaves de acceso)',
      description: 'client_id, client_secret, public key and a long-lived access token. Never cached (`Cache-Control: no-store`).',
      answers: ok('The keys.', Credentials, credentialsExample),
    },
    'POST /console/api/apps/:id/credentials/renew': {
      summary: 'Renew the keys',
      description: 'New secret, public key and access token; the old ones stop working at once.',
      answers: ok('The new keys.', Credentials, credentialsExample),
    },
    'POST /console/api/apps/:id/activation-request': {
      summary: 'Ask the operator to activate the app',
      description: 'A production app is usable once the operator activates it; this marks it as waiting.',
      answers: ok('The app, with `activationRequestedAt`.', AppAnswer, {
        app: { ...appExample, ready: false, activationRequestedAt: '2026-01-05T19:40:25.125Z' },
      }),
      errors: [409],
    },
    'PATCH /console/api/apps/:id/permissions': {
      summary: 'Change permissions (owner: sandbox only)',
      description: 'Payment button, billing API, distributions (with their accounts) and payouts. In production only the operator changes them.',
      answers: ok('The app.', AppAnswer, { app: appExample }),
      bodyExample: { paymentButton: true, billingApi: true },
    },
    'GET /console/api/operator/apps': {
      summary: 'All applications (operator)',
      description: 'Every app of every user; `pending=true` lists those waiting for activation.' + operator,
      answers: ok('The apps.', Doc.data(App), { data: [{ ...appExample, ownerUserId: 'ce4c0730-062d-4d1e-a753-ddd60fe23ebb' }] }),
    },
    'POST /console/api/operator/apps/:id/activate': {
      summary: 'Activate an application (operator)',
      description: 'The app may use the API from now on.' + operator,
      answers: ok('The app.', AppAnswer, { app: appExample }),
    },
    'PATCH /console/api/operator/apps/:id/permissions': {
      summary: 'Enable or disable permissions (operator)',
      description: 'Permissions and `ready` of any app.' + operator,
      answers: ok('The app.', AppAnswer, { app: appExample }),
      bodyExample: { billingApi: true, payouts: true, ready: true },
    },
    'GET /console/api/operator/fees': {
      summary: 'The fee schedule (operator)',
      description: 'The fee of each operation and currency: a percent plus a fixed amount.' + operator,
      answers: ok('The fee rules.', Doc.data(FeeRule), { data: [{ operation: 'request', currency: 'VES', percent: '2.5', fixed: '0.00' }] }),
    },
    'PUT /console/api/operator/fees': {
      summary: 'Set the fee of one operation and currency (operator)',
      description: 'Percent (e.g. "2.5") plus a fixed amount; applies to operations from now on.' + operator,
      answers: ok('The rule.', FeeRule, { operation: 'request', currency: 'VES', percent: '2.5', fixed: '0.00' }),
      bodyExample: { operation: 'request', currency: 'VES', percent: '2.5', fixed: '0' },
    },
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
      answers: ok(
        'The summary.',
        obj({ wallets: list(Wallet), volume: list(obj({ date: str('YYYY-MM-DD'), currency: str(), amount: str(), count: int() })) }),
        { wallets: [walletExample], volume: [{ date: '2026-01-05', currency: 'VES', amount: '20.00', count: 1 }] },
      ),
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
    'GET /console/api/apps/:id/webhooks': webhook({
      summary: 'The app’s webhook endpoints',
      description: 'Every endpoint of the app (secrets are not shown again).',
      answers: ok('The endpoints.', Doc.data(Endpoint), { data: [endpointExample] }),
    }),
    'POST /console/api/apps/:id/webhooks': webhook({
      summary: 'Add a webhook endpoint',
      description:
        'An HTTPS URL and the event types it receives (patterns such as `payment.*` must match some type). Its signing secret is in this answer only.',
      answers: created('The endpoint and its secret.', obj({ endpoint: Endpoint, secret: str() }), {
        endpoint: endpointExample,
        secret: 'whsec_b7c0a2c90e911ca192bf4013f0774c3b5a7bd12ffb235c11',
      }),
      bodyExample: { url: 'https://tienda.example.com/webhooks/pasarela', eventTypes: ['payment.*'] },
      errors: [409],
    }),
    'GET /console/api/apps/:id/webhooks/:webhookId': webhook({
      summary: 'One webhook endpoint',
      description: 'The endpoint’s settings and failure flag.',
      answers: ok('The endpoint.', obj({ endpoint: Endpoint }), { endpoint: endpointExample }),
    }),
    'PATCH /console/api/apps/:id/webhooks/:webhookId': webhook({
      summary: 'Change a webhook endpoint',
      description: 'URL, event types, description or enabled (enabling clears the failure flag).',
      answers: ok('The endpoint.', obj({ endpoint: Endpoint }), { endpoint: endpointExample }),
      bodyExample: { enabled: true },
    }),
    'DELETE /console/api/apps/:id/webhooks/:webhookId': webhook({
      summary: 'Delete a webhook endpoint',
      description: 'It receives nothing more.',
      answers: { 204: Empty },
    }),
    'POST /console/api/apps/:id/webhooks/:webhookId/secret': webhook({
      summary: 'Rotate the signing secret',
      description: 'The new secret is in this answer only; the old one stops signing at once.',
      answers: ok('The new secret.', obj({ secret: str() }), { secret: 'whsec_8698b23810311331bf80f08aaa8764ae01e48653052748dc' }),
    }),
    'POST /console/api/apps/:id/webhooks/:webhookId/replay-failed': webhook({
      summary: 'Send every failed delivery again',
      description: 'Each failed delivery of this endpoint gets a fresh retry schedule.',
      answers: ok('How many were queued.', obj({ replayed: int() }), { replayed: 3 }),
    }),
    'GET /console/api/apps/:id/webhook-deliveries': webhook({
      summary: 'Deliveries of the app’s events',
      description: 'Newest first; filter by endpoint, event or status.',
      answers: ok('The deliveries.', Doc.data(Delivery)),
    }),
    'GET /console/api/apps/:id/webhook-deliveries/:deliveryId': webhook({
      summary: 'A delivery and every attempt',
      description: 'Each attempt’s time, status, latency and the first KB of the answer.',
      answers: ok('The delivery.', obj({ delivery: Delivery })),
    }),
    'POST /console/api/apps/:id/webhook-deliveries/:deliveryId/replay': webhook({
      summary: 'Send this delivery again now',
      description: 'A fresh retry schedule; the attempt runs in the background.',
      answers: { 202: json('Queued.', obj({ delivery: Delivery })) },
      errors: [409],
    }),
    'GET /console/api/apps/:id/notification-secret': webhook({
      summary: 'Whether the app has a notification secret',
      description: 'The secret signs the notification_url calls and the Point webhooks.',
      answers: ok('Its state.', obj({ exists: bool(), createdAt: nullable(instant()) }), { exists: false, createdAt: null }),
    }),
    'POST /console/api/apps/:id/notification-secret': webhook({
      summary: 'New notification secret',
      description: 'In this answer only; replaces the old one.',
      answers: ok('The secret.', obj({ secret: str() }), { secret: 'whsec_b86e5a78e5735bafa75d155854cbb0fe96939aba7d9ba011' }),
    }),
    'GET /console/api/apps/:id/events': webhook({
      summary: 'The app’s recent events',
      description: 'Newest first; filter by `type`, up to `limit` (200).',
      answers: ok('The events.', Doc.data(Event), { data: [eventExample] }),
    }),
  },
};

/** The app’s own event feed, with its bearer token. */
export const appEventDocs: FamilyDocs = {
  tag: 'webhooks',
  consumes: FORM_ENCODINGS,
  errorShape: ErrorAnswer,
  errorExample: consoleErrorExample,
  security: [{ bearer: [] }],
  operations: {
    'GET /webhooks/events': {
      summary: 'The app’s recent events (bearer token)',
      description: 'What the webhooks of the app would receive, newest first, up to `limit` (200).',
      answers: ok('The events.', Doc.data(Event), { data: [eventExample] }),
    },
    'GET /webhooks/events/stream': {
      summary: 'Server-sent events of the app',
      description: 'Each new event of the app with its notification, as `text/event-stream` (what `pasarela listen` forwards). The stream stays open.',
      answers: {
        200: {
          description: 'An event stream.',
          contentType: 'text/event-stream',
          schema: Type.String(),
          example: 'event: payment.created\ndata: {"id":"evt_01a247b9","type":"payment.created"}\n\n',
        },
      },
    },
  },
};
