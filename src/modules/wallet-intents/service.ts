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
import { sql } from 'kysely';
import type { Db, Tx } from '../../store/db.ts';
import type { PaymentIntentsTable } from '../../store/schema-payments.ts';
import { distributionAccounts, hasPermission, type AppRow } from '../apps/service.ts';
import type { Ctx } from '../../platform/context.ts';
import { runCommand, type CommandOptions, type CommandScope } from '../commands/index.ts';
import { feeRule } from '../fees/service.ts';
import { postEntry, SYSTEM_ACCOUNTS, systemAccount, walletAccount } from '../ledger/service.ts';
import { cancelPayment, createPayment, nextPaymentRef } from '../payments/service.ts';
import { findUserByReference, getUser, verifyPin, type UserRow } from '../identity/users.ts';
import { resolveWallet } from '../wallets/service.ts';
import { checkTargetUrl } from '../../platform/ssrf.ts';

export type IntentRow = PaymentIntentsTable;

export interface Intent {
  row: IntentRow;
  state: IntentStateName;
  transactions: IntentTransaction[];
  payer?: UserRow;
  recipient?: UserRow;
  payment?: { id: string; ref: string };
  historyResponses: { uri: string; method: 'GET'; statusCode: number | null; body: string | null; error: string | null }[];
  payTokens: { id: string; name: string }[];
}

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
    await resolveAccounts(tx, auth.app, form.transactions, form.currency, now);
    const id = randomUUID();
    await tx
      .insertInto('payment_intents')
      .values({
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
      })
      .execute();
    emit({ type: 'payment_intent.created', objectId: id, ownerUserId: auth.user.id, appId: auth.app.id, payload: { id, intent: form.intent, state: 'created' } });
    return loadIntent(ctx, id, tx, now);
  });
}

/**
 * Resolve each transaction's credited account (default: the app's receiving account) and the
 * distributions' accounts, which must be authorized for the app beforehand.
 */
async function resolveAccounts(tx: Tx, app: AppRow, transactions: IntentTransaction[], currency: Currency, now: number): Promise<void> {
  const authorized = new Set(await distributionAccounts(tx, app.id));
  for (const [n, t] of transactions.entries()) {
    if (t.destination) {
      const target = await resolveWallet(tx, t.destination, currency, now);
      if (!target) throw new ValidationError([{ path: ['transactions', String(n), 'digitalAccountDestination'], message: 'La cuenta destino no existe.' }]);
      t.destinationAccountId = target.accountId;
    } else {
      const receiving = await tx.selectFrom('accounts').select(['id', 'currency', 'owner_user_id']).where('id', '=', app.receiving_account_id).executeTakeFirstOrThrow();
      t.destinationAccountId = receiving.currency === currency ? receiving.id : (await walletAccount(tx, receiving.owner_user_id!, currency, now)).id;
    }
    if (t.distributions.length && !hasPermission(app, 'distributions')) {
      throw new ValidationError([{ path: ['transactions', String(n), 'distributions'], message: 'La aplicación no tiene habilitada la distribución de fondos.' }]);
    }
    for (const [k, d] of t.distributions.entries()) {
      const target = await resolveWallet(tx, d.destination, currency, now);
      if (!target || !authorized.has(target.accountId)) {
        throw new ValidationError([{ path: ['transactions', String(n), 'distributions', String(k), 'digitalAccountDestination'], message: 'La cuenta no está autorizada para recibir distribuciones de esta aplicación.' }]);
      }
      d.accountId = target.accountId;
    }
  }
}

async function intentRow(db: Db | Tx, id: string): Promise<IntentRow | undefined> {
  return (await db.selectFrom('payment_intents').selectAll().where('id', '=', id).executeTakeFirst()) as IntentRow | undefined;
}

export async function loadIntent(ctx: Ctx, id: string, db: Db | Tx = ctx.store.db, at?: number): Promise<Intent> {
  const row = await intentRow(db, id);
  if (!row) throw new NotFoundError('La intención de pago no existe.');
  const now = at ?? (await ctx.clock.now());
  const transactions = JSON.parse(row.transactions) as IntentTransaction[];
  const payer = row.payer_user_id ? await getUser(db, row.payer_user_id) : undefined;
  const recipient = row.recipient_user_id ? await getUser(db, row.recipient_user_id) : undefined;
  const payment = row.payment_id ? await db.selectFrom('payments').select(['id', 'ref']).where('id', '=', row.payment_id).executeTakeFirst() : undefined;
  const calls = await db.selectFrom('return_url_calls').selectAll().where('intent_id', '=', id).where('state', '=', 'done').orderBy('called_at').execute();
  const state = effectiveState(row.state, row.expires_at, now);
  let payTokens: Intent['payTokens'] = [];
  if (row.intent === 'request' && recipient && state === 'created') {
    const wallets = await db.selectFrom('accounts').select('id').where('owner_user_id', '=', recipient.id).where('kind', '=', 'wallet').where('currency', '=', row.currency).execute();
    payTokens = wallets.map((w) => ({ id: w.id, name: `${recipient.identification ?? recipient.username}-${recipient.name}` }));
  }
  return {
    row,
    state,
    transactions,
    payer,
    recipient,
    payment,
    historyResponses: calls.map((c) => ({ uri: c.uri, method: 'GET', statusCode: c.status_code, body: c.body, error: c.error })),
    payTokens,
  };
}

