// Named counters, safe under concurrency: one upsert both creates and increments.
// Draw a number in its own statement, before the transaction that uses it: the counter row
// is shared by every merchant and must not stay locked for a whole transaction. A transaction
// that then fails leaves a gap in the day's numbers, never a duplicate.
//
// Daily references are drawn in blocks, as PostgreSQL's own sequences do with CACHE: one
// statement reserves REF_BLOCK numbers and this process hands them out from memory. A draw was
// a write transaction of its own on every payment (a round trip on PostgreSQL, a commit on
// SQLite). What this changes: numbers left in a block when the process stops are never used
// (gaps, as above), and two processes hand out interleaved blocks, so a reference later in the
// day is not always a later payment. Within one process they still rise with every draw.
import { sql } from 'kysely';
import { InvariantError } from '../kernel/errors.ts';
import { formatDailyRef, refDay } from '../kernel/refs.ts';
import type { Db, Tx } from './db.ts';
import { prepared } from './prepared.ts';

/** Add `count` to a counter (created at `count`) and return its new value: the last of the numbers drawn. */
const addToCounter = prepared((db, p: { name: string; count: number }) =>
  db
    .insertInto('sequences')
    .values({ name: p.name, value: p.count })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`sequences.value + ${p.count}` }))
    .returning('value'),
);

/** `count` consecutive numbers in one statement; the last is returned. */
async function drawNumbers(db: Db | Tx, name: string, count: number): Promise<number> {
  return Number((await addToCounter.first(db, { name, count }))!.value);
}

export function nextSequence(db: Db | Tx, name: string): Promise<number> {
  return drawNumbers(db, name, 1);
}

const REF_BLOCK = 32;

/** Per database: the numbers reserved and not handed out yet, and the draws under way, per counter. */
const reserved = new WeakMap<Db, { blocks: Map<string, { next: number; last: number }>; drawing: Map<string, Promise<void>> }>();

async function nextFromBlock(db: Db, name: string): Promise<number> {
  let state = reserved.get(db);
  if (!state) reserved.set(db, (state = { blocks: new Map(), drawing: new Map() }));
  const { blocks, drawing } = state;
  for (;;) {
    const block = blocks.get(name);
    if (block && block.next <= block.last) return block.next++;
    // Concurrent callers wait on one draw instead of each reserving a block.
    let draw = drawing.get(name);
    if (!draw) {
      draw = drawNumbers(db, name, REF_BLOCK)
        .then((last) => void blocks.set(name, { next: last - REF_BLOCK + 1, last }))
        .finally(() => drawing.delete(name));
      drawing.set(name, draw);
    }
    await draw;
  }
}

/**
 * prefix + yymmdd + the day's zero-padded sequence, e.g. P2105190000001, MP19122800001. Drawn
 * outside any transaction (a block reserved by one that rolled back would be drawn again).
 */
export async function dailyReference(db: Db, prefix: string, now: number, digits: number): Promise<string> {
  if (db.isTransaction) throw new InvariantError('daily references are drawn outside transactions');
  const day = refDay(now);
  return formatDailyRef(prefix, day, await nextFromBlock(db, `${prefix}:${day}`), digits);
}

/** `count` consecutive daily references in one statement (a bulk upload's items). */
export async function dailyReferences(db: Db | Tx, prefix: string, now: number, digits: number, count: number): Promise<string[]> {
  const day = refDay(now);
  const last = await drawNumbers(db, `${prefix}:${day}`, count);
  return Array.from({ length: count }, (_, i) => formatDailyRef(prefix, day, last - count + 1 + i, digits));
}
