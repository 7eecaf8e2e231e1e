// Execute an intent: claim it (only one caller can flip created → executed), then move the
// money in one balanced ledger entry with distributions and fees, in the same transaction.
import { newRowId } from '../../kernel/ids.ts';
import { InvariantError } from '../../kernel/errors.ts';
import { sumMinor, type Currency } from '../../kernel/money.ts';
import { isRefused, refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { distributionAccounts, findAppDistributionPermission } from '../apps/index.ts';
import { runCommand, type CommandOptions, type CommandScope } from '../commands/index.ts';
import { feeFor, feeRule } from '../fees/index.ts';
import { getUser, verifyPin, type UserRow } from '../identity/index.ts';
import { accountFacts, findAccountOwner, postEntry, SYSTEM_ACCOUNTS, systemAccountId, walletAccountId, type Posting } from '../ledger/index.ts';
import { createPayment, nextPaymentRef } from '../payments/index.ts';
import { assertPayerMayPay, refuseState } from './checks.ts';
import { effectiveState, type IntentTransaction } from './model.ts';
import { claimIntentExecution, type IntentRow } from './repo.ts';
import { assembleIntent, intentRow, merchantIntentRow, type Intent, type IntentParts } from './views.ts';

interface Executed {
  row: IntentRow;
  payment: { id: string; ref: string };
}

export async function executeInTx(
  ctx: Ctx,
  scope: CommandScope,
  row: IntentRow,
  payer: UserRow,
  claim: { requireApproval: boolean; ref: string },
): Promise<Executed> {
  const { tx, now } = scope;
  const paymentId = newRowId();
  const claimed = await claimIntentExecution(tx, row.id, payer.id, now, paymentId, { requireApproval: claim.requireApproval });
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
  const app = distributes ? await findAppDistributionPermission(tx, row.app_id) : undefined;
  const authorized = new Set(app ? await distributionAccounts(tx, app.id) : []);
  const rule = await feeRule(ctx, tx, row.intent, currency);
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
  // The payment and events first, the ledger entry (which locks the hot balance rows) last
  // (on PostgreSQL they are sent together with its first balance update: see postEntry).
  const entryId = newRowId();
  const destination = await accountFacts(ctx.store, tx, transactions[0]!.destinationAccountId!);
  if (!destination) throw new InvariantError(`intent ${row.id}: destination account missing`);
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
  emit({
    type: 'payment_intent.executed',
    objectId: row.id,
    ownerUserId: row.merchant_user_id,
    appId: row.app_id,
    payload: { id: row.id, state: 'executed', payment_id: payment.id },
  });
  try {
    await postEntry(scope, { id: entryId, kind: `intent_${row.intent}`, description: transactions[0]!.description, referenceId: row.id, postings, now });
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
  const paymentId = newRowId();
  return runCommand(
    ctx,
    options,
    async (scope) => {
      // The claim first, guarded on everything the checks below refuse: on the usual path its
      // answer is the only read of the intent.
      const claimed = await claimIntentExecution(scope.tx, id, payerId, now, paymentId, { requireApproval: true, merchantUserId, intent: 'sale' });
      if (!claimed) {
        const row = await merchantIntentRow(scope.tx, merchantUserId, id);
        if (row.intent !== 'sale') refuse({ code: 'intent_wrong_type', operation: 'execute_sale' });
        if (row.payer_user_id !== payerId) {
          if (!row.approved_at) refuseState(row, effectiveState(row.state, row.expires_at, now));
          refuse({ code: 'payer_not_approver', field: ['payer'] });
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
export async function executeRequest(
  ctx: Ctx,
  merchantUserId: string,
  id: string,
  execution: { payToken: string; pin: string },
  options?: CommandOptions<Intent>,
): Promise<Intent> {
  const row = await merchantIntentRow(ctx.store.db, merchantUserId, id);
  if (row.intent !== 'request') refuse({ code: 'intent_wrong_type', operation: 'execute_request' });
  const { payToken } = execution;
  const now = await ctx.clock.now();
  const state = effectiveState(row.state, row.expires_at, now);
  if (state !== 'created') refuseState(row, state);
  const account = await findAccountOwner(ctx.store.db, payToken);
  if (!account || account.owner_user_id !== row.recipient_user_id || account.currency !== row.currency) {
    refuse({ code: 'pay_token_invalid', field: ['payToken'] });
  }
  // Counted at this merchant's till: its wrong PINs lock the PIN here only.
  await verifyPin(ctx, row.recipient_user_id!, execution.pin, ['pin'], { merchantUserId });
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
