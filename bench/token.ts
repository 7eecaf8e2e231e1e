// Scenario "token": POST /oauth/v2/token, grant_type=urn:client_apps with the demo app's
// client_id/client_secret (form-urlencoded) — one access + refresh token pair per request.
//
// BENCH_LOGO_KB=<n> first gives the demo app an n-KiB PNG logo through the console API (as a
// merchant would; up to ~700 KiB fits the 1 MiB JSON body limit), to see whether the size of
// the app's logo costs anything on the token path.
import { randomBytes } from 'node:crypto';
import { PNG_SIGNATURE, pngChunk } from '../src/modules/apps/png.ts';
import { envNumber } from './load.ts';
import type { BenchContext, ScenarioResult } from './scenario.ts';
import type { PasarelaServer } from './server.ts';

export async function run(b: BenchContext): Promise<ScenarioResult> {
  // The per-client token limit (TOKEN_RATE_LIMIT) is lifted: this measures issuance itself.
  const server = await b.pasarela({ TOKEN_RATE_LIMIT: '0' });
  const { clientId, clientSecret } = server.demo.merchant.app;
  const logoKb = envNumber('BENCH_LOGO_KB', 0);
  if (logoKb > 0) await setDemoLogo(server, Math.round(logoKb * 1024));
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
    notes: [
      `urn:client_apps, form-urlencoded, on ${b.db}: each request checks the client secret (SHA-256) and stores a new access + refresh pair` +
        (logoKb > 0 ? `; demo app logo set to ${logoKb} KiB (BENCH_LOGO_KB)` : ''),
    ],
  };
}

/** Replace the demo app's logo with a valid PNG of about `bytes` bytes (merchant console API). */
async function setDemoLogo(server: PasarelaServer, bytes: number): Promise<void> {
  const { username, password } = server.demo.merchant;
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-session-token': token } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const session = (await call('POST', '/console/api/session', undefined, { login: username, password })) as { sessionToken: string };
  const apps = (await call('GET', '/console/api/apps', session.sessionToken)) as { data: { id: string }[] };
  const app = apps.data[0];
  if (!app) throw new Error('the demo merchant has no app');
  await call('PATCH', `/console/api/apps/${app.id}`, session.sessionToken, { logoBase64: bigPng(bytes).toString('base64') });
}

/** A 1×1 PNG padded with an ancillary chunk of random bytes to reach `bytes`. */
function bigPng(bytes: number): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const idat = Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]); // one grey pixel
  const fixed = 8 + 25 + 22 + 12 + 12;
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('raNd', randomBytes(Math.max(0, bytes - fixed))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
