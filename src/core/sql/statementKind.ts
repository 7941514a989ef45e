// What kind of statement a text is, read from its keywords the way SQLite's
// tokenizer reads them (comments, strings and quoted identifiers skipped),
// before any parsing or planning. The parser adapter refuses everything but
// reads with it, so a write never plans a fetch, however it is spelled:
// `WITH ... INSERT`, `INSERT OR REPLACE`, `REPLACE`, `ATTACH`, `PRAGMA x = y`,
// `CREATE`, `DROP`, `VACUUM`, ... The write path uses it to tell writes from
// queries. Plain TypeScript, no parser: it must never throw and never be slow.

export type WriteTarget = 'data' | 'schema' | 'database' | 'setting';

export type StatementKind =
  /** SELECT, VALUES, WITH ... SELECT, EXPLAIN of a read, a read-only PRAGMA. */
  | { readonly kind: 'read'; readonly verb: string }
  /** Changes something; `verb` as the user wrote it, e.g. `WITH ... INSERT`, `INSERT OR REPLACE`. */
  | { readonly kind: 'write'; readonly verb: string; readonly target: WriteTarget }
  /** Transaction control (BEGIN, COMMIT, SAVEPOINT, ...): nothing to run on its own. */
  | { readonly kind: 'transaction'; readonly verb: string }
  /** Only whitespace, comments and semicolons. */
  | { readonly kind: 'empty' }
  /** Starts with something that is not a statement keyword: SQLite will say what is wrong. */
  | { readonly kind: 'unknown' };

interface Token {
  /** Upper-cased word, or the character for punctuation; '' for strings and quoted identifiers. */
  readonly word: string;
  readonly punct: boolean;
  /** Parenthesis depth before the token. */
  readonly depth: number;
}

const SPACE = /[ \t\n\f\r]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** SQLite's tokens, coarsely: enough to find keywords, parentheses and semicolons at each depth. */
function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] ?? '';
    if (SPACE.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(close, j);
        if (k < 0) {
          j = n;
          break;
        }
        // A doubled quote is an escaped quote (not for brackets).
        if (close !== ']' && sql[k + 1] === close) {
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      out.push({ word: '', punct: false, depth });
      i = j;
    } else if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < n && WORD_CHAR.test(sql[j] ?? '')) j++;
      out.push({ word: sql.slice(i, j).toUpperCase(), punct: false, depth });
      i = j;
    } else {
      if (c === ')') depth = Math.max(0, depth - 1);
      out.push({ word: c, punct: true, depth });
      if (c === '(') depth++;
      i++;
    }
  }
  return out;
}

const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);
const SCHEMA = new Set(['CREATE', 'DROP', 'ALTER']);
const DATABASE = new Set(['ATTACH', 'DETACH', 'VACUUM', 'REINDEX', 'ANALYZE']);
const TRANSACTION = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
/** Words between CREATE/DROP and the object kind. */
const OBJECT_MODIFIERS = new Set(['TEMP', 'TEMPORARY', 'UNIQUE', 'VIRTUAL']);
/** Pragmas that only read, with an argument naming what to describe. */
const PRAGMAS_WITH_ARGUMENT = new Set([
  'TABLE_INFO', 'TABLE_XINFO', 'TABLE_LIST', 'INDEX_INFO', 'INDEX_XINFO', 'INDEX_LIST', 'FOREIGN_KEY_LIST', 'FOREIGN_KEY_CHECK',
  'INTEGRITY_CHECK', 'QUICK_CHECK',
]);
/** Pragmas that do something even without an argument. */
const PRAGMA_COMMANDS = new Set(['OPTIMIZE', 'SHRINK_MEMORY', 'INCREMENTAL_VACUUM', 'WAL_CHECKPOINT']);

