// Reference executor and row mapping. `executePlan` runs a plan's steps one
// after another through a `fetchPage` callback and returns the rows of every
// table; the real fetcher (parallel, cached, rate-limited) replaces the loop
// but should reuse `expandRequests`, `readPage` and `rowsFromItems`, so both
// build the same requests and the same rows.
import { extractRow, getTable, pick, type Api, type ApiObject, type SqlValue, type TableDef } from './catalog';
import { countRows } from './counts';
import { needsOwnChildren, withChildren } from './embedded';
import type { Plan, PlanStep } from './planner';

/** One HTTP GET the fetcher must perform. */
export interface PageRequest {
  readonly step: number;
  readonly table: string;
  readonly api: Api;
  /** Path relative to the API base URL, parameters filled in (`/conversations/7/threads`). */
  readonly path: string;
  /** Query parameters, including `page` (and `pageSize`) for lists. */
  readonly query: Readonly<Record<string, string>>;
  /** List: candidate paths to the items array. Single: the wrapper key of the object ('' for a bare object). */
  readonly envelope: readonly string[];
  /** Get-by-id: the body is one object; a 404 should come back as no items. */
  readonly single: boolean;
  readonly page: number;
}

export interface PageResult {
  readonly items: readonly unknown[];
  readonly hasNext: boolean;
  readonly totalPages?: number;
  /** Mailbox lists: `page.totalElements`, the number of items over all pages. */
  readonly totalElements?: number;
}

export type FetchPage = (request: PageRequest) => Promise<PageResult>;

/** A request stream before paging: path and query fixed, one per template x bound value. */
export interface StreamRequest {
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

export interface ExecuteOptions {
  /** Evaluates a `values` step's sub-select over rows; without it every value of the column is used (a superset). */
  readonly evaluate?: (sql: string, tables: ReadonlyMap<string, readonly (readonly SqlValue[])[]>) => Promise<readonly (readonly SqlValue[])[]>;
  readonly signal?: AbortSignal;
}

export interface ExecutionResult {
  /** Rows per catalog table (columns in catalog order), for the tables the statement reads. */
  readonly tables: ReadonlyMap<string, SqlValue[][]>;
  /** Rows per step (values steps: one column). */
  readonly stepRows: ReadonlyMap<number, SqlValue[][]>;
  readonly requests: number;
}

export function fillPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(params[k] ?? ''));
}

/** Items and paging of a raw response body (both APIs' envelopes, see helpscout-api.md §1.2 and §4.2). */
export function readPage(body: unknown, request: Pick<PageRequest, 'envelope' | 'single' | 'page'>): PageResult {
  if (request.single) {
    const key = request.envelope[0] ?? '';
    const obj = key ? pick(body, key) : body;
    return { items: obj !== null && typeof obj === 'object' ? [obj] : [], hasNext: false };
  }
  let items: unknown[] = [];
  for (const path of request.envelope) {
    const v = pick(body, path);
    if (Array.isArray(v)) {
      items = v;
      break;
    }
  }
  // Mailbox: page.totalPages (+ _links.next). Docs: {<plural>: {page, pages}} or unwrapped {page, pages}.
  const mailboxPages = pick(body, 'page.totalPages');
  const nextLink = pick(body, '_links.next');
  let totalPages: number | undefined = typeof mailboxPages === 'number' ? mailboxPages : undefined;
  if (totalPages === undefined) {
    for (const path of request.envelope) {
      const base = path.split('.').slice(0, -1).join('.');
      const pages = base ? pick(body, `${base}.pages`) : pick(body, 'pages');
      if (typeof pages === 'number') {
        totalPages = pages;
        break;
      }
    }
  }
  const hasNext = nextLink !== undefined ? true : totalPages !== undefined ? request.page < totalPages : false;
  const totalElements = pick(body, 'page.totalElements');
  return {
    items, hasNext,
    ...(totalPages !== undefined ? { totalPages } : {}),
    ...(typeof totalElements === 'number' && Number.isInteger(totalElements) && totalElements >= 0 ? { totalElements } : {}),
  };
}

/** Distinct non-null values of a column in rows of earlier steps. */
function boundValues(plan: Plan, stepRows: ReadonlyMap<number, SqlValue[][]>, steps: readonly number[], column: string): string[] {
  const out = new Set<string>();
  for (const id of steps) {
    const s = plan.steps[id - 1];
    const rows = stepRows.get(id) ?? [];
    if (!s) continue;
    const idx = s.kind === 'values' ? 0 : getTable(s.table).columns.findIndex((c) => c.name === column);
    if (idx < 0) continue;
    for (const r of rows) {
      const v = r[idx];
      if (v !== null && v !== undefined) out.add(String(v));
    }
  }
  return [...out];
}

