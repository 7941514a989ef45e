// Parser adapter: reads a statement with node-sql-parser's SQLite grammar and
// reports, for every reference to a catalog table, the conditions that could
// be sent to the API. Called by the planner before anything is fetched.
//
// Only a pre-filter is extracted: SQLite re-evaluates the whole statement, so
// what is reported here must select a superset of the rows the statement needs.
// Whatever the adapter does not understand is simply not reported (no
// push-down); it never decides whether the SQL is valid: SQLite does.
import { Parser } from 'node-sql-parser/build/sqlite';
import { findColumn, findTable, tableNames, type PredicateOp, type TableDef } from './catalog';
import { AGGREGATES, asArray, functionName, isNode, JSON_EACH_COLUMNS, type Node, str } from './ast';
import { readOnlyProblem } from './statementKind';

export type Literal = string | number;

/** `column op literal(s)` on one table reference. */
export interface Predicate {
  readonly column: string;
  readonly op: PredicateOp;
  /** One value; the IN list; BETWEEN low and high. */
  readonly values: readonly Literal[];
  readonly text: string;
}

/** `column IN (SELECT col FROM T WHERE ...)` where the sub-select is a plain single-table query. */
export interface SubqueryIn {
  readonly column: string;
  /** Index (in `Analysis.refs`) of the sub-select's table reference. */
  readonly ref: number;
  readonly subColumn: string;
  readonly text: string;
}

/** `a.X = b.Y` between two references of the same SELECT. */
export interface JoinEquality {
  readonly column: string;
  readonly otherRef: number;
  readonly otherColumn: string;
  readonly text: string;
}

export interface TableRef {
  readonly index: number;
  readonly table: string;
  readonly alias: string | null;
  readonly predicates: Predicate[];
  readonly subqueryIns: SubqueryIn[];
  readonly joins: JoinEquality[];
  /** Conditions on this reference that are evaluated only by SQLite (display text). */
  readonly localOnly: string[];
}

