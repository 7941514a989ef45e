// The real fetcher: runs a plan's requests against the Help Scout APIs through
// one HttpClient per API, so every SQL fetch shares the client's rate
// governor (never a 429 of our own making; a 429 pauses everyone and the
// client retries), retries, auth and request log.
//
// What it adds over the reference executor (execute.ts), with the same
// requests and the same rows:
//   - steps run as soon as the steps they depend on are done (independent
//     steps in parallel); within a step every request stream starts at once,
//     and once page 1 tells `totalPages`, pages 2..N go out together;
//     per-item detail GETs run in parallel too. The governor caps what is
//     really in flight; `maxParallel` only bounds what waits in line for it;
//   - responses are cached by (API, path, parameters) for a TTL (cache.ts);
//   - progress events (requests done/planned, rows, rate-limit pauses);
//   - cancellation through an AbortSignal, keeping the rows fetched so far.
//
// `runSql` is the entry the query UI and the command line call: plan, fetch,
// evaluate in SQLite, with partial results when cancelled during the fetch.
import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import { CancelledError, HelpScoutError } from '../errors';
import type { HttpClient } from '../http/client';
import { parseBody } from '../http/client';
import type { DisposableLike } from '../http/types';
import { cacheKey, ResponseCache } from './cache';
import { allTables, getTable, pick, type Api, type ApiObject, type SqlValue } from './catalog';
import { countRows } from './counts';
import { needsOwnChildren, withChildren } from './embedded';
import { problemError, probeStatement } from './check';
import { catalogTable, SqlError, type QueryOptions, type QueryResult, type SqlEngine } from './engine/engine';
import { dedupe, expandRequests, fillPath, readPage, rowsFromItems, type PageResult } from './execute';
import { analyse } from './parse';
import { classifyStatement, positionAt, unreadableCharacter } from './statementKind';
import {
  EXPLAIN_COLUMNS, explainRows, plan as makePlan, planSignature, stepSignatures, type Plan, type PlannerOptions, type PlanStep, type RequestTemplate,
} from './planner';

/** Progress of one fetch; sent after every response. */
export interface FetchProgress {
  /** Requests answered (network or cache). */
  readonly requestsDone: number;
  /** Requests expected in all: the plan's estimate, corrected as page counts become known. */
  readonly requestsPlanned: number;
  /** Of `requestsDone`, how many came from the cache. */
  readonly cacheHits: number;
  /** Rows mapped so far, all steps. */
  readonly rows: number;
  readonly stepsDone: number;
  readonly stepsTotal: number;
}

export type FetchEvent =
  | { readonly type: 'progress'; readonly progress: FetchProgress }
  | { readonly type: 'step'; readonly step: number; readonly state: 'started' | 'done'; readonly rows: number }
  /** The shared rate governor paused (rate limit or budget) or resumed; `until` is ms since the epoch. */
  | { readonly type: 'rate'; readonly api: Api; readonly paused: boolean; readonly until?: number; readonly reason?: string };

export interface FetchOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: FetchEvent) => void;
  /** Evaluates a sub-select step (`values`) over fetched rows; without it all values of the column are used. */
  readonly evaluate?: (sql: string, tables: ReadonlyMap<string, readonly (readonly SqlValue[])[]>) => Promise<readonly (readonly SqlValue[])[]>;
}

export interface FetchResult {
  /** Rows per catalog table of the plan (complete unless `cancelled`). */
  readonly tables: ReadonlyMap<string, SqlValue[][]>;
  readonly stepRows: ReadonlyMap<number, SqlValue[][]>;
  /** Requests sent over the network (cache hits not counted). */
  readonly requests: number;
  readonly cacheHits: number;
  /** True when the signal aborted: the rows are what had arrived by then. */
  readonly cancelled: boolean;
  /** True when a step stopped before the end of its rows (`pageLimit`, `rowLimit`): see `Plan.limitCheck`. */
  readonly cut: boolean;
}