/** The request streams of a fetch step, with bound values from earlier steps' rows. */
export function expandRequests(plan: Plan, step: PlanStep, stepRows: ReadonlyMap<number, SqlValue[][]>): StreamRequest[] {
  const out: StreamRequest[] = [];
  const templates = step.requests.length ? step.requests : [{ path: {}, query: {} }];
  const b = step.bind;
  const values = b ? boundValues(plan, stepRows, b.steps, b.column) : [];
  for (const t of templates) {
    const variants: { path: Record<string, string>; query: Record<string, string> }[] = [];
    if (!b) variants.push({ path: { ...t.path }, query: { ...t.query } });
    else if (b.target === 'query' && b.mode === 'comma') {
      if (values.length) variants.push({ path: { ...t.path }, query: { ...t.query, [b.name]: values.join(',') } });
    } else {
      for (const v of values) {
        if (b.target === 'query') variants.push({ path: { ...t.path }, query: { ...t.query, [b.name]: v } });
        else variants.push({ path: { ...t.path, [b.target === 'get' ? 'id' : b.name]: v }, query: { ...t.query } });
      }
    }
    for (const v of variants) out.push({ path: fillPath(step.endpoint, v.path), params: { ...v.query, ...v.path }, query: v.query });
  }
  return out;
}

/** Maps API objects to table rows (explodes entry lists; fills parent keys from the request parameters). */
export function rowsFromItems(
  def: TableDef,
  items: readonly unknown[],
  params: Readonly<Record<string, string>>,
  literals: Readonly<Record<string, readonly string[]>> = {},
): SqlValue[][] {
  const rows: SqlValue[][] = [];
  const embedded = def.embeddedIn;
  if (embedded && Object.entries(embedded.query).every(([k, v]) => params[k] === v)) {
    // A page of the parent list with the children embedded (Threads in /conversations?embed=threads).
    for (const parent of items) {
      const children = pick(parent, embedded.path);
      if (parent === null || typeof parent !== 'object' || !Array.isArray(children)) continue;
      for (const c of children) {
        if (c !== null && typeof c === 'object') rows.push(extractRow(def.columns, c as ApiObject, { params, parent: parent as ApiObject, literals }));
      }
    }
    return rows;
  }
  for (const it of items) {
    if (it === null || typeof it !== 'object') continue;
    const item = it as ApiObject;
    if (def.explode) {
      for (const entry of def.explode(item)) rows.push(extractRow(def.columns, entry, { params, parent: item, literals }));
    } else {
      rows.push(extractRow(def.columns, item, { params, literals }));
    }
  }
  return rows;
}

