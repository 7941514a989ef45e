// Text forms of result rows, for copying cells and for exporting files:
// CSV per RFC 4180 (CRLF, quotes doubled, fields with separators quoted; text that a
// spreadsheet would run as a formula is prefixed with `'`),
// TSV (the same rules with tabs, which spreadsheets paste cleanly), a
// Markdown table, and a JSON array of objects. `exportChunks` yields the text
// a few hundred rows at a time so an export of any size is written as a stream.
import type { Cell, CopyFormat } from '../protocol/results';

/**
 * Text a spreadsheet would run as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a CR.
 * Subjects, names and bodies are written by strangers, and CSV and TSV are opened in
 * spreadsheets, so such text gets a leading `'` (OWASP's advice against CSV injection; the
 * spreadsheet shows the text as typed). Numbers stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function delimited(cell: Cell, sep: string): string {
  if (cell === null) return '';
  const s = typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : String(cell);
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly Cell[], sep = ','): string {
  return cells.map((c) => delimited(c, sep)).join(sep) + '\r\n';
}

function markdownCell(cell: Cell): string {
  if (cell === null) return '';
  return String(cell).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, '<br>');
}

export function markdownLine(cells: readonly Cell[]): string {
  return `| ${cells.map(markdownCell).join(' | ')} |\n`;
}

/**
 * Column names made unique (`Id`, `Id_2`), so JSON objects never lose a value. A
 * repeated name takes the first `_n` that no column uses (`Id, Id, Id_2` gives
 * `Id, Id_3, Id_2`).
 */
export function uniqueNames(columns: readonly string[]): string[] {
  const used = new Set(columns);
  const seen = new Set<string>();
  return columns.map((c) => {
    if (!seen.has(c)) {
      seen.add(c);
      return c;
    }
    let n = 2;
    while (used.has(`${c}_${n}`)) n++;
    used.add(`${c}_${n}`);
    return `${c}_${n}`;
  });
}

function jsonObject(names: readonly string[], cells: readonly Cell[]): string {
  const o: Record<string, Cell> = {};
  names.forEach((n, i) => (o[n] = cells[i] ?? null));
  return JSON.stringify(o);
}

/** The whole text at once: for copying a selection. */
export function formatRows(columns: readonly string[], rows: readonly (readonly Cell[])[], format: CopyFormat, header: boolean): string {
  let out = '';
  for (const chunk of exportChunks(columns, rows, format, header)) out += chunk;
  return format === 'tsv' || format === 'csv' ? out.replace(/\r\n$/, '') : out;
}

/** The text in pieces of `rowsPerChunk` rows (with the header and closing bracket as needed). */
export function* exportChunks(
  columns: readonly string[],
  rows: Iterable<readonly Cell[]>,
  format: CopyFormat,
  header = true,
  rowsPerChunk = 500,
): Generator<string> {
  const names = uniqueNames(columns);
  let buf = '';
  let n = 0;
  if (format === 'csv' || format === 'tsv') {
    if (header) buf += csvLine(columns, format === 'csv' ? ',' : '\t');
  } else if (format === 'markdown') {
    // A table needs a header row; without one the separator row would be alone.
    buf += markdownLine(columns) + `|${columns.map(() => ' --- ').join('|')}|\n`;
  } else {
    buf += '[';
  }
  for (const r of rows) {
    if (format === 'csv') buf += csvLine(r);
    else if (format === 'tsv') buf += csvLine(r, '\t');
    else if (format === 'markdown') buf += markdownLine(r);
    else buf += `${n === 0 ? '\n' : ',\n'}  ${jsonObject(names, r)}`;
    n++;
    if (n % rowsPerChunk === 0) {
      yield buf;
      buf = '';
    }
  }
  if (format === 'json') buf += n === 0 ? ']\n' : '\n]\n';
  if (buf) yield buf;
}
