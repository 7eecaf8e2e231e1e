// Ledger invariants under randomized concurrent transfers, on SQLite and (when reachable)
// PostgreSQL in one run: a reference model checks every balance, the sum per currency stays
// zero, no wallet goes negative, and the verifier (in process and as the CLI) agrees — until a
// balance is tampered with, which both must report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { transferPostings, type Posting } from '../../src/modules/ledger/model.ts';
import { formatAmount, parseAmount, type Currency } from '../../src/kernel/money.ts';
import { postEntry, SYSTEM_ACCOUNTS, systemAccount, totalsByCurrency, verifyLedger } from '../../src/modules/ledger/service.ts';
import { registerUser, type UserRow } from '../../src/modules/identity/users.ts';
import { fundWallet, listWallets, openWallet, sendMoney } from '../../src/modules/wallets/service.ts';
import { inTransaction } from '../../src/store/db.ts';
import { isRefused } from '../../src/kernel/refusals.ts';
import { readTransfer } from '../../src/http/console-api/transfer-wire.ts';
import { runCli } from '../cli.ts';
import { availableBackends, openTestPlatform, type Backend, type TestPlatform } from '../helpers.ts';
import { seededRandom, type SeededRandom } from '../prng.ts';

const USERS = 8;
const OPERATIONS = 240;
const PIN = '1234';

interface Holder {
  user: UserRow;
  wallets: Partial<Record<Currency, string>>;
}

/** Amount as the wire sends it: a decimal string or a JSON number. */
function wireAmount(rng: SeededRandom, minor: number): string | number {
  const text = formatAmount(minor, 'VES');
  return rng.random() < 0.3 ? Number(text) : text;
}