/** A merchant sees only its own intents: another merchant's id is "not found". */
export async function getMerchantIntent(ctx: Ctx, merchantUserId: string, id: string): Promise<Intent> {
  await merchantIntentRow(ctx.store.db, merchantUserId, id);
  return loadIntent(ctx, id);
}

const LIST_CHUNK = 20;

/** The columns of an intent but its transactions (those are read summarized, see below). */
const LIST_COLUMNS = [
  'id', 'app_id', 'merchant_user_id', 'intent', 'state', 'currency', 'amount_minor', 'return_url', 'cancel_url', 'recipient_user_id', 'payer_user_id',
  'approved_at', 'executed_at', 'annulled_at', 'rejected_at', 'expires_at', 'payment_id', 'created_at',
] as const satisfies readonly (keyof IntentRow)[];

/**
 * A page of the merchant's intents as list summaries: each transaction without its items and
 * distributions — the database leaves them out, so a page never reads them (they are most of
 * an intent's weight) — and no return-URL history. A fixed handful of queries per page,
 * whatever its size: one slow page must not hold the event loop (or the database) for long.
 */
export async function listIntentSummaries(ctx: Ctx, merchantUserId: string, page: number, perPage: number): Promise<{ total: number; items: Intent[] }> {
  const db = ctx.store.db;
  const countRow = await db.selectFrom('payment_intents').select((eb) => eb.fn.countAll<number>().as('n')).where('merchant_user_id', '=', merchantUserId).executeTakeFirstOrThrow();
  const summarized =
    ctx.store.dialect === 'postgres'
      ? sql<string>`(select coalesce(json_agg(e.value - 'items' - 'distributions' order by e.n), '[]')::text from jsonb_array_elements(payment_intents.transactions::jsonb) with ordinality as e(value, n))`
      : sql<string>`(select json_group_array(json_remove(e.value, '$.items', '$.distributions')) from (select value from json_each(payment_intents.transactions) order by key) as e)`;
  const ids = await db
    .selectFrom('payment_intents')
    .select('id')
    .where('merchant_user_id', '=', merchantUserId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  // Read in chunks, letting other requests run in between: on SQLite every query blocks the
  // event loop while it runs, and a page of 100 maximal intents is tens of milliseconds.
  const byId = new Map<string, Omit<IntentRow, 'transactions'> & { summary: string }>();
  for (let i = 0; i < ids.length; i += LIST_CHUNK) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const chunk = ids.slice(i, i + LIST_CHUNK).map((r) => r.id);
    const found = await db.selectFrom('payment_intents').select([...LIST_COLUMNS, summarized.as('summary')]).where('id', 'in', chunk).execute();
    for (const row of found) byId.set(row.id, row as Omit<IntentRow, 'transactions'> & { summary: string });
  }
  const rows = ids.map((r) => byId.get(r.id)).filter((r) => r !== undefined);
  const now = await ctx.clock.now();
  const userIds = [...new Set(rows.flatMap((r) => [r.payer_user_id, r.recipient_user_id]).filter((x): x is string => !!x))];
  const users = new Map((userIds.length ? ((await db.selectFrom('users').selectAll().where('id', 'in', userIds).execute()) as UserRow[]) : []).map((u) => [u.id, u]));
  const paymentIds = rows.map((r) => r.payment_id).filter((x): x is string => !!x);
  const payments = new Map((paymentIds.length ? await db.selectFrom('payments').select(['id', 'ref']).where('id', 'in', paymentIds).execute() : []).map((p) => [p.id, p]));
  const states = rows.map((r) => effectiveState(r.state, r.expires_at, now));
  // Pay tokens: the wallets of each open request's recipient in the request's currency.
  const recipients = [...new Set(rows.filter((r, i) => r.intent === 'request' && states[i] === 'created' && r.recipient_user_id).map((r) => r.recipient_user_id!))];
  const wallets = recipients.length ? await db.selectFrom('accounts').select(['id', 'owner_user_id', 'currency']).where('owner_user_id', 'in', recipients).where('kind', '=', 'wallet').execute() : [];
  const items = rows.map((r, i): Intent => {
    const { summary, ...columns } = r;
    const row: IntentRow = { ...columns, transactions: '' };
    const recipient = r.recipient_user_id ? users.get(r.recipient_user_id) : undefined;
    const transactions = (JSON.parse(summary) as IntentTransaction[]).map((t) => ({ ...t, items: [], distributions: [] }));
    const payTokens =
      r.intent === 'request' && recipient && states[i] === 'created'
        ? wallets.filter((w) => w.owner_user_id === recipient.id && w.currency === r.currency).map((w) => ({ id: w.id, name: `${recipient.identification ?? recipient.username}-${recipient.name}` }))
        : [];
    return {
      row,
      state: states[i]!,
      transactions,
      payer: r.payer_user_id ? users.get(r.payer_user_id) : undefined,
      recipient,
      payment: r.payment_id ? payments.get(r.payment_id) : undefined,
      historyResponses: [],
      payTokens,
    };
  });
  return { total: Number(countRow.n), items };
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
    const row = await intentRow(tx, intentId);
    if (!row) throw new NotFoundError('La intención de pago no existe.');
    if (row.intent !== 'sale') refuse({ code: 'intent_wrong_type', operation: 'approve' });
    await assertPayerMayPay(tx, row, payer);
    await claimForPayer(tx, intentId, payer, now, { payer_user_id: payer.id, approved_at: now });
    emit({ type: 'payment_intent.approved', objectId: intentId, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: intentId, payer_id: payer.id } });
    return { returnUrl: withQuery(row.return_url, { paymentIntent: intentId, payerId: payer.id }) };
  });
}

