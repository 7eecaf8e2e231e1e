// The one helper for calls to merchant-chosen URLs (webhook sends and return-url calls): a
// private IP literal is refused before connecting, at most bodyLimit bytes of the answer are
// kept, and a body that breaks after the status still reports the status and what was read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callOutbound } from '../../src/platform/outbound.ts';
import { BlockedAddressError, outboundAgent } from '../../src/platform/ssrf.ts';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    handler!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, requests: () => requests };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

test('callOutbound keeps only the first bodyLimit bytes of a large answer, decoded as UTF-8', async () => {
  // 'é' is two bytes: a limit of 5 cuts the third one in half (decoded as U+FFFD).
  const big = 'éé' + 'é'.repeat(200_000);
  const { server, url } = await serve((_req, res) => res.writeHead(201, { 'content-type': 'text/plain' }).end(big));
  const agent = outboundAgent({ guard: false, connections: 1 });
  try {
    const answer = await callOutbound(url, { method: 'POST', headers: {}, body: '{}', agent, guard: false, bodyLimit: 5 });
    assert.equal(answer.statusCode, 201);
    assert.equal(answer.body, 'éé\uFFFD');
    assert.equal('bodyError' in answer, false);
    const whole = await callOutbound(url, { method: 'GET', headers: {}, agent, guard: false, bodyLimit: 100_000 });
    assert.equal(Buffer.byteLength(whole.body), 100_000, 'never more than the limit (of 400,004 bytes)');
  } finally {
    await agent.close();
    await close(server);
  }
});

test('callOutbound refuses a private IP literal before connecting when guarded, and reaches it when not', async () => {
  const { server, url, requests } = await serve((_req, res) => res.writeHead(200).end('ok'));
  const agent = outboundAgent({ guard: true, connections: 1 });
  try {
    await assert.rejects(callOutbound(url, { method: 'GET', headers: {}, agent, guard: true, bodyLimit: 10 }), BlockedAddressError);
    assert.equal(requests(), 0, 'nothing reached the loopback server');
    const open = outboundAgent({ guard: false, connections: 1 });
    const answer = await callOutbound(url, { method: 'GET', headers: {}, agent: open, guard: false, bodyLimit: 10 }).finally(() => open.close());
    assert.deepEqual(answer, { statusCode: 200, body: 'ok' });
  } finally {
    await agent.close();
    await close(server);
  }
});

test('a body cut after the status answers the status, what was read, and the reading error', async () => {
  const { server, url } = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('partial');
    setTimeout(() => res.socket?.destroy(), 50);
  });
  const agent = outboundAgent({ guard: false, connections: 1 });
  try {
    const answer = await callOutbound(url, { method: 'GET', headers: {}, agent, guard: false, bodyLimit: 100 });
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.body, 'partial');
    assert.ok(answer.bodyError instanceof Error);
  } finally {
    await agent.close();
    await close(server);
  }
});

test('no status in time (headersTimeout) throws', async () => {
  const { server, url } = await serve(() => {});
  const agent = outboundAgent({ guard: false, connections: 1 });
  try {
    await assert.rejects(callOutbound(url, { method: 'GET', headers: {}, agent, guard: false, bodyLimit: 100, headersTimeout: 200 }), /timeout/i);
  } finally {
    await agent.close();
    await close(server);
  }
});