export interface OrderLimit {
  readonly column: string;
  readonly desc: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface SqlPosition {
  readonly line: number;
  readonly column: number;
}

export interface Analysis {
  /** `explain` is our plan (`EXPLAIN <query>`); `explainQueryPlan` is SQLite's, run over empty tables. */
  readonly kind: 'select' | 'explain' | 'explainQueryPlan';
  /** The statement SQLite runs (for `explain`, the query after the keyword). */
  readonly sql: string;
  readonly parsed: boolean;
  readonly parseError?: { readonly message: string; readonly position?: SqlPosition };
  readonly refs: readonly TableRef[];
  /** Catalog tables the statement reads (canonical names). */
  readonly tables: readonly string[];
  /**
   * Set for a single-table SELECT whose result is the first N rows in the order
   * of one column (no grouping, aggregates, windows, DISTINCT or compound).
   */
  readonly orderLimit?: OrderLimit;
  /**
   * ORDER BY + LIMIT on one reference of a statement reading other sources
   * too (see `joinedOrderLimit` in the analyser): stopping early there needs the answer
   * checked afterwards (the other sources may drop that reference's rows).
   */
  readonly joinedOrderLimit?: OrderLimit & { readonly ref: number };
  /** True when every top-level WHERE conjunct of that single-table query became a `Predicate`. */
  readonly allConjunctsPredicates: boolean;
  /** Whether a column of a table is (or may be) read. */
  usesColumn(table: string, column: string): boolean;
  /** Literals compared with a column anywhere (for `echoLiterals` columns such as Conversations.Tag). */
  literalsFor(column: string): string[];
}

/** A statement that is not allowed to run (writes, several statements). */
export class SqlRejectedError extends Error {
  override readonly name = 'SqlRejectedError';
}




interface ScopeEntry {
  readonly name: string;
  readonly ref?: TableRef;
  readonly def?: TableDef;
  /** Known columns of an opaque source (json_each); undefined when unknown (CTE, sub-select). */
  readonly columns?: ReadonlySet<string>;
}

class Scope {
  readonly entries: ScopeEntry[] = [];
  constructor(readonly parent: Scope | undefined) {}
}

type Resolved =
  | { kind: 'ref'; ref: TableRef; column: string; scope: Scope }
  | { kind: 'unknown' }
  | { kind: 'none' };

const parser = new Parser();
const OPT = { database: 'sqlite' };

function columnName(col: Node): string | undefined {
  const c = col['column'];
  if (typeof c === 'string') return c;
  if (isNode(c) && isNode(c['expr'])) return str(c['expr']['value']);
  return undefined;
}

function quoteLiteral(v: Literal): string {
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}

export function predicateText(column: string, op: PredicateOp, values: readonly Literal[]): string {
  if (op === 'IN') return `${column} IN (${values.map(quoteLiteral).join(', ')})`;
  if (op === 'BETWEEN') return `${column} BETWEEN ${quoteLiteral(values[0] ?? '')} AND ${quoteLiteral(values[1] ?? '')}`;
  return `${column} ${op} ${quoteLiteral(values[0] ?? '')}`;
}

function exprText(expr: unknown): string {
  try {
    return parser.exprToSQL(expr, OPT);
  } catch {
    return '(condition)';
  }
}

/** Splits top-level AND conjuncts. */
function splitAnd(expr: unknown): unknown[] {
  if (isNode(expr) && expr['type'] === 'binary_expr' && expr['operator'] === 'AND' && !looseOr(expr)) {
    return [...splitAnd(expr['left']), ...splitAnd(expr['right'])];
  }
  return expr === null || expr === undefined ? [] : [expr];
}

/**
 * node-sql-parser reads `a OR b AND c` as `(a OR b) AND c`; SQLite (AND binds
 * tighter) as `a OR (b AND c)`. An AND whose operands hold an OR written
 * without parentheses is therefore misread, and is kept whole: SQLite alone
 * applies it.
 */
function looseOr(and: Node): boolean {
  return [and['left'], and['right']].some(
    (x) => isNode(x) && x['type'] === 'binary_expr' && !x['parentheses'] && (x['operator'] === 'OR' || (x['operator'] === 'AND' && looseOr(x))),
  );
}

function splitOr(expr: unknown): unknown[] {
  if (isNode(expr) && expr['type'] === 'binary_expr' && expr['operator'] === 'OR') {
    return [...splitOr(expr['left']), ...splitOr(expr['right'])];
  }
  return [expr];
}

const FLIP: Partial<Record<string, PredicateOp>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const COMPARE: Partial<Record<string, PredicateOp>> = { '=': '=', '==': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

class Analyzer {
  readonly refs: TableRef[] = [];
  readonly usedNames = new Set<string>();
  readonly starTables = new Set<string>();
  readonly literals = new Map<string, Set<string>>();
  /** Scope of each analysed sub-select, keyed by its AST node. */
  private readonly subScopes = new Map<Node, Scope>();
  /** Refs of each analysed sub-select (for the IN (subquery) shape check). */
  private readonly selectFrom = new Map<Node, ScopeEntry[]>();

  analyseSelect(node: Node, parent: Scope | undefined, ctesIn: ReadonlySet<string>): Scope {
    const ctes = new Set(ctesIn);
    for (const w of asArray(node['with'])) {
      if (!isNode(w)) continue;
      const name = isNode(w['name']) ? str(w['name']['value']) : str(w['name']);
      if (name) ctes.add(name.toLowerCase());
      const body = isNode(w['stmt']) ? (isNode(w['stmt']['ast']) ? w['stmt']['ast'] : w['stmt']) : undefined;
      if (body) this.analyseSelect(body, parent, ctes);
    }

    const scope = new Scope(parent);
    this.subScopes.set(node, scope);
    const from = asArray(node['from']).filter(isNode);
    for (const item of from) {
      const alias = str(item['as']) ?? null;
      const expr = item['expr'];
      const table = str(item['table']);
      if (table !== undefined && !isNode(expr)) {
        const db = str(item['db']);
        const def = db === undefined || db.toLowerCase() === 'main' ? findTable(table) : undefined;
        if (ctes.has(table.toLowerCase()) || !def) {
          scope.entries.push({ name: (alias ?? table).toLowerCase() });
          continue;
        }
        const ref: TableRef = { index: this.refs.length, table: def.name, alias, predicates: [], subqueryIns: [], joins: [], localOnly: [] };
        this.refs.push(ref);
        scope.entries.push({ name: (alias ?? table).toLowerCase(), ref, def });
      } else if (isNode(expr) && isNode(expr['ast'])) {
        this.analyseSelect(expr['ast'], parent, ctes);
        scope.entries.push({ name: (alias ?? '').toLowerCase() });
      } else if (isNode(expr) && expr['type'] === 'function') {
        const fname = functionName(expr);
        const known = fname === 'json_each' || fname === 'json_tree';
        scope.entries.push({ name: (alias ?? fname ?? '').toLowerCase(), ...(known ? { columns: JSON_EACH_COLUMNS } : {}) });
      } else {
        scope.entries.push({ name: (alias ?? '').toLowerCase() });
      }
    }
    this.selectFrom.set(node, scope.entries);

    // Sub-selects anywhere in this SELECT (scalar, EXISTS, IN) see this scope.
    const { from: _from, with: _with, _next, ...rest } = node;
    for (const x of Object.values(rest)) this.walk(x, scope, ctes);
    for (const item of from) {
      this.walk(item['on'], scope, ctes);
      if (isNode(item['expr']) && item['expr']['type'] === 'function') this.walk(item['expr'], scope, ctes);
    }

    // ON conditions: an inner join's act like WHERE; a LEFT JOIN's only restrict the joined table.
    for (const item of from) {
      if (item['on'] === undefined || item['on'] === null) continue;
      const join = (str(item['join']) ?? '').toUpperCase();
      const own = scope.entries[from.indexOf(item)]?.ref;
      if (join === 'INNER JOIN' || join === 'JOIN' || join === 'CROSS JOIN') {
        for (const c of splitAnd(item['on'])) this.conjunct(c, scope, undefined);
      } else if (join.startsWith('LEFT') && own) {
        for (const c of splitAnd(item['on'])) this.conjunct(c, scope, own);
      }
    }
    for (const c of splitAnd(node['where'])) this.conjunct(c, scope, undefined);

    if (isNode(_next)) this.analyseSelect(_next, parent, ctesIn);
    return scope;
  }

  /** Visits every node: records column usage and literals, analyses sub-selects. */
  private walk(v: unknown, scope: Scope, ctes: ReadonlySet<string>): void {
    if (Array.isArray(v)) {
      for (const x of v) this.walk(x, scope, ctes);
      return;
    }
    if (!isNode(v)) return;
    if (isNode(v['ast']) && v['ast']['type'] === 'select') {
      this.analyseSelect(v['ast'], scope, ctes);
      return;
    }
    if (v['type'] === 'select' && Array.isArray(v['columns'])) {
      this.analyseSelect(v, scope, ctes);
      return;
    }
    if (v['type'] === 'column_ref') {
      const name = columnName(v);
      const table = str(v['table']);
      if (name === '*') {
        if (table) {
          const entry = this.lookupAlias(table, scope);
          if (entry?.def) this.starTables.add(entry.def.name.toLowerCase());
        } else {
          for (let s: Scope | undefined = scope; s; s = s.parent) {
            for (const e of s.entries) if (e.def) this.starTables.add(e.def.name.toLowerCase());
          }
        }
      } else if (name) {
        this.usedNames.add(name.toLowerCase());
      }
    }
    if (v['type'] === 'double_quote_string' || v['type'] === 'backticks_quote_string') {
      const s = str(v['value']);
      if (s) this.usedNames.add(s.toLowerCase());
    }
    if (v['type'] === 'binary_expr' && (v['operator'] === '=' || v['operator'] === 'IN')) this.collectLiterals(v);
    for (const [k, x] of Object.entries(v)) if (k !== 'loc') this.walk(x, scope, ctes);
  }

  private collectLiterals(v: Node): void {
    const left = v['left'];
    if (!isNode(left) || left['type'] !== 'column_ref') return;
    const name = columnName(left)?.toLowerCase();
    if (!name) return;
    const right = v['right'];
    const items = isNode(right) && right['type'] === 'expr_list' ? asArray(right['value']) : [right];
    for (const it of items) {
      const lit = this.literal(it, undefined);
      if (typeof lit === 'string') {
        let set = this.literals.get(name);
        if (!set) this.literals.set(name, (set = new Set()));
        set.add(lit);
      }
    }
  }

  private lookupAlias(name: string, scope: Scope): ScopeEntry | undefined {
    const lower = name.toLowerCase();
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const e = s.entries.find((x) => x.name === lower);
      if (e) return e;
    }
    return undefined;
  }

  private resolve(table: string | undefined, name: string, scope: Scope): Resolved {
    if (table !== undefined) {
      const lower = table.toLowerCase();
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const e = s.entries.find((x) => x.name === lower);
        if (!e) continue;
        if (!e.ref || !e.def) return { kind: 'unknown' };
        const c = findColumn(e.def, name);
        return c ? { kind: 'ref', ref: e.ref, column: c.name, scope: s } : { kind: 'none' };
      }
      return { kind: 'none' };
    }
    const lower = name.toLowerCase();
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const hits: { ref: TableRef; column: string }[] = [];
      let opaque = false;
      for (const e of s.entries) {
        if (e.ref && e.def) {
          const c = findColumn(e.def, name);
          if (c) hits.push({ ref: e.ref, column: c.name });
        } else if (!e.columns || e.columns.has(lower)) {
          opaque = true;
        }
      }
      if (opaque || hits.length > 1) return { kind: 'unknown' };
      const hit = hits[0];
      if (hit) return { kind: 'ref', ref: hit.ref, column: hit.column, scope: s };
    }
    return { kind: 'none' };
  }

  /** A column of a table in exactly this scope, or undefined. */
  private columnIn(expr: unknown, scope: Scope): { ref: TableRef; column: string } | undefined {
    // A column with COLLATE compares differently from the API: never pushed.
    if (!isNode(expr) || isNode(expr['collate'])) return undefined;
    let r: Resolved | undefined;
    if (expr['type'] === 'column_ref') {
      const name = columnName(expr);
      if (!name || name === '*') return undefined;
      r = this.resolve(str(expr['table']), name, scope);
    } else if (expr['type'] === 'double_quote_string' || expr['type'] === 'backticks_quote_string') {
      const name = str(expr['value']);
      if (!name) return undefined;
      r = this.resolve(undefined, name, scope);
    }
    return r?.kind === 'ref' && r.scope === scope ? { ref: r.ref, column: r.column } : undefined;
  }

  /**
   * A literal, or undefined. A double-quoted string is a literal only when it
   * cannot name a column in scope (SQLite's own rule).
   */
  private literal(expr: unknown, scope: Scope | undefined): Literal | undefined {
    // `'X' COLLATE NOCASE` matches values the API would not return for 'X'.
    if (!isNode(expr) || isNode(expr['suffix'])) return undefined;
    switch (expr['type']) {
      case 'number': {
        // Decimals come back as strings ("-1.5").
        const v = typeof expr['value'] === 'string' ? Number(expr['value']) : expr['value'];
        return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
      }
      case 'single_quote_string':
      case 'string':
        // The parser keeps the SQL escape: 'O''Brien' comes back as O''Brien.
        return str(expr['value'])?.replace(/''/g, "'");
      case 'bool':
        return expr['value'] === true ? 1 : 0;
      case 'unary_expr': {
        const inner = expr['operator'] === '-' ? this.literal(expr['expr'], undefined) : undefined;
        return typeof inner === 'number' ? -inner : undefined;
      }
      case 'double_quote_string': {
        if (!scope) return undefined;
        const name = str(expr['value'])?.replace(/""/g, '"');
        return name !== undefined && this.resolve(undefined, name, scope).kind === 'none' ? name : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Analyses one conjunct; `only` limits pushes to one reference (LEFT JOIN ... ON). */
  private conjunct(expr: unknown, scope: Scope, only: TableRef | undefined): void {
    const simple = this.simple(expr, scope);
    if (simple && (!only || simple.ref === only)) {
      simple.ref.predicates.push({ column: simple.column, op: simple.op, values: simple.values, text: predicateText(simple.column, simple.op, simple.values) });
      return;
    }
    if (!simple) {
      const sub = this.subqueryIn(expr, scope);
      if (sub && (!only || sub.ref === only)) {
        sub.ref.subqueryIns.push(sub.sub);
        return;
      }
      const join = this.joinEquality(expr, scope);
      if (join) {
        const [a, b, outer] = join;
        const text = `${a.ref.alias ?? a.ref.table}.${a.column} = ${b.ref.alias ?? b.ref.table}.${b.column}`;
        if (!only || a.ref === only) a.ref.joins.push({ column: a.column, otherRef: b.ref.index, otherColumn: b.column, text });
        if (!outer && (!only || b.ref === only)) b.ref.joins.push({ column: b.column, otherRef: a.ref.index, otherColumn: a.column, text });
        return;
      }
    }
    // Not understood: SQLite evaluates it. List it on the references it mentions in this scope.
    const text = exprText(expr);
    for (const ref of this.refsMentioned(expr, scope)) ref.localOnly.push(text);
  }

  private refsMentioned(expr: unknown, scope: Scope): Set<TableRef> {
    const out = new Set<TableRef>();
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(visit);
      if (!isNode(v)) return;
      const c = this.columnIn(v, scope);
      if (c) out.add(c.ref);
      for (const [k, x] of Object.entries(v)) if (k !== 'ast') visit(x);
    };
    visit(expr);
    return out;
  }

  private simple(expr: unknown, scope: Scope): { ref: TableRef; column: string; op: PredicateOp; values: Literal[] } | undefined {
    if (!isNode(expr) || expr['type'] !== 'binary_expr') return undefined;
    const operator = str(expr['operator'])?.toUpperCase() ?? '';
    const left = expr['left'];
    const right = expr['right'];
    if (operator === 'OR') return this.orToIn(expr, scope);
    const cmp = COMPARE[operator];
    if (cmp) {
      const lc = this.columnIn(left, scope);
      const rl = this.literal(right, scope);
      if (lc && rl !== undefined) return { ...lc, op: cmp, values: [rl] };
      const rc = this.columnIn(right, scope);
      const ll = this.literal(left, scope);
      const flipped = FLIP[operator];
      if (rc && ll !== undefined && flipped) return { ...rc, op: flipped, values: [ll] };
      return undefined;
    }
    const c = this.columnIn(left, scope);
    if (!c) return undefined;
    if (operator === 'IN' && isNode(right) && right['type'] === 'expr_list') {
      const values = asArray(right['value']).map((v) => this.literal(v, scope));
      if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
      return { ...c, op: 'IN', values: values as Literal[] };
    }
    if (operator === 'BETWEEN' && isNode(right) && right['type'] === 'expr_list') {
      const values = asArray(right['value']).map((v) => this.literal(v, scope));
      if (values.length !== 2 || values.some((v) => v === undefined)) return undefined;
      return { ...c, op: 'BETWEEN', values: values as Literal[] };
    }
    if (operator === 'LIKE' && isNode(right) && right['escape'] === undefined) {
      const v = this.literal(right, scope);
      if (typeof v === 'string') return { ...c, op: 'LIKE', values: [v] };
    }
    return undefined;
  }

  /** `c = 1 OR c = 2 OR c IN (3)` on one column becomes `c IN (1, 2, 3)`. */
  private orToIn(expr: Node, scope: Scope): { ref: TableRef; column: string; op: PredicateOp; values: Literal[] } | undefined {
    let target: { ref: TableRef; column: string } | undefined;
    const values: Literal[] = [];
    for (const leaf of splitOr(expr)) {
      const s = isNode(leaf) && !(leaf['type'] === 'binary_expr' && leaf['operator'] === 'OR') ? this.simple(leaf, scope) : undefined;
      if (!s || (s.op !== '=' && s.op !== 'IN')) return undefined;
      if (target && (target.ref !== s.ref || target.column !== s.column)) return undefined;
      target = { ref: s.ref, column: s.column };
      for (const v of s.values) if (!values.includes(v)) values.push(v);
    }
    return target ? { ...target, op: 'IN', values } : undefined;
  }

  private subqueryIn(expr: unknown, scope: Scope): { ref: TableRef; sub: SubqueryIn } | undefined {
    if (!isNode(expr) || expr['type'] !== 'binary_expr' || expr['operator'] !== 'IN') return undefined;
    const outer = this.columnIn(expr['left'], scope);
    const right = expr['right'];
    if (!outer || !isNode(right)) return undefined;
    const list = right['type'] === 'expr_list' ? asArray(right['value']) : [right];
    const only = list.length === 1 ? list[0] : undefined;
    const ast = isNode(only) && isNode(only['ast']) ? only['ast'] : undefined;
    if (!ast || ast['type'] !== 'select') return undefined;
    if (ast['_next'] || ast['groupby'] || ast['having'] || asArray(ast['with']).length) return undefined;
    const entries = this.selectFrom.get(ast);
    const subScope = this.subScopes.get(ast);
    const columns = asArray(ast['columns']);
    if (!entries || !subScope || entries.length !== 1 || columns.length !== 1) return undefined;
    const entry = entries[0];
    const colExpr = isNode(columns[0]) ? columns[0]['expr'] : undefined;
    const c = this.columnIn(colExpr, subScope);
    if (!entry?.ref || !c || c.ref !== entry.ref) return undefined;
    return {
      ref: outer.ref,
      sub: { column: outer.column, ref: entry.ref.index, subColumn: c.column, text: `${outer.column} IN (SELECT ${c.column} FROM ${entry.ref.table} ...)` },
    };
  }

  /**
   * `a.X = b.Y`: both in this scope, or `b` in an enclosing scope (a correlated
   * sub-select, where only `a` is restricted). Returns [this-scope side, other side, other side is outer].
   */
  private joinEquality(
    expr: unknown,
    scope: Scope,
  ): [{ ref: TableRef; column: string }, { ref: TableRef; column: string }, boolean] | undefined {
    if (!isNode(expr) || expr['type'] !== 'binary_expr' || (expr['operator'] !== '=' && expr['operator'] !== '==')) return undefined;
    const a = this.columnIn(expr['left'], scope);
    const b = this.columnIn(expr['right'], scope);
    if (a && b) return a.ref !== b.ref ? [a, b, false] : undefined;
    const inner = a ?? b;
    const outer = this.columnOuter(a ? expr['right'] : expr['left'], scope);
    return inner && outer ? [inner, outer, true] : undefined;
  }

  /** A column of a table in an enclosing scope (not this one). */
  private columnOuter(expr: unknown, scope: Scope): { ref: TableRef; column: string } | undefined {
    if (!isNode(expr) || expr['type'] !== 'column_ref') return undefined;
    const name = columnName(expr);
    if (!name || name === '*') return undefined;
    const r = this.resolve(str(expr['table']), name, scope);
    return r.kind === 'ref' && r.scope !== scope ? { ref: r.ref, column: r.column } : undefined;
  }

  /** ORDER BY + LIMIT of a single-table top-level SELECT, when stopping early could be valid. */
  orderLimit(node: Node, scope: Scope): OrderLimit | undefined {
    if (this.refs.length !== 1 || node['_next'] || node['distinct'] || node['groupby'] || node['having']) return undefined;
    if (asArray(node['from']).length !== 1 || asArray(node['with']).length) return undefined;
    const o = this.sortLimit(node, scope);
    if (!o) return undefined;
    const { ref: _ref, ...rest } = o;
    return rest;
  }

  /**
   * ORDER BY one column of a table reference + LIMIT, in a top-level SELECT
   * reading other sources too (joins, json_each, sub-selects), when the
   * answer only grows with that reference's rows: no grouping, aggregate,
   * window, DISTINCT or compound; the table is read nowhere else in the
   * statement; the reference is never null-extended nor null-extends another
   * (not the right side of a LEFT JOIN, no RIGHT or FULL join). Then, if the
   * statement over the reference's first rows in that order gives LIMIT rows,
   * they are the answer (a row of a later reference row sorts after them).
   */
  joinedOrderLimit(node: Node, scope: Scope): (OrderLimit & { readonly ref: number }) | undefined {
    if (node['_next'] || node['distinct'] || node['groupby'] || node['having']) return undefined;
    const from = asArray(node['from']);
    const o = this.sortLimit(node, scope);
    if (!o || this.refs.filter((r) => r.table === o.ref.table).length !== 1) return undefined;
    if (from.length === 1 && this.refs.length === 1) return undefined;
    let own = false;
    for (const [i, item] of from.entries()) {
      if (!isNode(item)) return undefined;
      const join = (str(item['join']) ?? '').toUpperCase().replace(/\s+/g, ' ');
      const inner = join === '' || join === 'JOIN' || join === 'INNER JOIN' || join === 'CROSS JOIN';
      const left = join === 'LEFT JOIN' || join === 'LEFT OUTER JOIN';
      if (!inner && !left) return undefined;
      if (scope.entries[i]?.ref === o.ref) {
        if (left) return undefined;
        own = true;
      }
    }
    return own ? { ...o, ref: o.ref.index } : undefined;
  }

  /** The single ORDER BY column (of a table reference in this scope) and literal LIMIT/OFFSET of a SELECT. */
  private sortLimit(node: Node, scope: Scope): (OrderLimit & { readonly ref: TableRef }) | undefined {
    if (containsAggregateOrWindow(node['columns']) || containsAggregateOrWindow(node['orderby'])) return undefined;
    const order = asArray(node['orderby']);
    const first = order[0];
    if (order.length !== 1 || !isNode(first)) return undefined;
    const c = this.columnIn(first['expr'], scope);
    if (!c) return undefined;
    // ORDER BY prefers a result-column alias over a table column (SQLite's rule).
    for (const rc of asArray(node['columns'])) {
      if (!isNode(rc)) continue;
      const as = str(rc['as']);
      if (as && as.toLowerCase() === c.column.toLowerCase()) {
        const same = this.columnIn(rc['expr'], scope);
        if (!same || same.column !== c.column || same.ref !== c.ref) return undefined;
      }
    }
    const limit = node['limit'];
    if (!isNode(limit)) return undefined;
    const vals = asArray(limit['value']).map((v) => (isNode(v) && v['type'] === 'number' ? v['value'] : undefined));
    if (vals.length === 0 || vals.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0)) return undefined;
    const nums = vals as number[];
    const sep = str(limit['seperator']) ?? '';
    let count: number;
    let offset = 0;
    if (nums.length === 1) count = nums[0] ?? 0;
    else if (sep === ',') [offset, count] = [nums[0] ?? 0, nums[1] ?? 0];
    else [count, offset] = [nums[0] ?? 0, nums[1] ?? 0];
    return { ref: c.ref, column: c.column, desc: str(first['type'])?.toUpperCase() === 'DESC', limit: count, offset };
  }
}

