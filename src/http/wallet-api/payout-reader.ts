// Reads the wallet API's `multi_payment_item` form (and the `type` query) into the payouts
// module's typed item (the module's checkItemFields, shared with the console's CSV upload), and
// presents a registered item as the contract's answer.
import type { PayoutItemRow } from '../../modules/payouts/index.ts';

export { checkItemFields } from '../../modules/payouts/index.ts';

/** The contract's answer to register-item. */
export function registeredItemWire(item: PayoutItemRow) {
  return { ref: item.ref, identification_number: item.identification_number, status: item.state };
}
