// Table types of the card family (migration 014), added to the Database interface by module
// augmentation like the other capabilities' tables.

export type CardTokenStatus = 'active' | 'used' | 'expired';

export interface CardTokensTable {
  id: string;
  app_id: string;
  live_mode: number;
  payment_method_id: string;
  payment_type_id: string;
  first_six_digits: string;
  last_four_digits: string;
  card_number_length: number;
  security_code_length: number;
  /** The card number, sealed (AES-256-GCM) under the key `key_id` names; erased once the token is used or expires. */
  number_sealed: string | null;
  /** The security code, sealed; erased once the token is used or expires. */
  security_code_sealed: string | null;
  key_id: string;
  expiration_month: number;
  expiration_year: number;
  cardholder_name: string;
  identification_type: string | null;
  identification_number: string | null;
  status: CardTokenStatus;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface CardPaymentsTable {
  id: number;
  app_id: string;
  collector_user_id: string;
  live_mode: number;
  status: string;
  status_detail: string;
  currency: string;
  amount_minor: number;
  captured_minor: number;
  refunded_minor: number;
  fee_minor: number;
  fee_refunded_minor: number;
  payment_method_id: string;
  payment_type_id: string;
  installments: number;
  description: string;
  external_reference: string | null;
  notification_url: string | null;
  statement_descriptor: string | null;
  /** JSON object, as sent. */
  metadata: string;
  /** JSON of the payer as sent (email, identification, type, id). */
  payer: string;
  /** JSON of the card as shown (first six, last four, expiry, cardholder): never the number. */
  card: string;
  token_id: string;
  hold_id: string | null;
  entry_id: string | null;
  /** JSON of where a POS terminal took the payment (device, store, till); null for online payments. */
  point_of_interaction: string | null;
  created_at: number;
  approved_at: number | null;
  updated_at: number;
}

export interface CardRefundsTable {
  id: number;
  payment_id: number;
  amount_minor: number;
  fee_back_minor: number;
  entry_id: string;
  created_at: number;
}

export interface CustomersTable {
  id: string;
  owner_user_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  /** JSON {area_code, number}. */
  phone: string;
  /** JSON {type, number}. */
  identification: string;
  description: string | null;
  metadata: string;
  default_card_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface CustomerCardsTable {
  id: string;
  customer_id: string;
  owner_user_id: string;
  payment_method_id: string;
  payment_type_id: string;
  first_six_digits: string;
  last_four_digits: string;
  card_number_length: number;
  security_code_length: number;
  number_sealed: string;
  key_id: string;
  expiration_month: number;
  expiration_year: number;
  cardholder_name: string;
  identification_type: string | null;
  identification_number: string | null;
  created_at: number;
  updated_at: number;
}

declare module './schema.ts' {
  interface Database {
    card_tokens: CardTokensTable;
    card_payments: CardPaymentsTable;
    card_refunds: CardRefundsTable;
    customers: CustomersTable;
    customer_cards: CustomerCardsTable;
  }
}
