// `npx tsx bench/statements.ts [--sql]`: the SQL statements each request of the complete sale
// (bench/sale.ts: create → approve → execute) sends, counted in-process on a fresh sandbox
// platform (TEST_DB=postgres for PostgreSQL). `--sql` prints the statements themselves. On
// PostgreSQL it also counts round trips: deferred inserts (src/store/deferred-inserts.ts)
// travel with the statement after them.
import { ensureDemo } from '../src/modules/sandbox/demo.ts';
import { watchStatements } from '../src/store/db.ts';
import { countPgRoundTrips, http, startTestServer } from '../test/helpers.ts';
import { SALE_FORM } from '../test/sale-form.ts';

const driver = countPgRoundTrips();

// The bearer token stays in memory, as it does under load (the bench's sales reuse one token);
// without a set AUTH_CACHE_MS, whether a step reads it again would depend on the machine's speed.
const server = await startTestServer({ env: { PASARELA_ENV: 'sandbox', AUTH_CACHE_MS: '60000' } });
try {
  const demo = await ensureDemo(server.ctx);
  const token = demo.merchant.app.accessToken;
  const buyer = demo.buyers[0]!;
  const showSql = process.argv.includes('--sql');
  let total = 0;
  let trips = 0;
  const step = async (name: string, send: () => Promise<{ status: number; body: any }>) => {
    // The clock re-reads its offset once a second, not once a request: not counted here.
    await server.ctx.clock.load();
    const tripsBefore = driver.count();
    const { result, statements } = await watchStatements(server.ctx.store, send);
    if (result.status !== 200) throw new Error(`${name}: ${result.status} ${JSON.stringify(result.body)}`);
    total += statements.length;
    trips += driver.count() - tripsBefore;
    const tripNote = server.backend === 'postgres' ? `, ${driver.count() - tripsBefore} round trips` : '';
    process.stdout.write(`${name.padEnd(8)} ${String(statements.length).padStart(3)} statements${tripNote}\n`);
    if (showSql) for (const s of statements) process.stdout.write(`    ${s.replace(/\s+/g, ' ').slice(0, 200)}\n`);
    return result.body;
  };
  // Two warm-up sales first: the clock's offset read and the first uses of an account are not
  // what every request costs.
  for (const measured of [false, false, true]) {
    total = 0;
    trips = 0;
    if (measured) process.stdout.write(`${server.backend}:\n`);
    const run = measured ? step : async (_: string, send: () => Promise<{ status: number; body: any }>) => (await send()).body;
    const created = await run('create', () => http(server.url, 'POST', '/api/payment-intent/.json', { token, form: SALE_FORM }));
    await run('approve', () => http(server.url, 'POST', `/sandbox/payment-intents/${created.id}/approve`, { token, json: { payer: buyer.username } }));
    await run('execute', () =>
      http(server.url, 'POST', `/api/payment-intent/execute/sale.json?id=${created.id}`, {
        token,
        form: { 'payment_execution[paymentIntent]': created.id, 'payment_execution[payer]': buyer.id },
      }),
    );
  }
  const tripTotal = server.backend === 'postgres' ? `, ${trips} round trips` : '';
  process.stdout.write(`total    ${String(total).padStart(3)} statements per sale${tripTotal}\n`);
} finally {
  await server.close();
}
