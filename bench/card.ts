// Scenario "card": one card payment per operation, timed as a whole — POST
// /v1/card_tokens?public_key=… (what the buyer's browser does) → POST /v1/payments with the
// access token and an X-Idempotency-Key (what the merchant's server does). Two HTTP requests,
// two transactions, one ledger entry per payment (card clearing → the merchant's wallet). The
// per-address tokenization limit (CARD_TOKEN_RATE_LIMIT) is lifted: every worker is one
// loopback address here, and this measures the payment path itself.
import { randomUUID } from 'node:crypto';
import { runCli } from './server.ts';
import type { BenchContext, ScenarioResult } from './scenario.ts';

const CARDS = [
  { card_number: '4509953566233704', security_code: '123' },
  { card_number: '5031755734530604', security_code: '123' },
];

export async function run(b: BenchContext): Promise<ScenarioResult> {
  const server = await b.pasarela({ CARD_TOKEN_RATE_LIMIT: '0' });
  const { accessToken, publicKey } = server.demo.merchant.app;
  // The demo buyers are test cardholders: their names are approved by the sandbox simulator.
  const holders = server.demo.buyers.map((buyer) => buyer.cardholder);
  const tokenPath = `/v1/card_tokens?public_key=${encodeURIComponent(publicKey)}`;
  const json = { 'content-type': 'application/json' };

  const result = await b.load({
    url: server.url,
    operation: async (send, { worker }) => {
      const card = CARDS[worker % CARDS.length]!;
      const tokenized = await send({
        method: 'POST',
        path: tokenPath,
        headers: json,
        body: JSON.stringify({ ...card, expiration_month: 11, expiration_year: 2030, cardholder: { name: holders[worker % holders.length] } }),
      });
      if (tokenized.status !== 201) return false;
      const paid = await send({
        method: 'POST',
        path: '/v1/payments',
        headers: { ...json, authorization: `Bearer ${accessToken}`, 'x-idempotency-key': randomUUID() },
        body: JSON.stringify({
          transaction_amount: 100.5,
          token: tokenized.json<{ id: string }>().id,
          description: 'Compra',
          installments: 1,
          payer: { email: 'comprador@example.com' },
        }),
      });
      return paid.status === 201 && paid.json<{ status: string }>().status === 'approved';
    },
  });

  const ledger = await runCli(['verify-ledger'], server.env).then(
    () => 'ledger verified after the run (pasarela verify-ledger)',
    (e: Error) => `LEDGER CHECK FAILED: ${e.message.slice(0, 300)}`,
  );
  return {
    ...result,
    requestsPerOperation: 2,
    notes: ['one operation = card token (public key) + payment (access token, X-Idempotency-Key): 2 requests; latency is per operation', ledger],
  };
}
