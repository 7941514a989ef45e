// Counts from `page.totalElements`: a statement that only counts rows of one
// table by columns the API filters on exactly (`SELECT Status, count(*) FROM
// Conversations GROUP BY 1`) needs one request per group, not every page.
//
// The planner (planner.ts, `planCount`) decides the requests from the shape
// found here; the fetchers run them with `countRows`. SQLite still evaluates
// the statement unchanged, over stand-in rows: for each request, as many rows
// as `page.totalElements` says, holding only the columns the statement reads
// (each constant within a request), every other column NULL. That is exact
// only when nothing else is read, which `countStatement` checks: one table, no
// join (but json_each of a JSON list column), no sub-select, CTE or window,
// every WHERE conjunct a column compared with literals, and every column read
// outside WHERE either grouped or fixed by WHERE to one value.
import { Parser } from 'node-sql-parser/build/sqlite';
import { AGGREGATES, asArray, functionName, isNode, JSON_EACH_COLUMNS, type Node, str } from './ast';
import { findColumn, getTable, pick, type SqlValue, type TableDef } from './catalog';
import type { PageResult, StreamRequest } from './execute';
import type { Analysis } from './parse';
import type { PlanStep } from './planner';


const parser = new Parser();
const OPT = { database: 'sqlite' };

// An unqualified json_each column name (JSON_EACH_COLUMNS) is ambiguous next to a table column of that name.

/** What a counting statement reads, for the planner. */
export interface CountStatement {
  /** Columns of the table read outside WHERE (SELECT, GROUP BY, HAVING, ORDER BY, LIMIT). */
  readonly read: readonly string[];
  /** Columns of the table in GROUP BY. */
  readonly grouped: readonly string[];
  /** `json_each(<this JSON column>)` is joined to every row; its `value` is read only where grouped. */
  readonly each?: string;
  /** Top-level WHERE conjuncts (each must have become a pushed predicate). */
  readonly conjuncts: number;
}

function splitAnd(expr: unknown): unknown[] {
  if (isNode(expr) && expr['type'] === 'binary_expr' && expr['operator'] === 'AND') return [...splitAnd(expr['left']), ...splitAnd(expr['right'])];
  return expr === null || expr === undefined ? [] : [expr];
}

/** True when a node holds a sub-select or a window anywhere. */
function nested(v: unknown, top: boolean): boolean {
  if (Array.isArray(v)) return v.some((x) => nested(x, false));
  if (!isNode(v)) return false;
  if (!top && (v['type'] === 'select' || isNode(v['ast']))) return true;
  if (v['over'] !== undefined && v['over'] !== null) return true;
  return Object.entries(v).some(([k, x]) => k !== 'loc' && nested(x, false));
}

function hasAggregate(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasAggregate);
  if (!isNode(v)) return false;
  if (v['type'] === 'aggr_func') return true;
  if (v['type'] === 'function') {
    const name = functionName(v);
    if (name && AGGREGATES.has(name)) return true;
  }
  return Object.values(v).some(hasAggregate);
}

/**
 * The shape of a statement that only counts rows of its one table, or
 * undefined. Anything not understood means undefined: the statement is then
 * planned as usual (listing), never answered differently.
 */
