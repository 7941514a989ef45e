// The catalog: every table the SQL engine knows, looked up case-insensitively
// (SQLite matches names that way). sys_tables and sys_tablecolumns describe
// the catalog itself and are generated from it, so they can never drift.
import { docsTables } from './docs';
import { mailboxTables } from './mailbox';
import type { ColumnDef, SqlValue, TableDef } from './types';

export * from './types';
export { extractRow, pick, toSqlValue } from './columns';

const apiTables: readonly TableDef[] = [...mailboxTables, ...docsTables];

function pushDownOperators(table: TableDef, column: string): string {
  const ops = new Set<string>();
  for (const k of table.keys) if (k.column === column) for (const op of k.ops) ops.add(op);
  for (const l of table.list) if (l.parent?.column === column) ops.add('=').add('IN');
  return [...ops].join(' ');
}

function isRequiredFilter(table: TableDef, column: string): boolean {
  return table.list.length > 0 && table.list.every((l) => l.parent !== undefined) && table.list.some((l) => l.parent?.column === column);
}

function isKey(table: TableDef, column: string): boolean {
  return table.keys.some((k) => k.column === column) || table.list.some((l) => l.parent?.column === column);
}

function endpointText(table: TableDef): string {
  return table.list.map((l) => `GET ${l.path}`).join(' | ');
}

const sysTables: TableDef = {
  name: 'sys_tables',
  description: 'The tables of this catalog.',
  api: 'mailbox',
  primaryKey: ['TableName'],
  list: [],
  keys: [],
  typicalPages: 0,
  columns: [
    { name: 'TableName', type: 'TEXT', description: 'Table name.' },
    { name: 'Api', type: 'TEXT', description: 'mailbox (Mailbox API 2.0), docs (Docs API v1) or system.' },
    { name: 'Description', type: 'TEXT', description: 'What the table holds.' },
    { name: 'ListEndpoint', type: 'TEXT', description: 'List endpoint(s).' },
    { name: 'GetEndpoint', type: 'TEXT', description: 'Get-by-id endpoint, if any.' },
    { name: 'RequiredFilters', type: 'TEXT', description: 'Parent key the endpoint needs (enumerated from the parent table when missing).' },
    { name: 'SortableColumns', type: 'TEXT', description: 'Columns the API can sort on (ORDER BY + LIMIT stops paging early).' },
    { name: 'WriteSupport', type: 'TEXT', description: 'Write endpoints (JSON), for the later write feature.' },
  ],
  staticRows: () => allTables().map((t) => tableRow(t)),
};

const sysTableColumns: TableDef = {
  name: 'sys_tablecolumns',
  description: 'The columns of every table of this catalog.',
  api: 'mailbox',
  primaryKey: ['TableName', 'ColumnName'],
  list: [],
  keys: [],
  typicalPages: 0,
  columns: [
    { name: 'TableName', type: 'TEXT', description: 'Table name.' },
    { name: 'ColumnName', type: 'TEXT', description: 'Column name.' },
    { name: 'Ordinal', type: 'INTEGER', description: 'Position in the table (1-based).' },
    { name: 'DataType', type: 'TEXT', description: 'Declared SQLite type.' },
    { name: 'IsKey', type: 'BOOLEAN', description: '1 when filters on it can be sent to the API.' },
    { name: 'IsRequiredFilter', type: 'BOOLEAN', description: '1 when the API needs it (else the parent table is enumerated).' },
    { name: 'PushDownOperators', type: 'TEXT', description: 'Operators sent to the API.' },
    { name: 'IsJson', type: 'BOOLEAN', description: '1 when the value is JSON text (use json_each / json_extract).' },
    { name: 'NeedsDetailRequest', type: 'BOOLEAN', description: '1 when selecting it costs one GET per row.' },
    { name: 'Description', type: 'TEXT', description: 'What the column holds.' },
  ],
  staticRows: () => allTables().flatMap((t) => t.columns.map((c, i) => columnRow(t, c, i))),
};

const systemTables: readonly TableDef[] = [sysTables, sysTableColumns];

function tableRow(t: TableDef): SqlValue[] {
  const required = t.list.length > 0 && t.list.every((l) => l.parent) ? t.list.map((l) => l.parent?.column).join(' or ') : null;
  return [
    t.name,
    t.staticRows ? 'system' : t.api,
    t.description,
    t.list.length ? endpointText(t) : null,
    t.get ? `GET ${t.get.path}` : null,
    required,
    t.sort ? Object.keys(t.sort.columns).join(', ') : null,
    t.write ? JSON.stringify(t.write) : null,
  ];
}

function columnRow(t: TableDef, c: ColumnDef, i: number): SqlValue[] {
  const ops = pushDownOperators(t, c.name);
  return [
    t.name,
    c.name,
    i + 1,
    c.type,
    isKey(t, c.name) ? 1 : 0,
    isRequiredFilter(t, c.name) ? 1 : 0,
    ops || null,
    c.json ? 1 : 0,
    c.detail ? 1 : 0,
    c.description,
  ];
}

/** Every table, API tables first, then the sys_* tables. */
export function allTables(): readonly TableDef[] {
  return [...apiTables, ...systemTables];
}

const byLowerName = new Map(allTables().map((t) => [t.name.toLowerCase(), t]));

/** Looks a table up by name, case-insensitively (as SQLite does). */
export function findTable(name: string): TableDef | undefined {
  return byLowerName.get(name.toLowerCase());
}

export function getTable(name: string): TableDef {
  const t = findTable(name);
  if (!t) throw new Error(`Unknown table ${name}`);
  return t;
}

/** Looks a column up by name, case-insensitively. */
export function findColumn(table: TableDef, name: string): ColumnDef | undefined {
  const lower = name.toLowerCase();
  return table.columns.find((c) => c.name.toLowerCase() === lower);
}

/** Names of all tables, for "no such table" messages and completion. */
export function tableNames(): string[] {
  return allTables().map((t) => t.name);
}

/** `CREATE TABLE` for a catalog table (identifiers quoted; types as declared). */
export function createTableSql(t: TableDef): string {
  const cols = t.columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
  return `CREATE TABLE "${t.name}" (${cols})`;
}
