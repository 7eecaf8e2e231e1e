// What to say about a failed request, in the console's language. The server answers in
// Spanish; the messages the shared form rules know are shown in English when English is on.
import type { TFunction } from 'i18next';
import { IDENTITY_MESSAGES } from '../../../src/modules/identity/rules.ts';
import { APP_MESSAGES } from '../../../src/modules/apps/rules.ts';
import { WALLET_MESSAGES } from '../../../src/modules/wallets/rules.ts';
import { WEBHOOK_MESSAGES } from '../../../src/modules/webhooks/rules.ts';
import { PAYOUT_MESSAGES } from '../../../src/modules/payouts/rules.ts';
import { currentLang } from '../i18n.ts';
import { ApiError, NetworkError } from './api.ts';

const ENGLISH = new Map<string, string>(
  [
    ...Object.values(IDENTITY_MESSAGES),
    ...Object.values(APP_MESSAGES),
    ...Object.values(WALLET_MESSAGES),
    ...Object.values(WEBHOOK_MESSAGES),
    ...Object.values(PAYOUT_MESSAGES),
  ].map((m) => [m.es, m.en]),
);

/** A server message in the console's language, where the rules know its translation. */
export function localize(message: string): string {
  return currentLang() === 'en' ? (ENGLISH.get(message) ?? message) : message;
}

/** One sentence for an error that is not about a field. */
export function describeError(error: unknown, t: TFunction): string {
  if (error instanceof NetworkError) return t('common.networkError');
  if (error instanceof ApiError) {
    if (error.status >= 500) return t('common.serverError');
    if (error.general.length) return error.general.map(localize).join(' ');
    if (Object.keys(error.fields).length) return t('common.formErrors');
    if (error.message && error.message !== 'Validation Failed') return localize(error.message);
    if (error.status === 403) return t('common.forbidden');
  }
  return t('common.serverError');
}
