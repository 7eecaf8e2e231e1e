// Posting rules. An entry is a list of postings (signed amounts: + raises the account's
// balance, − lowers it) that must sum to zero per currency.
import { InvariantError } from '../../kernel/errors.ts';
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
