// What the buyer does: approve or reject a `sale` on the hosted page, pay a `request` in the
// wallet. Each claim is one guarded UPDATE, so two buyers cannot both take one intent.
import { newRowId } from '../../kernel/ids.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Tx } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { runCommand } from '../commands/index.ts';
import type { UserRow } from '../identity/index.ts';
import { nextPaymentRef } from '../payments/index.ts';
import { assertPayerMayPay, cancelRedirect, refusePayerClaim, withQuery } from './checks.ts';
import { executeInTx } from './execute.ts';
import { claimIntentForPayer, insertReturnCall } from './repo.ts';
import { intentRow } from './views.ts';
import { WALLET_MESSAGES } from '../wallets/index.ts';

/** The buyer approves a `sale` on the hosted page (or through the sandbox helper). */
/** `merchantUserId`: only that merchant's intent (another's is "not found"), checked by the claim itself. */
export async function approveSale(ctx: Ctx, intentId: string, payer: UserRow, merchantUserId?: string): Promise<{ returnUrl: string }> {
  return runCommand(ctx, undefined, async ({ tx, now, emit }) => {
    // The claim first: on the usual path its answer is the only read of the intent. A check
    // after it that refuses rolls the claim back with the transaction.
    const row =
      (await claimIntentForPayer(tx, intentId, payer.id, now, { payer_user_id: payer.id, approved_at: now }, 'sale', merchantUserId)) ??
      (await refuseApproval(ctx, tx, intentId, payer, now, merchantUserId));
    await assertPayerMayPay(ctx, tx, row, payer);
    emit({
      type: 'payment_intent.approved',
      objectId: intentId,
      ownerUserId: row.merchant_user_id,
      appId: row.app_id,
      payload: { id: intentId, payer_id: payer.id },
    });
    return { returnUrl: withQuery(row.return_url, { paymentIntent: intentId, payerId: payer.id }) };
  });
}

/** Why an approval's claim failed, refused in the order the checks are made. */
async function refuseApproval(ctx: Ctx, tx: Tx, intentId: string, payer: UserRow, now: number, merchantUserId?: string): Promise<never> {
  const row = await intentRow(tx, intentId);
  if (!row || (merchantUserId !== undefined && row.merchant_user_id !== merchantUserId))
    throw new NotFoundError(WALLET_MESSAGES.intentNotFound.es, 'wallets.intentNotFound');
  if (row.intent !== 'sale') refuse({ code: 'intent_wrong_type', operation: 'approve' });
  await assertPayerMayPay(ctx, tx, row, payer);
  return refusePayerClaim(row, payer, now);
}

export async function rejectIntent(ctx: Ctx, intentId: string, payer: UserRow): Promise<{ cancelUrl: string }> {
  return runCommand(ctx, undefined, async ({ tx, now, emit }) => {
    const row = await intentRow(tx, intentId);
    if (!row) throw new NotFoundError(WALLET_MESSAGES.intentNotFound.es, 'wallets.intentNotFound');
    // A request is addressed to one person: only they may decline it.
    if (row.intent === 'request' && row.recipient_user_id !== payer.id) refuse({ code: 'intent_for_other_user' });
    const claimed = await claimIntentForPayer(tx, intentId, payer.id, now, { state: 'rejected', rejected_at: now, payer_user_id: payer.id });
    if (!claimed) refusePayerClaim((await intentRow(tx, intentId))!, payer, now);
    emit({
      type: 'payment_intent.rejected',
      objectId: intentId,
      ownerUserId: row.merchant_user_id,
      appId: row.app_id,
      payload: { id: intentId, state: 'rejected' },
    });
    return { cancelUrl: cancelRedirect(row) };
  });
}

/**
 * The recipient pays a `request` in the wallet (today: the sandbox helper; later the wallet
 * page). The merchant's return_url is then called server-side, recorded in history_responses.
 */
export async function payRequestInWallet(ctx: Ctx, id: string, payer: UserRow): Promise<{ callId: string }> {
  const now = await ctx.clock.now();
  const ref = await nextPaymentRef(ctx.store.db, now);
  return runCommand(
    ctx,
    undefined,
    async (scope) => {
      const { tx } = scope;
      const row = await intentRow(tx, id);
      if (!row) throw new NotFoundError(WALLET_MESSAGES.intentNotFound.es, 'wallets.intentNotFound');
      if (row.intent !== 'request') refuse({ code: 'intent_wrong_type', operation: 'pay_in_wallet' });
      if (row.recipient_user_id !== payer.id) refuse({ code: 'intent_for_other_user' });
      await assertPayerMayPay(ctx, tx, row, payer);
      await executeInTx(ctx, scope, row, payer, { requireApproval: false, ref });
      const callId = newRowId();
      await insertReturnCall(tx, {
        id: callId,
        intent_id: id,
        uri: withQuery(row.return_url, { paymentIntent: id, payerId: payer.id }),
        state: 'pending',
        status_code: null,
        body: null,
        error: null,
        claimed_until: null,
        created_at: now,
        called_at: null,
      });
      return { callId };
    },
    now,
  );
}
