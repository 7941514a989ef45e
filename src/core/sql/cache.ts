// Response cache of the SQL fetcher: parsed response bodies keyed by
// (API, path, query parameters), kept for a configurable time to live. One
// cache lives as long as the fetcher that owns it (in the extension: the
// session), so running a query twice, or refining it, costs no requests for
// pages fetched within the TTL. Identical requests in flight at the same time
// share one promise, so overlapping steps never fetch a page twice.
//
// It also remembers the page count each request stream reported, and the
// requests and rows each plan step took (by the step's signature, see
// `stepSignatures`), which the planner takes for its estimates: EXPLAIN is
// exact for steps run before and says so when a figure is a guess.
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

/** What one plan step took when it last ran to the end. */
export interface LearnedStep {
  /** Requests it sent or took from the cache (not those another step of the run had sent). */
  readonly requests: number;
  readonly rows: number;
}

/** Most learned steps and plans kept; the oldest go first. */
const MAX_LEARNED = 5000;

/** The cache key of a request: API, path and the query parameters in sorted order. */
export function cacheKey(api: Api, path: string, query: Readonly<Record<string, string>>): string {
  const q = Object.keys(query)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k] ?? '')}`)
    .join('&');
  return `${api} ${path}${q ? `?${q}` : ''}`;
}

function trim(m: Map<string, unknown> | Set<string>): void {
  while (m.size > MAX_LEARNED) {
    const oldest = m.keys().next();
    if (oldest.done) break;
    m.delete(oldest.value);
  }
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly pageCounts = new Map<string, number>();
  private readonly steps = new Map<string, LearnedStep>();
  private readonly limitMisses = new Set<string>();
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

  /** Remembers what a plan step (by signature) took when it ran to the end. */
  noteStep(signature: string, learned: LearnedStep): void {
    this.steps.delete(signature);
    this.steps.set(signature, learned);
    trim(this.steps);
  }

  learnedStep(signature: string): LearnedStep | undefined {
    return this.steps.get(signature);
  }

  /** A plan (by signature) that stopped paging early through a join and had to run again over every page. */
  noteLimitMiss(planSignature: string): void {
    this.limitMisses.add(planSignature);
    trim(this.limitMisses);
  }

  limitMissed(planSignature: string): boolean {
    return this.limitMisses.has(planSignature);
  }

  /** Forgets everything (after a write, or when the user asks for fresh data). */
  clear(): void {
    this.entries.clear();
    this.pageCounts.clear();
    this.steps.clear();
    this.limitMisses.clear();
  }
}
