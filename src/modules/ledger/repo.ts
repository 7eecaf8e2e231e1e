// The ledger's SQL: accounts, journal_entries, postings and holds. The rules (what balances,
// what a hold may do) are in model.ts; the use cases in service.ts and holds.ts.
import { sql, SqliteAdapter, type Compilable, type Kysely } from 'kysely';
import type { AccountChange } from './model.ts';
import { InvariantError } from '../../kernel/errors.ts';
import type { Db, Dialect, Tx } from '../../store/db.ts';
import { lockedForUpdate } from '../../store/locking.ts';
import { MAX_BALANCE_MINOR, type Currency } from '../../kernel/money.ts';
import { prepared, preparedInsert, type Prepared } from '../../store/prepared.ts';
import type { HoldsTable } from '../../store/schema-holds.ts';
import type { AccountsTable, Database } from '../../store/schema.ts';

export interface AccountRow {
  id: string;
  kind: 'wallet' | 'system';
  owner_user_id: string | null;
  currency: string;
  balance_minor: number;
  /** Reserved by pending holds: what the owner can spend is balance − held. */
  held_minor: number;
}

export type AccountFacts = Omit<AccountRow, 'balance_minor' | 'held_minor'>;

/** An account row as it is opened (its balance and held amount start at zero). */
export type NewAccount = Omit<AccountsTable, 'balance_minor' | 'held_minor'>;

const ACCOUNT_COLUMNS = ['id', 'kind', 'owner_user_id', 'currency', 'balance_minor', 'held_minor'] as const;

export function findAccountByKey(db: Db | Tx, key: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').select(ACCOUNT_COLUMNS).where('key', '=', key).executeTakeFirst();
}

export function findAccountByKeyOrThrow(db: Db | Tx, key: string): Promise<AccountRow> {
  return db.selectFrom('accounts').select(ACCOUNT_COLUMNS).where('key', '=', key).executeTakeFirstOrThrow();
}

