// Scenario "token": POST /oauth/v2/token, grant_type=urn:client_apps with the demo app's
// client_id/client_secret (form-urlencoded) — one access + refresh token pair per request.
import type { BenchContext, ScenarioResult } from './scenario.ts';

export async function run(b: BenchContext): Promise<ScenarioResult> {
  const server = await b.pasarela();
  const { clientId, clientSecret } = server.demo.merchant.app;
  const request = {
    method: 'POST' as const,
    path: '/oauth/v2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:client_apps', client_id: clientId, client_secret: clientSecret }).toString(),
  };

  // One checked request first: a misconfigured scenario must fail loudly, not measure 401s.
  const probe = await fetch(server.url + request.path, { method: 'POST', headers: request.headers, body: request.body });
  const answer = (await probe.json()) as { access_token?: string; refresh_token?: string };
  if (probe.status !== 200 || !answer.access_token?.startsWith('TEST-') || !answer.refresh_token) {
    throw new Error(`token probe failed: ${probe.status} ${JSON.stringify(answer)}`);
  }

  const result = await b.load({ url: server.url, request });
  return {
    ...result,
    notes: [`urn:client_apps, form-urlencoded; each request stores 2 token rows (${b.db}); client secret checked by SHA-256`],
  };
}