export interface SqlFetcherOptions {
  /** Mailbox API client (base URL `.../v2`); without it, Mailbox tables fail with a clear error. */
  readonly mailbox?: HttpClient;
  /** Docs API client (base URL `.../v1`). */
  readonly docs?: HttpClient;
  /** Shared response cache; by default one with a 60 s TTL. Pass `new ResponseCache({ ttlMs: 0 })` to disable. */
  readonly cache?: ResponseCache;
  /** Requests handed to the HTTP layer at once (the governor decides what is really in flight). Default 32. */
  readonly maxParallel?: number;
}

/** Thrown when a plan needs an API the fetcher has no client for. */
export class ApiNotConfiguredError extends Error {
  override readonly name = 'ApiNotConfiguredError';
  constructor(readonly api: Api) {
    super(`The ${api === 'docs' ? 'Docs API (API key)' : 'Mailbox API (access token)'} is not configured.`);
  }
}

/** A counting semaphore; waiting callers give up when the signal aborts. */
class Limiter {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    while (this.active >= this.max) {
      if (signal.aborted) throw new CancelledError('Query cancelled');
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal.removeEventListener('abort', wake);
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    if (signal.aborted) throw new CancelledError('Query cancelled');
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiters.shift()?.();
    }
  }
}

const anyJson = z.unknown();

/** Key of a request stream for page-count hints: table, path parameters and query (no page). */
function streamHintKey(table: string, template: RequestTemplate): string {
  const sorted = (o: Readonly<Record<string, string>>): string => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  return `${table.toLowerCase()}|${sorted(template.path)}|${sorted(template.query)}`;
}

function isCancelError(e: unknown): boolean {
  return e instanceof CancelledError || (e instanceof HelpScoutError && e.kind === 'cancelled');
}

/**
 * Fetches plans. One instance per account/session: it holds the response cache
 * and the page counts it has seen, and may run several plans at once.
 */
export class SqlFetcher {
  readonly cache: ResponseCache;
  private readonly clients: Partial<Record<Api, HttpClient>>;
  private readonly maxParallel: number;

  constructor(options: SqlFetcherOptions) {
    this.clients = {
      ...(options.mailbox ? { mailbox: options.mailbox } : {}),
      ...(options.docs ? { docs: options.docs } : {}),
    };
    this.cache = options.cache ?? new ResponseCache();
    this.maxParallel = Math.max(1, options.maxParallel ?? 32);
  }

  /** For `PlannerOptions.pageCountHint`: the page count a stream reported last time it was fetched. */
  readonly pageCountHint = (table: string, request: RequestTemplate): number | undefined =>
    this.cache.pageCount(streamHintKey(table, request));

  /** For `PlannerOptions.learnedStep`: what a step with this signature took when it last ran to the end. */
  readonly learnedStep = (signature: string): { readonly requests: number; readonly rows: number } | undefined => this.cache.learnedStep(signature);

  /**
   * Plans a statement with this fetcher's knowledge (for EXPLAIN and for display before running):
   * page counts and the requests each step took before; and a plan that stopped paging early through
   * a join and had to run again is planned without stopping early.
   */
  plan(sql: string, opts: PlannerOptions = {}): Plan {
    const a = analyse(sql);
    const known = { pageCountHint: this.pageCountHint, learnedStep: this.learnedStep, ...opts };
    const p = makePlan(a, known);
    if (p.limitCheck && this.cache.limitMissed(planSignature(p))) return makePlan(a, { ...known, joinedEarlyStop: false });
    return p;
  }

  /** @internal A plan's early stop through a join fell short: the next plan of it reads every page. */
  noteLimitMiss(p: Plan): void {
    this.cache.noteLimitMiss(planSignature(p));
  }

  /** Runs every step of a plan and returns the rows of each table (partial when cancelled). */
  async fetch(plan: Plan, opts: FetchOptions = {}): Promise<FetchResult> {
    const run = new PlanRun(this, plan, opts);
    return run.execute();
  }

