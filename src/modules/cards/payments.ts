// Card payments: a token is used once, the processor authorizes, and the money moves as one
// ledger entry (card clearing → the collector's wallet, less the `card` fee), or is held
// (capture: false) until captured or cancelled. Rejected and pending payments move nothing.
//
// The processor is called inside the command's transaction: the sandbox simulator answers at
// once. A network adapter needs the payment recorded before the call and its outcome after it
// (two transactions), so that a crash in between is recovered from the processor's side.
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import { newRowId } from '../../kernel/ids.ts';
import { parseAmount, type Currency } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../store/db.ts';
import { appendEvents } from '../events/index.ts';
import { nextSequence } from '../../store/sequences.ts';
import type { AuthContext } from '../apps/index.ts';
import { runCommand, type CommandOptions, type CommandScope } from '../commands/index.ts';
import { markTestUsersActive, refuseExpiredTestUsers, testUsersMix } from '../identity/index.ts';
import { feeFor, feeRule, type FeeOperation } from '../fees/index.ts';
import {
  accountFacts,
  findHold,
  postEntry,
  postPending,
  postPendingCommit,
  SYSTEM_ACCOUNTS,
  systemAccountId,
  voidPending,
  walletAccountId,
  type HoldRow,
} from '../ledger/index.ts';
import { askProcessor, cardProcessor } from './processor.ts';
import {
  expireAuthorization,
  findCardPayment,
  findCardToken,
  insertCardPayment,
  lockCardPayment,
  searchCardPayments,
  updateCardPayment,
  useCardToken,
  type CardPaymentRow,
  type CardPaymentSort,
} from './repo.ts';
import { maxInstallments, type Authorization, type PaymentTypeId } from './model.ts';
import { openSealedCard } from './tokens.ts';

/** Card payment ids are integers, as the card family's clients expect; they start here. */
export const CARD_PAYMENT_ID_BASE = 1_000_000_000;
export const AUTHORIZATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface CardPaymentInput {
  /** In major units, as the wire sends it; read exactly in the collector's currency. */
  amount: unknown;
  token: string;
  description: string;
  installments: number;
  paymentMethodId?: string;
  payer: Record<string, unknown>;
  capture: boolean;
  externalReference?: string;
  notificationUrl?: string;
  statementDescriptor?: string;
  metadata: Record<string, unknown>;
}

export interface CardPayment {
  row: CardPaymentRow;
  currency: Currency;
}

/** Who collects: the token's seller, in the currency of the app's receiving account. */
async function collectorOf(ctx: Ctx, auth: Pick<AuthContext, 'app' | 'user'>, scope: CommandScope): Promise<{ accountId: string; currency: Currency }> {
  const receiving = await accountFacts(ctx.store, scope.tx, auth.app.receiving_account_id);
  if (!receiving) throw new InvariantError(`app ${auth.app.id}: receiving account missing`);
  const currency = receiving.currency as Currency;
  if (receiving.owner_user_id === auth.user.id) return { accountId: receiving.id, currency };
  return { accountId: await walletAccountId(ctx.store, scope.tx, auth.user.id, currency, scope.now), currency };
}

export async function createCardPayment(ctx: Ctx, auth: AuthContext, input: CardPaymentInput, options?: CommandOptions<CardPayment>): Promise<CardPayment> {
  // Drawn before the command (a shared counter must not stay locked): a refusal leaves a gap.
  const id = await drawCardPaymentId(ctx);
  return runCommand(ctx, options, (scope) => chargeCard(ctx, scope, auth, id, input));
}

/** A card payment's id, drawn outside any command (a refusal leaves a gap). */
export async function drawCardPaymentId(ctx: Ctx): Promise<number> {
  if (!cardProcessor(ctx)) refuse({ code: 'card_processor_missing' });
  return CARD_PAYMENT_ID_BASE + (await nextSequence(ctx.store.db, 'card_payment'));
}

/** What another capability (a POS terminal) changes about a card payment made in its command. */
export interface ChargeOptions {
  /** The fee schedule (`card` online, `pos` at a terminal). */
  fee?: Extract<FeeOperation, 'card' | 'pos'>;
  /** The amount already in minor units (the Point API's integers), instead of `input.amount`. */
  amountMinor?: number;
  /** The sandbox simulator's decision by amount, in place of asking the processor. */
  simulated?: 'rejected' | 'reversed';
  /** Where a terminal took the payment (device, store, till), shown with the payment. */
  pointOfInteraction?: Record<string, unknown>;
}

