// Small readers of node-sql-parser's AST, shared by the analysis (parse.ts) and the count
// planner (counts.ts): node tests, function names, and the names SQLite gives special meaning.

export type Node = Record<string, unknown>;

export const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Columns of json_each / json_tree (the table-valued functions users join with). */
export const JSON_EACH_COLUMNS: ReadonlySet<string> = new Set(['key', 'value', 'type', 'atom', 'id', 'parent', 'fullkey', 'path', 'json', 'root']);

/** SQLite's aggregate functions (lower case). */
export const AGGREGATES: ReadonlySet<string> = new Set(['count', 'sum', 'total', 'avg', 'min', 'max', 'group_concat', 'string_agg', 'json_group_array', 'json_group_object']);

/** The lower-case name of a function call node (the last part of a qualified name). */
export function functionName(expr: Node): string | undefined {
  const name = expr['name'];
  if (typeof name === 'string') return name.toLowerCase();
  if (isNode(name)) {
    const parts = asArray(name['name']);
    const last = parts[parts.length - 1];
    if (isNode(last)) return str(last['value'])?.toLowerCase();
  }
  return undefined;
}
