// Human references numbered per day: prefix + yymmdd + the day's sequence (P2105193456333,
// MP19122800001). The day is Venezuela's civil day (UTC−4 all year since 2016).
import { InvariantError } from './errors.ts';

const CARACAS_OFFSET_MS = -4 * 3600 * 1000;

/** "191228" for any moment of 2019-12-28 in Caracas. */
export function refDay(epochMs: number): string {
  const d = new Date(epochMs + CARACAS_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

export function formatDailyRef(prefix: string, day: string, sequence: number, digits: number): string {
  if (!/^\d{6}$/.test(day) || !Number.isSafeInteger(sequence) || sequence < 1) throw new InvariantError(`bad ref parts ${prefix}/${day}/${sequence}`);
  return `${prefix}${day}${String(sequence).padStart(digits, '0')}`;
}
