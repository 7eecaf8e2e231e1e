// Wallet accounts ("cuentas electrónicas"): balances, sandbox funding and person-to-person
// transfers ("enviar dinero").
import { randomUUID } from 'node:crypto';
import { newRowId } from '../../kernel/ids.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import { WALLET_MESSAGES } from './rules.ts';
import { refuse } from '../../kernel/refusals.ts';
import { runCommand, type CommandOptions } from '../commands/index.ts';
import { formatAmount, parseAmount, parseCurrency, type Currency } from '../../kernel/money.ts';
import { type Db, type Tx } from '../../store/db.ts';
import { claimSetting } from '../../store/settings.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  findAccountFacts,
  findMovementsOfOwner,
  findWalletAccounts,
  lockAccountBalance,
  postEntry,
  SYSTEM_ACCOUNTS,
  systemAccount,
  transferPostings,
  walletAccount,
  type MovementPosition,
} from '../ledger/index.ts';
import { feeFor } from '../fees/index.ts';
import { feeRule } from '../fees/index.ts';
import { createPayment, nextPaymentRef } from '../payments/index.ts';
import { findUserByReference, getUser, isTestUser, verifyPin } from '../identity/index.ts';
import { iso } from '../../kernel/instants.ts';

/**
 * A wallet as its owner sees it. `balance` is the available balance — what can be spent or
 * sent now, the ledger balance less the money reserved by pending holds — and `held` is that
 * reserved part (a card authorization not yet captured); the ledger balance is their sum.
 */
export interface WalletView {
  id: string;
  currency: Currency;
  balance: string;
  balanceMinor: number;
  held: string;
  heldMinor: number;
}

function walletView(row: { id: string; currency: string; balance_minor: number; held_minor: number }): WalletView {
  const currency = row.currency as Currency;
  const available = row.balance_minor - row.held_minor;
  return {
    id: row.id,
    currency,
    balance: formatAmount(available, currency),
    balanceMinor: available,
    held: formatAmount(row.held_minor, currency),
    heldMinor: row.held_minor,
  };
}

export async function listWallets(db: Db | Tx, userId: string): Promise<WalletView[]> {
  const rows = await findWalletAccounts(db, userId);
  return rows.map(walletView);
}

/** Open the user's wallet in another currency (one per currency). */
export async function openWallet(ctx: Ctx, userId: string, currencyInput: unknown): Promise<WalletView> {
  const currency = parseCurrency(currencyInput, ['currency']);
  const now = await ctx.clock.now();
  const account = await runCommand(ctx, undefined, ({ tx }) => walletAccount(tx, userId, currency, now));
  return walletView(account);
}

/**
 * The account a payment names by `digitalAccountDestination`: a wallet account id, or a
 * username whose wallet in `currency` is used (opened if the user has none yet).
 */
export async function resolveWallet(tx: Tx, reference: string, currency: Currency, now: number) {
  const byId = await findAccountFacts(tx, reference);
  if (byId) {
    if (byId.kind !== 'wallet' || byId.currency !== currency) return undefined;
    return { accountId: byId.id, userId: byId.owner_user_id! };
  }
  const user = await findUserByReference(tx, reference);
  if (!user || user.type === 'operator') return undefined;
  const account = await walletAccount(tx, user.id, currency, now);
  return { accountId: account.id, userId: user.id };
}

/**
 * Sandbox only: add test money to a user's wallet from the sandbox funding account. `mayFund`
 * (the sandbox helpers' rule) sees the wallet's owner before any money moves and may refuse.
 */
export async function fundWallet(
  ctx: Ctx,
  input: { account: unknown; amount: unknown; currency?: unknown },
  mayFund?: (tx: Tx, ownerUserId: string) => Promise<void>,
): Promise<WalletView> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  const currency = parseCurrency(input.currency, ['currency']);
  const amountMinor = parseAmount(input.amount, currency, { path: ['amount'] });
  if (typeof input.account !== 'string' || !input.account)
    throw new ValidationError([{ path: ['account'], message: COMMON_MESSAGES.required.es, code: 'common.required' }]);
  const now = await ctx.clock.now();
  return runCommand(ctx, undefined, async ({ tx }) => {
    const target = await resolveWallet(tx, input.account as string, currency, now);
    if (!target) throw new NotFoundError(WALLET_MESSAGES.accountUnknown.es, 'wallets.accountUnknown');
    await mayFund?.(tx, target.userId);
    const funding = await systemAccount(tx, SYSTEM_ACCOUNTS.sandboxFunding, currency, now);
    await postEntry(tx, {
      kind: 'sandbox_funding',
      description: 'Recarga de prueba',
      postings: transferPostings(funding.id, target.accountId, currency, amountMinor),
      now,
    });
    const wallets = await listWallets(tx, target.userId);
    return wallets.find((w) => w.id === target.accountId)!;
  });
}

/**
 * Sandbox: bring a user's wallet up to at least `targetMinor` (demo data). The balance is read
 * under the row lock of the transaction that funds it, so concurrent runs fund once.
 */
