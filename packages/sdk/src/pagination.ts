// A list call is both a promise of its first page and an async iterator over every entry of
// every page from there on (as stripe-node's lists): `await list()` reads one page,
// `for await (const x of list())` reads the pages one after the other as the loop goes.
import type { ListParams, Page } from './models.ts';
import type { WithResponse } from './transport.ts';

export type PageLoader<T> = (page: number, maxPerPage: number | undefined) => Promise<WithResponse<Page<T>>>;

export class PageList<T extends { id: string }> implements PromiseLike<WithResponse<Page<T>>>, AsyncIterable<T> {
  private first: Promise<WithResponse<Page<T>>> | undefined;

  constructor(
    private readonly load: PageLoader<T>,
    private readonly params: ListParams = {},
  ) {
    for (const name of ['page', 'maxPerPage'] as const) {
      const value = params[name];
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw new TypeError(`Pasarela: ${name} must be a whole number ≥ 1.`);
    }
  }

  private firstPage(): Promise<WithResponse<Page<T>>> {
    this.first ??= this.load(this.params.page ?? 1, this.params.maxPerPage);
    return this.first;
  }

  then<A = WithResponse<Page<T>>, B = never>(
    onFulfilled?: ((page: WithResponse<Page<T>>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.firstPage().then(onFulfilled, onRejected);
  }

  /**
   * Every entry from the first page on. Lists are newest first, so an entry created while the
   * loop runs pushes older ones a place down: an entry already given is not given again.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const seen = new Set<string>();
    let page = await this.firstPage();
    for (;;) {
      for (const entry of page.data) {
        if (seen.has(entry.id)) continue;
        seen.add(entry.id);
        yield entry;
      }
      const { currentPage, totalPages } = page.meta;
      if (page.data.length === 0 || currentPage >= totalPages) return;
      page = await this.load(currentPage + 1, page.meta.maxPerPage);
    }
  }
}
