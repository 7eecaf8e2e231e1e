// Table type of ledger holds (migration 010), added to the Database interface by module
// augmentation like the other capabilities' tables.
import type { HoldState } from '../modules/ledger/index.ts';

export interface HoldsTable {
  id: string;
  /** What the hold is for (`card_authorization`, …); the commit's journal entry kind by default. */
  kind: string;
  description: string;
  /** The owning object (a card payment, a payout item), as journal entries name theirs. */
  reference_id: string | null;
  /** The account whose available balance the hold lowers (its `held_minor`). */
  debit_account_id: string;
  /** Where a commit sends the money unless the commit names its own credits. */
  credit_account_id: string;
  currency: string;
  amount_minor: number;
  state: HoldState;
  /** The amount committed (posted holds only); the rest was released. */
  posted_minor: number | null;
  /** The commit's journal entry (posted holds only). */
  entry_id: string | null;
  /** Deployment-clock instant after which a commit is refused and the expiry worker voids it. */
  expires_at: number | null;
  created_at: number;
  /** When it was posted or voided. */
  resolved_at: number | null;
}

declare module './schema.ts' {
  interface Database {
    holds: HoldsTable;
  }
}
