// The contract's Paginator: {links: {first, self, next, last}, meta, data}.
import type { FastifyReply, FastifyRequest } from 'fastify';
import pLimit from 'p-limit';
import { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { readInteger } from './numbers.ts';

export const DEFAULT_PER_PAGE = 10;
export const MAX_PER_PAGE = 100;
const MAX_PAGE = 1_000_000;

export interface PageRequest {
  page: number;
  perPage: number;
}

export function pageRequest(query: Record<string, unknown>): PageRequest {
  // Above the maximum is clamped, as the contract's Paginator does; anything not a plain
  // positive integer ("Infinity", "1e309", "-1") is refused.
  const read = (name: string, fallback: number, max: number) => readInteger(query[name], [name], { min: 1, max, clampToMax: true }, fallback);
  return { page: read('page', 1, MAX_PAGE), perPage: read('maxPerPage', read('limit', DEFAULT_PER_PAGE, MAX_PER_PAGE), MAX_PER_PAGE) };
}

export function paginator<T>(request: FastifyRequest, publicUrl: string, page: PageRequest, total: number, data: T[]) {
  const totalPages = Math.max(1, Math.ceil(total / page.perPage));
  const path = request.url.split('?')[0];
  const href = (n: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      if (k !== 'page' && k !== 'access_token' && typeof v === 'string') params.set(k, v);
    }
    params.set('page', String(n));
    if (page.perPage !== DEFAULT_PER_PAGE) params.set('maxPerPage', String(page.perPage));
    return { href: `${publicUrl}${path}?${params.toString()}` };
  };
  const links: Record<string, { href: string }> = { first: href(1), self: href(page.page) };
  if (page.page < totalPages) links.next = href(page.page + 1);
  if (page.page > 1) links.previous = href(Math.min(page.page - 1, totalPages));
  links.last = href(totalPages);
  return { links, meta: { currentPage: page.page, maxPerPage: page.perPage, totalPages, totalResults: total }, data };
}

/** Characters of JSON written between two turns of the event loop (~0.3 ms of work). */
const CHUNK_CHARS = 32 * 1024;
/** Pages of more entries than the default are built one at a time (answerPage). */
const heavyPages = pLimit(1);

/**
 * Answer a Paginator whose entries can be heavy (a page of 100 intents at every creation
 * maximum is ~1.5 MiB): the same bytes as `paginator(...)` serialized whole, but written in
 * chunks of about CHUNK_CHARS with a turn of the event loop between them, and each entry
 * turned into its wire object only when its turn comes (`toWire`), so building a page never
 * holds the event loop for long (/healthz and everyone else's requests run in between).
 * Pages above the default size are built one at a time, from the read to the last byte, so
 * 8 clients reading the largest pages hold one decoded page in memory, not 8; the bytes then
 * leave at the client's pace outside the queue.
 */
export async function answerPage<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string,
  page: PageRequest,
  load: () => Promise<{ total: number; items: readonly T[] }>,
  toWire: (item: T) => unknown,
): Promise<FastifyReply> {
  const build = async () => {
    const { total, items } = await load();
    // `data` is the Paginator's last member: its empty list closes the head.
    const head = JSON.stringify(paginator(request, publicUrl, page, total, []));
    const chunks = [Buffer.from(head.slice(0, -']}'.length))];
    let text = '';
    for (const [n, item] of items.entries()) {
      text += (n > 0 ? ',' : '') + JSON.stringify(toWire(item));
      if (text.length >= CHUNK_CHARS) {
        chunks.push(Buffer.from(text));
        text = '';
        await yieldToEventLoop();
      }
    }
    chunks.push(Buffer.from(text + ']}'));
    return chunks;
  };
  const chunks = await (page.perPage > DEFAULT_PER_PAGE ? heavyPages(build) : build());
  const length = chunks.reduce((n, chunk) => n + chunk.length, 0);
  // Sent chunk by chunk (no copy into one buffer), at the socket's pace, with its length known.
  return reply.type('application/json; charset=utf-8').header('content-length', length).send(Readable.from(chunks));
}