export function countStatement(a: Analysis): CountStatement | undefined {
  const ref = a.refs[0];
  if (!a.parsed || a.kind === 'explainQueryPlan' || a.refs.length !== 1 || !ref) return undefined;
  const def = getTable(ref.table);
  let ast: unknown;
  try {
    ast = parser.astify(a.sql, OPT);
  } catch {
    return undefined;
  }
  const top = Array.isArray(ast) ? (ast.length === 1 ? ast[0] : undefined) : ast;
  if (!isNode(top) || top['type'] !== 'select' || asArray(top['with']).length > 0 || top['_next']) return undefined;
  if (nested(top, true)) return undefined;

  // FROM: the table, optionally with json_each(<table>.<JSON column>) (comma, CROSS or INNER join without ON).
  const from = asArray(top['from']).filter(isNode);
  const [first, second] = from;
  if (!first || from.length > 2) return undefined;
  const table = str(first['table']);
  const db = str(first['db']);
  if (!table || isNode(first['expr']) || (db !== undefined && db.toLowerCase() !== 'main') || table.toLowerCase() !== def.name.toLowerCase()) return undefined;
  const alias = (str(first['as']) ?? table).toLowerCase();
  let each: { alias: string; column: string } | undefined;
  if (second) {
    const expr = second['expr'];
    const join = (str(second['join']) ?? '').toUpperCase();
    if (!isNode(expr) || expr['type'] !== 'function' || functionName(expr) !== 'json_each') return undefined;
    if (second['on'] !== undefined && second['on'] !== null) return undefined;
    if (join !== '' && join !== 'JOIN' && join !== 'INNER JOIN' && join !== 'CROSS JOIN') return undefined;
    const args = isNode(expr['args']) ? asArray(expr['args']['value']) : [];
    const arg = args[0];
    if (args.length !== 1 || !isNode(arg) || arg['type'] !== 'column_ref') return undefined;
    const t = str(arg['table']);
    const c = str(arg['column']);
    const col = c ? findColumn(def, c) : undefined;
    if ((t !== undefined && t !== null && t.toLowerCase() !== alias) || !col?.json) return undefined;
    each = { alias: (str(second['as']) ?? 'json_each').toLowerCase(), column: col.name };
  }
  if (!hasAggregate(top['columns']) && !isNode(top['groupby'])) return undefined;

  const columns = asArray(top['columns']).filter(isNode);
  const aliases = new Map<string, unknown>();
  for (const c of columns) {
    const as = str(c['as']);
    if (as) aliases.set(as.toLowerCase(), c['expr']);
  }

  type Ref = { kind: 'column'; name: string } | { kind: 'value' } | { kind: 'alias' } | { kind: 'literal' };
  /** What an identifier names, or undefined when it is not one this shortcut can stand in for. */
  const resolve = (node: Node): Ref | undefined => {
    if (node['type'] === 'double_quote_string') {
      const v = str(node['value']) ?? '';
      const c = findColumn(def, v);
      if (c && !(each && JSON_EACH_COLUMNS.has(v.toLowerCase()))) return { kind: 'column', name: c.name };
      if (each && JSON_EACH_COLUMNS.has(v.toLowerCase())) return undefined;
      return aliases.has(v.toLowerCase()) ? { kind: 'alias' } : { kind: 'literal' };
    }
    const name = str(node['column']) ?? (isNode(node['column']) && isNode(node['column']['expr']) ? str(node['column']['expr']['value']) : undefined);
    if (!name || name === '*') return undefined;
    const t = str(node['table'])?.toLowerCase();
    if (t !== undefined) {
      if (each && t === each.alias) return name.toLowerCase() === 'value' ? { kind: 'value' } : undefined;
      if (t !== alias) return undefined;
      const c = findColumn(def, name);
      return c ? { kind: 'column', name: c.name } : undefined;
    }
    if (each && JSON_EACH_COLUMNS.has(name.toLowerCase())) {
      return name.toLowerCase() === 'value' && !findColumn(def, name) ? { kind: 'value' } : undefined;
    }
    const c = findColumn(def, name);
    if (c) return { kind: 'column', name: c.name };
    return aliases.has(name.toLowerCase()) ? { kind: 'alias' } : undefined;
  };

  const read = new Set<string>();
  let valueRead = false;
  let ok = true;
  const visit = (v: unknown): void => {
    if (!ok) return;
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (!isNode(v)) return;
    if (v['type'] === 'column_ref' || v['type'] === 'double_quote_string') {
      const r = resolve(v);
      if (!r) ok = false;
      else if (r.kind === 'column') read.add(r.name);
      else if (r.kind === 'value') valueRead = true;
      return;
    }
    for (const [k, x] of Object.entries(v)) if (k !== 'loc') visit(x);
  };
  for (const part of [top['columns'], top['groupby'], top['having'], top['orderby'], top['limit']]) visit(part);
  if (!ok) return undefined;

  // GROUP BY: columns of the table or json_each's value, by name, result position or result alias.
  const grouped = new Set<string>();
  let valueGrouped = false;
  const groupItems = isNode(top['groupby']) ? asArray(top['groupby']['columns']) : [];
  for (const g of groupItems) {
    if (!isNode(g)) return undefined;
    let expr: unknown = g;
    if (g['type'] === 'number') {
      const i = typeof g['value'] === 'number' ? g['value'] : NaN;
      expr = Number.isInteger(i) ? columns[i - 1]?.['expr'] : undefined;
    }
    if (!isNode(expr) || (expr['type'] !== 'column_ref' && expr['type'] !== 'double_quote_string')) return undefined;
    let r = resolve(expr);
    if (r?.kind === 'alias') {
      const target = aliases.get((str(expr['column']) ?? str(expr['value']) ?? '').toLowerCase());
      r = isNode(target) && (target['type'] === 'column_ref' || target['type'] === 'double_quote_string') ? resolve(target) : undefined;
    }
    if (r?.kind === 'column') grouped.add(r.name);
    else if (r?.kind === 'value') valueGrouped = true;
    else return undefined;
  }
  // json_each's value read but not grouped would be one arbitrary value: not something stand-ins reproduce.
  if (valueRead && !valueGrouped) return undefined;
  return {
    read: [...read],
    grouped: [...grouped],
    ...(each ? { each: each.column } : {}),
    conjuncts: splitAnd(top['where']).length,
  };
}

