// Posting rules. An entry is a list of postings (signed amounts: + raises the account's
// balance, − lowers it) that must sum to zero per currency. Holds: the rules of two-phase
// entries (below).
import { assertNever, InvariantError } from '../../kernel/errors.ts';
import { refuse, type Refusal } from '../../kernel/refusals.ts';
import { assertMinor } from '../../kernel/money.ts';

export interface Posting {
  accountId: string;
  currency: string;
  amountMinor: number;
}

export function assertBalanced(postings: readonly Posting[]): void {
  if (postings.length < 2) throw new InvariantError('an entry needs at least two postings');
  const sums = new Map<string, number>();
  for (const p of postings) {
    assertMinor(p.amountMinor);
    if (p.amountMinor === 0) throw new InvariantError('a posting of zero moves nothing');
    sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amountMinor);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new InvariantError(`entry does not balance in ${currency}: ${sum}`);
  }
}

/** A simple transfer: debit one account, credit another. */
export function transferPostings(debitAccountId: string, creditAccountId: string, currency: string, amountMinor: number): Posting[] {
  return [
    { accountId: debitAccountId, currency, amountMinor: -amountMinor },
    { accountId: creditAccountId, currency, amountMinor },
  ];
}

/**
 * Net the postings per account, so each account's balance row is touched once, and order by
 * account id so concurrent entries lock rows in one global order (no deadlock cycles).
 */
export function netByAccount(postings: readonly Posting[]): Posting[] {
  const net = new Map<string, Posting>();
  for (const p of postings) {
    const key = `${p.accountId}\u0000${p.currency}`;
    const prev = net.get(key);
    net.set(key, { ...p, amountMinor: (prev?.amountMinor ?? 0) + p.amountMinor });
  }
  return [...net.values()].filter((p) => p.amountMinor !== 0).sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

// --- Account changes ----------------------------------------------------------------------

/** What one account's row gets: its balance moves by `balanceMinor`, its held amount by `heldMinor`. */
export interface AccountChange {
  accountId: string;
  currency: string;
  balanceMinor: number;
  heldMinor: number;
}

/**
 * Net the postings and held changes into one change per account, in account-id order (the
 * global lock order of netByAccount), so a commit releases a hold and moves the balance in the
 * same UPDATE.
 */
export function accountChanges(postings: readonly Posting[], held: readonly Posting[] = []): AccountChange[] {
  const changes = new Map<string, AccountChange>();
  const at = (p: Posting) => {
    const key = `${p.accountId}\u0000${p.currency}`;
    let change = changes.get(key);
    if (!change) changes.set(key, (change = { accountId: p.accountId, currency: p.currency, balanceMinor: 0, heldMinor: 0 }));
    return change;
  };
  for (const p of postings) at(p).balanceMinor += p.amountMinor;
  for (const p of held) at(p).heldMinor += p.amountMinor;
  return [...changes.values()]
    .filter((c) => c.balanceMinor !== 0 || c.heldMinor !== 0)
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

// --- Holds (two-phase entries) --------------------------------------------------------------
//
// A hold reserves an amount on its debit account (held, not moved): the account's available
// balance (balance − held) drops at once, so the money cannot be spent twice. A hold is then
// resolved exactly once: posted (committed, for the full amount or less; the rest is released)
// or voided (all released). Past its deadline it can no longer be committed, only voided.

export type HoldState = 'pending' | 'posted' | 'voided';

/** The deadline is the first instant at which the hold is expired. */
export function holdExpired(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && now >= expiresAt;
}

/** Why committing or voiding a hold in `state` is refused at `now` (undefined: it is allowed). */
export function holdRefusal(state: HoldState, action: 'commit' | 'void', expiresAt: number | null, now: number): Refusal | undefined {
  switch (state) {
    case 'posted':
      return { code: 'hold_already_posted' };
    case 'voided':
      return { code: 'hold_already_voided' };
    case 'pending':
      return action === 'commit' && holdExpired(expiresAt, now) ? { code: 'hold_expired' } : undefined;
    default:
      return assertNever(state, 'hold state');
  }
}

export interface HoldTerms {
  debitAccountId: string;
  creditAccountId: string;
  currency: string;
  amountMinor: number;
}

export interface HoldCredit {
  accountId: string;
  amountMinor: number;
}

/**
 * The commit's postings: the debit account pays `amountMinor` (at most the held amount), split
 * among `credits` (by default all to the hold's credit account — a capture that keeps a fee
 * names the merchant and the fee account).
 */
export function commitPostings(hold: HoldTerms, amountMinor: number = hold.amountMinor, credits?: readonly HoldCredit[]): Posting[] {
  assertMinor(amountMinor);
  // The wire readers parse positive amounts; more than held is the caller's refusal to answer.
  if (amountMinor <= 0) throw new InvariantError(`a hold is committed for a positive amount, not ${amountMinor}`);
  if (amountMinor > hold.amountMinor) refuse({ code: 'hold_amount_exceeded' });
  const split = credits ?? [{ accountId: hold.creditAccountId, amountMinor }];
  if (split.some((c) => c.accountId === hold.debitAccountId)) throw new InvariantError('a hold cannot be committed to its own debit account');
  const credited = split.reduce((sum, c) => sum + c.amountMinor, 0);
  if (credited !== amountMinor) throw new InvariantError(`hold credits sum to ${credited}, committing ${amountMinor}`);
  const postings: Posting[] = [{ accountId: hold.debitAccountId, currency: hold.currency, amountMinor: -amountMinor }];
  for (const c of split) postings.push({ accountId: c.accountId, currency: hold.currency, amountMinor: c.amountMinor });
  assertBalanced(postings);
  return postings;
}
