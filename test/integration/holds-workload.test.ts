// Holds mixed with ordinary entries under a seeded random concurrent workload, on SQLite and
// (when reachable) PostgreSQL: rounds of transfers, new holds (some with a deadline), commits
// (full, partial, split with a fee) and voids of the pending holds — several aimed at the same
// hold — and the expiry tick, all at once. A reference model checks every balance and held
// amount, and the verifier (in process and as the CLI) agrees — until a held amount is
// tampered with, which both must report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { isRefused } from '../../src/kernel/refusals.ts';
import { formatAmount } from '../../src/kernel/money.ts';
import { transferPostings, type Posting } from '../../src/modules/ledger/model.ts';
import { postPending, postPendingCommit, voidExpiredHolds, voidPending } from '../../src/modules/ledger/holds.ts';
import { postEntry, SYSTEM_ACCOUNTS, systemAccount, totalsByCurrency, verifyLedger } from '../../src/modules/ledger/service.ts';
import { registerUser } from '../../src/modules/identity/users.ts';
import { fundWallet, listWallets } from '../../src/modules/wallets/service.ts';
import { inTransaction } from '../../src/store/db.ts';
import { runCli } from '../cli.ts';
import { availableBackends, openTestPlatform, type Backend } from '../helpers.ts';
import { seededRandom, type SeededRandom } from '../prng.ts';

const WALLETS = 6;
const ROUNDS = 5;
const OPERATIONS_PER_ROUND = 60;

interface ModelHold {
  id: string;
  debit: string;
  credit: string;
  amount: number;
  expiresAt: number | null;
  state: 'pending' | 'posted' | 'voided';
}

/** What an operation did, for the model: balance changes, holds placed, holds resolved. */
interface Effect {
  postings: Posting[];
  placed?: ModelHold;
  resolved?: { id: string; state: 'posted' | 'voided' }[];
}