function containsAggregateOrWindow(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsAggregateOrWindow);
  if (!isNode(v)) return false;
  if (v['type'] === 'aggr_func' || (v['over'] !== undefined && v['over'] !== null)) return true;
  if (v['type'] === 'function') {
    const name = isNode(v['name']) ? asArray(v['name']['name']).map((p) => (isNode(p) ? str(p['value']) : '')).join('.') : str(v['name']);
    if (name && AGGREGATES.has(name.toLowerCase())) return true;
  }
  return Object.values(v).some(containsAggregateOrWindow);
}


const EXPLAIN_QP = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*EXPLAIN\s+QUERY\s+PLAN\b/i;
const EXPLAIN = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*EXPLAIN\b/i;

/** Catalog tables named anywhere in the text: the fallback when the parser cannot read a statement. */
export function tablesMentioned(sql: string): string[] {
  return tableNames().filter((t) => new RegExp(`(^|[^A-Za-z0-9_])${t}($|[^A-Za-z0-9_])`, 'i').test(sql));
}

function locationOf(e: unknown): SqlPosition | undefined {
  if (!isNode(e) || !isNode(e['location']) || !isNode(e['location']['start'])) return undefined;
  const { line, column } = e['location']['start'];
  return typeof line === 'number' && typeof column === 'number' ? { line, column } : undefined;
}

