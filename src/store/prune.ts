// Retention deletes in bounded batches: at most `limit` rows per statement, so a prune never
// holds the write lock (SQLite) or many row locks (PostgreSQL) for long. The keys are chosen by
// a subquery because neither database takes DELETE … LIMIT in its default build.
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** Delete up to `limit` rows of `table` whose `column` is before `before`; returns how many went. */
export async function deleteBatchBefore<T extends keyof Database & string>(
  db: Db,
  table: T,
  key: keyof Database[T] & string,
  column: keyof Database[T] & string,
  before: number,
  limit: number,
): Promise<number> {
  // Kysely cannot type a table chosen at run time; the names come from the typed parameters.
  const untyped = db as unknown as { deleteFrom(t: string): any };
  const result = await untyped
    .deleteFrom(table)
    .where(key, 'in', (eb: any) => eb.selectFrom(table).select(key).where(column, '<', before).limit(limit))
    .where(column, '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
