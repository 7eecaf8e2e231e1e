// Deferred inserts on PostgreSQL. Every statement is a round trip to the server, and under the
// sale benchmark a round trip cost about as much CPU (this process and the backend together)
// as everything else a statement does: the bearer lookup alone, three round trips a sale, was
// a fifth of PostgreSQL's cost per sale. Most of a command's inserts need nothing back (the
// payment, its events, the journal entry and its postings): inside a transaction such an
// insert is held back and sent with the next statement that needs an answer, as data-modifying
// CTEs in front of it (`with d1 as (insert …), d2 as (insert …) update accounts …`), or on its
// own just before the commit. Nothing changes for anyone outside the transaction: its rows are
// written before it commits, as before.
//
// Only inserts declared deferrable (prepared.ts) wait: their failure is a broken invariant,
// never a refusal, so it may surface at the statement that carries them — the transaction
// fails either way. A statement that names a table a held insert writes could read those rows
// (sub-statements of one statement do not see each other's changes), so the held inserts go
// first, on their own. A rollback, or a rollback to a savepoint, drops them.
//
// The BEGIN waits too, until the first statement that is not held: a transaction made only of
// held inserts (creating a payment intent and its event) commits as one statement of its own,
// atomic without BEGIN and COMMIT — one round trip instead of three — and one that holds
// nothing sends nothing at all.
//
// What must go before a statement (the BEGIN, held inserts it may read) is written together
// with it: the pool's connections pipeline (db.ts), so the server runs them in order and the
// lot costs one round trip. So does a COMMIT with the inserts held until it. A pipelined
// statement that fails does not stop the ones behind it from being sent, but in a transaction
// they fail too (PostgreSQL ends an aborted transaction's COMMIT as a ROLLBACK), and the caller
// hears of the first failure.
import { CompiledQuery, type DatabaseConnection, type QueryResult } from 'kysely';
import { pgValue } from './pg-values.ts';
import { deferrableInsertTable, nameStatement } from './prepared.ts';

const BEGINS = /^\s*(begin|start\s+transaction)\b/i;
/** A BEGIN with no options: what it opens is no different from one statement's own transaction. */
const PLAIN_BEGIN = /^\s*begin\s*$/i;
const SAVEPOINT = /^\s*(savepoint|release|rollback\s+to)\b/i;
const ROLLBACK_TO = /^\s*rollback\s+to\b/i;
const ENDS = /^\s*(commit|rollback)\b/i;
const ROLLBACK = /^\s*rollback\s*$/i;
/** PostgreSQL binds at most 65,535 values a statement: past this many held values (a bulk upload's thousands of events), what is held goes first. */
const MAX_HELD_PARAMETERS = 30_000;

/** Whether a statement names `table` (and so might read rows a held insert writes). */
const mentions = new Map<string, RegExp>();
function mentionOf(table: string): RegExp {
  let found = mentions.get(table);
  if (!found) mentions.set(table, (found = new RegExp(`(^|[^a-z0-9_])${table}([^a-z0-9_]|$)`, 'i')));
  return found;
}

interface Held {
  sql: string;
  parameters: readonly unknown[];
  table: RegExp;
}

