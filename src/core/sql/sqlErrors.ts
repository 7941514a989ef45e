// Where in a statement an error from SQLite or the parser belongs. SQLite
// names the culprit ("no such column: c.Foo", near "FORM": syntax error) but
// gives no position; node-sql-parser gives a position for syntax errors. Used
// for live diagnostics and for errors of a run, so both point at the same
// characters. Plain TypeScript.
import { offsetOf } from './statements';

export interface Span {
  readonly start: number;
  readonly end: number;
}

const WORD = /[A-Za-z0-9_$]/;

function wordEnd(sql: string, start: number): number {
  let end = start;
  while (end < sql.length && WORD.test(sql[end] ?? '')) end++;
  return end > start ? end : Math.min(sql.length, start + 1);
}

/** Offset of `name` as a whole identifier (optionally quoted), case-insensitive, outside comments and strings. */
export function findIdentifier(sql: string, name: string): Span | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\./g, '\\s*\\.\\s*');
  const re = new RegExp(`(^|[^A-Za-z0-9_$])("?${escaped}"?)(?![A-Za-z0-9_$])`, 'gi');
  const masked = maskTrivia(sql);
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const start = m.index + (m[1]?.length ?? 0);
    return { start, end: start + (m[2]?.length ?? 0) };
  }
  return undefined;
}

/**
 * The text with comments and the insides of string literals blanked (same
 * length, line breaks kept), so searches skip them. One pass from the left,
 * so "--" inside a string and a quote inside a comment are read as SQLite reads them.
 */
function maskTrivia(sql: string): string {
  const blank = (from: number, to: number): string => sql.slice(from, to).replace(/[^\n]/g, ' ');
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    let end: number;
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? sql.length : nl;
      out += blank(i, end);
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
      out += blank(i, end);
    } else if (c === "'") {
      end = i + 1;
      while (end < sql.length && !(sql[end] === "'" && sql[end + 1] !== "'")) end += sql[end] === "'" ? 2 : 1;
      const closed = end < sql.length;
      out += `'${blank(i + 1, end)}${closed ? "'" : ''}`;
      if (closed) end++;
    } else if (c === '"' || c === '`' || c === '[') {
      // Quoted identifiers stay as written: an error may name one. Skip them whole so a
      // quote or "--" inside one is not taken for a string or a comment.
      const close = sql.indexOf(c === '[' ? ']' : c, i + 1);
      end = close < 0 ? sql.length : close + 1;
      out += sql.slice(i, end);
    } else {
      end = i + 1;
      out += c;
    }
    i = end;
  }
  return out;
}

/**
 * The characters of `sql` an error message is about, or undefined when only
 * the whole statement can be blamed. `position` is 1-based (line, column).
 */
export function errorSpan(sql: string, message: string, position?: { line: number; column: number }): Span | undefined {
  const missing = /no such (?:table|column|function): ([^\s.,]+(?:\.[^\s.,]+)?)/i.exec(message);
  if (missing?.[1]) {
    const name = missing[1].replace(/\.$/, '');
    const full = findIdentifier(sql, name);
    if (full) return full;
    const last = name.split('.').pop();
    if (last && last !== name) {
      const part = findIdentifier(sql, last);
      if (part) return part;
    }
  }
  // "wrong number of arguments to function substr()", "misuse of aggregate function max()": the function's name.
  const fn = /(?:arguments to function|misuse of (?:aggregate |window )?function) ([A-Za-z_][A-Za-z0-9_$]*)\(\)/i.exec(message);
  if (fn?.[1]) {
    const s = findIdentifier(sql, fn[1]);
    if (s) return s;
  }
  const ambiguous = /ambiguous column name: (\S+)/i.exec(message);
  if (ambiguous?.[1]) {
    const s = findIdentifier(sql, ambiguous[1]);
    if (s) return s;
  }
  // SQLite names the token it stopped at; the parser's position (if any) picks the occurrence.
  const hint = position ? offsetOf(sql, position.line, position.column) : undefined;
  const near = /near "([^"]+)": syntax error/i.exec(message);
  if (near?.[1]) {
    const masked = maskTrivia(sql).toLowerCase();
    const token = near[1].toLowerCase();
    let best: number | undefined;
    for (let i = masked.indexOf(token); i >= 0; i = masked.indexOf(token, i + 1)) {
      if (best === undefined || (hint !== undefined && Math.abs(i - hint) < Math.abs(best - hint))) best = i;
      if (hint === undefined) break;
    }
    if (best !== undefined) return { start: best, end: best + near[1].length };
  }
  // The statement stops too early: its last character, wherever the parser gave up.
  if (/incomplete input/i.test(message)) {
    const end = sql.replace(/\s+$/, '').length;
    return { start: Math.max(0, end - 1), end };
  }
  if (hint !== undefined) return { start: hint, end: wordEnd(sql, hint) };
  return undefined;
}
