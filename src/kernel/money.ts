// Money is an integer count of minor units plus a currency. Amounts enter as decimal strings
// (or JSON numbers, read through their shortest decimal form) and are parsed exactly: a value
// with more decimals than the currency allows is an error, never rounded.
import { ValidationError } from './errors.ts';
import { COMMON_MESSAGES, type CommonCode } from './messages.ts';

// ISO 4217 minor units. Beyond the wallet family's two, the currencies of the card family's
// Latin American sites (test users are made per site, each with its currency).
export const CURRENCIES = {
  VES: { exponent: 2, name: 'Bolívar' },
  USD: { exponent: 2, name: 'Dólar estadounidense' },
  ARS: { exponent: 2, name: 'Peso argentino' },
  BRL: { exponent: 2, name: 'Real brasileño' },
  MXN: { exponent: 2, name: 'Peso mexicano' },
  COP: { exponent: 2, name: 'Peso colombiano' },
  CLP: { exponent: 0, name: 'Peso chileno' },
  PEN: { exponent: 2, name: 'Sol peruano' },
  UYU: { exponent: 2, name: 'Peso uruguayo' },
} as const;

export type Currency = keyof typeof CURRENCIES;
export const DEFAULT_CURRENCY: Currency = 'VES';

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CURRENCIES, value);
}

export function parseCurrency(value: unknown, path: string[] = []): Currency {
  if (value === undefined || value === null || value === '') return DEFAULT_CURRENCY;
  const code = typeof value === 'string' ? value.trim().toUpperCase() : value;
  if (!isCurrency(code)) throw new ValidationError([{ path, message: COMMON_MESSAGES.currency.es, code: 'common.currency' }]);
  return code;
}

/** Largest amount accepted anywhere: keeps every sum far inside Number.MAX_SAFE_INTEGER. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000_00; // one trillion major units
/**
 * A balance (or held amount) is a sum of amounts, each capped, but the sum is not: it is kept
 * within the range JavaScript numbers hold exactly, and a change that would leave it is refused.
 */
export const MAX_BALANCE_MINOR = Number.MAX_SAFE_INTEGER;

export interface ParseAmountOptions {
  path?: string[];
  allowZero?: boolean;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parse "17.50" / 17.5 / "7" into minor units of `currency`. */
export function parseAmount(input: unknown, currency: Currency, options: ParseAmountOptions = {}): number {
  const path = options.path ?? [];
  const fail = (key: 'required' | 'amountInvalid' | 'amountPositive' | 'amountDecimals' | 'amountWhole' | 'amountTooBig'): never => {
    throw new ValidationError([{ path, message: COMMON_MESSAGES[key].es, code: `common.${key}` satisfies CommonCode }]);
  };
  if (input === undefined || input === null || input === '') fail('required');
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) fail('amountInvalid');
    // String(n) is the shortest decimal that round-trips, so 7.5 reads as "7.5", never 7.4999…
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return fail('amountInvalid');
  }
  if (text.startsWith('-')) fail('amountPositive');
  const match = DECIMAL.exec(text);
  if (!match) return fail('amountInvalid');
  const exponent: number = CURRENCIES[currency].exponent;
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  let fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    // Trailing zeros beyond the exponent change nothing ("7.500"); any other digit would be lost.
    if (/[^0]/.test(fraction.slice(exponent))) {
      fail(exponent === 0 ? 'amountWhole' : 'amountDecimals');
    }
    fraction = fraction.slice(0, exponent);
  }
  if (whole.length > 15) fail('amountTooBig');
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor > MAX_AMOUNT_MINOR) fail('amountTooBig');
  if (minor === 0 && !options.allowZero) fail('amountPositive');
  return minor;
}

/** 1750 VES → "17.50" (exact, from integer arithmetic). */
export function formatAmount(minor: number, currency: Currency): string {
  assertMinor(minor);
  const exponent: number = CURRENCIES[currency].exponent;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (exponent === 0) return sign + String(abs);
  const base = 10 ** exponent;
  const whole = Math.trunc(abs / base);
  const fraction = String(abs % base).padStart(exponent, '0');
  return `${sign}${whole}.${fraction}`;
}

/**
 * The wire contract writes amounts as JSON numbers (`"total": 18.8`). The number is produced
 * from the exact decimal string, only at the edge; nothing inside Pasarela reads it back.
 */
export function amountAsJsonNumber(minor: number, currency: Currency): number {
  return Number(formatAmount(minor, currency));
}

export function assertMinor(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount in minor units must be a safe integer, got ${minor}`);
}

/** Sum of integers with an overflow guard. */
export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    assertMinor(v);
    total += v;
  }
  assertMinor(total);
  return total;
}

/** Apply a percentage in basis points with round-half-up on the minor unit (fees). */
export function percentOf(minor: number, basisPoints: number): number {
  assertMinor(minor);
  // (minor * bp + 5000) / 10000, floored, in BigInt: the product passes 2^53 for large
  // amounts, where float arithmetic would be off by one.
  const scaled = BigInt(minor) * BigInt(basisPoints) + 5000n;
  const quotient = scaled / 10000n;
  return Number(scaled < 0n && quotient * 10000n !== scaled ? quotient - 1n : quotient);
}

/**
 * `part / whole` of `minor`, floored, exact in BigInt (the product passes 2^53 for large
 * amounts). A running total taken this way at each step sums to `minor` when `part` reaches
 * `whole`, and no step's difference exceeds its own part when `minor ≤ whole` (refunds of a fee).
 */
export function shareOf(minor: number, part: number, whole: number): number {
  assertMinor(minor);
  assertMinor(part);
  assertMinor(whole);
  if (whole <= 0 || part < 0 || part > whole || minor < 0) throw new RangeError(`shareOf(${minor}, ${part}, ${whole}): out of range`);
  return Number((BigInt(minor) * BigInt(part)) / BigInt(whole));
}
