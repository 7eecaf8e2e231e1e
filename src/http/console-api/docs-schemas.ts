// The console API's documented shapes and examples (see docs.ts, money-docs.ts and
// webhook-docs.ts): documentation only — the routes' serializers never see these.
import { Type, type TSchema } from '@sinclair/typebox';
import { Doc, type OperationDoc, type Security } from '../shared/api-docs.ts';

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

export const Profile = obj({
  id: str(),
  type: str('person, business or operator'),
  username: str(),
  name: str(),
  email: nullable(str()),
  phone: nullable(str()),
  identification: nullable(str()),
});
export const Wallet = obj({
  id: str(),
  currency: str('', 'VES'),
  balance: str('Decimal text'),
  balanceMinor: int('Minor units (céntimos)'),
  held: str(),
  heldMinor: int(),
});
export const profileExample = {
  id: '89e5ee89-772b-47c4-bffa-91899ef5780b',
  type: 'person',
  username: 'comprador1',
  name: 'María Pérez',
  email: 'comprador1@example.com',
  phone: '584125550001',
  identification: 'V19123456',
};
export const walletExample = {
  id: '01a247b8-c835-72d9-9325-6249a92bd0fb',
  currency: 'VES',
  balance: '1520.00',
  balanceMinor: 152000,
  held: '0.00',
  heldMinor: 0,
};

export const App = obj({
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
  distributionAccounts: list(
    str('A wallet account id'),
    'Accounts authorized to receive the app’s distributions, oldest authorization first (then by account id)',
  ),
  distributionRecipients: list(
    obj({ accountId: str(), currency: str('', 'VES'), username: str(), name: str('The account holder'), authorizedAt: instant() }),
    'The same accounts in the same order (oldest authorization first, then by account id), with their holders',
  ),
  hasLogo: bool(),
  clientId: str(),
  publicKey: str(),
  createdAt: instant(),
  ownerUserId: opt(str('Operator lists only')),
});
export const appExample = {
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
  distributionRecipients: [],
  hasLogo: true,
  clientId: 'd8755d0d2d2cc979c83453ee228c4e88',
  publicKey: 'TEST-4c75e681-e281-4e89-b4e2-fd32a62696e1',
  createdAt: '2026-01-05T19:40:21.945Z',
};
export const Credentials = obj({ clientId: str(), clientSecret: str(), publicKey: str(), accessToken: str('A long-lived access token of the app') });
export const credentialsExample = {
  clientId: 'd8755d0d2d2cc979c83453ee228c4e88',
  clientSecret: '87DTsddzKqBnZN4_THeTjCnKAuZTcwvesNFhlQqtvHg',
  publicKey: 'TEST-4c75e681-e281-4e89-b4e2-fd32a62696e1',
  accessToken: 'TEST-032a4035ba3f0b77-Vg0pT4Da1IqsS4KZD0WrWHefxc_3wiuhGCeMirelUTs',
};
export const AppAnswer = obj({ app: App });
export const distributionRecipientExample = {
  accountId: '01a247b8-c835-72d9-9325-6249a92bd0fb',
  currency: 'VES',
  username: 'comprador2',
  name: 'José Rodríguez',
  authorizedAt: '2026-01-05T19:45:02.118Z',
};

export const Me = obj({ user: Profile, csrfToken: str('For X-CSRF-Token with the cookie'), expiresAt: instant(), wallets: list(Wallet) });
export const meExample = {
  user: profileExample,
  csrfToken: 'G1LL10yo-yTnn3TXEaoptgoC-pu75_BYD79zua-O4KqbYDpRkA2Y',
  expiresAt: '2026-01-06T07:40:25.702Z',
  wallets: [walletExample],
};

export const IntentRow = obj({
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
export const intentRowExample = {
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
export const IntentDetail = Type.Composite([
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

export const Endpoint = obj({
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
export const endpointExample = {
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
export const Delivery = obj(
  { id: str(), endpointId: opt(str()), eventId: opt(str()), status: opt(str('pending, succeeded or failed')) },
  { description: 'A delivery of an event to an endpoint; the detail also lists its attempts.' },
);
export const Event = obj({
  id: str(),
  type: str('', 'payment.created'),
  objectType: str(),
  objectId: str(),
  createdAt: instant(),
  payload: Type.Unknown({ description: 'The event’s data' }),
});
export const eventExample = {
  id: 'evt_01a247b9',
  type: 'payment.created',
  objectType: 'payment',
  objectId: '01a247b9-dbd1-7738-af5f-6cc369370cc7',
  createdAt: '2026-01-05T19:41:32.500Z',
  payload: {},
};
export const Batch = obj({
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
export const batchExample = {
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
export const FeeRule = obj({
  operation: str('', 'request'),
  currency: str('', 'VES'),
  percent: str('Percent as decimal text', '2.5'),
  fixed: str('Fixed amount as decimal text', '0.00'),
});

export const json = (description: string, schema: TSchema, example?: unknown) => ({ description, schema, ...(example !== undefined ? { example } : {}) });
export const ok = (description: string, schema: TSchema, example?: unknown) => ({ 200: json(description, schema, example) });
export const created = (description: string, schema: TSchema, example?: unknown) => ({ 201: json(description, schema, example) });

export const operator = ' Operator only.';
export const webhook = (op: OperationDoc): OperationDoc => ({ ...op, tags: ['webhooks'] });
