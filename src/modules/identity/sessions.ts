// Console sessions: an opaque token (stored hashed) plus the secret its CSRF tokens are made from.
// They live in the database, so any API process can serve any console request.
import type { Ctx } from '../../platform/context.ts';
import { randomToken, sha256Hex } from '../../platform/secrets.ts';
import { findUserLock } from './admin-repo.ts';
import { deleteSession, deleteSessionsExpiredBefore, findSessionRow, insertSession } from './repo.ts';
import { authenticateLimited, getUser, type UserRow } from './users.ts';

export const SESSION_TTL_MS = 12 * 3600 * 1000;

export interface Session {
  token: string;
  /** The secret of the session's CSRF tokens (never sent as is to a console page). */
  csrfSecret: string;
  user: UserRow;
  expiresAt: number;
}

/** Sign in by username, phone or identification (attempts limited per person and client `source`). */
export async function login(ctx: Ctx, loginName: string, password: string, source?: string): Promise<Session | undefined> {
  const user = await authenticateLimited(ctx, loginName, password, source);
  return user ? createSession(ctx, user) : undefined;
}

export async function createSession(ctx: Ctx, user: UserRow): Promise<Session> {
  const now = await ctx.clock.now();
  const token = randomToken(32);
  const csrfSecret = randomToken(24);
  const expiresAt = now + SESSION_TTL_MS;
  await insertSession(ctx.store.db, { tokenHash: sha256Hex(token), userId: user.id, csrfToken: csrfSecret, expiresAt, now });
  return { token, csrfSecret, user, expiresAt };
}

export async function findSession(ctx: Ctx, token: string): Promise<Session | undefined> {
  if (!token) return undefined;
  const row = await findSessionRow(ctx.store.db, sha256Hex(token));
  if (!row || row.expires_at <= (await ctx.clock.now())) return undefined;
  // A lock deletes the user's sessions; this also ends one a sign-in was creating meanwhile.
  if ((await findUserLock(ctx.store.db, row.user_id)) !== null) return undefined;
  return { token, csrfSecret: row.csrf_token, user: await getUser(ctx.store.db, row.user_id), expiresAt: row.expires_at };
}

/** One retention batch: up to `limit` expired sessions go. */
export async function pruneExpiredSessions(ctx: Ctx, limit: number): Promise<number> {
  return deleteSessionsExpiredBefore(ctx.store.db, await ctx.clock.now(), limit);
}

export async function endSession(ctx: Ctx, token: string): Promise<void> {
  await deleteSession(ctx.store.db, sha256Hex(token));
}
