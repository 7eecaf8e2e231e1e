// Scenario "ceiling": what bare Fastify 5 does on this machine with the same load generator —
// one GET route answering a small JSON, in its own process, no database, no auth. Every other
// scenario is reported as a percentage of this number from the same run.
import type { BenchContext, ScenarioResult } from './scenario.ts';
import { startCeiling } from './server.ts';

export async function run(b: BenchContext): Promise<ScenarioResult> {
  const server = await startCeiling();
  try {
    const result = await b.load({ url: `${server.url}/ping` });
    return { ...result, notes: ['bare Fastify 5, GET /ping → {"ok":true,…}, no logger, no database, plain Node like the compiled Pasarela'] };
  } finally {
    await server.stop();
  }
}