/** Drops rows whose primary key was already seen (page drift, overlapping request sets). */
export function dedupe(def: TableDef, rows: SqlValue[][], seen = new Set<string>()): SqlValue[][] {
  const idx = def.primaryKey.map((k) => def.columns.findIndex((c) => c.name === k));
  return rows.filter((r) => {
    const key = JSON.stringify(idx.map((i) => r[i] ?? null));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Cancelled');
}

/** Runs a plan step by step (dependencies come first by construction). */
export async function executePlan(plan: Plan, fetchPage: FetchPage, opts: ExecuteOptions = {}): Promise<ExecutionResult> {
  const stepRows = new Map<number, SqlValue[][]>();
  let requests = 0;
  // Steps marked `shared` send the same requests: each goes out once per run.
  const sharedPages = new Map<string, Promise<PageResult>>();
  const call = async (r: PageRequest, shared = false): Promise<PageResult> => {
    throwIfAborted(opts.signal);
    const key = shared ? JSON.stringify([r.api, r.path, Object.entries(r.query).sort()]) : undefined;
    const known = key ? sharedPages.get(key) : undefined;
    if (known) return known;
    requests++;
    const p = fetchPage(r);
    if (key) sharedPages.set(key, p);
    return p;
  };

  for (const step of plan.steps) {
    const def = getTable(step.table);
    if (step.kind === 'static') {
      stepRows.set(step.id, (def.staticRows?.() ?? []).map((r) => [...r]));
      continue;
    }
    if (step.kind === 'values') {
      const column = step.valueColumn ?? '';
      const tables = new Map<string, SqlValue[][]>([[step.table, step.dependsOn.flatMap((id) => stepRows.get(id) ?? [])]]);
      let values: SqlValue[][];
      if (opts.evaluate && step.sql) values = (await opts.evaluate(step.sql, tables)).map((r) => [r[0] ?? null]);
      else values = boundValues(plan, stepRows, step.dependsOn, column).map((v) => [v]);
      stepRows.set(step.id, values);
      continue;
    }
    if (step.count) {
      const { bind: _bind, ...unbound } = step;
      const totals = step.count.totals ? expandRequests(plan, { ...unbound, requests: step.count.totals }, stepRows) : undefined;
      const seen = new Set<string>();
      stepRows.set(step.id, await countRows(
        step, expandRequests(plan, step, stepRows), totals,
        (s, page) => call({ step: step.id, table: step.table, api: step.api, path: s.path, query: { ...s.query, page: String(page) }, envelope: step.envelope, single: false, page }),
        (items, params) => dedupe(def, rowsFromItems(def, items, params, step.literals), seen),
      ));
      continue;
    }
    const rows: SqlValue[][] = [];
    const seen = new Set<string>();
    for (const stream of expandRequests(plan, step, stepRows)) {
      const items: unknown[] = [];
      if (step.single) {
        const r = await call({ step: step.id, table: step.table, api: step.api, path: stream.path, query: stream.query, envelope: step.envelope, single: true, page: 1 });
        items.push(...r.items);
      } else {
        for (let page = 1; step.pageLimit === undefined || page <= step.pageLimit; page++) {
          const query = { ...stream.query, page: String(page), ...(step.pageSizeParam ? { [step.pageSizeParam]: String(step.pageSize) } : {}) };
          const r = await call({ step: step.id, table: step.table, api: step.api, path: stream.path, query, envelope: step.envelope, single: false, page }, step.shared);
          items.push(...r.items);
          if (!r.hasNext || (r.totalPages !== undefined && page >= r.totalPages)) break;
        }
      }
      const full: unknown[] = [];
      for (const it of items) {
        const e = step.embedded;
        const parentId = e ? pick(it, e.refetch.idField) : undefined;
        if (e && needsOwnChildren(it, e) && (typeof parentId === 'string' || typeof parentId === 'number')) {
          const path = fillPath(e.refetch.path, { [e.refetch.param]: String(parentId) });
          const children: unknown[] = [];
          for (let page = 1; ; page++) {
            const r = await call({ step: step.id, table: step.table, api: step.api, path, query: { page: String(page) }, envelope: e.refetch.envelope, single: false, page });
            children.push(...r.items);
            if (!r.hasNext || (r.totalPages !== undefined && page >= r.totalPages)) break;
          }
          full.push(withChildren(it, e.path, children));
          continue;
        }
        const d = step.detail;
        const needs = d && (d.when === 'always' || (it !== null && typeof it === 'object' && (it as ApiObject)['_embedded'] === undefined));
        const id = d ? pick(it, d.idField) : undefined;
        if (d && needs && (typeof id === 'string' || typeof id === 'number')) {
          const r = await call({
            step: step.id, table: step.table, api: step.api, path: fillPath(d.path, { id: String(id) }), query: {},
            envelope: [d.envelope], single: true, page: 1,
          });
          full.push({ ...(it as ApiObject), ...((r.items[0] as ApiObject | undefined) ?? {}) });
        } else full.push(it);
      }
      const own = rowsFromItems(def, full, stream.params, step.literals);
      // ORDER BY + LIMIT through a join: the first rows of each stream only (Plan.limitCheck).
      rows.push(...dedupe(def, step.rowLimit !== undefined ? own.slice(0, step.rowLimit) : own, seen));
    }
    stepRows.set(step.id, rows);
  }

  const tables = new Map<string, SqlValue[][]>();
  for (const name of plan.tables) {
    const def = getTable(name);
    const seen = new Set<string>();
    const rows: SqlValue[][] = [];
    for (const s of plan.steps) {
      if (s.table !== name || s.purpose !== 'table') continue;
      // Count steps' stand-in rows have no key and may be many: taken as they are.
      if (s.count) for (const r of stepRows.get(s.id) ?? []) rows.push(r);
      else rows.push(...dedupe(def, stepRows.get(s.id) ?? [], seen));
    }
    tables.set(name, rows);
  }
  return { tables, stepRows, requests };
}
