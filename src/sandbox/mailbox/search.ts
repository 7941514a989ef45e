// The `query` parameter's advanced search syntax, as used by the conversation
// and customer lists: `field:"value"`, `field:value`, `field:[A TO B]` ranges
// (`*` = open end), bare words, `NOT`, `AND`, `OR` and parentheses. Adjacent
// terms without an operator are ANDed. Parsed once per request into a tree,
// then evaluated per record with a field resolver supplied by the caller.
import { isValidApiDate, queryError } from './hal';

export type QueryNode =
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'term'; field: string | null; value: string }
  | { kind: 'range'; field: string; from: string | null; to: string | null };

type Token =
  | { t: '(' | ')' | 'AND' | 'OR' | 'NOT' }
  | { t: 'term'; field: string | null; value: string }
  | { t: 'range'; field: string; from: string | null; to: string | null };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw queryError('query', src, msg, 'InvalidQuery');
  };
  const readQuoted = (): string => {
    // at an opening quote
    let j = i + 1;
    let s = '';
    while (j < src.length && src[j] !== '"') {
      if (src[j] === '\\' && j + 1 < src.length) j += 1;
      s += src[j];
      j += 1;
    }
    if (j >= src.length) fail('Unterminated quoted value');
    i = j + 1;
    return s;
  };
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) { i += 1; continue; }
    if (ch === '(' || ch === ')') { out.push({ t: ch }); i += 1; continue; }
    if (ch === '"') { out.push({ t: 'term', field: null, value: readQuoted() }); continue; }
    let j = i;
    while (j < src.length && !/[\s():"]/.test(src[j] as string)) j += 1;
    const word = src.slice(i, j);
    if (src[j] === ':' && word !== '') {
      i = j + 1;
      const field = word;
      if (src[i] === '"') { out.push({ t: 'term', field, value: readQuoted() }); continue; }
      if (src[i] === '[' || src[i] === '{') {
        const close = src.indexOf(src[i] === '[' ? ']' : '}', i);
        if (close < 0) fail('Unterminated range');
        const inner = src.slice(i + 1, close).trim();
        const m = /^(\S+)\s+TO\s+(\S+)$/.exec(inner);
        if (!m) fail(`Malformed range for ${field}; expected [A TO B]`);
        const from = (m?.[1] ?? '*').replace(/^"|"$/g, '');
        const to = (m?.[2] ?? '*').replace(/^"|"$/g, '');
        out.push({ t: 'range', field, from: from === '*' ? null : from, to: to === '*' ? null : to });
        i = close + 1;
        continue;
      }
      let k = i;
      while (k < src.length && !/[\s()]/.test(src[k] as string)) k += 1;
      const value = src.slice(i, k);
      if (value === '') fail(`Missing value for ${field}`);
      out.push({ t: 'term', field, value });
      i = k;
      continue;
    }
    if (word === '') fail(`Unexpected character '${ch}'`);
    i = j;
    if (word === 'AND' || word === 'OR' || word === 'NOT') out.push({ t: word });
    else out.push({ t: 'term', field: null, value: word });
  }
  return out;
}

/** Parses a query string; a syntax error is a 400 naming the `query` parameter. */
export function parseQuery(src: string): QueryNode {
  const tokens = tokenize(src);
  let pos = 0;
  const fail = (msg: string): never => {
    throw queryError('query', src, msg, 'InvalidQuery');
  };
  const peek = (): Token | undefined => tokens[pos];

  function parseOr(): QueryNode {
    const items = [parseAnd()];
    while (peek()?.t === 'OR') {
      pos += 1;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] as QueryNode : { kind: 'or', items };
  }
  function parseAnd(): QueryNode {
    const items = [parseUnary()];
    for (;;) {
      const p = peek();
      if (p === undefined || p.t === ')' || p.t === 'OR') break;
      if (p.t === 'AND') pos += 1;
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0] as QueryNode : { kind: 'and', items };
  }
  function parseUnary(): QueryNode {
    const p = peek();
    if (p === undefined) return fail('Unexpected end of query');
    if (p.t === 'NOT') {
      pos += 1;
      return { kind: 'not', item: parseUnary() };
    }
    if (p.t === '(') {
      pos += 1;
      const inner = parseOr();
      if (peek()?.t !== ')') fail('Missing closing parenthesis');
      pos += 1;
      return inner;
    }
    if (p.t === 'term') {
      pos += 1;
      return { kind: 'term', field: p.field, value: p.value };
    }
    if (p.t === 'range') {
      pos += 1;
      return { kind: 'range', field: p.field, from: p.from, to: p.to };
    }
    return fail(`Unexpected '${p.t}'`);
  }

  if (tokens.length === 0) fail('Empty query');
  const tree = parseOr();
  if (pos < tokens.length) fail('Unexpected closing parenthesis');
  return tree;
}

/** How one record answers a term: `match(field, value)` for text terms, `date(field)` for ranges. */
export interface QueryResolver {
  /** Known fields (lower-case) for text terms; `null` is the bare-word case. */
  term(field: string | null, value: string): boolean | undefined;
  /** The timestamp of a range field, or undefined for an unknown field. */
  range(field: string): string | null | undefined;
}

/** Case-insensitive substring match, the rule for text fields. */
export function contains(haystack: string | null | undefined, needle: string): boolean {
  return (haystack ?? '').toLowerCase().includes(needle.toLowerCase());
}

/**
 * Checks every field name and range bound once (before any record is visited), so an unknown
 * field or a malformed date is a 400 even when no record would reach it.
 */
export function validateQuery(node: QueryNode, src: string, textFields: readonly string[], rangeFields: readonly string[]): void {
  const lower = (s: string): string => s.toLowerCase();
  const walk = (n: QueryNode): void => {
    if (n.kind === 'and' || n.kind === 'or') n.items.forEach(walk);
    else if (n.kind === 'not') walk(n.item);
    else if (n.kind === 'term') {
      if (n.field !== null && !textFields.map(lower).includes(lower(n.field))) {
        throw queryError('query', src, `Unknown search field '${n.field}'`, 'InvalidQuery');
      }
    } else if (n.kind === 'range') {
      if (!rangeFields.map(lower).includes(lower(n.field))) {
        throw queryError('query', src, `Field '${n.field}' does not take a range`, 'InvalidQuery');
      }
      for (const bound of [n.from, n.to]) {
        if (bound !== null && !isValidApiDate(bound)) {
          throw queryError('query', src, `Malformed date '${bound}', expected format yyyy-MM-dd'T'HH:mm:ss'Z'`, 'MalformedDate');
        }
      }
    }
  };
  walk(node);
}

export function evaluate(node: QueryNode, r: QueryResolver): boolean {
  switch (node.kind) {
    case 'and': return node.items.every((n) => evaluate(n, r));
    case 'or': return node.items.some((n) => evaluate(n, r));
    case 'not': return !evaluate(node.item, r);
    case 'term': return r.term(node.field === null ? null : node.field.toLowerCase(), node.value) ?? false;
    case 'range': {
      const v = r.range(node.field.toLowerCase());
      if (v === null || v === undefined) return false;
      return (node.from === null || v >= node.from) && (node.to === null || v <= node.to);
    }
  }
}
