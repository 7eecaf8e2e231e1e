// The wallet-intents module's tables (payment_intents, return_url_calls): its only SQL. Each
// state change is one guarded UPDATE, so concurrent callers of one intent succeed exactly once.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Dialect, Tx } from '../../store/db.ts';
import { everyColumn, prepared, preparedInsert, type Prepared } from '../../store/prepared.ts';
import type { IntentKind, IntentState, PaymentIntentsTable, ReturnUrlCallsTable } from '../../store/schema-payments.ts';
import type { Database } from '../../store/schema.ts';

export type IntentRow = PaymentIntentsTable;
export type ReturnCallRow = ReturnUrlCallsTable;

const INTENT_COLUMNS = everyColumn<PaymentIntentsTable>()([
  'id',
  'app_id',
  'merchant_user_id',
  'intent',
  'state',
  'currency',
  'amount_minor',
  'return_url',
  'cancel_url',
  'transactions',
  'summary',
  'recipient_user_id',
  'payer_user_id',
  'approved_at',
  'executed_at',
  'annulled_at',
  'rejected_at',
  'expires_at',
  'payment_id',
  'created_at',
]);

const insertIntents = preparedInsert('payment_intents', { deferrable: true });

export async function insertIntent(tx: Tx, row: IntentRow): Promise<void> {
  await insertIntents(tx, row);
}

const intentById = prepared((db, p: { id: string }) => db.selectFrom('payment_intents').select(INTENT_COLUMNS).where('id', '=', p.id));

export async function findIntent(db: Db | Tx, id: string): Promise<IntentRow | undefined> {
  return (await intentById.first(db, { id })) as IntentRow | undefined;
}

/**
 * The buyer's approve or reject: an open intent that is unclaimed or already this payer's
 * (checked in the statement: another buyer's approval may have committed since any earlier
 * read). Answers the row as changed, or undefined when the claim fails.
 */
export async function claimIntentForPayer(
  tx: Tx,
  intentId: string,
  payerId: string,
  now: number,
  change: Partial<IntentRow>,
  intent?: IntentKind,
  /** Only an intent of this merchant (the sandbox helpers act for the intent's merchant). */
  merchantUserId?: string,
): Promise<IntentRow | undefined> {
  const columns = Object.keys(change) as (keyof IntentRow)[];
  const key = `${columns.join(',')}:${intent ? 1 : 0}:${merchantUserId ? 1 : 0}`;
  let statement = payerClaims.get(key);
  if (!statement) {
    statement = prepared((db, p: Record<string, unknown>) => {
      let q = db
        .updateTable('payment_intents')
        .set(Object.fromEntries(columns.map((c) => [c, p[`set_${c}`]])))
        .where('id', '=', p.intentId as string)
        .where('state', '=', 'created')
        .where('expires_at', '>', p.now as number)
        .where((eb) => eb.or([eb('payer_user_id', 'is', null), eb('payer_user_id', '=', p.payerId as string)]));
      if (intent) q = q.where('intent', '=', p.intent as IntentKind);
      if (merchantUserId) q = q.where('merchant_user_id', '=', p.merchantUserId as string);
      return q.returning(INTENT_COLUMNS);
    });
    payerClaims.set(key, statement);
  }
  const params: Record<string, unknown> = { intentId, payerId, now, ...(intent ? { intent } : {}), ...(merchantUserId ? { merchantUserId } : {}) };
  for (const c of columns) params[`set_${c}`] = change[c] ?? null;
  return (await statement.first(tx, params)) as IntentRow | undefined;
}

/** One prepared claim per shape (the columns set, the guards used): a handful in all. */
const payerClaims = new Map<string, Prepared<Record<string, unknown>, unknown>>();
const executionClaims = new Map<string, Prepared<ExecutionClaimParams, IntentRow & { payer_name: string | null }>>();

interface ExecutionClaimParams {
  id: string;
  payerId: string;
  now: number;
  paymentId: string;
  merchantUserId?: string;
  intent?: IntentKind;
}

/**
 * Flip created → executed for this payer, recording the payment's id chosen before; answers
 * the row as changed with the payer's name (read in the same statement, so the sale path costs
 * no extra read), or undefined when the guard fails.
 */
