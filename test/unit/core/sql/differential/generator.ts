// Random SELECT statements over the whole catalog, for the differential test
// (the engine's answer against the same SQL over a full export of the
// sandbox). A statement is kept as a small tree (FROM items, conditions,
// sub-selects, CTEs) so a failing one can be shrunk by dropping parts, and
// rendered to SQL text for both sides.
//
// Literals come from the data itself (`Samples`), so filters select real
// rows; every column the planner can push is filtered with each operator it
// pushes, and the filter columns whose value comes from the request
// (Users.MailboxId, Articles.CategoryId) are marked where a condition fills
// them, which decides how the reference answer loads those tables.
import type { Rng } from '../../../../../src/sandbox/random';
import type { PredicateOp, SqlType, SqlValue } from '../../../../../src/core/sql';
import { allTables, echoColumn, linksOf, type ColumnInfo, type TableInfo } from './schema';

/** Distinct non-NULL values of a catalog column in the data. */
export interface Samples {
  values(table: string, column: string): readonly SqlValue[];
}

interface Col extends ColumnInfo {
  /** The catalog column the value comes from (for literals and links). */
  readonly origin: { readonly table: string; readonly column: string };
}

/** A row source visible to conditions: a catalog table, a CTE or json_each. */
interface Source {
  readonly alias: string;
  /** Catalog table name, or undefined for CTEs and json_each. */
  readonly table: string | undefined;
  readonly cols: readonly Col[];
  /** Columns are written `alias.Col` (false: bare `Col`, in a SELECT over this source alone). */
  qualified: boolean;
}

export interface Pred {
  readonly kind: 'pred';
  readonly sql: string;
  readonly refs: string[];
  /** `alias.E = literal` / `IN (literals)` on a request-filled column E of that alias. */
  readonly echoLit?: string;
  /** `alias.E = other.col` on a request-filled column E, the other side a catalog table that can supply the values. */
  readonly echoJoin?: string;
}

export type Cond =
  | Pred
  /** `loose`: written without parentheses, so next to other conditions AND binds tighter. */
  | { readonly kind: 'or'; readonly items: Cond[]; readonly loose?: boolean }
  | { readonly kind: 'in'; readonly not: boolean; readonly left: string; readonly refs: string[]; readonly sub: Select; readonly echo?: string }
  | { readonly kind: 'exists'; readonly not: boolean; readonly sub: Select };

export interface FromItem {
  readonly kind: 'table' | 'cte' | 'json_each';
  /** Catalog table, CTE name, or the json_each argument (`t1.Tags`). */
  readonly table: string;
  readonly alias: string;
  /** Render without an alias (the table name is the qualifier). */
  readonly bare: boolean;
  readonly join: 'first' | 'JOIN' | 'LEFT JOIN' | ',';
  readonly on: Cond[];
  readonly refs: string[];
}

export interface Item {
  readonly sql: string;
  readonly refs: string[];
  readonly agg: boolean;
  /** A scalar sub-select (its text is `sql`). */
  readonly sub?: Select;
}

export type Order = { readonly kind: 'none' } | { readonly kind: 'all' } | { readonly kind: 'key'; readonly index: number; readonly desc: boolean };

export interface Cte {
  readonly name: string;
  readonly body: Select;
}

export interface Select {
  readonly ctes: Cte[];
  readonly distinct: boolean;
  /** '*' or explicit items. */
  readonly items: Item[] | '*';
  readonly from: FromItem[];
  readonly where: Cond[];
  readonly groupBy: Item[];
  /** HAVING condition text (over aggregates). */
  readonly having?: string;
  readonly order: Order;
  readonly limit?: number;
  readonly offset?: number;
  /** Further SELECTs joined with UNION ALL (no ORDER BY or LIMIT then). */
  readonly unionAll?: Select[];
}

// ---------------------------------------------------------------- rendering

function renderCond(c: Cond): string {
  switch (c.kind) {
    case 'pred':
      return c.sql;
    case 'or':
      return c.loose ? c.items.map(renderCond).join(' OR ') : `(${c.items.map(renderCond).join(' OR ')})`;
    case 'in':
      return `${c.left} ${c.not ? 'NOT IN' : 'IN'} (${render(c.sub)})`;
    case 'exists':
      return `${c.not ? 'NOT ' : ''}EXISTS (${render(c.sub)})`;
  }
}

function renderFrom(f: FromItem): string {
  const src = f.kind === 'json_each' ? `json_each(${f.table})` : f.table;
  const named = f.bare ? src : `${src} ${f.alias}`;
  if (f.join === 'first') return named;
  if (f.join === ',') return `, ${named}`;
  const on = f.on.length ? ` ON ${f.on.map(renderCond).join(' AND ')}` : '';
  return ` ${f.join} ${named}${on}`;
}

export function render(s: Select): string {
  const parts: string[] = [];
  if (s.ctes.length) parts.push(`WITH ${s.ctes.map((c) => `${c.name} AS (${render(c.body)})`).join(', ')}`);
  const items = s.items === '*' ? '*' : s.items.map((i) => i.sql).join(', ');
  parts.push(`SELECT ${s.distinct ? 'DISTINCT ' : ''}${items}`);
  parts.push(`FROM ${s.from.map(renderFrom).join('')}`);
  if (s.where.length) parts.push(`WHERE ${s.where.map(renderCond).join(' AND ')}`);
  if (s.groupBy.length) parts.push(`GROUP BY ${s.groupBy.map((g) => g.sql).join(', ')}`);
  if (s.having !== undefined) parts.push(`HAVING ${s.having}`);
  const items2 = s.items === '*' ? [] : s.items;
  if (s.order.kind === 'all' && items2.length) parts.push(`ORDER BY ${items2.map((i) => i.sql).join(', ')}`);
  if (s.order.kind === 'key') {
    const k = items2[s.order.index];
    if (k) parts.push(`ORDER BY ${k.sql}${s.order.desc ? ' DESC' : ''}`);
  }
  if (s.limit !== undefined) parts.push(`LIMIT ${s.limit}${s.offset !== undefined ? ` OFFSET ${s.offset}` : ''}`);
  for (const u of s.unionAll ?? []) parts.push(`UNION ALL ${render(u)}`);
  return parts.join(' ');
}

