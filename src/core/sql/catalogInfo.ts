// What the editor says about catalog tables and columns: completion details,
// hover text and the "pushed down" marks. Reads the catalog only.
import { allTables, findColumn, findTable, type ColumnDef, type TableDef } from './catalog';

export { allTables, findColumn, findTable };

/** Operators on `column` that the API can apply itself (empty when SQLite alone filters). */
export function pushDownOps(table: TableDef, column: string): string[] {
  const ops = new Set<string>();
  for (const k of table.keys) if (k.column === column) for (const op of k.ops) ops.add(op);
  for (const l of table.list) if (l.parent?.column === column) ops.add('=').add('IN');
  return [...ops];
}

/** Where a pushed filter goes on the wire (`mailbox`, `{conversationId}`, `query=subject:…`). */
export function pushDownTargets(table: TableDef, column: string): string[] {
  const out: string[] = [];
  for (const k of table.keys) {
    if (k.column !== column) continue;
    const t = k.target;
    out.push(t.in === 'query' ? t.name : t.in === 'path' ? `{${t.name}}` : t.in === 'search' ? `query=${t.field}:…` : 'get by id');
    if (k.rangeSearch) out.push(`query=${k.rangeSearch}:[…]`);
  }
  for (const l of table.list) if (l.parent?.column === column) out.push(`{${l.parent.param}}`);
  return [...new Set(out)];
}

export function isRequiredFilter(table: TableDef, column: string): boolean {
  return table.list.length > 0 && table.list.every((l) => l.parent !== undefined) && table.list.some((l) => l.parent?.column === column);
}

/** One line under a column's name: type and push-down. */
export function columnDetail(table: TableDef, c: ColumnDef): string {
  const ops = pushDownOps(table, c.name);
  return ops.length ? `${c.type} · pushed down (${ops.join(' ')})` : c.type;
}

/** Markdown describing a column (completion documentation and hovers). */
export function columnMarkdown(table: TableDef, c: ColumnDef): string {
  const lines = [`**${table.name}.${c.name}** \`${c.type}\``, '', c.description];
  const ops = pushDownOps(table, c.name);
  if (ops.length) {
    lines.push('', `Pushed down to the ${table.api === 'docs' ? 'Docs' : 'Mailbox'} API for \`${ops.join('`, `')}\` → ${pushDownTargets(table, c.name).join(', ')}.`);
  } else {
    lines.push('', 'Filtered by SQLite after fetching (not pushed down).');
  }
  if (isRequiredFilter(table, c.name)) lines.push('', 'Required by the API: without a filter on it, every parent is enumerated.');
  if (c.json) lines.push('', 'JSON text: use `json_each` / `json_extract`.');
  if (c.detail) lines.push('', 'Selecting it costs one extra request per row.');
  return lines.join('\n');
}

/** Markdown describing a table (hovers and completion documentation). */
export function tableMarkdown(t: TableDef, withColumns = true): string {
  const lines = [`**${t.name}** — ${t.staticRows ? 'catalog' : t.api === 'docs' ? 'Docs API' : 'Mailbox API'}`, '', t.description];
  if (t.list.length) lines.push('', `List: ${t.list.map((l) => `\`GET ${l.path}\``).join(' or ')}`);
  if (t.get) lines.push('', `Get by ${t.get.column}: \`GET ${t.get.path}\``);
  const required = t.list.length > 0 && t.list.every((l) => l.parent) ? t.list.map((l) => l.parent?.column).join(' or ') : undefined;
  if (required) lines.push('', `Needs ${required} (else every parent is enumerated).`);
  const keys = [...new Set(t.columns.filter((c) => pushDownOps(t, c.name).length).map((c) => c.name))];
  if (keys.length) lines.push('', `Pushed-down filters: ${keys.map((k) => `\`${k}\``).join(', ')}`);
  if (withColumns) {
    lines.push('', '| Column | Type |', '| --- | --- |');
    for (const c of t.columns) lines.push(`| ${c.name}${pushDownOps(t, c.name).length ? ' ⚡' : ''} | ${c.type} |`);
  }
  return lines.join('\n');
}

/**
 * Table references of a statement by alias (lower case), read with a pattern
 * so it works on half-typed SQL: `FROM Conversations c JOIN Customers AS cu`.
 */
export function tableAliases(sql: string): Map<string, TableDef> {
  const out = new Map<string, TableDef>();
  // A keyword after the table name is not an alias, and is left for the next match
  // (`FROM a JOIN b` must find b too).
  const notAlias = ['where', 'join', 'left', 'right', 'inner', 'outer', 'cross', 'on', 'group', 'order', 'limit', 'natural', 'using', 'union', 'having', 'window', 'full'];
  const re = new RegExp(
    `\\b(?:FROM|JOIN)\\s+(?:main\\.)?("?)([A-Za-z_][A-Za-z0-9_]*)\\1(?:\\s+(?:AS\\s+)?(?!(?:${notAlias.join('|')})\\b)([A-Za-z_][A-Za-z0-9_]*))?`,
    'gi',
  );
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    const t = findTable(m[2] ?? '');
    if (!t) continue;
    out.set(t.name.toLowerCase(), t);
    const alias = m[3]?.toLowerCase();
    if (alias) out.set(alias, t);
  }
  return out;
}

export const SQL_KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'JOIN', 'LEFT JOIN', 'INNER JOIN', 'ON', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'OFFSET',
  'AS', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'BETWEEN', 'IS NULL', 'IS NOT NULL', 'DISTINCT', 'WITH', 'UNION', 'UNION ALL',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'ASC', 'DESC', 'EXPLAIN', 'EXPLAIN QUERY PLAN',
];

export const SQL_FUNCTIONS = [
  'count', 'sum', 'avg', 'min', 'max', 'total', 'group_concat', 'coalesce', 'ifnull', 'nullif', 'lower', 'upper', 'length',
  'substr', 'replace', 'trim', 'round', 'abs', 'date', 'datetime', 'strftime', 'julianday', 'json_each', 'json_extract',
  'json_array_length', 'json_group_array', 'json_group_object', 'row_number', 'rank', 'dense_rank', 'lag', 'lead',
];