/**
 * The buyer's approve or reject: one guarded UPDATE on an open intent that is unclaimed or
 * already this payer's (checked in the statement: another buyer's approval may have committed
 * since any earlier read); otherwise say why not.
 */
async function claimForPayer(tx: Tx, intentId: string, payer: UserRow, now: number, change: Partial<IntentRow>): Promise<void> {
  const updated = await tx
    .updateTable('payment_intents')
    .set(change)
    .where('id', '=', intentId)
    .where('state', '=', 'created')
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('payer_user_id', 'is', null), eb('payer_user_id', '=', payer.id)]))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) return;
  const current = (await intentRow(tx, intentId))!;
  if (current.payer_user_id && current.payer_user_id !== payer.id) refuse({ code: 'intent_other_payer' });
  refuseState(current, effectiveState(current.state, current.expires_at, now));
}

/** The payer may not pay an intent that credits the payer's own account. */
async function assertPayerMayPay(tx: Tx, row: IntentRow, payer: UserRow): Promise<void> {
  if (payer.type === 'operator') refuse({ code: 'operator_cannot_pay' });
  if (payer.id === row.merchant_user_id) refuse({ code: 'own_intent' });
  for (const t of JSON.parse(row.transactions) as IntentTransaction[]) {
    const account = await tx.selectFrom('accounts').select('owner_user_id').where('id', '=', t.destinationAccountId!).executeTakeFirst();
    if (account?.owner_user_id === payer.id) refuse({ code: 'own_account' });
  }
}

export async function rejectIntent(ctx: Ctx, intentId: string, payer: UserRow): Promise<{ cancelUrl: string }> {
  return runCommand(ctx, undefined, async ({ tx, now, emit }) => {
    const row = await intentRow(tx, intentId);
    if (!row) throw new NotFoundError('La intención de pago no existe.');
    await claimForPayer(tx, intentId, payer, now, { state: 'rejected', rejected_at: now, payer_user_id: payer.id });
    emit({ type: 'payment_intent.rejected', objectId: intentId, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: intentId, state: 'rejected' } });
    return { cancelUrl: row.cancel_url };
  });
}

export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/**
 * Move the money of an intent: the guarded UPDATE claims the intent (only one caller can
 * flip created → executed), then one balanced entry debits the payer and credits the
 * destinations, the distributions and the platform fee.
 */
