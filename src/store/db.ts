// One query layer (Kysely) over embedded SQLite (better-sqlite3) or PostgreSQL (pg).
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, SqliteDialect, type DatabaseConnection, type Driver, type PostgresPool, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import { CommitBatch } from './commit-batch.ts';
import { deferInserts } from './deferred-inserts.ts';
import { pgValue } from './pg-values.ts';
import { fsyncFd, GroupSync } from './group-sync.ts';
import { statementName } from './prepared.ts';
import { CurrentSchemaPostgresDialect } from './scoped-introspector.ts';
import { TableWrites } from './table-writes.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  db: Db;
  dialect: Dialect;
  /** Where the SQLite file lives (undefined on PostgreSQL). */
  file?: string;
  close(): Promise<void>;
  /**
   * Resolves once every commit made so far is on disk. Whatever tells the outside world about
   * a change (an HTTP answer, a webhook) waits for it first; see group-sync.ts.
   */
  settle(): Promise<void>;
  /**
   * Sees the text of every statement sent to the database, begin and commit included; unset
   * in production (see watchStatements). Tests count statements with it.
   */
  onStatement?: (sql: string) => void;
  /** Caches in this process hear here of writes to the tables they keep rows of. */
  tableWrites: TableWrites;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema (created if missing); tests give each run its own. */
  schema?: string;
  poolSize?: number;
  /**
   * SQLite durability (default FULL: an acknowledged payment survives a power loss, not only a
   * process crash — by group commit, see group-sync.ts; NORMAL syncs only at checkpoints;
   * EXTRA is SQLite's own per-commit sync, directory included).
   */
  sqliteSynchronous?: SqliteSynchronous;
  /** A sync of the SQLite log failed: the store can no longer promise durability (group-sync.ts). */
  onSyncFailure?: (error: Error) => void;
}

export type SqliteSynchronous = 'FULL' | 'NORMAL' | 'EXTRA';

