// Refunds of a captured card payment, full or partial, never beyond what is left: the payment
// row is locked for the whole command, so concurrent refunds are summed one after another (and
// the table's check backs it). The fee goes back in proportion to the running total refunded
// (not to each part: the floors of the parts' shares would leave more fee for the last part
// than the part itself), so a payment refunded in parts returns exactly its fee and no refund
// returns more fee than its amount. A refund is one ledger entry: the collector's wallet and
// the fee account back to card clearing.
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import { parseAmount, shareOf, type Currency } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import { newRowId } from '../../kernel/ids.ts';
import type { Ctx } from '../../platform/context.ts';
import { nextSequence } from '../../store/sequences.ts';
import type { AuthContext } from '../apps/index.ts';
import { runCommand, type CommandOptions } from '../commands/index.ts';
import { findEntryPostings, postEntry, SYSTEM_ACCOUNTS, systemAccountId, type Posting } from '../ledger/index.ts';
import { eventPayload, lockOwnCardPayment, type CardPayment } from './payments.ts';
import { askProcessor } from './processor.ts';
import { findCardPayment, findCardRefunds, insertCardRefund, updateCardPayment, type CardRefundRow } from './repo.ts';

export const CARD_REFUND_ID_BASE = 2_000_000_000;

export interface CardRefund {
  row: CardRefundRow;
  currency: Currency;
}

export async function refundCardPayment(
  ctx: Ctx,
  auth: AuthContext,
  paymentId: number,
  amount: unknown,
  options?: CommandOptions<CardRefund>,
): Promise<CardRefund> {
  const id = CARD_REFUND_ID_BASE + (await nextSequence(ctx.store.db, 'card_refund'));
  return runCommand(ctx, options, async (scope) => {
    const { tx, now, emit } = scope;
    const payment = await lockOwnCardPayment(ctx, scope, auth.user.id, paymentId);
    const currency = payment.currency as Currency;
    if (payment.status !== 'approved' || !payment.entry_id) refuse({ code: 'card_payment_state', action: 'refund' });
    const left = payment.captured_minor - payment.refunded_minor;
    const amountMinor = amount === undefined ? left : parseAmount(amount, currency, { path: ['amount'] });
    if (amountMinor > left) refuse({ code: 'card_amount_exceeded', action: 'refund', field: ['amount'] });
    const refunded = payment.refunded_minor + amountMinor;
    const feeBack = shareOf(payment.fee_minor, refunded, payment.captured_minor) - payment.fee_refunded_minor;
    const clearing = await systemAccountId(ctx.store, tx, SYSTEM_ACCOUNTS.cardClearing, currency, now);
    const fees = await systemAccountId(ctx.store, tx, SYSTEM_ACCOUNTS.platformFees, currency, now);
    const fromCollector: Posting[] = [];
    if (amountMinor > feeBack) {
      // The collector's account is the one the capture credited (none when the fee took it all).
      const credited = (await findEntryPostings(tx, payment.entry_id)).find((p) => p.amount_minor > 0 && p.account_id !== fees);
      if (!credited) throw new InvariantError(`card payment ${paymentId}: the account its capture credited is missing`);
      fromCollector.push({ accountId: credited.account_id, currency, amountMinor: -(amountMinor - feeBack) });
    }
    const full = refunded === payment.captured_minor;
    const row: CardRefundRow = { id, payment_id: paymentId, amount_minor: amountMinor, fee_back_minor: feeBack, entry_id: newRowId(), created_at: now };
    await insertCardRefund(tx, row);
    await updateCardPayment(tx, paymentId, {
      refunded_minor: refunded,
      fee_refunded_minor: payment.fee_refunded_minor + feeBack,
      ...(full ? { status: 'refunded', status_detail: 'refunded' } : { status_detail: 'partially_refunded' }),
      updated_at: now,
    });
    emit({
      type: 'refund.created',
      objectId: String(id),
      ownerUserId: payment.collector_user_id,
      appId: payment.app_id,
      // The payment's notification_url hears of its refunds too.
      payload: { id, payment_id: paymentId, amount_minor: amountMinor, ...(payment.notification_url ? { notification_url: payment.notification_url } : {}) },
    });
    emit({
      type: 'payment.updated',
      objectId: String(paymentId),
      ownerUserId: payment.collector_user_id,
      appId: payment.app_id,
      payload: eventPayload({
        ...payment,
        status: full ? 'refunded' : payment.status,
        status_detail: full ? 'refunded' : 'partially_refunded',
      }),
    });
    await postEntry(scope, {
      id: row.entry_id,
      kind: 'card_refund',
      description: `Devolución del pago ${paymentId}`,
      referenceId: String(paymentId),
      postings: [...fromCollector, { accountId: fees, currency, amountMinor: -feeBack }, { accountId: clearing, currency, amountMinor }].filter(
        (p) => p.amountMinor !== 0,
      ),
      now,
    });
    // Last: every check of ours has passed (the ledger's funds and range checks included), so a
    // refund the processor makes is one this transaction commits; a decline rolls it all back.
    await askProcessor(ctx, 'refund', (processor) => processor.refund(String(paymentId), String(id), amountMinor));
    return { row, currency };
  });
}

export async function listCardRefunds(ctx: Ctx, collectorUserId: string, paymentId: number): Promise<{ payment: CardPayment; refunds: CardRefund[] }> {
  const row = await findCardPayment(ctx.store.db, paymentId, collectorUserId);
  if (!row) throw new NotFoundError('El pago no existe.');
  const currency = row.currency as Currency;
  return { payment: { row, currency }, refunds: (await findCardRefunds(ctx.store.db, paymentId)).map((r) => ({ row: r, currency })) };
}

export async function getCardRefund(ctx: Ctx, collectorUserId: string, paymentId: number, refundId: number): Promise<CardRefund> {
  const { refunds } = await listCardRefunds(ctx, collectorUserId, paymentId);
  const found = refunds.find((r) => r.row.id === refundId);
  if (!found) throw new NotFoundError('La devolución no existe.');
  return found;
}
