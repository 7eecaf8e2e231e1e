// The operator's console operations in the OpenAPI document (requests, users, affiliation
// codes, ledger verification) and the merchant's permission requests: documentation only.
import { Doc, type OperationDoc } from '../shared/api-docs.ts';
import { AppAnswer, appExample, created, ok, operator } from './docs-schemas.ts';

const { str, int, bool, nullable, list, obj, instant } = Doc;

const AppRequest = obj({
  subject: str('activation, payment_button, billing_api, distributions or payouts'),
  state: str('pending, approved or rejected'),
  requestedAt: nullable(instant()),
  decidedAt: nullable(instant()),
  reason: nullable(str('Why the operator rejected it')),
});
const rejected = {
  subject: 'activation',
  state: 'rejected',
  requestedAt: '2026-01-05T19:40:25.125Z',
  decidedAt: '2026-01-06T10:02:11.400Z',
  reason: 'La página de inicio no muestra los datos fiscales del comercio.',
};
const pendingPermission = { subject: 'payouts', state: 'pending', requestedAt: '2026-01-06T11:00:00.000Z', decidedAt: null, reason: null };

const PendingRequest = obj({
  appId: str(),
  appName: str(),
  environment: str('sandbox or production'),
  subject: str('activation, payment_button, billing_api, distributions or payouts'),
  requestedAt: instant(),
  owner: obj({ id: str(), username: str(), name: str() }),
});
const UserAdmin = obj({
  id: str(),
  type: str('person, business or operator'),
  username: str(),
  name: str(),
  email: nullable(str()),
  phone: nullable(str()),
  identification: nullable(str()),
  createdAt: instant(),
  locked: bool('Locked by the operator: cannot sign in'),
  lockedAt: nullable(instant()),
});
const userExample = {
  id: '89e5ee89-772b-47c4-bffa-91899ef5780b',
  type: 'person',
  username: 'comprador1',
  name: 'María Pérez',
  email: 'comprador1@example.com',
  phone: '584125550001',
  identification: 'V19123456',
  createdAt: '2026-01-05T19:40:21.945Z',
  locked: true,
  lockedAt: '2026-01-06T09:12:00.000Z',
};
const Verification = nullable(
  obj({
    ok: bool('No differences'),
    checkedAt: instant(),
    durationMs: int(),
    total: int('How many differences were found'),
    problems: list(
      obj({ kind: str('balance_mismatch, held_mismatch, unbalanced_entry or negative_wallet'), id: str('The account or journal entry'), detail: str() }),
      'The first 100 differences',
    ),
  }),
);
const verificationExample = { ok: true, checkedAt: '2026-01-06T09:30:00.000Z', durationMs: 42, total: 0, problems: [] };
const reasonBody = { reason: 'La página de inicio no muestra los datos fiscales del comercio.' };

