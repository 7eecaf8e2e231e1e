// `pasarela trigger <event-type>` with real sandbox objects: the event comes from the real flow
// (a sale created, approved by a demo buyer, executed, annulled…), so its data.id is an object
// the app can fetch through the wallet API, and the events before it in the flow are sent too
// — as a real integration would see them. Families with no such flow here yet (card refunds,
// POS intents, credential renewals, payout settlement) get the webhooks module's sample event.
import { randomUUID } from 'node:crypto';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { AppRow } from '../apps/index.ts';
import { isEventType } from '../events/index.ts';
import { getUser, type UserRow } from '../identity/index.ts';
import { annulIntent, approveSale, createIntent, executeSale, expireIntents, rejectIntent, type Intent, type IntentForm } from '../wallet-intents/index.ts';
import { triggerEvent, type TriggerOptions } from '../webhooks/index.ts';
import { ensureDemo } from './demo.ts';

export interface Triggered {
  type: string;
  objectId: string;
  /** The wallet API path that answers the object (absent for a sample event). */
  fetchPath?: string;
  /** The outbox event id of a sample event (a real flow's events are the flow's own). */
  eventId?: string;
}

const AMOUNT_MINOR = 150_50;

function saleForm(): IntentForm {
  return {
    intent: 'sale',
    // Where the checkout would send the buyer; nobody follows these in a trigger.
    returnUrl: 'http://localhost:4000/return',
    cancelUrl: 'http://localhost:4000/cancel',
    recipient: null,
    currency: 'VES',
    amountMinor: AMOUNT_MINOR,
    transactions: [
      {
        id: randomUUID(),
        currency: 'VES',
        totalMinor: AMOUNT_MINOR,
        details: { shippingMinor: 0, taxMinor: 0, subTotalMinor: AMOUNT_MINOR },
        description: 'pasarela trigger',
        invoiceNumber: null,
        destination: null,
        items: [{ name: 'Artículo de prueba', quantity: 1, priceMinor: AMOUNT_MINOR, sku: null, currency: 'VES' }],
        distributions: [],
      },
    ],
  };
}

const SALE_STATES = ['created', 'approved', 'rejected', 'executed', 'annulled', 'expired'] as const;

/** A sale of `app`, driven by a demo buyer as far as `state` (each step emits its own event). */
async function sale(ctx: Ctx, app: AppRow, buyer: UserRow, state: (typeof SALE_STATES)[number]): Promise<Intent> {
  const merchant = await getUser(ctx.store.db, app.owner_user_id);
  if (state === 'expired') {
    // A time to live of one millisecond, then the expiry worker's own pass.
    const brief: Ctx = { ...ctx, config: { ...ctx.config, intentTtlSeconds: 0.001 } };
    const intent = await createIntent(brief, { user: merchant, app }, saleForm());
    await new Promise((r) => setTimeout(r, 20));
    await expireIntents(ctx);
    return intent;
  }
  let intent = await createIntent(ctx, { user: merchant, app }, saleForm());
  if (state === 'rejected') await rejectIntent(ctx, intent.row.id, buyer);
  if (state === 'approved' || state === 'executed' || state === 'annulled') await approveSale(ctx, intent.row.id, buyer);
  if (state === 'executed' || state === 'annulled') intent = await executeSale(ctx, merchant.id, intent.row.id, buyer.id);
  if (state === 'annulled') intent = await annulIntent(ctx, merchant.id, intent.row.id);
  return intent;
}

const intentPath = (id: string) => `/api/payment-intent/show.json?id=${encodeURIComponent(id)}`;
const paymentPath = (id: string) => `/api/payment/find.json?id=${encodeURIComponent(id)}`;

/** Make `type` happen for `app` in the sandbox. */
export async function triggerSandboxEvent(ctx: Ctx, app: AppRow, type: string, options: TriggerOptions = {}): Promise<Triggered> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  const [family, action] = type.split('.') as [string, string | undefined];
  const state = SALE_STATES.find((s) => s === action);
  const real = isEventType(type) && ((family === 'payment_intent' && state) || type === 'payment.created' || type === 'payment.updated');
  if (!real) {
    // Also refuses a type that is not in the catalogue, in its usual words.
    const sample = await triggerEvent(ctx, app, type, options);
    return { type: sample.type, objectId: sample.objectId, eventId: sample.eventId };
  }
  const buyerId = (await ensureDemo(ctx)).buyers[0]!.id;
  const buyer = await getUser(ctx.store.db, buyerId);
  if (family === 'payment') {
    const intent = await sale(ctx, app, buyer, action === 'created' ? 'executed' : 'annulled');
    const paymentId = intent.payment!.id;
    return { type, objectId: paymentId, fetchPath: paymentPath(paymentId) };
  }
  const intent = await sale(ctx, app, buyer, state!);
  return { type, objectId: intent.row.id, fetchPath: intentPath(intent.row.id) };
}
