// Table types of the POS terminals (migration 020), added to the Database interface by module
// augmentation like the other capabilities' tables.

export type PointDeviceStatus = 'pending' | 'linked' | 'unlinked';
export type OperatingMode = 'PDV' | 'STANDALONE';
export type PointIntentState = 'OPEN' | 'ON_TERMINAL' | 'PROCESSING' | 'PROCESSED' | 'FINISHED' | 'CANCELED' | 'ABANDONED' | 'ERROR' | 'CONFIRMATION_REQUIRED';

export interface PointStoresTable {
  id: string;
  owner_user_id: string;
  name: string;
  external_id: string | null;
  created_at: number;
}

export interface PointTillsTable {
  id: string;
  store_id: string;
  owner_user_id: string;
  name: string;
  external_pos_id: string;
  created_at: number;
}

export interface PointDevicesTable {
  id: string;
  model: string;
  status: PointDeviceStatus;
  operating_mode: OperatingMode;
  owner_user_id: string | null;
  till_id: string | null;
  pairing_code: string | null;
  pairing_secret_hash: string | null;
  pairing_expires_at: number | null;
  credential_hash: string | null;
  open_intent_id: string | null;
  linked_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PointIntentsTable {
  id: string;
  device_id: string;
  owner_user_id: string;
  app_id: string;
  state: PointIntentState;
  currency: string;
  amount_minor: number;
  description: string | null;
  payment_options: string;
  additional_info: string;
  payment_id: number | null;
  payment_state: string | null;
  payment_type: string | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

export interface PointIntentEventsTable {
  intent_id: string;
  seq: number;
  owner_user_id: string;
  state: PointIntentState;
  created_at: number;
}

declare module './schema.ts' {
  interface Database {
    point_stores: PointStoresTable;
    point_tills: PointTillsTable;
    point_devices: PointDevicesTable;
    point_intents: PointIntentsTable;
    point_intent_events: PointIntentEventsTable;
  }
}
