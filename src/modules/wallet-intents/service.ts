// Payment intents (botón de pago `sale`, API de facturación `request`): create, approve or
// reject, execute (one balanced ledger entry with distributions and fees), annul within 24 h.
// Each state change is one guarded UPDATE inside the transaction that moves the money, so
// concurrent executes or annulments of one intent succeed exactly once.
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { isRefused, refuse } from '../../kernel/refusals.ts';
import { feeFor } from '../fees/model.ts';
import {
  ANNUL_WINDOW_MS,
  effectiveState,
  type IntentForm,
  type IntentStateName,
  type IntentTransaction,
} from './model.ts';
import type { Posting } from '../ledger/model.ts';
import { sumMinor, type Currency } from '../../kernel/money.ts';
import type { Tx } from '../../store/db.ts';
import type { IntentKind } from '../../store/schema-payments.ts';
import { distributionAccounts, hasPermission, type AppRow } from '../apps/service.ts';
import type { Ctx } from '../../platform/context.ts';
import { runCommand, type CommandOptions, type CommandScope } from '../commands/index.ts';
import { feeRule } from '../fees/service.ts';
import { accountFacts, postEntry, SYSTEM_ACCOUNTS, systemAccountId, walletAccount, walletAccountId } from '../ledger/service.ts';
import { cancelPayment, createPayment, nextPaymentRef } from '../payments/service.ts';
import { findUserByReference, getUser, verifyPin, type UserRow } from '../identity/users.ts';
import { resolveWallet } from '../wallets/service.ts';
import { checkTargetUrl } from '../../platform/ssrf.ts';

import { assembleIntent, intentRow, intentsOf, merchantIntentRow, wantsPayTokens, type Intent, type IntentParts, type IntentRow } from './views.ts';

export type { Intent, IntentRow } from './views.ts';

export interface MerchantAuth {
  user: UserRow;
  app: AppRow;
}

export async function createIntent(ctx: Ctx, auth: MerchantAuth, form: IntentForm, options?: CommandOptions<Intent>): Promise<Intent> {
  const permission = form.intent === 'sale' ? 'payment_button' : 'billing_api';
  if (!hasPermission(auth.app, permission)) refuse({ code: 'permission_missing', permission });
  if (form.intent === 'request') {
    // The platform itself calls a request's return_url: in production it may not point inside.
    const refused = await checkTargetUrl(form.returnUrl, ctx.config.environment === 'production');
    if (refused) throw new ValidationError([{ path: ['redirectUrls', 'returnUrl'], message: refused }]);
  }
  return runCommand(ctx, options, async ({ tx, now, emit }) => {
    let recipient: UserRow | undefined;
    if (form.intent === 'request') {
      recipient = await findUserByReference(tx, form.recipient!);
      if (!recipient || recipient.type === 'operator') throw new ValidationError([{ path: ['recipient'], message: 'El destinatario no existe.' }]);
      if (recipient.id === auth.user.id) throw new ValidationError([{ path: ['recipient'], message: 'No puede solicitarse un pago a sí mismo.' }]);
    }
    await resolveAccounts(ctx, tx, auth.app, form.transactions, form.currency, now);
    const id = randomUUID();
    const row: IntentRow = {
      id,
      app_id: auth.app.id,
      merchant_user_id: auth.user.id,
      intent: form.intent,
      state: 'created',
      currency: form.currency,
      amount_minor: form.amountMinor,
      return_url: form.returnUrl,
      cancel_url: form.cancelUrl,
      transactions: JSON.stringify(form.transactions),
      recipient_user_id: recipient?.id ?? null,
      payer_user_id: recipient?.id ?? null,
      approved_at: null,
      executed_at: null,
      annulled_at: null,
      rejected_at: null,
      expires_at: now + ctx.config.intentTtlSeconds * 1000,
      payment_id: null,
      created_at: now,
    };
    await tx.insertInto('payment_intents').values(row).execute();
    emit({ type: 'payment_intent.created', objectId: id, ownerUserId: auth.user.id, appId: auth.app.id, payload: { id, intent: form.intent, state: 'created' } });
    // The answer from the row just written: a new intent has no payment and no return-url
    // calls, and a request names its recipient as the payer from the start.
    const recipientWallets = recipient && wantsPayTokens(row, now) ? await walletIds(tx, recipient.id, form.currency) : [];
    return assembleIntent(row, now, { payer: recipient, recipient, historyResponses: [], recipientWallets });
  });
}