  /** @internal The client for an API. */
  client(api: Api): HttpClient {
    const c = this.clients[api];
    if (!c) throw new ApiNotConfiguredError(api);
    return c;
  }

  /** @internal */
  get parallel(): number {
    return this.maxParallel;
  }
}

/** Rows of one request stream: pages in page order, each page's rows in item order. */
type StreamRows = Map<number, SqlValue[][]>;

/** One execution of a plan: owns the cancellation, counters and rows. */
class PlanRun {
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private readonly limiter: Limiter;
  private readonly stepRows = new Map<number, SqlValue[][]>();
  /** Rows arrived so far per step, per stream (for partial results). */
  private readonly partial = new Map<number, StreamRows[]>();
  private readonly planned = new Map<number, number>();
  private readonly scheduled = new Map<number, number>();
  private readonly stepDone = new Set<number>();
  private requests = 0;
  private cacheHits = 0;
  private done = 0;
  private rows = 0;
  private failure: { readonly error: unknown } | undefined;
  /** A step stopped before its last page or row. */
  private cut = false;
  /** Requests per step (network or cache, not those another step of this run had sent), for `ResponseCache.noteStep`. */
  private readonly stepRequests = new Map<number, number>();
  private readonly signatures: readonly string[];
  /** Responses of `shared` steps' requests in this run: steps sending the same request share one. */
  private readonly sharedResponses = new Map<string, Promise<{ readonly body: unknown; readonly fromCache: boolean }>>();

  constructor(
    private readonly fetcher: SqlFetcher,
    private readonly plan: Plan,
    private readonly opts: FetchOptions,
  ) {
    this.signal = this.controller.signal;
    // Every request waiting or in flight listens for the cancel: far more than Node's default of 10.
    setMaxListeners(0, this.signal);
    this.limiter = new Limiter(fetcher.parallel);
    for (const s of plan.steps) this.planned.set(s.id, s.estimatedRequests);
    this.signatures = stepSignatures(plan.steps);
  }

  async execute(): Promise<FetchResult> {
    const outer = this.opts.signal;
    const onAbort = (): void => this.controller.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const subscriptions = this.watchGovernors();
    let cancelled = false;
    try {
      const running = new Map<number, Promise<void>>();
      for (const step of this.plan.steps) {
        const deps = step.dependsOn.map((id) => running.get(id) ?? Promise.resolve());
        const p = Promise.all(deps).then(() => this.runStep(step));
        // The first real failure stops every other step; later rejections are the resulting cancels.
        p.catch((e: unknown) => {
          if (!this.signal.aborted && this.failure === undefined) {
            this.failure = { error: e };
            this.controller.abort(new CancelledError('Another step failed'));
          }
        });
        running.set(step.id, p);
      }
      const results = await Promise.allSettled(running.values());
      if (this.failure) throw this.failure.error;
      if (results.some((r) => r.status === 'rejected')) cancelled = true;
    } finally {
      outer?.removeEventListener('abort', onAbort);
      for (const d of subscriptions) d.dispose();
      // Stop whatever is still waiting (after a failure in another step).
      if (!this.signal.aborted) this.controller.abort(new CancelledError('Query finished'));
    }
    return {
      tables: this.tables(),
      stepRows: this.stepRows,
      requests: this.requests,
      cacheHits: this.cacheHits,
      cancelled,
      cut: this.cut,
    };
  }

  private watchGovernors(): DisposableLike[] {
    const out: DisposableLike[] = [];
    const apis = new Set(this.plan.steps.filter((s) => s.kind === 'fetch').map((s) => s.api));
    for (const api of apis) {
      let client: HttpClient;
      try {
        client = this.fetcher.client(api);
      } catch {
        continue;
      }
      const g = client.governor;
      if (!g) continue;
      out.push(
        g.onDidChange((e) => {
          if (e.type === 'paused') this.emit({ type: 'rate', api, paused: true, until: e.until, reason: e.reason });
          else if (e.type === 'resumed') this.emit({ type: 'rate', api, paused: false });
        }),
      );
    }
    return out;
  }

