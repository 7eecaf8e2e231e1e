// Complete sales under load while the server dies: several clients run the payment-button
// sale (create → sandbox approve → execute, each POST with its own idempotency key) against a
// real `pasarela start`, which is killed with SIGKILL at random moments and restarted on the
// same data (then once more by a server that kills itself right after its first keyed
// commit, PASARELA_TEST_FAULT=crash_after_commit). A client whose request failed with the
// process retries it with the same key once the server is back. Afterwards `pasarela verify-ledger` passes and every sale
// acknowledged to a client (execute answered 200 `executed`) moved money exactly once: one
// payment and one journal entry per acknowledged intent, none for the intents left
// unexecuted, and the buyers', merchant's and fee account's balances moved by exactly the
// acknowledged amounts and fees. Runs on the configured backend (TEST_DB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { runCli } from '../cli.ts';
import { http, openTestPlatform, type HttpAnswer } from '../helpers.ts';
import { seededRandom } from '../prng.ts';
import { freePort, kill, sleep, startServerProcess } from '../webhook-fixtures.ts';
import { setFeeRule } from '../../src/modules/fees/index.ts';
import { SALE_FORM } from '../sale-form.ts';

const SALE_MINOR = 2000;
// The fee rule set below: 2.5 % of 20.00 (0.50) + 0.10.
const FEE_MINOR = 60;
const CLIENTS = 6;
const KILLS = 3;
/** The second of every five sales of a client is created and approved but never executed. */
const ABANDON_EVERY = 5;

/** Where the clients wait while the server is down. */
class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release = () => {};
  private reject: (error: Error) => void = () => {};
  private failure: Error | undefined;
  async passed(): Promise<void> {
    await this.opened;
    if (this.failure) throw this.failure;
  }
  close(): void {
    this.opened = new Promise<void>((resolve, reject) => ((this.release = resolve), (this.reject = reject)));
    this.opened.catch(() => {});
  }
  open(): void {
    this.release();
  }
  /** The test is over (or the server could not be brought back): every client stops at its next request. */
  fail(error: Error): void {
    this.failure = error;
    this.reject(error);
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => (clearTimeout(timer), resolve(signal ?? code)));
  });
}

interface Demo {
  merchant: { accountId: string; app: { accessToken: string } };
  buyers: { id: string; username: string }[];
}