async function walletIds(tx: Tx, userId: string, currency: Currency): Promise<string[]> {
  const rows = await tx.selectFrom('accounts').select('id').where('owner_user_id', '=', userId).where('kind', '=', 'wallet').where('currency', '=', currency).execute();
  return rows.map((r) => r.id);
}

/**
 * Resolve each transaction's credited account (default: the app's receiving account) and the
 * distributions' accounts, which must be authorized for the app beforehand.
 */
async function resolveAccounts(ctx: Ctx, tx: Tx, app: AppRow, transactions: IntentTransaction[], currency: Currency, now: number): Promise<void> {
  let authorized: Set<string> | undefined;
  for (const [n, t] of transactions.entries()) {
    if (t.destination) {
      const target = await resolveWallet(tx, t.destination, currency, now);
      if (!target) throw new ValidationError([{ path: ['transactions', String(n), 'digitalAccountDestination'], message: 'La cuenta destino no existe.' }]);
      t.destinationAccountId = target.accountId;
    } else {
      const receiving = await accountFacts(ctx.store, tx, app.receiving_account_id);
      if (!receiving) throw new Error(`app ${app.id}: receiving account ${app.receiving_account_id} missing`);
      t.destinationAccountId = receiving.currency === currency ? receiving.id : (await walletAccount(tx, receiving.owner_user_id!, currency, now)).id;
    }
    if (t.distributions.length && !hasPermission(app, 'distributions')) {
      throw new ValidationError([{ path: ['transactions', String(n), 'distributions'], message: 'La aplicación no tiene habilitada la distribución de fondos.' }]);
    }
    if (t.distributions.length) authorized ??= new Set(await distributionAccounts(tx, app.id));
    for (const [k, d] of t.distributions.entries()) {
      const target = await resolveWallet(tx, d.destination, currency, now);
      if (!target || !authorized!.has(target.accountId)) {
        throw new ValidationError([{ path: ['transactions', String(n), 'distributions', String(k), 'digitalAccountDestination'], message: 'La cuenta no está autorizada para recibir distribuciones de esta aplicación.' }]);
      }
      d.accountId = target.accountId;
    }
  }
}

function refuseState(intent: IntentRow, state: IntentStateName): never {
  switch (state) {
    case 'executed':
      return refuse({ code: 'intent_executed' });
    case 'annulled':
      return refuse({ code: 'intent_annulled' });
    case 'rejected':
      return refuse({ code: 'intent_rejected' });
    case 'expired':
      return refuse({ code: 'intent_expired' });
    case 'created':
      return refuse({ code: intent.approved_at ? 'intent_not_payable' : 'intent_not_approved' });
  }
}

/** The buyer approves a `sale` on the hosted page (or through the sandbox helper). */
export async function approveSale(ctx: Ctx, intentId: string, payer: UserRow): Promise<{ returnUrl: string }> {
  return runCommand(ctx, undefined, async ({ tx, now, emit }) => {
    // The claim first: on the usual path its answer is the only read of the intent. A check
    // after it that refuses rolls the claim back with the transaction.
    const row = (await claimForPayer(tx, intentId, payer, now, { payer_user_id: payer.id, approved_at: now }, 'sale')) ?? (await refuseApproval(ctx, tx, intentId, payer, now));
    await assertPayerMayPay(ctx, tx, row, payer);
    emit({ type: 'payment_intent.approved', objectId: intentId, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: intentId, payer_id: payer.id } });
    return { returnUrl: withQuery(row.return_url, { paymentIntent: intentId, payerId: payer.id }) };
  });
}

