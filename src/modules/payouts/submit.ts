// Submit a batch (console): one debit of the wallet for items + fees, every item PROCESSING.
import { InvariantError } from '../../kernel/errors.ts';
import { sumMinor, type Currency } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { runCommand } from '../commands/index.ts';
import { feeFor } from '../fees/index.ts';
import type { Posting } from '../ledger/index.ts';
import { postEntry, SYSTEM_ACCOUNTS, systemAccount, walletAccount } from '../ledger/index.ts';
import { itemEvent } from './item-events.ts';
import { itemTransition, PAYOUT_TYPES, settleAfter } from './model.ts';
import { claimBatchForSubmit, findItemsOfBatch, recordBatchDebit, submitItemsOfType } from './repo.ts';
import { feeRules, findBatch, getPayoutBatch, type PayoutBatchView } from './views.ts';

/**
 * Submit the merchant's batch: one transaction moves it to `submitted` with a guarded UPDATE
 * (only from pending_upload), fixes each item's fee with today's schedule, debits the wallet
 * for items + fees, and moves every item to PROCESSING. Insufficient funds → 400 and nothing
 * changes; a second submit (even a concurrent one) is refused, never charged.
 */
export async function submitPayoutBatch(ctx: Ctx, ownerUserId: string, batchId: string): Promise<PayoutBatchView> {
  const now = await ctx.clock.now();
  await runCommand(ctx, undefined, async (scope) => {
    const { tx, emit } = scope;
    const claimed = await claimBatchForSubmit(tx, batchId, ownerUserId, now);
    if (!claimed) {
      await findBatch(tx, batchId, ownerUserId); // 404 for an unknown or foreign batch
      refuse({ code: 'batch_already_submitted' });
    }
    const currency = claimed.currency as Currency;
    const items = await findItemsOfBatch(tx, batchId);
    if (items.length === 0) refuse({ code: 'batch_empty' });
    if (items.some((i) => i.state !== 'APPROVED') || items.length !== claimed.item_count) {
      throw new InvariantError(`payout batch ${batchId}: ${items.length} items, ${claimed.item_count} counted`);
    }
    const rules = await feeRules(tx, currency);
    const fees = items.map((item) => feeFor(item.amount_minor, rules[item.type]));
    const totalMinor = sumMinor(items.map((item) => item.amount_minor));
    const feeMinor = sumMinor(fees);
    if (totalMinor !== claimed.total_minor) throw new InvariantError(`payout batch ${batchId}: items sum ${totalMinor}, batch total ${claimed.total_minor}`);

    // Fail fast on an obviously short wallet; postEntry's guarded UPDATE below is the real check.
    const wallet = await walletAccount(tx, ownerUserId, currency, now);
    if (wallet.balance_minor - wallet.held_minor < totalMinor + feeMinor) refuse({ code: 'insufficient_funds' });

    // Items first (the batch row is already ours), one UPDATE per type with the fee computed in
    // SQL by the same integer formula as feeFor; every fee is then checked against feeFor.
    for (const type of PAYOUT_TYPES) {
      if (!items.some((item) => item.type === type)) continue;
      const next = itemTransition('APPROVED', 'submit');
      if (next.kind !== 'apply') throw new InvariantError('APPROVED items cannot be submitted');
      await submitItemsOfType(tx, batchId, type, { to: next.to, rule: rules[type], now, settleAfter: settleAfter(type, now) });
    }
    const submitted = await findItemsOfBatch(tx, batchId);
    for (const [i, item] of submitted.entries()) {
      if (item.id !== items[i]!.id || item.state !== 'PROCESSING' || Number(item.fee_minor) !== fees[i]) {
        throw new InvariantError(`payout item ${item.ref}: ${item.state}, fee ${item.fee_minor} (expected PROCESSING, ${fees[i]})`);
      }
      emit(itemEvent(item, 'payout_item.updated', 'APPROVED'));
    }

    // The ledger last: the shared accounts (payout clearing, platform fees) stay locked only for
    // the end of the transaction.
    const clearing = await systemAccount(tx, SYSTEM_ACCOUNTS.payoutClearing, currency, now);
    const postings: Posting[] = [
      { accountId: wallet.id, currency, amountMinor: -totalMinor },
      { accountId: clearing.id, currency, amountMinor: totalMinor },
    ];
    if (feeMinor > 0) {
      const platformFees = await systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, currency, now);
      postings.push({ accountId: wallet.id, currency, amountMinor: -feeMinor }, { accountId: platformFees.id, currency, amountMinor: feeMinor });
    }
    const entryId = await postEntry(scope, {
      kind: 'payout_batch',
      description: `Dispersión: lote de ${items.length} pago${items.length === 1 ? '' : 's'}`,
      referenceId: batchId,
      postings,
      now,
    });
    await recordBatchDebit(tx, batchId, { feeMinor, debitAccountId: wallet.id, entryId });
  });
  return getPayoutBatch(ctx, batchId, ownerUserId);
}
