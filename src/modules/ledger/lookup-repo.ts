// Reads of accounts and postings that other modules need (payment intents, payments): the
// ledger's SQL for them, so no other module reads the ledger's tables itself.
import type { Currency } from '../../kernel/money.ts';
import type { Db, Tx } from '../../store/db.ts';

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
