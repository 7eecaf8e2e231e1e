// Fixtures for wallet-API tests: the demo merchant and buyers, intents in the contract's
// shapes, console sign-in, and a loopback receiver for return-url calls.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { INTENT_LIMITS } from '../../src/modules/wallet-intents/model.ts';
import { after, before } from 'node:test';
import { http, startTestServer, type TestServer } from '../helpers.ts';

export interface WalletWorld {
  server: TestServer;
  demo: DemoDocument;
  token: string;
}

export async function walletWorld(server: TestServer): Promise<WalletWorld> {
  const demo = await ensureDemo(server.ctx);
  return { server, demo, token: demo.merchant.app.accessToken };
}

/** A test file's shared server and demo world: started before its tests, closed after. */
export function useWalletWorld(ready: (w: WalletWorld) => void): void {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer();
    ready(await walletWorld(server));
  });
  after(async () => server?.close());
}

/** The documented `curl -F` example of the payment button, as multipart fields. */
export function documentedSaleFields(returnUrl = 'http://localhost:4000/ok', cancelUrl = 'http://localhost:4000/cancel'): Record<string, string> {
  return {
    'paymentintent[intent]': 'sale',
    'paymentintent[redirectUrls][returnUrl]': returnUrl,
    'paymentintent[redirectUrls][cancelUrl]': cancelUrl,
    'paymentintent[transactions][0][amount][total]': '20',
    'paymentintent[transactions][0][amount][currency]': 'VES',
    'paymentintent[transactions][0][amount][details][shipping]': '0',
    'paymentintent[transactions][0][amount][details][tax]': '1.3',
    'paymentintent[transactions][0][amount][details][subTotal]': '17.5',
    'paymentintent[transactions][0][description]': 'Compra por eBay',
    'paymentintent[transactions][0][invoiceNumber]': 'F00015',
    'paymentintent[transactions][0][items][0][name]': 'telefono',
    'paymentintent[transactions][0][items][0][quantity]': '1',
    'paymentintent[transactions][0][items][0][price]': '7.5',
    'paymentintent[transactions][0][items][0][sku]': 'P001',
    'paymentintent[transactions][0][items][1][name]': 'forro',
    'paymentintent[transactions][0][items][1][quantity]': '1',
    'paymentintent[transactions][0][items][1][price]': '10',
    'paymentintent[transactions][0][items][1][sku]': 'P002',
  };
}

/** '€' is three bytes in UTF-8 and needs no escape: the most a character can weigh in JSON. */
const heavy = (n: number) => '€'.repeat(n);

/**
 * An intent at every creation maximum (INTENT_LIMITS) with the heaviest characters, as a JSON
 * body of `POST /api/payment-intent/.json`: the largest intent anyone can store.
 */
export function maximalIntent(kind: 'sale' | 'request', recipient: string) {
  const perTransaction = INTENT_LIMITS.items / INTENT_LIMITS.transactions;
  const url = (tail: string) => `https://example.com/${tail}/` + heavy(INTENT_LIMITS.urlChars - 30);
  return {
    paymentintent: {
      intent: kind,
      ...(kind === 'request' ? { recipient } : {}),
      redirectUrls: { returnUrl: url('ok'), cancelUrl: url('cancel') },
      transactions: Array.from({ length: INTENT_LIMITS.transactions }, () => ({
        amount: { total: String(perTransaction * 0.01), currency: 'VES' },
        description: heavy(INTENT_LIMITS.descriptionChars),
        invoiceNumber: heavy(INTENT_LIMITS.invoiceNumberChars),
        items: Array.from({ length: perTransaction }, () => ({
          name: heavy(INTENT_LIMITS.itemNameChars),
          sku: heavy(INTENT_LIMITS.skuChars),
          price: '0.01',
          quantity: 1,
        })),
      })),
    },
  };
}

export function multipart(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

export async function createSale(w: WalletWorld, overrides: Record<string, string> = {}) {
  const answer = await http(w.server.url, 'POST', '/api/payment-intent/.json', {
    token: w.token,
    multipart: multipart({ ...documentedSaleFields(), ...overrides }),
  });
  if (answer.status !== 200) throw new Error(`create sale failed: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** A billing request (intent `request`, 20.00 VES) addressed to `recipient`: username, phone or identification. */
export async function createRequest(w: WalletWorld, recipient: string, overrides: Record<string, string> = {}) {
  const fields = { ...documentedSaleFields(), 'paymentintent[intent]': 'request', 'paymentintent[recipient]': recipient, ...overrides };
  const answer = await http(w.server.url, 'POST', '/api/payment-intent/.json', { token: w.token, multipart: multipart(fields) });
  if (answer.status !== 200) throw new Error(`create request failed: ${answer.status} ${answer.text}`);
  return answer.body;
}

export async function approve(w: WalletWorld, id: string, payer: string) {
  return http(w.server.url, 'POST', `/sandbox/payment-intents/${id}/approve`, { token: w.token, json: { payer } });
}

export async function executeSale(w: WalletWorld, id: string, payerId: string) {
  return http(w.server.url, 'POST', `/api/payment-intent/execute/sale.json?id=${id}`, {
    token: w.token,
    multipart: multipart({ 'payment_execution[paymentIntent]': id, 'payment_execution[payer]': payerId }),
  });
}

export async function consoleLogin(url: string, login: string, password: string): Promise<string> {
  const answer = await http(url, 'POST', '/console/api/session', { json: { login, password } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return answer.body.sessionToken;
}

export async function balanceOf(w: WalletWorld, username: string, currency = 'VES'): Promise<number> {
  const row = await w.server.ctx.store.db
    .selectFrom('accounts as a')
    .innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .select('a.balance_minor')
    .where('u.username', '=', username)
    .where('a.currency', '=', currency)
    .executeTakeFirst();
  return row ? Number(row.balance_minor) : 0;
}

export interface Receiver {
  url: string;
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

/** A loopback HTTP server that records what it receives and answers `status`. */
export async function startReceiver(status = 200, body = 'ok'): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = createServer((req: IncomingMessage, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
