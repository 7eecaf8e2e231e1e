// Console sessions: an opaque token (stored hashed) plus a CSRF token for cookie-borne calls.
// They live in the database, so any API process can serve any console request.
import type { Ctx } from './context.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { authenticate, getUser, type UserRow } from './users.ts';
import { RateLimitedError } from '../domain/errors.ts';
import { inTransaction } from '../store/db.ts';

export const SESSION_TTL_MS = 12 * 3600 * 1000;
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_LOGIN_FAILURES = 10;

export interface Session {
  token: string;
  csrfToken: string;
  user: UserRow;
  expiresAt: number;
}

/**
 * Sign in by username, phone or identification. Attempts are counted per login name in the
 * database (settings row) so guessing is slowed across processes. The attempt is counted
 * before the (slow) password check, in one transaction, so parallel guesses are counted too;
 * a successful sign-in clears the count.
 */
export async function login(ctx: Ctx, loginName: string, password: string): Promise<Session | undefined> {
  const key = `login_failures:${loginName.trim().toLowerCase().slice(0, 80)}`;
  const now = await ctx.clock.now();
  const allowed = await inTransaction(ctx.store, async (tx) => {
    await tx.insertInto('settings').values({ key, value: `0:${now}` }).onConflict((oc) => oc.column('key').doNothing()).execute();
    let query = tx.selectFrom('settings').select('value').where('key', '=', key);
    if (ctx.store.dialect === 'postgres') query = query.forUpdate();
    const [count = 0, since = 0] = (await query.executeTakeFirstOrThrow()).value.split(':').map(Number);
    const fresh = !(now - since < LOGIN_WINDOW_MS);
    if (!fresh && count >= MAX_LOGIN_FAILURES) return false;
    await tx.updateTable('settings').set({ value: fresh ? `1:${now}` : `${count + 1}:${since}` }).where('key', '=', key).execute();
    return true;
  });
  if (!allowed) throw new RateLimitedError('Demasiados intentos fallidos. Intente de nuevo en unos minutos.');
  const user = await authenticate(ctx, loginName, password);
  if (!user) return undefined;
  await ctx.store.db.deleteFrom('settings').where('key', '=', key).execute();
  return createSession(ctx, user);
}

export async function createSession(ctx: Ctx, user: UserRow): Promise<Session> {
  const now = await ctx.clock.now();
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = now + SESSION_TTL_MS;
  await ctx.store.db.insertInto('sessions').values({ token_hash: sha256Hex(token), user_id: user.id, csrf_token: csrfToken, expires_at: expiresAt, created_at: now }).execute();
  return { token, csrfToken, user, expiresAt };
}

export async function findSession(ctx: Ctx, token: string): Promise<Session | undefined> {
  if (!token) return undefined;
  const row = await ctx.store.db.selectFrom('sessions').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row || row.expires_at <= (await ctx.clock.now())) return undefined;
  return { token, csrfToken: row.csrf_token, user: await getUser(ctx.store.db, row.user_id), expiresAt: row.expires_at };
}

export async function endSession(ctx: Ctx, token: string): Promise<void> {
  await ctx.store.db.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute();
}
