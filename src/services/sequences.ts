// Named counters (payment refs P + yymmdd + sequence, payout refs …), safe under concurrency:
// one upsert both creates and increments, and the row lock orders concurrent callers.
import { sql } from 'kysely';
import type { Tx } from '../store/db.ts';

export async function nextSequence(tx: Tx, name: string): Promise<number> {
  const row = await tx
    .insertInto('sequences')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`sequences.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** yymmdd of a deployment-clock time, in UTC. */
export function yymmdd(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

/** A daily reference: prefix + yymmdd + zero-padded daily sequence (e.g. P2105193456333). */
export async function dailyReference(tx: Tx, prefix: string, now: number, digits = 7): Promise<string> {
  const day = yymmdd(now);
  const n = await nextSequence(tx, `${prefix}:${day}`);
  return `${prefix}${day}${String(n).padStart(digits, '0')}`;
}
