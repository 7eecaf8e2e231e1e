// Payment intents sent to a POS terminal, as the integrator sees them (the Point integration
// API): create one on a PDV terminal, cancel it while still OPEN, read it and its events.
// Every state change of an intent goes through `transition`: one guarded update, one event
// row, one outbox event (the integrator webhook and the app's endpoints get it).
import { NotFoundError, InvariantError } from '../../kernel/errors.ts';
import { newRowId } from '../../kernel/ids.ts';
import { MAX_AMOUNT_MINOR } from '../../kernel/money.ts';
import { refuse, type PointIntentAction } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { PointIntentState } from '../../store/schema-point.ts';
import { getApp, type AuthContext } from '../apps/index.ts';
import { runCommand, type CommandOptions, type CommandScope } from '../commands/index.ts';
import { accountFacts } from '../ledger/index.ts';
import { ACTIVE_STATES, intentEventOf, intentOf, notificationPayload, type AdditionalInfo, type PointIntent, type PointIntentEvent } from './model.ts';
import { POINT_MESSAGES } from './rules.ts';
import {
  claimDeviceSlot,
  eventsBetween,
  eventsOfIntent,
  findIntent,
  findOwnDevice,
  insertIntent,
  insertIntentEvent,
  moveIntent,
  releaseDeviceSlot,
  type IntentRow,
} from './repo.ts';

export interface PointIntentInput {
  amountMinor: number;
  description?: string;
  installments?: number;
  paymentType?: string;
  installmentsCost?: string;
  additionalInfo: AdditionalInfo;
}

/** Record a state the intent reached: its event row and its outbox event. */
async function recordState(scope: CommandScope, row: IntentRow, created: boolean): Promise<void> {
  const intent = intentOf(row);
  await insertIntentEvent(scope.tx, { intent_id: row.id, owner_user_id: row.owner_user_id, state: row.state, created_at: scope.now });
  const app = await getApp(scope.tx, row.app_id);
  scope.emit({
    type: created ? 'point_intent.created' : 'point_intent.updated',
    objectId: row.id,
    ownerUserId: row.owner_user_id,
    appId: row.app_id,
    payload: notificationPayload(intent, app.client_id),
  });
}

/**
 * One state change: `UPDATE … WHERE state IN (from)`; the loser of a race sees nothing changed
 * and is refused with the state it found. Leaving the active states frees the terminal.
 */
export async function transition(
  scope: CommandScope,
  id: string,
  from: readonly PointIntentState[],
  to: PointIntentState,
  action: PointIntentAction | 'system',
  changes: Parameters<typeof moveIntent>[5] = {},
  deadline?: 'unexpired' | 'due',
): Promise<IntentRow> {
  const moved = await transitionIfStill(scope, id, from, to, changes, deadline);
  if (moved) return moved;
  const current = await findIntent(scope.tx, id);
  if (!current) throw new InvariantError(`point intent ${id} vanished`);
  if (action === 'system') throw new InvariantError(`point intent ${id}: ${current.state} → ${to}`);
  refuse({ code: 'point_intent_state', action, state: current.state });
}

/**
 * A change the platform makes on its own (abandoning, cancelling at unlink): when a person's
 * change got there first (the terminal took or paid it, the integrator cancelled it), the
 * intent keeps that outcome and this does nothing (undefined), rather than fail the command.
 */
export async function transitionIfStill(
  scope: CommandScope,
  id: string,
  from: readonly PointIntentState[],
  to: PointIntentState,
  changes: Parameters<typeof moveIntent>[5] = {},
  deadline?: 'unexpired' | 'due',
): Promise<IntentRow | undefined> {
  const moved = await moveIntent(scope.tx, id, from, to, scope.now, changes, deadline);
  if (!moved) return undefined;
  if (!ACTIVE_STATES.includes(to)) await releaseDeviceSlot(scope.tx, moved.device_id, moved.id);
  await recordState(scope, moved, false);
  return moved;
}

