// Named counters, safe under concurrency: one upsert both creates and increments.
// Draw a number in its own statement, before the transaction that uses it: the counter row
// is shared by every merchant and must not stay locked for a whole transaction. A transaction
// that then fails leaves a gap in the day's numbers, never a duplicate.
import { sql } from 'kysely';
import { formatDailyRef, refDay } from '../kernel/refs.ts';
import type { Db, Tx } from './db.ts';
import { prepared } from './prepared.ts';

const drawNext = prepared((db, p: { name: string }) =>
  db
    .insertInto('sequences')
    .values({ name: p.name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`sequences.value + 1` }))
    .returning('value'),
);

export async function nextSequence(db: Db | Tx, name: string): Promise<number> {
  const row = await drawNext.first(db, { name });
  return Number(row!.value);
}

/** prefix + yymmdd + the day's zero-padded sequence, e.g. P2105190000001, MP19122800001. */
export async function dailyReference(db: Db | Tx, prefix: string, now: number, digits: number): Promise<string> {
  const day = refDay(now);
  return formatDailyRef(prefix, day, await nextSequence(db, `${prefix}:${day}`), digits);
}