// int8 and numeric come back from pg as strings; money and times are bigint columns that
// always hold safe integers, so read them as numbers and refuse anything that is not exact.
pg.types.setTypeParser(20, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint out of safe range: ${value}`);
  return n;
});

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize);
  return openSqlite(options.dataDir, options.sqliteSynchronous ?? 'FULL', options.onSyncFailure);
}

function openSqlite(dataDir: string, synchronous: SqliteSynchronous, onSyncFailure?: (error: Error) => void): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'pasarela.sqlite');
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  // Up to 64 MiB of pages in memory (SQLite's default is 2 MiB): a page of the heaviest intents
  // spans ~8 MiB of rows (their items live beside the summary a list reads), and every read of
  // this connection runs on the event loop — from memory it is a copy, from the OS a syscall per page.
  raw.pragma('cache_size = -65536');
  // Each command is a savepoint of a batch (commit-batch.ts): its undo pages stay in memory.
  raw.pragma('temp_store = MEMORY');
  raw.pragma(`synchronous = ${synchronous === 'FULL' ? 'NORMAL' : synchronous}`);
  // Checkpoints run in a worker thread (see checkpointer.ts); this connection's own mark is a fallback.
  raw.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const checkpointer = startCheckpointer(file);
  const store = { dialect: 'sqlite', file, tableWrites: new TableWrites() } as Store;
  // A new database has no log yet: create it empty (SQLite reads an empty log as no log). It
  // keeps its inode while any connection is open — a checkpoint rewrites it in place.
  const walFd = synchronous === 'FULL' ? openSync(`${file}-wal`, constants.O_RDONLY | constants.O_CREAT, 0o600) : undefined;
  const group = walFd === undefined ? undefined : new GroupSync(fsyncFd(walFd), onSyncFailure);
  const batch = new CommitBatch(raw, () => group?.wrote(), onSyncFailure);
  const watch = observed(store);
  store.db = new Kysely<Database>({
    dialect: new BatchedSqliteDialect(withStatementCache(raw), batch, async (connection) => {
      await watch(connection);
      if (group) countCommits(connection, raw, group);
    }),
  });
  store.settle = async () => {
    await batch.flushed();
    await group?.settle();
  };
  store.close = async () => {
    await store.settle();
    await checkpointer.stop();
    await store.db.destroy();
    if (walFd !== undefined) closeSync(walFd);
  };
  return store;
}

/**
 * Tell the group sync about each autocommit write (any statement outside a transaction but a
 * read; batches count themselves) — only when it changed something: an UPDATE that matched no
 * row (a worker finding nothing to do) leaves nothing to sync, and counting it would make every
 * answer after it wait for a sync of nothing. Row changes are SQLite's total_changes();
 * statements that change no rows but the schema or settings (DDL, pragmas) always count.
 */
function countCommits(connection: DatabaseConnection, raw: SqliteDatabase.Database, group: GroupSync): void {
  const execute = connection.executeQuery.bind(connection);
  const totalChanges = raw.prepare('select total_changes()').pluck();
  let counted = totalChanges.get() as number;
  connection.executeQuery = async <R>(query: CompiledQuery) => {
    const result = await execute<R>(query);
    if (!raw.inTransaction && !/^\s*select\b/i.test(query.sql)) {
      const changes = totalChanges.get() as number;
      if (changes !== counted || !ROW_STATEMENT.test(query.sql)) group.wrote();
      counted = changes;
    }
    return result;
  };
}

/** Statements whose only effect on the file is rows changed (counted by total_changes()). */
const ROW_STATEMENT = /^\s*(insert|update|delete|commit|rollback)\b/i;

async function openPostgres(url: string, schema: string | undefined, poolSize = 10): Promise<Store> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Queries are written as soon as they are made, without waiting for the answer to the one
    // before: deferred-inserts.ts sends a BEGIN or a COMMIT with the statement next to it. (pg
    // refuses cursors and row streams on such connections; nothing here uses them.)
    pipeline: true,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor one checked out by a transaction: pg-pool listens only while a client is idle, so a
  // backend that ends (restart, failover, pg_terminate_backend) between a transaction's queries
  // would be an unhandled 'error' event. The transaction's next query fails instead, and the
  // pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const store = { dialect: 'postgres', tableWrites: new TableWrites() } as Store;
  const watch = observed(store);
  // Deferred inserts wrap the connection first, so what is watched is what the code sent.
  const onCreateConnection = async (connection: DatabaseConnection) => {
    deferInserts(connection);
    await watch(connection);
  };
  store.db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool: withNamedStatements(pool), onCreateConnection }) });
  store.close = () => store.db.destroy();
  // PostgreSQL answers a COMMIT only once it is durable (synchronous_commit on, the default).
  store.settle = async () => {};
  return store;
}

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it each time. The prepared
 * templates' statements go out named (pg prepares a name once per connection and then only
 * binds it); any other query is sent as Kysely sent it.
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  const named = new WeakSet<pg.PoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      if (!named.has(client)) {
        named.add(client);
        const query = client.query.bind(client) as (text: unknown, values?: unknown) => Promise<pg.QueryResult>;
        const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
        let corked = false;
        client.query = ((text: unknown, values?: unknown[]) => {
          // Queries made in one turn of the loop (pipelined: a BEGIN and its first statement)
          // leave in one write.
          if (!corked) {
            corked = true;
            socket.cork();
            process.nextTick(() => {
              corked = false;
              socket.uncork();
            });
          }
          const name = typeof text === 'string' ? statementName(text) : undefined;
          return name ? query({ name, text, values: values?.map((v) => pgValue(v)) }) : query(text, values);
        }) as typeof client.query;
      }
      return client;
    },
    end: () => pool.end(),
  };
}

/**
 * Each new connection reports its statements to `store.onStatement` and its writes to
 * `store.tableWrites`. Kysely's own `log` option would time and wrap every query in two more
 * awaits; this costs a property test and a map lookup per statement.
 */
function observed(store: Store) {
  return async (connection: DatabaseConnection) => {
    const execute = connection.executeQuery.bind(connection);
    const writes = store.tableWrites.connection();
    connection.executeQuery = <R>(query: CompiledQuery) => {
      store.onStatement?.(query.sql);
      const after = writes(query.sql);
      if (!after) return execute<R>(query);
      return execute<R>(query).finally(() => {
        for (const listener of after) listener();
      });
    };
  };
}

/** Collect the statements sent while `work` runs (tests; one watcher per store at a time). */
export async function watchStatements<T>(store: Store, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  if (store.onStatement) throw new Error('statements are already being watched on this store');
  const statements: string[] = [];
  store.onStatement = (sql) => statements.push(sql);
  try {
    return { result: await work(), statements };
  } finally {
    store.onStatement = undefined;
  }
}

/** better-sqlite3 statements are reusable; Kysely prepares one per query otherwise. */
function withStatementCache(raw: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = raw.prepare(sql);
        if (cache.size > 500) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  } as unknown as SqliteDatabase.Database;
}

/**
 * Each transaction is a savepoint of the connection's open batch (commit-batch.ts). The batch
 * takes the write lock up front (BEGIN IMMEDIATE): a deferred transaction that reads and then
 * writes can fail with SQLITE_BUSY when another process (`pasarela demo` beside a running
 * server) holds the lock, instead of waiting for the busy timeout.
 */
class BatchedSqliteDialect extends SqliteDialect {
  constructor(
    database: SqliteDatabase.Database,
    private readonly batch: CommitBatch,
    onCreateConnection: (connection: DatabaseConnection) => Promise<void>,
  ) {
    super({ database, onCreateConnection });
  }
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async () => this.batch.begin();
    driver.commitTransaction = async () => this.batch.release();
    driver.rollbackTransaction = async () => this.batch.rollback();
    return driver;
  }
}

const RETRYABLE_PG = new Set(['40001', '40P01']);

export function isRetryableDbError(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return !!e && typeof e.code === 'string' && (RETRYABLE_PG.has(e.code) || e.code === 'SQLITE_BUSY');
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return !!e && (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

const afterCommitHooks = new WeakMap<Tx, (() => void)[]>();

/**
 * Run `hook` once the transaction `tx` (of inTransaction) has committed — never for an attempt
 * that rolled back or is retried. For effects outside the database that must count a change
 * exactly once (metrics). A hook that throws is ignored: the change is committed.
 */
export function afterCommit(tx: Tx, hook: () => void): void {
  afterCommitHooks.get(tx)?.push(hook);
}

/**
 * Run `work` in a transaction, retrying (bounded) when the database reports a deadlock or
 * serialization failure. `work` must be safe to re-run from scratch. State changes of the
 * domain go through runCommand (modules/commands), which uses this; machinery that must not
 * be an idempotent command (counters that survive a refusal, the outbox's own bookkeeping)
 * uses it directly.
 */
export async function inTransaction<T>(store: Store, work: (tx: Tx) => Promise<T>, maxAttempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const hooks: (() => void)[] = [];
    try {
      const result = await store.db.transaction().execute((tx) => {
        afterCommitHooks.set(tx, hooks);
        return work(tx);
      });
      for (const hook of hooks) {
        try {
          hook();
        } catch {
          // committed is committed; a failing side effect must not turn it into an error
        }
      }
      return result;
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableDbError(error)) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
    }
  }
}
