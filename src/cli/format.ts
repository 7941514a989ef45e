// Output formats of the command line (`npm run query`): an aligned text
// table for people, CSV (RFC 4180) and JSON for programs. Pure functions, so
// the formats are tested without running a query.
import type { ResultValue } from '../core/sql';

export type OutputFormat = 'table' | 'csv' | 'json';

function text(v: ResultValue): string {
  if (v === null) return '';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return String(v);
}

/** One CSV field: quoted when it holds a comma, a quote, CR or LF; quotes doubled (RFC 4180 §2.6–2.7). */
export function csvField(v: ResultValue): string {
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line and one line per row, CRLF line ends (RFC 4180 §2.1). NULL is an empty field. */
export function toCsv(columns: readonly string[], rows: readonly ResultValue[][]): string {
  return [columns.map(csvField), ...rows.map((r) => r.map(csvField))].map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** An array of objects keyed by column name (a repeated name gets `_2`, `_3`); BLOBs as base64. */
export function toJson(columns: readonly string[], rows: readonly ResultValue[][]): string {
  const keys: string[] = [];
  for (const c of columns) {
    let k = c;
    for (let n = 2; keys.includes(k); n++) k = `${c}_${n}`;
    keys.push(k);
  }
  const objects = rows.map((r) => Object.fromEntries(keys.map((k, i) => {
    const v = r[i] ?? null;
    return [k, v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v];
  })));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

/** An aligned table; long cells are cut at `maxWidth` characters, line breaks shown as ⏎, NULL as NULL. */
export function toTable(columns: readonly string[], rows: readonly ResultValue[][], maxWidth = 60): string {
  const cell = (v: ResultValue | undefined): string => {
    const s = v === null || v === undefined ? 'NULL' : text(v).replace(/\r?\n/g, '⏎');
    return s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s;
  };
  const body = rows.map((r) => columns.map((_c, i) => cell(r[i])));
  const widths = columns.map((c, i) => Math.max(Math.min(c.length, maxWidth), ...body.map((r) => r[i]?.length ?? 0)));
  const numeric = columns.map((_c, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  const line = (cells: readonly string[], alignNumbers: boolean): string =>
    cells.map((s, i) => (alignNumbers && numeric[i] ? s.padStart(widths[i] ?? 0) : s.padEnd(widths[i] ?? 0))).join(' | ').trimEnd();
  const out = [line(columns.map((c) => cell(c)), false), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map((r) => line(r, true))];
  return `${out.join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}

export function format(kind: OutputFormat, columns: readonly string[], rows: readonly ResultValue[][]): string {
  return kind === 'csv' ? toCsv(columns, rows) : kind === 'json' ? toJson(columns, rows) : toTable(columns, rows);
}
