// What a terminal does (the device-side API, authenticated by the terminal's own credential):
// see its next intent, take it (ON_TERMINAL), read a card into a card token, pay with it, and
// confirm the receipt (FINISHED). A terminal reaches only the intents sent to it while it is
// linked to their merchant. Paying is one command: ON_TERMINAL → PROCESSING, the card payment
// (the same path as /v1/payments, fee schedule `pos`), then PROCESSED (or ERROR, or
// CONFIRMATION_REQUIRED while the payment is in process); a refusal (a used token) leaves the
// intent ON_TERMINAL for another card.
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import { CURRENCIES, type Currency } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../store/db.ts';
import { getApp } from '../apps/index.ts';
import { chargeCard, createCardToken, drawCardPaymentId, cardProcessor, type CardFields, type CardToken } from '../cards/index.ts';
import { runCommand } from '../commands/index.ts';
import { findUserById, isUserLocked } from '../identity/index.ts';
import { transition } from './intents.ts';
import { intentOf, simulatedOutcome, type PointIntent } from './model.ts';
import { POINT_MESSAGES } from './rules.ts';
import { findIntent, findTill, nextIntentOf, type DeviceRow, type IntentRow } from './repo.ts';

/** The intent the terminal should show now (OPEN, ON_TERMINAL or PROCESSING), if any. */
export async function nextIntentFor(ctx: Ctx, device: DeviceRow): Promise<PointIntent | undefined> {
  const row = await nextIntentOf(ctx.store.db, device.id);
  if (!row || row.owner_user_id !== device.owner_user_id) return undefined;
  // Past its deadline: the worker is about to abandon it; the terminal must not show it.
  if ((row.state === 'OPEN' || row.state === 'ON_TERMINAL') && Number(row.expires_at) <= (await ctx.clock.now())) return undefined;
  return intentOf(row);
}

/** One of this terminal's intents, for its current merchant; anything else is unknown to it. */
async function terminalIntent(ctx: Ctx, device: DeviceRow, id: string): Promise<IntentRow> {
  const row = await findIntent(ctx.store.db, id);
  if (!row || row.device_id !== device.id || row.owner_user_id !== device.owner_user_id)
    throw new NotFoundError(POINT_MESSAGES.intentNotOnDevice.es, 'point.intentNotOnDevice');
  return row;
}

export async function terminalIntentView(ctx: Ctx, device: DeviceRow, id: string): Promise<PointIntent> {
  return intentOf(await terminalIntent(ctx, device, id));
}

/** A locked merchant takes no money, through its integration or at its tills (its terminals stay linked, for the unlock). */
async function refuseLockedMerchant(tx: Tx, device: DeviceRow): Promise<void> {
  if (device.owner_user_id && (await isUserLocked(tx, device.owner_user_id))) refuse({ code: 'account_locked' });
}

/** The green button: the terminal takes the intent (OPEN → ON_TERMINAL) and has the TTL again to charge it. */
export async function takeIntent(ctx: Ctx, device: DeviceRow, id: string): Promise<PointIntent> {
  await terminalIntent(ctx, device, id);
  return runCommand(ctx, undefined, async (scope) => {
    await refuseLockedMerchant(scope.tx, device);
    return intentOf(
      await transition(scope, id, ['OPEN'], 'ON_TERMINAL', 'take', { expires_at: scope.now + ctx.config.pointIntentTtlSeconds * 1000 }, 'unexpired'),
    );
  });
}

/** The card read on the terminal, as a card token of the intent's app (single use, the card vault). */
export async function readCard(ctx: Ctx, device: DeviceRow, id: string, fields: CardFields): Promise<CardToken> {
  const row = await terminalIntent(ctx, device, id);
  if (row.state !== 'ON_TERMINAL') refuse({ code: 'point_intent_state', action: 'pay', state: row.state });
  return createCardToken(ctx, row.app_id, fields);
}

/** Pay the intent with a card token: the whole path from PROCESSING to the outcome, in one command. */
export async function payIntent(ctx: Ctx, device: DeviceRow, id: string, token: string): Promise<PointIntent> {
  await terminalIntent(ctx, device, id);
  const paymentId = await drawCardPaymentId(ctx);
  return runCommand(ctx, undefined, async (scope) => {
    await refuseLockedMerchant(scope.tx, device);
    const processing = await transition(scope, id, ['ON_TERMINAL'], 'PROCESSING', 'pay', {}, 'unexpired');
    const currency = processing.currency as Currency;
    const minorPerUnit = 10 ** CURRENCIES[currency].exponent;
    const simulated = cardProcessor(ctx)?.name === 'sandbox' ? simulatedOutcome(Number(processing.amount_minor), minorPerUnit) : undefined;
    // The simulator's 1300.00: the terminal failed before any card was charged.
    if (simulated === 'error') return intentOf(await transition(scope, id, ['PROCESSING'], 'ERROR', 'system'));
    const [app, user] = await Promise.all([getApp(scope.tx, processing.app_id), findUserById(scope.tx, processing.owner_user_id)]);
    if (!user) throw new InvariantError(`point intent ${id}: merchant missing`);
    const till = device.till_id ? await findTill(scope.tx, processing.owner_user_id, device.till_id) : undefined;
    const options = JSON.parse(processing.payment_options) as { installments: number };
    const info = JSON.parse(processing.additional_info) as { external_reference?: string };
    const { row: payment } = await chargeCard(
      ctx,
      scope,
      { app, user },
      paymentId,
      {
        amount: undefined,
        token,
        description: processing.description ?? 'Pago en terminal',
        installments: options.installments,
        payer: {},
        capture: true,
        externalReference: info.external_reference,
        metadata: { point_payment_intent_id: id },
      },
      {
        fee: 'pos',
        amountMinor: Number(processing.amount_minor),
        simulated: simulated === 'rejected' || simulated === 'reversed' ? simulated : undefined,
        pointOfInteraction: {
          type: 'POINT',
          device_id: device.id,
          payment_intent_id: id,
          store_id: till?.store_id ?? '',
          pos_id: till?.id ?? '',
          external_pos_id: till?.external_pos_id ?? '',
        },
      },
    );
    const paid = { payment_id: payment.id, payment_state: payment.status, payment_type: payment.payment_type_id };
    const to = payment.status === 'in_process' ? 'CONFIRMATION_REQUIRED' : 'PROCESSED';
    return intentOf(await transition(scope, id, ['PROCESSING'], to, 'system', paid));
  });
}

/** The receipt is out: PROCESSED → FINISHED. */
export async function confirmIntent(ctx: Ctx, device: DeviceRow, id: string): Promise<PointIntent> {
  await terminalIntent(ctx, device, id);
  return runCommand(ctx, undefined, async (scope) => intentOf(await transition(scope, id, ['PROCESSED'], 'FINISHED', 'confirm')));
}
