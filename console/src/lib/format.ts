// Money and dates in the console's language (amounts arrive as exact decimal strings).
import { currentLang } from '../i18n.ts';

const LOCALES = { es: 'es-VE', en: 'en-US' } as const;

/** `signed`: a movement's amount, with its sign shown either way (+ money in, − money out). */
export function formatMoney(amount: string, currency: string, options: { signed?: boolean } = {}): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  return new Intl.NumberFormat(LOCALES[currentLang()], {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
    signDisplay: options.signed ? 'exceptZero' : 'auto',
  }).format(value);
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(LOCALES[currentLang()], { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