// ------------------------------------------------------ request-filled columns

/** How a statement uses a table with a request-filled column: every reference filters it, none does, or both. */
export type EchoMode = 'base' | 'param' | 'mixed';

function condParams(c: Cond, alias: string, table: string): boolean {
  switch (c.kind) {
    case 'pred':
      return c.echoLit === alias || c.echoJoin === alias;
    case 'or':
      return c.items.length > 0 && c.items.every((x) => x.kind === 'pred' && x.echoLit === alias);
    case 'in': {
      const sub = c.sub.from[0];
      return !c.not && c.echo === alias && c.sub.from.length === 1 && sub?.kind === 'table' && sub.table !== table;
    }
    case 'exists':
      return false;
  }
}

function visitSelects(s: Select, fn: (s: Select) => void): void {
  fn(s);
  for (const c of s.ctes) visitSelects(c.body, fn);
  for (const u of s.unionAll ?? []) visitSelects(u, fn);
  if (s.items !== '*') for (const i of s.items) if (i.sub) visitSelects(i.sub, fn);
  const conds = (cs: readonly Cond[]): void => {
    for (const c of cs) {
      if (c.kind === 'or') conds(c.items);
      if (c.kind === 'in' || c.kind === 'exists') visitSelects(c.sub, fn);
    }
  };
  conds(s.where);
  for (const f of s.from) conds(f.on);
}

/**
 * For each catalog table with a request-filled column: whether its references
 * fill it (a top-level `=`/`IN`, `IN (sub-select)` or join condition on it).
 */
export function echoModes(s: Select): Map<string, EchoMode> {
  const seen = new Map<string, Set<boolean>>();
  visitSelects(s, (sel) => {
    const inner = sel.from.filter((f) => f.join === 'JOIN' || f.join === ',').flatMap((f) => f.on);
    for (const f of sel.from) {
      if (f.kind !== 'table' || !echoColumn(f.table)) continue;
      const conds = [...sel.where, ...inner, ...(f.join === 'LEFT JOIN' ? f.on : [])];
      const param = conds.some((c) => condParams(c, f.alias, f.table));
      const set = seen.get(f.table) ?? new Set<boolean>();
      set.add(param);
      seen.set(f.table, set);
    }
  });
  const out = new Map<string, EchoMode>();
  for (const [t, set] of seen) out.set(t, set.size > 1 ? 'mixed' : set.has(true) ? 'param' : 'base');
  return out;
}

/** Catalog tables a statement reads. */
export function tablesOf(s: Select): string[] {
  const out = new Set<string>();
  visitSelects(s, (sel) => {
    for (const f of sel.from) if (f.kind === 'table') out.add(f.table);
  });
  return [...out];
}

/** How the answer's rows may be compared: as a multiset, in order, or in the order of one column. */
export type Comparison = { readonly kind: 'multiset' } | { readonly kind: 'ordered' } | { readonly kind: 'key'; readonly column: number; readonly limited: boolean };

export function comparisonOf(s: Select): Comparison {
  if (s.items !== '*' && s.order.kind === 'all' && s.items.length > 0) return { kind: 'ordered' };
  if (s.items !== '*' && s.order.kind === 'key') return { kind: 'key', column: s.order.index, limited: s.limit !== undefined };
  return { kind: 'multiset' };
}

// ---------------------------------------------------------------- shrinking

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Removes every condition, item and FROM item that mentions an alias (in this select and its sub-selects). */
function dropAlias(s: Select, alias: string): Select {
  const conds = (cs: Cond[]): Cond[] =>
    cs
      .filter((c) => !(c.kind === 'pred' && c.refs.includes(alias)) && !(c.kind === 'in' && c.refs.includes(alias)))
      .map((c) => {
        if (c.kind === 'or') return { ...c, items: conds(c.items) };
        if (c.kind === 'in' || c.kind === 'exists') return { ...c, sub: dropAlias(c.sub, alias) };
        return c;
      })
      .filter((c) => c.kind !== 'or' || c.items.length > 0);
  const keep = (i: Item): boolean => !i.refs.includes(alias);
  let items: Item[] | '*' = s.items;
  let order = s.order;
  if (items !== '*') {
    const before = items;
    items = items.filter(keep);
    if (order.kind === 'key') {
      const k = before[order.index];
      const idx = k ? items.indexOf(k) : -1;
      order = idx >= 0 ? { ...order, index: idx } : { kind: 'none' };
    }
    if (items.length === 0) items = [{ sql: 'count(*)', refs: [], agg: true }];
  }
  return {
    ...s,
    ctes: s.ctes.map((c) => ({ ...c, body: dropAlias(c.body, alias) })),
    items,
    order,
    from: s.from.filter((f) => f.alias !== alias && !f.refs.includes(alias)).map((f) => ({ ...f, on: conds(f.on) })),
    where: conds(s.where),
    groupBy: s.groupBy.filter(keep),
  };
}

