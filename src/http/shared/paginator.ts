// The contract's Paginator: {links: {first, self, next, last}, meta, data}.
import type { FastifyRequest } from 'fastify';
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
