// Scenario "pages": the heaviest list page and what it does to everyone else. 100 payment
// intents at every creation maximum (INTENT_LIMITS, 3-byte characters), then 8 closed-loop
// clients read `GET /api/payment-intent/.json?maxPerPage=100` while a probe asks `/healthz`
// every 20 ms. Reported: pages/s and latency of the page, its size, and /healthz p50/p99 alone
// and under that load (the number that says whether one tenant's big pages hurt the others).
import { INTENT_LIMITS } from '../src/modules/wallet-intents/model.ts';
import type { BenchContext, ScenarioResult } from './scenario.ts';

const heavy = (n: number) => '€'.repeat(n);

function maximalIntent() {
  const perTransaction = INTENT_LIMITS.items / INTENT_LIMITS.transactions;
  const url = (tail: string) => `https://example.com/${tail}/` + heavy(INTENT_LIMITS.urlChars - 30);
  return {
    paymentintent: {
      intent: 'sale',
      redirectUrls: { returnUrl: url('ok'), cancelUrl: url('cancel') },
      transactions: Array.from({ length: INTENT_LIMITS.transactions }, () => ({
        amount: { total: String(perTransaction * 0.01), currency: 'VES' },
        description: heavy(INTENT_LIMITS.descriptionChars),
        invoiceNumber: heavy(INTENT_LIMITS.invoiceNumberChars),
        items: Array.from({ length: perTransaction }, () => ({ name: heavy(INTENT_LIMITS.itemNameChars), sku: heavy(INTENT_LIMITS.skuChars), price: '0.01' })),
      })),
    },
  };
}

async function probeHealthz(url: string, stop: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!stop()) {
    const started = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    out.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  return out.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

export async function run(b: BenchContext): Promise<ScenarioResult> {
  const server = await b.pasarela();
  const token = server.demo.merchant.app.accessToken;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = JSON.stringify(maximalIntent());
  for (let i = 0; i < 100; i++) {
    const created = await fetch(`${server.url}/api/payment-intent/.json`, { method: 'POST', headers, body });
    if (created.status !== 200) throw new Error(`create failed: ${created.status} ${(await created.text()).slice(0, 300)}`);
    await created.arrayBuffer();
  }
  const path = '/api/payment-intent/.json?maxPerPage=100';
  const page = await fetch(server.url + path, { headers });
  const pageBytes = (await page.arrayBuffer()).byteLength;

  let quiet = false;
  const alone = probeHealthz(server.url, () => quiet);
  await new Promise((r) => setTimeout(r, 3000));
  quiet = true;
  const baseline = await alone;

  let done = false;
  const loaded = probeHealthz(server.url, () => done);
  // No wait for a quiet machine here: the probe is already running, and must see the load only.
  const result = await b.load({
    url: server.url,
    request: { method: 'GET', path, headers: { authorization: `Bearer ${token}` } },
    concurrency: 8,
    quietWaitSeconds: 0,
  });
  done = true;
  const underLoad = await loaded;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return {
    ...result,
    notes: [
      `a page of 100 maximal intents: ${(pageBytes / 1024 / 1024).toFixed(2)} MiB; 8 readers on ${b.db}`,
      `/healthz alone p50 ${ms(quantile(baseline, 0.5))} p99 ${ms(quantile(baseline, 0.99))}; while the pages are read p50 ${ms(quantile(underLoad, 0.5))} p99 ${ms(quantile(underLoad, 0.99))} (${underLoad.length} probes)`,
    ],
    details: {
      pageBytes,
      healthz: {
        alone: { p50: quantile(baseline, 0.5), p99: quantile(baseline, 0.99) },
        underLoad: { p50: quantile(underLoad, 0.5), p99: quantile(underLoad, 0.99), probes: underLoad.length },
      },
    },
  };
}
