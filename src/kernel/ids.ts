// Row ids of the tables that grow with every payment (events, intents, payments, ledger
// entries, deliveries, …) are time-ordered UUIDs (version 7, RFC 9562): a new row lands at the
// end of its primary-key index instead of on a random page, so the commands committed together
// touch one index page instead of one each (SQLite writes every touched page to its log at
// commit; PostgreSQL writes a full page image after a checkpoint for each). They are still
// UUIDs on the wire, hard to guess (the first id of a millisecond has 74 random bits, the next
// ones of that millisecond 42 beside a counter), but they tell their creation time to the
// millisecond and their order — never use them as secrets (tokens and leases stay random v4).
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// uuid draws each id's random bytes with crypto.getRandomValues, a call that cost 11 µs — ~5 %
// of the server's CPU in a sale, which makes seven ids. Random bytes come from a pool refilled
// 256 ids at a time instead. uuid keeps its clock-and-counter state private when it is handed
// the bytes, so that rule (RFC 9562 method 1) is kept here: within one millisecond, or while
// the clock stands behind the last id, the counter goes up by one, so ids made later in this
// process sort later.
const POOL_IDS = 256;

/** A source of row ids over a clock (tests give their own). */
export function rowIds(clock: () => number = Date.now): () => string {
  const pool = new Uint8Array(16 * POOL_IDS);
  let drawn = POOL_IDS;
  let lastMs = -Infinity;
  let counter = 0;
  return () => {
    if (drawn === POOL_IDS) {
      randomFillSync(pool);
      drawn = 0;
    }
    const random = pool.subarray(drawn * 16, ++drawn * 16);
    const now = clock();
    if (now > lastMs) {
      lastMs = now;
      // 31 random bits to start from, as uuid does: room to count up before the 32 bits fill.
      counter = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    } else {
      // The counter fills 32 bits (uuid writes it unsigned); past them, borrow the next millisecond.
      counter = (counter + 1) >>> 0;
      if (counter === 0) lastMs++;
    }
    return v7({ msecs: lastMs, seq: counter, random });
  };
}

export const newRowId = rowIds();
