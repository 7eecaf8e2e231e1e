// The pure rules of ledger holds: one change per account, the refusal table, the deadline
// boundary and a commit's postings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, InvariantError, ValidationError } from '../../src/kernel/errors.ts';
import { accountChanges, commitPostings, HOLD_EXPIRED, HOLD_POSTED, HOLD_VOIDED, holdExpired, holdRefusal } from '../../src/modules/ledger/model.ts';

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
  const reasonOf = (e: ConflictError | undefined) => e && [e.reason, e.message];
  assert.equal(holdRefusal('pending', 'commit', null, 5), undefined);
  assert.equal(holdRefusal('pending', 'commit', 10, 9), undefined);
  assert.deepEqual(reasonOf(holdRefusal('pending', 'commit', 10, 10)), ['hold_expired', HOLD_EXPIRED]);
  assert.equal(holdRefusal('pending', 'void', 10, 11), undefined, 'an expired hold can still be voided');
  for (const action of ['commit', 'void'] as const) {
    assert.deepEqual(reasonOf(holdRefusal('posted', action, null, 0)), ['hold_already_posted', HOLD_POSTED]);
    assert.deepEqual(reasonOf(holdRefusal('voided', action, null, 0)), ['hold_already_voided', HOLD_VOIDED]);
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
  for (const amount of [0, -1, 1001]) assert.throws(() => commitPostings(hold, amount), ValidationError, String(amount));
  assert.throws(() => commitPostings(hold, 1.5), RangeError);
  assert.throws(() => commitPostings(hold, 400, [{ accountId: 'merchant', amountMinor: 399 }]), InvariantError);
  assert.throws(() => commitPostings(hold, 400, [{ accountId: 'payer', amountMinor: 400 }]), InvariantError);
  assert.throws(() => commitPostings(hold, 400, [{ accountId: 'merchant', amountMinor: 400 }, { accountId: 'fees', amountMinor: 0 }]), InvariantError);
});
