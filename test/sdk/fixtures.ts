// Fixtures for the SDK's tests: a real server on a loopback port with the sandbox demo (a
// merchant app, test buyers with money), and SDK clients for it — the SDK from its sources;
// test/api/sdk-package.test.ts runs the packed, compiled one.
import { after, before } from 'node:test';
import { Pasarela, type FetchLike, type PasarelaOptions, type SaleParams } from '../../packages/sdk/src/index.ts';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/demo.ts';
import { startTestServer, type TestServer } from '../helpers.ts';

export interface SdkWorld {
  server: TestServer;
  demo: DemoDocument;
  /** A client with the demo app's keys (`overrides` replace options). */
  client(overrides?: Partial<PasarelaOptions>): Pasarela;
}

/** A test file's server and demo: started before its tests, closed after. */
export function useSdkWorld(ready: (world: SdkWorld) => void | Promise<void>, env: Record<string, string> = {}): void {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer({ env });
    const demo = await ensureDemo(server.ctx);
    const url = server.url;
    await ready({
      server,
      demo,
      client: (overrides = {}) =>
        new Pasarela({ clientId: demo.merchant.app.clientId, clientSecret: demo.merchant.app.clientSecret, baseUrl: url, ...overrides }),
    });
  });
  after(async () => server?.close());
}

export interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  status?: number;
}

/** Global fetch that records every call the SDK makes (method, path and query, headers, status). */
export function recordingFetch(): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetchLike: FetchLike = async (url, init) => {
    const target = new URL(url);
    const call: Call = { method: init.method, path: target.pathname + target.search, headers: init.headers, body: init.body };
    calls.push(call);
    const response = await fetch(url, init);
    call.status = response.status;
    return response;
  };
  return { fetch: fetchLike, calls };
}

/** The documented sale (20.00 VES), with a description of your own. */
export function saleParams(description = 'Compra por eBay'): SaleParams {
  return {
    intent: 'sale',
    redirectUrls: { returnUrl: 'http://localhost:4000/ok', cancelUrl: 'http://localhost:4000/cancel' },
    transactions: [
      {
        amount: { total: '20.00', currency: 'VES', details: { tax: '1.30', subTotal: '17.50' } },
        description,
        invoiceNumber: 'F00015',
        items: [
          { name: 'telefono', price: '7.50', sku: 'P001' },
          { name: 'forro', price: 10, quantity: 1 },
        ],
      },
    ],
  };
}
