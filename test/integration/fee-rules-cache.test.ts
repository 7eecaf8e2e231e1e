// Fee rules (modules/fees: feeRule) are read on every payment and kept in memory for a second
// (store/read-cache.ts): a second payment does not read them again, a change made through this
// process applies to its next payment, and one made by another process within the second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feeRule, setFeeRule } from '../../src/modules/fees/index.ts';
import { upsertFeeRule } from '../../src/modules/fees/repo.ts';
import { openStore, watchStatements } from '../../src/store/db.ts';
import { availableBackends, openTestPlatform } from '../helpers.ts';

for (const backend of await availableBackends()) {
  test(`${backend}: a fee rule is read once a second, and again at once after a change made here`, async () => {
    const platform = await openTestPlatform({ backend });
    const { ctx, config } = platform;
    const other = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, schema: config.databaseSchema });
    const rule = () => ctx.store.db.transaction().execute((tx) => feeRule(ctx, tx, 'transfer', 'VES'));
    const readsOfRules = async () => {
      const { result, statements } = await watchStatements(ctx.store, rule);
      return { result, reads: statements.filter((s) => s.includes('"fee_rules"')).length };
    };
    try {
      await setFeeRule(ctx, { operation: 'transfer', currency: 'VES', percent: '1' });
      // On PostgreSQL the connection that wrote tells the cache again when its next transaction
      // ends (table-writes.ts): what the first read after a write keeps is forgotten once more.
      await rule();
      await rule();
      assert.deepEqual(await readsOfRules(), { result: { percentBasisPoints: 100, fixedMinor: 0 }, reads: 0 }, 'kept');

      await setFeeRule(ctx, { operation: 'transfer', currency: 'VES', percent: '2' });
      assert.deepEqual(await rule(), { percentBasisPoints: 200, fixedMinor: 0 }, 'a change made here is seen at once');
      await rule(); // (read once more: see above)

      await ctx.store.settle(); // SQLite: this process's batch commits, so the other's write need not wait for it
      await upsertFeeRule(other.db, { operation: 'transfer', currency: 'VES', percentBasisPoints: 300, fixedMinor: 0 }, 1);
      assert.deepEqual(await rule(), { percentBasisPoints: 200, fixedMinor: 0 }, 'another process’s change: not yet');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.deepEqual(await rule(), { percentBasisPoints: 300, fixedMinor: 0 }, 'another process’s change: within a second');
    } finally {
      await other.close();
      await platform.close();
    }
  });
}
