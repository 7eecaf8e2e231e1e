// The identity module's tables (users, affiliation_codes, sessions): their SQL. The limits'
// tables (sign-in failures and sources, PINs per merchant) are in limits-repo.ts.
import { sql } from 'kysely';
import type { Db, Tx } from '../../store/db.ts';
import { deleteBatchBefore } from '../../store/prune.ts';
import { everyColumn, prepared } from '../../store/prepared.ts';
import type { UsersTable } from '../../store/schema.ts';
import type { PartyReference } from './model.ts';

export type UserRow = Omit<UsersTable, 'pin_failed_attempts' | 'is_test'> & { pin_failed_attempts: number; is_test: number };

export function findUserById(db: Db | Tx, id: string): Promise<UserRow | undefined> {
  return userBy.id.first(db, { value: id }) as Promise<UserRow | undefined>;
}

/** Several users in one statement (a list reads its page's users at once), only `columns`. */
export async function findUsersByIds<C extends keyof UserRow>(db: Db | Tx, ids: readonly string[], columns: readonly C[]): Promise<Pick<UserRow, C>[]> {
  if (ids.length === 0) return [];
  return (await db
    .selectFrom('users')
    .select(columns as readonly (keyof UserRow)[])
    .where('id', 'in', [...ids])
    .execute()) as Pick<UserRow, C>[];
}

export function findUserBy(db: Db | Tx, reference: PartyReference): Promise<UserRow | undefined> {
  return userBy[reference.kind].first(db, { value: reference.value }) as Promise<UserRow | undefined>;
}

/** Every column of `users`, for statements that select them all (prepared ones never say `*`). */
export const USER_COLUMNS = everyColumn<UsersTable>()([
  'id',
  'type',
  'username',
  'email',
  'phone',
  'identification',
  'name',
  'password_hash',
  'pin_hash',
  'pin_failed_attempts',
  'pin_locked_at',
  'is_test',
  'test_site_id',
  'created_at',
]);

const userByColumn = (column: 'id' | PartyReference['kind']) =>
  prepared((db, p: { value: string }) => db.selectFrom('users').select(USER_COLUMNS).where(column, '=', p.value));
/** A user by id or by each kind of party reference: one prepared statement each (every request that names a payer). */
const userBy = { id: userByColumn('id'), username: userByColumn('username'), phone: userByColumn('phone'), identification: userByColumn('identification') };

export function findUserByUsername(db: Db | Tx, username: string): Promise<UserRow | undefined> {
  return userBy.username.first(db, { value: username }) as Promise<UserRow | undefined>;
}

/** Is there anybody besides the operator (an empty deployment gets the demo data)? */
export async function hasCustomers(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('type', '<>', 'operator').limit(1).execute()).length > 0;
}

/** Users already holding one of these names, phones or identifications. */
export function usersClashingWith(tx: Tx, keys: { username: string; phone: string | null; identification: string | null }) {
  return tx
    .selectFrom('users')
    .select(['username', 'phone', 'identification'])
    .where((eb) => eb.or([eb('username', '=', keys.username), eb('phone', '=', keys.phone), eb('identification', '=', keys.identification)]))
    .execute();
}

export async function insertUser(
  db: Db | Tx,
  user: UserRow | Omit<UserRow, 'pin_failed_attempts' | 'is_test'>,
  options: { ignoreExisting?: boolean } = {},
): Promise<boolean> {
  let query = db.insertInto('users').values(user);
  if (options.ignoreExisting) query = query.onConflict((oc) => oc.column('username').doNothing());
  const result = await query.executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Claim an unused regular affiliation code for `userId` in the statement that checks it. */
export async function useAffiliationCode(tx: Tx, code: string, userId: string, now: number): Promise<boolean> {
  const claimed = await tx
    .updateTable('affiliation_codes')
    .set({ used_at: now, used_by_user_id: userId })
    .where('code', '=', code)
    .where('type', '=', 'regular')
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function insertAffiliationCodes(db: Db, codes: { regular: string; commercial: string }, now: number): Promise<void> {
  await db
    .insertInto('affiliation_codes')
    .values([
      { code: codes.regular, type: 'regular', created_at: now, used_at: null, used_by_user_id: null },
      { code: codes.commercial, type: 'commercial', created_at: now, used_at: null, used_by_user_id: null },
    ])
    .execute();
}

// --- PIN -------------------------------------------------------------------------------

export async function setPinHash(db: Db, userId: string, pinHash: string): Promise<void> {
  await db.updateTable('users').set({ pin_hash: pinHash, pin_failed_attempts: 0, pin_locked_at: null }).where('id', '=', userId).execute();
}

/** Count one PIN attempt unless the limit is reached; the stored hash when it was counted. */
export function reservePinAttempt(db: Db, userId: string, maxAttempts: number) {
  return db
    .updateTable('users')
    .set({ pin_failed_attempts: sql`pin_failed_attempts + 1` })
    .where('id', '=', userId)
    .where('pin_failed_attempts', '<', maxAttempts)
    .where('pin_hash', 'is not', null)
    .returning(['pin_hash', 'pin_failed_attempts'])
    .executeTakeFirst();
}

export async function clearPinAttempts(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ pin_failed_attempts: 0 }).where('id', '=', userId).execute();
}

export async function lockPin(db: Db, userId: string, now: number): Promise<void> {
  await db.updateTable('users').set({ pin_locked_at: now }).where('id', '=', userId).where('pin_locked_at', 'is', null).execute();
}

// --- Sessions -----------------------------------------------------------------------------

export async function insertSession(db: Db, session: { tokenHash: string; userId: string; csrfToken: string; expiresAt: number; now: number }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ token_hash: session.tokenHash, user_id: session.userId, csrf_token: session.csrfToken, expires_at: session.expiresAt, created_at: session.now })
    .execute();
}

export function findSessionRow(db: Db, tokenHash: string) {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Sessions that expired before `before`: at most `limit` per statement. */
export async function deleteSessionsExpiredBefore(db: Db, before: number, limit: number): Promise<number> {
  return deleteBatchBefore(db, 'sessions', 'token_hash', 'expires_at', before, limit);
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}