/** `$n` placeholders of a Kysely-compiled insert, shifted by `offset`. */
function renumber(sql: string, offset: number): string {
  return offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

/** `with d1 as (…), d2 as (…) ` + the statement (whose own `with` list, if any, follows). */
export function carry(held: readonly Held[], next: { sql: string; parameters: readonly unknown[] }): { sql: string; parameters: unknown[] } {
  const parameters = [...next.parameters];
  const ctes = held.map((h, i) => {
    const cte = `pasarela_deferred_${i + 1} as (${renumber(h.sql, parameters.length)})`;
    parameters.push(...h.parameters);
    return cte;
  });
  const own = /^\s*with\s+/i.exec(next.sql);
  const sql = own ? `with ${ctes.join(', ')}, ${next.sql.slice(own[0].length)}` : `with ${ctes.join(', ')} ${next.sql}`;
  return { sql, parameters };
}

/** Several held inserts as one statement (before a commit, or a statement that reads their tables). */
function alone(held: readonly Held[]): { sql: string; parameters: readonly unknown[] } {
  if (held.length === 1) return held[0]!;
  const merged = carry(held, { sql: 'select 1', parameters: [] });
  nameStatement(merged.sql, held[0]!.sql);
  return merged;
}

/** Wait for every statement sent together; the first failure, in the order sent, is the answer. */
async function together<R>(sent: readonly Promise<QueryResult<unknown>>[]): Promise<QueryResult<R>> {
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return (settled[settled.length - 1] as PromiseFulfilledResult<QueryResult<R>>).value;
}

/** Wrap a PostgreSQL connection so deferrable inserts inside a transaction wait (see above). */
export function deferInserts(connection: DatabaseConnection): void {
  const execute = connection.executeQuery.bind(connection);
  let inTransaction = false;
  /** A plain BEGIN not sent yet. */
  let waitingBegin: CompiledQuery | undefined;
  /** The server has (or is about to have) a transaction of ours open. */
  let begun = false;
  let held: Held[] = [];
  // The error of a statement that took held inserts with it. The server aborts the transaction
  // on its own errors, but one raised in this process (the driver could not send a value)
  // leaves it open: the caller could go on and commit without inserts it was told were made.
  let lostWith: { error: unknown } | undefined;
  const send = <R>(statement: { sql: string; parameters: readonly unknown[] }) => execute<R>(CompiledQuery.raw(statement.sql, [...statement.parameters]));
  const sendHeld = async <R>(statement: { sql: string; parameters: readonly unknown[] }) => {
    try {
      return await send<R>(statement);
    } catch (error) {
      lostWith ??= { error };
      throw error;
    }
  };
  const heldParameters = () => held.reduce((n, h) => n + h.parameters.length, 0);
  /** The BEGIN if it waits: sent now, to be awaited with what follows it. */
  const beginning = (): Promise<QueryResult<unknown>>[] => {
    if (!waitingBegin) return [];
    const sent = execute(waitingBegin);
    waitingBegin = undefined;
    begun = true;
    return [sent];
  };
  /** The BEGIN if it waits, then what is held. */
  const before = (): Promise<QueryResult<unknown>>[] => {
    const sent = beginning();
    if (held.length) sent.push(sendHeld(alone(held)));
    held = [];
    return sent;
  };
  connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    const { sql } = query;
    if (BEGINS.test(sql)) {
      inTransaction = true;
      held = [];
      lostWith = undefined;
      if (PLAIN_BEGIN.test(sql)) {
        waitingBegin = query;
        return { rows: [] };
      }
      begun = true;
      return execute<R>(query);
    }
    if (SAVEPOINT.test(sql)) {
      // Every savepoint statement sends what is held, so what a rollback to one finds held was
      // issued after that savepoint: it is undone, not sent (it could fail, and fail the rollback).
      // The same holds for inserts lost with a failed statement: they were held after it too.
      if (ROLLBACK_TO.test(sql)) {
        held = [];
        lostWith = undefined;
      }
      return together<R>([...before(), execute(query)]);
    }
    if (ENDS.test(sql)) {
      inTransaction = false;
      const lost = lostWith;
      lostWith = undefined;
      waitingBegin = undefined;
      if (ROLLBACK.test(sql)) held = [];
      else if (lost) throw lost.error;
      const pending = held;
      held = [];
      if (!begun) {
        // The server never saw this transaction: what it holds is committed as one statement
        // (a rollback after that statement failed has nothing to end).
        if (pending.length) await send(alone(pending));
        return { rows: [] };
      }
      begun = false;
      return together<R>([...(pending.length ? [sendHeld(alone(pending))] : []), execute(query)]);
    }
    const table = inTransaction ? deferrableInsertTable(sql) : undefined;
    if (table) {
      if (heldParameters() + query.parameters.length > MAX_HELD_PARAMETERS) await together(before());
      held.push({ sql, parameters: query.parameters.map((v) => pgValue(v)), table: mentionOf(table) });
      return { rows: [] };
    }
    if (
      held.length === 0 ||
      held.some((h) => h.table.test(sql)) ||
      /^\s*with\s+recursive\b/i.test(sql) ||
      heldParameters() + query.parameters.length > MAX_HELD_PARAMETERS
    )
      return together<R>([...before(), execute(query)]);
    const begin = beginning();
    const carried = carry(held, query);
    held = [];
    nameStatement(carried.sql, sql);
    return together<R>([...begin, sendHeld(carried)]);
  };
}
