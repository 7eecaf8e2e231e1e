// What to say about a failed request, in the console's language. The server answers in
// Spanish; a refusal also carries its stable code (the `pasarela-refusal` header), which the
// console says in its own words in either language (locales/refusals-*.ts). An unknown code
// (a server newer than this console) shows the server's own message.
import type { TFunction } from 'i18next';
import i18n from '../i18n.ts';
import { ApiError, NetworkError } from './api.ts';

/** The refusal's words in the console's language, or undefined when this console does not know the code. */
export function refusalText(code: string | undefined): string | undefined {
  return code && i18n.exists(`refusals.${code}`) ? i18n.t(`refusals.${code}`) : undefined;
}

/** A message of this failed request (its field's or its own) in the console's language where it is known. */
export function localize(error: ApiError, message: string): string {
  return refusalText(error.refusal) ?? message;
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
