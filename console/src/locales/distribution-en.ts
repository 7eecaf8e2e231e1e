// English texts of an application's distribution accounts (en.ts includes them as `distribution`).
import type { distributionEs } from './distribution-es.ts';

type Texts<T> = { [K in keyof T]: T[K] extends string ? string : Texts<T[K]> };

export const distributionEn: Texts<typeof distributionEs> = {
  title: 'Distribution accounts',
  intro:
    'Accounts that may receive a part of each payment of this application (a payment intent’s distributions). A distribution to an account not listed here is refused.',
  needsPermissionSandbox: 'To distribute funds, first turn on the “Fund distribution” permission.',
  needsPermissionProduction: 'To distribute funds, first request the “Fund distribution” permission: the operator enables it on request.',
  toPermissions: 'Go to Permissions',
  listLabel: 'Authorized accounts',
  empty: 'No authorized accounts yet.',
  since: 'Authorized on {{date}}',
  account: 'Account to authorize',
  accountHint: 'Username, phone, identification or wallet account number of whoever will receive the distributions (in VES).',
  add: 'Authorize account',
  adding: 'Authorizing…',
  added: '{{name}} (@{{username}}) may receive this application’s distributions.',
  already: 'The account of {{name}} (@{{username}}) was already authorized.',
  remove: 'Remove',
  removeLabel: 'Remove the account of {{name}}',
  removeTitle: 'Remove this distribution account?',
  removeText:
    '{{name}} (@{{username}}) will no longer receive this application’s distributions. Payment intents with distributions to this account, even those already created, will be refused.',
  removeConfirm: 'Yes, remove',
  removing: 'Removing…',
  removed: 'The account of {{name}} (@{{username}}) was removed.',
};