async function scenario(backend: Backend, rng: SeededRandom): Promise<void> {
  const platform = await openTestPlatform({ backend });
  const { ctx } = platform;
  const db = ctx.store.db;
  try {
    const wallets: string[] = [];
    for (let i = 0; i < WALLETS; i++) {
      const user = await registerUser(ctx, {
        type: 'person',
        username: `mezcla${i}`,
        password: 'contraseña-segura',
        email: `mezcla${i}@example.com`,
        phone: `5841200004${String(i).padStart(2, '0')}`,
        identification: `V4000${String(i).padStart(4, '0')}`,
        name: `Mezcla ${i}`,
      });
      await fundWallet(ctx, { account: user.username, amount: formatAmount(rng.int(10_000, 500_000), 'VES'), currency: 'VES' });
      wallets.push((await listWallets(db, user.id))[0]!.id);
    }
    const start = await ctx.clock.now();
    const fees = await inTransaction(ctx.store, (tx) => systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, 'VES', start));

    const balances = new Map((await db.selectFrom('accounts').select(['id', 'balance_minor']).execute()).map((a) => [a.id, a.balance_minor]));
    const held = new Map<string, number>();
    const holds = new Map<string, ModelHold>();
    const counts = { entries: 0, placed: 0, committed: 0, partial: 0, voided: 0, expired: 0, insufficient: 0, conflicts: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      const now = await ctx.clock.now();
      const pending = [...holds.values()].filter((h) => h.state === 'pending');
      type Op = { label: string; run: () => Promise<Effect> };
      const ops: Op[] = [];
      for (let i = 0; i < OPERATIONS_PER_ROUND; i++) {
        const roll = rng.random();
        const from = rng.pick(wallets);
        const to = rng.pick(wallets.filter((w) => w !== from));
        if (roll < 0.3) {
          const postings = transferPostings(from, to, 'VES', rng.int(1, 300_000));
          ops.push({
            label: `entry ${from} ${postings[1]!.amountMinor}`,
            run: async () => (
              await inTransaction(ctx.store, (tx) => postEntry(tx, { kind: 'transfer', description: 'transfer', postings, now })),
              { postings }
            ),
          });
        } else if (roll < 0.6 || pending.length === 0) {
          const amount = rng.int(1, 200_000);
          const expiresAt = rng.random() < 0.3 ? now + rng.int(1, 3) * 60_000 : null;
          ops.push({
            label: `hold ${from} ${amount}`,
            run: async () => {
              const h = await inTransaction(ctx.store, (tx) =>
                postPending(tx, {
                  kind: 'workload_hold',
                  description: 'hold',
                  debitAccountId: from,
                  creditAccountId: to,
                  currency: 'VES',
                  amountMinor: amount,
                  expiresAt,
                  now,
                }),
              );
              return { postings: [], placed: { id: h.id, debit: from, credit: to, amount, expiresAt, state: 'pending' } };
            },
          });
        } else if (roll < 0.85) {
          // Aimed at a hold pending before the round; others may resolve it first.
          const h = rng.pick(pending);
          const amount = rng.random() < 0.5 ? h.amount : rng.int(1, h.amount);
          const fee = rng.random() < 0.4 ? Math.floor(amount / 50) : 0;
          const credits =
            fee > 0
              ? [
                  { accountId: h.credit, amountMinor: amount - fee },
                  { accountId: fees.id, amountMinor: fee },
                ]
              : undefined;
          ops.push({
            label: `commit ${h.id} ${amount}/${h.amount}`,
            run: async () => {
              await inTransaction(ctx.store, (tx) => postPendingCommit(tx, h.id, { amountMinor: amount, credits, now }));
              if (amount < h.amount) counts.partial++;
              const postings: Posting[] = [{ accountId: h.debit, currency: 'VES', amountMinor: -amount }];
              for (const c of credits ?? [{ accountId: h.credit, amountMinor: amount }])
                postings.push({ accountId: c.accountId, currency: 'VES', amountMinor: c.amountMinor });
              return { postings, resolved: [{ id: h.id, state: 'posted' }] };
            },
          });
        } else if (roll < 0.97) {
          const h = rng.pick(pending);
          ops.push({
            label: `void ${h.id}`,
            run: async () => (
              await inTransaction(ctx.store, (tx) => voidPending(tx, h.id, { now })),
              { postings: [], resolved: [{ id: h.id, state: 'voided' }] }
            ),
          });
        } else {
          ops.push({
            label: 'expiry tick',
            run: async () => {
              const voided: string[] = [];
              await voidExpiredHolds(ctx, { onVoided: async (_tx, h) => void voided.push(h.id) });
              counts.expired += voided.length;
              return { postings: [], resolved: voided.map((id) => ({ id, state: 'voided' as const })) };
            },
          });
        }
      }
      const results = await Promise.allSettled(ops.map((op) => op.run()));

      // --- reference model ------------------------------------------------------------
      results.forEach((result, i) => {
        if (result.status === 'rejected') {
          // The expected refusals: not enough available money, or a hold already resolved or
          // expired. Anything else (an unretried deadlock, a constraint error) fails the test.
          const error = result.reason;
          if (isRefused(error, 'insufficient_funds')) counts.insufficient++;
          else if (isRefused(error, 'hold_already_posted') || isRefused(error, 'hold_already_voided') || isRefused(error, 'hold_expired')) counts.conflicts++;
          else assert.fail(`${backend}: ${ops[i]!.label} failed with ${error?.stack ?? error}`);
          return;
        }
        const effect = result.value;
        for (const p of effect.postings) balances.set(p.accountId, (balances.get(p.accountId) ?? 0) + p.amountMinor);
        if (effect.postings.length && !effect.resolved) counts.entries++;
        if (effect.placed) {
          holds.set(effect.placed.id, effect.placed);
          held.set(effect.placed.debit, (held.get(effect.placed.debit) ?? 0) + effect.placed.amount);
          counts.placed++;
        }
        for (const { id, state } of effect.resolved ?? []) {
          const h = holds.get(id)!;
          assert.equal(h.state, 'pending', `${backend}: hold ${id} resolved twice (${h.state}, then ${state})`);
          h.state = state;
          held.set(h.debit, held.get(h.debit)! - h.amount);
          if (state === 'posted') counts.committed++;
          else counts.voided++;
        }
      });
      // Deadlines pass between rounds: the next round's commits of those holds are refused.
      await ctx.clock.advance(60);
    }

    // --- the database agrees with the model -----------------------------------------------
    const accounts = await db.selectFrom('accounts').select(['id', 'kind', 'balance_minor', 'held_minor']).execute();
    for (const a of accounts) {
      assert.equal(a.balance_minor, balances.get(a.id) ?? 0, `${backend}: balance of ${a.kind} ${a.id}`);
      assert.equal(a.held_minor, held.get(a.id) ?? 0, `${backend}: held of ${a.kind} ${a.id}`);
      if (a.kind === 'wallet') assert.ok(a.balance_minor - a.held_minor >= 0, `${backend}: wallet ${a.id} available below zero`);
    }
    const stored = await db.selectFrom('holds').select(['id', 'state']).execute();
    assert.equal(stored.length, holds.size);
    for (const row of stored) assert.equal(row.state, holds.get(row.id)!.state, `${backend}: hold ${row.id}`);
    for (const total of (await totalsByCurrency(db)).values()) assert.equal(total, 0, `${backend}: a currency does not sum to zero`);
    process.stderr.write(`${backend}: ${JSON.stringify(counts)}\n`);
    assert.ok(counts.placed > 25 && counts.committed > 8 && counts.partial > 3 && counts.voided > 5, `${backend}: workload too thin ${JSON.stringify(counts)}`);
    assert.ok(counts.insufficient > 10 && counts.conflicts > 5, `${backend}: too few refusals ${JSON.stringify(counts)}`);

    assert.deepEqual(await verifyLedger(ctx.store), [], `${backend}: verifyLedger`);
    const clean = await runCli(['verify-ledger'], platform.env);
    assert.equal(clean.code, 0, `${backend}: verify-ledger on a clean ledger\n${clean.stdout}${clean.stderr}`);

    // --- a tampered held amount is detected -------------------------------------------------
    const victim =
      accounts.find((a) => a.kind === 'wallet' && a.held_minor > 0) ?? accounts.find((a) => a.kind === 'wallet' && a.balance_minor > a.held_minor)!;
    const delta = victim.held_minor > 0 ? -1 : 1; // within the CHECK: only the verifier can see it
    await db
      .updateTable('accounts')
      .set({ held_minor: sql`held_minor + ${delta}` })
      .where('id', '=', victim.id)
      .execute();
    const problems = await verifyLedger(ctx.store);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0]!.kind, 'held_mismatch');
    assert.equal(problems[0]!.id, victim.id);
    const dirty = await runCli(['verify-ledger'], platform.env);
    assert.notEqual(dirty.code, 0, `${backend}: verify-ledger must fail on a tampered held amount\n${dirty.stdout}${dirty.stderr}`);
    assert.ok(dirty.stdout.includes(`held_mismatch ${victim.id}`), dirty.stdout);
  } finally {
    await platform.close();
  }
}

test('holds and entries under a seeded random concurrent workload, on every available database', async (t) => {
  const rng = seededRandom('holds workload');
  for (const backend of await availableBackends()) {
    await t.test(backend, () => scenario(backend, rng));
  }
});
