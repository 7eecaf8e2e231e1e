// Row locks where the two databases differ. PostgreSQL has many writers, so a claim locks the
// rows it takes and skips those another transaction holds; SQLite has one writer (every
// transaction begins with BEGIN IMMEDIATE, see db.ts), so the query needs nothing added.
import type { SelectQueryBuilder } from 'kysely';
import type { Dialect } from './db.ts';

/** `for update` on PostgreSQL (the row stays locked until the transaction ends); unchanged on SQLite. */
export function lockedForUpdate<DB, TB extends keyof DB, O>(dialect: Dialect, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

/** `for update skip locked` on PostgreSQL; the query unchanged on SQLite. */
export function skipLocked<DB, TB extends keyof DB, O>(dialect: Dialect, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}