/** Position of a syntax error as node-sql-parser reports it, if it finds one. */
export function syntaxErrorPosition(sql: string): SqlPosition | undefined {
  try {
    parser.astify(sql, OPT);
    return undefined;
  } catch (e) {
    return locationOf(e);
  }
}

const CLAUSE_WORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'USING']);

/**
 * The statement with every comma that follows a join's ON condition written
 * as JOIN (the same cross join). node-sql-parser reads `JOIN b ON x = y, c` as
 * a list in the ON condition and loses table `c`, or fails on `, c t3`. Only
 * the analysis reads this text; SQLite runs the statement as written.
 */
export function commaJoinsAsJoin(sql: string): string {
  let out = '';
  let depth = 0;
  const openOn = new Set<number>();
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    let end = i + 1;
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      end = sql.indexOf(close, i + 1);
      while (end >= 0 && close !== ']' && sql[end + 1] === close) end = sql.indexOf(close, end + 2);
      end = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('--', i)) {
      end = sql.indexOf('\n', i);
      end = end < 0 ? sql.length : end;
    } else if (sql.startsWith('/*', i)) {
      end = sql.indexOf('*/', i + 2);
      end = end < 0 ? sql.length : end + 2;
    } else if (/[A-Za-z_]/.test(ch)) {
      while (end < sql.length && /[A-Za-z0-9_$]/.test(sql[end] ?? '')) end++;
      const word = sql.slice(i, end).toUpperCase();
      if (word === 'ON') openOn.add(depth);
      else if (CLAUSE_WORDS.has(word)) openOn.delete(depth);
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      openOn.delete(depth);
      depth--;
    } else if (ch === ',' && openOn.has(depth)) {
      openOn.delete(depth);
      out += ' JOIN ';
      i = end;
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return out;
}