/** Why an approval's claim failed, refused in the order the checks are made. */
async function refuseApproval(ctx: Ctx, tx: Tx, intentId: string, payer: UserRow, now: number): Promise<never> {
  const row = await intentRow(tx, intentId);
  if (!row) throw new NotFoundError('La intención de pago no existe.');
  if (row.intent !== 'sale') refuse({ code: 'intent_wrong_type', operation: 'approve' });
  await assertPayerMayPay(ctx, tx, row, payer);
  return refusePayerClaim(row, payer, now);
}

/**
 * The buyer's approve or reject: one guarded UPDATE on an open intent that is unclaimed or
 * already this payer's (checked in the statement: another buyer's approval may have committed
 * since any earlier read). Answers the row as changed, or undefined when the claim fails.
 */
async function claimForPayer(tx: Tx, intentId: string, payer: UserRow, now: number, change: Partial<IntentRow>, intent?: IntentKind): Promise<IntentRow | undefined> {
  let q = tx
    .updateTable('payment_intents')
    .set(change)
    .where('id', '=', intentId)
    .where('state', '=', 'created')
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('payer_user_id', 'is', null), eb('payer_user_id', '=', payer.id)]));
  if (intent) q = q.where('intent', '=', intent);
  return (await q.returningAll().executeTakeFirst()) as IntentRow | undefined;
}

/** Why a payer's claim on this (freshly read) intent failed. */
function refusePayerClaim(current: IntentRow, payer: UserRow, now: number): never {
  if (current.payer_user_id && current.payer_user_id !== payer.id) refuse({ code: 'intent_other_payer' });
  return refuseState(current, effectiveState(current.state, current.expires_at, now));
}

/** The payer may not pay an intent that credits the payer's own account. */
async function assertPayerMayPay(ctx: Ctx, tx: Tx, row: IntentRow, payer: UserRow): Promise<void> {
  if (payer.type === 'operator') refuse({ code: 'operator_cannot_pay' });
  if (payer.id === row.merchant_user_id) refuse({ code: 'own_intent' });
  for (const t of JSON.parse(row.transactions) as IntentTransaction[]) {
    const account = await accountFacts(ctx.store, tx, t.destinationAccountId!);
    if (account?.owner_user_id === payer.id) refuse({ code: 'own_account' });
  }
}

export async function rejectIntent(ctx: Ctx, intentId: string, payer: UserRow): Promise<{ cancelUrl: string }> {
  return runCommand(ctx, undefined, async ({ tx, now, emit }) => {
    const row = await intentRow(tx, intentId);
    if (!row) throw new NotFoundError('La intención de pago no existe.');
    const claimed = await claimForPayer(tx, intentId, payer, now, { state: 'rejected', rejected_at: now, payer_user_id: payer.id });
    if (!claimed) refusePayerClaim((await intentRow(tx, intentId))!, payer, now);
    emit({ type: 'payment_intent.rejected', objectId: intentId, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: intentId, state: 'rejected' } });
    return { cancelUrl: row.cancel_url };
  });
}

export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

interface Executed {
  row: IntentRow;
  payment: { id: string; ref: string };
}

/**
 * Claim an intent for execution: the guarded UPDATE (only one caller can flip created →
 * executed) answers the row as changed, with the payer's name for the answer, or undefined
 * when this payer cannot execute it now. The payment's id is chosen before, so the claim
 * records it too.
 */
async function claimExecution(tx: Tx, id: string, payerId: string, now: number, paymentId: string, guard: { requireApproval: boolean; merchantUserId?: string; intent?: IntentKind }): Promise<{ row: IntentRow; payerName: string } | undefined> {
  let q = tx
    .updateTable('payment_intents')
    .set({ state: 'executed', executed_at: now, payer_user_id: payerId, payment_id: paymentId })
    .where('id', '=', id)
    .where('state', '=', 'created')
    .where('expires_at', '>', now)
    .where('payer_user_id', '=', payerId);
  if (guard.requireApproval) q = q.where('approved_at', 'is not', null);
  if (guard.merchantUserId) q = q.where('merchant_user_id', '=', guard.merchantUserId);
  if (guard.intent) q = q.where('intent', '=', guard.intent);
  const claimed = await q
    .returningAll()
    .returning((eb) => eb.selectFrom('users').select('users.name').whereRef('users.id', '=', 'payment_intents.payer_user_id').as('payer_name'))
    .executeTakeFirst();
  if (!claimed) return undefined;
  const { payer_name, ...row } = claimed;
  // payer_user_id references users: the name is there.
  return { row: row as IntentRow, payerName: payer_name! };
}