export const consoleOperatorOperations: Record<string, OperationDoc> = {
  'GET /console/api/apps/:id/requests': {
    summary: 'The app’s activation and permission requests',
    description: 'Each request of the app and its state; a rejected one carries the operator’s `reason`. A rejected activation may be requested again.',
    answers: ok('The requests.', Doc.data(AppRequest), { data: [rejected, pendingPermission] }),
  },
  'POST /console/api/apps/:id/permission-requests': {
    summary: 'Ask the operator for a permission',
    description: '`permission`: payment_button, billing_api, distributions or payouts. Asking again after a rejection makes it pending again.',
    answers: created('The app’s requests.', Doc.data(AppRequest), { data: [pendingPermission] }),
    bodyExample: { permission: 'payouts' },
  },
  'GET /console/api/operator/requests': {
    summary: 'Requests waiting for the operator (operator)',
    description: 'Activation requests of apps not yet active and pending permission requests, oldest first.' + operator,
    answers: ok('The pending requests.', Doc.data(PendingRequest), {
      data: [
        {
          appId: appExample.id,
          appName: appExample.name,
          environment: 'production',
          subject: 'activation',
          requestedAt: '2026-01-05T19:40:25.125Z',
          owner: { id: 'ce4c0730-062d-4d1e-a753-ddd60fe23ebb', username: 'mitienda', name: 'Mi Tienda C.A.' },
        },
      ],
    }),
  },
  'POST /console/api/operator/apps/:id/activation/reject': {
    summary: 'Reject an activation request (operator)',
    description: 'With a `reason` of 3 to 500 characters, shown to the merchant. The app stays inactive; its owner may ask again.' + operator,
    answers: ok('The app.', AppAnswer, { app: { ...appExample, ready: false } }),
    bodyExample: reasonBody,
  },
  'POST /console/api/operator/apps/:id/permission-requests/:permission/approve': {
    summary: 'Approve a permission request (operator)',
    description: 'The permission is enabled in the same step.' + operator,
    answers: ok('The app.', AppAnswer, { app: appExample }),
  },
  'POST /console/api/operator/apps/:id/permission-requests/:permission/reject': {
    summary: 'Reject a permission request (operator)',
    description: 'With a `reason` of 3 to 500 characters, shown to the merchant.' + operator,
    answers: ok('The app.', AppAnswer, { app: appExample }),
    bodyExample: reasonBody,
  },
  'GET /console/api/operator/apps/:id/requests': {
    summary: 'Any app’s requests (operator)',
    description: 'What `GET /console/api/apps/:id/requests` answers its owner.' + operator,
    answers: ok('The requests.', Doc.data(AppRequest), { data: [rejected] }),
  },
  'GET /console/api/operator/users': {
    summary: 'Find users (operator)',
    description: '`q` is searched in username, name, email, phone and identification (any case); newest first, 50 at most.' + operator,
    answers: ok('The users.', Doc.data(UserAdmin), { data: [userExample] }),
  },
  'POST /console/api/operator/users/:id/lock': {
    summary: 'Lock a user (operator)',
    description: 'Its console sessions end at once and every sign-in is refused until it is unlocked. The operator cannot be locked.' + operator,
    answers: ok('The user.', obj({ user: UserAdmin }), { user: userExample }),
  },
  'POST /console/api/operator/users/:id/unlock': {
    summary: 'Unlock a user (operator)',
    description: 'It may sign in again.' + operator,
    answers: ok('The user.', obj({ user: UserAdmin }), { user: { ...userExample, locked: false, lockedAt: null } }),
  },
  'GET /console/api/operator/affiliation-codes': {
    summary: 'Affiliation codes (operator)',
    description: 'The codes issued, newest first (200 at most), and who used each. A business registers with a regular code.' + operator,
    answers: ok(
      'The codes.',
      Doc.data(obj({ code: str(), type: str('regular or commercial'), createdAt: instant(), usedAt: nullable(instant()), usedBy: nullable(str('Username')) })),
      { data: [{ code: 'K7Q2M9XA', type: 'regular', createdAt: '2026-01-06T09:00:00.000Z', usedAt: null, usedBy: null }] },
    ),
  },
  'POST /console/api/operator/affiliation-codes': {
    summary: 'Issue affiliation codes (operator)',
    description: 'A regular and a commercial code, each for one registration.' + operator,
    answers: created('The new codes.', obj({ regular: str(), commercial: str() }), { regular: 'K7Q2M9XA', commercial: 'P3W8Z1RC' }),
  },
  'GET /console/api/operator/ledger/verification': {
    summary: 'The last ledger verification (operator)',
    description: 'The result of the last run (null before the first).' + operator,
    answers: ok('The last result.', obj({ verification: Verification }), { verification: verificationExample }),
  },
  'POST /console/api/operator/ledger/verification': {
    summary: 'Verify the ledger now (operator)',
    description:
      'Checks every balance against its postings, held amounts against pending holds, no negative wallet and every journal entry balanced (what `pasarela verify-ledger` checks).' +
      operator,
    answers: ok('The result.', obj({ verification: Verification }), { verification: verificationExample }),
  },
};