/** One card payment inside the caller's command: the token is used, the processor asked, the money moved. */
export async function chargeCard(
  ctx: Ctx,
  scope: CommandScope,
  auth: Pick<AuthContext, 'app' | 'user'>,
  id: number,
  input: CardPaymentInput,
  options: ChargeOptions = {},
): Promise<CardPayment> {
  const processor = cardProcessor(ctx);
  if (!processor) refuse({ code: 'card_processor_missing' });
  const { tx, now, emit } = scope;
  const collector = await collectorOf(ctx, auth, scope);
  const parties = await testUsersMix(tx, auth.user, typeof input.payer.email === 'string' ? input.payer.email : undefined);
  if (parties.mixed) refuse({ code: 'test_and_real_users', field: ['payer', 'email'] });
  await refuseExpiredTestUsers(tx, [auth.user, parties.payer], now);
  const amountMinor = options.amountMinor ?? parseAmount(input.amount, collector.currency, { path: ['transaction_amount'] });
  const token = await findCardToken(tx, input.token);
  if (!token || token.app_id !== auth.app.id) refuse({ code: 'card_token_invalid', field: ['token'] });
  if (input.paymentMethodId && input.paymentMethodId !== token.payment_method_id) refuse({ code: 'payment_method_mismatch', field: ['payment_method_id'] });
  // A debit card pays at once: its method takes no installments (the contract's 400 code 109,
  // answered before the processor is asked, as the provider does for a method without them).
  const allowed = maxInstallments(token.payment_type_id as PaymentTypeId);
  if (input.installments > allowed) refuse({ code: 'installments_invalid', allowed, field: ['installments'] });
  const sealedCode = token.security_code_sealed;
  if (!(await useCardToken(tx, token.id, auth.app.id, now))) refuse({ code: 'card_token_invalid', field: ['token'] });
  // The fee is known before the processor is asked: a payment that cannot pay its fee is
  // refused without an authorization left behind at the processor.
  const fee = feeFor(amountMinor, await feeRule(ctx, tx, options.fee ?? 'card', collector.currency));
  if (fee > amountMinor) refuse({ code: 'fee_exceeds_amount' });
  const card = openSealedCard(ctx, token, sealedCode);
  const authorization: Authorization | { outcome: 'reversed' } =
    options.simulated === 'rejected'
      ? { outcome: 'rejected', detail: 'cc_rejected_other_reason' }
      : options.simulated === 'reversed'
        ? { outcome: 'reversed' }
        : await processor.authorize({
            card,
            amountMinor,
            currency: collector.currency,
            installments: input.installments,
            capture: input.capture,
            reference: String(id),
          });
  const base: CardPaymentRow = {
    id,
    app_id: auth.app.id,
    collector_user_id: auth.user.id,
    live_mode: ctx.config.environment === 'production' ? 1 : 0,
    status: 'rejected',
    status_detail: '',
    currency: collector.currency,
    amount_minor: amountMinor,
    captured_minor: 0,
    refunded_minor: 0,
    fee_minor: 0,
    fee_refunded_minor: 0,
    payment_method_id: token.payment_method_id,
    payment_type_id: token.payment_type_id,
    installments: input.installments,
    description: input.description,
    external_reference: input.externalReference ?? null,
    notification_url: input.notificationUrl ?? null,
    statement_descriptor: input.statementDescriptor ?? null,
    metadata: JSON.stringify(input.metadata),
    payer: JSON.stringify(input.payer),
    card: JSON.stringify({
      first_six_digits: token.first_six_digits,
      last_four_digits: token.last_four_digits,
      expiration_month: token.expiration_month,
      expiration_year: token.expiration_year,
      cardholder: {
        name: token.cardholder_name,
        identification: token.identification_type ? { type: token.identification_type, number: token.identification_number } : null,
      },
    }),
    token_id: token.id,
    hold_id: null,
    entry_id: null,
    point_of_interaction: options.pointOfInteraction ? JSON.stringify(options.pointOfInteraction) : null,
    created_at: now,
    approved_at: null,
    updated_at: now,
  };
  const clearing = await systemAccountId(ctx.store, tx, SYSTEM_ACCOUNTS.cardClearing, collector.currency, now);
  const fees = await systemAccountId(ctx.store, tx, SYSTEM_ACCOUNTS.platformFees, collector.currency, now);
  let row: CardPaymentRow;
  if (authorization.outcome === 'rejected') row = { ...base, status: 'rejected', status_detail: authorization.detail };
  // Authorized, then reversed before it was captured (the simulator's 1100.00): nothing moves.
  else if (authorization.outcome === 'reversed') row = { ...base, status: 'cancelled', status_detail: 'reversed' };
  else if (authorization.outcome === 'pending') row = { ...base, status: 'in_process', status_detail: authorization.detail };
  else if (input.capture)
    row = { ...base, status: 'approved', status_detail: 'accredited', captured_minor: amountMinor, fee_minor: fee, approved_at: now, entry_id: newRowId() };
  else row = { ...base, status: 'authorized', status_detail: 'pending_capture' };
  if (row.status === 'authorized') {
    const hold = await postPending(tx, {
      kind: 'card_authorization',
      description: input.description,
      referenceId: String(id),
      debitAccountId: clearing,
      creditAccountId: collector.accountId,
      currency: collector.currency,
      amountMinor,
      expiresAt: now + AUTHORIZATION_TTL_MS,
      now,
    });
    row.hold_id = hold.id;
  }
  await insertCardPayment(tx, row);
  await markTestUsersActive(tx, [auth.user, parties.payer], now);
  emit({ type: 'payment.created', objectId: String(id), ownerUserId: auth.user.id, appId: auth.app.id, payload: eventPayload(row) });
  if (row.status === 'approved') {
    await postEntry(scope, {
      id: row.entry_id!,
      kind: 'card_payment',
      description: input.description,
      referenceId: String(id),
      postings: [
        { accountId: clearing, currency: collector.currency, amountMinor: -amountMinor },
        { accountId: collector.accountId, currency: collector.currency, amountMinor: amountMinor - fee },
        { accountId: fees, currency: collector.currency, amountMinor: fee },
      ].filter((p) => p.amountMinor !== 0),
      now,
    });
  }
  return { row, currency: collector.currency };
}

