// A fixed-window counter in the database, so every process of a deployment counts together
// (an in-process counter would let N processes behind a load balancer allow N times the limit).
// One row per key, reset in place when its window has passed: a single upsert statement,
// atomic on SQLite and PostgreSQL alike, holding the row only for that statement.
import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** When the current window ends (epoch ms, deployment clock). */
  resetsAt: number;
}

/** Counters under `prefix` whose window started before `before` (ended): at most `limit` go. */
export async function pruneWindows(db: Db, prefix: string, before: number, limit: number): Promise<number> {
  const due = db.selectFrom('rate_limits').select('key').where('key', 'like', `${prefix}%`).where('window_start', '<', before).limit(limit);
  const result = await db.deleteFrom('rate_limits').where('key', 'in', due).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countInWindow(db: Db, key: string, windowMs: number, now: number): Promise<WindowCount> {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end`,
        window_start: sql<number>`excluded.window_start`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), resetsAt: Number(row.window_start) + windowMs };
}

/** Count one more under `key`: past `max` in its window, the whole seconds until the window ends; else undefined. */
export async function overQuota(db: Db, key: string, max: number, windowMs: number, now: number): Promise<number | undefined> {
  const { count, resetsAt } = await countInWindow(db, key, windowMs, now);
  return count > max ? Math.max(1, Math.ceil((resetsAt - now) / 1000)) : undefined;
}