/** Parses for the analysis; a failure is reported for the statement as written. */
function astifyForAnalysis(sql: string): unknown {
  const alt = commaJoinsAsJoin(sql);
  if (alt !== sql) {
    try {
      return parser.astify(alt, OPT);
    } catch {
      // The statement's own error is the one to report.
    }
  }
  return parser.astify(sql, OPT);
}

/**
 * Analyses a statement. Throws `SqlRejectedError` for anything but one
 * SELECT / WITH ... SELECT / EXPLAIN; never throws for SQL it cannot parse.
 */
export function analyse(input: string): Analysis {
  let kind: Analysis['kind'] = 'select';
  let sql = input;
  if (EXPLAIN_QP.test(input)) kind = 'explainQueryPlan';
  else if (EXPLAIN.test(input)) {
    kind = 'explain';
    sql = input.replace(EXPLAIN, '').trimStart();
  }
  const inner = kind === 'explainQueryPlan' ? input.replace(EXPLAIN_QP, '') : sql;
  // Writes of every form, transaction statements and several statements are refused before any parsing or planning.
  const refused = readOnlyProblem(inner);
  if (refused) throw new SqlRejectedError(refused);

  let ast: unknown;
  try {
    ast = astifyForAnalysis(inner);
  } catch (e) {
    // Not a statement keyword (a typo such as SELEC): SQLite reports it, with its position, before anything is fetched.
    const message = e instanceof Error ? e.message : String(e);
    const position = locationOf(e);
    return fallback(kind, sql, tablesMentioned(inner), { message, ...(position ? { position } : {}) });
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) throw new SqlRejectedError('Run one statement at a time.');
  const top = statements[0];
  if (!isNode(top) || top['type'] !== 'select') {
    const type = isNode(top) ? str(top['type'])?.toUpperCase() : undefined;
    throw new SqlRejectedError(`Only SELECT statements can run${type ? ` (this one is ${type})` : ''}.`);
  }

  const a = new Analyzer();
  let scope: Scope;
  try {
    scope = a.analyseSelect(top, undefined, new Set());
  } catch {
    return fallback(kind, sql, tablesMentioned(inner), { message: 'statement not analysed' });
  }
  const orderLimit = a.orderLimit(top, scope);
  const joinedOrderLimit = orderLimit ? undefined : a.joinedOrderLimit(top, scope);
  const only = a.refs.length === 1 ? a.refs[0] : undefined;
  const conjuncts = splitAnd(top['where']);
  const allConjunctsPredicates =
    orderLimit !== undefined &&
    only !== undefined && only.subqueryIns.length === 0 && only.joins.length === 0 && only.localOnly.length === 0 && only.predicates.length === conjuncts.length;
  const tables = [...new Set(a.refs.map((r) => r.table))];
  return {
    kind,
    sql,
    parsed: true,
    refs: a.refs,
    tables,
    ...(orderLimit ? { orderLimit } : {}),
    ...(joinedOrderLimit ? { joinedOrderLimit } : {}),
    allConjunctsPredicates,
    usesColumn: (table, column) => a.starTables.has(table.toLowerCase()) || a.usedNames.has(column.toLowerCase()),
    literalsFor: (column) => [...(a.literals.get(column.toLowerCase()) ?? [])],
  };
}

function fallback(kind: Analysis['kind'], sql: string, tables: string[], parseError: NonNullable<Analysis['parseError']>): Analysis {
  return {
    kind,
    sql,
    parsed: false,
    parseError,
    refs: tables.map((t, index) => ({ index, table: findTable(t)?.name ?? t, alias: null, predicates: [], subqueryIns: [], joins: [], localOnly: [] })),
    tables,
    allConjunctsPredicates: false,
    usesColumn: () => true,
    literalsFor: () => [],
  };
}