test('SIGKILL during concurrent sales: every acknowledged sale moved money exactly once', { timeout: 300_000 }, async () => {
  const rng = seededRandom('sales crash test');
  const platform = await openTestPlatform();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...platform.env, PUBLIC_URL: base };
  let server: ChildProcess | undefined;
  // Clients wait at the gate while the server is down; the harness opens it once a server answers.
  const gate = new Gate();
  try {
    const demoRun = await runCli(['demo', '--json'], env);
    assert.equal(demoRun.code, 0, demoRun.stderr);
    const demo = JSON.parse(demoRun.stdout) as Demo;
    const token = demo.merchant.app.accessToken;
    await setFeeRule(platform.ctx, { operation: 'sale', currency: 'VES', percent: '2.5', fixed: '0.10' });

    const db = platform.ctx.store.db;
    const accountKeys = {
      merchant: demo.merchant.accountId,
      fees: 'system:platform_fees:VES',
      ...Object.fromEntries(demo.buyers.map((b, i) => [`buyer${i}`, `wallet:${b.id}:VES`])),
    };
    const balances = async (): Promise<Record<string, number>> => {
      const rows = await db.selectFrom('accounts').select(['id', 'key', 'balance_minor']).execute();
      const out: Record<string, number> = {};
      for (const [name, idOrKey] of Object.entries(accountKeys)) {
        const row = rows.find((r) => r.id === idOrKey || r.key === idOrKey);
        out[name] = row ? Number(row.balance_minor) : 0; // the fee account opens with the first fee
      }
      return out;
    };
    const before = await balances();
    assert.ok(before.buyer0! >= 100_000_00 && before.buyer1! >= 100_000_00, 'the demo buyers are funded');

    server = await startServerProcess(env, port);
    const started = Date.now();

    // The clients. A request that fails with the connection (the server died under it) is sent
    // again, same key and body, once the restarted server answers; any answer but the expected
    // one fails the test.
    let stopping = false;
    let cutRequests = 0;
    const deadline = Date.now() + 200_000;
    let replays = 0;
    let executesInFlight = 0;
    let executesCutByKill = 0;
    const acknowledged = new Map<string, { paymentId: string; paymentRef: string; buyer: number }>();
    const abandoned = new Set<string>();
    const createdIds = new Set<string>();
    async function persist(send: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
      for (;;) {
        await gate.passed();
        try {
          const answer = await send();
          if (answer.headers.get('idempotent-replayed') === 'true') replays++;
          return answer;
        } catch (error) {
          // A backstop: a client never outlives the test, whatever went wrong around it.
          if (Date.now() > deadline) throw new Error('no answer before the deadline', { cause: error });
          cutRequests++;
          await sleep(10);
        }
      }
    }
    async function client(c: number): Promise<void> {
      for (let n = 0; !stopping; n++) {
        const buyerIndex = (c + n) % demo.buyers.length;
        const buyer = demo.buyers[buyerIndex]!;
        const created = await persist(() =>
          http(base, 'POST', '/api/payment-intent/.json', { token, form: SALE_FORM, headers: { 'x-idempotency-key': `sale-${c}-${n}-create` } }),
        );
        assert.equal(created.status, 200, `create ${c}/${n}: ${created.text}`);
        const id = created.body.id as string;
        createdIds.add(id);
        // The sandbox approval takes no key; approving again for the same payer is accepted.
        const approved = await persist(() => http(base, 'POST', `/sandbox/payment-intents/${id}/approve`, { token, json: { payer: buyer.username } }));
        assert.equal(approved.status, 200, `approve ${c}/${n}: ${approved.text}`);
        if (n % ABANDON_EVERY === 1) {
          abandoned.add(id);
          continue;
        }
        executesInFlight++;
        const executed = await persist(() =>
          http(base, 'POST', `/api/payment-intent/execute/sale.json?id=${id}`, {
            token,
            form: { 'payment_execution[paymentIntent]': id, 'payment_execution[payer]': buyer.id },
            headers: { 'x-idempotency-key': `sale-${c}-${n}-execute` },
          }),
        ).finally(() => executesInFlight--);
        assert.equal(executed.status, 200, `execute ${c}/${n}: ${executed.text}`);
        assert.equal(executed.body.state, 'executed', executed.text);
        const resource = executed.body.transactions[0].related_resources.sale as { id: string; ref: string };
        acknowledged.set(id, { paymentId: resource.id, paymentRef: resource.ref, buyer: buyerIndex });
      }
    }
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    // Stop the clients (they finish the sale in hand) if one fails, so the error surfaces now.
    const running = Promise.all(clients).finally(() => (stopping = true));
    running.catch(() => {});

    let kills = 0;
    try {
      for (; kills < KILLS && !stopping; kills++) {
        // A random moment while executions are in flight (some in their commit, some answering).
        await sleep(rng.int(300, 1200));
        while (executesInFlight < CLIENTS / 2 && !stopping) await sleep(1);
        executesCutByKill += executesInFlight;
        gate.close();
        await kill(server, 'SIGKILL');
        await sleep(rng.int(0, 200));
        server = await startServerProcess(env, port);
        gate.open();
      }
      // A SIGKILL at a random moment rarely falls between a commit and its answer, so one more
      // incarnation kills itself right after its first keyed command commits: some client's
      // retry must then get the stored answer.
      if (!stopping) {
        await sleep(rng.int(300, 1200));
        gate.close();
        await kill(server, 'SIGKILL');
        server = await startServerProcess({ ...env, PASARELA_TEST_FAULT: 'crash_after_commit' }, port);
        gate.open();
        assert.equal(await exited(server, 60_000), 'SIGKILL');
        gate.close();
        server = await startServerProcess(env, port);
        gate.open();
      }
    } catch (error) {
      gate.fail(error as Error);
      throw error;
    }
    await sleep(500); // some sales on the last server, not only retries
    stopping = true;
    await running;
    const elapsed = Date.now() - started;
    await kill(server, 'SIGTERM');

    process.stderr.write(
      `\n[sales crash test, ${platform.backend}] ${CLIENTS} clients, ${kills} SIGKILLs, ${acknowledged.size} sales acknowledged, ` +
        `${abandoned.size} left unexecuted, ${executesCutByKill} executions in flight at the random kills, ${cutRequests} requests cut by a kill and retried, ${replays} replayed answers, ${(elapsed / 1000).toFixed(1)} s\n`,
    );
    assert.equal(kills, KILLS);
    assert.ok(acknowledged.size >= CLIENTS && abandoned.size >= 1, `${acknowledged.size} sales acknowledged, ${abandoned.size} left unexecuted`);

    const verify = await runCli(['verify-ledger'], env);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);

    // Every create retried after a crash got the intent that was committed: no stray intents.
    const intents = await db.selectFrom('payment_intents').select(['id', 'state', 'payment_id']).execute();
    assert.deepEqual(new Set(intents.map((i) => i.id)), createdIds);

    const payments = await db.selectFrom('payments').select(['id', 'ref', 'intent_id', 'amount_minor', 'fee_minor', 'entry_id']).execute();
    const entries = await db.selectFrom('journal_entries').select(['id', 'reference_id']).where('kind', '=', 'intent_sale').execute();
    const count = <T>(items: T[], id: string, key: (item: T) => string | null) => items.filter((item) => key(item) === id).length;
    for (const [id, ack] of acknowledged) {
      assert.equal(
        count(payments, id, (p) => p.intent_id),
        1,
        `payments of acknowledged intent ${id}`,
      );
      assert.equal(
        count(entries, id, (e) => e.reference_id),
        1,
        `journal entries of acknowledged intent ${id}`,
      );
      const payment = payments.find((p) => p.intent_id === id)!;
      assert.deepEqual({ id: payment.id, ref: payment.ref }, { id: ack.paymentId, ref: ack.paymentRef }, 'the answer names the payment committed');
      assert.deepEqual([Number(payment.amount_minor), Number(payment.fee_minor)], [SALE_MINOR, FEE_MINOR]);
      assert.equal(intents.find((i) => i.id === id)!.state, 'executed');
    }
    for (const id of abandoned) {
      assert.equal(
        count(payments, id, (p) => p.intent_id),
        0,
        `payments of unexecuted intent ${id}`,
      );
      assert.equal(
        count(entries, id, (e) => e.reference_id),
        0,
        `journal entries of unexecuted intent ${id}`,
      );
      assert.equal(intents.find((i) => i.id === id)!.state, 'created');
    }
    // Nothing else was paid: every executed intent, payment and sale entry is an acknowledged one.
    assert.deepEqual(new Set(intents.filter((i) => i.state === 'executed').map((i) => i.id)), new Set(acknowledged.keys()));
    assert.equal(payments.length, acknowledged.size);
    assert.equal(entries.length, acknowledged.size);

    const after = await balances();
    const salesBy = (buyer: number) => [...acknowledged.values()].filter((a) => a.buyer === buyer).length;
    const expected: Record<string, number> = {
      merchant: before.merchant! + acknowledged.size * (SALE_MINOR - FEE_MINOR),
      fees: before.fees! + acknowledged.size * FEE_MINOR,
    };
    demo.buyers.forEach((_, i) => (expected[`buyer${i}`] = before[`buyer${i}`]! - salesBy(i) * SALE_MINOR));
    assert.deepEqual(after, expected);
    // The crash after a commit happened (a client's retry was answered from the stored answer).
    assert.ok(replays >= 1, 'a retry after the crash that followed a commit got the stored answer');
  } finally {
    gate.fail(new Error('the test is over'));
    if (server) await kill(server).catch(() => {});
    await platform.close();
  }
});
