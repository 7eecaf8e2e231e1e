// Instants from the wire (ISO 8601 text). A schema's `format: 'date-time'` admits texts that
// Date.parse cannot place — a leap second ("23:59:60Z") — and NaN must never reach a query
// (PostgreSQL refuses it as a bigint parameter: a 500; SQLite silently matches nothing).
import { ValidationError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';

/** Milliseconds since the epoch, `undefined` when absent or empty; anything else is a 400. */
export function readInstant(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new ValidationError([{ path: [field], message: COMMON_MESSAGES.date.es, code: 'common.date' }]);
  return ms;
}
