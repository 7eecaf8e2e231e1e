// The test users' table (test_users): who made each one, its site, and its last activity.
import type { Tx, Db } from '../../store/db.ts';
import { lockedForUpdate } from '../../store/locking.ts';
import type { Dialect } from '../../store/db.ts';
import type { TestUsersTable } from '../../store/schema.ts';
import { USER_COLUMNS, type UserRow } from './repo.ts';

export async function insertTestUser(tx: Tx, row: TestUsersTable): Promise<void> {
  await tx.insertInto('test_users').values(row).execute();
}

/** The owner's row locked, so two creations at once count each other (PostgreSQL; SQLite has one writer). */
export async function lockOwner(tx: Tx, dialect: Dialect, ownerUserId: string): Promise<void> {
  await lockedForUpdate(dialect, tx.selectFrom('users').select('id').where('id', '=', ownerUserId)).execute();
}

export async function countAliveTestUsers(tx: Tx, ownerUserId: string, activeSince: number): Promise<number> {
  const row = await tx
    .selectFrom('test_users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('owner_user_id', '=', ownerUserId)
    .where('last_active_at', '>', activeSince)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findTestUser(db: Db | Tx, userId: string): Promise<TestUsersTable | undefined> {
  return db.selectFrom('test_users').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A test user by email (test users' emails are made unique by the platform). */
export async function findTestUserByEmail(db: Db | Tx, email: string): Promise<UserRow | undefined> {
  return (await db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email).where('test_site_id', 'is not', null).executeTakeFirst()) as
    UserRow | undefined;
}

export async function touchTestUsers(db: Db | Tx, userIds: readonly string[], now: number, idleMs: number): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .updateTable('test_users')
    .set({ last_active_at: now })
    .where('user_id', 'in', [...userIds])
    .where('last_active_at', '<', now)
    // An expired test user stays expired: activity does not bring it back.
    .where('last_active_at', '>', now - idleMs)
    .execute();
}
