// The Point model: intent states and which of them keep a terminal busy, the shapes an intent
// and a device take (the Point integration API's own words), and the sandbox simulator's
// outcomes by amount.
import { randomInt } from 'node:crypto';
import type { OperatingMode, PointIntentState } from '../../store/schema-point.ts';
import type { DeviceRow, IntentEventRow, IntentRow } from './repo.ts';
import { iso } from '../../kernel/instants.ts';

export type { OperatingMode, PointIntentState };
export const OPERATING_MODES: readonly OperatingMode[] = ['PDV', 'STANDALONE'];

/** States in which the intent is still the terminal's current work: one at a time per terminal. */
export const ACTIVE_STATES: readonly PointIntentState[] = ['OPEN', 'ON_TERMINAL', 'PROCESSING'];

export interface PaymentOptions {
  installments: number;
  type: string;
  installments_cost: string;
}

export interface AdditionalInfo {
  external_reference?: string;
  print_on_terminal?: boolean;
  ticket_number?: string;
}

/** An intent as every reader sees it (integration API, device API, webhook payload). */
export interface PointIntent {
  id: string;
  deviceId: string;
  ownerUserId: string;
  appId: string;
  state: PointIntentState;
  currency: string;
  amountMinor: number;
  description: string | null;
  payment: PaymentOptions & { id: number | null; state: string | null; paymentType: string | null };
  additionalInfo: AdditionalInfo;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}

export function intentOf(row: IntentRow): PointIntent {
  return {
    id: row.id,
    deviceId: row.device_id,
    ownerUserId: row.owner_user_id,
    appId: row.app_id,
    state: row.state,
    currency: row.currency,
    amountMinor: Number(row.amount_minor),
    description: row.description,
    payment: {
      ...(JSON.parse(row.payment_options) as PaymentOptions),
      id: row.payment_id === null ? null : Number(row.payment_id),
      state: row.payment_state,
      paymentType: row.payment_type,
    },
    additionalInfo: JSON.parse(row.additional_info) as AdditionalInfo,
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface PointIntentEvent {
  intentId: string;
  state: PointIntentState;
  createdAt: number;
}

export function intentEventOf(row: IntentEventRow): PointIntentEvent {
  return { intentId: row.intent_id, state: row.state, createdAt: Number(row.created_at) };
}

/** What an intent's events carry: the intent in the Point notification's shape (webhooks/model.ts). */
export function notificationPayload(intent: PointIntent, clientId: string): Record<string, unknown> {
  return {
    amount: intent.amountMinor,
    caller_id: intent.ownerUserId,
    client_id: clientId,
    created_at: iso(intent.createdAt),
    id: intent.id,
    device_id: intent.deviceId,
    payment: { id: intent.payment.id, state: intent.payment.state, type: intent.payment.paymentType },
    state: intent.state,
    additional_info: intent.additionalInfo,
  };
}

export interface PointDevice {
  id: string;
  model: string;
  status: DeviceRow['status'];
  operatingMode: OperatingMode;
  ownerUserId: string | null;
  tillId: string | null;
  storeId: string | null;
  externalPosId: string | null;
  linkedAt: number | null;
}

/**
 * The provider's simulator decides by amount: 1100.00 reversed, 1200.00 rejected, 1300.00 an
 * error at the terminal; any other amount goes to the card's own outcome (APRO, FUND, …).
 */
export function simulatedOutcome(amountMinor: number, minorPerUnit: number): 'reversed' | 'rejected' | 'error' | undefined {
  if (amountMinor === 1100 * minorPerUnit) return 'reversed';
  if (amountMinor === 1200 * minorPerUnit) return 'rejected';
  if (amountMinor === 1300 * minorPerUnit) return 'error';
  return undefined;
}

/** A terminal model's name (PAX_A910): capitals and digits in words joined by _. */
export const DEVICE_MODEL = /^[A-Z0-9]+(?:_[A-Z0-9]+)*$/;

/** The model of the terminals Pasarela simulates (the sandbox's virtual terminal, the demo's). */
export const VIRTUAL_MODEL = 'PASARELA_VIRTUAL';

/** A new device id as the provider's: MODEL__SERIAL (PAX_A910__SMARTPOS1495357742). */
export function newDeviceId(model: string): string {
  return `${model}__SMARTPOS${String(randomInt(1_000_000_000, 10_000_000_000))}`;
}
