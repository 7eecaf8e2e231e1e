// The one write path under a crash: the server (a real `pasarela start`) is killed with
// SIGKILL right after a command with an idempotency key commits and before it answers
// (PASARELA_TEST_FAULT=crash_after_commit). A retry with the same key after the restart must
// get the stored answer, and the change must exist exactly once: a payment intent, a transfer
// ("enviar dinero") and a payout item. Runs on the configured backend (TEST_DB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { runCli } from '../cli.ts';
import { http, openTestPlatform, type HttpAnswer } from '../helpers.ts';
import { freePort, kill, startServerProcess } from '../webhook-fixtures.ts';
import { documentedSaleFields } from '../api/wallet-fixtures.ts';

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

test('SIGKILL between commit and answer: the retry with the same key replays, nothing happens twice', { timeout: 300_000 }, async () => {
  const platform = await openTestPlatform();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...platform.env, PUBLIC_URL: base };
  let server: ChildProcess | undefined;
  try {
    const demo = await runCli(['demo', '--json'], env);
    assert.equal(demo.code, 0, demo.stderr);
    const { merchant, buyers } = JSON.parse(demo.stdout) as {
      merchant: { app: { clientId: string; clientSecret: string } };
      buyers: { username: string; password: string; pin: string }[];
    };
    const buyer = buyers[0]!;
    const recipient = buyers[1]!;

    const normal = () => startServerProcess(env, port);
    const faulty = () => startServerProcess({ ...env, PASARELA_TEST_FAULT: 'crash_after_commit' }, port);

    server = await normal();
    const token = (
      await http(base, 'POST', '/oauth/v2/token', {
        form: { grant_type: 'urn:client_apps', client_id: merchant.app.clientId, client_secret: merchant.app.clientSecret },
      })
    ).body.access_token as string;
    const session = (await http(base, 'POST', '/console/api/session', { json: { login: buyer.username, password: buyer.password } })).body
      .sessionToken as string;
    assert.ok(token && session);
    const counts = async () => ({
      intents: (
        await platform.ctx.store.db
          .selectFrom('payment_intents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      transfers: (
        await platform.ctx.store.db
          .selectFrom('payments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'transfer')
          .executeTakeFirstOrThrow()
      ).n,
      payoutItems: (
        await platform.ctx.store.db
          .selectFrom('payout_items')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      entries: (
        await platform.ctx.store.db
          .selectFrom('journal_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    });
    await kill(server);

    /** Send once to a server that dies after the commit, then again (same key) to a fresh one. */
    async function crashThenRetry(send: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
      server = await faulty();
      const crashed = await send().then(
        (answer) => assert.fail(`the faulty server answered ${answer.status} ${answer.text.slice(0, 200)}`),
        (error: unknown) => error,
      );
      assert.ok(crashed instanceof Error, 'the request failed with the process');
      assert.equal(await exited(server), 'SIGKILL');
      server = await normal();
      const retry = await send();
      await kill(server);
      return retry;
    }

    const before = await counts();
    const sale = documentedSaleFields();
    const created = await crashThenRetry(() =>
      http(base, 'POST', '/api/payment-intent/.json', { token, form: sale, headers: { 'x-idempotency-key': 'crash-intent-1' } }),
    );
    assert.equal(created.status, 200, created.text);
    assert.equal(created.headers.get('idempotent-replayed'), 'true');
    assert.equal(created.body.state, 'created');

    const transfer = { to: recipient.username, amount: '12.34', currency: 'VES', pin: buyer.pin };
    const sent = await crashThenRetry(() =>
      http(base, 'POST', '/console/api/transfers', { json: transfer, headers: { 'x-session-token': session, 'x-idempotency-key': 'crash-transfer-1' } }),
    );
    assert.equal(sent.status, 201, sent.text);
    assert.equal(sent.headers.get('idempotent-replayed'), 'true');
    assert.equal(sent.body.amount, '12.34');

    const item = {
      'multi_payment_item[reference]': 'Pago 1',
      'multi_payment_item[nameAccount]': 'Inversiones Pepe',
      'multi_payment_item[identificationNumber]': 'J54637469',
      'multi_payment_item[bankAccount]': '01020000000000000001',
      'multi_payment_item[amount]': '150.00',
    };
    const registered = await crashThenRetry(() =>
      http(base, 'POST', '/api/multipayment/register-item.json?type=DISPERSION', { token, form: item, headers: { 'x-idempotency-key': 'crash-payout-1' } }),
    );
    assert.equal(registered.status, 200, registered.text);
    assert.equal(registered.headers.get('idempotent-replayed'), 'true');
    assert.match(registered.body.ref, /^MP\d{6}\d+$/);

    const after = await counts();
    assert.deepEqual(
      {
        intents: Number(after.intents) - Number(before.intents),
        transfers: Number(after.transfers) - Number(before.transfers),
        payoutItems: Number(after.payoutItems) - Number(before.payoutItems),
        entries: Number(after.entries) - Number(before.entries),
      },
      { intents: 1, transfers: 1, payoutItems: 1, entries: 1 },
    );
    const intent = await platform.ctx.store.db.selectFrom('payment_intents').select('id').where('id', '=', created.body.id).executeTakeFirst();
    assert.ok(intent, 'the replayed answer names the intent that was committed');

    const verify = await runCli(['verify-ledger'], env);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  } finally {
    if (server) await kill(server).catch(() => {});
    await platform.close();
  }
});
