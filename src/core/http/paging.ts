// Page iteration shared by the Mailbox and Docs clients. A list method returns
// a `Paged<T>`: iterate it with `for await` to get pages, call `items()` for
// items, or `getPage(n)` to fetch one page directly (the SQL fetcher asks for
// pages 2..N in parallel once page 1 has told it `totalPages`).

export interface PageNumbers {
  /** 1-based. */
  readonly number: number;
  readonly totalPages: number;
  readonly totalElements: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Undefined when the API sent no page block (customer entry lists, some folder/field lists). */
  readonly page: PageNumbers | undefined;
  readonly hasNext: boolean;
}

export type PageFetcher<T> = (n: number, signal?: AbortSignal) => Promise<Page<T>>;

export class Paged<T> implements AsyncIterable<Page<T>> {
  constructor(
    private readonly fetcher: PageFetcher<T>,
    private readonly signal?: AbortSignal,
  ) {}

  /** Fetches page `n` (1-based). */
  getPage(n: number, signal?: AbortSignal): Promise<Page<T>> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Page numbers start at 1, got ${n}`);
    return this.fetcher(n, signal ?? this.signal);
  }

  /** Pages in order, until one says there is no next page (or comes back empty). */
  async *[Symbol.asyncIterator](): AsyncIterator<Page<T>> {
    for (let n = 1; ; n++) {
      const p = await this.getPage(n);
      yield p;
      if (!p.hasNext || p.items.length === 0) return;
    }
  }

  /** Items across all pages, fetching pages as they are consumed. */
  async *items(): AsyncGenerator<T, void, undefined> {
    for await (const p of this) yield* p.items;
  }

  /** All items (or the first `limit`), stopping early so no extra page is fetched. */
  async toArray(limit = Number.POSITIVE_INFINITY): Promise<T[]> {
    const out: T[] = [];
    if (limit <= 0) return out;
    for await (const p of this) {
      for (const item of p.items) {
        out.push(item);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}

/** True when a HAL `_links` object has a `next` relation. */
export function hasNextLink(links: unknown): boolean {
  if (links === null || typeof links !== 'object') return false;
  if (Array.isArray(links)) return links.some((l) => l !== null && typeof l === 'object' && (l as { rel?: unknown }).rel === 'next');
  return 'next' in links && (links as { next?: unknown }).next != null;
}