async function executeInTx(ctx: Ctx, scope: CommandScope, row: IntentRow, payer: UserRow, claim: { requireApproval: boolean; ref: string }): Promise<Executed> {
  const { tx, now } = scope;
  const paymentId = randomUUID();
  const claimed = await claimExecution(tx, row.id, payer.id, now, paymentId, { requireApproval: claim.requireApproval });
  if (!claimed) {
    const current = (await intentRow(tx, row.id))!;
    refuseState(current, effectiveState(current.state, current.expires_at, now));
  }
  return moveMoney(ctx, scope, claimed.row, payer.id, { id: paymentId, ref: claim.ref });
}

/**
 * Move the money of an intent just claimed: one balanced entry debits the payer and credits
 * the destinations, the distributions and the platform fee.
 */
async function moveMoney(ctx: Ctx, scope: CommandScope, row: IntentRow, payerId: string, payment: { id: string; ref: string }): Promise<Executed> {
  const { tx, now, emit } = scope;
  const currency = row.currency as Currency;
  const transactions = JSON.parse(row.transactions) as IntentTransaction[];
  const distributes = transactions.some((t) => t.distributions.length > 0);
  // Permissions may have changed since creation: distributions are checked again now.
  const app = distributes ? await tx.selectFrom('oauth_apps').select(['id', 'perm_distributions']).where('id', '=', row.app_id).executeTakeFirstOrThrow() : undefined;
  const authorized = new Set(app ? await distributionAccounts(tx, app.id) : []);
  const rule = await feeRule(tx, row.intent, currency);
  // Nothing before in this transaction opens accounts, as these two require.
  const payerWalletId = await walletAccountId(ctx.store, tx, payerId, currency, now);
  const feeAccountId = await systemAccountId(ctx.store, tx, SYSTEM_ACCOUNTS.platformFees, currency, now);
  const postings: Posting[] = [{ accountId: payerWalletId, currency, amountMinor: -row.amount_minor }];
  let feeTotal = 0;
  for (const t of transactions) {
    if (t.distributions.length && app?.perm_distributions !== 1) refuse({ code: 'distributions_disabled' });
    for (const d of t.distributions) {
      if (!authorized.has(d.accountId!)) refuse({ code: 'distribution_unauthorized' });
      postings.push({ accountId: d.accountId!, currency, amountMinor: d.amountMinor });
    }
    const fee = feeFor(t.totalMinor, rule);
    const merchantShare = t.totalMinor - sumMinor(t.distributions.map((d) => d.amountMinor)) - fee;
    if (merchantShare < 0) refuse({ code: 'fee_exceeds_amount' });
    if (merchantShare > 0) postings.push({ accountId: t.destinationAccountId!, currency, amountMinor: merchantShare });
    feeTotal += fee;
  }
  if (feeTotal > 0) postings.push({ accountId: feeAccountId, currency, amountMinor: feeTotal });
  // The payment and events first, the ledger entry (which locks the hot balance rows) last.
  const entryId = randomUUID();
  const destination = await accountFacts(ctx.store, tx, transactions[0]!.destinationAccountId!);
  if (!destination) throw new Error(`intent ${row.id}: destination account missing`);
  await createPayment(scope, {
    id: payment.id,
    ref: payment.ref,
    kind: row.intent,
    payerUserId: payerId,
    recipientUserId: destination.owner_user_id!,
    merchantUserId: row.merchant_user_id,
    appId: row.app_id,
    intentId: row.id,
    sourceAccountId: payerWalletId,
    currency,
    amountMinor: row.amount_minor,
    feeMinor: feeTotal,
    description: transactions[0]!.description,
    entryId,
  });
  emit({ type: 'payment_intent.executed', objectId: row.id, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: row.id, state: 'executed', payment_id: payment.id } });
  try {
    await postEntry(tx, { id: entryId, kind: `intent_${row.intent}`, description: transactions[0]!.description, referenceId: row.id, postings, now });
  } catch (error) {
    if (isRefused(error, 'insufficient_funds')) refuse({ code: 'insufficient_funds', operation: 'payment' });
    throw error;
  }
  return { row, payment };
}

