// Builds the Mailbox API's search `query` syntax (conversations and customers)
// without string pasting: values are quoted with `"` and `\` escaped, field
// names are checked, and every compound is parenthesised, e.g.
//   query.and(query.field('subject', 'refund'), query.not(query.field('email', 'x@y.z')),
//             query.range('modifiedAt', from, '*'))
//   → (subject:"refund" AND (NOT email:"x@y.z") AND modifiedAt:[2024-01-01T00:00:00Z TO *])

import { formatApiDate } from '../http/client';

/** One piece of a search query; `String(q)` gives the text to send. */
export class SearchQuery {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type QueryPart = SearchQuery | string;
export type RangeBound = Date | string | number | '*';

const FIELD = /^[A-Za-z][A-Za-z0-9_.]*$/;

function checkField(name: string): string {
  if (!FIELD.test(name)) throw new RangeError(`Not a search field name: ${JSON.stringify(name)}`);
  return name;
}

/** Quotes a value: `"` and `\` are escaped with a backslash. */
export function quoteValue(value: string | number | boolean): string {
  return `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function bound(v: RangeBound): string {
  if (v === '*') return '*';
  if (v instanceof Date) return formatApiDate(v);
  if (typeof v === 'number') return String(v);
  // A string bound is a date (normalised to the API's form) or a plain number.
  if (/^-?\d+(\.\d+)?$/.test(v)) return v;
  return formatApiDate(v);
}

function text(p: QueryPart): string {
  return typeof p === 'string' ? p : p.text;
}

function join(op: 'AND' | 'OR', parts: readonly QueryPart[]): SearchQuery {
  const texts = parts.map(text).filter((t) => t.trim() !== '');
  if (texts.length === 0) throw new RangeError(`${op} needs at least one part`);
  if (texts.length === 1) return new SearchQuery(texts[0] ?? '');
  return new SearchQuery(`(${texts.join(` ${op} `)})`);
}

export const query = {
  /** `name:"value"` */
  field(name: string, value: string | number | boolean): SearchQuery {
    return new SearchQuery(`${checkField(name)}:${quoteValue(value)}`);
  },
  /** `name:[from TO to]`; `*` leaves a side open; dates go out as `YYYY-MM-DDTHH:MM:SSZ`. */
  range(name: string, from: RangeBound, to: RangeBound): SearchQuery {
    return new SearchQuery(`${checkField(name)}:[${bound(from)} TO ${bound(to)}]`);
  },
  and(...parts: QueryPart[]): SearchQuery {
    return join('AND', parts);
  },
  or(...parts: QueryPart[]): SearchQuery {
    return join('OR', parts);
  },
  not(part: QueryPart): SearchQuery {
    return new SearchQuery(`(NOT ${text(part)})`);
  },
  /** Text passed through as written (the caller is responsible for it). */
  raw(t: string): SearchQuery {
    return new SearchQuery(t);
  },
  /** The final `query` parameter: the expression, parenthesised once. */
  build(part: QueryPart): string {
    const t = text(part).trim();
    return t.startsWith('(') && balancedOuter(t) ? t : `(${t})`;
  },
};

/** True when `t`'s first `(` closes at its last character (quotes respected). */
function balancedOuter(t: string): boolean {
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0 && i !== t.length - 1) return false;
    }
  }
  return depth === 0 && t.endsWith(')');
}
