// Instants from the wire (ISO 8601 text). A schema's `format: 'date-time'` admits texts that
// Date.parse cannot place — a leap second ("23:59:60Z") — and NaN must never reach a query
// (PostgreSQL refuses it as a bigint parameter: a 500; SQLite silently matches nothing).
import { ValidationError } from '../../kernel/errors.ts';
import { DAY_MS, iso } from '../../kernel/instants.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds since the epoch, `undefined` when absent or empty; anything else is a 400. */
export function readInstant(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new ValidationError([{ path: [field], message: COMMON_MESSAGES.date.es, code: 'common.date' }]);
  return ms;
}

/**
 * A day (YYYY-MM-DD, read in UTC) or an instant, in milliseconds since the epoch: a day's start,
 * or with `end` the start of the next day (so a range includes its end day). Anything else is a 400.
 */
export function readDayOrInstant(value: string, field: string, end: boolean): number {
  const day = DATE_ONLY.test(value);
  const ms = Date.parse(day ? `${value}T00:00:00Z` : value);
  // Date.parse rolls an impossible day over (2026-02-30 is March 2nd): a day must read back as itself.
  if (!Number.isFinite(ms) || (day && iso(ms).slice(0, 10) !== value))
    throw new ValidationError([{ path: [field], message: COMMON_MESSAGES.dayOrInstant.es, code: 'common.dayOrInstant' }]);
  return day && end ? ms + DAY_MS : ms;
}