  private emit(e: FetchEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch {
      // A listener's failure must not fail the query.
    }
  }

  private progress(): void {
    let planned = 0;
    for (const s of this.plan.steps) {
      const sched = this.scheduled.get(s.id) ?? 0;
      planned += this.stepDone.has(s.id) ? sched : Math.max(sched, this.planned.get(s.id) ?? 0);
    }
    this.emit({
      type: 'progress',
      progress: {
        requestsDone: this.done,
        requestsPlanned: Math.max(planned, this.done),
        cacheHits: this.cacheHits,
        rows: this.rows,
        stepsDone: this.stepDone.size,
        stepsTotal: this.plan.steps.length,
      },
    });
  }

  private async runStep(step: PlanStep): Promise<void> {
    if (this.signal.aborted) throw new CancelledError('Query cancelled');
    this.emit({ type: 'step', step: step.id, state: 'started', rows: 0 });
    const def = getTable(step.table);
    let rows: SqlValue[][];
    if (step.kind === 'static') {
      rows = (def.staticRows?.() ?? []).map((r) => [...r]);
    } else if (step.kind === 'values') {
      rows = await this.valuesStep(step);
    } else if (step.count) {
      rows = await this.countStep(step);
    } else {
      rows = await this.fetchStep(step);
    }
    this.stepRows.set(step.id, rows);
    this.partial.delete(step.id);
    this.stepDone.add(step.id);
    const signature = this.signatures[step.id - 1];
    if (signature !== undefined && !this.signal.aborted) {
      this.fetcher.cache.noteStep(signature, { requests: this.stepRequests.get(step.id) ?? 0, rows: rows.length });
    }
    this.emit({ type: 'step', step: step.id, state: 'done', rows: rows.length });
    this.progress();
  }

  private async valuesStep(step: PlanStep): Promise<SqlValue[][]> {
    const column = step.valueColumn ?? '';
    const source = step.dependsOn.flatMap((id) => this.stepRows.get(id) ?? []);
    if (this.opts.evaluate && step.sql) {
      const tables = new Map<string, SqlValue[][]>([[step.table, source]]);
      return (await this.opts.evaluate(step.sql, tables)).map((r) => [r[0] ?? null]);
    }
    const idx = getTable(step.table).columns.findIndex((c) => c.name === column);
    const out = new Set<string>();
    for (const r of source) {
      const v = idx >= 0 ? r[idx] : undefined;
      if (v !== null && v !== undefined) out.add(String(v));
    }
    return [...out].map((v) => [v]);
  }

  /** count(*) from page.totalElements (counts.ts): page 1 of every group's request, in parallel. */
  private async countStep(step: PlanStep): Promise<SqlValue[][]> {
    const def = getTable(step.table);
    const { bind: _bind, ...unbound } = step;
    const totals = step.count?.totals ? expandRequests(this.plan, { ...unbound, requests: step.count.totals }, this.stepRows) : undefined;
    const seen = new Set<string>();
    const rows = await countRows(
      step, expandRequests(this.plan, step, this.stepRows), totals,
      (s, page) => this.request(step, s.path, { ...s.query, page: String(page) }, false, page),
      (items, params) => dedupe(def, rowsFromItems(def, items, params, step.literals), seen),
    );
    this.rows += rows.length;
    return rows;
  }

