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

/** `count` consecutive numbers in one statement (more than one is rare: not prepared); the last is returned. */
async function nextSequences(db: Db | Tx, name: string, count: number): Promise<number> {
  if (count === 1) return nextSequence(db, name);
  const row = await db
    .insertInto('sequences')
    .values({ name, value: count })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`sequences.value + ${count}` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** prefix + yymmdd + the day's zero-padded sequence, e.g. P2105190000001, MP19122800001. */
export async function dailyReference(db: Db | Tx, prefix: string, now: number, digits: number): Promise<string> {
  const day = refDay(now);
  return formatDailyRef(prefix, day, await nextSequence(db, `${prefix}:${day}`), digits);
}

/** `count` consecutive daily references in one statement (a bulk upload's items). */
export async function dailyReferences(db: Db | Tx, prefix: string, now: number, digits: number, count: number): Promise<string[]> {
  const day = refDay(now);
  const last = await nextSequences(db, `${prefix}:${day}`, count);
  return Array.from({ length: count }, (_, i) => formatDailyRef(prefix, day, last - count + 1 + i, digits));
}