/** Statements one step smaller than `s` (greedy shrinking tries them in order). */
export function shrinkSteps(s0: Select): Select[] {
  const s = clone(s0);
  const out: Select[] = [];
  const withSelect = (f: (x: Select) => Select): void => {
    out.push(f(clone(s)));
  };
  // Whole joins first: they remove the most.
  s.from.forEach((f, i) => {
    if (i === 0) return;
    withSelect((x) => dropAlias(x, f.alias));
  });
  s.where.forEach((_c, i) => withSelect((x) => ({ ...x, where: x.where.filter((_y, j) => j !== i) })));
  s.from.forEach((f, i) => {
    f.on.forEach((_c, j) => withSelect((x) => ({ ...x, from: x.from.map((g, k) => (k === i ? { ...g, on: g.on.filter((_y, m) => m !== j) } : g)) })));
    if (f.join === 'LEFT JOIN') withSelect((x) => ({ ...x, from: x.from.map((g, k) => (k === i ? { ...g, join: 'JOIN' as const } : g)) }));
  });
  if (s.unionAll?.length) withSelect((x) => ({ ...x, unionAll: [] }));
  if (s.limit !== undefined) withSelect((x) => ({ ...stripLimit(x) }));
  if (s.offset !== undefined) withSelect((x) => ({ ...stripOffset(x) }));
  if (s.order.kind !== 'none' && s.limit === undefined) withSelect((x) => ({ ...x, order: { kind: 'none' } }));
  if (s.distinct) withSelect((x) => ({ ...x, distinct: false }));
  if (s.having !== undefined) withSelect((x) => ({ ...stripHaving(x) }));
  if (s.items !== '*' && s.items.length > 1) {
    s.items.forEach((it, i) => {
      if (s.groupBy.some((g) => g.sql === it.sql)) return;
      withSelect((x) => {
        const items = x.items === '*' ? [] : x.items.filter((_y, j) => j !== i);
        let order = x.order;
        if (order.kind === 'key') order = order.index === i ? { kind: 'none' } : { ...order, index: order.index > i ? order.index - 1 : order.index };
        return { ...x, items, order };
      });
    });
  }
  // Inside conditions: OR branches, sub-selects.
  s.where.forEach((c, i) => {
    for (const smaller of shrinkCond(c)) withSelect((x) => ({ ...x, where: x.where.map((y, j) => (j === i ? smaller : y)) }));
  });
  s.ctes.forEach((c, i) => {
    for (const body of shrinkSteps(c.body)) withSelect((x) => ({ ...x, ctes: x.ctes.map((y, j) => (j === i ? { ...y, body } : y)) }));
  });
  return out;
}

function stripLimit(x: Select): Select {
  const { limit: _l, offset: _o, ...rest } = x;
  return rest;
}

function stripHaving(x: Select): Select {
  const { having: _h, ...rest } = x;
  return rest;
}

function stripOffset(x: Select): Select {
  const { offset: _o, ...rest } = x;
  return rest;
}

function shrinkCond(c: Cond): Cond[] {
  if (c.kind === 'or') return c.items;
  if (c.kind === 'in' || c.kind === 'exists') {
    const out: Cond[] = shrinkSteps(c.sub).map((sub) => ({ ...c, sub }));
    if (c.not) out.unshift({ ...c, not: false });
    return out;
  }
  return [];
}

// ---------------------------------------------------------------- generation

const NUMERIC: readonly SqlType[] = ['INTEGER', 'REAL', 'BOOLEAN'];

/** `a op b` is `b FLIPPED[op] a`. */
const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>', '!=': '!=' };

/** Tables weighted by how much the planner does for them. */
const WEIGHTS: Readonly<Record<string, number>> = {
  Conversations: 8, Users: 6, Articles: 6, Threads: 4, Customers: 3, Categories: 3, Collections: 2, Mailboxes: 2,
  MailboxFolders: 2, ConversationCustomFields: 2, CustomerEmails: 2, TeamMembers: 2, Workflows: 2, ArticleRevisions: 2,
};

/** Column names that are SQL keywords (Collections.Order) are double-quoted. */
function ident(name: string): string {
  return /^(order|to)$/i.test(name) ? `"${name}"` : name;
}

function quote(v: SqlValue): string {
  if (v === null) return 'NULL';
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}

export class StatementGenerator {
  private readonly tables: TableInfo[];
  private aliasN = 0;
  private cteN = 0;
  private usedNames = new Set<string>();

  constructor(
    private readonly rng: Rng,
    private readonly samples: Samples,
  ) {
    this.tables = allTables();
  }

  /** One statement. */
  statement(): Select {
    this.aliasN = 0;
    this.cteN = 0;
    this.usedNames = new Set();
    const r = this.rng.next();
    if (r < 0.12) return this.cteStatement();
    if (r < 0.17) return this.unionStatement();
    if (r < 0.32) return this.apiShapedStatement();
    return this.select(0, true);
  }

  /**
   * One table filtered only on columns the planner sends, as the API answers
   * them: sorted by a column the API sorts on with LIMIT (paging may stop
   * early), or count(*) per key value (counts from the page totals).
   */
  private apiShapedStatement(): Select {
    const sortable = this.tables.filter((t) => t.def.sort && Object.keys(t.def.sort.columns).length > 0);
    const t = this.rng.chance(0.6) ? this.rng.pick(sortable) : this.pickTable();
    const { src, bare } = this.source(t, true);
    if (this.rng.chance(0.4)) src.qualified = false;
    const counting = this.rng.chance(0.35);
    const where: Cond[] = [];
    const n = this.rng.pick(counting ? [0, 0, 1, 1, 2] : [0, 1, 1, 2, 2, 3]);
    for (let i = 0; i < n; i++) where.push(this.keyPred(src));
    const from: FromItem[] = [{ kind: 'table', table: t.name, alias: src.alias, bare, join: 'first', on: [], refs: [] }];
    const keys = src.cols.filter((c) => c.pushOps.includes('=') && !c.json);
    if (counting) {
      const group = keys.length && this.rng.chance(0.6) ? [this.rng.pick(keys)] : [];
      const groupBy = group.map((c) => ({ sql: this.col(src, c.name), refs: [src.alias], agg: false }));
      return { ctes: [], distinct: false, items: [...groupBy, { sql: 'count(*)', refs: [], agg: true }], from, where, groupBy, order: { kind: 'none' } };
    }
    const sortCols = Object.keys(t.def.sort?.columns ?? {});
    const key = sortCols.length ? this.rng.pick(sortCols) : this.rng.pick(src.cols).name;
    const others = this.rng.sample(src.cols, this.rng.int(0, 2)).map((c) => ({ sql: this.col(src, c.name), refs: [src.alias], agg: false }));
    return {
      ctes: [], distinct: false, items: [{ sql: this.col(src, key), refs: [src.alias], agg: false }, ...others], from, where, groupBy: [],
      order: { kind: 'key', index: 0, desc: this.rng.chance(0.6) },
      limit: this.rng.pick([1, 3, 10, 25, 60, 120]),
      ...(this.rng.chance(0.25) ? { offset: this.rng.int(1, 60) } : {}),
    };
  }

