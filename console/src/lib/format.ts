// Money and dates in the console's language (amounts arrive as exact decimal strings).
import { currentLang } from '../i18n.ts';

const LOCALES = { es: 'es-VE', en: 'en-US' } as const;

/** `signed`: a movement's amount, its sign in front either way ("+ VES 5,00", "− VES 5,00"). */
export function formatMoney(amount: string, currency: string, options: { signed?: boolean } = {}): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  const text = new Intl.NumberFormat(LOCALES[currentLang()], { style: 'currency', currency, currencyDisplay: 'code' }).format(Math.abs(value));
  if (!options.signed || value === 0) return value < 0 ? `−${text}` : text;
  return `${value < 0 ? '−' : '+'}\u00a0${text}`;
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(LOCALES[currentLang()], { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
