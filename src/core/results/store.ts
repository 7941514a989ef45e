// The rows of one query result, kept in the extension host. The results page
// shows a window of the *view* (the rows after the page's sort and filters)
// and asks for it by row range; exports and copies read the view here too, so
// nothing ever needs the whole result inside the page. Plain TypeScript.
import type { Cell, Filters, Sort } from '../protocol/results';
import type { ResultValue } from '../sql';

/** Turns an engine value into a cell the page can show (BLOBs become a placeholder). */
export function toCell(v: ResultValue | undefined): Cell {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return `<BLOB ${v.length} bytes>`;
  return v;
}

/** SQLite's order of storage classes: NULL < numbers < text; text by code points (BINARY collation). */
export function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareCodePoints(a, b);
}

/**
 * Text in code point order, which is the byte order of UTF-8 that SQLite
 * compares. JavaScript's `<` compares UTF-16 units instead, which puts
 * characters beyond U+FFFF (emoji) before U+E000..U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800..U+DFFF) above U+E000..U+FFFF, so units compare as code points do. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

type Test = (v: Cell) => boolean;

/**
 * A column filter. Plain text keeps cells that contain it (case-insensitive);
 * `=x`, `!=x`, `>x`, `>=x`, `<x`, `<=x` compare (numerically when x is a
 * number); `null` and `!null` test for NULL.
 */
export function parseFilter(text: string): Test | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t.toLowerCase() === 'null') return (v) => v === null;
  if (t.toLowerCase() === '!null') return (v) => v !== null;
  const m = /^(>=|<=|!=|=|>|<)\s*(.*)$/.exec(t);
  if (m) {
    const op = m[1] ?? '=';
    const raw = m[2] ?? '';
    const num = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
    const cmp = (v: Cell): number | undefined => {
      if (v === null) return undefined;
      if (num !== undefined) {
        const n = typeof v === 'number' ? v : Number(v);
        return Number.isFinite(n) && String(v).trim() !== '' ? n - num : undefined;
      }
      return compareCodePoints(String(v), raw);
    };
    const ops: Record<string, (c: number) => boolean> = {
      '=': (c) => c === 0, '!=': (c) => c !== 0, '>': (c) => c > 0, '>=': (c) => c >= 0, '<': (c) => c < 0, '<=': (c) => c <= 0,
    };
    const test = ops[op] ?? ((c: number) => c === 0);
    return (v) => {
      const c = cmp(v);
      return c === undefined ? op === '!=' : test(c);
    };
  }
  const needle = t.toLowerCase();
  return (v) => v !== null && String(v).toLowerCase().includes(needle);
}

export class ResultStore {
  columns: string[] = [];
  types: string[] = [];
  readonly rows: Cell[][] = [];
  private sort: Sort | null = null;
  private filters: Filters = {};
  /** Row indexes of the view, or undefined while the view is all rows in order. */
  private view: Int32Array | undefined;

  setColumns(columns: readonly string[], types: readonly string[] = []): void {
    this.columns = [...columns];
    this.types = [...types];
  }

  /** Appends rows that arrived from the engine; the view is rebuilt lazily when sorted or filtered. */
  append(rows: readonly (readonly ResultValue[])[]): void {
    for (const r of rows) this.rows.push(r.map(toCell));
    if (this.view) this.view = undefined;
  }

  get sorted(): boolean {
    return this.sort !== null || Object.keys(this.filters).length > 0;
  }

  /** Sets the page's sort and filters and returns the number of rows in the new view. */
  setView(sort: Sort | null, filters: Filters): number {
    this.sort = sort && sort.column < Math.max(this.columns.length, 1) ? sort : null;
    this.filters = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== ''));
    this.view = undefined;
    return this.viewCount;
  }

  get viewCount(): number {
    return this.sorted ? this.ensureView().length : this.rows.length;
  }

  /** Row of the view at `index`. */
  row(index: number): Cell[] | undefined {
    if (!this.sorted) return this.rows[index];
    const i = this.ensureView()[index];
    return i === undefined ? undefined : this.rows[i];
  }

  /** Rows [start, start+count) of the view. */
  window(start: number, count: number): Cell[][] {
    const out: Cell[][] = [];
    const end = Math.min(this.viewCount, start + count);
    for (let i = start; i < end; i++) {
      const r = this.row(i);
      if (r) out.push(r);
    }
    return out;
  }

  /** Every row of the view, in order (for exports). */
  *iterate(): Generator<Cell[]> {
    const n = this.viewCount;
    for (let i = 0; i < n; i++) {
      const r = this.row(i);
      if (r) yield r;
    }
  }

  private ensureView(): Int32Array {
    if (this.view) return this.view;
    const tests: [number, Test][] = [];
    for (const [k, text] of Object.entries(this.filters)) {
      const t = parseFilter(text);
      if (t) tests.push([Number(k), t]);
    }
    const idx: number[] = [];
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i];
      if (r && tests.every(([c, t]) => t(r[c] ?? null))) idx.push(i);
    }
    const s = this.sort;
    if (s) {
      const dir = s.descending ? -1 : 1;
      // Stable: equal cells keep the engine's order.
      idx.sort((a, b) => compareCells(this.rows[a]?.[s.column] ?? null, this.rows[b]?.[s.column] ?? null) * dir || a - b);
    }
    this.view = Int32Array.from(idx);
    return this.view;
  }
}
