// Planner: turns the analysed statement into a plan, a plain serialisable
// list of request steps. Called once per statement before anything is
// fetched; `EXPLAIN <query>` shows the plan instead of running it.
//
// Rule: a step fetches a superset of the rows its table references need.
// Every predicate is re-applied by SQLite, so pushing down can save
// requests but can never change an answer.
import { findTable, getTable, type Api, type KeyColumn, type ListEndpoint, type SqlValue, type TableDef } from './catalog';
import { countStatement } from './counts';
import { checkFilledColumns, filledColumn, filledSource, fillsColumn } from './filled';
import { analyse, SqlRejectedError, type Analysis, type Literal, type Predicate, type TableRef } from './parse';

/** One request stream: a paged list (or one GET) with fixed parameters. */
export interface RequestTemplate {
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

/** Values taken at run time from earlier steps' rows. */
export interface Binding {
  /** Steps whose rows supply the values (their union). */
  readonly steps: readonly number[];
  readonly column: string;
  /** Where each value goes: a path parameter, a query parameter, or the `{id}` of the get endpoint. */
  readonly target: 'path' | 'query' | 'get';
  readonly name: string;
  /** One request per value, or one request with a comma list. */
  readonly mode: 'each' | 'comma';
}

export interface PlanStep {
  readonly id: number;
  /** fetch: API requests; values: evaluate a sub-select over fetched rows; static: catalog rows (sys_*). */
  readonly kind: 'fetch' | 'values' | 'static';
  readonly table: string;
  /** table: its rows are loaded into the engine; parents: only feeds a later step. */
  readonly purpose: 'table' | 'parents';
  readonly api: Api;
  /** Path template (`/conversations/{conversationId}/threads`, `/conversations/{id}`). */
  readonly endpoint: string;
  /** Get-by-id: the response is one object, not a page. */
  readonly single: boolean;
  /** Candidate paths to the items array in a list response, or the wrapper key of a single object. */
  readonly envelope: readonly string[];
  /** Static request streams; with `bind`, each is repeated per bound value (or comma list). */
  readonly requests: readonly RequestTemplate[];
  readonly bind?: Binding;
  /** Pages to fetch per stream at most; undefined means until the last page. */
  readonly pageLimit?: number;
  /**
   * Rows kept per stream, the first in the API's order (ORDER BY + LIMIT through a join,
   * `Plan.limitCheck`): later steps bind from these rows only.
   */
  readonly rowLimit?: number;
  readonly pageSize: number;
  /** Query parameter that carries the page size (Docs article lists). */
  readonly pageSizeParam?: string;
  /**
   * Extra GET per object (Articles.Text; customers without embedded entries). With `filter`, only
   * for the objects whose row passes it: a sub-select over the rows mapped from the list items
   * (columns the list carries) returning the ids that keep their GET; the others keep no detail
   * columns, and SQLite drops them with the same conditions.
   */
  readonly detail?: {
    readonly path: string;
    readonly envelope: string;
    readonly idField: string;
    readonly when: 'always' | 'missingEmbedded';
    readonly filter?: { readonly sql: string; readonly column: string };
  };
  readonly dependsOn: readonly number[];
  /** For `values` steps: the sub-select to evaluate over `dependsOn` rows, and the column it returns. */
  readonly sql?: string;
  readonly valueColumn?: string;
  /** Literal sets for `echoLiterals` columns (Conversations.Tag), used when mapping rows. */
  readonly literals: Readonly<Record<string, readonly string[]>>;
  /**
   * The rows are embedded in the parent list the step pages through (Threads from
   * `/conversations?embed=threads`): read from `path` in each item. A parent whose
   * `countField` says more children than are embedded, or that embeds a child whose
   * `refetch.field` is one of `refetch.values` (kinds documented as cut short, listed
   * only when the statement reads what is cut), has its children fetched from
   * `refetch.path` instead, every page.
   */
  readonly embedded?: {
    readonly path: string;
    readonly countField?: string;
    readonly refetch: {
      readonly path: string;
      readonly param: string;
      readonly envelope: readonly string[];
      readonly idField: string;
      readonly field: string;
      readonly values: readonly string[];
    };
  };
  /**
   * count(*) from `page.totalElements` (counts.ts): each request's page 1 gives a count,
   * and SQLite counts that many stand-in rows holding only `fill` (a request parameter,
   * or a fixed value that passes the WHERE). With `totals` (the requests before the split into groups),
   * those are asked first and listed instead when that is cheaper or, for a
   * `partition`, when the group counts do not add up.
   */
  readonly count?: {
    readonly fill: readonly { readonly column: string; readonly param?: string; readonly value?: string; readonly as: 'int' | 'text' | 'jsonList' }[];
    readonly totals?: readonly RequestTemplate[];
    readonly partition: boolean;
  };
  /** Another step sends the same requests: within a run each is sent once and both read the response. */
  readonly shared?: boolean;
  readonly pushed: readonly string[];
  readonly localOnly: readonly string[];
  readonly notes: readonly string[];
  readonly estimatedRequests: number;
  /**
   * How `estimatedRequests` was found: counted when the same step last ran (`learned`), certain from
   * the plan itself (`known`: GETs of literal ids, one page, counts, page counts seen before), or a `guess`.
   */
  readonly estimate?: 'learned' | 'known' | 'guess';
}

export interface Plan {
  readonly kind: Analysis['kind'];
  /** The statement SQLite runs, unchanged (without the EXPLAIN keyword for `explain`). */
  readonly sql: string;
  /** Catalog tables to create in the engine. */
  readonly tables: readonly string[];
  readonly steps: readonly PlanStep[];
  readonly notes: readonly string[];
  readonly estimatedRequests: number;
  /** Some step's estimate is a guess (page or key counts not yet known). */
  readonly estimateIsGuess?: boolean;
  /**
   * ORDER BY + LIMIT through a join (`Analysis.joinedOrderLimit`): a step keeps only the first rows
   * of its table (`rowLimit`). The answer stands when the statement gives `limit` rows, or when no
   * step was cut short; otherwise the statement is planned again without stopping early
   * (`PlannerOptions.joinedEarlyStop: false`) and fetched again.
   */
  readonly limitCheck?: { readonly limit: number; readonly offset: number };
}

export interface PlannerOptions {
  /** Known page counts (e.g. from the fetcher's cache): returns undefined when unknown. */
  readonly pageCountHint?: (table: string, request: RequestTemplate) => number | undefined;
  /** Send CustomerEmail = / CreatedAt ranges as Mailbox `query` search terms (default true). */
  readonly pushSearch?: boolean;
  /**
   * Also send `Subject LIKE '%word%'` as a search term (default false). Help Scout's search
   * matches words, LIKE matches any substring: '%fund%' finds "Refund" but the search for
   * "fund" may not, so pushing it could lose rows. Only for callers who accept that.
   */
  readonly pushLikeAsWordSearch?: boolean;
  /** Most static requests one step may fan out to before a filter is left to SQLite (default 20). */
  readonly maxFanOut?: number;
  /** Answer count(*) over exactly pushed filters from `page.totalElements`, one request per group (default true). */
  readonly countFromTotals?: boolean;
  /** Stop paging early on ORDER BY + LIMIT through joins and sub-selects, checked after the run (default true). */
  readonly joinedEarlyStop?: boolean;
  /** What a step (by `stepSignatures`) took when it last ran (the fetcher's cache): its estimate, and its rows for the steps bound to it. */
  readonly learnedStep?: (signature: string) => { readonly requests: number; readonly rows: number } | undefined;
}

/** Guess of rows per parent for child lists and of matching parents, where nothing is known. */
const GUESS_BOUND_VALUES = 5;

/** Most count requests one statement may make before listing is chosen instead. */
const MAX_COUNT_REQUESTS = 60;

/** Rows guessed for a table that usually fits one page, and the share of rows guessed to pass a filter, for estimates. */
const GUESS_SMALL_TABLE_ROWS = 10;
const GUESS_FILTER_SHARE = 0.2;

/** Share of parents guessed to embed a child that must be fetched on its own (chat threads), for estimates. */
const GUESS_REFETCH_SHARE = 0.2;

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})/;

/** Lower bound that keeps every canonical timestamp string >= the literal (string order). */
function floorIso(v: Literal): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (CANONICAL.test(v)) return v;
  const m = DATE_PREFIX.exec(v);
  return m ? `${m[1]}T00:00:00Z` : undefined;
}

function ceilIso(v: Literal): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (CANONICAL.test(v)) return v;
  const m = DATE_PREFIX.exec(v);
  return m ? `${m[1]}T23:59:59Z` : undefined;
}

