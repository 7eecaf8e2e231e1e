// Payment intents as the API answers them: the row with its payer, recipient, payment,
// return-url calls and pay tokens. A page of intents costs the same few statements whatever
// its size: the rows, then each kind of related row for the whole page at once.
import { NotFoundError } from '../../kernel/errors.ts';
import { effectiveState, type IntentStateName, type IntentTransaction } from './model.ts';
import type { Db, Tx } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { findAppLogo, findAppName } from '../apps/index.ts';
import { findUsersByIds, IDENTITY_MESSAGES, type UserRow } from '../identity/index.ts';
import { WALLET_MESSAGES } from '../wallets/index.ts';
import { findWalletsOfOwners } from '../ledger/index.ts';
import { findPaymentRefs } from '../payments/index.ts';
import {
  countMerchantIntents,
  findDoneReturnCalls,
  findIntent,
  findMerchantIntentSummaries,
  type IntentListRow,
  type IntentSummaryRow,
  type IntentRow,
} from './repo.ts';

export type { IntentRow } from './repo.ts';

export interface HistoryResponse {
  uri: string;
  method: 'GET';
  statusCode: number | null;
  body: string | null;
  error: string | null;
}

/** Who pays or is asked to pay, as the answer shows them (never the credentials). */
export type IntentParty = Pick<UserRow, 'id' | 'name' | 'username' | 'identification'>;
const PARTY_COLUMNS = ['id', 'name', 'username', 'identification'] as const;

export interface Intent {
  row: IntentRow;
  state: IntentStateName;
  transactions: IntentTransaction[];
  payer?: Pick<IntentParty, 'id' | 'name'>;
  recipient?: IntentParty;
  payment?: { id: string; ref: string };
  historyResponses: HistoryResponse[];
  payTokens: { id: string; name: string }[];
}

/** What an intent's answer needs besides its row; whatever the caller already has in hand. */
export interface IntentParts {
  /** Present when the row names a payer (for a request, its recipient from the start). */
  payer?: Pick<IntentParty, 'id' | 'name'>;
  recipient?: IntentParty;
  payment?: { id: string; ref: string };
  historyResponses: HistoryResponse[];
  /** The recipient's wallet ids in the intent's currency (only read for an open request). */
  recipientWallets: string[];
  /** The row's transactions are list summaries: no items, no distributions. */
  summary?: boolean;
}

/** Assemble the answer from the row and its related rows: no I/O. */
export function assembleIntent(row: IntentRow, now: number, parts: IntentParts): Intent {
  const state = effectiveState(row.state, row.expires_at, now);
  const { payer, recipient } = parts;
  const payTokens =
    row.intent === 'request' && recipient && state === 'created'
      ? parts.recipientWallets.map((id) => ({ id, name: `${recipient.identification ?? recipient.username}-${recipient.name}` }))
      : [];
  let transactions = JSON.parse(row.transactions) as IntentTransaction[];
  if (parts.summary) transactions = transactions.map((t) => ({ ...t, items: [], distributions: [] }));
  return { row, state, transactions, payer, recipient, payment: parts.payment, historyResponses: parts.historyResponses, payTokens };
}

function requireUser(users: ReadonlyMap<string, IntentParty>, id: string): IntentParty {
  const user = users.get(id);
  // The columns reference users, which are never deleted.
  if (!user) throw new NotFoundError(IDENTITY_MESSAGES.userNotFound.es, 'identity.userNotFound');
  return user;
}

/** Whether the answer lists pay tokens, so the recipient's wallets must be read. */
export function wantsPayTokens(row: IntentListRow, now: number): boolean {
  return row.intent === 'request' && row.recipient_user_id !== null && effectiveState(row.state, row.expires_at, now) === 'created';
}

/**
 * The answers for a page of rows: at most four statements, whatever the page's size. With
 * `summaries`, the rows' transactions come without items and distributions (see
 * listIntentSummaries) and the return-url history is not read.
 */
export async function intentsOf(db: Db | Tx, rows: readonly IntentRow[], now: number, options: { summaries?: boolean } = {}): Promise<Intent[]> {
  const assemble = await intentAssembler(db, rows, now, options);
  return rows.map(assemble);
}

/**
 * Reads what a page of rows needs besides the rows (the same few statements as intentsOf) and
 * answers the function that assembles one of them — decoding its transactions only then, so a
 * caller can take a large page one intent at a time.
 */
