// The events of a payout item, as the merchant's webhooks receive them.
import { formatAmount, type Currency } from '../../kernel/money.ts';
import type { EventInput } from '../events/index.ts';
import type { PayoutItemState } from './model.ts';
import type { PayoutItemRow } from './repo.ts';

/**
 * `payout_item.created` when registered, `payout_item.updated` on every later state change
 * (payload `status` and `previous_status`). The object id is the item's `ref`, the identifier
 * the merchant got from register-item, so a notification's `data.id` is one it knows.
 */
export function itemEvent(item: PayoutItemRow, type: 'payout_item.created' | 'payout_item.updated', previousStatus?: PayoutItemState): EventInput {
  const currency = item.currency as Currency;
  return {
    type,
    objectId: item.ref,
    ownerUserId: item.owner_user_id,
    appId: item.app_id,
    payload: {
      ref: item.ref,
      type: item.type,
      status: item.state,
      ...(previousStatus ? { previous_status: previousStatus } : {}),
      reference: item.reference,
      identification_number: item.identification_number,
      bank_code: item.bank_code,
      bank_account: `${item.bank_account.slice(0, 4)}${'*'.repeat(12)}${item.bank_account.slice(-4)}`,
      amount: formatAmount(item.amount_minor, currency),
      fee: formatAmount(item.fee_minor, currency),
      currency: { id: currency },
      batch_id: item.batch_id,
      ...(item.failure_reason ? { failure_reason: item.failure_reason } : {}),
    },
  };
}
