// Which tables a statement writes, for in-process caches that must forget what a write may
// have changed (the bearer cache, modules/apps/bearer.ts). Every statement of every connection
// passes through here (db.ts); the answer is kept per statement text, so a prepared statement
// is looked at once. Listeners hear of a write before and after the statement is sent, and
// again once its transaction has ended: on PostgreSQL a reader on another connection still
// reads the old rows until the commit, and could cache them in between. (A deferred insert,
// store/deferred-inserts.ts, is sent later than it is heard of; the end of its transaction
// still comes after it.) This is not `afterCommit` (db.ts): that runs for inTransaction's own
// transactions, and a cache must hear of every write, whichever way it was made.

type Listener = () => void;

// `update "x"`, `insert into "x"`, `delete from "x"`, also inside a CTE. An upsert's `do
// update set` reads as a write to a table named "set", which nobody listens to.
const WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?/gi;
const ENDS_TRANSACTION = /^\s*(commit|rollback)\b/i;

const NONE: readonly Listener[] = [];

export class TableWrites {
  private readonly byTable = new Map<string, Listener[]>();
  /** Per statement text: the listeners of the tables it writes. */
  private readonly verdicts = new Map<string, readonly Listener[]>();

  /** Call `listener` after any statement that writes one of `tables`. */
  on(tables: readonly string[], listener: Listener): void {
    for (const table of tables) this.byTable.set(table, [...(this.byTable.get(table) ?? []), listener]);
    this.verdicts.clear();
  }

  /** The listeners a statement concerns (none for reads). */
  written(sql: string): readonly Listener[] {
    if (this.byTable.size === 0) return NONE;
    let found = this.verdicts.get(sql);
    if (!found) {
      const listeners = new Set<Listener>();
      for (const match of sql.matchAll(WRITE)) for (const l of this.byTable.get(match[1]!.toLowerCase()) ?? NONE) listeners.add(l);
      found = listeners.size ? [...listeners] : NONE;
      // Texts with lists of varying length are many; the bound keeps the map small.
      if (this.verdicts.size >= 1000) this.verdicts.clear();
      this.verdicts.set(sql, found);
    }
    return found;
  }

  /**
   * A connection's statement filter, called before each statement runs: tells the listeners of
   * the tables it writes at once, and returns those to tell again once it has run — a write, or
   * the end of a transaction that wrote (undefined when there are none).
   */
  connection(): (sql: string) => readonly Listener[] | undefined {
    let pending = new Set<Listener>();
    return (sql) => {
      const listeners = this.written(sql);
      for (const l of listeners) {
        l();
        pending.add(l);
      }
      if (listeners.length) return listeners;
      if (pending.size === 0 || !ENDS_TRANSACTION.test(sql)) return undefined;
      const ending = [...pending];
      pending = new Set();
      return ending;
    };
  }
}
