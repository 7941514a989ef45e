import assert from 'node:assert/strict';
import type { Cell } from '../../../../src/core/protocol/results';
import { compareCells, parseFilter, ResultStore, toCell } from '../../../../src/core/results/store';
import { SqlEngine } from '../../../../src/core/sql';

/** Cells of every storage class, with text that sorts differently by UTF-16 unit and by code point. */
const MIXED: Cell[] = [
  'b', null, 10, 'B', '10', 2.5, '', -3, 'é', 'e', 'Z', 9, '\uFFFD', '😀', 'a b', 'ab', '\uE000', null, 0, -0.5, 'Ω', '2',
];

function sqlLiteral(c: Cell): string {
  if (c === null) return 'NULL';
  if (typeof c === 'number') return String(c);
  return `'${c.replace(/'/g, "''")}'`;
}

describe('core/results store', () => {
  describe('cells and order', () => {
    it('turns engine values into cells: NULL and missing values to null, BLOBs to a placeholder', () => {
      assert.equal(toCell(undefined), null);
      assert.equal(toCell(null), null);
      assert.equal(toCell(0), 0);
      assert.equal(toCell(''), '');
      assert.equal(toCell(new Uint8Array([1, 2, 3])), '<BLOB 3 bytes>');
    });

    it('sorts mixed cells in the order SQLite gives for ORDER BY', async function () {
      this.timeout(30_000);
      const engine = new SqlEngine();
      try {
        const sql = `SELECT v FROM (${MIXED.map((c) => `SELECT ${sqlLiteral(c)} AS v`).join(' UNION ALL ')}) ORDER BY v`;
        const r = await engine.run(sql, []);
        const fromSqlite = r.rows.map((row) => toCell(row[0]));
        assert.deepEqual([...MIXED].sort(compareCells), fromSqlite);
        // Descending is the exact reverse.
        const desc = await engine.run(`${sql} DESC`, []);
        assert.deepEqual([...MIXED].sort((a, b) => compareCells(b, a)), desc.rows.map((row) => toCell(row[0])));
      } finally {
        engine.dispose();
      }
    });

    it('compares text by code point, like SQLite\'s BINARY collation on UTF-8', () => {
      assert.ok(compareCells('\uFFFD', '😀') < 0, 'U+FFFD sorts before U+1F600');
      assert.ok(compareCells('\uE000', '😀') < 0);
      assert.ok(compareCells('😀', '\uFFFD') > 0);
      assert.ok(compareCells('a😀', 'a😁') < 0);
      assert.equal(compareCells('😀', '😀'), 0);
      assert.ok(compareCells('B', 'a') < 0, 'upper case first');
      assert.ok(compareCells(1e9, '0') < 0, 'numbers before text');
      assert.ok(compareCells(null, -Infinity) < 0, 'NULL first');
    });
  });

  describe('filters', () => {
    const keep = (text: string, cells: Cell[]): Cell[] => {
      const test = parseFilter(text);
      assert.ok(test, text);
      return cells.filter(test);
    };
    const cells: Cell[] = [null, 5, 10, '7', '10', 'abc', 'ABCD', '', ' ', -2];

    it('treats blank text as no filter', () => {
      assert.equal(parseFilter(''), undefined);
      assert.equal(parseFilter('   '), undefined);
    });

    it('keeps cells containing plain text, case-insensitively, and never NULL', () => {
      assert.deepEqual(keep('abc', cells), ['abc', 'ABCD']);
      assert.deepEqual(keep(' 1 ', cells), [10, '10']);
      assert.deepEqual(keep('-2', cells), [-2]);
    });

    it('tests for NULL', () => {
      assert.deepEqual(keep('null', cells), [null]);
      assert.deepEqual(keep('NULL', cells), [null]);
      assert.deepEqual(keep('!null', cells), cells.filter((c) => c !== null));
    });

    it('compares numerically when the operand is a number, text that is not a number never matching', () => {
      assert.deepEqual(keep('>6', cells), [10, '7', '10']);
      assert.deepEqual(keep('>= 10', cells), [10, '10']);
      assert.deepEqual(keep('<0', cells), [-2]);
      assert.deepEqual(keep('=10', cells), [10, '10']);
      assert.deepEqual(keep('=1e1', cells), [10, '10']);
      // != keeps everything else, NULL and non-numbers included.
      assert.deepEqual(keep('!=10', cells), [null, 5, '7', 'abc', 'ABCD', '', ' ', -2]);
    });

    it('compares as text (case-sensitive) when the operand is not a number', () => {
      assert.deepEqual(keep('=abc', cells), ['abc']);
      assert.deepEqual(keep('>abc', ['abd', 'abc', 'ABD', 'b']), ['abd', 'b']);
      assert.deepEqual(keep('=', cells), ['']);
    });
  });

  describe('the view', () => {
    function store(): ResultStore {
      const s = new ResultStore();
      s.setColumns(['Id', 'Status', 'Count'], ['INTEGER', 'TEXT', 'INTEGER']);
      s.append([[1, 'active', 3], [2, 'closed', null], [3, 'active', 1], [4, 'pending', 3], [5, 'closed', new Uint8Array(2)]]);
      return s;
    }
    const ids = (s: ResultStore): Cell[] => [...s.iterate()].map((r) => r[0] ?? null);

    it('is every row in engine order until sorted or filtered', () => {
      const s = store();
      assert.equal(s.sorted, false);
      assert.equal(s.viewCount, 5);
      assert.deepEqual(ids(s), [1, 2, 3, 4, 5]);
      assert.deepEqual(s.row(4), [5, 'closed', '<BLOB 2 bytes>']);
    });

    it('sorts stably in both directions: equal cells keep the engine\'s order', () => {
      const s = store();
      assert.equal(s.setView({ column: 2, descending: false }, {}), 5);
      assert.deepEqual(ids(s), [2, 3, 1, 4, 5]);
      s.setView({ column: 2, descending: true }, {});
      assert.deepEqual(ids(s), [5, 1, 4, 3, 2]);
      s.setView({ column: 1, descending: false }, {});
      assert.deepEqual(ids(s), [1, 3, 2, 5, 4]);
    });

    it('filters on several columns at once, then sorts what is left; blank filters are ignored', () => {
      const s = store();
      assert.equal(s.setView({ column: 0, descending: true }, { 1: 'ACT', 2: '>=2', 0: '  ' }), 1);
      assert.deepEqual(ids(s), [1]);
      assert.equal(s.setView(null, { 1: 'clo' }), 2);
      assert.equal(s.sorted, true);
      assert.deepEqual(ids(s), [2, 5]);
    });

    it('ignores a sort on a column that does not exist', () => {
      const s = store();
      assert.equal(s.setView({ column: 3, descending: true }, {}), 5);
      assert.equal(s.sorted, false);
      assert.deepEqual(ids(s), [1, 2, 3, 4, 5]);
    });

    it('serves windows of the view and puts rows appended later in their sorted place', () => {
      const s = store();
      s.setView({ column: 0, descending: true }, {});
      assert.deepEqual(s.window(1, 2).map((r) => r[0]), [4, 3]);
      assert.deepEqual(s.window(4, 10).map((r) => r[0]), [1]);
      assert.deepEqual(s.window(9, 10), []);
      s.append([[6, 'active', 0], [0, 'active', 0]]);
      assert.equal(s.viewCount, 7);
      assert.deepEqual(ids(s), [6, 5, 4, 3, 2, 1, 0]);
      assert.equal(s.row(7), undefined);
    });

    it('keeps 100,000 rows sorted and windowed quickly', () => {
      const s = new ResultStore();
      s.setColumns(['n']);
      s.append(Array.from({ length: 100_000 }, (_, i) => [(i * 7919) % 100_000]));
      const t0 = performance.now();
      s.setView({ column: 0, descending: false }, { 0: '>=50000' });
      assert.equal(s.viewCount, 50_000);
      assert.deepEqual(s.window(0, 3), [[50_000], [50_001], [50_002]]);
      assert.ok(performance.now() - t0 < 2000);
    });
  });
});
