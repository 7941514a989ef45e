// Small builders that keep the table definitions short, and the conversion
// of an API value to the value stored in SQLite. Called when the catalog
// module loads (builders) and for every fetched object (conversion).
import type { ApiObject, ColumnDef, RowContext, SqlType, SqlValue } from './types';

type Extra = Partial<Pick<ColumnDef, 'json' | 'detail' | 'echoLiterals' | 'requestEcho' | 'get'>>;

/** A column read from a dotted path of the API object. */
export function col(name: string, type: SqlType, path: string, description: string, extra: Extra = {}): ColumnDef {
  return { name, type, path, description, ...extra };
}

/** A column computed by a function. */
export function computed(
  name: string,
  type: SqlType,
  description: string,
  get: (item: ApiObject, ctx: RowContext) => unknown,
  extra: Omit<Extra, 'get'> = {},
): ColumnDef {
  return { name, type, description, get, ...extra };
}

/** A column holding a nested value as JSON text. */
export function jsonCol(name: string, path: string, description: string, extra: Extra = {}): ColumnDef {
  return { name, type: 'TEXT', path, description, json: true, ...extra };
}

/** A column filled from a request parameter (the parent key of a child endpoint). */
export function paramCol(name: string, type: SqlType, param: string, description: string): ColumnDef {
  return computed(name, type, description, (_item, ctx) => ctx.params[param]);
}

/** A column read from the parent object of an exploded row. */
export function parentCol(name: string, type: SqlType, path: string, description: string): ColumnDef {
  return computed(name, type, description, (_item, ctx) => (ctx.parent ? pick(ctx.parent, path) : undefined));
}

/** Reads `a.b.c` from an object; undefined when any step is missing. */
export function pick(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Docs timestamps can be epoch numbers (one documented example); store ISO text without milliseconds. */
function toIso(v: unknown): SqlValue {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const ms = v < 1e11 ? v * 1000 : v;
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (typeof v === 'string') return v;
  return null;
}

/** Converts an extracted API value to what the column stores. */
export function toSqlValue(column: ColumnDef, v: unknown): SqlValue {
  if (column.json) return v === undefined ? null : JSON.stringify(v);
  if (v === undefined || v === null) return null;
  switch (column.type) {
    case 'INTEGER': {
      if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
      return typeof v === 'string' ? v : JSON.stringify(v);
    }
    case 'REAL': {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return typeof v === 'string' ? v : null;
    }
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'number') return v ? 1 : 0;
      if (v === 'true') return 1;
      if (v === 'false') return 0;
      return null;
    case 'DATETIME':
      return toIso(v);
    case 'TEXT':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      return JSON.stringify(v);
  }
}

/** Maps one API object to a row in the table's column order. */
export function extractRow(columns: readonly ColumnDef[], item: ApiObject, ctx: RowContext): SqlValue[] {
  return columns.map((c) => toSqlValue(c, c.get ? c.get(item, ctx) : c.path !== undefined ? pick(item, c.path) : undefined));
}
