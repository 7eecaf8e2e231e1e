// What exists from the first start: the operator account.
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { hashSecret, randomToken } from '../../platform/secrets.ts';
import { claimSetting } from '../../store/settings.ts';
import { findUserByUsername, insertUser } from './repo.ts';

export const OPERATOR_USERNAME = 'operador';

/**
 * Create the operator on first start. Its password is PASARELA_OPERATOR_PASSWORD when set,
 * otherwise generated once and kept sealed so `pasarela demo` (sandbox) can show it.
 */
export async function ensureOperator(
  ctx: Ctx,
  passwordFromEnv = ctx.config.operatorPassword,
): Promise<{ username: string; password: string; created: boolean }> {
  const sealed = await claimSetting(ctx.store.db, 'operator_password', ctx.keys.seal(passwordFromEnv || randomToken(12)));
  const password = ctx.keys.open(sealed);
  const exists = await findUserByUsername(ctx.store.db, OPERATOR_USERNAME);
  if (exists) return { username: OPERATOR_USERNAME, password, created: false };
  const now = await ctx.clock.now();
  const created = await insertUser(
    ctx.store.db,
    {
      id: randomUUID(),
      type: 'operator',
      username: OPERATOR_USERNAME,
      email: 'operador@localhost',
      phone: null,
      identification: null,
      name: 'Operador de la plataforma',
      password_hash: await hashSecret(password, 'password'),
      pin_hash: null,
      pin_locked_at: null,
      test_site_id: null,
      created_at: now,
    },
    { ignoreExisting: true },
  );
  return { username: OPERATOR_USERNAME, password, created };
}
