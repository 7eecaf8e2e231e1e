// `pasarela trigger <event-type>`: a realistic sandbox event of that type for an app, appended
// to the outbox like any other (so endpoints, notification_url and `listen` receive it).
import { randomInt, randomUUID } from 'node:crypto';
import { ValidationError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { inTransaction } from '../../store/db.ts';
import type { AppRow } from '../apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { appendEvent, EVENT_TYPES, isEventType, objectTypeOf, type EventObjectType, type EventType } from '../events/index.ts';
import { findAppByClientIdOrId } from './repo.ts';
import { iso } from '../../kernel/instants.ts';

export interface TriggerOptions {
  /** Attach this notification_url to a payment/refund sample (its payment's own URL). */
  notificationUrl?: string;
}

function sample(
  type: EventType,
  objectType: EventObjectType,
  app: AppRow,
  nowIso: string,
  options: TriggerOptions,
): { objectId: string; payload: Record<string, unknown> } {
  const action = type.slice(type.indexOf('.') + 1);
  const ref = `sandbox-${randomInt(100000, 999999)}`;
  switch (objectType) {
    case 'payment': {
      const id = String(randomInt(1_000_000_000, 9_999_999_999));
      return {
        objectId: id,
        payload: {
          id: Number(id),
          status: action === 'created' ? 'approved' : 'refunded',
          status_detail: action === 'created' ? 'accredited' : 'refunded',
          transaction_amount: 150.5,
          transaction_amount_refunded: action === 'created' ? 0 : 150.5,
          currency_id: 'VES',
          date_created: nowIso,
          date_approved: nowIso,
          payment_method_id: 'visa',
          payment_type_id: 'credit_card',
          captured: true,
          live_mode: false,
          collector_id: app.owner_user_id,
          external_reference: ref,
          card: { first_six_digits: '450995', last_four_digits: '3704', cardholder: { name: 'APRO' } },
          ...(options.notificationUrl ? { notification_url: options.notificationUrl } : {}),
          sandbox_trigger: true,
        },
      };
    }
    case 'refund': {
      const id = String(randomInt(1_000_000_000, 9_999_999_999));
      return {
        objectId: id,
        payload: {
          id: Number(id),
          payment_id: randomInt(1_000_000_000, 9_999_999_999),
          amount: 50,
          status: 'approved',
          date_created: nowIso,
          ...(options.notificationUrl ? { notification_url: options.notificationUrl } : {}),
          sandbox_trigger: true,
        },
      };
    }
    case 'payment_intent': {
      const id = randomUUID();
      const status =
        { created: 'pending', approved: 'approved', rejected: 'rejected', executed: 'executed', annulled: 'annulled', expired: 'expired' }[action] ?? 'pending';
      return {
        objectId: id,
        payload: { id, type: 'sale', status, amount: '150.50', currency: 'VES', reference: ref, created_at: nowIso, sandbox_trigger: true },
      };
    }
    case 'payout_item': {
      const id = randomUUID();
      return {
        objectId: id,
        payload: {
          id,
          batch_id: randomUUID(),
          status: ({ created: 'PENDING', processing: 'PROCESSING', paid: 'PAID', failed: 'FAILED' } as Record<string, string>)[action] ?? 'PENDING',
          amount: '2500.00',
          currency: 'VES',
          bank_account: '0102********1234',
          beneficiary: 'V19123456',
          created_at: nowIso,
          sandbox_trigger: true,
        },
      };
    }
    case 'point_intent': {
      const id = randomUUID();
      return {
        objectId: id,
        payload: {
          amount: 1500,
          caller_id: app.owner_user_id,
          client_id: app.client_id,
          created_at: nowIso,
          id,
          device_id: 'PAX_A910__SMARTPOS1495357742',
          payment:
            action === 'created'
              ? { id: null, state: null, type: null }
              : { id: randomInt(1_000_000_000, 9_999_999_999), state: 'approved', type: 'credit_card' },
          state: action === 'created' ? 'OPEN' : 'FINISHED',
          additional_info: { external_reference: ref, print_on_terminal: true, ticket_number: `T${randomInt(1000, 9999)}` },
          sandbox_trigger: true,
        },
      };
    }
    case 'application':
      return {
        objectId: app.id,
        payload: { id: app.id, client_id: app.client_id, public_key: app.public_key, credentials_version: app.credentials_version, sandbox_trigger: true },
      };
  }
}

/** Append one sample event for `app`; sandbox only. */
export async function triggerEvent(
  ctx: Ctx,
  app: AppRow,
  type: string,
  options: TriggerOptions = {},
): Promise<{ eventId: string; objectId: string; type: string }> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  if (!isEventType(type)) throw new ValidationError(`Tipo de evento desconocido: ${type}. Tipos: ${EVENT_TYPES.join(', ')}`, 'webhooks.eventUnknown');
  const objectType = objectTypeOf(type);
  const now = await ctx.clock.now();
  const { objectId, payload } = sample(type, objectType, app, iso(now), options);
  const eventId = await inTransaction(ctx.store, (tx) => appendEvent(tx, { type, objectId, ownerUserId: app.owner_user_id, appId: app.id, payload, now }));
  return { eventId, objectId, type };
}

/** The app a trigger is for, by its client id or its id. */
export function findTriggerApp(ctx: Ctx, clientIdOrId: string): Promise<AppRow | undefined> {
  return findAppByClientIdOrId(ctx.store.db, clientIdOrId);
}
