// Tables of payment intents, payments and return-url calls (migration 003).

export interface SequencesTable {
  name: string;
  value: number;
}

export type IntentKind = 'sale' | 'request';
export type IntentState = 'created' | 'executed' | 'annulled' | 'rejected' | 'expired';

export interface PaymentIntentsTable {
  id: string;
  app_id: string;
  merchant_user_id: string;
  intent: IntentKind;
  state: IntentState;
  currency: string;
  amount_minor: number;
  return_url: string;
  cancel_url: string;
  /** JSON of the normalized transactions (amounts in minor units). */
  transactions: string;
  /** JSON of the transactions without items and distributions: what a list page shows (migration 013). */
  summary: string;
  recipient_user_id: string | null;
  payer_user_id: string | null;
  approved_at: number | null;
  executed_at: number | null;
  annulled_at: number | null;
  rejected_at: number | null;
  expires_at: number;
  payment_id: string | null;
  created_at: number;
}

export interface PaymentsTable {
  id: string;
  ref: string;
  kind: 'sale' | 'request' | 'transfer';
  state: 'finished' | 'waiting' | 'canceled';
  payer_user_id: string;
  recipient_user_id: string;
  merchant_user_id: string | null;
  app_id: string | null;
  intent_id: string | null;
  source_account_id: string;
  currency: string;
  amount_minor: number;
  fee_minor: number;
  description: string;
  entry_id: string;
  reversal_entry_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ReturnUrlCallsTable {
  id: string;
  intent_id: string;
  uri: string;
  state: 'pending' | 'done';
  status_code: number | null;
  body: string | null;
  error: string | null;
  claimed_until: number | null;
  created_at: number;
  called_at: number | null;
}

declare module './schema.ts' {
  interface Database {
    sequences: SequencesTable;
    payment_intents: PaymentIntentsTable;
    payments: PaymentsTable;
    return_url_calls: ReturnUrlCallsTable;
  }
}
