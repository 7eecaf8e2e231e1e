// The deployment clock is shared by every process: concurrent moves must all count (a move
// reads, adds and writes the offset under the row's lock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from '../../src/platform/clock.ts';
import { availableBackends, openTestPlatform } from '../helpers.ts';

for (const backend of await availableBackends()) {
  test(`${backend}: ten concurrent clock moves from two processes' clocks all count`, async () => {
    const platform = await openTestPlatform({ backend });
    try {
      const { store } = platform.ctx;
      // Two Clock objects stand for two processes sharing the database.
      const clocks = [new Clock(store), new Clock(store)];
      await Promise.all(Array.from({ length: 10 }, (_, i) => clocks[i % 2]!.advance(60)));
      const fresh = new Clock(store);
      await fresh.load();
      assert.equal(fresh.offset(), 10 * 60 * 1000);
    } finally {
      await platform.close();
    }
  });
}
