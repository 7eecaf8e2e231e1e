// Scenario "transfer": person-to-person "enviar dinero" through HTTP —
// POST /console/api/transfers {to, amount, currency:'VES', pin} with a console session
// (X-Session-Token from POST /console/api/session). Half of the workers send from demo buyer
// 1 to buyer 2, the other half the other way, so balances never run out.
//
// Every transfer verifies the sender's PIN with scrypt (N=2^12, r=8: ~4 MiB and a few ms of
// CPU on the libuv thread pool), so this number is bounded by scrypt on this machine as much
// as by the ledger; the scenario measures that bound separately and reports it beside.
import { scrypt } from 'node:crypto';
import { hrtime } from 'node:process';
import { runCli } from './server.ts';
import { envNumber } from './load.ts';
import type { BenchContext, ScenarioResult } from './scenario.ts';

const AMOUNT = '1.00';

/**
 * The server reserves a PIN attempt (pin_failed_attempts + 1, at most 3) before the scrypt
 * check and clears the counter after, so at most 3 PIN checks of one user run at once; a 4th
 * waits, polling with a 5→100 ms backoff. With only two senders, more than 3 workers per sender
 * would measure that per-user queue instead of the platform, so the default keeps each sender
 * at the limit (2 senders → 6 workers). BENCH_TRANSFER_CONCURRENCY overrides it.
 */
const PIN_ATTEMPTS_IN_FLIGHT = 3;

export async function run(b: BenchContext): Promise<ScenarioResult> {
  const server = await b.pasarela();
  const buyers = server.demo.buyers.slice(0, 2);
  if (buyers.length < 2) throw new Error('the demo data has fewer than two buyers');

  const sessions: string[] = [];
  for (const buyer of buyers) {
    const res = await fetch(`${server.url}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: buyer.username, password: buyer.password }),
    });
    const body = (await res.json()) as { sessionToken?: string };
    if (res.status !== 200 || !body.sessionToken) throw new Error(`login of ${buyer.username} failed: ${res.status} ${JSON.stringify(body)}`);
    sessions.push(body.sessionToken);
  }
  const before = await balances(server.url, sessions);

  const requests = buyers.map((sender, i) => {
    const receiver = buyers[1 - i]!;
    return {
      method: 'POST' as const,
      path: '/console/api/transfers',
      headers: { 'content-type': 'application/json', 'x-session-token': sessions[i]! },
      body: JSON.stringify({ to: receiver.username, amount: AMOUNT, currency: 'VES', pin: sender.pin, description: 'bench' }),
    };
  });

  const concurrency = Math.max(1, Math.trunc(envNumber('BENCH_TRANSFER_CONCURRENCY', Math.min(b.concurrency, PIN_ATTEMPTS_IN_FLIGHT * buyers.length))));
  const result = await b.load({ url: server.url, concurrency, request: ({ worker }) => requests[worker % 2]! });
  const scryptPerSecond = await measureScrypt();

  const after = await balances(server.url, sessions);
  const ledger = await runCli(['verify-ledger'], server.env).then(
    () => 'ledger verified after the run (pasarela verify-ledger: every balance matches its postings)',
    (e: Error) => `LEDGER CHECK FAILED: ${e.message.slice(0, 300)}`,
  );
  const notes = [
    `${AMOUNT} VES per transfer, buyer1⇄buyer2 (fixed sender per worker), ${concurrency} workers` +
      (concurrency < b.concurrency
        ? ` (capped from ${b.concurrency}: the server runs at most ${PIN_ATTEMPTS_IN_FLIGHT} PIN checks per user at once, more would queue; BENCH_TRANSFER_CONCURRENCY overrides)`
        : ''),
    `each transfer checks the PIN with scrypt N=2^12 r=8; scrypt alone on this machine: ≈${Math.round(scryptPerSecond)}/s (4 parallel, bench process) — an upper bound for transfers/s here`,
    `balances VES before → after: ${before.join(' / ')} → ${after.join(' / ')}`,
    ledger,
  ];
  if (ledger.startsWith('LEDGER CHECK FAILED')) result.errors += 1;
  return { ...result, notes };
}

async function balances(url: string, sessions: string[]): Promise<string[]> {
  return Promise.all(
    sessions.map(async (token) => {
      const res = await fetch(`${url}/console/api/me`, { headers: { 'x-session-token': token } });
      const body = (await res.json()) as { wallets?: { currency: string; balance: string }[] };
      return body.wallets?.find((w) => w.currency === 'VES')?.balance ?? `?(${res.status})`;
    }),
  );
}

/** scrypt with the PIN cost, 4 at a time (the default libuv pool), for about a second. */
async function measureScrypt(seconds = 1): Promise<number> {
  const salt = Buffer.alloc(16, 7);
  const one = () =>
    new Promise<void>((resolve, reject) =>
      scrypt('1111', salt, 32, { N: 1 << 12, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve())),
    );
  const start = hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let done = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (hrtime.bigint() < deadline) {
        await one();
        done++;
      }
    }),
  );
  return done / (Number(hrtime.bigint() - start) / 1e9);
}