/**
 * What a payment's events carry: its state, and its own notification_url, which the webhook
 * fan-out reads to send the payment's notifications there as well as to the app's endpoints.
 */
export function eventPayload(row: Pick<CardPaymentRow, 'id' | 'status' | 'status_detail' | 'notification_url'>): Record<string, unknown> {
  return {
    id: row.id,
    status: row.status,
    status_detail: row.status_detail,
    ...(row.notification_url ? { notification_url: row.notification_url } : {}),
  };
}

export async function getCardPayment(ctx: Ctx, collectorUserId: string, id: number): Promise<CardPayment> {
  const row = await findCardPayment(ctx.store.db, id, collectorUserId);
  if (!row) throw new NotFoundError('El pago no existe.');
  return { row, currency: row.currency as Currency };
}

export interface CardPaymentSearch {
  status?: string;
  externalReference?: string;
  since?: number;
  until?: number;
  sort: CardPaymentSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export async function findCardPayments(ctx: Ctx, collectorUserId: string, search: CardPaymentSearch): Promise<{ total: number; payments: CardPayment[] }> {
  const { total, rows } = await searchCardPayments(ctx.store.db, { collectorUserId, ...search });
  return { total, payments: rows.map((row) => ({ row, currency: row.currency as Currency })) };
}

/** The collector's own payment, locked for the rest of the command (capture, cancel and refunds). */
export async function lockOwnCardPayment(ctx: Ctx, scope: CommandScope, collectorUserId: string, id: number): Promise<CardPaymentRow> {
  const row = await lockCardPayment(scope.tx, ctx.store.dialect, id, collectorUserId);
  if (!row) throw new NotFoundError('El pago no existe.');
  return row;
}

/** Capture an authorization: all of it, or less (the rest is released). */
export async function captureCardPayment(
  ctx: Ctx,
  auth: AuthContext,
  id: number,
  amount: unknown,
  options?: CommandOptions<CardPayment>,
): Promise<CardPayment> {
  return runCommand(ctx, options, async (scope) => {
    const { tx, now, emit } = scope;
    const current = await lockOwnCardPayment(ctx, scope, auth.user.id, id);
    const currency = current.currency as Currency;
    if (current.status !== 'authorized' || !current.hold_id) refuse({ code: 'card_payment_state', action: 'capture' });
    const amountMinor = amount === undefined ? current.amount_minor : parseAmount(amount, currency, { path: ['transaction_amount'] });
    if (amountMinor > current.amount_minor) refuse({ code: 'card_amount_exceeded', action: 'capture', field: ['transaction_amount'] });
    const fee = feeFor(amountMinor, await feeRule(ctx, tx, 'card', currency));
    if (fee > amountMinor) refuse({ code: 'fee_exceeds_amount' });
    const hold = await findHold(tx, current.hold_id);
    const fees = await systemAccountId(ctx.store, tx, SYSTEM_ACCOUNTS.platformFees, currency, now);
    const row: CardPaymentRow = {
      ...current,
      status: 'approved',
      status_detail: 'accredited',
      captured_minor: amountMinor,
      fee_minor: fee,
      approved_at: now,
      updated_at: now,
    };
    emit({ type: 'payment.updated', objectId: String(id), ownerUserId: current.collector_user_id, appId: current.app_id, payload: eventPayload(row) });
    await scope.flushEvents();
    const credits = [
      { accountId: hold.credit_account_id, amountMinor: amountMinor - fee },
      { accountId: fees, amountMinor: fee },
    ].filter((c) => c.amountMinor !== 0);
    const { entryId } = await postPendingCommit(tx, current.hold_id, { amountMinor, credits, kind: 'card_payment', now });
    row.entry_id = entryId;
    await updateCardPayment(tx, id, {
      status: row.status,
      status_detail: row.status_detail,
      captured_minor: amountMinor,
      fee_minor: fee,
      approved_at: now,
      updated_at: now,
      entry_id: entryId,
    });
    // Last, as for refunds: a capture the processor makes is one this transaction commits.
    await askProcessor(ctx, 'capture', (processor) => processor.capture(String(id), amountMinor));
    return { row, currency };
  });
}

/** Cancel an authorization (the hold is released) or a payment still in process. */
export async function cancelCardPayment(ctx: Ctx, auth: AuthContext, id: number, options?: CommandOptions<CardPayment>): Promise<CardPayment> {
  return runCommand(ctx, options, async (scope) => {
    const { tx, now, emit } = scope;
    const current = await lockOwnCardPayment(ctx, scope, auth.user.id, id);
    if (current.status !== 'authorized' && current.status !== 'in_process') refuse({ code: 'card_payment_state', action: 'cancel' });
    await askProcessor(ctx, 'cancel', (processor) => processor.cancel(String(id)));
    if (current.hold_id) await voidPending(tx, current.hold_id, { now });
    const row: CardPaymentRow = { ...current, status: 'cancelled', status_detail: 'by_collector', updated_at: now };
    await updateCardPayment(tx, id, { status: row.status, status_detail: row.status_detail, updated_at: now });
    emit({ type: 'payment.updated', objectId: String(id), ownerUserId: current.collector_user_id, appId: current.app_id, payload: eventPayload(row) });
    return { row, currency: current.currency as Currency };
  });
}

/**
 * An authorization whose hold lapsed (7 days without capture): the hold-expiry worker voided
 * it in this transaction; the payment is cancelled with it and says why.
 */
export async function cardAuthorizationVoided(tx: Tx, hold: HoldRow): Promise<void> {
  if (hold.kind !== 'card_authorization' || hold.reference_id === null) return;
  const now = hold.resolved_at ?? hold.created_at;
  const row = await expireAuthorization(tx, Number(hold.reference_id), hold.id, now);
  if (!row) return;
  await appendEvents(
    tx,
    [{ type: 'payment.updated', objectId: String(row.id), ownerUserId: row.collector_user_id, appId: row.app_id, payload: eventPayload(row) }],
    now,
  );
}