  private async fetchStep(step: PlanStep): Promise<SqlValue[][]> {
    const def = getTable(step.table);
    const streams = expandRequests(this.plan, step, this.stepRows);
    const perStream: StreamRows[] = streams.map(() => new Map());
    this.partial.set(step.id, perStream);
    // Streams of an unbound step are the templates, in order: their page counts become hints.
    const hintKeys = step.bind ? [] : step.requests.map((t) => streamHintKey(step.table, t));
    await Promise.all(
      streams.map(async (stream, i) => {
        const out = perStream[i] ?? new Map<number, SqlValue[][]>();
        const addPage = async (page: number, items: readonly unknown[]): Promise<void> => {
          const full = await this.withDetail(step, items, stream.params);
          const rows = rowsFromItems(def, full, stream.params, step.literals);
          out.set(page, rows);
          this.rows += rows.length;
        };
        if (step.single) {
          const r = await this.request(step, stream.path, stream.query, true, 1);
          await addPage(1, r.items);
          return;
        }
        const query = (page: number): Record<string, string> => ({
          ...stream.query,
          page: String(page),
          ...(step.pageSizeParam ? { [step.pageSizeParam]: String(step.pageSize) } : {}),
        });
        const limit = step.pageLimit ?? Number.POSITIVE_INFINITY;
        const first = await this.request(step, stream.path, query(1), false, 1);
        const hintKey = hintKeys[i];
        if (hintKey !== undefined && first.totalPages !== undefined) this.fetcher.cache.notePageCount(hintKey, Math.max(1, first.totalPages));
        await addPage(1, first.items);
        if (first.hasNext && (limit <= 1 || (first.totalPages !== undefined && first.totalPages > limit))) this.cut = true;
        if (limit <= 1 || !first.hasNext) return;
        if (first.totalPages !== undefined) {
          // Known page count: ask for the rest at once.
          const last = Math.min(first.totalPages, limit);
          const pages: number[] = [];
          for (let p = 2; p <= last; p++) pages.push(p);
          this.schedule(step.id, pages.length);
          await Promise.all(
            pages.map(async (p) => {
              const r = await this.request(step, stream.path, query(p), false, p, false);
              await addPage(p, r.items);
            }),
          );
          return;
        }
        // Only a `next` link: one page after another.
        for (let p = 2; p <= limit; p++) {
          const r = await this.request(step, stream.path, query(p), false, p);
          await addPage(p, r.items);
          if (!r.hasNext) break;
          if (p === limit) this.cut = true;
        }
      }),
    );
    return this.assemble(step.id, perStream);
  }

  /**
   * Rows of a step's streams in stream and page order, duplicates dropped (as the reference executor does);
   * with `rowLimit`, the first rows of each stream only.
   */
  private assemble(stepId: number, perStream: readonly StreamRows[]): SqlValue[][] {
    const step = this.plan.steps[stepId - 1];
    if (!step) return [];
    const def = getTable(step.table);
    const seen = new Set<string>();
    const rows: SqlValue[][] = [];
    for (const s of perStream) {
      const pages = [...s.keys()].sort((a, b) => a - b);
      let own = pages.flatMap((p) => s.get(p) ?? []);
      if (step.rowLimit !== undefined && own.length > step.rowLimit) {
        own = own.slice(0, step.rowLimit);
        this.cut = true;
      }
      rows.push(...dedupe(def, own, seen));
    }
    return rows;
  }

  /**
   * Merges the per-item GET over each list item that needs it (Articles.Text; customers without entries).
   * With a detail filter (and an engine to evaluate it), only items whose row passes it.
   */
  private async withDetail(step: PlanStep, items: readonly unknown[], params: Readonly<Record<string, string>>): Promise<unknown[]> {
    if (step.embedded) return this.withOwnChildren(step, items);
    const d = step.detail;
    if (!d) return [...items];
    let keep: Set<string> | undefined;
    if (d.filter && this.opts.evaluate && items.length > 0) {
      const def = getTable(step.table);
      const rows = rowsFromItems(def, items, params, step.literals);
      const passed = await this.opts.evaluate(d.filter.sql, new Map([[def.name, rows]]));
      keep = new Set(passed.map((r) => String(r[0])));
    }
    const needs = items.map((it) => {
      const id = pick(it, d.idField);
      const wanted = d.when === 'always' || (it !== null && typeof it === 'object' && (it as ApiObject)['_embedded'] === undefined);
      if (typeof id !== 'string' && typeof id !== 'number') return undefined;
      return wanted && (!keep || keep.has(String(id))) ? String(id) : undefined;
    });
    this.schedule(step.id, needs.filter((x) => x !== undefined).length);
    return Promise.all(
      items.map(async (it, i) => {
        const id = needs[i];
        if (id === undefined) return it;
        const r = await this.request({ ...step, envelope: [d.envelope] }, fillPath(d.path, { id }), {}, true, 1, false, d.path);
        return { ...(it as ApiObject), ...((r.items[0] as ApiObject | undefined) ?? {}) };
      }),
    );
  }

