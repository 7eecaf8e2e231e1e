// "¿Olvidó su contraseña?": a single-use link, valid PASSWORD_RESET_TTL_MS, to set a new password.
// The request answers the same whether the account exists or not, and at once: the mail goes out
// after the answer (a slow or broken mail server neither delays nor fails it, so neither tells
// who has an account). The link goes by mail to the account's address (SMTP_URL). A sandbox
// without a mail server shows it on screen instead, for test accounts only (the demo buyers and
// test users): a sandbox is often shared, and must not hand a merchant's link to whoever asks.
// Setting the new password ends every session of the account and every other link. Requests
// are limited per client address (too_many_attempts) and per account (the extra ones send nothing).
import { ValidationError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { hashSecret, randomToken, sha256Hex } from '../../platform/secrets.ts';
import { inTransaction } from '../../store/db.ts';
import { overQuota, pruneWindows } from '../../store/rate-limits.ts';
import { IDENTITY_MESSAGES, newPasswordProblems } from './rules.ts';
import { signInSource } from './sign-in-limits.ts';
import { findUserByReference } from './users.ts';
import {
  claimPasswordReset,
  deleteExpiredPasswordResets,
  deleteSessionsOfUser,
  insertPasswordReset,
  setPasswordHash,
  usePasswordResetsOf,
} from './password-reset-repo.ts';

export const PASSWORD_RESET_TTL_MS = 30 * 60 * 1000;
const WINDOW_MS = 60 * 60 * 1000;
/** Requests per client address and hour. */
const MAX_PER_SOURCE = 10;
/** Links sent per account and hour. */
const MAX_PER_ACCOUNT = 3;
const QUOTA_PREFIX = 'reset:';

export interface ResetRequested {
  /** A sandbox without a mail server only: the link, to show on screen. */
  link?: string;
}

function resetLink(ctx: Ctx, token: string): string {
  return `${ctx.config.publicUrl}/console/reset-password?token=${encodeURIComponent(token)}`;
}

function mailText(link: string): string {
  return [
    'Recibimos una solicitud para restablecer la contraseña de su cuenta Pasarela.',
    `Abra este enlace en los próximos 30 minutos para elegir una nueva: ${link}`,
    'Si no la pidió usted, ignore este mensaje: su contraseña no cambia.',
    '',
    'We received a request to reset the password of your Pasarela account.',
    `Open this link within 30 minutes to choose a new one: ${link}`,
    'If you did not ask for it, ignore this message: your password does not change.',
  ].join('\n');
}

export async function requestPasswordReset(ctx: Ctx, login: unknown, source: string | undefined): Promise<ResetRequested> {
  if (typeof login !== 'string' || !login.trim()) throw new ValidationError([{ path: ['login'], message: IDENTITY_MESSAGES.login.es, code: 'identity.login' }]);
  const onScreen = ctx.config.environment === 'sandbox' && !ctx.mailer.configured;
  if (!onScreen && !ctx.mailer.configured) refuse({ code: 'mail_unavailable' });
  const now = await ctx.clock.now();
  const retryAfterSeconds = await overQuota(ctx.store.db, `${QUOTA_PREFIX}src:${signInSource(source)}`, MAX_PER_SOURCE, WINDOW_MS, now);
  if (retryAfterSeconds !== undefined) refuse({ code: 'too_many_attempts', retryAfterSeconds });
  const user = await findUserByReference(ctx.store.db, login.trim());
  if (!user || user.type === 'operator') return {};
  if ((await overQuota(ctx.store.db, `${QUOTA_PREFIX}user:${user.id}`, MAX_PER_ACCOUNT, WINDOW_MS, now)) !== undefined) return {};
  const token = randomToken(32);
  await insertPasswordReset(ctx.store.db, {
    token_hash: sha256Hex(token),
    user_id: user.id,
    expires_at: now + PASSWORD_RESET_TTL_MS,
    used_at: null,
    created_at: now,
  });
  const link = resetLink(ctx, token);
  if (onScreen) {
    if (user.is_test === 1) return { link };
    process.stderr.write(
      `${JSON.stringify({ level: 40, time: Date.now(), msg: 'password reset link not sent: no mail server (SMTP_URL)', userId: user.id })}\n`,
    );
    return {};
  }
  ctx.mailer.send({ to: user.email, subject: 'Restablecer su contraseña · Reset your password', text: mailText(link) }).catch((error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: 'password reset mail not sent', err: String(error) })}\n`);
  });
  return {};
}

/** Set the new password with a link: used once, in the transaction that changes the password. */
export async function resetPassword(ctx: Ctx, token: unknown, password: unknown): Promise<void> {
  const problems = newPasswordProblems(password);
  if (problems.length) throw new ValidationError(problems);
  const hash = await hashSecret(password as string, 'password');
  const now = await ctx.clock.now();
  const done = await inTransaction(ctx.store, async (tx) => {
    const claimed = typeof token === 'string' && token ? await claimPasswordReset(tx, sha256Hex(token), now) : undefined;
    if (!claimed) return false;
    await setPasswordHash(tx, claimed.user_id, hash);
    await deleteSessionsOfUser(tx, claimed.user_id);
    await usePasswordResetsOf(tx, claimed.user_id, now);
    return true;
  });
  if (!done) refuse({ code: 'reset_link_invalid' });
}

/** One retention batch: links past their time (a day after, used or not) and ended quota windows. */
export async function pruneExpiredPasswordResets(ctx: Ctx, limit: number): Promise<number> {
  const now = await ctx.clock.now();
  return (
    (await deleteExpiredPasswordResets(ctx.store.db, now - 24 * 3600 * 1000, limit)) + (await pruneWindows(ctx.store.db, QUOTA_PREFIX, now - WINDOW_MS, limit))
  );
}
