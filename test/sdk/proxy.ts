// A small HTTP proxy in front of the real server that fails on purpose, for the SDK's retry
// tests: it can cut the connection before the request reaches the server, or lose the answer
// after the server acted (cut, 502, or no answer at all), or answer a status itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Relay the request and the answer. */
  | 'forward'
  /** Cut the connection; the server never sees the request. */
  | 'drop-before'
  /** The server handles the request; the client's connection is cut before the answer. */
  | 'drop-after'
  /** The server handles the request; the client gets a 502 instead of its answer. */
  | '502-after'
  /** The server handles the request; the client never hears back (its timeout fires). */
  | 'hang-after'
  /** Answer this status without asking the server (with `retry-after: 0` for 503). */
  | { status: number };

export interface Proxied {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  fault: Fault;
  at: number;
}

export interface FaultyProxy {
  url: string;
  requests: Proxied[];
  /** How to treat a request: by method and path (query included), and how many such came before. */
  plan(decide: (method: string, path: string, seenBefore: number) => Fault): void;
  close(): Promise<void>;
}

const RELAYED = ['content-type', 'x-request-id', 'idempotent-replayed', 'pasarela-refusal', 'retry-after', 'www-authenticate'];

export async function startFaultyProxy(upstream: string): Promise<FaultyProxy> {
  let decide: (method: string, path: string, seenBefore: number) => Fault = () => 'forward';
  const requests: Proxied[] = [];
  const hanging = new Set<ServerResponse>();

  async function forward(req: IncomingMessage, body: Buffer) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length', 'keep-alive'].includes(name)) headers[name] = value;
    }
    const answer = await fetch(upstream + req.url, { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
    return { status: answer.status, headers: answer.headers, text: await answer.text() };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const method = req.method ?? '';
      const path = req.url ?? '';
      const seenBefore = requests.filter((r) => r.method === method && r.path === path).length;
      const fault = decide(method, path, seenBefore);
      const key = req.headers['idempotency-key'];
      requests.push({ method, path, idempotencyKey: typeof key === 'string' ? key : undefined, fault, at: Date.now() });
      try {
        if (fault === 'drop-before') return void req.socket.destroy();
        if (typeof fault === 'object') {
          const extra = fault.status === 503 ? { 'retry-after': '0' } : {};
          return void res
            .writeHead(fault.status, { 'content-type': 'application/json', ...extra })
            .end(JSON.stringify({ code: fault.status, message: 'proxy' }));
        }
        const answer = await forward(req, Buffer.concat(chunks));
        if (fault === 'drop-after') return void req.socket.destroy();
        if (fault === '502-after') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
        if (fault === 'hang-after') return void hanging.add(res);
        const headers: Record<string, string> = {};
        for (const name of RELAYED) {
          const value = answer.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        res.writeHead(answer.status, headers).end(answer.text);
      } catch (error) {
        res.writeHead(599).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    plan(d) {
      decide = d;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