/** Open the account unless one with its key exists (a concurrent opener may have won). */
export async function insertAccountIfMissing(tx: Tx, account: NewAccount): Promise<void> {
  await tx
    .insertInto('accounts')
    .values({ ...account, balance_minor: 0, held_minor: 0 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export function findAccountFacts(db: Db | Tx, id: string): Promise<AccountFacts | undefined> {
  return db.selectFrom('accounts').select(['id', 'kind', 'owner_user_id', 'currency']).where('id', '=', id).executeTakeFirst();
}

export function findAccountCurrency(db: Db | Tx, id: string): Promise<{ currency: string; balance_minor: number; held_minor: number } | undefined> {
  return db.selectFrom('accounts').select(['currency', 'balance_minor', 'held_minor']).where('id', '=', id).executeTakeFirst();
}

export function findAccountCurrencies(db: Db | Tx, ids: readonly string[]): Promise<{ id: string; currency: string }[]> {
  return db.selectFrom('accounts').select(['id', 'currency']).where('id', 'in', ids).execute();
}

/** A user's wallet accounts, by currency. */
export function findWalletAccounts(db: Db | Tx, userId: string): Promise<Pick<AccountRow, 'id' | 'currency' | 'balance_minor' | 'held_minor'>[]> {
  return db
    .selectFrom('accounts')
    .select(['id', 'currency', 'balance_minor', 'held_minor'])
    .where('owner_user_id', '=', userId)
    .where('kind', '=', 'wallet')
    .orderBy('currency')
    .execute();
}

/** An account's balance and held amount, under its row lock on PostgreSQL (SQLite's writer lock covers it). */
export async function lockAccountBalance(tx: Tx, dialect: Dialect, id: string): Promise<{ balance_minor: number; held_minor: number }> {
  return lockedForUpdate(dialect, tx.selectFrom('accounts').select(['balance_minor', 'held_minor']).where('id', '=', id)).executeTakeFirstOrThrow();
}

const insertJournalEntries = preparedInsert('journal_entries', { deferrable: true });
const insertPostingRows = preparedInsert('postings', { deferrable: true });

export function insertJournalEntry(tx: Tx, entry: { id: string; kind: string; description: string; reference_id: string | null; created_at: number }) {
  return insertJournalEntries(tx, entry);
}

export function insertPostings(tx: Tx, rows: { entry_id: string; line: number; account_id: string; currency: string; amount_minor: number }[]) {
  return insertPostingRows(tx, rows);
}

/**
 * One account change as a guarded UPDATE: a wallet's balance − held stays at or above zero.
 * False when refused (insufficient funds, or an unknown account, or one in another currency).
 */
export async function applyAccountChange(tx: Tx, change: AccountChange): Promise<boolean> {
  return (await changeAccount.first(tx, change)) !== undefined;
}

const changeAccount = prepared((db, p: AccountChange) => guardedChange(db, p));

/** How applyAccountChangesTogether names a change it made. */
export function changedKey(accountId: string, currency: string): string {
  return `${accountId}\u0000${currency}`;
}

/**
 * Several account changes in one statement (on PostgreSQL one round trip fewer per account
 * while the first row's lock is held). Rows are changed, and locked, in the order given —
 * PostgreSQL: one UPDATE per account as CTEs read in turn by a UNION ALL (an UPDATE … FROM
 * VALUES locks in whatever order its plan scans `accounts`, and deadlocked under the sale
 * benchmark; PostgreSQL documents the order of data-modifying CTEs as unpredictable, so this
 * rests on its executor running each as the UNION ALL first reads it, and a deadlock is still
 * retried by inTransaction); SQLite, one writer at a time: one UPDATE … FROM VALUES. Returns
 * the changes made, as changedKey(id, currency): one missing was refused, as in
 * applyAccountChange (a change in another currency of an account that also changes in its own
 * must not pass for it).
 */
export async function applyAccountChangesTogether(tx: Tx, changes: readonly AccountChange[]): Promise<Set<string>> {
  // A row changed twice in one statement takes one of the changes, and both would read as made.
  if (new Set(changes.map((c) => changedKey(c.accountId, c.currency))).size !== changes.length)
    throw new InvariantError('an account changed twice in one statement (accountChanges nets them)');
  let statement = changeAccountsByCount.get(changes.length);
  if (!statement) changeAccountsByCount.set(changes.length, (statement = changeAccounts(changes.length)));
  const params: Record<string, unknown> = {};
  changes.forEach((c, i) =>
    Object.assign(params, { [`${i}:id`]: c.accountId, [`${i}:currency`]: c.currency, [`${i}:balance`]: c.balanceMinor, [`${i}:held`]: c.heldMinor }),
  );
  return new Set((await statement.all(tx, params)).map((row) => changedKey(row.id, row.currency)));
}

// A ledger entry touches two to four accounts: a few shapes, one per count.
const changeAccountsByCount = new Map<number, Prepared<Record<string, unknown>, { id: string; currency: string }>>();

const changeAccounts = (count: number) =>
  prepared((db, p: Record<string, unknown>): Compilable<{ id: string; currency: string }> => {
    const at = (i: number) => ({
      accountId: p[`${i}:id`] as string,
      currency: p[`${i}:currency`] as string,
      balanceMinor: p[`${i}:balance`] as number,
      heldMinor: p[`${i}:held`] as number,
    });
    if (db.getExecutor().adapter instanceof SqliteAdapter) {
      // VALUES columns are column1…column4 (SQLite cannot rename them).
      const rows = Array.from({ length: count }, (_, i) => sql`(${at(i).accountId}, ${at(i).currency}, ${at(i).balanceMinor}, ${at(i).heldMinor})`);
      return {
        compile: () =>
          sql<{
            id: string;
            currency: string;
          }>`update accounts set balance_minor = accounts.balance_minor + v.column3, held_minor = accounts.held_minor + v.column4
from (values ${sql.join(rows)}) as v
where accounts.id = v.column1 and accounts.currency = v.column2 and ${changeAllowed(sql.ref('v.column3'), sql.ref('v.column4'))}
returning accounts.id, accounts.currency`.compile(db),
      };
    }
    const names = Array.from({ length: count }, (_, i) => `change_${i + 1}` as const);
    let query = db.with(names[0]!, (q) => guardedChange(q, at(0))) as unknown as Kysely<Database & Record<string, { id: string; currency: string }>>;
    for (let i = 1; i < count; i++) query = query.with(names[i]!, (q) => guardedChange(q, at(i))) as unknown as typeof query;
    let select = query.selectFrom(names[0]!).select(['id', 'currency']);
    // The branches name the CTEs without declaring them again (the builder's `with` would).
    const plain = db as unknown as typeof query;
    for (let i = 1; i < count; i++) select = select.unionAll(plain.selectFrom(names[i]!).select(['id', 'currency']));
    return select as unknown as Compilable<{ id: string; currency: string }>;
  });

/** One account change as a guarded UPDATE returning the account (see changeAllowed). */
function guardedChange(db: Pick<Kysely<Database>, 'updateTable'>, p: AccountChange) {
  return db
    .updateTable('accounts')
    .set({ balance_minor: sql`balance_minor + ${p.balanceMinor}`, held_minor: sql`held_minor + ${p.heldMinor}` })
    .where('id', '=', p.accountId)
    .where('currency', '=', p.currency)
    .where(changeAllowed(p.balanceMinor, p.heldMinor))
    .returning(['id', 'currency']);
}

/** Whether an account row may change by `balance` and `held` (values, or columns): a wallet's balance − held stays at or above zero, and every amount within range. */
function changeAllowed(balance: unknown, held: unknown) {
  return sql<boolean>`(kind <> 'wallet' or balance_minor + ${balance} - (held_minor + ${held}) >= 0) and abs(balance_minor + ${balance}) <= ${MAX_BALANCE_MINOR} and abs(held_minor + ${held}) <= ${MAX_BALANCE_MINOR}`;
}

export interface MovementRow {
  entryId: string;
  line: number;
  kind: string;
  description: string;
  account_id: string;
  currency: string;
  amount_minor: number;
  created_at: number;
}

/** Where a page of movements starts: just after this posting (see findMovementsOfOwner). */
export interface MovementPosition {
  createdAt: number;
  entryId: string;
  line: number;
}

/**
 * The postings on a user's accounts, newest entry first, a page at a time: keyset paging on
 * (created_at, entry, line), so a page stays the same when new movements arrive meanwhile.
 */
export function findMovementsOfOwner(db: Db | Tx, userId: string, limit: number, after?: MovementPosition): Promise<MovementRow[]> {
  let query = db
    .selectFrom('postings as p')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .innerJoin('journal_entries as e', 'e.id', 'p.entry_id')
    .select(['e.id as entryId', 'p.line', 'e.kind', 'e.description', 'p.account_id', 'p.currency', 'p.amount_minor', 'e.created_at'])
    .where('a.owner_user_id', '=', userId);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('e.created_at', '<', after.createdAt),
        eb.and([
          eb('e.created_at', '=', after.createdAt),
          eb.or([eb('e.id', '<', after.entryId), eb.and([eb('e.id', '=', after.entryId), eb('p.line', '<', after.line)])]),
        ]),
      ]),
    );
  }
  return query.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').orderBy('p.line', 'desc').limit(limit).execute();
}

