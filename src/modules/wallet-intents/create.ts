// Create a payment intent (botón de pago `sale`, API de facturación `request`): the app's
// permission, the recipient and every credited account are checked before the row is written.
import { newRowId } from '../../kernel/ids.ts';
import { InvariantError, ValidationError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Currency } from '../../kernel/money.ts';
import type { Tx } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { checkTargetUrl } from '../../platform/ssrf.ts';
import { distributionAccounts, hasPermission, type AppRow } from '../apps/index.ts';
import { runCommand, type CommandOptions } from '../commands/index.ts';
import { findUserByReference, type UserRow } from '../identity/index.ts';
import { accountFacts, findWalletIds, walletAccount } from '../ledger/index.ts';
import { resolveWallet } from '../wallets/index.ts';
import { transactionsSummary, type IntentForm, type IntentTransaction } from './model.ts';
import { insertIntent } from './repo.ts';
import { assembleIntent, wantsPayTokens, type Intent, type IntentRow } from './views.ts';

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
    if (refused) throw new ValidationError([{ path: ['redirectUrls', 'returnUrl'], ...refused }]);
  }
  return runCommand(ctx, options, async ({ tx, now, emit }) => {
    let recipient: UserRow | undefined;
    if (form.intent === 'request') {
      recipient = await findUserByReference(tx, form.recipient!);
      if (!recipient || recipient.type === 'operator') refuse({ code: 'unknown_party', role: 'recipient', field: ['recipient'] });
      if (recipient.id === auth.user.id) refuse({ code: 'request_to_self', field: ['recipient'] });
    }
    await resolveAccounts(ctx, tx, auth.app, form.transactions, form.currency, now);
    const id = newRowId();
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
      summary: transactionsSummary(form.transactions),
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
    await insertIntent(tx, row);
    emit({
      type: 'payment_intent.created',
      objectId: id,
      ownerUserId: auth.user.id,
      appId: auth.app.id,
      payload: { id, intent: form.intent, state: 'created' },
    });
    // The answer from the row just written: a new intent has no payment and no return-url
    // calls, and a request names its recipient as the payer from the start.
    const recipientWallets = recipient && wantsPayTokens(row, now) ? await findWalletIds(tx, recipient.id, form.currency) : [];
    return assembleIntent(row, now, { payer: recipient, recipient, historyResponses: [], recipientWallets });
  });
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
      if (!target) refuse({ code: 'unknown_party', role: 'destination', field: ['transactions', String(n), 'digitalAccountDestination'] });
      t.destinationAccountId = target.accountId;
    } else {
      const receiving = await accountFacts(ctx.store, tx, app.receiving_account_id);
      if (!receiving) throw new InvariantError(`app ${app.id}: receiving account ${app.receiving_account_id} missing`);
      t.destinationAccountId = receiving.currency === currency ? receiving.id : (await walletAccount(tx, receiving.owner_user_id!, currency, now)).id;
    }
    if (t.distributions.length && !hasPermission(app, 'distributions')) {
      refuse({ code: 'distributions_disabled', field: ['transactions', String(n), 'distributions'] });
    }
    if (t.distributions.length) authorized ??= new Set(await distributionAccounts(tx, app.id));
    for (const [k, d] of t.distributions.entries()) {
      const target = await resolveWallet(tx, d.destination, currency, now);
      if (!target || !authorized!.has(target.accountId)) {
        refuse({ code: 'distribution_unauthorized', field: ['transactions', String(n), 'distributions', String(k), 'digitalAccountDestination'] });
      }
      d.accountId = target.accountId;
    }
  }
}
