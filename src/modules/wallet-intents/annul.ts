// `cancel.json`: the merchant annuls an executed intent within 24 h; the payment is canceled
// and every posting of its entry reversed, in the transaction that claims the intent.
import { newRowId } from '../../kernel/ids.ts';
import { isRefused, refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { runCommand, type CommandOptions } from '../commands/index.ts';
import { findEntryPostings, postEntry } from '../ledger/index.ts';
import { cancelPayment, getPayment } from '../payments/index.ts';
import { ANNUL_WINDOW_MS } from './model.ts';
import { claimIntentAnnulment } from './repo.ts';
import { intentsOf, merchantIntentRow, type Intent } from './views.ts';

/** `cancel.json`: annul an executed intent within 24 h; every posting is reversed. */
export async function annulIntent(ctx: Ctx, merchantUserId: string, id: string, options?: CommandOptions<Intent>): Promise<Intent> {
  return runCommand(ctx, options, async (scope) => {
    const { tx, now, emit } = scope;
    // The claim answers the row after it, so with the payment of an execution that committed
    // while the claim waited for the row's lock (PostgreSQL).
    const row = await claimIntentAnnulment(tx, merchantUserId, id, now, now - ANNUL_WINDOW_MS);
    if (!row) {
      const current = await merchantIntentRow(tx, merchantUserId, id);
      if (current.state === 'annulled') refuse({ code: 'already_annulled' });
      if (current.state === 'executed') refuse({ code: 'annul_window_passed' });
      return refuse({ code: 'not_executed' });
    }
    const payment = await getPayment(tx, row.payment_id!);
    const original = await findEntryPostings(tx, payment.entry_id);
    const reversalId = newRowId();
    await cancelPayment(tx, payment.id, reversalId, now);
    emit({ type: 'payment_intent.annulled', objectId: id, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id, state: 'annulled' } });
    emit({
      type: 'payment.updated',
      objectId: payment.id,
      ownerUserId: row.merchant_user_id,
      appId: row.app_id,
      payload: { id: payment.id, status: 'canceled' },
    });
    try {
      await postEntry(scope, {
        id: reversalId,
        kind: 'annulment',
        description: `Anulación ${payment.ref}`,
        referenceId: row.id,
        postings: original.map((p) => ({ accountId: p.account_id, currency: p.currency, amountMinor: -p.amount_minor })),
        now,
      });
    } catch (error) {
      if (isRefused(error, 'insufficient_funds')) refuse({ code: 'funds_moved' });
      throw error;
    }
    // The answer from the row in hand; the payer, the payment's ref and any return-url calls
    // are read for it in three statements.
    return (await intentsOf(tx, [row], now))[0]!;
  });
}
