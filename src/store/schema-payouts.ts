// Table types of bulk payouts (migration 005), added to the Database interface by module
// augmentation so schema.ts stays untouched.
import type { PayoutBatchState, PayoutItemState, PayoutType } from '../modules/payouts/index.ts';

export interface PayoutBatchesTable {
  id: string;
  owner_user_id: string;
  /** The OAuth app whose first item opened the batch. */
  app_id: string | null;
  currency: string;
  state: PayoutBatchState;
  item_count: number;
  /** Sum of the items' amounts (kept with every item added; rechecked on submit). */
  total_minor: number;
  /** Sum of the items' fees, fixed when the batch is submitted. */
  fee_minor: number;
  /** The merchant wallet debited on submit. */
  debit_account_id: string | null;
  /** The journal entry of the debit. */
  entry_id: string | null;
  created_at: number;
  submitted_at: number | null;
  settled_at: number | null;
}

export interface PayoutItemsTable {
  id: string;
  ref: string;
  batch_id: string;
  owner_user_id: string;
  app_id: string | null;
  type: PayoutType;
  reference: string;
  name_account: string;
  /** As the merchant sent it (echoed by the API, e.g. "j54637469"). */
  identification_number: string;
  /** Normalized (upper case, no separators): "J54637469". */
  identification: string;
  bank_account: string;
  bank_code: string;
  currency: string;
  amount_minor: number;
  fee_minor: number;
  state: PayoutItemState;
  settle_after: number | null;
  failure_reason: string | null;
  created_at: number;
  submitted_at: number | null;
  paid_at: number | null;
  failed_at: number | null;
}

declare module './schema.ts' {
  interface Database {
    payout_batches: PayoutBatchesTable;
    payout_items: PayoutItemsTable;
  }
}
