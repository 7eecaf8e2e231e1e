// The password resets' table (password_resets): a link's token hash, whose account, until when.
import type { Db, Tx } from '../../store/db.ts';
import { deleteBatchBefore } from '../../store/prune.ts';
import type { PasswordResetsTable } from '../../store/schema.ts';

export async function insertPasswordReset(db: Db | Tx, row: PasswordResetsTable): Promise<void> {
  await db.insertInto('password_resets').values(row).execute();
}

/** Use a link in the statement that checks it: of two uses only one gets the account back. */
export async function claimPasswordReset(tx: Tx, tokenHash: string, now: number): Promise<{ user_id: string } | undefined> {
  return tx
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
}

/** Every other link of the account is used up with the one that changed the password. */
export async function usePasswordResetsOf(tx: Tx, userId: string, now: number): Promise<void> {
  await tx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

export async function setPasswordHash(tx: Tx, userId: string, passwordHash: string): Promise<void> {
  await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** Every session of the account ends (a reset means the password may have been known to someone else). */
export async function deleteSessionsOfUser(tx: Tx, userId: string): Promise<void> {
  await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export function deleteExpiredPasswordResets(db: Db, before: number, limit: number): Promise<number> {
  return deleteBatchBefore(db, 'password_resets', 'token_hash', 'expires_at', before, limit);
}
