// Statements built with Kysely once and run many times. Kysely builds a tree of frozen nodes
// and compiles it to SQL on every call: about 40 µs for a small query and 300+ µs for a wide
// one (the bearer lookup selects ~40 aliased columns), which on the hot paths cost more than
// SQLite's own work. A prepared statement is built with markers in place of its values,
// compiled once per dialect, and afterwards only its parameter list is filled in: the same SQL
// and the same parameters Kysely would send, with the builder's typed result.
// (kysely-params does this, but pins Kysely 0.24 as a dependency of its own.)
import { CompiledQuery, type Compilable, type Insertable, type Kysely } from 'kysely';
import { InvariantError } from '../kernel/errors.ts';
import type { Database } from './schema.ts';
import type { Db, Tx } from './db.ts';

const MARK = '\u0000param:';

/**
 * The SQL of every prepared template, with the name PostgreSQL keeps its plan under. A named
 * statement is parsed and planned once per connection instead of at every call: for the sale
 * path's short statements that was most of PostgreSQL's work. Templates are few and fixed (one
 * per call site), so the names stay bounded.
 */
const statementNames = new Map<string, string>();

/** The name to prepare `sql` under on PostgreSQL, if it is a prepared template's. */
export function statementName(sql: string): string | undefined {
  return statementNames.get(sql);
}

/** The SQL of every deferrable insert template (see preparedInsert), with the table it writes. */
const deferrableInserts = new Map<string, string>();

/** The table `sql` inserts into, if it is a deferrable insert's template (deferred-inserts.ts). */
export function deferrableInsertTable(sql: string): string | undefined {
  return deferrableInserts.get(sql);
}

/** Statements built from templates (deferred-inserts.ts merges some); bounded, as a caller's mix could vary. */
const MAX_DERIVED_NAMES = 200;
let derivedNames = 0;

/** Name `sql`, built from the template `from`, as templates are named (once, within a bound). */
export function nameStatement(sql: string, from: string): void {
  if (statementNames.has(sql) || !statementNames.has(from) || derivedNames >= MAX_DERIVED_NAMES) return;
  derivedNames++;
  statementNames.set(sql, `pasarela_${statementNames.size + 1}`);
}

type Slot = { name: string } | { value: unknown };

interface Template {
  sql: string;
  slots: Slot[];
}

export interface Prepared<P, R> {
  /** Every row the statement returns. */
  all(db: Db | Tx, params: P): Promise<R[]>;
  first(db: Db | Tx, params: P): Promise<R | undefined>;
  /** For statements without `returning`: how many rows changed. */
  run(db: Db | Tx, params: P): Promise<number>;
}

/**
 * `build(db, p)` must use each value of `p` as a value (a comparison, a set, an inserted value,
 * a limit), never to choose the statement's shape: `p`'s fields are markers at build time.
 */
export function prepared<P extends object, R>(build: (db: Kysely<Database>, p: P) => Compilable<R>, options: { deferrableInto?: string } = {}): Prepared<P, R> {
  // One template per dialect adapter (a transaction shares its database's adapter).
  const templates = new WeakMap<object, Template>();
  const template = (db: Db | Tx): Template => {
    const adapter = db.getExecutor().adapter;
    let found = templates.get(adapter);
    if (!found) {
      found = compileTemplate(db, build);
      if (options.deferrableInto) deferrableInserts.set(found.sql, options.deferrableInto);
      templates.set(adapter, found);
    }
    return found;
  };
  const execute = (db: Db | Tx, params: P) => {
    const { sql, slots } = template(db);
    const values = slots.map((slot) => {
      if (!('name' in slot)) return slot.value;
      const value = (params as Record<string, unknown>)[slot.name];
      if (value === undefined) throw new InvariantError(`prepared statement parameter ${slot.name} is missing`);
      return value;
    });
    return db.executeQuery<R>(CompiledQuery.raw(sql, values) as CompiledQuery<R>);
  };
  return {
    all: async (db, params) => (await execute(db, params)).rows,
    first: async (db, params) => (await execute(db, params)).rows[0],
    run: async (db, params) => Number((await execute(db, params)).numAffectedRows ?? 0),
  };
}

function compileTemplate<P extends object, R>(db: Db | Tx, build: (db: Kysely<Database>, p: P) => Compilable<R>): Template {
  const used = new Set<string>();
  const markers = new Proxy({} as P, {
    get: (_target, key) => {
      if (typeof key !== 'string') return undefined;
      used.add(key);
      return MARK + key;
    },
  });
  const compiled = build(db, markers).compile();
  const slots = compiled.parameters.map((value): Slot => {
    if (typeof value === 'string' && value.startsWith(MARK)) return { name: value.slice(MARK.length) };
    if (typeof value === 'string' && value.includes(MARK)) throw new InvariantError('a prepared parameter was changed while building');
    return { value };
  });
  const named = new Set(slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
  for (const name of used) if (!named.has(name)) throw new InvariantError(`prepared parameter ${name} does not reach the statement as a value`);
  // PostgreSQL refuses to run a named statement whose `*` would now mean other columns (a
  // migration of a newer version, rolling out while this process serves): name every column.
  if (/\b(select|returning) \*|\.\*/.test(compiled.sql)) throw new InvariantError(`a prepared statement names its columns: ${compiled.sql.slice(0, 80)}`);
  if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `pasarela_${statementNames.size + 1}`);
  return { sql: compiled.sql, slots };
}

/**
 * Every column of a table, checked by the compiler against its row type (a column added to
 * the type and not here does not compile): what a prepared statement selects instead of `*`.
 */
export function everyColumn<T>() {
  return <const C extends readonly (keyof T & string)[]>(columns: Exclude<keyof T, C[number]> extends never ? C : never): C => columns;
}

type Row = Record<string, unknown>;

/**
 * Inserts into `table`, prepared once per set of columns (the columns a row gives, as Kysely
 * would: undefined is left out) and per number of rows. `deferrable`: inside a transaction on
 * PostgreSQL the insert may travel with the transaction's next statement (deferred-inserts.ts)
 * — for rows whose insert can only fail on a broken invariant, and that nobody reads back by
 * this insert's answer.
 */
export function preparedInsert<T extends keyof Database & string>(
  table: T,
  options: { deferrable?: boolean } = {},
): (db: Db | Tx, rows: Insertable<Database[T]> | readonly Insertable<Database[T]>[]) => Promise<void> {
  const statements = new Map<string, Prepared<Row, unknown>>();
  return async (db, rowOrRows) => {
    const rows = (Array.isArray(rowOrRows) ? rowOrRows : [rowOrRows]) as Row[];
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!).filter((c) => rows[0]![c] !== undefined);
    const key = `${rows.length}:${columns.join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = prepared(
        (b, p: Row) => b.insertInto(table).values(rows.map((_, i) => Object.fromEntries(columns.map((c) => [c, p[`${i}:${c}`]]))) as never),
        {
          deferrableInto: options.deferrable ? table : undefined,
        },
      );
      // Shapes are few (one per call site); the bound only guards against a caller that varies them.
      if (statements.size < 100) statements.set(key, statement);
    }
    const params: Row = {};
    rows.forEach((row, i) => {
      // Kysely would give each row the union of the columns, with DEFAULT where one is absent.
      let defined = 0;
      for (const c in row) if (row[c] !== undefined) defined++;
      if (defined !== columns.length || columns.some((c) => row[c] === undefined))
        throw new InvariantError(`rows inserted into ${table} together must set the same columns`);
      for (const c of columns) params[`${i}:${c}`] = row[c];
    });
    await statement.run(db, params);
  };
}
