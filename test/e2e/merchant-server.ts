// A merchant's own server, for the browser tests of /js/pasarela.js: a separate HTTP server on
// its own port (another origin than Pasarela's) that serves the example checkout's HTML (taken
// from Pasarela, as a shop copies it, under the shop's own CSP), receives the token the page
// posts, pays with its access token over real HTTP (POST /v1/payments) and records EVERY
// request it gets — method, URL, headers and body — so a test can prove what it never saw.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXAMPLE_PAY_PATH, EXAMPLE_PATH } from '../../src/http/card-browser/example-routes.ts';
import { EXAMPLE_PRODUCT, examplePayment } from '../../src/http/card-browser/example-text.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface MerchantServer {
  url: string;
  /** Every request the merchant's server received, in order. */
  requests: RecordedRequest[];
  /** Keep the next payment waiting (the page shows its progress state) until `release` is called. */
  hold(): () => void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json', ...headers });
  res.end(text);
}

export async function startMerchantServer(pasarelaUrl: string, accessToken: string): Promise<MerchantServer> {
  const requests: RecordedRequest[] = [];
  let gate: Promise<void> | undefined;
  const pasarela = new URL(pasarelaUrl).origin;
  // The shop's own policy: its page loads Pasarela's script and styles and talks to Pasarela
  // (tokens) and to itself (the token), nothing else; no inline code anywhere.
  const csp = `default-src 'none'; script-src ${pasarela}; style-src ${pasarela}; connect-src 'self' ${pasarela}; img-src ${pasarela}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req.method ?? '', new URL(req.url ?? '/', 'http://merchant'), req.headers, body, res).catch((error: unknown) =>
        send(res, 500, { message: String(error) }),
      );
    });
  });

  async function handle(method: string, url: URL, headers: IncomingHttpHeaders, body: string, res: ServerResponse) {
    if (method === 'GET' && url.pathname === EXAMPLE_PATH) {
      const page = await fetch(`${pasarelaUrl}${EXAMPLE_PATH}${url.search}`, { headers: { 'accept-language': headers['accept-language'] ?? '' } });
      return send(res, page.status, await page.text(), { 'content-security-policy': csp, 'x-content-type-options': 'nosniff' });
    }
    if (method === 'POST' && url.pathname === EXAMPLE_PAY_PATH) {
      const { token, product } = JSON.parse(body) as { token?: unknown; product?: unknown };
      if (typeof token !== 'string' || product !== EXAMPLE_PRODUCT.id) return send(res, 400, { message: 'token and product expected' });
      if (gate) await gate;
      const answer = await fetch(`${pasarelaUrl}/v1/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'x-idempotency-key': `shop-${token}` },
        body: JSON.stringify(examplePayment(token)),
      });
      const payment = (await answer.json()) as { id: number; status: string; status_detail: string; message?: string };
      if (answer.status !== 201) return send(res, 400, { message: payment.message });
      return send(res, 200, { id: payment.id, status: payment.status, status_detail: payment.status_detail });
    }
    return send(res, 404, { message: 'not found' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      return release;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
