// Splits the text of a `.hsql` file into statements at top-level semicolons,
// skipping strings, quoted identifiers and comments. Called by the CodeLens
// provider, the diagnostics and "Run Statement" to find the statement under
// the cursor. Plain TypeScript (no vscode), offsets into the original text.

export interface Statement {
  /** Offset of the first character that is not whitespace or a comment. */
  readonly start: number;
  /** Offset just after the last character of the statement (before the `;`). */
  readonly end: number;
  readonly text: string;
}

/** True when the text holds only whitespace, comments and semicolons. */
export function isBlankSql(text: string): boolean {
  return stripComments(text).replace(/[\s;]+/g, '') === '';
}

function stripComments(text: string): string {
  return text.replace(/--[^\n]*(\n|$)/g, ' ').replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ');
}

/** Statements in order; empty and comment-only pieces are left out. */
export function splitStatements(text: string): Statement[] {
  const out: Statement[] = [];
  let pieceStart = 0;
  const flush = (end: number): void => {
    const piece = text.slice(pieceStart, end);
    if (!isBlankSql(piece)) {
      const lead = leadingTrivia(piece);
      const trimmedEnd = pieceStart + piece.replace(/\s+$/, '').length;
      out.push({ start: pieceStart + lead, end: trimmedEnd, text: text.slice(pieceStart + lead, trimmedEnd) });
    }
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(text, i, c);
    } else if (c === '[') {
      const close = text.indexOf(']', i + 1);
      i = close < 0 ? text.length : close + 1;
    } else if (c === ';') {
      flush(i);
      pieceStart = i + 1;
      i++;
    } else {
      i++;
    }
  }
  flush(text.length);
  return out;
}

/** Index after a quoted run that starts at `i`; a doubled quote is an escaped quote. */
function skipQuoted(text: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === quote) {
      if (text[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return text.length;
}

/** Length of whitespace and comments at the start of a piece. */
function leadingTrivia(piece: string): number {
  let i = 0;
  for (;;) {
    const ws = /^\s+/.exec(piece.slice(i));
    if (ws) i += ws[0].length;
    if (piece.startsWith('--', i)) {
      const nl = piece.indexOf('\n', i);
      i = nl < 0 ? piece.length : nl + 1;
    } else if (piece.startsWith('/*', i)) {
      const close = piece.indexOf('*/', i + 2);
      i = close < 0 ? piece.length : close + 2;
    } else {
      return i;
    }
  }
}

/** The statement containing `offset`, or the nearest one before it (cursor after the `;`). */
export function statementAt(statements: readonly Statement[], offset: number): Statement | undefined {
  let best: Statement | undefined;
  for (const s of statements) {
    if (offset >= s.start && offset <= s.end + 1) return s;
    if (s.end < offset) best = s;
  }
  return best ?? statements[0];
}

/** 0-based line and character of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** Offset of a 1-based line and column inside `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}