  /** `SELECT a, b FROM T1 ... UNION ALL SELECT c, d FROM T2 ...` with as many plain columns in each. */
  private unionStatement(): Select {
    const n = this.rng.int(1, 3);
    const part = (): Select => {
      const t = this.pickTable();
      const { src, bare } = this.source(t, true);
      return {
        ctes: [], distinct: false,
        items: Array.from({ length: n }, () => ({ sql: this.col(src, this.rng.pick(src.cols).name), refs: [src.alias], agg: false })),
        from: [{ kind: 'table', table: t.name, alias: src.alias, bare, join: 'first', on: [], refs: [] }],
        where: this.conds([src], 1, this.rng.int(0, 2)),
        groupBy: [], order: { kind: 'none' },
      };
    };
    return { ...part(), unionAll: [part()] };
  }

  private pickTable(): TableInfo {
    const total = this.tables.reduce((n, t) => n + (WEIGHTS[t.name] ?? 1), 0);
    let r = this.rng.next() * total;
    for (const t of this.tables) {
      r -= WEIGHTS[t.name] ?? 1;
      if (r < 0) return t;
    }
    return this.tables[0] as TableInfo;
  }

  private table(name: string): TableInfo {
    const t = this.tables.find((x) => x.name === name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  private col(src: Source, name: string): string {
    return src.qualified ? `${src.alias}.${ident(name)}` : ident(name);
  }

  private newAlias(): string {
    this.aliasN++;
    return `t${this.aliasN}`;
  }

  private source(t: TableInfo, bareOk: boolean): { src: Source; bare: boolean } {
    const bare = bareOk && !this.usedNames.has(t.name.toLowerCase()) && this.rng.chance(0.2);
    const alias = bare ? t.name : this.newAlias();
    this.usedNames.add(alias.toLowerCase());
    return { src: { alias, table: t.name, cols: t.columns.map((c) => ({ ...c, origin: { table: t.name, column: c.name } })), qualified: true }, bare };
  }

  private cteStatement(): Select {
    this.cteN++;
    const name = `cte${this.cteN}`;
    const t = this.pickTable();
    const { src, bare } = this.source(t, true);
    const cols = this.rng.sample(src.cols.filter((c) => !c.json), this.rng.int(2, 4));
    if (this.rng.chance(0.3)) src.qualified = false;
    const body: Select = {
      ctes: [],
      distinct: this.rng.chance(0.1),
      items: cols.map((c) => ({ sql: `${this.col(src, c.name)} AS ${ident(c.name)}`, refs: [src.alias], agg: false })),
      from: [{ kind: 'table', table: t.name, alias: src.alias, bare, join: 'first', on: [], refs: [] }],
      where: this.conds([src], 1, this.rng.int(0, 2)),
      groupBy: [],
      order: { kind: 'none' },
    };
    const cteAlias = this.newAlias();
    const cteSrc: Source = { alias: cteAlias, table: undefined, cols, qualified: true };
    const from: FromItem[] = [{ kind: 'cte', table: name, alias: cteAlias, bare: false, join: 'first', on: [], refs: [] }];
    const sources: Source[] = [cteSrc];
    // Join the CTE with a table it links to.
    const linkable = cols.flatMap((c) => linksOf(c.origin.table).filter((l) => l.column === c.origin.column).map((l) => ({ c, l })));
    if (linkable.length && this.rng.chance(0.5)) {
      const { c, l } = this.rng.pick(linkable);
      const { src: other } = this.source(this.table(l.other), false);
      const on: Pred = this.joinPred(other, l.otherColumn, cteSrc, c.name);
      from.push({ kind: 'table', table: l.other, alias: other.alias, bare: false, join: this.rng.chance(0.3) ? 'LEFT JOIN' : 'JOIN', on: [on], refs: [] });
      sources.push(other);
    }
    const where = this.conds(sources, 1, this.rng.int(0, 2));
    const shape = this.selectList(sources, true);
    return { ctes: [{ name, body }], from, where, ...shape };
  }

  /** A SELECT over 1-3 sources with conditions. */
  private select(depth: number, top: boolean): Select {
    const t = this.pickTable();
    const first = this.source(t, true);
    const from: FromItem[] = [{ kind: 'table', table: t.name, alias: first.src.alias, bare: first.bare, join: 'first', on: [], refs: [] }];
    const sources: Source[] = [first.src];
    const joins = depth === 0 ? this.rng.pick([0, 0, 1, 1, 1, 2]) : this.rng.pick([0, 0, 0, 1]);
    const where: Cond[] = [];
    for (let i = 0; i < joins; i++) where.push(...this.addJoin(sources, from, depth));
    if (from.length === 1 && this.rng.chance(0.3)) first.src.qualified = false;
    where.push(...this.conds(sources, depth, this.rng.pick([0, 1, 1, 2, 2, 3])));
    this.loosen(where);
    const shape = this.selectList(sources, top);
    return { ctes: [], from, where, ...shape };
  }

  /** Adds a join to `from`; returns the conditions that belong in WHERE (those of a comma join). */
  private addJoin(sources: Source[], from: FromItem[], depth: number): Cond[] {
    const base = this.rng.pick(sources.filter((s) => s.table !== undefined));
    const table = base.table ?? '';
    // json_each over a JSON array column.
    if (table === 'Conversations' && this.rng.chance(0.15)) {
      const alias = this.newAlias();
      from.push({ kind: 'json_each', table: `${base.alias}.Tags`, alias, bare: false, join: ',', on: [], refs: [base.alias] });
      sources.push({ alias, table: undefined, cols: [{ name: 'value', type: 'TEXT', json: false, pushOps: [], echo: false, origin: { table: 'Tags', column: 'Name' } }], qualified: true });
      return [];
    }
    const links = linksOf(table);
    const self = links.length === 0 || this.rng.chance(0.3);
    let other: Source;
    const on: Cond[] = [];
    if (self) {
      const info = this.table(table);
      other = this.source(info, false).src;
      const pk = this.rng.chance(0.8) ? info.primaryKey.filter((k) => k !== echoColumn(table)) : [this.rng.pick(info.columns).name];
      for (const k of pk) on.push(this.joinPred(other, k, base, k));
    } else {
      const l = this.rng.pick(links);
      other = this.source(this.table(l.other), false).src;
      on.push(this.joinPred(other, l.otherColumn, base, l.column));
    }
    const kind = this.rng.pick(['JOIN', 'JOIN', 'LEFT JOIN', ','] as const);
    // Filters on the joined table: in ON for joins, in WHERE (added by the caller's conds) otherwise.
    if (kind !== ',' && this.rng.chance(0.5)) on.push(...this.conds([other], depth + 1, 1));
    sources.push(other);
    if (kind === ',') {
      from.push({ kind: 'table', table: other.table ?? '', alias: other.alias, bare: false, join: ',', on: [], refs: [] });
      return on;
    }
    from.push({ kind: 'table', table: other.table ?? '', alias: other.alias, bare: false, join: kind, on, refs: [] });
    return [];
  }

  /** `a.colA = b.colB`, marked when it fills a request-filled column of `a` (or `b`). */
  private joinPred(a: Source, colA: string, b: Source, colB: string): Pred {
    const sql = `${this.col(a, colA)} = ${b.alias}.${ident(colB)}`;
    const fills = (x: Source, col: string, y: Source): boolean =>
      x.table !== undefined && echoColumn(x.table) === col && y.table !== undefined && y.table !== x.table;
    const echoJoin = fills(a, colA, b) ? a.alias : fills(b, colB, a) ? b.alias : undefined;
    return { kind: 'pred', sql, refs: [a.alias, b.alias], ...(echoJoin ? { echoJoin } : {}) };
  }

  private conds(sources: Source[], depth: number, n: number): Cond[] {
    const out: Cond[] = [];
    // Tables with a request-filled column: often filtered on it (literals, a sub-select), the case the planner must fill.
    for (const src of sources) {
      const echo = src.table ? echoColumn(src.table) : undefined;
      const c = echo ? src.cols.find((x) => x.name === echo) : undefined;
      if (!c || !this.rng.chance(0.3)) continue;
      out.push(this.rng.chance(0.7) || depth >= 2 ? this.pred(src, c, this.rng.pick(['=', 'IN'] as const)) : this.inSub(src, depth, c));
    }
    for (let i = 0; i < n; i++) {
      const r = this.rng.next();
      const src = this.rng.pick(sources);
      if (r < 0.47) out.push(this.pred(src));
      else if (r < 0.55) out.push(this.opaque(src));
      else if (r < 0.65) out.push(this.or(src));
      else if (r < 0.8 && depth < 2) out.push(this.inSub(src, depth));
      else if (r < 0.9 && depth < 2) out.push(this.exists(src, depth));
      else out.push(this.keyPred(src));
    }
    return out;
  }

  /**
   * Sometimes writes one OR of a WHERE without parentheses (`a AND b OR c AND d`),
   * where no condition fills a request-filled column (its meaning changes with the grouping).
   */
  private loosen(where: Cond[]): void {
    const fills = (c: Cond): boolean =>
      (c.kind === 'pred' && (c.echoLit !== undefined || c.echoJoin !== undefined)) || (c.kind === 'in' && c.echo !== undefined) || (c.kind === 'or' && c.items.some(fills));
    const i = where.findIndex((c) => c.kind === 'or');
    const c = where[i];
    if (c?.kind !== 'or' || where.some(fills) || !this.rng.chance(0.3)) return;
    where[i] = { ...c, loose: true };
  }

  /** A predicate on a column the planner pushes, with an operator it pushes (or on the request-filled column). */
  private keyPred(src: Source): Cond {
    const echo = src.table ? echoColumn(src.table) : undefined;
    const keyCols = src.cols.filter((c) => c.pushOps.length > 0);
    if (echo && this.rng.chance(0.6)) {
      const c = src.cols.find((x) => x.name === echo);
      if (c) return this.pred(src, c, this.rng.pick(['=', 'IN'] as const));
    }
    if (!keyCols.length) return this.pred(src);
    const c = this.rng.pick(keyCols);
    return this.pred(src, c, this.rng.pick(c.pushOps));
  }

  private or(src: Source): Cond {
    const col = this.rng.chance(0.5) ? this.rng.pick(src.cols.filter((c) => !c.json)) : undefined;
    const items: Cond[] = [];
    const n = this.rng.int(2, 3);
    for (let i = 0; i < n; i++) items.push(col ? this.pred(src, col, this.rng.pick(['=', 'IN'] as const)) : this.pred(src));
    return { kind: 'or', items };
  }

  private value(c: Col): SqlValue {
    const vals = this.samples.values(c.origin.table, c.origin.column);
    if (vals.length === 0 || this.rng.chance(0.08)) {
      if (NUMERIC.includes(c.type)) return this.rng.pick([0, 1, 999999]);
      if (c.type === 'DATETIME') return this.rng.pick(['2026-01-01', '2025-06-15T12:00:00Z']);
      return this.rng.pick(['zz-none', 'x']);
    }
    const v = this.rng.pick(vals);
    if (c.type === 'DATETIME' && typeof v === 'string') {
      const r = this.rng.next();
      if (r < 0.3) return v.slice(0, 10);
      if (r < 0.45) return `${v.slice(0, 10)} ${v.slice(11, 16)}`;
      if (r < 0.55) return v.slice(0, 16);
      if (r < 0.6) return `${v.slice(0, 19)}.500Z`;
      return v;
    }
    if (c.type === 'INTEGER' && typeof v === 'number') {
      const r = this.rng.next();
      if (r < 0.1) return v + 1;
      if (r < 0.13) return v + 0.5;
    }
    // Another case: the API may match it where SQLite does not, never the reverse.
    if (c.type === 'TEXT' && typeof v === 'string' && !c.json && this.rng.chance(0.04)) return v.toUpperCase();
    return v;
  }

  private lit(c: Col, v: SqlValue): string {
    if (c.type === 'INTEGER' && typeof v === 'number' && this.rng.chance(0.05)) return `'${v}'`;
    return quote(v);
  }

  private likePattern(c: Col): string {
    const vals = this.samples.values(c.origin.table, c.origin.column).filter((v): v is string => typeof v === 'string');
    const v = vals.length ? this.rng.pick(vals) : 'a';
    const words = v.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
    let w = words.length ? this.rng.pick(words) : v;
    if (this.rng.chance(0.3) && w.length > 3) w = w.slice(0, this.rng.int(2, w.length - 1));
    if (this.rng.chance(0.2)) w = w.toUpperCase();
    const r = this.rng.next();
    if (r < 0.6) return `%${w}%`;
    if (r < 0.75) return `${w}%`;
    if (r < 0.85) return `%${w}`;
    return v;
  }

  /** A `column op literal` predicate; the operator is one the column's type allows. */
  private pred(src: Source, col?: Col, opIn?: PredicateOp | 'IS NULL' | 'IS NOT NULL' | 'NOT IN'): Pred {
    const c = col ?? this.pickColumn(src);
    const name = this.col(src, c.name);
    const op = opIn ?? this.pickOp(c);
    const echo = src.table !== undefined && c.echo && c.origin.table === src.table ? src.alias : undefined;
    const refs = [src.alias];
    switch (op) {
      case 'IS NULL':
      case 'IS NOT NULL':
        return { kind: 'pred', sql: `${name} ${op}`, refs };
      case 'IN':
      case 'NOT IN': {
        // Sometimes more values than the planner fans out to (20).
        const n = this.rng.chance(0.08) ? this.rng.int(21, 30) : this.rng.int(1, 4);
        const vs = Array.from({ length: n }, () => this.lit(c, this.value(c)));
        return { kind: 'pred', sql: `${name} ${op} (${vs.join(', ')})`, refs, ...(op === 'IN' && echo ? { echoLit: echo } : {}) };
      }
      case 'BETWEEN': {
        const [a, b] = [this.value(c), this.value(c)];
        const [lo, hi] = this.rng.chance(0.8) && a !== null && b !== null && b < a ? [b, a] : [a, b];
        return { kind: 'pred', sql: `${name} BETWEEN ${this.lit(c, lo)} AND ${this.lit(c, hi)}`, refs };
      }
      case 'LIKE':
        return { kind: 'pred', sql: `${name} LIKE ${quote(this.likePattern(c))}`, refs };
      case '=': {
        const flip = this.rng.chance(0.1);
        // COLLATE NOCASE compares otherwise than the API: SQLite alone may apply it.
        const v = this.lit(c, this.value(c)) + (c.type === 'TEXT' && !echo && this.rng.chance(0.05) ? ' COLLATE NOCASE' : '');
        return { kind: 'pred', sql: flip ? `${v} = ${name}` : `${name} = ${v}`, refs, ...(echo ? { echoLit: echo } : {}) };
      }
      default: {
        // The literal first sometimes (the operator turns round), and the other spellings SQLite takes.
        const spelled = op === '<>' && this.rng.chance(0.3) ? '!=' : op;
        const v = this.lit(c, this.value(c));
        if (this.rng.chance(0.15)) return { kind: 'pred', sql: `${v} ${FLIPPED[spelled] ?? spelled} ${name}`, refs };
        return { kind: 'pred', sql: `${name} ${spelled} ${v}`, refs };
      }
    }
  }

  /** A condition the planner cannot send (functions, arithmetic, NOT, two columns): SQLite alone applies it. */
  private opaque(src: Source): Pred {
    const c = this.pickColumn(src);
    const name = this.col(src, c.name);
    const refs = [src.alias];
    const v = this.value(c);
    const r = this.rng.next();
    if (r < 0.25 && typeof v === 'string') return { kind: 'pred', sql: `lower(${name}) = ${quote(v.toLowerCase())}`, refs };
    if (r < 0.45) return { kind: 'pred', sql: `NOT (${name} = ${this.lit(c, v)})`, refs };
    if (r < 0.6) return { kind: 'pred', sql: `coalesce(${name}, ${quote(v)}) = ${quote(v)}`, refs };
    if (r < 0.75 && NUMERIC.includes(c.type)) return { kind: 'pred', sql: `${name} + 0 >= ${this.lit(c, v)}`, refs };
    const other = this.rng.pick(src.cols.filter((x) => x.type === c.type));
    return { kind: 'pred', sql: `${name} ${this.rng.pick(['=', '<>', '<'])} ${this.col(src, other.name)}`, refs };
  }

  private pickColumn(src: Source): Col {
    const keys = src.cols.filter((c) => c.pushOps.length > 0 && !c.echo);
    if (keys.length && this.rng.chance(0.5)) return this.rng.pick(keys);
    return this.rng.pick(src.cols);
  }

  private pickOp(c: Col): PredicateOp | 'IS NULL' | 'IS NOT NULL' | 'NOT IN' {
    if (c.pushOps.length && !c.echo && this.rng.chance(0.6)) return this.rng.pick(c.pushOps);
    if (c.json) return this.rng.pick(['LIKE', 'IS NULL', 'IS NOT NULL'] as const);
    if (c.type === 'DATETIME') return this.rng.pick(['>', '>=', '<', '<=', 'BETWEEN', '=', 'IS NULL'] as const);
    if (NUMERIC.includes(c.type)) return this.rng.pick(['=', '<>', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'BETWEEN', 'IS NULL'] as const);
    return this.rng.pick(['=', '<>', 'IN', 'NOT IN', 'LIKE', 'LIKE', '<', '>', 'IS NULL', 'IS NOT NULL'] as const);
  }

  /** `col [NOT] IN (SELECT ...)`: over a table the column links to, or the column's own table (a second reference). */
  private inSub(src: Source, depth: number, column?: Col): Cond {
    const c = column ?? this.pickColumn(src);
    const links = linksOf(c.origin.table).filter((l) => l.column === c.origin.column);
    const useLink = links.length > 0 && this.rng.chance(0.6);
    const target = useLink ? this.rng.pick(links) : { other: c.origin.table, otherColumn: c.origin.column };
    const info = this.table(target.other);
    const inner = this.source(info, true);
    const sub: Select = {
      ctes: [],
      distinct: this.rng.chance(0.2),
      items: [{ sql: `${inner.src.alias}.${ident(target.otherColumn)}`, refs: [inner.src.alias], agg: false }],
      from: [{ kind: 'table', table: info.name, alias: inner.src.alias, bare: inner.bare, join: 'first', on: [], refs: [] }],
      where: this.conds([inner.src], depth + 1, this.rng.int(1, 2)),
      groupBy: [],
      order: { kind: 'none' },
    };
    const not = this.rng.chance(0.3);
    const echo = src.table !== undefined && c.echo && c.origin.table === src.table ? src.alias : undefined;
    return { kind: 'in', not, left: this.col(src, c.name), refs: [src.alias], sub, ...(echo ? { echo } : {}) };
  }

  /** `[NOT] EXISTS (SELECT 1 FROM linked WHERE linked.col = outer.col AND ...)`. */
  private exists(src: Source, depth: number): Cond {
    const linkable = src.cols.flatMap((c) => linksOf(c.origin.table).filter((l) => l.column === c.origin.column).map((l) => ({ c, l })));
    if (!linkable.length) return this.pred(src);
    const { c, l } = this.rng.pick(linkable);
    const info = this.table(l.other);
    const inner = this.source(info, false).src;
    const where: Cond[] = [this.joinPred(inner, l.otherColumn, src, c.name), ...this.conds([inner], depth + 1, this.rng.int(0, 2))];
    const sub: Select = {
      ctes: [],
      distinct: false,
      items: [{ sql: '1', refs: [], agg: false }],
      from: [{ kind: 'table', table: info.name, alias: inner.alias, bare: false, join: 'first', on: [], refs: [] }],
      where,
      groupBy: [],
      order: { kind: 'none' },
    };
    return { kind: 'exists', not: this.rng.chance(0.3), sub };
  }

  /** Items, grouping, order and limit of the outermost SELECT (or a CTE's consumer). */
  private selectList(sources: Source[], top: boolean): Pick<Select, 'distinct' | 'items' | 'groupBy' | 'having' | 'order' | 'limit' | 'offset'> {
    const plain = (n: number): Item[] => {
      const out: Item[] = [];
      for (let i = 0; i < n; i++) {
        const s = this.rng.pick(sources);
        const scalar = this.rng.chance(0.06) ? this.scalarSub(s) : undefined;
        if (scalar) {
          out.push(scalar);
          continue;
        }
        const c = this.rng.pick(s.cols);
        out.push({ sql: this.col(s, c.name), refs: [s.alias], agg: false });
      }
      return out;
    };
    const r = this.rng.next();
    if (r < 0.12 && sources.length === 1 && sources[0]?.table !== undefined) {
      return { distinct: false, items: '*', groupBy: [], order: { kind: 'none' } };
    }
    if (r < 0.35) {
      const groupBy = plain(this.rng.pick([0, 1, 1, 2]));
      const aggs: Item[] = [];
      const n = this.rng.int(1, 3);
      for (let i = 0; i < n; i++) aggs.push(this.aggregate(sources));
      const items = [...groupBy, ...aggs];
      const ordered = top && groupBy.length > 0 && this.rng.chance(0.4);
      const limited = ordered && this.rng.chance(0.5);
      const having = groupBy.length > 0 && this.rng.chance(0.2) ? `count(*) ${this.rng.pick(['>', '>=', '<'])} ${this.rng.int(1, 4)}` : undefined;
      return {
        distinct: false, items, groupBy, ...(having ? { having } : {}), order: ordered ? { kind: 'all' } : { kind: 'none' },
        ...(limited ? { limit: this.rng.int(1, 5) } : {}),
      };
    }
    const items = plain(this.rng.int(1, 4));
    const distinct = this.rng.chance(0.1);
    if (!top) return { distinct, items, groupBy: [], order: { kind: 'none' } };
    const o = this.rng.next();
    if (o < 0.3) {
      const limited = this.rng.chance(0.6);
      return {
        distinct, items, groupBy: [], order: { kind: 'all' },
        ...(limited ? { limit: this.rng.int(1, 20), ...(this.rng.chance(0.3) ? { offset: this.rng.int(1, 10) } : {}) } : {}),
      };
    }
    if (o < 0.5) {
      // One sort column: the planner may sort through the API and stop paging early.
      const s = sources[0] as Source;
      const sortable = s.table ? Object.keys(this.table(s.table).def.sort?.columns ?? {}) : [];
      const name = sortable.length && this.rng.chance(0.7) ? this.rng.pick(sortable) : this.rng.pick(s.cols).name;
      items.unshift({ sql: this.col(s, name), refs: [s.alias], agg: false });
      const limited = this.rng.chance(0.7);
      return {
        distinct, items, groupBy: [], order: { kind: 'key', index: 0, desc: this.rng.chance(0.5) },
        ...(limited ? { limit: this.rng.int(1, 30), ...(this.rng.chance(0.2) ? { offset: this.rng.int(1, 10) } : {}) } : {}),
      };
    }
    return { distinct, items, groupBy: [], order: { kind: 'none' } };
  }

  /** `(SELECT count(*) FROM linked b WHERE b.col = a.col AND ...)`, correlated with `src`. */
  private scalarSub(src: Source): Item | undefined {
    const linkable = src.cols.flatMap((c) => linksOf(c.origin.table).filter((l) => l.column === c.origin.column).map((l) => ({ c, l })));
    if (!linkable.length) return undefined;
    const { c, l } = this.rng.pick(linkable);
    const info = this.table(l.other);
    const inner = this.source(info, false).src;
    const pick = this.rng.pick(inner.cols);
    const agg = this.rng.pick(['count(*)', `max(${this.col(inner, pick.name)})`, `count(DISTINCT ${this.col(inner, pick.name)})`]);
    const sub: Select = {
      ctes: [], distinct: false,
      items: [{ sql: agg, refs: [inner.alias], agg: true }],
      from: [{ kind: 'table', table: info.name, alias: inner.alias, bare: false, join: 'first', on: [], refs: [] }],
      where: [this.joinPred(inner, l.otherColumn, src, c.name), ...this.conds([inner], 2, this.rng.int(0, 1))],
      groupBy: [], order: { kind: 'none' },
    };
    return { sql: `(${render(sub)})`, refs: [src.alias], agg: false, sub };
  }

  private aggregate(sources: Source[]): Item {
    const s = this.rng.pick(sources);
    const c = this.rng.pick(s.cols);
    const col = this.col(s, c.name);
    const numeric = NUMERIC.includes(c.type);
    const fn = this.rng.pick(numeric ? ['count(*)', 'count', 'countd', 'min', 'max', 'sum', 'avg', 'total'] : ['count(*)', 'count', 'countd', 'min', 'max']);
    if (fn === 'count(*)') return { sql: 'count(*)', refs: [], agg: true };
    if (fn === 'countd') return { sql: `count(DISTINCT ${col})`, refs: [s.alias], agg: true };
    return { sql: `${fn}(${col})`, refs: [s.alias], agg: true };
  }
}

// ---------------------------------------------------------------- coverage

/** The shapes a statement exercises, for the test's coverage check. */
export function features(s: Select): Set<string> {
  const out = new Set<string>();
  const mode = echoModes(s);
  for (const m of mode.values()) out.add(`request-filled ${m}`);
  if (s.ctes.length) out.add('CTE');
  if (s.limit !== undefined) out.add('LIMIT');
  if (s.offset !== undefined) out.add('OFFSET');
  if (s.order.kind === 'key') out.add('ORDER BY one column');
  if (s.order.kind === 'all') out.add('ORDER BY every column');
  const cond = (c: Cond): void => {
    if (c.kind === 'or') {
      out.add(c.loose ? 'OR without parentheses' : 'OR');
      c.items.forEach(cond);
    } else if (c.kind === 'in') {
      out.add(c.not ? 'NOT IN (SELECT)' : 'IN (SELECT)');
    } else if (c.kind === 'exists') {
      out.add(c.not ? 'NOT EXISTS' : 'EXISTS');
    } else {
      for (const op of [' LIKE ', ' BETWEEN ', ' IN (', ' NOT IN (', ' IS NULL', ' >= ', ' < ', ' COLLATE ']) if (c.sql.includes(op)) out.add(op.trim());
    }
  };
  if (s.unionAll?.length) out.add('UNION ALL');
  visitSelects(s, (sel) => {
    if (sel.groupBy.length) out.add('GROUP BY');
    if (sel.having !== undefined) out.add('HAVING');
    if (sel.items !== '*' && sel.items.some((i) => i.sub)) out.add('scalar sub-select');
    if (sel.from.length === 1 && sel.items !== '*' && sel.items.some((i) => !i.agg && !i.sql.includes('.'))) out.add('unqualified columns');
    if (sel.items !== '*' && sel.items.some((i) => i.agg)) out.add('aggregate');
    if (sel.distinct) out.add('DISTINCT');
    const tables = sel.from.filter((f) => f.kind === 'table').map((f) => f.table);
    if (new Set(tables).size < tables.length) out.add('self-join');
    for (const f of sel.from) {
      if (f.join === 'LEFT JOIN') out.add('LEFT JOIN');
      if (f.join === 'JOIN') out.add('JOIN');
      if (f.join === ',') out.add(f.kind === 'json_each' ? 'json_each' : 'comma join');
      f.on.forEach(cond);
    }
    sel.where.forEach(cond);
  });
  return out;
}