  /** Embedded children documented as incomplete: those parents' children come from their own list (all pages). */
  private async withOwnChildren(step: PlanStep, items: readonly unknown[]): Promise<unknown[]> {
    const e = step.embedded;
    if (!e) return [...items];
    const target = { ...step, envelope: e.refetch.envelope, shared: false };
    return Promise.all(
      items.map(async (it) => {
        const id = pick(it, e.refetch.idField);
        if (!needsOwnChildren(it, e) || (typeof id !== 'string' && typeof id !== 'number')) return it;
        const path = fillPath(e.refetch.path, { [e.refetch.param]: String(id) });
        const children: unknown[] = [];
        for (let page = 1; ; page++) {
          const r = await this.request(target, path, { page: String(page) }, false, page, true, e.refetch.path);
          children.push(...r.items);
          if (!r.hasNext || (r.totalPages !== undefined && page >= r.totalPages)) break;
        }
        return withChildren(it, e.path, children);
      }),
    );
  }

  private schedule(stepId: number, n: number): void {
    this.scheduled.set(stepId, (this.scheduled.get(stepId) ?? 0) + n);
  }

  /**
   * One GET through the cache and the API's HttpClient. A 404 or 301 on a
   * get-by-id means no items (deleted, or merged into another conversation
   * that the list endpoints show under its own id); so does a 404 on a list
   * under a parent (`/collections/{id}/categories` of a collection that does
   * not exist has no categories).
   */
  private async request(
    step: Pick<PlanStep, 'id' | 'api' | 'envelope' | 'endpoint' | 'shared'>,
    path: string,
    query: Readonly<Record<string, string>>,
    single: boolean,
    page: number,
    count = true,
    endpointTemplate = step.endpoint,
  ): Promise<PageResult> {
    const client = this.fetcher.client(step.api);
    const key = cacheKey(step.api, path, query);
    // The same request of another `shared` step in this run: its response, neither planned nor counted twice.
    const sharedHit = step.shared ? this.sharedResponses.get(key) : undefined;
    if (sharedHit) {
      if (!count) this.schedule(step.id, -1);
      const { body } = await sharedHit;
      return body === null ? { items: [], hasNext: false } : readPage(body, { envelope: step.envelope, single, page });
    }
    if (count) this.schedule(step.id, 1);
    this.stepRequests.set(step.id, (this.stepRequests.get(step.id) ?? 0) + 1);
    const underParent = endpointTemplate.includes('{');
    const load = (): Promise<{ readonly body: unknown; readonly fromCache: boolean }> => this.fetcher.cache.through(key, () =>
      this.limiter.run(this.signal, async () => {
        this.requests++;
        const res = await client.send({
          method: 'GET',
          path,
          query,
          signal: this.signal,
          endpoint: `GET ${endpointTemplate}`,
          ...(single ? { acceptStatus: [301, 404] } : underParent ? { acceptStatus: [404] } : {}),
        });
        if ((single && res.status === 301) || ((single || underParent) && res.status === 404)) return null;
        return parseBody(res, anyJson);
      }),
    );
    const loadOnce = (): Promise<{ readonly body: unknown; readonly fromCache: boolean }> => {
      if (!step.shared) return load();
      const p = load();
      this.sharedResponses.set(key, p);
      return p;
    };
    let loaded: { readonly body: unknown; readonly fromCache: boolean };
    try {
      loaded = await loadOnce();
    } catch (e) {
      // A shared in-flight request of another run that was cancelled: send our own.
      if (this.signal.aborted || !isCancelError(e)) throw e;
      loaded = await load();
    }
    const { body, fromCache } = loaded;
    if (fromCache) this.cacheHits++;
    this.done++;
    const result = body === null ? { items: [], hasNext: false } : readPage(body, { envelope: step.envelope, single, page });
    this.progress();
    return result;
  }