/** One page of a request stream, as the fetcher or the reference executor gets it. */
export type StreamPage = (stream: StreamRequest, page: number) => Promise<PageResult>;

function standIn(def: TableDef, spec: NonNullable<PlanStep['count']>, params: Readonly<Record<string, string>>): SqlValue[] {
  return def.columns.map((c) => {
    const f = spec.fill.find((x) => x.column === c.name);
    const v = f?.param !== undefined ? params[f.param] : f?.value;
    if (f === undefined || v === undefined) return null;
    if (f.as === 'jsonList') return JSON.stringify([v]);
    if (f.as === 'int') return /^-?\d+$/.test(v) ? Number(v) : v;
    return v;
  });
}

/** Every page of a stream from page 1 on (page 1 may be known already). */
async function allItems(stream: StreamRequest, page: StreamPage, first?: PageResult): Promise<unknown[]> {
  const r1 = first ?? (await page(stream, 1));
  const items = [...r1.items];
  if (r1.totalPages !== undefined) {
    const rest: number[] = [];
    for (let p = 2; p <= r1.totalPages; p++) rest.push(p);
    for (const r of await Promise.all(rest.map((p) => page(stream, p)))) items.push(...r.items);
    return items;
  }
  for (let p = 2, more = r1.hasNext; more; p++) {
    const r = await page(stream, p);
    items.push(...r.items);
    more = r.hasNext && r.items.length > 0;
  }
  return items;
}

/** Rows of a stream's count: `page.totalElements`, or, where a response has no page block, its items counted. */
async function countOf(stream: StreamRequest, page: StreamPage): Promise<number> {
  const r1 = await page(stream, 1);
  if (r1.totalElements !== undefined) return r1.totalElements;
  const items = await allItems(stream, page, r1);
  return new Set(items.map((it) => JSON.stringify(pick(it, 'id') ?? null))).size;
}

/**
 * Runs a count step: the rows SQLite counts. `streams` are the step's
 * requests (one per group); `totals` the unsplit requests, asked first when
 * the groups come from a list. With totals, when listing the remaining pages
 * would cost no more than the counts, or (for groups that split a total into
 * disjoint parts) when the counts do not add up to the total, the totals are
 * listed instead and the rows are the real ones: an answer is never a guess.
 */
export async function countRows(
  step: PlanStep,
  streams: readonly StreamRequest[],
  totals: readonly StreamRequest[] | undefined,
  page: StreamPage,
  /** Maps listed items to rows (duplicates across calls dropped), as the executor does for any list. */
  toRows: (items: readonly unknown[], params: Readonly<Record<string, string>>) => SqlValue[][],
): Promise<SqlValue[][]> {
  const spec = step.count;
  const def = getTable(step.table);
  if (!spec) return [];
  const list = async (firsts: readonly PageResult[]): Promise<SqlValue[][]> => {
    const rows: SqlValue[][] = [];
    for (const [i, t] of (totals ?? []).entries()) {
      for (const r of toRows(await allItems(t, page, firsts[i]), t.params)) rows.push(r);
    }
    return rows;
  };
  let firsts: PageResult[] = [];
  if (totals) {
    firsts = await Promise.all(totals.map((t) => page(t, 1)));
    const remaining = firsts.reduce((n, r) => n + Math.max(0, (r.totalPages ?? Number.POSITIVE_INFINITY) - 1), 0);
    if (firsts.some((r) => r.totalElements === undefined) || streams.length >= remaining) return list(firsts);
    // Values from a list that the filter would not take one by one (a comma splits a tag filter; the tag
    // filter ignores case, so two names differing only in case would each count both): list instead.
    const bound = step.bind ? [...new Set(streams.map((s) => s.query[step.bind?.name ?? ''] ?? ''))] : [];
    if (bound.some((v) => v.includes(',')) || new Set(bound.map((v) => v.toLowerCase())).size !== bound.length) return list(firsts);
  }
  const counts = await Promise.all(streams.map((s) => countOf(s, page)));
  if (totals && spec.partition) {
    const bound = step.bind?.name;
    const keyOf = (q: Readonly<Record<string, string>>): string =>
      JSON.stringify(Object.entries(q).filter(([k]) => k !== bound && k !== 'page').sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    const sums = new Map<string, number>();
    streams.forEach((s, i) => sums.set(keyOf(s.query), (sums.get(keyOf(s.query)) ?? 0) + (counts[i] ?? 0)));
    if (totals.some((t, i) => (sums.get(keyOf(t.query)) ?? 0) !== firsts[i]?.totalElements)) return list(firsts);
  }
  const rows: SqlValue[][] = [];
  streams.forEach((s, i) => {
    const row = standIn(def, spec, s.params);
    // The same array n times: SQLite only counts them, and a million stand-ins stay small.
    for (let n = counts[i] ?? 0; n > 0; n--) rows.push(row);
  });
  return rows;
}