export async function claimIntentExecution(
  tx: Tx,
  id: string,
  payerId: string,
  now: number,
  paymentId: string,
  guard: { requireApproval: boolean; merchantUserId?: string; intent?: IntentKind },
): Promise<{ row: IntentRow; payerName: string } | undefined> {
  const key = `${guard.requireApproval ? 1 : 0}${guard.merchantUserId ? 1 : 0}${guard.intent ? 1 : 0}`;
  let statement = executionClaims.get(key);
  if (!statement) {
    statement = prepared((db, p: ExecutionClaimParams) => {
      let q = db
        .updateTable('payment_intents')
        .set({ state: 'executed', executed_at: p.now, payer_user_id: p.payerId, payment_id: p.paymentId })
        .where('id', '=', p.id)
        .where('state', '=', 'created')
        .where('expires_at', '>', p.now)
        .where('payer_user_id', '=', p.payerId);
      if (guard.requireApproval) q = q.where('approved_at', 'is not', null);
      if (guard.merchantUserId) q = q.where('merchant_user_id', '=', p.merchantUserId!);
      if (guard.intent) q = q.where('intent', '=', p.intent!);
      return q
        .returning(INTENT_COLUMNS)
        .returning((eb) => eb.selectFrom('users').select('users.name').whereRef('users.id', '=', 'payment_intents.payer_user_id').as('payer_name'));
    }) as Prepared<ExecutionClaimParams, IntentRow & { payer_name: string | null }>;
    executionClaims.set(key, statement);
  }
  const claimed = await statement.first(tx, {
    id,
    payerId,
    now,
    paymentId,
    ...(guard.merchantUserId ? { merchantUserId: guard.merchantUserId } : {}),
    ...(guard.intent ? { intent: guard.intent } : {}),
  });
  if (!claimed) return undefined;
  const { payer_name, ...row } = claimed;
  // payer_user_id references users: the name is there.
  return { row: row as IntentRow, payerName: payer_name! };
}

/** Flip executed → annulled while the window is open; answers the row after the change. */
export async function claimIntentAnnulment(tx: Tx, merchantUserId: string, id: string, now: number, executedAfter: number): Promise<IntentRow | undefined> {
  return (await tx
    .updateTable('payment_intents')
    .set({ state: 'annulled', annulled_at: now })
    .where('id', '=', id)
    .where('merchant_user_id', '=', merchantUserId)
    .where('state', '=', 'executed')
    .where('executed_at', '>', executedAfter)
    .returning(INTENT_COLUMNS)
    .executeTakeFirst()) as IntentRow | undefined;
}

/** Open intents whose time ran out, oldest first as the table gives them. */
export function findDueIntents(db: Db, now: number, limit: number): Promise<Pick<IntentRow, 'id' | 'merchant_user_id' | 'app_id'>[]> {
  return db
    .selectFrom('payment_intents')
    .select(['id', 'merchant_user_id', 'app_id'])
    .where('state', '=', 'created')
    .where('expires_at', '<=', now)
    .limit(limit)
    .execute();
}

/** Store one intent's expiry; false when it was executed, rejected or expired meanwhile. */
export async function markIntentExpired(tx: Tx, id: string, now: number): Promise<boolean> {
  const updated = await tx
    .updateTable('payment_intents')
    .set({ state: 'expired' })
    .where('id', '=', id)
    .where('state', '=', 'created')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * Which of a merchant's intents a list shows (the console's filters); none: all of them. The
 * state is the one a reader sees: `created` past its expiry counts as `expired` (see
 * effectiveState), so both read `now`.
 */
export interface IntentFilter {
  state?: IntentState;
  now?: number;
  appId?: string;
  /** created_at ≥ from, < to (ms). */
  from?: number;
  to?: number;
  /** Only these ids (a search resolved to intents). */
  ids?: readonly string[];
}

function merchantIntents(eb: ExpressionBuilder<Database, 'payment_intents'>, merchantUserId: string, f: IntentFilter) {
  const now = f.now ?? 0;
  const all = [eb('merchant_user_id', '=', merchantUserId)];
  if (f.appId !== undefined) all.push(eb('app_id', '=', f.appId));
  if (f.from !== undefined) all.push(eb('created_at', '>=', f.from));
  if (f.to !== undefined) all.push(eb('created_at', '<', f.to));
  if (f.ids !== undefined) all.push(f.ids.length ? eb('id', 'in', [...f.ids]) : eb.lit(false));
  if (f.state === 'created') all.push(eb('state', '=', 'created'), eb('expires_at', '>', now));
  else if (f.state === 'expired') all.push(eb.or([eb('state', '=', 'expired'), eb.and([eb('state', '=', 'created'), eb('expires_at', '<=', now)])]));
  else if (f.state !== undefined) all.push(eb('state', '=', f.state));
  return eb.and(all);
}

