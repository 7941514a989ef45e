// Reads an UPDATE or INSERT statement into plain data: the table, the column
// values (literals only) and, for UPDATE, the WHERE clause as the user wrote
// it. The WHERE text runs unchanged as a SELECT through the query engine to
// find the target rows, so a write touches exactly the rows the same SELECT
// would show. Called by `runWrite` before anything is sent.
import { Parser } from 'node-sql-parser/build/sqlite';
import { findColumn, findTable, tableNames, type SqlValue, type TableDef } from '../catalog';
import { classifyStatement, isDataWrite } from '../statementKind';

/** A write statement the engine cannot run, with the reason in plain words. */
export class WriteStatementError extends Error {
  override readonly name = 'WriteStatementError';
}

export interface UpdateStatement {
  readonly kind: 'update';
  readonly table: TableDef;
  /** Catalog column name -> new value. */
  readonly set: ReadonlyMap<string, SqlValue>;
  /** The WHERE condition's text (without the keyword). */
  readonly where: string;
}

export interface InsertStatement {
  readonly kind: 'insert';
  readonly table: TableDef;
  /** One map per VALUES row: catalog column (or write-only field) name -> value. */
  readonly rows: readonly ReadonlyMap<string, SqlValue>[];
}

export type WriteStatement = UpdateStatement | InsertStatement;

const parser = new Parser();

/**
 * True when the statement changes data in any form (INSERT, UPDATE, DELETE,
 * REPLACE, INSERT OR ..., with or without WITH): the write path handles it,
 * not the query engine, and says which forms it supports.
 */
export function isWriteStatement(sql: string): boolean {
  return isDataWrite(sql);
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The literal value of an expression node, or an error for anything else. */
function literal(node: unknown, column: string): SqlValue {
  if (!isNode(node)) throw new WriteStatementError(`The value for ${column} must be a literal.`);
  const t = node['type'];
  const v = node['value'];
  if (t === 'null') return null;
  if (t === 'single_quote_string' || t === 'string' || t === 'double_quote_string') return String(v);
  if (t === 'number') {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw new WriteStatementError(`The value for ${column} is not a number.`);
    return n;
  }
  if (t === 'bool') return v === true ? 1 : 0;
  if (t === 'unary_expr' && node['operator'] === '-') {
    const inner = literal(node['expr'], column);
    if (typeof inner === 'number') return -inner;
  }
  throw new WriteStatementError(`The value for ${column} must be a literal (a string, a number or NULL), not an expression.`);
}

function tableOf(ast: Node): TableDef {
  const list = ast['table'];
  const first = Array.isArray(list) ? (list[0] as unknown) : undefined;
  const name = isNode(first) && typeof first['table'] === 'string' ? first['table'] : undefined;
  if (!name) throw new WriteStatementError('The statement names no table.');
  const def = findTable(name);
  if (!def) throw new WriteStatementError(`no such table: ${name}. Known tables: ${tableNames().join(', ')}`);
  return def;
}

/** Column name as the catalog spells it; write-only fields (`extra`) are accepted as given. */
function columnName(def: TableDef, name: string, extra: readonly string[]): string {
  const c = findColumn(def, name);
  if (c) return c.name;
  const x = extra.find((e) => e.toLowerCase() === name.toLowerCase());
  if (x) return x;
  throw new WriteStatementError(`${def.name} has no column ${name}.`);
}

/**
 * The text after the statement's top-level WHERE keyword (quotes, comments and
 * parentheses skipped), without a trailing semicolon; undefined when there is none.
 */
export function whereText(sql: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i] ?? '';
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) j++;
          else break;
        }
      }
      i = j;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /[wW]/.test(ch) && /^where\b/i.test(sql.slice(i, i + 6)) && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
      return sql.slice(i + 5).trim().replace(/;\s*$/, '').trim();
    }
  }
  return undefined;
}

/** Parses one UPDATE or INSERT. `extraInsertFields` are write-only names a table accepts (e.g. Conversations.Text). */
export function parseWrite(sql: string, extraInsertFields: (table: TableDef) => readonly string[] = () => []): WriteStatement {
  const kind = classifyStatement(sql);
  if (kind.kind === 'write' && kind.target === 'data') {
    if (kind.verb.startsWith('WITH')) throw new WriteStatementError(`${kind.verb} is not supported as a write: put the condition in the WHERE of a plain UPDATE, or the values in INSERT ... VALUES.`);
    if (kind.verb.startsWith('INSERT OR')) throw new WriteStatementError(`${kind.verb} is not supported; use INSERT or UPDATE.`);
  }
  let ast: unknown;
  try {
    ast = parser.astify(sql, { database: 'sqlite' });
  } catch (e) {
    const loc = isNode(e) && isNode(e['location']) && isNode(e['location']['start']) ? e['location']['start'] : undefined;
    const where = loc ? ` at line ${String(loc['line'])}, column ${String(loc['column'])}` : '';
    throw new WriteStatementError(`The statement could not be read${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) throw new WriteStatementError('Run one statement at a time.');
  const top = statements[0];
  if (!isNode(top)) throw new WriteStatementError('The statement could not be read.');

  if (top['type'] === 'update') {
    const def = tableOf(top);
    if (top['orderby'] || top['limit'] || top['returning'] || top['from']) {
      throw new WriteStatementError('UPDATE with ORDER BY, LIMIT, FROM or RETURNING is not supported: put the condition in WHERE.');
    }
    const set = new Map<string, SqlValue>();
    for (const s of Array.isArray(top['set']) ? (top['set'] as unknown[]) : []) {
      if (!isNode(s) || typeof s['column'] !== 'string') throw new WriteStatementError('SET must assign columns.');
      const col = columnName(def, s['column'], []);
      set.set(col, literal(s['value'], col));
    }
    const where = whereText(sql);
    if (!where) throw new WriteStatementError('UPDATE needs a WHERE clause (use WHERE 1 = 1 to change every row, after a dry run).');
    return { kind: 'update', table: def, set, where };
  }

  if (top['type'] === 'insert' || top['type'] === 'replace') {
    if (top['type'] === 'replace') throw new WriteStatementError('REPLACE is not supported; use INSERT or UPDATE.');
    const def = tableOf(top);
    const cols = Array.isArray(top['columns']) ? (top['columns'] as unknown[]).map((c) => (typeof c === 'string' ? c : isNode(c) ? String(c['value'] ?? '') : '')) : [];
    if (cols.length === 0) throw new WriteStatementError('INSERT needs a column list: INSERT INTO T (A, B) VALUES (...).');
    const names = cols.map((c) => columnName(def, c, extraInsertFields(def)));
    const values = top['values'];
    if (!isNode(values) || values['type'] !== 'values' || !Array.isArray(values['values'])) {
      throw new WriteStatementError('INSERT takes VALUES (...) rows, not a SELECT.');
    }
    const rows = (values['values'] as unknown[]).map((row) => {
      const list = isNode(row) && Array.isArray(row['value']) ? (row['value'] as unknown[]) : [];
      if (list.length !== names.length) throw new WriteStatementError(`Each VALUES row needs ${names.length} values.`);
      return new Map(names.map((n, i) => [n, literal(list[i], n)] as const));
    });
    return { kind: 'insert', table: def, rows };
  }
  throw new WriteStatementError(`Only UPDATE and INSERT are supported as writes (this one is ${String(top['type']).toUpperCase()}).`);
}