  /** Rows per table: the union of the table's table-purpose steps (partial steps included). */
  private tables(): Map<string, SqlValue[][]> {
    for (const [id, streams] of this.partial) {
      if (!this.stepRows.has(id)) this.stepRows.set(id, this.assemble(id, streams));
    }
    const tables = new Map<string, SqlValue[][]>();
    for (const name of this.plan.tables) {
      const def = getTable(name);
      const seen = new Set<string>();
      const rows: SqlValue[][] = [];
      for (const s of this.plan.steps) {
        if (s.table !== name || s.purpose !== 'table') continue;
        // Count steps' stand-in rows have no key and may be many: taken as they are.
        if (s.count) for (const r of this.stepRows.get(s.id) ?? []) rows.push(r);
        else rows.push(...dedupe(def, this.stepRows.get(s.id) ?? [], seen));
      }
      tables.set(name, rows);
    }
    return tables;
  }
}

export interface RunSqlOptions {
  readonly fetcher: SqlFetcher;
  readonly engine: SqlEngine;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: FetchEvent) => void;
  /** Called with the plan before anything is fetched (the UI shows it). */
  readonly onPlan?: (plan: Plan) => void;
  readonly planner?: PlannerOptions;
  readonly chunkSize?: number;
  /** Rows the result holds at most (default: the engine's cap, 100,000); more sets `truncated`. */
  readonly maxRows?: number;
  /**
   * After a cancel during the fetch, how long the statement may run over the
   * rows that had arrived (default 1000 ms, waiting for the engine included);
   * past it the run ends as cancelled, without rows.
   */
  readonly partialEvaluationMs?: number;
}

export interface SqlRun extends QueryResult {
  readonly plan: Plan;
  /** Requests sent over the network. */
  readonly requests: number;
  readonly cacheHits: number;
  /** Cancelled while fetching: the result is the statement over the rows that had arrived. */
  readonly partial: boolean;
}

/** Refuses what SQLite would misread before anything is planned: not text, empty, a NUL character. */
function checkText(sql: unknown): asserts sql is string {
  if (typeof sql !== 'string') throw new SqlError('The statement must be text.', 'sql');
  const bad = unreadableCharacter(sql);
  if (bad) throw new SqlError(bad.message, 'sql', positionAt(sql, bad.offset));
  if (classifyStatement(sql).kind === 'empty') throw new SqlError('The statement is empty.', 'sql');
}

/** A signal that aborts after `ms`, for the evaluation over partial rows. */
function deadline(ms: number): { readonly signal: AbortSignal; dispose(): void } {
  const c = new AbortController();
  const t = setTimeout(() => c.abort(), Math.max(0, ms));
  return { signal: c.signal, dispose: () => clearTimeout(t) };
}

/**
 * Runs one statement end to end. First, with no request: the text is checked
 * (a NUL character, an empty statement), writes of any form are refused
 * (SqlRejectedError), and SQLite prepares the statement over empty tables, so
 * a syntax error or an unknown table, column or function fails with its line
 * and column (SqlError 'sql') before anything is fetched.
 * `EXPLAIN <q>` then returns the plan as rows; `EXPLAIN QUERY PLAN` and
 * read-only PRAGMAs run in SQLite over empty tables; anything else is fetched
 * (in parallel, cached) and evaluated in SQLite.
 * When the signal aborts during the fetch, the statement runs over the rows
 * fetched so far for at most `partialEvaluationMs` and the result says
 * `partial: true`; when it aborts at any other moment (waiting for the engine,
 * evaluating), SqlError('cancelled') is thrown.
 * The result holds at most `maxRows` rows; `truncated` says there were more.
 * Throws SqlRejectedError (not a SELECT), SqlError (SQLite), or the HTTP layer's typed errors.
 */
