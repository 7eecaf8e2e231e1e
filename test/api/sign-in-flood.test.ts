// Every password check costs one scrypt (N=2^14: tens of milliseconds of CPU in libuv's pool of
// four threads), also for a name nobody has (a dummy hash, so timing does not tell). The sign-in
// limits count per (person or name, address), so one address with ever-new names is never
// refused: it buys one scrypt per request, without credentials, without end. Observed: 300
// concurrent sign-ins with fresh unknown names from one address (all 401, no 429) held a
// sandbox funding call for 32 s and /healthz for 4.5 s — on SQLite every answer, reads
// included, waits for the group commit's fsync, which queues in the same thread pool behind
// the hashes. ~25 such requests a second keep the pool saturated.
// An address meets a ceiling on failed checks whatever names it types (refused before any
// hash), so a single client cannot buy unbounded hashing; people who signed in from that
// address before keep signing in from it, and other addresses are not affected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const ATTEMPTS = 120;

test('one address typing ever-new names is refused (429) before long, without a hash per request', { timeout: 240_000 }, async () => {
  const statuses: number[] = [];
  for (let sent = 0; sent < ATTEMPTS; sent += 10) {
    const batch = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http(w.server.url, 'POST', '/console/api/session', { json: { login: `desconocido-${sent + i}`, password: 'no-es-la-clave' } }),
      ),
    );
    statuses.push(...batch.map((a) => a.status));
    if (statuses.includes(429)) break;
  }
  assert.ok(
    statuses.every((s) => s === 401 || s === 429),
    statuses.join(','),
  );
  assert.ok(statuses.includes(429), `${statuses.length} failed sign-ins with distinct names from one address, none refused`);
});