async function intentAssembler(
  db: Db | Tx,
  rows: readonly IntentListRow[],
  now: number,
  options: { summaries?: boolean },
): Promise<(row: IntentRow) => Intent> {
  const userIds = distinct(rows.flatMap((r) => [r.payer_user_id, r.recipient_user_id]));
  const paymentIds = distinct(rows.map((r) => r.payment_id));
  const tokenOwners = distinct(rows.filter((r) => wantsPayTokens(r, now)).map((r) => r.recipient_user_id));
  const users = userIds.length ? await findUsersByIds(db, userIds, PARTY_COLUMNS) : [];
  const payments = paymentIds.length ? await findPaymentRefs(db, paymentIds) : [];
  const calls =
    options.summaries || rows.length === 0
      ? []
      : await findDoneReturnCalls(
          db,
          rows.map((r) => r.id),
        );
  const wallets = tokenOwners.length ? await findWalletsOfOwners(db, tokenOwners) : [];
  const usersById = new Map(users.map((u) => [u.id, u]));
  const user = (id: string | null) => (id === null ? undefined : requireUser(usersById, id));
  const paymentsById = new Map(payments.map((p) => [p.id, p]));
  const callsByIntent = groupBy(calls, (c) => c.intent_id);
  return (row) =>
    assembleIntent(row, now, {
      summary: options.summaries,
      payer: user(row.payer_user_id),
      recipient: user(row.recipient_user_id),
      payment: row.payment_id ? paymentsById.get(row.payment_id) : undefined,
      historyResponses: (callsByIntent.get(row.id) ?? []).map((c) => ({ uri: c.uri, method: 'GET', statusCode: c.status_code, body: c.body, error: c.error })),
      recipientWallets: wallets.filter((w) => w.owner_user_id === row.recipient_user_id && w.currency === row.currency).map((w) => w.id),
    });
}

function distinct(ids: readonly (string | null)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

export function intentRow(db: Db | Tx, id: string): Promise<IntentRow | undefined> {
  return findIntent(db, id);
}

export async function loadIntent(ctx: Ctx, id: string, db: Db | Tx = ctx.store.db, at?: number): Promise<Intent> {
  const row = await intentRow(db, id);
  if (!row) throw new NotFoundError(WALLET_MESSAGES.intentNotFound.es, 'wallets.intentNotFound');
  return (await intentsOf(db, [row], at ?? (await ctx.clock.now())))[0]!;
}

/** The intent if it is this merchant's; another merchant's id is "not found". */
export async function merchantIntentRow(tx: Db | Tx, merchantUserId: string, id: string): Promise<IntentRow> {
  const row = await intentRow(tx, id);
  if (!row || row.merchant_user_id !== merchantUserId) throw new NotFoundError(WALLET_MESSAGES.intentNotFound.es, 'wallets.intentNotFound');
  return row;
}

/** A merchant sees only its own intents: another merchant's id is "not found". */
export async function getMerchantIntent(ctx: Ctx, merchantUserId: string, id: string): Promise<Intent> {
  const row = await merchantIntentRow(ctx.store.db, merchantUserId, id);
  return (await intentsOf(ctx.store.db, [row], await ctx.clock.now()))[0]!;
}

/**
 * A page of the merchant's intents as list summaries: each transaction without its items and
 * distributions (stored so at creation, see findMerchantIntentSummaries) and no return-URL
 * history (`show` has the full intent). The same few statements for a page of 1 or of 100.
 * Each entry decodes and assembles its intent when called: a page of the heaviest intents is
 * decoded one intent at a time as it is written out (see answerPage), never all at once.
 */
export async function listIntentSummaries(
  ctx: Ctx,
  merchantUserId: string,
  page: number,
  perPage: number,
): Promise<{ total: number; items: (() => Intent)[] }> {
  const db = ctx.store.db;
  const total = await countMerchantIntents(db, merchantUserId);
  const rows = await findMerchantIntentSummaries(db, ctx.store.dialect, merchantUserId, perPage, (page - 1) * perPage);
  const assemble = await intentAssembler(db, rows, await ctx.clock.now(), { summaries: true });
  return {
    total,
    items: rows.map((row) => () => assemble(decodeSummaryRow(row))),
  };
}

/** A list row as the other readers of an intent take it: its summary decoded stands for its transactions. */
export function decodeSummaryRow({ summary: stored, ...row }: IntentSummaryRow): IntentRow {
  const summary = stored.toString('utf8');
  return { ...row, transactions: summary, summary };
}

/** The name of the app an intent was created by, as the checkout page heads it ('' if gone). */
export async function intentAppName(ctx: Ctx, intent: Intent): Promise<string> {
  return (await findAppName(ctx.store.db, intent.row.app_id)) ?? '';
}

/** An app's logo for the checkout page, if it has one. */
export async function checkoutAppLogo(ctx: Ctx, appId: string): Promise<Uint8Array | undefined> {
  return (await findAppLogo(ctx.store.db, appId)) ?? undefined;
}