// ── verification ────────────────────────────────────────────────────────────────────────────

/** Each account with the sum of its postings and how many are in another currency. */
export function accountPostingSums(db: Db | Tx) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('postings as p', 'p.account_id', 'a.id')
    .select(['a.id', 'a.kind', 'a.balance_minor', 'a.held_minor', 'a.currency'])
    .select(sql<number | string | null>`sum(p.amount_minor)`.as('posted'))
    .select(sql<number>`count(case when p.currency <> a.currency then 1 end)`.as('foreign_postings'))
    .groupBy(['a.id', 'a.kind', 'a.balance_minor', 'a.held_minor', 'a.currency'])
    .execute();
}

/** Pending holds summed per debit account and currency. */
export function pendingHoldSums(db: Db | Tx) {
  return db
    .selectFrom('holds')
    .select(['debit_account_id', 'currency'])
    .select(sql<number | string>`sum(amount_minor)`.as('held'))
    .where('state', '=', 'pending')
    .groupBy(['debit_account_id', 'currency'])
    .execute();
}

/** Entries whose postings do not sum to zero in some currency. */
export function unbalancedEntries(db: Db | Tx) {
  return db
    .selectFrom('postings')
    .select(['entry_id', 'currency'])
    .select(sql<number | string>`sum(amount_minor)`.as('total'))
    .groupBy(['entry_id', 'currency'])
    .having(sql`sum(amount_minor)`, '<>', 0)
    .execute();
}

export function balanceTotalsByCurrency(db: Db | Tx) {
  return db
    .selectFrom('accounts')
    .select('currency')
    .select(sql<number | string>`sum(balance_minor)`.as('total'))
    .groupBy('currency')
    .execute();
}

// ── holds ───────────────────────────────────────────────────────────────────────────────────

export type HoldRow = HoldsTable;

