// Scenario "sale": one complete payment-button sale per operation, timed as a whole —
// POST /api/payment-intent/.json (the documented example, urlencoded) → POST
// /sandbox/payment-intents/{id}/approve (what the buyer does on the hosted page) → POST
// /api/payment-intent/execute/sale.json. Three HTTP requests, three transactions, one ledger
// entry per sale. Workers alternate between the two demo buyers.
import { runCli } from './server.ts';
import type { BenchContext, ScenarioResult } from './scenario.ts';
import { SALE_FORM } from '../test/sale-form.ts';

export async function run(b: BenchContext): Promise<ScenarioResult> {
  const server = await b.pasarela();
  const token = server.demo.merchant.app.accessToken;
  const buyers = server.demo.buyers.slice(0, 2);
  const auth = { authorization: `Bearer ${token}` };
  const createBody = new URLSearchParams(SALE_FORM).toString();

  const result = await b.load({
    url: server.url,
    operation: async (send, { worker }) => {
      const buyer = buyers[worker % buyers.length]!;
      const created = await send({
        method: 'POST',
        path: '/api/payment-intent/.json',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: createBody,
      });
      if (created.status !== 200) return false;
      const id = created.json<{ id: string }>().id;
      const approved = await send({
        method: 'POST',
        path: `/sandbox/payment-intents/${id}/approve`,
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ payer: buyer.username }),
      });
      if (approved.status !== 200) return false;
      const executed = await send({
        method: 'POST',
        path: `/api/payment-intent/execute/sale.json?id=${id}`,
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'payment_execution[paymentIntent]': id, 'payment_execution[payer]': buyer.id }).toString(),
      });
      return executed.status === 200 && executed.json<{ state: string }>().state === 'executed';
    },
  });

  const ledger = await runCli(['verify-ledger'], server.env).then(
    () => 'ledger verified after the run (pasarela verify-ledger)',
    (e: Error) => `LEDGER CHECK FAILED: ${e.message.slice(0, 300)}`,
  );
  return {
    ...result,
    requestsPerOperation: 3,
    notes: ['one operation = create + approve (sandbox helper) + execute: 3 requests; latency is per operation', ledger],
  };
}