export async function countMerchantIntents(db: Db, merchantUserId: string, filter: IntentFilter = {}): Promise<number> {
  const row = await db
    .selectFrom('payment_intents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => merchantIntents(eb, merchantUserId, filter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The columns of an intent but its long texts (transactions and their summary). */
const LIST_COLUMNS = INTENT_COLUMNS.filter(
  (c): c is Exclude<(typeof INTENT_COLUMNS)[number], 'transactions' | 'summary'> => c !== 'transactions' && c !== 'summary',
);

/** An intent as a list page reads it first: every column but the long texts. */
export type IntentListRow = Pick<IntentRow, (typeof LIST_COLUMNS)[number]>;

/** A row of a list page: the columns but the long texts, and the summary's UTF-8 bytes (see below). */
export type IntentSummaryRow = IntentListRow & { summary: Buffer };

/**
 * A page of the merchant's intents, newest first (the order of the index
 * payment_intents_merchant_list), with the summary stored at creation instead of the
 * transactions (no items, no distributions: a page never reads them, they are most of an
 * intent's weight). Decoding a page of the heaviest summaries (~1.5 MB of mostly non-ASCII
 * UTF-8) into strings takes several milliseconds, and both clients would do it for the whole
 * page in one go on the event loop (better-sqlite3 reads synchronously; pg parses everything
 * that arrived at once): the summary comes as bytes, for the caller to decode one intent at a
 * time (bytea travels from PostgreSQL as hex, which decodes at memory speed).
 */
export function findMerchantIntentSummaries(
  db: Db,
  dialect: Dialect,
  merchantUserId: string,
  limit: number,
  offset: number,
  filter: IntentFilter = {},
): Promise<IntentSummaryRow[]> {
  const summary = dialect === 'sqlite' ? sql<Buffer>`cast(summary as blob)` : sql<Buffer>`convert_to(summary, 'UTF8')`;
  return db
    .selectFrom('payment_intents')
    .select([...LIST_COLUMNS, summary.as('summary')])
    .where((eb) => merchantIntents(eb, merchantUserId, filter))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The open billing requests addressed to a person, newest first (index payment_intents_recipient). */
export function findOpenRequestsFor(db: Db, recipientUserId: string, now: number, limit: number): Promise<IntentRow[]> {
  return db
    .selectFrom('payment_intents')
    .selectAll()
    .where('recipient_user_id', '=', recipientUserId)
    .where('state', '=', 'created')
    .where('intent', '=', 'request')
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute() as Promise<IntentRow[]>;
}

export async function insertReturnCall(tx: Tx, call: ReturnCallRow): Promise<void> {
  await tx.insertInto('return_url_calls').values(call).execute();
}

/** The answered return-url calls of these intents, in the order they were made. */
export function findDoneReturnCalls(db: Db | Tx, intentIds: readonly string[]): Promise<ReturnCallRow[]> {
  return db
    .selectFrom('return_url_calls')
    .selectAll()
    .where('intent_id', 'in', [...intentIds])
    .where('state', '=', 'done')
    .orderBy('called_at')
    .execute();
}

/** Take the lease on a pending call nobody holds; answers its uri, or undefined. */
export async function leaseReturnCall(tx: Tx, callId: string, now: number, claimedUntil: number): Promise<{ uri: string } | undefined> {
  return tx
    .updateTable('return_url_calls')
    .set({ claimed_until: claimedUntil })
    .where('id', '=', callId)
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .returning('uri')
    .executeTakeFirst();
}

/** Record a call's answer; only the holder of the lease `claimedUntil` may. */
export async function recordReturnCall(
  db: Db,
  callId: string,
  claimedUntil: number,
  answer: Pick<ReturnCallRow, 'status_code' | 'body' | 'error' | 'called_at'>,
): Promise<boolean> {
  const recorded = await db
    .updateTable('return_url_calls')
    .set({ state: 'done', ...answer })
    .where('id', '=', callId)
    .where('state', '=', 'pending')
    .where('claimed_until', '=', claimedUntil)
    .executeTakeFirst();
  return Number(recorded.numUpdatedRows) === 1;
}

/** Pending calls whose lease is free (a crash between commit and call), oldest first. */
export async function findPendingReturnCallIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('return_url_calls')
    .select('id')
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