function classifyFrom(tokens: readonly Token[], start: number): StatementKind {
  let i = start;
  while (tokens[i]?.word === ';') i++;
  const first = tokens[i];
  if (!first) return { kind: 'empty' };
  const verb = first.punct ? '' : first.word;
  const next = (k: number): string => tokens[i + k]?.word ?? '';

  if (verb === 'EXPLAIN') {
    const skip = next(1) === 'QUERY' && next(2) === 'PLAN' ? 3 : 1;
    const inner = classifyFrom(tokens, i + skip);
    return inner.kind === 'empty' ? { kind: 'unknown' } : inner;
  }
  if (verb === 'SELECT' || verb === 'VALUES') return { kind: 'read', verb };
  if (verb === 'WITH') {
    // The statement's verb is the first of these at the WITH's own depth, after the CTE list.
    for (let k = i + 1; k < tokens.length; k++) {
      const t = tokens[k];
      if (!t || t.depth !== first.depth || t.punct) continue;
      if (t.word === 'SELECT' || t.word === 'VALUES') return { kind: 'read', verb: `WITH ... ${t.word}` };
      if (DML.has(t.word)) return { kind: 'write', verb: `WITH ... ${t.word}`, target: 'data' };
    }
    return { kind: 'unknown' };
  }
  if (DML.has(verb)) {
    const or = verb === 'INSERT' && next(1) === 'OR' && next(2) ? ` OR ${next(2)}` : '';
    return { kind: 'write', verb: `${verb}${or}`, target: 'data' };
  }
  if (SCHEMA.has(verb)) {
    let k = 1;
    while (OBJECT_MODIFIERS.has(next(k))) k++;
    const object = /^[A-Z]+$/.test(next(k)) ? ` ${next(k)}` : '';
    return { kind: 'write', verb: `${verb}${object}`, target: 'schema' };
  }
  if (DATABASE.has(verb)) return { kind: 'write', verb, target: 'database' };
  if (TRANSACTION.has(verb)) return { kind: 'transaction', verb };
  if (verb === 'PRAGMA') {
    // PRAGMA [schema.]name [= value | (value)]
    let k = 1;
    if (next(2) === '.') k = 3;
    const name = next(k);
    const after = next(k + 1);
    const shown = `PRAGMA ${name.toLowerCase()}`;
    if (after === '=') return { kind: 'write', verb: `${shown} = ...`, target: 'setting' };
    if (after === '(' && !PRAGMAS_WITH_ARGUMENT.has(name)) return { kind: 'write', verb: `${shown}(...)`, target: 'setting' };
    if (PRAGMA_COMMANDS.has(name)) return { kind: 'write', verb: shown, target: 'database' };
    return { kind: 'read', verb: 'PRAGMA' };
  }
  return { kind: 'unknown' };
}

/** The kind of the (first) statement in `sql`. */
export function classifyStatement(sql: string): StatementKind {
  return classifyFrom(tokenize(sql), 0);
}

/** True when text other than semicolons follows a top-level semicolon. */
export function hasSeveralStatements(sql: string): boolean {
  const tokens = tokenize(sql);
  let i = 0;
  while (tokens[i]?.word === ';') i++;
  let sawEnd = false;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) break;
    if (t.punct && t.word === ';' && t.depth === 0) sawEnd = true;
    else if (sawEnd) return true;
  }
  return false;
}

const WHAT: Record<WriteTarget, string> = {
  data: 'which changes data',
  schema: 'which changes the schema',
  database: 'which changes the database',
  setting: 'which changes a setting',
};

/**
 * Why a statement may not run as a query (a write of any form, transaction
 * control, several statements), or undefined when it may: a read, or text
 * SQLite will judge. Never throws.
 */
export function readOnlyProblem(sql: string): string | undefined {
  const k = classifyStatement(sql);
  if (k.kind === 'write') return `Only SELECT statements can run (this one is ${k.verb}, ${WHAT[k.target]}).`;
  if (k.kind === 'transaction') return `Only SELECT statements can run (this one is ${k.verb}, a transaction statement).`;
  if (hasSeveralStatements(sql)) return 'Run one statement at a time.';
  return undefined;
}

/** True for data-changing statements (INSERT, UPDATE, DELETE, REPLACE, with or without WITH): the write path's business. */
export function isDataWrite(sql: string): boolean {
  const k = classifyStatement(sql);
  return k.kind === 'write' && k.target === 'data';
}

/** 1-based line and column of an offset (lines end at \n). */
export function positionAt(sql: string, offset: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = sql.indexOf('\n'); i >= 0 && i < offset; i = sql.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A character SQLite would stop reading at, which would make it run a shorter
 * statement than the one written (`SELECT ... \0 WHERE 1 = 0` would return
 * every row): the NUL character, anywhere, even inside a string.
 */
export function unreadableCharacter(sql: string): { readonly offset: number; readonly message: string } | undefined {
  const offset = sql.indexOf('\0');
  if (offset < 0) return undefined;
  const { line, column } = positionAt(sql, offset);
  return {
    offset,
    message: `The statement contains a NUL character (line ${line}, column ${column}); SQLite would stop reading there. Remove it.`,
  };
}
