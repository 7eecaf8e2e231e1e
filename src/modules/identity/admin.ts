// What the operator does with accounts: find users, lock and unlock them, and see the
// affiliation codes a business registers with. A lock ends the user's console sessions and
// API tokens in the same transaction and refuses every later sign-in (console, checkout) and
// every token grant; bearer authentication refuses a locked account's tokens too (apps module).
import { runCommand } from '../commands/index.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../store/db.ts';
import { deleteUserLock, findUserLock, insertUserLock, listAffiliationCodeRows, searchUserRows, type UserSearchRow } from './admin-repo.ts';
import { deleteSessionsOfUser } from './password-reset-repo.ts';
import { getUser } from './users.ts';
import { IDENTITY_MESSAGES } from './rules.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export interface UserAdminView {
  id: string;
  type: string;
  username: string;
  name: string;
  email: string | null;
  phone: string | null;
  identification: string | null;
  createdAt: string;
  locked: boolean;
  lockedAt: string | null;
}

function userAdminView(row: UserSearchRow): UserAdminView {
  return {
    id: row.id,
    type: row.type,
    username: row.username,
    name: row.name,
    email: row.email,
    phone: row.phone,
    identification: row.identification,
    createdAt: iso(row.created_at),
    locked: row.locked_at !== null,
    lockedAt: isoOrNull(row.locked_at),
  };
}

export const USER_SEARCH_MAX = 50;

export async function searchUsers(db: Db, text: unknown, limit: number = USER_SEARCH_MAX): Promise<UserAdminView[]> {
  const query = typeof text === 'string' ? text.trim() : '';
  if (query.length > 100) throw new ValidationError([{ path: ['q'], message: IDENTITY_MESSAGES.searchTooLong.es, code: 'identity.searchTooLong' }]);
  return (await searchUserRows(db, query, Math.min(Math.max(1, limit), USER_SEARCH_MAX))).map(userAdminView);
}

async function userAdminViewOf(db: Db, userId: string): Promise<UserAdminView> {
  const user = await getUser(db, userId);
  return userAdminView({ ...user, locked_at: await findUserLock(db, userId) });
}

/**
 * Lock an account (idempotent: locking a locked one keeps its first lock). `revokeTokens` ends
 * the account's API tokens in the same transaction: the apps module owns them and depends on
 * this one, so the caller hands its revocation in (required, so no lock forgets it).
 */
export async function lockUser(
  ctx: Ctx,
  operatorId: string,
  userId: string,
  revokeTokens: (tx: Tx, userId: string, now: number) => Promise<void>,
): Promise<UserAdminView> {
  await runCommand(ctx, undefined, async ({ tx, now }) => {
    const user = await getUser(tx, userId);
    if (user.type === 'operator') refuse({ code: 'operator_not_lockable' });
    await insertUserLock(tx, userId, operatorId, now);
    await deleteSessionsOfUser(tx, userId);
    await revokeTokens(tx, userId, now);
  });
  return userAdminViewOf(ctx.store.db, userId);
}

export async function unlockUser(ctx: Ctx, userId: string): Promise<UserAdminView> {
  await runCommand(ctx, undefined, async ({ tx }) => {
    await getUser(tx, userId);
    await deleteUserLock(tx, userId);
  });
  return userAdminViewOf(ctx.store.db, userId);
}

/** Whether the operator locked the account. */
export async function isUserLocked(db: Db | Tx, userId: string): Promise<boolean> {
  return (await findUserLock(db, userId)) !== null;
}

export const AFFILIATION_CODES_MAX = 200;

export async function listAffiliationCodes(db: Db, limit: number = AFFILIATION_CODES_MAX) {
  const rows = await listAffiliationCodeRows(db, Math.min(Math.max(1, limit), AFFILIATION_CODES_MAX));
  return rows.map((row) => ({
    code: row.code,
    type: row.type,
    createdAt: iso(row.created_at),
    usedAt: isoOrNull(row.used_at),
    usedBy: row.used_by_username,
  }));
}
