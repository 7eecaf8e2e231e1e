// Why an intent cannot be claimed now, and who may not pay it: the refusals the use cases give
// after a guarded UPDATE found nothing to change.
import { refuse } from '../../kernel/refusals.ts';
import type { Tx } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { isTestUser, isTestUserId, type UserRow } from '../identity/index.ts';
import { accountFacts } from '../ledger/index.ts';
import { effectiveState, type IntentStateName, type IntentTransaction } from './model.ts';
import type { IntentRow } from './repo.ts';

export function refuseState(intent: IntentRow, state: IntentStateName): never {
  switch (state) {
    case 'executed':
      return refuse({ code: 'intent_executed' });
    case 'annulled':
      return refuse({ code: 'intent_annulled' });
    case 'rejected':
      return refuse({ code: 'intent_rejected' });
    case 'expired':
      return refuse({ code: 'intent_expired' });
    case 'created':
      return refuse({ code: intent.approved_at ? 'intent_not_payable' : 'intent_not_approved' });
  }
}

/** Why a payer's claim on this (freshly read) intent failed. */
export function refusePayerClaim(current: IntentRow, payer: UserRow, now: number): never {
  if (current.payer_user_id && current.payer_user_id !== payer.id) refuse({ code: 'intent_other_payer' });
  return refuseState(current, effectiveState(current.state, current.expires_at, now));
}

/** The payer may not pay an intent that credits the payer's own account, nor mix test and real users. */
export async function assertPayerMayPay(ctx: Ctx, tx: Tx, row: IntentRow, payer: UserRow): Promise<void> {
  if (payer.type === 'operator') refuse({ code: 'operator_cannot_pay' });
  if (payer.id === row.merchant_user_id) refuse({ code: 'own_intent' });
  const payerIsTest = isTestUser(payer);
  if (payerIsTest !== (await isTestUserId(ctx.store, tx, row.merchant_user_id))) refuse({ code: 'test_and_real_users' });
  for (const t of JSON.parse(row.transactions) as IntentTransaction[]) {
    const account = await accountFacts(ctx.store, tx, t.destinationAccountId!);
    if (account?.owner_user_id === payer.id) refuse({ code: 'own_account' });
    // Whoever the money reaches, not only the merchant who asked for it: a destination or a
    // distribution may be any wallet.
    const owners = [account?.owner_user_id];
    for (const d of t.distributions) if (d.accountId) owners.push((await accountFacts(ctx.store, tx, d.accountId))?.owner_user_id);
    for (const owner of owners) {
      if (owner && payerIsTest !== (await isTestUserId(ctx.store, tx, owner))) refuse({ code: 'test_and_real_users' });
    }
  }
}

/** Where a cancelled sale sends the buyer: the cancel URL naming the intent, so the shop knows which order was abandoned. */
export function cancelRedirect(row: Pick<IntentRow, 'id' | 'cancel_url'>): string {
  return withQuery(row.cancel_url, { paymentIntent: row.id });
}

export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}