function wireValue(key: KeyColumn, v: Literal): string | undefined {
  let out: string | undefined;
  if (key.valueType === 'int') {
    if (typeof v === 'number') out = Number.isInteger(v) ? String(v) : undefined;
    else out = /^-?\d+$/.test(v.trim()) ? v.trim() : undefined;
  } else {
    out = String(v);
  }
  if (out !== undefined && key.values && !key.values.includes(out)) return undefined;
  return out;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlLiteral(v: Literal): string {
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}

/** A predicate as valid SQLite text with quoted identifiers (for `values` steps). */
function predicateSql(p: Predicate): string {
  const c = quoteIdent(p.column);
  if (p.op === 'IN') return `${c} IN (${p.values.map(sqlLiteral).join(', ')})`;
  if (p.op === 'BETWEEN') return `${c} BETWEEN ${sqlLiteral(p.values[0] ?? '')} AND ${sqlLiteral(p.values[1] ?? '')}`;
  return `${c} ${p.op} ${sqlLiteral(p.values[0] ?? '')}`;
}

/** What one table reference needs, before references of the same table are merged. */
interface RefPlan {
  readonly endpoint: string;
  readonly single: boolean;
  readonly envelope: readonly string[];
  readonly list?: ListEndpoint;
  readonly requests: RequestTemplate[];
  readonly bind?: Binding;
  readonly pageLimit?: number;
  readonly rowLimit?: number;
  readonly pushed: string[];
  readonly localOnly: string[];
  readonly notes: string[];
  /** No filter was sent and no parent binding narrows it: the whole table. */
  readonly full: boolean;
  /** Read from the parent list with the embedding parameters (`TableDef.embeddedIn`). */
  readonly embedded?: boolean;
}

class Planner {
  readonly steps: PlanStep[] = [];
  readonly notes: string[] = [];
  private readonly tableSteps = new Map<string, number[]>();
  private readonly parentSteps = new Map<string, number>();
  private readonly inProgress = new Set<string>();
  private readonly pushSearch: boolean;
  private readonly pushLike: boolean;
  private readonly maxFanOut: number;
  /** Set when a step stops early through a join: the answer is checked after the run. */
  limitCheck: Plan['limitCheck'];
  /** Rows of steps counted when they last ran (`PlannerOptions.learnedStep`). */
  private readonly learnedRows = new Map<number, number>();

  constructor(
    private readonly a: Analysis,
    private readonly opts: PlannerOptions,
  ) {
    this.pushSearch = opts.pushSearch ?? true;
    this.pushLike = opts.pushLikeAsWordSearch ?? false;
    this.maxFanOut = opts.maxFanOut ?? 20;
  }

  planAll(): void {
    // Tables whose request-filled column a reference fills go first: their filter values come from other tables, not the reverse.
    const fills = (t: string): number => (this.a.refs.some((r) => r.table === t && fillsColumn(this.a, r)) ? 0 : 1);
    for (const t of [...this.a.tables].sort((x, y) => fills(x) - fills(y))) this.planTable(t);
  }

  /** Plans every reference of a table (once) and returns its step ids. */
  planTable(name: string): number[] {
    const done = this.tableSteps.get(name);
    if (done) return done;
    const def = getTable(name);
    this.inProgress.add(name);
    let ids: number[];
    if (def.staticRows) {
      ids = [this.add(this.staticStep(def))];
    } else {
      const refs = this.a.refs.filter((r) => r.table === name);
      const plans = refs.map((r) => this.planRef(def, r));
      ids = this.mergeRefs(def, plans).map((p) => this.add(this.fetchStep(def, p, 'table')));
    }
    this.inProgress.delete(name);
    this.tableSteps.set(name, ids);
    return ids;
  }

  private add(step: Omit<PlanStep, 'id'>): number {
    const id = this.steps.length + 1;
    this.steps.push({ ...step, id });
    // Rows it gave when it last ran: the steps planned after it (GETs by id or listing) are chosen with them.
    if (this.opts.learnedStep) {
      const rows = this.opts.learnedStep(stepSignatures(this.steps).at(-1) ?? '')?.rows;
      if (rows !== undefined) this.learnedRows.set(id, rows);
    }
    return id;
  }

  private staticStep(def: TableDef): Omit<PlanStep, 'id'> {
    return {
      kind: 'static', table: def.name, purpose: 'table', api: def.api, endpoint: '(catalog)', single: false, envelope: [],
      requests: [], pageSize: 0, dependsOn: [], literals: {}, pushed: [], localOnly: [], notes: ['Generated from the catalog; nothing is fetched.'], estimatedRequests: 0,
    };
  }

  /** Several references of one table: identical plans share a step; different ones are fetched side by side (rows are unioned). */
  private mergeRefs(def: TableDef, plans: RefPlan[]): RefPlan[] {
    const distinct: RefPlan[] = [];
    const keyOf = (p: RefPlan): string => JSON.stringify([p.endpoint, p.requests, p.bind, p.pageLimit]);
    for (const p of plans) if (!distinct.some((d) => keyOf(d) === keyOf(p))) distinct.push(p);
    if (distinct.length <= 1) return distinct;
    // References of a table with a request-filled column either all fill it or none does (checkFilledColumns):
    // rows listed for different values carry their own value, so the union serves each reference.
    if (distinct.some((p) => p.full)) {
      const full = this.fullPlan(def, [], []);
      full.notes.push(`${def.name} is referenced ${plans.length} times with different filters: fetched once without them.`);
      for (const p of plans) full.localOnly.push(...p.pushed, ...p.localOnly);
      return [full];
    }
    distinct.forEach((p) => p.notes.push(`${def.name} is referenced ${plans.length} times with different filters: the row sets are combined.`));
    return distinct;
  }

  /** The whole table: default list endpoint, enumerating parents when it needs one. */
  private fullPlan(def: TableDef, pushed: string[], localOnly: string[]): RefPlan & { notes: string[]; localOnly: string[] } {
    const embedded = this.embeddedFull(def, pushed, localOnly);
    if (embedded) return embedded;
    const list = def.list.find((l) => !l.parent) ?? def.list[0];
    if (!list) throw new Error(`${def.name} has no list endpoint`);
    const notes: string[] = [];
    let bind: Binding | undefined;
    if (list.parent) {
      const parentStep = this.parentsStep(list.parent.table);
      bind = { steps: [parentStep], column: list.parent.parentColumn, target: 'path', name: list.parent.param, mode: 'each' };
      notes.push(`No ${list.parent.column} filter: every ${list.parent.table} row is listed first (step ${parentStep}), then one request per parent.`);
    }
    return {
      endpoint: list.path, single: false, envelope: list.envelope, list,
      requests: [{ path: {}, query: { ...(def.defaults ?? {}) } }],
      ...(bind ? { bind } : {}),
      pushed, localOnly, notes, full: !bind,
    };
  }

  /** A step that lists a parent table entirely; reuses the table's own step when that is already unfiltered. */
  private parentsStep(table: string): number {
    if (this.a.tables.includes(table) && !this.inProgress.has(table)) this.planTable(table);
    const own = this.tableSteps.get(table);
    if (own && own.length === 1 && own[0] !== undefined) {
      const s = this.steps[own[0] - 1];
      if (s && s.kind === 'fetch' && s.pushed.length === 0 && s.pageLimit === undefined && !s.single) return s.id;
    }
    const known = this.parentSteps.get(table);
    if (known) return known;
    const def = getTable(table);
    const plan = this.fullPlan(def, [], []);
    const id = this.add(this.fetchStep(def, plan, 'parents'));
    this.parentSteps.set(table, id);
    return id;
  }

  /** Every row of a table its parent list can embed: each parent listed once with its children (all conversations, embed=threads). */
  private embeddedFull(def: TableDef, pushed: string[], localOnly: string[]): (RefPlan & { notes: string[]; localOnly: string[] }) | undefined {
    const e = def.embeddedIn;
    const parent = e ? findTable(e.table) : undefined;
    const list = parent?.list.find((l) => !l.parent);
    if (!e || !parent || !list || !def.list.some((l) => l.parent?.column === e.column)) return undefined;
    return {
      endpoint: list.path, single: false, envelope: list.envelope, list,
      requests: [{ path: {}, query: { ...(parent.defaults ?? {}), ...e.query } }],
      pushed, localOnly, full: true, embedded: true,
      notes: [`No ${parent.name} filter: every ${parent.name} row is listed with its ${def.name} (${queryString(e.query)}), ${list.pageSize} per request.`],
    };
  }

  /**
   * Children of several parents (Threads of many conversations) from the parent
   * list with the embedding parameters: 50 conversations with their threads per
   * request instead of one request per conversation. With a join or an
   * `IN (SELECT Id FROM Conversations ...)`, the requests of the parent table's
   * steps (a superset of the parents the statement ties the children to), which
   * then share them; otherwise every parent. Undefined when those steps are gets
   * by id (a few parents: the per-parent list is as cheap and complete).
   */
  private embeddedPlan(def: TableDef, ref: TableRef): RefPlan | undefined {
    const e = def.embeddedIn;
    if (!e) return undefined;
    const ties = [
      ...ref.subqueryIns.filter((x) => x.column === e.column && x.subColumn === e.parentColumn && this.a.refs[x.ref]?.table === e.table),
      ...ref.joins.filter((j) => j.column === e.column && j.otherColumn === e.parentColumn && this.a.refs[j.otherRef]?.table === e.table),
    ];
    const localOnly = [...ref.localOnly, ...ref.predicates.map((p) => p.text)];
    const others = (used?: string): string[] => [...ref.joins, ...ref.subqueryIns].map((x) => x.text).filter((t) => t !== used);
    const tie = ties[0];
    if (!tie || this.inProgress.has(e.table)) return this.embeddedFull(def, [], [...localOnly, ...others()]);
    const ids = this.planTable(e.table);
    const steps = ids.map((id) => this.steps[id - 1]);
    const parentList = getTable(e.table).list.find((l) => !l.parent);
    if (!parentList || !def.list.some((l) => l.parent?.column === e.column)) return undefined;
    if (steps.some((s) => !s || s.kind !== 'fetch' || s.single || s.endpoint !== parentList.path)) return undefined;
    const one = steps.length === 1 ? steps[0] : undefined;
    if (!one && steps.some((s) => s?.bind || s?.pageLimit !== undefined)) return undefined;
    const requests = steps.flatMap((s) => s?.requests.map((r) => ({ path: r.path, query: { ...r.query, ...e.query } })) ?? []);
    return {
      endpoint: parentList.path, single: false, envelope: parentList.envelope, list: parentList, requests,
      ...(one?.bind ? { bind: one.bind } : {}),
      ...(one?.pageLimit !== undefined ? { pageLimit: one.pageLimit } : {}),
      pushed: [tie.text], localOnly: [...localOnly, ...others(tie.text)], full: false, embedded: true,
      notes: [`The ${e.table} requests of step ${ids.join(', ')} with ${queryString(e.query)}: ${def.name} come ${parentList.pageSize} ${e.table.toLowerCase()} per request.`],
    };
  }

  /**
   * count(*) over exactly pushed filters from `page.totalElements`, one request
   * per group (see counts.ts for the shapes). False when the statement has any
   * other shape: it is then planned as usual.
   */
  planCount(): boolean {
    const cs = countStatement(this.a);
    const ref = this.a.refs[0];
    if (!cs || !ref) return false;
    const def = getTable(ref.table);
    const list = def.list.find((l) => !l.parent);
    // Only the Mailbox API's list envelope carries page.totalElements.
    if (!list || def.api !== 'mailbox' || def.list.length !== 1) return false;
    // An exploded table (CustomerEmails) has several rows, or none, per listed object: totalElements counts the objects.
    if (def.explode) return false;
    if (ref.localOnly.length > 0 || ref.subqueryIns.length > 0 || ref.joins.length > 0 || ref.predicates.length !== cs.conjuncts) return false;
    const keyFor = (column: string, op?: Predicate['op']): KeyColumn | undefined =>
      def.keys.find((k) => k.column === column && k.target.in === 'query' && k.exact && (op === undefined || k.ops.includes(op)));
    const paramOf = (k: KeyColumn): string => (k.target.in === 'query' ? k.target.name : '');

    // WHERE: every conjunct an exact filter with literal values; several on one column intersect.
    const where = new Map<string, string[]>();
    for (const p of ref.predicates) {
      const key = keyFor(p.column, p.op);
      const vs = key ? this.values(key, p) : undefined;
      if (!key || !vs || (key.valueType === 'string' && p.values.some((v) => typeof v !== 'string'))) return false;
      // The tag filter matches names whatever their case and splits at commas: only plain lower-case names count exactly.
      if (key.elementOf && vs.some((v) => v !== v.toLowerCase() || v.includes(','))) return false;
      // A column whose value depends on the statement's literals (Tag: the first tag among them) is exact
      // only under one predicate naming all of them.
      const echo = def.columns.find((c) => c.name === p.column)?.echoLiterals;
      if (echo && (ref.predicates.filter((q) => q.column === p.column).length > 1 || [...new Set(this.a.literalsFor(p.column))].sort().join('\n') !== [...new Set(vs)].sort().join('\n'))) return false;
      const prev = where.get(p.column);
      const next = prev ? prev.filter((v) => vs.includes(v)) : vs;
      if (next.length === 0) return false;
      where.set(p.column, next);
    }

    // Columns read outside WHERE hold one value per request: fixed by WHERE, or one request per value.
    let variants: Record<string, string>[] = [{}];
    const split = (name: string, values: readonly string[]): void => {
      variants = variants.flatMap((v) => values.map((x) => ({ ...v, [name]: x })));
    };
    // Stand-in rows hold what the statement reads and a value passing each WHERE filter (SQLite applies it again).
    const fill: { column: string; param?: string; value?: string; as: 'int' | 'text' | 'jsonList' }[] = [];
    const groups: string[] = [];
    let source: { table: string; column: string; param: string; partition: boolean } | undefined;
    for (const column of cs.read) {
      const key = keyFor(column);
      const vs = where.get(column);
      if (!key || (!cs.grouped.includes(column) && vs?.length !== 1)) return false;
      const name = paramOf(key);
      if (vs) {
        // One request per tag would count a conversation once per matching tag.
        if (vs.length > 1 && key.elementOf) return false;
        split(name, vs);
        where.delete(column);
      } else if (key.values) {
        split(name, key.values);
      } else if (key.valuesFrom && !key.elementOf && !source) {
        source = { ...key.valuesFrom, param: name, partition: true };
      } else {
        return false;
      }
      fill.push({ column, param: name, as: key.valueType === 'int' ? 'int' : 'text' });
      groups.push(column);
    }
    if (cs.each) {
      const key = def.keys.find((k) => k.elementOf === cs.each && k.target.in === 'query' && k.exact);
      if (!key?.valuesFrom || source || where.has(key.column) || cs.read.includes(key.column)) return false;
      source = { ...key.valuesFrom, param: paramOf(key), partition: false };
      fill.push({ column: cs.each, param: source.param, as: 'jsonList' });
      groups.push(`value of json_each(${cs.each})`);
    }
    // The other WHERE columns: one value or a comma list in every request, else one request per value.
    for (const [column, vs] of where) {
      const key = keyFor(column);
      if (!key) return false;
      const as = key.valueType === 'int' ? 'int' : 'text';
      if (vs.length === 1 || key.multi === 'comma') {
        for (const v of variants) v[paramOf(key)] = vs.join(',');
        fill.push({ column, value: vs[0] ?? '', as });
      } else {
        split(paramOf(key), vs);
        fill.push({ column, param: paramOf(key), as });
      }
    }
    for (const [k, v] of Object.entries(def.defaults ?? {})) for (const x of variants) if (x[k] === undefined) x[k] = v;
    if (variants.length > MAX_COUNT_REQUESTS) return false;

    const requests: RequestTemplate[] = variants.map((query) => ({ path: {}, query }));
    const bind: Binding | undefined = source
      ? { steps: [this.parentsStep(source.table)], column: source.column, target: 'query', name: source.param, mode: 'each' }
      : undefined;
    const literals: Record<string, string[]> = {};
    for (const c of def.columns) if (c.echoLiterals) literals[c.name] = this.a.literalsFor(c.name);
    const notes = [
      `count from page.totalElements: ${groups.length ? `one request per ${groups.join(' x ')}` : requests.length === 1 ? 'one request' : `${requests.length} requests`}, nothing listed ` +
        `(the Mailbox API has no page-size parameter: page 1 comes whole and only its page.totalElements is read). ` +
        `SQLite counts stand-in rows that hold ${fill.length ? `only ${fill.map((f) => f.column).join(', ')}` : 'no column'} (every other column NULL).`,
    ];
    if (source && bind) {
      notes.push(
        `The ${source.param} values are the ${source.column} of the ${source.table} rows of step ${bind.steps.join(', ')}. ` +
          `The request without that split goes first: the rows are listed instead when that costs no more${source.partition ? ', or when the counts do not add up to its total' : ''}.`,
      );
    }
    const id = this.add({
      kind: 'fetch', table: def.name, purpose: 'table', api: def.api, endpoint: list.path, single: false, envelope: list.envelope,
      requests, ...(bind ? { bind } : {}), pageLimit: 1, pageSize: list.pageSize, dependsOn: bind ? [...bind.steps] : [], literals,
      count: { fill, ...(bind ? { totals: requests } : {}), partition: source?.partition ?? false },
      pushed: ref.predicates.map((p) => p.text), localOnly: [], notes,
      estimatedRequests: requests.length * (bind ? 1 + GUESS_BOUND_VALUES : 1),
    });
    this.tableSteps.set(def.name, [id]);
    return true;
  }

  /**
   * Embedded children and their parent table share requests. A parent step whose
   * requests the embedded step also sends asks with the embedding parameters too,
   * so each request goes out once (the fetchers share responses of `shared`
   * steps within a run). When the children need every parent anyway, a filtered
   * parent step that no other step depends on reads those same pages instead of
   * its own (its filters stay with SQLite).
   */
  shareEmbedded(): void {
    for (const t0 of [...this.steps]) {
      const e = t0.embedded ? getTable(t0.table).embeddedIn : undefined;
      if (!e) continue;
      const keyOf = (r: RequestTemplate): string => JSON.stringify([r.path, Object.entries({ ...r.query, ...e.query }).sort()]);
      const mine = new Set(t0.requests.map(keyOf));
      const everything = !t0.bind && t0.pageLimit === undefined && t0.pushed.length === 0;
      const covered = new Set<string>();
      let sharers: number[] = [];
      for (const s of [...this.steps]) {
        if (s.kind !== 'fetch' || s.table !== e.table || s.single || s.endpoint !== t0.endpoint || s.embedded || s.count) continue;
        const sameStreams = JSON.stringify(s.bind ?? null) === JSON.stringify(t0.bind ?? null) && s.pageLimit === t0.pageLimit;
        if (sameStreams && s.requests.every((r) => mine.has(keyOf(r)))) {
          this.steps[s.id - 1] = { ...s, requests: s.requests.map((r) => ({ path: r.path, query: { ...r.query, ...e.query } })), shared: true };
          for (const r of s.requests) covered.add(keyOf(r));
          sharers.push(s.id);
        } else if (everything && !s.bind && s.pageLimit === undefined && !this.steps.some((x) => x.dependsOn.includes(s.id))) {
          this.steps[s.id - 1] = {
            ...s, requests: t0.requests, shared: true, pushed: [], localOnly: [...s.pushed, ...s.localOnly], estimatedRequests: 0,
            notes: [...s.notes, `Step ${t0.id} lists every ${e.table} row (${queryString(e.query)}): these rows come from the same pages, filtered by SQLite, with no requests of their own.`],
          };
          sharers = [...sharers, s.id];
          for (const r of t0.requests) covered.add(keyOf(r));
        }
      }
      if (sharers.length === 0) continue;
      const t = this.steps[t0.id - 1] ?? t0;
      const all = t.requests.every((r) => covered.has(keyOf(r)));
      this.steps[t0.id - 1] = {
        ...t, shared: true,
        ...(all && sharers.some((id) => (this.steps[id - 1]?.estimatedRequests ?? 0) > 0) ? { estimatedRequests: 0 } : {}),
        notes: [...t.notes, `Shares its requests with step ${sharers.join(', ')}: each is sent once.`],
      };
    }
  }

  private planRef(def: TableDef, ref: TableRef): RefPlan {
    const pushed: string[] = [];
    const localOnly: string[] = [...ref.localOnly];
    const notes: string[] = [];
    const used = new Set<Predicate>();
    const keysFor = (column: string): KeyColumn[] => def.keys.filter((k) => k.column === column);
    // The request-filled column this reference filters on (filled.ts): only a list request for its values fills it.
    const filled = fillsColumn(this.a, ref) ? filledColumn(def)?.name : undefined;

    // 1. Get by id.
    if (def.get && !filled) {
      const getCol = def.get.column;
      const p = ref.predicates.find((x) => x.column === getCol && (x.op === '=' || x.op === 'IN'));
      const key = keysFor(getCol).find((k) => k.target.in === 'get');
      const values = p && key ? this.values(key, p) : undefined;
      if (p && values && values.length <= this.maxFanOut) {
        used.add(p);
        pushed.push(p.text);
        for (const q of ref.predicates) if (!used.has(q)) localOnly.push(q.text);
        return {
          endpoint: def.get.path, single: true, envelope: [def.get.envelope],
          requests: values.map((v) => ({ path: { id: v }, query: {} })),
          pushed, localOnly: [...localOnly, ...ref.joins.map((j) => j.text), ...ref.subqueryIns.map((s) => s.text)], notes, full: false,
        };
      }
      const sub = ref.subqueryIns.find((s) => s.column === getCol);
      if (sub && key) {
        const valuesStep = this.valuesStep(sub.ref, sub.subColumn);
        if (valuesStep) {
          pushed.push(sub.text);
          for (const q of ref.predicates) localOnly.push(q.text);
          return {
            endpoint: def.get.path, single: true, envelope: [def.get.envelope], requests: [{ path: {}, query: {} }],
            bind: { steps: [valuesStep], column: sub.subColumn, target: 'get', name: 'id', mode: 'each' },
            pushed, localOnly, notes, full: false,
          };
        }
      }
      // A join partner's keys (Customers.Id = c.CustomerId): one GET per distinct key when fewer keys than list pages are expected.
      const join = key ? this.lookupJoin(def, ref, getCol) : undefined;
      const partner = join ? this.a.refs[join.otherRef] : undefined;
      if (join && partner) {
        const partnerSteps = this.planTable(partner.table);
        const keys = this.keysUpperBound(partnerSteps);
        const listing = this.listCost(def, ref);
        if (keys <= listing) {
          const source = this.partnerFilter(partner, join.otherColumn);
          pushed.push(join.text);
          for (const q of ref.predicates) localOnly.push(q.text);
          for (const j of ref.joins) if (j !== join) localOnly.push(j.text);
          for (const x of ref.subqueryIns) localOnly.push(x.text);
          notes.push(
            `One GET per distinct ${join.otherColumn} of the ${partner.table} rows of step ${partnerSteps.join(', ')}` +
              `${source !== undefined ? ` that pass ${partner.predicates.map((p) => p.text).join(' AND ')} (step ${source})` : ''}` +
              ` (join): at most about ${keys} against about ${listing} list page(s).`,
          );
          return {
            endpoint: def.get.path, single: true, envelope: [def.get.envelope], requests: [{ path: {}, query: {} }],
            bind: { steps: source !== undefined ? [source] : partnerSteps, column: join.otherColumn, target: 'get', name: 'id', mode: 'each' },
            pushed, localOnly, notes, full: false,
          };
        }
        notes.push(`Listed rather than one GET per ${partner.table} key (join): about ${keys} keys against about ${listing} list page(s).`);
      }
    }

    // 2. List endpoint and its parent key.
    let list: ListEndpoint | undefined;
    let bind: Binding | undefined;
    let pathValues: string[] | undefined;
    // Lists whose parent key is a filter column (Articles.CategoryId) first: that column only has a value when its list is used.
    const echoFirst = (l: ListEndpoint): number => (def.columns.some((c) => c.requestEcho && c.name === l.parent?.column) ? 0 : 1);
    const allParentLists = def.list.filter((l) => l.parent).sort((x, y) => echoFirst(x) - echoFirst(y));
    // A reference filling Articles.CategoryId lists by category whatever it costs: any other list leaves the column NULL.
    const fillList = filled ? allParentLists.find((l) => l.parent?.column === filled) : undefined;
    const parentLists = fillList ? [fillList] : allParentLists;
    const byLiteral = parentLists
      .map((l) => {
        const p = ref.predicates.find((x) => x.column === l.parent?.column && (x.op === '=' || x.op === 'IN'));
        const key = keysFor(l.parent?.column ?? '').find((k) => k.target.in === 'path');
        const values = p && key ? this.values(key, p) : undefined;
        return p && values && (fillList || values.length <= this.maxFanOut) ? { l, p, values } : undefined;
      })
      .filter((x) => x !== undefined);
    const chosen = byLiteral[0];
    if (chosen) {
      list = chosen.l;
      pathValues = chosen.values;
      used.add(chosen.p);
      pushed.push(chosen.p.text);
    }
    if (!list && def.embeddedIn) {
      const embedded = this.embeddedPlan(def, ref);
      if (embedded) return embedded;
    }
    if (!list) {
      for (const l of parentLists) {
        const parent = l.parent;
        if (!parent) continue;
        const sub = ref.subqueryIns.find((s) => s.column === parent.column);
        const valuesStep = sub ? this.valuesStep(sub.ref, sub.subColumn) : undefined;
        if (sub && valuesStep) {
          list = l;
          bind = { steps: [valuesStep], column: sub.subColumn, target: 'path', name: parent.param, mode: 'each' };
          pushed.push(sub.text);
          notes.push(`${parent.column} values come from the sub-select (step ${valuesStep}).`);
          break;
        }
        const join = ref.joins.find((j) => j.column === parent.column && !this.inProgress.has(this.a.refs[j.otherRef]?.table ?? ''));
        const partner = join ? this.a.refs[join.otherRef] : undefined;
        if (join && partner) {
          // The partner's own conditions first (Collections.Name = 'x'): only its rows that pass them have children to list.
          const filtered = this.partnerFilter(partner, join.otherColumn);
          const partnerSteps = filtered !== undefined ? [filtered] : this.planTable(partner.table);
          list = l;
          bind = { steps: partnerSteps, column: join.otherColumn, target: 'path', name: parent.param, mode: 'each' };
          pushed.push(join.text);
          notes.push(
            filtered !== undefined
              ? `${parent.column} values come from the ${partner.table} rows that pass ${partner.predicates.map((p) => p.text).join(' AND ')} (step ${filtered}, join).`
              : `${parent.column} values come from the ${partner.table} rows of step ${partnerSteps.join(', ')} (join).`,
          );
          break;
        }
      }
    }
    if (!list && fillList?.parent) {
      // The filter's values cannot be known first (the tables depend on each other): every parent, one request each.
      const parentStep = this.parentsStep(fillList.parent.table);
      list = fillList;
      bind = { steps: [parentStep], column: fillList.parent.parentColumn, target: 'path', name: fillList.parent.param, mode: 'each' };
      notes.push(`${filled} is filled from the request: every ${fillList.parent.table} row is listed first (step ${parentStep}), then one request per parent.`);
    }
    if (!list && parentLists.length > 0 && parentLists.length === def.list.length) {
      const full = this.fullPlan(def, [], []);
      list = full.list;
      bind = full.bind;
      notes.push(...full.notes);
    }
    list ??= def.list.find((l) => !l.parent);
    if (!list) throw new Error(`${def.name} has no usable list endpoint`);

    // 3. Query parameters from the other keys.
    const query: Record<string, string> = {};
    let variants: Record<string, string>[] = [{}];
    const search: string[] = [];
    let exact = true;
    for (const key of def.keys) {
      if (key.target.in === 'get' || key.target.in === 'path') continue;
      const preds = ref.predicates.filter((p) => p.column === key.column && key.ops.includes(p.op) && !used.has(p));
      if (preds.length === 0) continue;
      if (key.valueType === 'datetime') {
        let lo: string | undefined;
        let hi: string | undefined;
        for (const p of preds) {
          const [a, b] = [p.values[0], p.values[1]];
          if ((p.op === '>' || p.op === '>=' || p.op === 'BETWEEN') && a !== undefined) {
            const f = floorIso(a);
            if (f && (!lo || f > lo)) lo = f;
          }
          if ((p.op === '<' || p.op === '<=') && a !== undefined) {
            const c = ceilIso(a);
            if (c && (!hi || c < hi)) hi = c;
          }
          if (p.op === 'BETWEEN' && b !== undefined && (key.target.in === 'search' || key.rangeSearch)) {
            const c = ceilIso(b);
            if (c && (!hi || c < hi)) hi = c;
          }
        }
        if (!lo && !hi) continue;
        // Both ends as a search range (`modifiedAt:[A TO B]`): inclusive, so a superset of < and <= alike.
        const rangeField = key.target.in === 'search' ? key.target.field : hi ? key.rangeSearch : undefined;
        let sent = preds;
        if (rangeField && this.pushSearch) {
          search.push(`${rangeField}:[${lo ?? '*'} TO ${hi ?? '*'}]`);
        } else if (key.target.in === 'query' && lo) {
          query[key.target.name] = lo;
          // The query parameter takes the lower bound only: an upper bound stays with SQLite.
          sent = preds.filter((p) => p.op !== '<' && p.op !== '<=');
        } else continue;
        for (const p of sent) { used.add(p); pushed.push(p.text); }
        exact &&= key.exact;
        continue;
      }
      if (key.target.in === 'search') {
        if (!this.pushSearch) continue;
        const p = preds[0];
        const v = p?.values[0];
        if (!p || typeof v !== 'string' || v.includes('"')) continue;
        let term: string | undefined;
        if (p.op === 'LIKE') {
          if (!this.pushLike) continue;
          const m = /^%([^%_]+)%$/.exec(v);
          term = m?.[1];
        } else if (p.op === '=') term = v;
        if (!term) continue;
        search.push(`${key.target.field}:"${term}"`);
        used.add(p);
        pushed.push(p.text);
        exact &&= key.exact;
        continue;
      }
      // Plain query parameter: = / IN; all predicates on the column must agree (intersection).
      let values: string[] | undefined;
      for (const p of preds) {
        // Values of a request-filled column that cannot be sent match no row: dropped, never the whole filter.
        const vs = key.column === filled ? p.values.map((v) => wireValue(key, v)).filter((v) => v !== undefined) : this.values(key, p);
        if (!vs) { values = undefined; break; }
        values = values ? values.filter((v) => vs.includes(v)) : vs;
      }
      if (!values || values.length === 0) continue;
      const name = key.target.name;
      if (values.length === 1 || key.multi === 'comma') {
        query[name] = values.join(',');
      } else {
        if (key.column !== filled && variants.length * values.length > this.maxFanOut) continue;
        variants = variants.flatMap((v) => values.map((x) => ({ ...v, [name]: x })));
      }
      for (const p of preds) { used.add(p); pushed.push(p.text); }
      exact &&= key.exact;
    }
    if (search.length > 0) query['query'] = search.map((t) => `(${t})`).join(' AND ');

    // IN (sub-select) on a query key, when nothing else set that key (only the request-filled one when the reference fills it).
    const filledQuery = filled ? keysFor(filled).find((k) => k.target.in === 'query') : undefined;
    if (!bind) {
      for (const sub of ref.subqueryIns.filter((x) => !filledQuery || x.column === filled)) {
        const key = keysFor(sub.column).find((k) => k.target.in === 'query');
        const name = key?.target.in === 'query' ? key.target.name : undefined;
        if (!key || !name || query[name] !== undefined || variants.some((v) => v[name] !== undefined)) continue;
        const valuesStep = this.valuesStep(sub.ref, sub.subColumn);
        if (!valuesStep) continue;
        bind = { steps: [valuesStep], column: sub.subColumn, target: 'query', name, mode: key.multi };
        pushed.push(sub.text);
        notes.push(`${sub.column} values come from the sub-select (step ${valuesStep}).`);
        break;
      }
    }

    // A comma-list query key joined to a filtered partner (Conversations.MailboxId = m.Id, m.Name = 'Support'):
    // the values of the partner's rows that pass its own conditions, in one request.
    if (!bind && !filled) {
      for (const j of ref.joins) {
        const partner = this.a.refs[j.otherRef];
        const key = keysFor(j.column).find((k) => k.target.in === 'query' && k.multi === 'comma' && k.valueType !== 'datetime');
        const name = key?.target.in === 'query' ? key.target.name : undefined;
        if (!partner || !key || !name || partner.table === def.name || partner.predicates.length === 0) continue;
        if (query[name] !== undefined || variants.some((v) => v[name] !== undefined) || this.inProgress.has(partner.table)) continue;
        const partnerSteps = this.planTable(partner.table);
        const valuesStep = this.partnerFilter(partner, j.otherColumn);
        bind = { steps: valuesStep !== undefined ? [valuesStep] : partnerSteps, column: j.otherColumn, target: 'query', name, mode: 'comma' };
        pushed.push(j.text);
        notes.push(`${j.column} values come from the ${partner.table} rows that pass ${partner.predicates.map((p) => p.text).join(' AND ')} (step ${bind.steps.join(', ')}, join).`);
        break;
      }
    }

    // A request-filled query key (Users.MailboxId) without literal values: from a join partner's rows, else every value there is.
    const filledName = filledQuery?.target.in === 'query' ? filledQuery.target.name : undefined;
    if (filled && filledName && bind?.name !== filledName && query[filledName] === undefined && !variants.some((v) => v[filledName] !== undefined)) {
      const join = bind ? undefined : ref.joins.find((j) => {
        const t = this.a.refs[j.otherRef]?.table;
        return j.column === filled && t !== undefined && t !== def.name && !this.inProgress.has(t);
      });
      const partner = join ? this.a.refs[join.otherRef] : undefined;
      const source = filledSource(def);
      if (join && partner) {
        const partnerSteps = this.planTable(partner.table);
        bind = { steps: partnerSteps, column: join.otherColumn, target: 'query', name: filledName, mode: 'each' };
        pushed.push(join.text);
        notes.push(`${filled} values come from the ${partner.table} rows of step ${partnerSteps.join(', ')} (join).`);
      } else if (!bind && source && !ref.predicates.some((p) => p.column === filled && (p.op === '=' || p.op === 'IN'))) {
        const parentStep = this.parentsStep(source.table);
        bind = { steps: [parentStep], column: source.column, target: 'query', name: filledName, mode: 'each' };
        notes.push(`${filled} is filled from the request: every ${source.table} row is listed first (step ${parentStep}), then one request per ${source.column}.`);
      } else if (!ref.predicates.some((p) => p.column === filled && (p.op === '=' || p.op === 'IN'))) {
        throw new SqlRejectedError(`${def.name}.${filled} cannot be filled for this statement: filter ${def.name} on ${filled} with = or IN.`);
      }
    }

    for (const [k, v] of Object.entries(def.defaults ?? {})) {
      if (query[k] === undefined && !variants.some((x) => x[k] !== undefined) && bind?.name !== k) query[k] = v;
    }
    if (def.defaults?.['status'] && !pushed.some((t) => t.startsWith('Status'))) {
      notes.push('No Status filter: status=all overrides the API default (active only).');
    }

    // 4. ORDER BY + LIMIT: stop paging early only when the API returns exactly the rows SQLite keeps.
    let pageLimit: number | undefined;
    const ol = this.a.orderLimit;
    const sortField = ol ? def.sort?.columns[ol.column] : undefined;
    const allUsed = ref.predicates.every((p) => used.has(p));
    if (ol && def.sort && sortField && this.a.allConjunctsPredicates && allUsed && exact && !bind) {
      query[def.sort.fieldParam] = sortField;
      query[def.sort.orderParam] = ol.desc ? 'desc' : 'asc';
      const perPage = list.pageSizeParam ? Math.min(list.pageSizeParam.max, Math.max(1, ol.limit + ol.offset)) : list.pageSize;
      pageLimit = Math.ceil((ol.limit + ol.offset) / perPage);
      notes.push(`ORDER BY ${ol.column} ${ol.desc ? 'DESC' : 'ASC'} LIMIT ${ol.limit}${ol.offset ? ` OFFSET ${ol.offset}` : ''}: sorted by the API, ${pageLimit} page(s) at most.`);
    } else if (ol && def.sort && !sortField) {
      notes.push(`The API cannot sort on ${ol.column} the way SQLite does: every page is fetched.`);
    } else if (ol && sortField && !(this.a.allConjunctsPredicates && allUsed && exact)) {
      notes.push('LIMIT does not stop paging: some conditions are checked only by SQLite, so the first API pages might not hold the first rows.');
    }
    // Through joins and sub-selects: this table's first rows in the API's order, one request stream, every condition on it sent
    // exactly; the other sources may still drop rows, so the answer is checked after the run (Plan.limitCheck).
    let rowLimit: number | undefined;
    const jl = this.a.joinedOrderLimit;
    const jlField = jl && jl.ref === ref.index ? def.sort?.columns[jl.column] : undefined;
    if (jl && jlField && def.sort && (this.opts.joinedEarlyStop ?? true)) {
      const streams = (pathValues?.length ?? 1) * variants.length;
      const oneStream = streams === 1 && (!bind || (bind.target === 'query' && bind.mode === 'comma'));
      const allSent = allUsed && exact && ref.localOnly.length === 0 && ref.subqueryIns.every((x) => pushed.includes(x.text));
      if (oneStream && allSent) {
        query[def.sort.fieldParam] = jlField;
        query[def.sort.orderParam] = jl.desc ? 'desc' : 'asc';
        rowLimit = jl.limit + jl.offset;
        const perPage = list.pageSizeParam ? Math.min(list.pageSizeParam.max, Math.max(1, rowLimit)) : list.pageSize;
        pageLimit = Math.max(1, Math.ceil(rowLimit / perPage));
        this.limitCheck = { limit: jl.limit, offset: jl.offset };
        notes.push(
          `ORDER BY ${jl.column} ${jl.desc ? 'DESC' : 'ASC'} LIMIT ${jl.limit}${jl.offset ? ` OFFSET ${jl.offset}` : ''} through the other sources: sorted by the API, ` +
            `${pageLimit} page(s) at most, the first ${rowLimit} row(s) kept. Should the statement give fewer than ${jl.limit} rows over them, it runs again without stopping early.`,
        );
      } else {
        notes.push(`LIMIT does not stop paging: ${oneStream ? 'some conditions on this table are checked only by SQLite' : 'the rows come from several request streams'}.`);
      }
    }

    for (const p of ref.predicates) if (!used.has(p)) localOnly.push(p.text);
    for (const j of ref.joins) if (!pushed.includes(j.text)) localOnly.push(j.text);
    for (const s of ref.subqueryIns) if (!pushed.includes(s.text)) localOnly.push(s.text);

    const requests: RequestTemplate[] = (pathValues ?? [undefined]).flatMap((pv) =>
      variants.map((v) => ({
        path: pv !== undefined && list?.parent ? { [list.parent.param]: pv } : {},
        query: { ...v, ...query },
      })),
    );
    return {
      endpoint: list.path, single: false, envelope: list.envelope, list, requests,
      ...(bind ? { bind } : {}),
      ...(pageLimit !== undefined ? { pageLimit } : {}),
      ...(rowLimit !== undefined ? { rowLimit } : {}),
      pushed, localOnly, notes,
      // A reference filling a request-filled column is never merged into an unfiltered fetch (that would empty the column for the others).
      full: !filled && pushed.length === 0 && !bind && !pathValues,
    };
  }

  /**
   * A join equality on the get-by-id column whose partner can be planned first
   * and does not itself take its rows from this table (a child list, embedded
   * rows, or a filter on the joined column): its keys can drive GETs by id.
   */
  private lookupJoin(def: TableDef, ref: TableRef, getCol: string): TableRef['joins'][number] | undefined {
    for (const j of ref.joins) {
      const partner = this.a.refs[j.otherRef];
      if (j.column !== getCol || !partner || partner.table === def.name || this.inProgress.has(partner.table)) continue;
      const p = getTable(partner.table);
      if (p.embeddedIn?.table === def.name || p.list.some((l) => l.parent?.table === def.name)) continue;
      if (p.keys.some((k) => k.column === j.otherColumn && k.target.in !== 'get')) continue;
      if (p.columns.find((c) => c.name === j.otherColumn)?.requestEcho) continue;
      return j;
    }
    return undefined;
  }

  /**
   * A join partner's rows that pass its own conditions (Collections.Name = 'x'), as a
   * `values` step giving `column`: undefined when it has none, or when its steps
   * already sent every one of them exactly (their rows are those already).
   */
  private partnerFilter(partner: TableRef, column: string): number | undefined {
    if (partner.predicates.length === 0 || this.inProgress.has(partner.table)) return undefined;
    const ids = this.planTable(partner.table);
    const def = getTable(partner.table);
    const sent = new Set(ids.flatMap((id) => this.steps[id - 1]?.pushed ?? []));
    const exact = partner.predicates.every((p) => sent.has(p.text) && def.keys.some((k) => k.column === p.column && k.exact && k.ops.includes(p.op)));
    return exact ? undefined : this.valuesStep(partner.index, column);
  }

  /** Most distinct values the steps' rows can give: a sub-select gives at most the rows it is evaluated over. */
  private keysUpperBound(ids: readonly number[]): number {
    return ids.reduce((n, id) => {
      const s = this.steps[id - 1];
      return n + (s?.kind === 'values' ? this.keysUpperBound(s.dependsOn) : this.estimatedRows(id));
    }, 0);
  }

  /** Requests to list a table for a reference without any key from elsewhere (the alternative to GETs by id). */
  private listCost(def: TableDef, ref: TableRef): number {
    const list = def.list.find((l) => !l.parent);
    if (list) {
      const filtered = ref.predicates.some((p) => def.keys.some((k) => k.column === p.column && (k.target.in === 'query' || k.target.in === 'search') && k.ops.includes(p.op)));
      return this.pagesGuess(def, { path: {}, query: { ...(def.defaults ?? {}) } }, filtered);
    }
    const parent = def.list[0]?.parent;
    if (!parent) return Number.POSITIVE_INFINITY;
    const p = getTable(parent.table);
    const parentPages = Math.max(1, p.typicalPages);
    return parentPages + parentPages * (p.list[0]?.pageSize ?? 1) * Math.max(1, def.typicalPages);
  }

  /** Wire values of an `=`/`IN` predicate, or undefined when one cannot be sent. */
  private values(key: KeyColumn, p: Predicate): string[] | undefined {
    if (p.op !== '=' && p.op !== 'IN') return undefined;
    if (!key.ops.includes(p.op)) return undefined;
    const out: string[] = [];
    for (const v of p.values) {
      const w = wireValue(key, v);
      if (w === undefined) return undefined;
      if (!out.includes(w)) out.push(w);
    }
    return out;
  }

  /** A step evaluating `SELECT DISTINCT col FROM T WHERE <its simple conditions>` over T's fetched rows. */
  private valuesStep(refIndex: number, column: string): number | undefined {
    const ref = this.a.refs[refIndex];
    if (!ref || this.inProgress.has(ref.table)) return undefined;
    const deps = this.planTable(ref.table);
    const where = ref.predicates.map(predicateSql);
    const sql = `SELECT DISTINCT ${quoteIdent(column)} FROM ${quoteIdent(ref.table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return this.add({
      kind: 'values', table: ref.table, purpose: 'parents', api: getTable(ref.table).api, endpoint: '(sub-select)', single: false, envelope: [],
      requests: [], pageSize: 0, dependsOn: deps, sql, valueColumn: column, literals: {}, pushed: [], localOnly: [],
      notes: [`Evaluated over the rows of step ${deps.join(', ')}; without an engine, all their ${column} values are used (a superset).`],
      estimatedRequests: 0,
    });
  }

  private fetchStep(def: TableDef, p: RefPlan, purpose: PlanStep['purpose']): Omit<PlanStep, 'id'> {
    const literals: Record<string, string[]> = {};
    for (const c of def.columns) if (c.echoLiterals) literals[c.name] = this.a.literalsFor(c.name);
    let detail: PlanStep['detail'];
    const notes = [...p.notes];
    if (def.detail && !p.single && purpose === 'table') {
      if (def.detail.when === 'missingEmbedded') {
        detail = { path: def.detail.path, envelope: def.detail.envelope, idField: def.detail.idField, when: 'missingEmbedded' };
      } else {
        const wanted = def.columns.filter((c) => c.detail && this.a.usesColumn(def.name, c.name)).map((c) => c.name);
        if (wanted.length > 0) {
          const filter = this.detailFilter(def);
          detail = { path: def.detail.path, envelope: def.detail.envelope, idField: def.detail.idField, when: 'always', ...(filter ? { filter: { sql: filter.sql, column: filter.column } } : {}) };
          notes.push(`${wanted.join(', ')} selected: one GET ${def.detail.path} per row${filter ? ` that passes ${filter.text} (checked on the list's columns first)` : ''}.`);
        }
      }
    }
    let embedded: PlanStep['embedded'];
    const e = def.embeddedIn;
    const child = e ? def.list.find((l) => l.parent?.column === e.column) : undefined;
    if (p.embedded && e && child?.parent) {
      const idField = getTable(e.table).columns.find((c) => c.name === e.parentColumn)?.path ?? 'id';
      const wanted = e.incomplete?.columns.filter((c) => this.a.usesColumn(def.name, c)) ?? [];
      const kinds = wanted.length > 0 ? [...(e.incomplete?.values ?? [])] : [];
      embedded = {
        path: e.path,
        ...(e.countField ? { countField: e.countField } : {}),
        refetch: { path: child.path, param: child.parent.param, envelope: child.envelope, idField, field: e.incomplete?.field ?? 'type', values: kinds },
      };
      notes.push(
        kinds.length > 0
          ? `${wanted.join(', ')} read: embedded ${kinds.join('/')} ${def.name.toLowerCase()} are documented as truncated, so a ${e.table} row embedding one has its ${def.name} fetched from ${child.path} (one request each), as has one embedding fewer than its ${e.countField ?? 'child'} count.`
          : `A ${e.table} row embedding fewer ${def.name.toLowerCase()} than its ${e.countField ?? 'child'} count has them fetched from ${child.path}.`,
      );
    }
    const pageSize = p.list?.pageSizeParam ? p.list.pageSizeParam.max : (p.list?.pageSize ?? 1);
    const step: Omit<PlanStep, 'id' | 'estimatedRequests'> = {
      kind: 'fetch', table: def.name, purpose, api: def.api, endpoint: p.endpoint, single: p.single, envelope: p.envelope,
      requests: p.requests,
      ...(p.bind ? { bind: p.bind } : {}),
      ...(p.pageLimit !== undefined ? { pageLimit: p.pageLimit } : {}),
      ...(p.rowLimit !== undefined ? { rowLimit: p.rowLimit } : {}),
      pageSize,
      ...(p.list?.pageSizeParam ? { pageSizeParam: p.list.pageSizeParam.name } : {}),
      ...(detail ? { detail } : {}),
      ...(embedded ? { embedded } : {}),
      dependsOn: p.bind ? [...p.bind.steps] : [],
      literals, pushed: p.pushed, localOnly: p.localOnly, notes,
    };
    return { ...step, estimatedRequests: this.estimate(embedded && e ? getTable(e.table) : def, step, def.name) };
  }

  /**
   * The conditions on list columns that a row must pass before its detail GET:
   * the simple conjuncts of the table's only reference on columns the list
   * carries. Those conjuncts hold for every row the statement keeps (the
   * reference's rows are filtered by them), so a row failing one needs no detail.
   */
  private detailFilter(def: TableDef): { sql: string; column: string; text: string } | undefined {
    const refs = this.a.refs.filter((r) => r.table === def.name);
    const ref = refs.length === 1 ? refs[0] : undefined;
    const idField = def.detail?.idField;
    const column = def.columns.find((c) => c.path === idField && !c.detail)?.name;
    if (!ref || !column) return undefined;
    const preds = ref.predicates.filter((p) => {
      const c = def.columns.find((x) => x.name === p.column);
      return c !== undefined && !c.detail;
    });
    if (preds.length === 0) return undefined;
    return {
      sql: `SELECT DISTINCT ${quoteIdent(column)} FROM ${quoteIdent(def.name)} WHERE ${preds.map(predicateSql).join(' AND ')}`,
      column,
      text: preds.map((p) => p.text).join(' AND '),
    };
  }

  /** Estimated rows a step returns: pages x page size, or request count for GETs. */
  private estimatedRows(id: number): number {
    const s = this.steps[id - 1];
    if (!s) return GUESS_BOUND_VALUES;
    const learned = this.learnedRows.get(id);
    if (learned !== undefined) return learned;
    if (s.kind === 'values') return GUESS_BOUND_VALUES;
    if (s.kind === 'static') return 0;
    if (s.single) return s.bind ? this.boundCount(s.bind) : s.requests.length;
    const def = findTable(s.table);
    const hinted = def !== undefined && s.requests[0] !== undefined && this.opts.pageCountHint?.(s.table, s.requests[0]) !== undefined;
    // A table that usually fits one page: a guess of its rows, not a full page.
    if (def && s.pageLimit === undefined && !hinted && def.typicalPages <= 1 && !s.bind) return Math.max(1, s.requests.length * GUESS_SMALL_TABLE_ROWS);
    const pages = s.pageLimit ?? (def ? this.pagesGuess(def, s.requests[0], s.pushed.length > 0) : 1);
    const streams = s.requests.length * (s.bind && s.bind.mode !== 'comma' ? this.boundCount(s.bind) : 1);
    const perStream = (def && uniqueRows(def, s.requests)) ?? Number.POSITIVE_INFINITY;
    return Math.max(1, streams * Math.min(pages * s.pageSize, s.rowLimit ?? Number.POSITIVE_INFINITY, perStream));
  }

  private boundCount(b: Binding): number {
    return b.steps.reduce((n, id) => n + this.estimatedRows(id), 0);
  }

  /**
   * Pages per request stream: the hint when known, else the table's typical
   * page count unfiltered, or a fifth of it (at least 1) when filters were sent.
   */
  private pagesGuess(def: TableDef, req: RequestTemplate | undefined, filtered: boolean, hintTable = def.name): number {
    const hint = req ? this.opts.pageCountHint?.(hintTable, req) : undefined;
    if (hint !== undefined) return hint;
    return filtered ? Math.max(1, Math.ceil(def.typicalPages / 5)) : Math.max(1, def.typicalPages);
  }

  /**
   * Final estimates: a step that ran before with the same signature takes the requests and rows it
   * took then; the others are estimated again with those rows, and each says whether it is a guess.
   */
  learnEstimates(): void {
    const sigs = stepSignatures(this.steps);
    const learned = this.steps.map((_s, i) => this.opts.learnedStep?.(sigs[i] ?? ''));
    learned.forEach((l, i) => { if (l) this.learnedRows.set(i + 1, l.rows); });
    this.steps.forEach((s, i) => {
      const l = learned[i];
      if (l) {
        this.steps[i] = { ...s, estimatedRequests: l.requests, estimate: 'learned' };
        return;
      }
      let n = s.estimatedRequests;
      // Shared steps keep the estimate sharing gave them; counts are estimated where they are planned.
      if (s.kind === 'fetch' && !s.count && !s.shared && n > 0) {
        const e = s.embedded ? getTable(s.table).embeddedIn : undefined;
        n = this.estimate(e ? getTable(e.table) : getTable(s.table), s, s.table);
      }
      this.steps[i] = { ...s, estimatedRequests: n, estimate: this.isGuess(s) ? 'guess' : 'known' };
    });
  }

  /** Whether a step's estimate depends on page or key counts not known before it runs. */
  private isGuess(s: PlanStep): boolean {
    if (s.kind !== 'fetch') return false;
    if (s.count) return s.bind !== undefined;
    if (s.bind) return true;
    if (s.single) return false;
    if (s.detail?.when === 'always' || (s.embedded && s.embedded.refetch.values.length > 0)) return true;
    if (s.pageLimit === 1) return false;
    const e = getTable(s.table).embeddedIn;
    if (uniqueRows(e ? getTable(e.table) : getTable(s.table), s.requests) !== undefined) return false;
    return !s.requests.every((r) => this.opts.pageCountHint?.(s.table, r) !== undefined);
  }

  /** Requests of a step; `def` gives the typical page count (the parent table for embedded rows), `hintTable` the known one. */
  private estimate(def: TableDef, s: Omit<PlanStep, 'id' | 'estimatedRequests'>, hintTable = def.name): number {
    let streams = s.requests.length;
    if (s.bind) streams *= s.bind.mode === 'comma' ? 1 : this.boundCount(s.bind);
    let n: number;
    if (s.single) n = streams;
    else {
      let pages = s.pageLimit ?? this.pagesGuess(def, s.requests[0], s.pushed.length > 0, hintTable);
      const unique = uniqueRows(getTable(s.table).embeddedIn ? def : getTable(s.table), s.requests);
      if (unique !== undefined) pages = Math.min(pages, Math.max(1, Math.ceil(unique / s.pageSize)));
      n = streams * pages;
    }
    if (s.embedded && s.embedded.refetch.values.length > 0) n += Math.ceil(n * s.pageSize * GUESS_REFETCH_SHARE);
    if (s.detail?.when === 'always') {
      // One GET per row: full pages, or a guess of a small table's rows; a share of them under a filter.
      const known = s.pageLimit !== undefined || def.typicalPages > 1 || (s.requests[0] !== undefined && this.opts.pageCountHint?.(hintTable, s.requests[0]) !== undefined);
      const rows = Math.min(s.rowLimit ?? Number.POSITIVE_INFINITY, known ? n * s.pageSize : streams * GUESS_SMALL_TABLE_ROWS);
      n += Math.ceil(rows * (s.detail.filter ? GUESS_FILTER_SHARE : 1));
    }
    return n;
  }
}

/** Plans a statement (or an analysis of it). Throws SqlRejectedError for statements that may not run. */
export function plan(sqlOrAnalysis: string | Analysis, opts: PlannerOptions = {}): Plan {
  const a = typeof sqlOrAnalysis === 'string' ? analyse(sqlOrAnalysis) : sqlOrAnalysis;
  checkFilledColumns(a);
  const p = new Planner(a, opts);
  if (opts.countFromTotals === false || !p.planCount()) p.planAll();
  p.shareEmbedded();
  p.learnEstimates();
  const notes: string[] = [];
  if (!a.parsed) {
    notes.push(`The statement could not be analysed (${a.parseError?.message ?? 'unknown'}): tables are fetched without filters and SQLite decides whether it is valid.`);
  }
  if (a.kind === 'explainQueryPlan') notes.push('EXPLAIN QUERY PLAN runs in SQLite over empty tables; nothing is fetched.');
  const steps = a.kind === 'explainQueryPlan' ? [] : p.steps;
  const estimatedRequests = steps.reduce((n, s) => n + s.estimatedRequests, 0);
  const guess = steps.some((s) => s.estimate === 'guess');
  if (guess) notes.push(`In all ≈ ${estimatedRequests} requests (a guess: some page counts are not yet known; a run of the same statement teaches them).`);
  return {
    kind: a.kind,
    sql: a.sql,
    tables: a.tables,
    steps,
    notes,
    estimatedRequests,
    ...(guess ? { estimateIsGuess: true } : {}),
    ...(p.limitCheck && steps.some((s) => s.rowLimit !== undefined) ? { limitCheck: p.limitCheck } : {}),
  };
}

/** Rows per request at most when every request filters a key with one row per value (Conversations.Number). */
function uniqueRows(def: TableDef, requests: readonly RequestTemplate[]): number | undefined {
  const param = def.keys.flatMap((k) => (k.unique && k.target.in === 'query' ? [k.target.name] : [])).find((n) => requests.length > 0 && requests.every((r) => r.query[n] !== undefined));
  return param ? Math.max(...requests.map((r) => (r.query[param] ?? '').split(',').length)) : undefined;
}

/** A 53-bit hash of a string (cyrb53), as 14 hex digits. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/**
 * A signature per step: what it asks for and, in place of the ids of the steps
 * it takes values from, their signatures. Two plans with a step of the same
 * signature send the same requests there (on the same data), so the requests
 * and rows one run counted (kept by the fetcher's cache) estimate the other.
 */
export function stepSignatures(steps: readonly PlanStep[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    const from = (ids: readonly number[]): string[] => ids.map((id) => out[id - 1] ?? '?');
    out.push(hash(JSON.stringify([
      s.kind, s.table, s.api, s.endpoint, s.single, s.requests, s.pageLimit ?? null, s.rowLimit ?? null, s.pageSize,
      s.bind ? [s.bind.column, s.bind.target, s.bind.name, s.bind.mode, from(s.bind.steps)] : null,
      s.detail ?? null, s.embedded?.refetch.values ?? null, s.count ? [s.count.fill, s.count.totals ?? null, s.count.partition] : null,
      s.sql ?? null, s.kind === 'values' ? from(s.dependsOn) : null, s.literals,
    ])));
  }
  return out;
}

/** A signature of a whole plan (its statement and steps). */
export function planSignature(p: Plan): string {
  return hash(JSON.stringify([p.sql, stepSignatures(p.steps)]));
}

/** Query string of a request template in insertion order (for EXPLAIN and tests). */
export function queryString(q: Readonly<Record<string, string>>): string {
  return Object.entries(q)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export const EXPLAIN_COLUMNS = [
  'Step', 'Table', 'Purpose', 'Endpoint', 'Parameters', 'DependsOn', 'PageLimit', 'EstimatedRequests', 'PushedPredicates', 'LocalPredicates', 'Notes',
] as const;

/** The plan as rows, for `EXPLAIN <query>`; nothing is fetched. */
export function explainRows(p: Plan): SqlValue[][] {
  const rows: SqlValue[][] = p.steps.map((s) => {
    const params: string[] = s.requests.map((r) => {
      const path = Object.entries(r.path).map(([k, v]) => `{${k}}=${v}`);
      const q = queryString(r.query);
      return [...path, q].filter((x) => x).join(' ');
    });
    if (s.bind) params.push(`${s.bind.target === 'get' ? '{id}' : s.bind.target === 'path' ? `{${s.bind.name}}` : s.bind.name} <- ${s.bind.column} of step ${s.bind.steps.join(', ')}${s.bind.mode === 'comma' ? ' (comma list)' : ' (one request each)'}`);
    if (s.sql) params.push(s.sql);
    return [
      s.id, s.table, s.purpose, s.kind === 'fetch' ? `${s.api === 'docs' ? 'Docs' : 'Mailbox'} GET ${s.endpoint}` : s.endpoint,
      params.filter((x) => x).join(' | ') || null,
      s.dependsOn.length ? s.dependsOn.join(', ') : null,
      s.pageLimit ?? null,
      s.estimatedRequests,
      s.pushed.join(' AND ') || null,
      s.localOnly.join(' AND ') || null,
      [
        ...(s.estimate === 'guess' ? [`≈ ${s.estimatedRequests} requests (a guess: page count not yet known).`] : []),
        ...(s.estimate === 'learned' ? [`${s.estimatedRequests} requests when this step last ran.`] : []),
        ...s.notes,
      ].join(' ') || null,
    ];
  });
  if (p.notes.length) rows.push([null, null, null, null, null, null, null, p.estimatedRequests, null, null, p.notes.join(' ')]);
  return rows;
}
