// What to say about a failed request, in the console's language. The server answers in Spanish,
// and beside the text sends stable codes: a refusal's (the `pasarela-refusal` header, said in
// the console's words, locales/refusals-*.ts), each field error's and form-level message's
// (`pasarela-field-codes`) and the answer's own message's (`pasarela-message-code`: a 403, a
// 404, …), said with the rule tables' own es/en texts. A code this console does not know (a
// newer server), or a message without one, shows the server's own text.
import type { TFunction } from 'i18next';
import i18n, { currentLang } from '../i18n.ts';
import { ApiError, NetworkError } from './api.ts';
import { RULE_TABLES } from './rule-tables.ts';

/** A shared rule's message in the console's language, by its code; undefined when unknown. */
export function ruleText(code: string | undefined): string | undefined {
  const [table, key, ...rest] = (code ?? '').split('.');
  if (!table || !key || rest.length || !Object.hasOwn(RULE_TABLES, table) || !Object.hasOwn(RULE_TABLES[table]!, key)) return undefined;
  return RULE_TABLES[table]![key]![currentLang()];
}

/**
 * A server message that names its rule code (a CSV line's problem, a bank answer's): in Spanish
 * the server's own words (they may carry a limit), in English the rule's text where it is known.
 */
export function coded(code: string | undefined, message: string): string {
  return currentLang() === 'es' ? message : (ruleText(code) ?? message);
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
  if (field !== undefined) return ruleText(error.fieldCodes[field]) ?? refusalText(error.refusal) ?? message;
  return refusalText(error.refusal) ?? ruleText(error.messageCode) ?? message;
}

/** The form-level messages of a "Validation Failed" answer, each in the console's language where its code is known. */
function localizeGeneral(error: ApiError): string {
  if (currentLang() === 'es') return error.general.join(' ');
  return error.general.map((m, i) => ruleText(error.generalCodes[i]) ?? refusalText(error.refusal) ?? m).join(' ');
}

/** One sentence for an error that is not about a field. */
export function describeError(error: unknown, t: TFunction): string {
  if (error instanceof NetworkError) return t('common.networkError');
  if (error instanceof ApiError) {
    if (error.status >= 500) return t('common.serverError');
    if (error.general.length) return localizeGeneral(error);
    if (Object.keys(error.fields).length) return t('common.formErrors');
    if (error.message && error.message !== 'Validation Failed') return localize(error, error.message);
    if (error.status === 403) return t('common.forbidden');
  }
  return t('common.serverError');
}
