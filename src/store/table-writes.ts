// Which tables a statement writes, for in-process caches that must forget what a write may
// have changed (read-cache.ts: bearer tokens, fee rules). Every statement of every connection
// passes through here (db.ts); the answer is kept per statement text, so a prepared statement
// is looked at once. Listeners hear of a write before and after the statement is sent, and
// again once its transaction has ended: on PostgreSQL a reader on another connection still
// reads the old rows until the commit, and could cache them in between. (A deferred insert,
// store/deferred-inserts.ts, is sent later than it is heard of; the end of its transaction
// still comes after it.) This is not `afterCommit` (db.ts): that runs for inTransaction's own
// transactions, and a cache must hear of every write, whichever way it was made.
// A connection remembers the tables its transaction wrote, not the listeners it told: one
// registered meanwhile (a read cache is made at its first use) hears of
// that commit too.

type Listener = () => void;

// `update "x"`, `insert into "x"`, `delete from "x"`, also inside a CTE, schema-qualified,
// with `only`, comments, SQLite's `insert or replace` / `replace`, `merge` and `truncate`. An
// upsert's `do update set` reads as a write to a table named "set", which nobody listens to.
const GAP = String.raw`(?:\s|/\*[\s\S]*?\*/)+`;
const NAME = String.raw`"?[a-z_][a-z0-9_]*"?`;
const WRITE = new RegExp(
  String.raw`\b(?:insert${GAP}(?:or${GAP}[a-z]+${GAP})?into|replace${GAP}into|merge${GAP}into|update|delete${GAP}from|truncate(?:${GAP}table)?)` +
    String.raw`(?:${GAP}only)?${GAP}(?:${NAME}\s*\.\s*)?"?([a-z_][a-z0-9_]*)"?`,
  'gi',
);
const ENDS_TRANSACTION = /^\s*(commit|rollback)\b(?!\s+to\b)/i;

const NONE: readonly never[] = [];

export class TableWrites {
  private readonly byTable = new Map<string, Listener[]>();
  /** Per statement text: the tables it writes. */
  private readonly verdicts = new Map<string, readonly string[]>();

  /** Call `listener` after any statement that writes one of `tables`. */
  on(tables: readonly string[], listener: Listener): void {
    for (const table of tables) this.byTable.set(table, [...(this.byTable.get(table) ?? []), listener]);
  }

  /** The tables a statement writes (none for reads). */
  private tables(sql: string): readonly string[] {
    let found = this.verdicts.get(sql);
    if (!found) {
      const tables = new Set<string>();
      for (const match of sql.matchAll(WRITE)) tables.add(match[1]!.toLowerCase());
      found = tables.size ? [...tables] : NONE;
      // Texts with lists of varying length are many; the bound keeps the map small.
      if (this.verdicts.size >= 1000) this.verdicts.clear();
      this.verdicts.set(sql, found);
    }
    return found;
  }

  private listenersOf(tables: Iterable<string>): readonly Listener[] {
    if (this.byTable.size === 0) return NONE;
    const listeners = new Set<Listener>();
    for (const table of tables) for (const l of this.byTable.get(table) ?? NONE) listeners.add(l);
    return listeners.size ? [...listeners] : NONE;
  }

  /** The listeners a statement concerns (none for reads). */
  written(sql: string): readonly Listener[] {
    return this.listenersOf(this.tables(sql));
  }

  /**
   * A connection's statement filter, called before each statement runs: tells the listeners of
   * the tables it writes at once, and returns those to tell again once it has run — a write, or
   * the end of a transaction that wrote (undefined when there are none). A rollback to a
   * savepoint does not end the transaction.
   */
  connection(): (sql: string) => readonly Listener[] | undefined {
    let pending = new Set<string>();
    return (sql) => {
      const tables = this.tables(sql);
      if (tables.length) {
        for (const table of tables) pending.add(table);
        const listeners = this.listenersOf(tables);
        for (const l of listeners) l();
        return listeners.length ? listeners : undefined;
      }
      if (pending.size === 0 || !ENDS_TRANSACTION.test(sql)) return undefined;
      const ending = this.listenersOf(pending);
      pending = new Set();
      return ending.length ? ending : undefined;
    };
  }
}
