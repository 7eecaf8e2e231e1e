// Daily references (store/sequences.ts) are handed out from blocks each process reserves: no
// reference twice, whichever process draws it and however many draw at once; rising within a
// process; never drawn inside a transaction (a rolled-back block would be reserved again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, watchStatements } from '../../src/store/db.ts';
import { dailyReference } from '../../src/store/sequences.ts';
import { availableBackends, openTestPlatform } from '../helpers.ts';

const NOW = Date.UTC(2026, 11, 6, 12);

for (const backend of await availableBackends()) {
  test(`${backend}: two processes drawing at once never hand out a reference twice`, async () => {
    const platform = await openTestPlatform({ backend });
    const { config } = platform;
    // A second "process": its own store on the same database, with its own blocks.
    const other = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, schema: config.databaseSchema });
    try {
      const draw = (db: typeof other.db, n: number) => Promise.all(Array.from({ length: n }, () => dailyReference(db, 'P', NOW, 7)));
      const [mine, theirs] = await Promise.all([draw(platform.ctx.store.db, 150), draw(other.db, 150)]);
      const all = [...mine, ...theirs];
      assert.equal(new Set(all).size, 300, 'every reference once');
      for (const ref of all) assert.match(ref, /^P261206\d{7}$/);
      const numbers = (refs: string[]) => refs.map((r) => Number(r.slice(7)));
      for (const refs of [mine, theirs]) {
        const n = numbers(refs);
        assert.deepEqual(
          n,
          [...n].sort((a, b) => a - b),
          'rising within one process, in the order drawn',
        );
      }
      // Only whole blocks were reserved: the counter stands at most one block past the highest handed out per process.
      const highest = Math.max(...numbers(all));
      assert.ok(highest < 300 + 2 * 32, `highest ${highest}`);
      // Another day starts again at 1; 64 references there cost two statements (two blocks).
      const { result: nextDay, statements } = await watchStatements(platform.ctx.store, async () => {
        const refs: string[] = [];
        for (let i = 0; i < 64; i++) refs.push(await dailyReference(platform.ctx.store.db, 'P', NOW + 86_400_000, 7));
        return refs;
      });
      assert.equal(nextDay[0], 'P2612070000001');
      assert.equal(nextDay[63], 'P2612070000064');
      assert.equal(statements.length, 2, statements.join('\n'));

      await assert.rejects(
        platform.ctx.store.db.transaction().execute((tx) => dailyReference(tx, 'P', NOW, 7)),
        /outside transactions/,
      );
    } finally {
      await other.close();
      await platform.close();
    }
  });
}
