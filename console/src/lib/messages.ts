// What to say about a failed request, in the console's language. The server answers in Spanish,
// and beside the text sends stable codes: a refusal's (the `pasarela-refusal` header, said in
// the console's words, locales/refusals-*.ts) and, for field errors from the shared rules, each
// field's (`pasarela-field-codes`, said with the rules' own es/en texts). A code this console
// does not know (a newer server), or a message without one, shows the server's own text.
import type { TFunction } from 'i18next';
import { IDENTITY_MESSAGES } from '../../../src/modules/identity/rules.ts';
import { APP_MESSAGES } from '../../../src/modules/apps/rules.ts';
import { WALLET_MESSAGES } from '../../../src/modules/wallets/rules.ts';
import { WEBHOOK_MESSAGES } from '../../../src/modules/webhooks/rules.ts';
import { PAYOUT_MESSAGES } from '../../../src/modules/payouts/rules.ts';
import i18n, { currentLang } from '../i18n.ts';
import { ApiError, NetworkError } from './api.ts';

/** The rule tables by the module name that starts their codes ("apps.logoNotPng"). */
const RULE_TABLES: Record<string, Record<string, { es: string; en: string }>> = {
  identity: IDENTITY_MESSAGES,
  apps: APP_MESSAGES,
  wallets: WALLET_MESSAGES,
  webhooks: WEBHOOK_MESSAGES,
  payouts: PAYOUT_MESSAGES,
};

/** A shared rule's message in the console's language, by its code; undefined when unknown. */
export function ruleText(code: string | undefined): string | undefined {
  const [table, key, ...rest] = (code ?? '').split('.');
  if (!table || !key || rest.length || !Object.hasOwn(RULE_TABLES, table) || !Object.hasOwn(RULE_TABLES[table]!, key)) return undefined;
  return RULE_TABLES[table]![key]![currentLang()];
}

/** The refusal's words in the console's language, or undefined when this console does not know the code. */
export function refusalText(code: string | undefined): string | undefined {
  return code && i18n.exists(`refusals.${code}`) ? i18n.t(`refusals.${code}`) : undefined;
}

/**
 * A message of this failed request — its `field`'s, or its own — in the console's language where
 * its code is known. The server speaks Spanish, with the refusal's particulars (which limit, which
 * permission), so in Spanish its own words are kept.
 */
export function localize(error: ApiError, message: string, field?: string): string {
  if (currentLang() === 'es') return message;
  return (field !== undefined ? ruleText(error.fieldCodes[field]) : undefined) ?? refusalText(error.refusal) ?? message;
}

/** One sentence for an error that is not about a field. */
export function describeError(error: unknown, t: TFunction): string {
  if (error instanceof NetworkError) return t('common.networkError');
  if (error instanceof ApiError) {
    if (error.status >= 500) return t('common.serverError');
    if (error.general.length) return error.general.map((m) => localize(error, m)).join(' ');
    if (Object.keys(error.fields).length) return t('common.formErrors');
    if (error.message && error.message !== 'Validation Failed') return localize(error, error.message);
    if (error.status === 403) return t('common.forbidden');
  }
  return t('common.serverError');
}
