// The double-entry journal. Every money movement goes through postEntry: it checks the entry
// balances, applies each account's change with a guarded UPDATE (a wallet's available balance,
// balance − held, can never go below zero), and writes the journal rows, all inside the
// caller's transaction. Holds (money reserved, not yet moved) are in holds.ts.
import { newRowId } from '../../kernel/ids.ts';
import { InvariantError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { accountChanges, assertBalanced, type AccountChange, type Posting } from './model.ts';
import { MAX_BALANCE_MINOR, type Currency } from '../../kernel/money.ts';
import type { Db, Store, Tx } from '../../store/db.ts';
import type { CommandScope } from '../commands/index.ts';
import {
  accountPostingSums,
  applyAccountChange,
  applyAccountChangesTogether,
  changedKey,
  balanceTotalsByCurrency,
  findAccountByKey,
  findAccountByKeyOrThrow,
  findAccountCurrency,
  findAccountFacts,
  insertAccountIfMissing,
  insertJournalEntry,
  insertPostings,
  pendingHoldSums,
  unbalancedEntries,
  type AccountFacts,
  type AccountRow,
} from './repo.ts';

export type { AccountFacts, AccountRow } from './repo.ts';

export const SYSTEM_ACCOUNTS = {
  platformFees: 'platform_fees',
  sandboxFunding: 'sandbox_funding',
  payoutClearing: 'payout_clearing',
  /** Money that left Pasarela to the banking system (paid payout items); a bank return reverses it. */
  bankSettlement: 'bank_settlement',
  /** What card networks owe Pasarela for approved card payments (debited when a payment is captured, credited by refunds). */
  cardClearing: 'card_clearing',
} as const;
export type SystemAccountCode = (typeof SYSTEM_ACCOUNTS)[keyof typeof SYSTEM_ACCOUNTS];

async function ensureAccount(
  tx: Tx,
  key: string,
  values: { kind: 'wallet' | 'system'; owner_user_id: string | null; system_code: string | null; currency: string },
  now: number,
): Promise<AccountRow> {
  return (await findOrCreateAccount(tx, key, values, now)).account;
}

async function findOrCreateAccount(
  tx: Tx,
  key: string,
  values: { kind: 'wallet' | 'system'; owner_user_id: string | null; system_code: string | null; currency: string },
  now: number,
): Promise<{ account: AccountRow; found: boolean }> {
  const found = await findAccountByKey(tx, key);
  if (found) return { account: found, found: true };
  await insertAccountIfMissing(tx, { id: newRowId(), key, created_at: now, ...values });
  return { account: await findAccountByKeyOrThrow(tx, key), found: false };
}

export function walletAccount(tx: Tx, userId: string, currency: Currency, now: number): Promise<AccountRow> {
  return ensureAccount(tx, `wallet:${userId}:${currency}`, { kind: 'wallet', owner_user_id: userId, system_code: null, currency }, now);
}

export function systemAccount(tx: Tx, code: SystemAccountCode, currency: Currency, now: number): Promise<AccountRow> {
  return ensureAccount(tx, `system:${code}:${currency}`, { kind: 'system', owner_user_id: null, system_code: code, currency }, now);
}

// An account's id, key, kind, owner and currency never change once it is committed, and
// accounts are never deleted, so every process may keep what it has read of them (only the
// balance moves). Kept per store — tests open many in one process — and bounded.
const MAX_KNOWN_ACCOUNTS = 10_000;
const knownAccounts = new WeakMap<Store, { byId: Map<string, AccountFacts>; idByKey: Map<string, string> }>();

function known(store: Store) {
  let entry = knownAccounts.get(store);
  if (!entry) knownAccounts.set(store, (entry = { byId: new Map(), idByKey: new Map() }));
  if (entry.byId.size > MAX_KNOWN_ACCOUNTS) entry.byId.clear();
  if (entry.idByKey.size > MAX_KNOWN_ACCOUNTS) entry.idByKey.clear();
  return entry;
}

/**
 * An account's unchanging facts, read once per store. For an id read from a committed row: an
 * account a transaction creates and rolls back is never asked for again, nothing names it.
 */
export async function accountFacts(store: Store, db: Db | Tx, id: string): Promise<AccountFacts | undefined> {
  const cache = known(store).byId;
  const cached = cache.get(id);
  if (cached) return cached;
  const row = await findAccountFacts(db, id);
  if (row) cache.set(id, row);
  return row;
}

/**
 * The id of the user's wallet (or a system account) in `currency`, for a posting; opened if
 * missing. The id is kept per store only when the account was already there: one this
 * transaction creates could still roll back. So use these before anything in the same
 * transaction opens accounts, or the one found may be this transaction's own.
 */
export function walletAccountId(store: Store, tx: Tx, userId: string, currency: Currency, now: number): Promise<string> {
  return accountIdFor(store, tx, `wallet:${userId}:${currency}`, { kind: 'wallet', owner_user_id: userId, system_code: null, currency }, now);
}

export function systemAccountId(store: Store, tx: Tx, code: SystemAccountCode, currency: Currency, now: number): Promise<string> {
  return accountIdFor(store, tx, `system:${code}:${currency}`, { kind: 'system', owner_user_id: null, system_code: code, currency }, now);
}

async function accountIdFor(store: Store, tx: Tx, key: string, values: Parameters<typeof findOrCreateAccount>[2], now: number): Promise<string> {
  const cache = known(store).idByKey;
  const cached = cache.get(key);
  if (cached) return cached;
  const { account, found } = await findOrCreateAccount(tx, key, values, now);
  if (found) cache.set(key, account.id);
  return account.id;
}

export interface EntryInput {
  /** Chosen by the caller when other rows must name the entry before it is posted. */
  id?: string;
  kind: string;
  description: string;
  referenceId?: string | null;
  postings: Posting[];
  now: number;
}

/**
 * Where an entry is written: a command's scope (its queued events are appended before the
 * balances are touched, see below) or a bare transaction.
 */
export type EntryTarget = Tx | Pick<CommandScope, 'tx' | 'flushEvents'>;

export async function postEntry(into: EntryTarget, entry: EntryInput): Promise<string> {
  return postEntryReleasing(into, entry, []);
}

/**
 * postEntry that also changes held amounts (holds.ts: a commit releases its hold), netted per
 * account with the postings so each account row is updated once, in the one lock order.
 */
export async function postEntryReleasing(into: EntryTarget, entry: EntryInput, held: readonly Posting[]): Promise<string> {
  const tx = 'flushEvents' in into ? into.tx : into;
  assertBalanced(entry.postings);
  const id = entry.id ?? newRowId();
  await insertJournalEntry(tx, {
    id,
    kind: entry.kind,
    description: entry.description.slice(0, 500),
    reference_id: entry.referenceId ?? null,
    created_at: entry.now,
  });
  await insertPostings(
    tx,
    entry.postings.map((p, i) => ({ entry_id: id, line: i + 1, account_id: p.accountId, currency: p.currency, amount_minor: p.amountMinor })),
  );
  // Balances last: their rows are the contended ones (a merchant's receiving account, the fee
  // account), so their locks are held only from here to the commit — the command's events go
  // to the outbox before. On PostgreSQL the inserts above travel with the first balance update
  // (store/deferred-inserts.ts) and finish while its lock is held: a fraction of a millisecond
  // more under the lock, against four round trips fewer before it.
  if ('flushEvents' in into) await into.flushEvents();
  await applyAccountChanges(tx, accountChanges(entry.postings, held));
  return id;
}

/**
 * Apply the changes (account-id order, see accountChanges, which is also the order their rows
 * are locked in) with guarded UPDATEs: a wallet's balance − held stays at or above zero, so a
 * refused row means insufficient funds (or an unknown account, or one in another currency).
 * Several changes go as one statement; a refusal rolls the others back with the transaction.
 */
export async function applyAccountChanges(tx: Tx, changes: readonly AccountChange[]): Promise<void> {
  if (changes.length === 0) return;
  const changed = changes.length === 1 ? undefined : await applyAccountChangesTogether(tx, changes);
  for (const change of changes) {
    const applied = changed ? changed.has(changedKey(change.accountId, change.currency)) : await applyAccountChange(tx, change);
    if (!applied) {
      const exists = await findAccountCurrency(tx, change.accountId);
      if (!exists || exists.currency !== change.currency)
        throw new InvariantError(`posting to account ${change.accountId}: missing or not in ${change.currency}`);
      const outOfRange = (n: number) => Math.abs(n) > MAX_BALANCE_MINOR;
      if (outOfRange(exists.balance_minor + change.balanceMinor) || outOfRange(exists.held_minor + change.heldMinor)) refuse({ code: 'balance_limit' });
      refuse({ code: 'insufficient_funds' });
    }
  }
}

export interface LedgerDiscrepancy {
  kind: 'balance_mismatch' | 'held_mismatch' | 'unbalanced_entry' | 'negative_wallet';
  id: string;
  detail: string;
}

/**
 * Recompute every balance from the postings and every held amount from the pending holds; an
 * empty list means the ledger agrees.
 */
export async function verifyLedger(store: Store | { db: Db }): Promise<LedgerDiscrepancy[]> {
  const db = store.db;
  const out: LedgerDiscrepancy[] = [];
  const sums = await accountPostingSums(db);
  const pending = await pendingHoldSums(db);
  const heldBy = new Map<string, { held: number; currencies: string[] }>();
  for (const row of pending) {
    const seen = heldBy.get(row.debit_account_id) ?? { held: 0, currencies: [] };
    heldBy.set(row.debit_account_id, { held: seen.held + Number(row.held), currencies: [...seen.currencies, row.currency] });
  }
  for (const row of sums) {
    const posted = Number(row.posted ?? 0);
    if (posted !== Number(row.balance_minor)) {
      out.push({ kind: 'balance_mismatch', id: row.id, detail: `stored ${row.balance_minor}, postings sum ${posted}` });
    }
    if (Number(row.foreign_postings) > 0) out.push({ kind: 'balance_mismatch', id: row.id, detail: `postings in a currency other than ${row.currency}` });
    const holds = heldBy.get(row.id) ?? { held: 0, currencies: [] };
    if (holds.held !== Number(row.held_minor)) {
      out.push({ kind: 'held_mismatch', id: row.id, detail: `stored held ${row.held_minor}, pending holds sum ${holds.held}` });
    }
    if (holds.currencies.some((c) => c !== row.currency))
      out.push({ kind: 'held_mismatch', id: row.id, detail: `pending holds in a currency other than ${row.currency}` });
    if (row.kind === 'wallet' && Number(row.balance_minor) - Number(row.held_minor) < 0) {
      out.push({ kind: 'negative_wallet', id: row.id, detail: `balance ${row.balance_minor}, held ${row.held_minor}` });
    }
  }
  const unbalanced = await unbalancedEntries(db);
  for (const row of unbalanced) out.push({ kind: 'unbalanced_entry', id: row.entry_id, detail: `${row.currency} sums to ${row.total}` });
  return out;
}

/** Sum of every account per currency: always zero in a double-entry ledger. */
export async function totalsByCurrency(db: Db): Promise<Map<string, number>> {
  const rows = await balanceTotalsByCurrency(db);
  return new Map(rows.map((r) => [r.currency, Number(r.total)]));
}
