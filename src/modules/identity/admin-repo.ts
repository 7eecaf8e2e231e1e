// The operator's reads and writes of accounts: user search, locks (user_locks) and the
// affiliation codes issued.
import { sql } from 'kysely';
import type { Db, Tx } from '../../store/db.ts';

/** `%`, `_` and `\` typed by the operator are searched as themselves. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface UserSearchRow {
  id: string;
  type: string;
  username: string;
  name: string;
  email: string | null;
  phone: string | null;
  identification: string | null;
  created_at: number;
  locked_at: number | null;
}

/** Users whose username, name, email, phone or identification contains `text` (any case); newest first. */
export async function searchUserRows(db: Db, text: string, limit: number): Promise<UserSearchRow[]> {
  let query = db
    .selectFrom('users')
    .leftJoin('user_locks', 'user_locks.user_id', 'users.id')
    .select([
      'users.id',
      'users.type',
      'users.username',
      'users.name',
      'users.email',
      'users.phone',
      'users.identification',
      'users.created_at',
      'user_locks.locked_at',
    ])
    // The sandbox's card test users are many and short-lived: they are not accounts to look after.
    .where('users.test_site_id', 'is', null);
  if (text) {
    const pattern = likePattern(text);
    query = query.where((eb) =>
      eb.or(
        (['username', 'name', 'email', 'phone', 'identification'] as const).map((column) =>
          eb(sql`lower(${sql.ref(`users.${column}`)})`, 'like', sql`${pattern} escape '\\'`),
        ),
      ),
    );
  }
  return (await query.orderBy('users.created_at', 'desc').orderBy('users.id').limit(limit).execute()) as UserSearchRow[];
}

export async function findUserLock(db: Db | Tx, userId: string): Promise<number | null> {
  const row = await db.selectFrom('user_locks').select('locked_at').where('user_id', '=', userId).executeTakeFirst();
  return row ? Number(row.locked_at) : null;
}

export async function insertUserLock(tx: Tx, userId: string, lockedBy: string, now: number): Promise<void> {
  await tx
    .insertInto('user_locks')
    .values({ user_id: userId, locked_by: lockedBy, locked_at: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

export async function deleteUserLock(tx: Tx, userId: string): Promise<void> {
  await tx.deleteFrom('user_locks').where('user_id', '=', userId).execute();
}

export interface AffiliationCodeRow {
  code: string;
  type: string;
  created_at: number;
  used_at: number | null;
  used_by_username: string | null;
}

/** The newest affiliation codes, with who used each. */
export async function listAffiliationCodeRows(db: Db, limit: number): Promise<AffiliationCodeRow[]> {
  return (await db
    .selectFrom('affiliation_codes')
    .leftJoin('users', 'users.id', 'affiliation_codes.used_by_user_id')
    .select([
      'affiliation_codes.code',
      'affiliation_codes.type',
      'affiliation_codes.created_at',
      'affiliation_codes.used_at',
      'users.username as used_by_username',
    ])
    .orderBy('affiliation_codes.created_at', 'desc')
    .orderBy('affiliation_codes.code')
    .limit(limit)
    .execute()) as AffiliationCodeRow[];
}