export async function runSql(sql: string, opts: RunSqlOptions): Promise<SqlRun> {
  checkText(sql);
  const p = opts.fetcher.plan(sql, opts.planner);
  opts.onPlan?.(p);
  const chunk = opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {};
  const cap = opts.maxRows !== undefined ? { maxRows: opts.maxRows } : {};
  const signal = opts.signal ? { signal: opts.signal } : {};
  const queryOpts: QueryOptions = { ...chunk, ...cap, ...signal };
  const nothingFetched = { plan: p, requests: 0, cacheHits: 0, partial: false };
  if (p.kind === 'explainQueryPlan') {
    const r = await opts.engine.run(sql, p.tables.map((t) => catalogTable(getTable(t).name, [])), queryOpts);
    return { ...r, ...nothingFetched };
  }
  // SQLite judges the statement before the first request.
  const problem = await probeStatement(opts.engine, p.sql, signal);
  if (problem) {
    // Positions count in the text as given (`EXPLAIN <q>` checks only the query).
    const prefix = p.sql !== sql && sql.endsWith(p.sql) ? sql.length - p.sql.length : 0;
    throw problemError(prefix ? { ...problem, start: problem.start + prefix, end: problem.end + prefix, position: positionAt(sql, problem.start + prefix) } : problem);
  }
  if (p.kind === 'explain') {
    return { columns: [...EXPLAIN_COLUMNS], types: [], rows: explainRows(p), ...nothingFetched };
  }
  const kind = classifyStatement(p.sql);
  if (kind.kind === 'read' && kind.verb === 'PRAGMA') {
    // A read-only pragma describes the tables, not their rows.
    const r = await opts.engine.run(p.sql, allTables().map((t) => catalogTable(t.name, [])), queryOpts);
    return { ...r, ...nothingFetched };
  }
  const fetched = await opts.fetcher.fetch(p, {
    ...signal,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    evaluate: async (sub, tables) => {
      // Key values for later requests: never cut (they are bounded by the rows already fetched).
      const r = await opts.engine.run(sub, [...tables].map(([t, rows]) => catalogTable(t, rows)), { ...chunk, ...signal, maxRows: Number.POSITIVE_INFINITY });
      if (r.truncated) throw new SqlError('A sub-select yields too much data to fetch by its values; narrow it with WHERE.', 'sql');
      return r.rows.map((row) => row.map((v) => (v instanceof Uint8Array ? null : v)));
    },
  });
  const tables = p.tables.map((t) => catalogTable(getTable(t).name, fetched.tables.get(t) ?? []));
  if (!fetched.cancelled) {
    const r = await opts.engine.run(p.sql, tables, queryOpts);
    // ORDER BY + LIMIT through a join over a table's first rows only: the rows come out as the first rows of
    // the answer, so the answer stands when it is full (or nothing was cut); otherwise it runs again over every page.
    if (p.limitCheck && fetched.cut && !r.truncated && r.rows.length < p.limitCheck.limit) {
      opts.fetcher.noteLimitMiss(p);
      const again = await runSql(sql, { ...opts, planner: { ...opts.planner, joinedEarlyStop: false } });
      return { ...again, requests: fetched.requests + again.requests, cacheHits: fetched.cacheHits + again.cacheHits };
    }
    return { ...r, plan: p, requests: fetched.requests, cacheHits: fetched.cacheHits, partial: false };
  }
  // Cancelled during the fetch: the statement over the rows that arrived, if that is quick.
  const limit = deadline(opts.partialEvaluationMs ?? 1000);
  try {
    const r = await opts.engine.run(p.sql, tables, { ...chunk, ...cap, signal: limit.signal });
    return { ...r, plan: p, requests: fetched.requests, cacheHits: fetched.cacheHits, partial: true };
  } finally {
    limit.dispose();
  }
}