export function insertHold(tx: Tx, hold: HoldRow) {
  return tx.insertInto('holds').values(hold).execute();
}

export async function findHoldRow(db: Db | Tx, holdId: string): Promise<HoldRow | undefined> {
  return (await db.selectFrom('holds').selectAll().where('id', '=', holdId).executeTakeFirst()) as HoldRow | undefined;
}

/** Mark a pending, unexpired hold posted; undefined when it was not pending (or expired). */
export async function claimHoldForCommit(
  tx: Tx,
  holdId: string,
  values: { posted_minor: number; entry_id: string; now: number },
): Promise<HoldRow | undefined> {
  return (await tx
    .updateTable('holds')
    .set({ state: 'posted', posted_minor: values.posted_minor, entry_id: values.entry_id, resolved_at: values.now })
    .where('id', '=', holdId)
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', values.now)]))
    .returningAll()
    .executeTakeFirst()) as HoldRow | undefined;
}

/** Mark a pending hold voided; with `expiredBy`, only if its deadline is at or before it. */
export async function claimHoldForVoid(tx: Tx, holdId: string, now: number, expiredBy?: number): Promise<HoldRow | undefined> {
  let query = tx.updateTable('holds').set({ state: 'voided', resolved_at: now }).where('id', '=', holdId).where('state', '=', 'pending');
  if (expiredBy !== undefined) query = query.where('expires_at', '<=', expiredBy);
  return (await query.returningAll().executeTakeFirst()) as HoldRow | undefined;
}

/** Pending holds past their deadline, oldest deadline first. */
export function findDueHoldIds(db: Db | Tx, now: number, limit: number): Promise<{ id: string }[]> {
  return db.selectFrom('holds').select('id').where('state', '=', 'pending').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute();
}

// --- Reads other modules need (through the module index: no other module reads these tables) ---

/** The user's wallet ids in `currency` (none opened: an unknown currency has none). */
export async function findWalletIds(db: Db | Tx, userId: string, currency: Currency): Promise<string[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('owner_user_id', '=', userId)
    .where('kind', '=', 'wallet')
    .where('currency', '=', currency)
    .execute();
  return rows.map((r) => r.id);
}

/** The wallets of several owners in one statement, all currencies. */
export function findWalletsOfOwners(db: Db | Tx, ownerUserIds: readonly string[]): Promise<{ id: string; owner_user_id: string | null; currency: string }[]> {
  return db
    .selectFrom('accounts')
    .select(['id', 'owner_user_id', 'currency'])
    .where('owner_user_id', 'in', [...ownerUserIds])
    .where('kind', '=', 'wallet')
    .execute();
}

/** One account's owner and currency, read now (not from the per-store cache). */
export function findAccountOwner(db: Db | Tx, id: string): Promise<{ id: string; owner_user_id: string | null; currency: string } | undefined> {
  return db.selectFrom('accounts').select(['id', 'owner_user_id', 'currency']).where('id', '=', id).executeTakeFirst();
}

/** Several accounts' opening time and currency in one statement. */
export function findAccountsOpened(db: Db | Tx, ids: readonly string[]): Promise<{ id: string; created_at: number; currency: string }[]> {
  return db
    .selectFrom('accounts')
    .select(['id', 'created_at', 'currency'])
    .where('id', 'in', [...ids])
    .execute();
}

/** An entry's postings in line order (to reverse it). */
export function findEntryPostings(db: Db | Tx, entryId: string): Promise<{ account_id: string; currency: string; amount_minor: number }[]> {
  return db.selectFrom('postings').select(['account_id', 'currency', 'amount_minor']).where('entry_id', '=', entryId).orderBy('line').execute();
}

/** The postings of several entries with what says whose each account is, in entry and line order. */
export function findEntriesPostings(
  db: Db | Tx,
  entryIds: readonly string[],
): Promise<
  {
    entry_id: string;
    line: number;
    account_id: string;
    kind: 'wallet' | 'system';
    owner_user_id: string | null;
    system_code: string | null;
    currency: string;
    amount_minor: number;
  }[]
> {
  return db
    .selectFrom('postings as p')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .select(['p.entry_id', 'p.line', 'p.account_id', 'a.kind', 'a.owner_user_id', 'a.system_code', 'p.currency', 'p.amount_minor'])
    .where('p.entry_id', 'in', [...entryIds])
    .orderBy('p.entry_id')
    .orderBy('p.line')
    .execute();
}
