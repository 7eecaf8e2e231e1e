// The Point family's wire: intents with integer minor-unit amounts, devices and intent events,
// as the Point integration API (and the official SDK's Point client) spell them. The device
// API reuses the intent's shape and adds what a terminal screen shows.
import { formatAmount, type Currency } from '../../kernel/money.ts';
import type { PointDevice, PointIntent, PointIntentEvent } from '../../modules/point/index.ts';
import { iso } from '../../kernel/instants.ts';

export function intentWire(intent: PointIntent) {
  return {
    id: intent.id,
    device_id: intent.deviceId,
    amount: intent.amountMinor,
    description: intent.description,
    payment: {
      installments: intent.payment.installments,
      type: intent.payment.type,
      installments_cost: intent.payment.installments_cost,
      id: intent.payment.id,
      state: intent.payment.state,
    },
    additional_info: intent.additionalInfo,
    state: intent.state,
  };
}

/** What a terminal shows: the intent, its amount as text in its currency, and until when it waits. */
export function terminalIntentWire(intent: PointIntent) {
  return {
    ...intentWire(intent),
    currency_id: intent.currency,
    amount_text: formatAmount(intent.amountMinor, intent.currency as Currency),
    expires_at: iso(intent.expiresAt),
  };
}

export function deviceWire(device: PointDevice) {
  return {
    id: device.id,
    operating_mode: device.operatingMode,
    pos_id: device.tillId,
    store_id: device.storeId,
    external_pos_id: device.externalPosId,
  };
}

export function eventWire(event: PointIntentEvent) {
  return { payment_intent_id: event.intentId, status: event.state, created_on: iso(event.createdAt) };
}
