// Judges a statement without fetching anything: SQLite prepares it over empty
// tables with the catalog's columns, so syntax errors, unknown tables, columns
// and functions and wrong argument counts are found before a single request.
// Used by the editor's live diagnostics and by `runSql` before it fetches.
import { allTables } from './catalog';
import { catalogTable, SqlError, type SqlEngine, type TableData } from './engine/engine';
import { analyse, SqlRejectedError, syntaxErrorPosition, type SqlPosition } from './parse';
import { errorSpan } from './sqlErrors';
import { positionAt, unreadableCharacter } from './statementKind';

/** A problem found in one statement, as offsets into the statement. */
export interface StatementProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** 1-based line and column of `start`. */
  readonly position: SqlPosition;
}

export interface CheckOptions {
  /** Cancels the check (it then throws SqlError 'cancelled'). */
  readonly signal?: AbortSignal;
}

let emptyTables: TableData[] | undefined;

/** Every catalog table, empty (the catalog does not change while running). */
function catalogTablesEmpty(): TableData[] {
  emptyTables ??= allTables().map((t) => catalogTable(t.name, []));
  return emptyTables;
}

function problemAt(sql: string, start: number, end: number, message: string): StatementProblem {
  return { start, end, message, position: positionAt(sql, start) };
}

/**
 * What SQLite says about a read statement prepared over empty catalog tables,
 * or undefined when it prepares. `sql` is the statement SQLite would run (for
 * our `EXPLAIN <query>`, the query). Failures of the worker itself are not
 * reported (the run will report them); a cancel throws.
 */
export async function probeStatement(engine: SqlEngine, sql: string, opts: CheckOptions = {}): Promise<StatementProblem | undefined> {
  const unreadable = unreadableCharacter(sql);
  if (unreadable) return problemAt(sql, unreadable.offset, unreadable.offset + 1, unreadable.message);
  const probe = /^\s*EXPLAIN\s+QUERY\s+PLAN\b/i.test(sql) ? sql : `EXPLAIN QUERY PLAN ${sql}`;
  try {
    await engine.run(probe, catalogTablesEmpty(), { chunkSize: 1000, maxRows: 10_000, ...(opts.signal ? { signal: opts.signal } : {}) });
    return undefined;
  } catch (err) {
    if (err instanceof SqlError && err.kind === 'cancelled' && opts.signal?.aborted) throw err;
    if (!(err instanceof SqlError) || err.kind !== 'sql') return undefined;
    const message = err.message.replace(/^EXPLAIN QUERY PLAN /i, '');
    const position = /syntax error|incomplete input|unrecognized token/i.test(message) ? syntaxErrorPosition(sql) : undefined;
    const span = errorSpan(sql, message, position);
    if (span) return problemAt(sql, span.start, Math.max(span.end, span.start + 1), message);
    if (position) return { start: 0, end: sql.length, message, position };
    return problemAt(sql, 0, sql.length, message);
  }
}

/** The problem as the error `runSql` throws: SQLite's message with its line and column. */
export function problemError(p: StatementProblem): SqlError {
  return new SqlError(p.message, 'sql', p.position);
}

/**
 * Checks one statement without fetching: statements that may not run (writes,
 * several statements) are refused by the parser adapter; everything else is
 * prepared by SQLite over empty tables.
 */
export async function checkStatement(engine: SqlEngine, sql: string, opts: CheckOptions = {}): Promise<StatementProblem | undefined> {
  let inner = sql;
  let prefix = 0;
  try {
    const a = analyse(sql);
    if (a.kind === 'explain') {
      // `EXPLAIN <query>` shows our plan; check the query after the keyword.
      prefix = sql.length - a.sql.length;
      inner = a.sql;
    }
  } catch (err) {
    if (err instanceof SqlRejectedError) return problemAt(sql, 0, Math.min(sql.length, /^\s*\w+/.exec(sql)?.[0].length ?? sql.length), err.message);
    throw err;
  }
  const p = await probeStatement(engine, inner, opts);
  if (!p) return undefined;
  return problemAt(sql, prefix + p.start, prefix + p.end, p.message);
}
