// The pure rules of ledger holds: one change per account, the refusal table, the deadline
// boundary and a commit's postings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvariantError } from '../../src/kernel/errors.ts';
import { isRefused } from '../../src/kernel/refusals.ts';
import { spanishRefusal } from '../../src/http/shared/refusals.ts';
import { accountChanges, commitPostings, holdExpired, holdRefusal } from '../../src/modules/ledger/model.ts';

test('accountChanges nets postings and held changes per account, keeps held-only rows, in account-id order', () => {
  const changes = accountChanges(
    [
      { accountId: 'c', currency: 'VES', amountMinor: -300 },
      { accountId: 'a', currency: 'VES', amountMinor: 200 },
      { accountId: 'b', currency: 'VES', amountMinor: 100 },
      { accountId: 'b', currency: 'VES', amountMinor: -100 },
    ],
    [
      { accountId: 'c', currency: 'VES', amountMinor: -500 },
      { accountId: 'd', currency: 'VES', amountMinor: 40 },
    ],
  );
  assert.deepEqual(changes, [
    { accountId: 'a', currency: 'VES', balanceMinor: 200, heldMinor: 0 },
    { accountId: 'c', currency: 'VES', balanceMinor: -300, heldMinor: -500 },
    { accountId: 'd', currency: 'VES', balanceMinor: 0, heldMinor: 40 },
  ]);
});

test('the deadline is the first expired instant', () => {
  assert.equal(holdExpired(null, Number.MAX_SAFE_INTEGER), false);
  assert.equal(holdExpired(1000, 999), false);
  assert.equal(holdExpired(1000, 1000), true);
});

test('a hold is resolved once: the refusal table', () => {
  assert.equal(holdRefusal('pending', 'commit', null, 5), undefined);
  assert.equal(holdRefusal('pending', 'commit', 10, 9), undefined);
  assert.deepEqual(holdRefusal('pending', 'commit', 10, 10), { code: 'hold_expired' });
  assert.equal(holdRefusal('pending', 'void', 10, 11), undefined, 'an expired hold can still be voided');
  for (const action of ['commit', 'void'] as const) {
    assert.deepEqual(holdRefusal('posted', action, null, 0), { code: 'hold_already_posted' });
    assert.deepEqual(holdRefusal('voided', action, null, 0), { code: 'hold_already_voided' });
  }
});

test('commitPostings: full by default, partial, split among credits; never more than held', () => {
  const hold = { debitAccountId: 'payer', creditAccountId: 'merchant', currency: 'VES', amountMinor: 1000 };
  assert.deepEqual(commitPostings(hold), [
    { accountId: 'payer', currency: 'VES', amountMinor: -1000 },
    { accountId: 'merchant', currency: 'VES', amountMinor: 1000 },
  ]);
  assert.deepEqual(commitPostings(hold, 400), [
    { accountId: 'payer', currency: 'VES', amountMinor: -400 },
    { accountId: 'merchant', currency: 'VES', amountMinor: 400 },
  ]);
  assert.deepEqual(
    commitPostings(hold, 400, [
      { accountId: 'merchant', amountMinor: 390 },
      { accountId: 'fees', amountMinor: 10 },
    ]),
    [
      { accountId: 'payer', currency: 'VES', amountMinor: -400 },
      { accountId: 'merchant', currency: 'VES', amountMinor: 390 },
      { accountId: 'fees', currency: 'VES', amountMinor: 10 },
    ],
  );
  assert.throws(
    () => commitPostings(hold, 1001),
    (e: unknown) => isRefused(e, 'hold_amount_exceeded'),
  );
  for (const amount of [0, -1]) assert.throws(() => commitPostings(hold, amount), InvariantError, String(amount));
  assert.throws(() => commitPostings(hold, 1.5), RangeError);
  assert.throws(() => commitPostings(hold, 400, [{ accountId: 'merchant', amountMinor: 399 }]), InvariantError);
  assert.throws(() => commitPostings(hold, 400, [{ accountId: 'payer', amountMinor: 400 }]), InvariantError);
  assert.throws(
    () =>
      commitPostings(hold, 400, [
        { accountId: 'merchant', amountMinor: 400 },
        { accountId: 'fees', amountMinor: 0 },
      ]),
    InvariantError,
  );
});

test('the wallet family answers every hold refusal with a form-level Spanish message', () => {
  for (const code of ['hold_already_posted', 'hold_already_voided', 'hold_expired', 'hold_amount_exceeded'] as const) {
    const answer = spanishRefusal({ code });
    assert.equal(answer.kind, 'form', code);
    assert.match(answer.message, /reserva|reservado/, code);
  }
});