async function executeInTx(scope: CommandScope, row: IntentRow, payer: UserRow, claim: { requireApproval: boolean; ref: string }): Promise<string> {
  const { tx, now, emit } = scope;
  let q = tx
    .updateTable('payment_intents')
    .set({ state: 'executed', executed_at: now, payer_user_id: payer.id })
    .where('id', '=', row.id)
    .where('state', '=', 'created')
    .where('expires_at', '>', now)
    .where('payer_user_id', '=', payer.id);
  if (claim.requireApproval) q = q.where('approved_at', 'is not', null);
  const claimed = await q.executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) {
    const current = (await intentRow(tx, row.id))!;
    refuseState(current, effectiveState(current.state, current.expires_at, now));
  }
  const currency = row.currency as Currency;
  const transactions = JSON.parse(row.transactions) as IntentTransaction[];
  const app = await tx.selectFrom('oauth_apps').select(['id', 'perm_distributions']).where('id', '=', row.app_id).executeTakeFirstOrThrow();
  const authorized = new Set(await distributionAccounts(tx, app.id));
  const rule = await feeRule(tx, row.intent, currency);
  const payerWallet = await walletAccount(tx, payer.id, currency, now);
  const feeAccount = await systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, currency, now);
  const postings: Posting[] = [{ accountId: payerWallet.id, currency, amountMinor: -row.amount_minor }];
  let feeTotal = 0;
  for (const t of transactions) {
    // Permissions may have changed since creation: distributions are checked again now.
    if (t.distributions.length && app.perm_distributions !== 1) refuse({ code: 'distributions_disabled' });
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
  if (feeTotal > 0) postings.push({ accountId: feeAccount.id, currency, amountMinor: feeTotal });
  // The payment and events first, the ledger entry (which locks the hot balance rows) last.
  const entryId = randomUUID();
  const destinationOwner = await tx.selectFrom('accounts').select('owner_user_id').where('id', '=', transactions[0]!.destinationAccountId!).executeTakeFirstOrThrow();
  const payment = await createPayment(scope, {
    ref: claim.ref,
    kind: row.intent,
    payerUserId: payer.id,
    recipientUserId: destinationOwner.owner_user_id!,
    merchantUserId: row.merchant_user_id,
    appId: row.app_id,
    intentId: row.id,
    sourceAccountId: payerWallet.id,
    currency,
    amountMinor: row.amount_minor,
    feeMinor: feeTotal,
    description: transactions[0]!.description,
    entryId,
  });
  await tx.updateTable('payment_intents').set({ payment_id: payment.id }).where('id', '=', row.id).execute();
  emit({ type: 'payment_intent.executed', objectId: row.id, ownerUserId: row.merchant_user_id, appId: row.app_id, payload: { id: row.id, state: 'executed', payment_id: payment.id } });
  try {
    await postEntry(tx, { id: entryId, kind: `intent_${row.intent}`, description: transactions[0]!.description, referenceId: row.id, postings, now });
  } catch (error) {
    if (isRefused(error, 'insufficient_funds')) refuse({ code: 'insufficient_funds', operation: 'payment' });
    throw error;
  }
  return payment.id;
}

/** The intent if it is this merchant's; another merchant's id is "not found". */
export async function merchantIntentRow(tx: Db | Tx, merchantUserId: string, id: string): Promise<IntentRow> {
  const row = await intentRow(tx, id);
  if (!row || row.merchant_user_id !== merchantUserId) throw new NotFoundError('La intención de pago no existe.');
  return row;
}

/** The merchant executes an approved `sale`, naming the payer who approved it. */
export async function executeSale(ctx: Ctx, merchantUserId: string, id: string, payerId: string, options?: CommandOptions<Intent>): Promise<Intent> {
  const now = await ctx.clock.now();
  const ref = await nextPaymentRef(ctx.store.db, now);
  return runCommand(
    ctx,
    options,
    async (scope) => {
      const row = await merchantIntentRow(scope.tx, merchantUserId, id);
      if (row.intent !== 'sale') refuse({ code: 'intent_wrong_type', operation: 'execute_sale' });
      if (row.payer_user_id !== payerId) {
        if (!row.approved_at) refuseState(row, effectiveState(row.state, row.expires_at, now));
        throw new ValidationError([{ path: ['payer'], message: 'El pagador no es quien aprobó la intención de pago.' }]);
      }
      const payer = await getUser(scope.tx, payerId);
      await executeInTx(scope, row, payer, { requireApproval: true, ref });
      return loadIntent(ctx, id, scope.tx, now);
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
      await assertPayerMayPay(scope.tx, row, payer);
      await executeInTx(scope, row, payer, { requireApproval: false, ref });
      return loadIntent(ctx, id, scope.tx, now);
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
    await assertPayerMayPay(tx, row, payer);
    await executeInTx(scope, row, payer, { requireApproval: false, ref });
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
    const row = await merchantIntentRow(tx, merchantUserId, id);
    const claimed = await tx
      .updateTable('payment_intents')
      .set({ state: 'annulled', annulled_at: now })
      .where('id', '=', id)
      .where('state', '=', 'executed')
      .where('executed_at', '>', now - ANNUL_WINDOW_MS)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      const current = (await intentRow(tx, id))!;
      if (current.state === 'annulled') refuse({ code: 'already_annulled' });
      if (current.state === 'executed') refuse({ code: 'annul_window_passed' });
      refuse({ code: 'not_executed' });
    }
    // Read after the claim: the row read before it may predate an execution that committed
    // while the claim waited for its lock (PostgreSQL), and so lack the payment.
    const executed = (await intentRow(tx, id))!;
    const payment = await tx.selectFrom('payments').selectAll().where('id', '=', executed.payment_id!).executeTakeFirstOrThrow();
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
    return loadIntent(ctx, id, tx, now);
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