/** The answer to an execution, from what it has in hand: a just-executed intent has no return-url calls yet. */
function executedIntent(executed: Executed, parties: Pick<IntentParts, 'payer' | 'recipient'>, now: number): Intent {
  return assembleIntent(executed.row, now, { ...parties, payment: executed.payment, historyResponses: [], recipientWallets: [] });
}

/** The merchant executes an approved `sale`, naming the payer who approved it. */
export async function executeSale(ctx: Ctx, merchantUserId: string, id: string, payerId: string, options?: CommandOptions<Intent>): Promise<Intent> {
  const now = await ctx.clock.now();
  const ref = await nextPaymentRef(ctx.store.db, now);
  const paymentId = randomUUID();
  return runCommand(
    ctx,
    options,
    async (scope) => {
      // The claim first, guarded on everything the checks below refuse: on the usual path its
      // answer is the only read of the intent.
      const claimed = await claimExecution(scope.tx, id, payerId, now, paymentId, { requireApproval: true, merchantUserId, intent: 'sale' });
      if (!claimed) {
        const row = await merchantIntentRow(scope.tx, merchantUserId, id);
        if (row.intent !== 'sale') refuse({ code: 'intent_wrong_type', operation: 'execute_sale' });
        if (row.payer_user_id !== payerId) {
          if (!row.approved_at) refuseState(row, effectiveState(row.state, row.expires_at, now));
          throw new ValidationError([{ path: ['payer'], message: 'El pagador no es quien aprobó la intención de pago.' }]);
        }
        return refuseState(row, effectiveState(row.state, row.expires_at, now));
      }
      const executed = await moveMoney(ctx, scope, claimed.row, payerId, { id: paymentId, ref });
      // A sale has no recipient: the payer is whoever approved it.
      return executedIntent(executed, { payer: { id: payerId, name: claimed.payerName } }, now);
    },
    now,
  );
}

/** At the till: the payer picks a pay token and types the operations PIN. */
export async function executeRequest(ctx: Ctx, merchantUserId: string, id: string, execution: { payToken: string; pin: string }, options?: CommandOptions<Intent>): Promise<Intent> {
  const row = await merchantIntentRow(ctx.store.db, merchantUserId, id);
  if (row.intent !== 'request') refuse({ code: 'intent_wrong_type', operation: 'execute_request' });
  const { payToken } = execution;
  const now = await ctx.clock.now();
  const state = effectiveState(row.state, row.expires_at, now);
  if (state !== 'created') refuseState(row, state);
  const account = await ctx.store.db.selectFrom('accounts').select(['id', 'owner_user_id', 'currency']).where('id', '=', payToken).executeTakeFirst();
  if (!account || account.owner_user_id !== row.recipient_user_id || account.currency !== row.currency) {
    throw new ValidationError([{ path: ['payToken'], message: 'El token de pago no es válido para esta intención.' }]);
  }
  await verifyPin(ctx, row.recipient_user_id!, execution.pin, ['pin']);
  const ref = await nextPaymentRef(ctx.store.db, now);
  return runCommand(
    ctx,
    options,
    async (scope) => {
      const payer = await getUser(scope.tx, row.recipient_user_id!);
      await assertPayerMayPay(ctx, scope.tx, row, payer);
      const executed = await executeInTx(ctx, scope, row, payer, { requireApproval: false, ref });
      // The payer of a request is its recipient.
      return executedIntent(executed, { payer, recipient: payer }, now);
    },
    now,
  );
}

/**
 * The recipient pays a `request` in the wallet (today: the sandbox helper; later the wallet
 * page). The merchant's return_url is then called server-side, recorded in history_responses.
 */
