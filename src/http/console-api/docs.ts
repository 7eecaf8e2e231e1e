// The console API in the OpenAPI document (see shared/api-docs.ts): what each operation does,
// its answers and examples. Documentation only — the routes' serializers never see these.
import { Type } from '@sinclair/typebox';
import { Doc, Empty, FORM_ENCODINGS, type FamilyDocs } from '../shared/api-docs.ts';
import { ErrorAnswer } from '../shared/errors.ts';
import { MAX_DISTRIBUTION_ACCOUNTS } from '../../modules/apps/index.ts';
import {
  App,
  AppAnswer,
  Credentials,
  FeeRule,
  Me,
  Profile,
  Wallet,
  appExample,
  consoleErrorExample,
  consoleSecurity,
  created,
  credentialsExample,
  distributionRecipientExample,
  meExample,
  ok,
  operator,
  profileExample,
  walletExample,
} from './docs-schemas.ts';
import { consoleMoneyOperations } from './money-docs.ts';
import { consoleWebhookOperations } from './webhook-docs.ts';
import { consoleOperatorOperations } from './operator-docs.ts';
import { consolePointOperations } from './point-docs.ts';

export { appEventDocs } from './webhook-docs.ts';
export { consoleErrorExample, consoleSecurity } from './docs-schemas.ts';

const { str, bool, nullable, opt, list, obj, instant } = Doc;
const replacedAccounts =
  `\`distributionAccounts\`, when sent, is the app's whole list of distribution accounts (up to ${MAX_DISTRIBUTION_ACCOUNTS}, by username, phone, identification or wallet account id): ` +
  'accounts already listed keep their authorization time, the others are added or removed. An unknown account or one of the app owner’s own is a 400 field error under `distributionAccounts.<index>` (codes `apps.distributionAccountUnknown`, `apps.distributionAccountOwn`) and changes nothing.';

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
      description: `Payment button, billing API, distributions and payouts. In production only the operator changes them. ${replacedAccounts}`,
      answers: ok('The app.', AppAnswer, { app: appExample }),
      bodyExample: { paymentButton: true, billingApi: true },
    },
    'POST /console/api/apps/:id/distribution-accounts': {
      summary: 'Authorize a distribution account',
      description:
        'The wallet of whoever `account` names — username, phone, identification or wallet account id (by person: their VES wallet) — may receive this app’s distributions from now on. Needs the distributions permission (requested from the operator in production). ' +
        `Refused under \`account\`: an unknown account, one of the app owner’s own, more than ${MAX_DISTRIBUTION_ACCOUNTS}. An account already authorized stays as it is (200, \`added\` false).`,
      answers: {
        ...created('Authorized.', obj({ app: App, accountId: str('The wallet account authorized'), added: bool() }), {
          app: {
            ...appExample,
            permissions: { ...appExample.permissions, distributions: true },
            distributionAccounts: [distributionRecipientExample.accountId],
            distributionRecipients: [distributionRecipientExample],
          },
          accountId: distributionRecipientExample.accountId,
          added: true,
        }),
        ...ok('It already was.', obj({ app: App, accountId: str('The wallet account authorized'), added: bool() })),
      },
      bodyExample: { account: 'comprador2' },
    },
    'DELETE /console/api/apps/:id/distribution-accounts/:accountId': {
      summary: 'Withdraw a distribution account',
      description:
        'The account (its wallet account id) receives no more of this app’s distributions: intents that distribute to it are refused, at creation and at execution. Removing one that is not authorized changes nothing (`removed` false).',
      answers: ok('The app.', obj({ app: App, removed: bool() }), { app: appExample, removed: true }),
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
      description: `Permissions and \`ready\` of any app. ${replacedAccounts}` + operator,
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
    ...consoleMoneyOperations,
    ...consoleWebhookOperations,
    ...consoleOperatorOperations,
    ...consolePointOperations,
  },
};