export async function topUpTo(ctx: Ctx, userId: string, currency: Currency, targetMinor: number, options: { once?: string } = {}): Promise<void> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  const now = await ctx.clock.now();
  await runCommand(ctx, undefined, async ({ tx }) => {
    // `once`: a marker claimed in the same transaction as the posting, so the top-up happens
    // at most once ever under that name (on PostgreSQL a concurrent claim waits for this one).
    const nonce = randomUUID();
    if (options.once && (await claimSetting(tx, options.once, nonce)) !== nonce) return;
    const wallet = await walletAccount(tx, userId, currency, now);
    const { balance_minor, held_minor } = await lockAccountBalance(tx, ctx.store.dialect, wallet.id);
    // What the user can spend: held money does not count.
    const available = balance_minor - held_minor;
    if (available >= targetMinor) return;
    const funding = await systemAccount(tx, SYSTEM_ACCOUNTS.sandboxFunding, currency, now);
    await postEntry(tx, {
      kind: 'sandbox_funding',
      description: 'Recarga de prueba',
      postings: transferPostings(funding.id, wallet.id, currency, targetMinor - available),
      now,
    });
  });
}

export interface SendMoneyInput {
  /** Username, phone, identification or wallet account id of the recipient. */
  to: string;
  amountMinor: number;
  currency: Currency;
  pin: string;
  description: string;
}

export interface Transfer {
  entryId: string;
  paymentId: string;
  ref: string;
  feeMinor: number;
  amountMinor: number;
  currency: Currency;
  fromAccountId: string;
  toAccountId: string;
  toUsername: string;
}

/** "Enviar dinero": authorized with the sender's operations PIN. */
export async function sendMoney(ctx: Ctx, fromUserId: string, input: SendMoneyInput, options?: CommandOptions<Transfer>): Promise<Transfer> {
  const { currency, amountMinor, description } = input;
  const sender = await getUser(ctx.store.db, fromUserId);
  if (sender.type === 'operator') refuse({ code: 'operator_has_no_wallet' });
  await verifyPin(ctx, fromUserId, input.pin);
  const now = await ctx.clock.now();
  const ref = await nextPaymentRef(ctx.store.db, now);
  return runCommand(
    ctx,
    options,
    async (scope) => {
      const { tx } = scope;
      const target = await resolveWallet(tx, input.to, currency, now);
      if (!target) refuse({ code: 'unknown_party', role: 'recipient', field: ['to'] });
      if (target.userId === fromUserId) refuse({ code: 'same_account' });
      const toUser = await getUser(tx, target.userId);
      if (isTestUser(sender) !== isTestUser(toUser)) refuse({ code: 'test_and_real_users', field: ['to'] });
      const source = await walletAccount(tx, fromUserId, currency, now);
      // The sender pays the transfer fee on top of the amount sent.
      const fee = feeFor(amountMinor, await feeRule(ctx, tx, 'transfer', currency));
      const postings = transferPostings(source.id, target.accountId, currency, amountMinor);
      if (fee > 0) postings.push(...transferPostings(source.id, (await systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, currency, now)).id, currency, fee));
      const entryId = newRowId();
      const payment = await createPayment(scope, {
        ref,
        kind: 'transfer',
        payerUserId: fromUserId,
        recipientUserId: target.userId,
        merchantUserId: null,
        appId: null,
        intentId: null,
        sourceAccountId: source.id,
        currency,
        amountMinor,
        feeMinor: fee,
        description,
        entryId,
      });
      // Balances last (see postEntry): nothing above takes a contended lock.
      await postEntry(scope, { id: entryId, kind: 'transfer', description, postings, now });
      return {
        entryId,
        paymentId: payment.id,
        ref: payment.ref,
        feeMinor: fee,
        amountMinor,
        currency,
        fromAccountId: source.id,
        toAccountId: target.accountId,
        toUsername: toUser.username,
      };
    },
    now,
  );
}

export interface MovementView {
  /** The posting: its entry and line (an entry may touch the owner's account twice, e.g. a fee). */
  id: string;
  entryId: string;
  kind: string;
  description: string;
  accountId: string;
  currency: Currency;
  amount: string;
  createdAt: string;
}

export interface MovementPage {
  data: MovementView[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

// A cursor names the last posting of a page; opaque to clients (base64url of its position).
function encodeCursor(p: MovementPosition): string {
  return Buffer.from(`${p.createdAt}|${p.line}|${p.entryId}`).toString('base64url');
}

function decodeCursor(cursor: string): MovementPosition {
  const [createdAt, line, entryId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const position = { createdAt: Number(createdAt), line: Number(line), entryId: entryId ?? '' };
  if (!Number.isSafeInteger(position.createdAt) || !Number.isSafeInteger(position.line) || !position.entryId || position.entryId.length > 100) {
    throw new ValidationError([{ path: ['cursor'], message: COMMON_MESSAGES.cursor.es, code: 'common.cursor' }]);
  }
  return position;
}

export async function listMovements(db: Db, userId: string, page: { limit?: number; cursor?: string } = {}): Promise<MovementPage> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  const rows = await findMovementsOfOwner(db, userId, limit + 1, page.cursor ? decodeCursor(page.cursor) : undefined);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    data: shown.map((r) => ({
      id: `${r.entryId}:${r.line}`,
      entryId: r.entryId,
      kind: r.kind,
      description: r.description,
      accountId: r.account_id,
      currency: r.currency as Currency,
      amount: formatAmount(r.amount_minor, r.currency as Currency),
      createdAt: iso(r.created_at),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: Number(last.created_at), line: Number(last.line), entryId: last.entryId }) : null,
  };
}