/** An active intent past its deadline is ABANDONED (by the worker, or before a new one takes its terminal). */
export async function abandonIfDue(scope: CommandScope, intentId: string): Promise<boolean> {
  return (await transitionIfStill(scope, intentId, ['OPEN', 'ON_TERMINAL'], 'ABANDONED', {}, 'due')) !== undefined;
}

export async function createPointIntent(
  ctx: Ctx,
  auth: AuthContext,
  deviceId: string,
  input: PointIntentInput,
  options?: CommandOptions<PointIntent>,
): Promise<PointIntent> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || input.amountMinor > MAX_AMOUNT_MINOR)
    throw new InvariantError('the reader checks the amount');
  return runCommand(ctx, options, async (scope) => {
    const { tx, now } = scope;
    const device = await findOwnDevice(tx, auth.user.id, deviceId);
    if (!device) throw new NotFoundError(POINT_MESSAGES.deviceNotFound.es, 'point.deviceNotFound');
    if (device.operating_mode !== 'PDV') refuse({ code: 'point_device_standalone' });
    if (device.open_intent_id) await abandonIfDue(scope, device.open_intent_id);
    const receiving = await accountFacts(ctx.store, tx, auth.app.receiving_account_id);
    if (!receiving) throw new InvariantError(`app ${auth.app.id}: receiving account missing`);
    const id = newRowId();
    if (!(await claimDeviceSlot(tx, device.id, id))) refuse({ code: 'point_device_busy' });
    const row: IntentRow = {
      id,
      device_id: device.id,
      owner_user_id: auth.user.id,
      app_id: auth.app.id,
      state: 'OPEN',
      currency: receiving.currency,
      amount_minor: input.amountMinor,
      description: input.description ?? null,
      payment_options: JSON.stringify({
        installments: input.installments ?? 1,
        type: input.paymentType ?? 'credit_card',
        installments_cost: input.installmentsCost ?? 'seller',
      }),
      additional_info: JSON.stringify(input.additionalInfo),
      payment_id: null,
      payment_state: null,
      payment_type: null,
      expires_at: now + ctx.config.pointIntentTtlSeconds * 1000,
      created_at: now,
      updated_at: now,
    };
    await insertIntent(tx, row);
    await recordState(scope, row, true);
    return intentOf(row);
  });
}

/** The merchant's own intent (integrator side), or 404. */
async function ownIntent(ctx: Ctx, ownerUserId: string, id: string): Promise<IntentRow> {
  const row = await findIntent(ctx.store.db, id);
  if (!row || row.owner_user_id !== ownerUserId) throw new NotFoundError(POINT_MESSAGES.intentNotFound.es, 'point.intentNotFound');
  return row;
}

/** DELETE …/devices/{id}/payment-intents/{pid}: only while OPEN (the terminal has not taken it). */
export async function cancelPointIntent(
  ctx: Ctx,
  auth: AuthContext,
  deviceId: string,
  id: string,
  options?: CommandOptions<PointIntent>,
): Promise<PointIntent> {
  const row = await ownIntent(ctx, auth.user.id, id);
  if (row.device_id !== deviceId) throw new NotFoundError(POINT_MESSAGES.intentNotOnDevice.es, 'point.intentNotOnDevice');
  return runCommand(ctx, options, async (scope) => intentOf(await transition(scope, id, ['OPEN'], 'CANCELED', 'cancel')));
}

export async function getPointIntent(ctx: Ctx, ownerUserId: string, id: string): Promise<PointIntent> {
  return intentOf(await ownIntent(ctx, ownerUserId, id));
}

export async function pointIntentEvents(ctx: Ctx, ownerUserId: string, id: string): Promise<PointIntentEvent[]> {
  await ownIntent(ctx, ownerUserId, id);
  return (await eventsOfIntent(ctx.store.db, id)).map(intentEventOf);
}

/** Events of the merchant's intents from `since` (inclusive) to `until` (exclusive), oldest first. */
export async function pointEventsBetween(ctx: Ctx, ownerUserId: string, since: number, until: number, limit = 1000): Promise<PointIntentEvent[]> {
  return (await eventsBetween(ctx.store.db, ownerUserId, since, until, limit)).map(intentEventOf);
}