export async function payRequestInWallet(ctx: Ctx, id: string, payer: UserRow): Promise<{ callId: string }> {
  const now = await ctx.clock.now();
  const ref = await nextPaymentRef(ctx.store.db, now);
  return runCommand(ctx, undefined, async (scope) => {
    const { tx } = scope;
    const row = await intentRow(tx, id);
    if (!row) throw new NotFoundError('La intención de pago no existe.');
    if (row.intent !== 'request') refuse({ code: 'intent_wrong_type', operation: 'pay_in_wallet' });
    if (row.recipient_user_id !== payer.id) refuse({ code: 'intent_for_other_user' });
    await assertPayerMayPay(ctx, tx, row, payer);
    await executeInTx(ctx, scope, row, payer, { requireApproval: false, ref });
    const callId = randomUUID();
    await tx
      .insertInto('return_url_calls')
      .values({ id: callId, intent_id: id, uri: withQuery(row.return_url, { paymentIntent: id, payerId: payer.id }), state: 'pending', status_code: null, body: null, error: null, claimed_until: null, created_at: now, called_at: null })
      .execute();
    return { callId };
  }, now);
}

/** `cancel.json`: annul an executed intent within 24 h; every posting is reversed. */
export async function annulIntent(ctx: Ctx, merchantUserId: string, id: string, options?: CommandOptions<Intent>): Promise<Intent> {
  return runCommand(ctx, options, async ({ tx, now, emit }) => {
    // The claim answers the row after it, so with the payment of an execution that committed
    // while the claim waited for the row's lock (PostgreSQL).
    const row = (await tx
      .updateTable('payment_intents')
      .set({ state: 'annulled', annulled_at: now })
      .where('id', '=', id)
      .where('merchant_user_id', '=', merchantUserId)
      .where('state', '=', 'executed')
      .where('executed_at', '>', now - ANNUL_WINDOW_MS)
      .returningAll()
      .executeTakeFirst()) as IntentRow | undefined;
    if (!row) {
      const current = await merchantIntentRow(tx, merchantUserId, id);
      if (current.state === 'annulled') refuse({ code: 'already_annulled' });
      if (current.state === 'executed') refuse({ code: 'annul_window_passed' });
      return refuse({ code: 'not_executed' });
    }
    const payment = await tx.selectFrom('payments').selectAll().where('id', '=', row.payment_id!).executeTakeFirstOrThrow();
    const original = await tx.selectFrom('postings').select(['account_id', 'currency', 'amount_minor']).where('entry_id', '=', payment.entry_id).orderBy('line').execute();
    const reversalId = randomUUID();
    await cancelPayment(tx, payment.id, reversalId, now);
    emit({ type: 'payment_intent.annulled', objectId: id, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id, state: 'annulled' } });
    emit({ type: 'payment.updated', objectId: payment.id, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: payment.id, status: 'canceled' } });
    try {
      await postEntry(tx, {
        id: reversalId,
        kind: 'annulment',
        description: `Anulación ${payment.ref}`,
        referenceId: row.id,
        postings: original.map((p) => ({ accountId: p.account_id, currency: p.currency, amountMinor: -p.amount_minor })),
        now,
      });
    } catch (error) {
      if (isRefused(error, 'insufficient_funds')) refuse({ code: 'funds_moved' });
      throw error;
    }
    // The answer from the row in hand; the payer, the payment's ref and any return-url calls
    // are read for it in three statements.
    return (await intentsOf(tx, [row], now))[0]!;
  });
}

/**
 * Worker tick: store the expiry of intents nobody executed in time (readers already see them
 * as expired) and publish `payment_intent.expired`.
 */
export async function expireIntents(ctx: Ctx, limit = 100): Promise<number> {
  const now = await ctx.clock.now();
  const due = await ctx.store.db.selectFrom('payment_intents').select(['id', 'merchant_user_id', 'app_id']).where('state', '=', 'created').where('expires_at', '<=', now).limit(limit).execute();
  let expired = 0;
  for (const row of due) {
    await runCommand(
      ctx,
      undefined,
      async ({ tx, emit }) => {
        const updated = await tx.updateTable('payment_intents').set({ state: 'expired' }).where('id', '=', row.id).where('state', '=', 'created').where('expires_at', '<=', now).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return;
        expired++;
        emit({ type: 'payment_intent.expired', objectId: row.id, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: row.id, state: 'expired' } });
      },
      now,
    );
  }
  return expired;
}
