// Response cache of the SQL fetcher: parsed response bodies keyed by
// (API, path, query parameters), kept for a configurable time to live. One
// cache lives as long as the fetcher that owns it (in the extension: the
// session), so running a query twice, or refining it, costs no requests for
// pages fetched within the TTL. Identical requests in flight at the same time
// share one promise, so overlapping steps never fetch a page twice.
//
// It also remembers the page count each request stream reported, which the
// planner takes as `pageCountHint` for exact request estimates in EXPLAIN.
import type { Api } from './catalog';

export interface CacheClock {
  now(): number;
}

export interface ResponseCacheOptions {
  /** How long a response stays usable, in ms. 0 disables caching (in-flight sharing stays). Default 60 s. */
  readonly ttlMs?: number;
  /** Most responses kept; the oldest go first. Default 5000. */
  readonly maxEntries?: number;
  readonly clock?: CacheClock;
}

interface Entry {
  readonly body: unknown;
  readonly at: number;
}

/** The cache key of a request: API, path and the query parameters in sorted order. */
export function cacheKey(api: Api, path: string, query: Readonly<Record<string, string>>): string {
  const q = Object.keys(query)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k] ?? '')}`)
    .join('&');
  return `${api} ${path}${q ? `?${q}` : ''}`;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly pageCounts = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: CacheClock;
  private hitCount = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.ttlMs = Math.max(0, options.ttlMs ?? 60_000);
    this.maxEntries = Math.max(1, options.maxEntries ?? 5000);
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  /** Responses served from the cache (or shared in flight) since creation. */
  get hits(): number {
    return this.hitCount;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A fresh cached body, or undefined. */
  get(key: string): { readonly body: unknown } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.clock.now() - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return { body: e.body };
  }

  set(key: string, body: unknown): void {
    if (this.ttlMs === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { body, at: this.clock.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /**
   * Returns the cached body, joins an identical request in flight, or calls
   * `load` and caches what it returns. `fromCache` is true when no request
   * was sent for this caller.
   */
  async through(key: string, load: () => Promise<unknown>): Promise<{ readonly body: unknown; readonly fromCache: boolean }> {
    const hit = this.get(key);
    if (hit) {
      this.hitCount++;
      return { body: hit.body, fromCache: true };
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.hitCount++;
      return { body: await pending, fromCache: true };
    }
    const p = load();
    this.inFlight.set(key, p);
    try {
      const body = await p;
      this.set(key, body);
      return { body, fromCache: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Remembers the page count a request stream reported (key without `page`). */
  notePageCount(streamKey: string, totalPages: number): void {
    this.pageCounts.set(streamKey, totalPages);
  }

  pageCount(streamKey: string): number | undefined {
    return this.pageCounts.get(streamKey);
  }

  /** Forgets everything (after a write, or when the user asks for fresh data). */
  clear(): void {
    this.entries.clear();
    this.pageCounts.clear();
  }
}
