// Ledger holds (two-phase entries) on SQLite and (when reachable) PostgreSQL: commit, partial
// commit with a fee split, void, each exactly once (a second resolution and a commit racing a
// void are refused with the domain error), held money cannot be spent, the database's CHECK
// backs the rule, and expiry (commit refused past the deadline, the tick voids).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { InvariantError, NotFoundError } from '../../src/kernel/errors.ts';
import { isRefused, type RefusalCode } from '../../src/kernel/refusals.ts';
import { formatAmount } from '../../src/kernel/money.ts';
import {
  findHold,
  postPending,
  postPendingCommit,
  voidExpiredHolds,
  voidPending,
  type CommitInput,
  type PendingInput,
} from '../../src/modules/ledger/holds.ts';
import { postEntry, SYSTEM_ACCOUNTS, systemAccount, verifyLedger } from '../../src/modules/ledger/service.ts';
import { transferPostings } from '../../src/modules/ledger/model.ts';
import { registerUser } from '../../src/modules/identity/users.ts';
import { fundWallet, listWallets, sendMoney } from '../../src/modules/wallets/service.ts';
import { inTransaction } from '../../src/store/db.ts';
import { availableBackends, openTestPlatform, type Backend } from '../helpers.ts';

const PIN = '1234';

async function scenario(backend: Backend, t: test.TestContext): Promise<void> {
  const platform = await openTestPlatform({ backend });
  const { ctx } = platform;
  const db = ctx.store.db;
  let users = 0;
  /** A new person's VES wallet holding `fundMinor`. */
  const wallet = async (fundMinor: number) => {
    const i = users++;
    const user = await registerUser(ctx, {
      type: 'person',
      username: `reserva${i}`,
      password: 'contraseña-segura',
      email: `reserva${i}@example.com`,
      phone: `5841200003${String(i).padStart(2, '0')}`,
      identification: `V3000${String(i).padStart(4, '0')}`,
      name: `Reserva ${i}`,
      pin: PIN,
    });
    if (fundMinor > 0) await fundWallet(ctx, { account: user.username, amount: formatAmount(fundMinor, 'VES'), currency: 'VES' });
    return { id: (await listWallets(db, user.id))[0]!.id, userId: user.id, username: user.username };
  };
  const account = async (id: string) => {
    const row = await db.selectFrom('accounts').select(['balance_minor', 'held_minor']).where('id', '=', id).executeTakeFirstOrThrow();
    return { balance: row.balance_minor, held: row.held_minor, available: row.balance_minor - row.held_minor };
  };
  // The clock is read before each transaction: on SQLite a read outside the open transaction
  // would wait for its single connection.
  const hold = async (debit: string, credit: string, amountMinor: number, extra: Partial<PendingInput> = {}) => {
    const now = await ctx.clock.now();
    return inTransaction(ctx.store, (tx) =>
      postPending(tx, {
        kind: 'test_hold',
        description: 'Reserva de prueba',
        debitAccountId: debit,
        creditAccountId: credit,
        currency: 'VES',
        amountMinor,
        now,
        ...extra,
      }),
    );
  };
  const commit = async (holdId: string, input: Omit<CommitInput, 'now'> = {}) => {
    const now = await ctx.clock.now();
    return inTransaction(ctx.store, (tx) => postPendingCommit(tx, holdId, { ...input, now }));
  };
  const cancel = async (holdId: string) => {
    const now = await ctx.clock.now();
    return inTransaction(ctx.store, (tx) => voidPending(tx, holdId, { now }));
  };
  const refused = (code: RefusalCode) => (error: unknown) => isRefused(error, code);
  const insufficient = refused('insufficient_funds');

  try {
    await t.test('commit: the available balance drops at the hold, the balance at the commit', async () => {
      const payer = await wallet(100_000);
      const merchant = await wallet(0);
      const h = await hold(payer.id, merchant.id, 30_000, { referenceId: 'order-1' });
      assert.deepEqual(await account(payer.id), { balance: 100_000, held: 30_000, available: 70_000 });
      const [view] = await listWallets(db, payer.userId);
      assert.deepEqual(
        [view!.balance, view!.balanceMinor, view!.held, view!.heldMinor],
        ['700.00', 70_000, '300.00', 30_000],
        'the wallet shows what it can spend',
      );
      assert.deepEqual(await account(merchant.id), { balance: 0, held: 0, available: 0 });
      assert.deepEqual(await verifyLedger(ctx.store), []);

      const { hold: posted, entryId } = await commit(h.id);
      assert.equal(posted.state, 'posted');
      assert.equal(posted.posted_minor, 30_000);
      assert.equal(posted.entry_id, entryId);
      assert.ok(posted.resolved_at);
      assert.deepEqual(await account(payer.id), { balance: 70_000, held: 0, available: 70_000 });
      assert.deepEqual(await account(merchant.id), { balance: 30_000, held: 0, available: 30_000 });
      const entries = await db.selectFrom('journal_entries').select(['id', 'kind']).where('reference_id', '=', 'order-1').execute();
      assert.deepEqual(entries, [{ id: entryId, kind: 'test_hold' }]);
      assert.deepEqual(await verifyLedger(ctx.store), []);
    });

    await t.test('partial commit with a fee split: the rest is released; more than held is refused', async () => {
      const payer = await wallet(100_000);
      const merchant = await wallet(0);
      const now = await ctx.clock.now();
      const fees = await inTransaction(ctx.store, (tx) => systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, 'VES', now));
      const feesBefore = (await account(fees.id)).balance;
      const h = await hold(payer.id, merchant.id, 50_000);
      await assert.rejects(commit(h.id, { amountMinor: 50_001 }), refused('hold_amount_exceeded'));
      for (const amountMinor of [0, -5]) await assert.rejects(commit(h.id, { amountMinor }), InvariantError, `commit ${amountMinor}`);
      assert.equal((await findHold(db, h.id)).state, 'pending', 'a refused commit leaves the hold pending');
      await assert.rejects(
        commit(h.id, { amountMinor: 20_000, credits: [{ accountId: merchant.id, amountMinor: 19_000 }] }),
        InvariantError,
        'credits must sum to the amount',
      );

      const { hold: posted } = await commit(h.id, {
        amountMinor: 20_000,
        credits: [
          { accountId: merchant.id, amountMinor: 19_000 },
          { accountId: fees.id, amountMinor: 1_000 },
        ],
        kind: 'capture',
      });
      assert.equal(posted.posted_minor, 20_000);
      assert.equal(posted.amount_minor, 50_000);
      assert.deepEqual(await account(payer.id), { balance: 80_000, held: 0, available: 80_000 });
      assert.equal((await account(merchant.id)).balance, 19_000);
      assert.equal((await account(fees.id)).balance - feesBefore, 1_000);
      const postings = await db
        .selectFrom('postings')
        .select(['account_id', 'amount_minor'])
        .where('entry_id', '=', posted.entry_id!)
        .orderBy('line')
        .execute();
      assert.deepEqual(postings, [
        { account_id: payer.id, amount_minor: -20_000 },
        { account_id: merchant.id, amount_minor: 19_000 },
        { account_id: fees.id, amount_minor: 1_000 },
      ]);
      assert.deepEqual(await verifyLedger(ctx.store), []);
    });

    await t.test('void releases everything and moves nothing; every second resolution is refused', async () => {
      const payer = await wallet(100_000);
      const merchant = await wallet(0);
      const entriesBefore = (
        await db
          .selectFrom('journal_entries')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      const voided = await hold(payer.id, merchant.id, 25_000);
      const done = await cancel(voided.id);
      assert.equal(done.state, 'voided');
      assert.equal(done.posted_minor, null);
      assert.deepEqual(await account(payer.id), { balance: 100_000, held: 0, available: 100_000 });
      assert.equal(
        (
          await db
            .selectFrom('journal_entries')
            .select(sql<number>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
        entriesBefore,
        'a void writes no entry',
      );
      await assert.rejects(cancel(voided.id), refused('hold_already_voided'));
      await assert.rejects(commit(voided.id), refused('hold_already_voided'));

      const posted = await hold(payer.id, merchant.id, 10_000);
      await commit(posted.id);
      await assert.rejects(commit(posted.id), refused('hold_already_posted'));
      await assert.rejects(commit(posted.id, { amountMinor: 1 }), refused('hold_already_posted'));
      await assert.rejects(cancel(posted.id), refused('hold_already_posted'));
      assert.deepEqual(await account(payer.id), { balance: 90_000, held: 0, available: 90_000 }, 'debited once');
      assert.equal((await account(merchant.id)).balance, 10_000);

      await assert.rejects(commit('00000000-0000-0000-0000-000000000000'), NotFoundError);
      await assert.rejects(cancel('00000000-0000-0000-0000-000000000000'), NotFoundError);
      assert.deepEqual(await verifyLedger(ctx.store), []);
    });

    await t.test('race: 50 concurrent commits and voids of one hold, three holds at once — exactly one wins each', async () => {
      const payer = await wallet(100_000);
      const merchant = await wallet(0);
      const holds = [await hold(payer.id, merchant.id, 10_000), await hold(payer.id, merchant.id, 20_000), await hold(payer.id, merchant.id, 30_000)];
      const entries = async () =>
        (
          await db
            .selectFrom('journal_entries')
            .select(sql<number>`count(*)`.as('n'))
            .where('kind', '=', 'test_hold')
            .executeTakeFirstOrThrow()
        ).n;
      const entriesBefore = Number(await entries());
      const attempts = holds.flatMap((h) =>
        Array.from({ length: 50 }, (_, i) => ({
          h,
          action: i % 2 === 0 ? 'commit' : 'void',
          run: i % 2 === 0 ? () => commit(h.id, { amountMinor: h.amount_minor - 1 }) : () => cancel(h.id),
        })),
      );
      const results = await Promise.allSettled(attempts.map((a) => a.run()));
      let moved = 0;
      for (const h of holds) {
        const mine = results.map((r, i) => ({ r, a: attempts[i]! })).filter((x) => x.a.h === h);
        const winners = mine.filter((x) => x.r.status === 'fulfilled');
        assert.equal(winners.length, 1, `${backend}: hold ${h.amount_minor}: ${winners.length} winners`);
        const final = await findHold(db, h.id);
        assert.equal(final.state, winners[0]!.a.action === 'commit' ? 'posted' : 'voided');
        const reason: RefusalCode = final.state === 'posted' ? 'hold_already_posted' : 'hold_already_voided';
        for (const loser of mine.filter((x) => x.r.status === 'rejected')) {
          const error = (loser.r as PromiseRejectedResult).reason;
          assert.ok(isRefused(error, reason), `${backend}: a loser failed with ${error?.stack ?? error}`);
        }
        if (final.state === 'posted') moved += h.amount_minor - 1;
      }
      assert.deepEqual(await account(payer.id), { balance: 100_000 - moved, held: 0, available: 100_000 - moved });
      assert.equal((await account(merchant.id)).balance, moved);
      const posted = (await Promise.all(holds.map((h) => findHold(db, h.id)))).filter((h) => h.state === 'posted').length;
      assert.equal(Number(await entries()) - entriesBefore, posted, 'one journal entry per committed hold');
      assert.deepEqual(await verifyLedger(ctx.store), []);
    });

    await t.test('held money cannot be spent: payments, entries and other holds count it, concurrently too', async () => {
      const payer = await wallet(100_000);
      const merchant = await wallet(0);
      const h = await hold(payer.id, merchant.id, 60_000);
      await assert.rejects(
        sendMoney(ctx, payer.userId, { to: merchant.username, amountMinor: 50_000, pin: PIN, currency: 'VES', description: 'Envío de dinero' }),
        insufficient,
      );
      await assert.rejects(hold(payer.id, merchant.id, 40_001), insufficient);
      assert.deepEqual(await account(payer.id), { balance: 100_000, held: 60_000, available: 40_000 });
      const now = await ctx.clock.now();
      await inTransaction(ctx.store, (tx) =>
        postEntry(tx, { kind: 'spend', description: 'spend', postings: transferPostings(payer.id, merchant.id, 'VES', 40_000), now }),
      );
      assert.deepEqual(await account(payer.id), { balance: 60_000, held: 60_000, available: 0 });
      await assert.rejects(hold(payer.id, merchant.id, 1), insufficient);
      // The hold is still fully committable: its money was kept aside.
      await commit(h.id);
      assert.deepEqual(await account(payer.id), { balance: 0, held: 0, available: 0 });

      // 25 holds and 25 payments of 100.00 race for 1000.00: exactly ten go through.
      const racer = await wallet(100_000);
      const ops = Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? hold(racer.id, merchant.id, 10_000).then(() => 'hold' as const)
          : ctx.clock
              .now()
              .then((at) =>
                inTransaction(ctx.store, (tx) =>
                  postEntry(tx, { kind: 'spend', description: 'spend', postings: transferPostings(racer.id, merchant.id, 'VES', 10_000), now: at }),
                ).then(() => 'spend' as const),
              ),
      );
      const results = await Promise.allSettled(ops);
      const ok = results.filter((r): r is PromiseFulfilledResult<'hold' | 'spend'> => r.status === 'fulfilled').map((r) => r.value);
      for (const r of results) if (r.status === 'rejected') assert.ok(insufficient(r.reason), `${backend}: ${r.reason?.stack ?? r.reason}`);
      assert.equal(ok.length, 10, `${backend}: ${ok.length} went through`);
      const holdsPlaced = ok.filter((x) => x === 'hold').length;
      assert.deepEqual(await account(racer.id), { balance: 100_000 - (10 - holdsPlaced) * 10_000, held: holdsPlaced * 10_000, available: 0 });
      assert.deepEqual(await verifyLedger(ctx.store), []);
    });

    await t.test('the database refuses a wallet whose held amount exceeds its balance', async () => {
      const payer = await wallet(5_000);
      await assert.rejects(db.updateTable('accounts').set({ held_minor: 5_001 }).where('id', '=', payer.id).execute(), /held_within_balance|check/i);
      await assert.rejects(db.updateTable('accounts').set({ held_minor: -1 }).where('id', '=', payer.id).execute(), /held_within_balance|check/i);
      assert.deepEqual(await account(payer.id), { balance: 5_000, held: 0, available: 5_000 });
    });

    await t.test('expiry: committable until the deadline, refused after it, voided by the tick once', async () => {
      const payer = await wallet(100_000);
      const merchant = await wallet(0);
      const t0 = await ctx.clock.now();
      await assert.rejects(hold(payer.id, merchant.id, 1_000, { expiresAt: t0 - 1 }), InvariantError);
      const lapsing = await hold(payer.id, merchant.id, 10_000, { expiresAt: t0 + 60_000 });
      const inTime = await hold(payer.id, merchant.id, 20_000, { expiresAt: t0 + 60_000 });
      const racing = await hold(payer.id, merchant.id, 5_000, { expiresAt: t0 + 60_000 });
      const open = await hold(payer.id, merchant.id, 30_000);
      await commit(inTime.id);
      assert.equal(await voidExpiredHolds(ctx), 0, 'nothing is due before the deadline');

      await ctx.clock.advance(61);
      await assert.rejects(commit(lapsing.id), refused('hold_expired'));
      assert.equal((await account(payer.id)).held, 10_000 + 5_000 + 30_000, 'an expired hold keeps its money until it is voided');

      // The owner voids one expired hold while the tick runs: each is voided once.
      const seen: string[] = [];
      const [ticked, ownerVoid] = await Promise.allSettled([
        voidExpiredHolds(ctx, {
          onVoided: async (tx, voided) => {
            const row = await tx.selectFrom('holds').select('state').where('id', '=', voided.id).executeTakeFirstOrThrow();
            assert.equal(row.state, 'voided', 'onVoided runs in the voiding transaction');
            seen.push(voided.id);
          },
        }),
        cancel(racing.id),
      ]);
      assert.equal(ticked.status, 'fulfilled', String((ticked as PromiseRejectedResult).reason));
      const ownerWon = ownerVoid.status === 'fulfilled';
      if (!ownerWon) assert.ok(refused('hold_already_voided')((ownerVoid as PromiseRejectedResult).reason));
      assert.equal((ticked as PromiseFulfilledResult<number>).value, ownerWon ? 1 : 2);
      assert.deepEqual(seen.sort(), (ownerWon ? [lapsing.id] : [lapsing.id, racing.id]).sort());
      assert.equal((await findHold(db, lapsing.id)).state, 'voided');
      assert.equal((await findHold(db, racing.id)).state, 'voided');
      assert.equal((await findHold(db, open.id)).state, 'pending', 'a hold without a deadline never expires');
      assert.equal(await voidExpiredHolds(ctx), 0, 'voided once');
      await assert.rejects(commit(lapsing.id), refused('hold_already_voided'));
      assert.deepEqual(await account(payer.id), { balance: 80_000, held: 30_000, available: 50_000 });
      assert.deepEqual(await verifyLedger(ctx.store), []);
    });
  } finally {
    await platform.close();
  }
}

test('ledger holds on every available database', async (t) => {
  for (const backend of await availableBackends()) {
    await t.test(backend, (t2) => scenario(backend, t2));
  }
});
