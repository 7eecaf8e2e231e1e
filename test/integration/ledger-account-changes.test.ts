// A ledger entry's account changes (modules/ledger: applyAccountChanges) go to the database as
// one statement, and a change refused among them is still told apart: insufficient funds, or an
// unknown account (another currency: pipeline-breaks.test.ts). The same account and currency
// twice in one statement is refused: the database would apply one of the two and report both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvariantError } from '../../src/kernel/errors.ts';
import { newRowId } from '../../src/kernel/ids.ts';
import { isRefused } from '../../src/kernel/refusals.ts';
import type { AccountChange } from '../../src/modules/ledger/model.ts';
import { applyAccountChanges } from '../../src/modules/ledger/service.ts';
import { watchStatements } from '../../src/store/db.ts';
import { availableBackends, openTestPlatform, type TestPlatform } from '../helpers.ts';

type Db = TestPlatform['ctx']['store']['db'];

async function anAccount(db: Db, kind: 'wallet' | 'system', balanceMinor: number): Promise<string> {
  const id = newRowId();
  await db
    .insertInto('accounts')
    .values({ id, key: `test:${id}`, kind, owner_user_id: null, system_code: null, currency: 'VES', balance_minor: balanceMinor, held_minor: 0, created_at: 1 })
    .execute();
  return id;
}

const change = (accountId: string, balanceMinor: number, currency = 'VES'): AccountChange => ({ accountId, currency, balanceMinor, heldMinor: 0 });

for (const backend of await availableBackends()) {
  test(`${backend}: an entry's account changes are one statement; each refusal is told apart`, async () => {
    const platform = await openTestPlatform({ backend });
    const { store } = platform.ctx;
    const { db } = store;
    const balances = async (ids: string[]) =>
      Promise.all(
        ids.map(async (id) => (await db.selectFrom('accounts').select('balance_minor').where('id', '=', id).executeTakeFirstOrThrow()).balance_minor),
      );
    const apply = (changes: AccountChange[]) => db.transaction().execute((tx) => applyAccountChanges(tx, changes));
    try {
      const [a, b, wallet] = [await anAccount(db, 'system', 0), await anAccount(db, 'system', 0), await anAccount(db, 'wallet', 10)];

      const { statements } = await watchStatements(store, () => apply([change(a, -7), change(b, 2), change(wallet, 5)]));
      assert.equal(statements.filter((s) => /update\s+"?accounts/i.test(s)).length, 1, statements.join('\n'));
      assert.deepEqual(await balances([a, b, wallet]), [-7, 2, 15]);

      // The wallet cannot give more than it has: refused, and nothing of the entry stays.
      await assert.rejects(apply([change(a, 16), change(wallet, -16)]), (e) => isRefused(e, 'insufficient_funds'));
      await assert.rejects(apply([change(a, 1), change(newRowId(), -1)]), (e) => e instanceof InvariantError && /missing/.test(e.message));
      // One account twice in a statement would take one of its changes (accountChanges nets them first).
      await assert.rejects(apply([change(a, 1), change(a, 2)]), (e) => e instanceof InvariantError && /twice/.test(e.message));
      assert.deepEqual(await balances([a, b, wallet]), [-7, 2, 15]);
    } finally {
      await platform.close();
    }
  });
}
