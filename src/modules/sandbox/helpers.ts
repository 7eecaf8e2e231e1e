// What the sandbox helpers may do with a merchant's token. A sandbox is often shared (one
// deployment for many merchants' tests), so a token acts as a buyer only for *test users*
// (users.is_test: the demo buyers, set only by the sandbox's own seeding) and funds only test
// users' wallets or the merchant's own; a real person's wallet is never approved with or funded.
import { NotFoundError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { findUserByReference, getUser, type UserRow } from '../identity/index.ts';
import { fundWallet, WALLET_MESSAGES, type WalletView } from '../wallets/index.ts';

/** The payer a sandbox helper acts as (username, phone or identification): a test user only. */
export async function testPayer(ctx: Ctx, reference: string): Promise<UserRow> {
  const user = await findUserByReference(ctx.store.db, reference);
  if (!user) throw new NotFoundError(WALLET_MESSAGES.payerUnknown.es, 'wallets.payerUnknown');
  if (Number(user.is_test) !== 1) refuse({ code: 'test_user_required' });
  return user;
}

/** Test money for a test user's wallet, or for the calling merchant's own. */
export function fundAsMerchant(ctx: Ctx, merchantUserId: string, input: { account: unknown; amount: unknown; currency?: unknown }): Promise<WalletView> {
  return fundWallet(ctx, input, async (tx, ownerUserId) => {
    if (ownerUserId === merchantUserId) return;
    if (Number((await getUser(tx, ownerUserId)).is_test) !== 1) refuse({ code: 'test_user_required' });
  });
}

/** Test money a test user adds to their own wallet from the console (sandbox only). */
export async function fundOwnTestWallet(ctx: Ctx, userId: string, input: { amount?: unknown; currency?: unknown }): Promise<WalletView> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  const user = await getUser(ctx.store.db, userId);
  if (Number(user.is_test) !== 1) refuse({ code: 'test_user_required' });
  return fundWallet(ctx, { account: user.username, amount: input.amount, currency: input.currency }, async (_tx, ownerUserId) => {
    if (ownerUserId !== userId) refuse({ code: 'test_user_required' });
  });
}