async function scenario(backend: Backend, rng: SeededRandom): Promise<void> {
  const platform: TestPlatform = await openTestPlatform({ backend });
  const { ctx } = platform;
  try {
    // --- users, wallets, funding --------------------------------------------------------
    const holders: Holder[] = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const user = await registerUser(ctx, {
          type: 'person',
          username: `ledger${i}`,
          password: 'contraseña-segura',
          email: `ledger${i}@example.com`,
          phone: `5841200001${String(i).padStart(2, '0')}`,
          identification: `V2000000${i}`,
          name: `Usuario ${i}`,
          pin: PIN,
        });
        const wallets: Holder['wallets'] = { VES: (await listWallets(ctx.store.db, user.id))[0]!.id };
        if (i % 2 === 0) wallets.USD = (await openWallet(ctx, user.id, 'USD')).id;
        return { user, wallets };
      }),
    );
    for (const h of holders) {
      await fundWallet(ctx, { account: h.user.username, amount: formatAmount(rng.int(10_000, 500_000), 'VES'), currency: 'VES' });
      if (h.wallets.USD) await fundWallet(ctx, { account: h.user.username, amount: formatAmount(rng.int(1_000, 50_000), 'USD'), currency: 'USD' });
    }
    const now = await ctx.clock.now();
    const fees = await inTransaction(ctx.store, (tx) => systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, 'VES', now));
    const feesUsd = await inTransaction(ctx.store, (tx) => systemAccount(tx, SYSTEM_ACCOUNTS.platformFees, 'USD', now));
    const funding = await inTransaction(ctx.store, (tx) => systemAccount(tx, SYSTEM_ACCOUNTS.sandboxFunding, 'VES', now));

    const before = new Map((await ctx.store.db.selectFrom('accounts').select(['id', 'balance_minor']).execute()).map((a) => [a.id, a.balance_minor]));
    const totalsBefore = await totalsByCurrency(ctx.store.db);
    assert.deepEqual([...totalsBefore.values()], [0, 0], 'double entry: every currency sums to zero');

    // --- the random workload ------------------------------------------------------------
    type Op = { label: string; run: () => Promise<Posting[]> };
    const others = (h: Holder) => holders.filter((x) => x !== h);
    const usdHolders = holders.filter((h) => h.wallets.USD);
    const entry = (kind: string, postings: Posting[]) => async () => {
      await inTransaction(ctx.store, (tx) => postEntry(tx, { kind, description: kind, postings, now }));
      return postings;
    };
    const ops: Op[] = [];
    for (let i = 0; i < OPERATIONS; i++) {
      const roll = rng.random();
      const from = rng.pick(holders);
      const to = rng.pick(others(from));
      // up to ~1.2× the largest funding, so a good share exceeds the sender's balance
      const minor = rng.int(1, 600_000);
      if (roll < 0.45) {
        const reference = rng.pick([to.user.username, to.user.phone!, to.user.identification!, to.wallets.VES!]);
        const amount = wireAmount(rng, minor);
        ops.push({
          label: `sendMoney ${from.user.username} → ${reference} ${minor}`,
          run: async () => {
            const result = await sendMoney(ctx, from.user.id, readTransfer({ to: reference, amount, pin: PIN, currency: 'VES' }));
            const fee = parseAmount((result as { fee?: string }).fee ?? '0', 'VES', { allowZero: true });
            assert.equal(result.toAccountId, to.wallets.VES);
            const postings = transferPostings(result.fromAccountId, result.toAccountId, 'VES', minor);
            if (fee > 0) postings.push(...transferPostings(result.fromAccountId, fees.id, 'VES', fee));
            return postings;
          },
        });
      } else if (roll < 0.55 && from.wallets.USD) {
        const usdTo = rng.pick(usdHolders.filter((h) => h !== from));
        const usdMinor = rng.int(1, 60_000);
        ops.push({
          label: `sendMoney USD ${from.user.username} → ${usdTo.user.username} ${usdMinor}`,
          run: async () => {
            const result = await sendMoney(
              ctx,
              from.user.id,
              readTransfer({ to: usdTo.user.username, amount: formatAmount(usdMinor, 'USD'), pin: PIN, currency: 'usd' }),
            );
            const fee = parseAmount((result as { fee?: string }).fee ?? '0', 'USD', { allowZero: true });
            const postings = transferPostings(result.fromAccountId, usdTo.wallets.USD!, 'USD', usdMinor);
            if (fee > 0) postings.push(...transferPostings(result.fromAccountId, feesUsd.id, 'USD', fee));
            return postings;
          },
        });
      } else if (roll < 0.75) {
        // one debit split between two receivers (three postings)
        const third = rng.pick(others(from).filter((h) => h !== to));
        const part = rng.int(0, minor - 1);
        const postings: Posting[] = [{ accountId: from.wallets.VES!, currency: 'VES', amountMinor: -minor }];
        if (part > 0) postings.push({ accountId: to.wallets.VES!, currency: 'VES', amountMinor: part });
        postings.push({ accountId: third.wallets.VES!, currency: 'VES', amountMinor: minor - part });
        ops.push({ label: `split ${from.user.username} ${minor}`, run: entry('split', postings) });
      } else if (roll < 0.85 && usdHolders.length >= 2) {
        // a swap across currencies: both legs or neither
        const a = rng.pick(usdHolders);
        const b = rng.pick(usdHolders.filter((h) => h !== a));
        const usdMinor = rng.int(1, 60_000);
        ops.push({
          label: `swap ${a.user.username} ⇄ ${b.user.username}`,
          run: entry('swap', [
            ...transferPostings(a.wallets.VES!, b.wallets.VES!, 'VES', minor),
            ...transferPostings(b.wallets.USD!, a.wallets.USD!, 'USD', usdMinor),
          ]),
        });
      } else if (roll < 0.93) {
        ops.push({ label: `fee ${from.user.username} ${minor}`, run: entry('fee', transferPostings(from.wallets.VES!, fees.id, 'VES', minor)) });
      } else {
        ops.push({ label: `topup ${to.user.username} ${minor}`, run: entry('topup', transferPostings(funding.id, to.wallets.VES!, 'VES', minor)) });
      }
    }
    const results = await Promise.allSettled(ops.map((op) => op.run()));

    // --- reference model ----------------------------------------------------------------
    const expected = new Map(before);
    let applied = 0;
    let refused = 0;
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        // the only expected refusal: not enough money. Anything else (a deadlock that was not
        // retried, a broken invariant, a lock error) fails the test.
        assert.ok(isRefused(result.reason, 'insufficient_funds'), `${backend}: ${ops[i]!.label} failed with ${result.reason?.stack ?? result.reason}`);
        refused++;
        return;
      }
      applied++;
      for (const p of result.value) expected.set(p.accountId, (expected.get(p.accountId) ?? 0) + p.amountMinor);
    });
    assert.ok(applied > OPERATIONS / 5, `${backend}: only ${applied} operations applied`);
    assert.ok(refused > 10, `${backend}: only ${refused} refused — the workload should overdraw often`);

    const accounts = await ctx.store.db.selectFrom('accounts').select(['id', 'kind', 'currency', 'balance_minor']).execute();
    for (const account of accounts) {
      assert.equal(account.balance_minor, expected.get(account.id) ?? 0, `${backend}: balance of ${account.kind} ${account.id} (${account.currency})`);
      if (account.kind === 'wallet') assert.ok(account.balance_minor >= 0, `${backend}: wallet ${account.id} is negative`);
    }
    assert.deepEqual(await totalsByCurrency(ctx.store.db), totalsBefore, `${backend}: sum per currency changed`);
    assert.deepEqual(await verifyLedger(ctx.store), [], `${backend}: verifyLedger`);

    const clean = await runCli(['verify-ledger'], platform.env);
    assert.equal(clean.code, 0, `${backend}: verify-ledger on a clean ledger\n${clean.stdout}${clean.stderr}`);

    // --- tampering is detected ------------------------------------------------------------
    const victim = holders[rng.int(0, holders.length - 1)]!.wallets.VES!;
    await ctx.store.db
      .updateTable('accounts')
      .set({ balance_minor: sql`balance_minor + 1` })
      .where('id', '=', victim)
      .execute();
    const problems = await verifyLedger(ctx.store);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0]!.kind, 'balance_mismatch');
    assert.equal(problems[0]!.id, victim);
    const dirty = await runCli(['verify-ledger'], platform.env);
    assert.notEqual(dirty.code, 0, `${backend}: verify-ledger must fail on a tampered ledger\n${dirty.stdout}${dirty.stderr}`);
    assert.ok(dirty.stdout.includes(victim), dirty.stdout);
    process.stderr.write(`${backend}: ${applied} applied, ${refused} refused, ${accounts.length} accounts\n`);
  } finally {
    await platform.close();
  }
}

test('ledger invariants under randomized concurrent transfers, on every available database', async (t) => {
  const backends = await availableBackends();
  const rng = seededRandom('ledger workload');
  for (const backend of backends) {
    await t.test(backend, () => scenario(backend, rng));
  }
});
