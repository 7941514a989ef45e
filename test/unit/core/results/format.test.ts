import assert from 'node:assert/strict';
import type { Cell } from '../../../../src/core/protocol/results';
import { csvLine, exportChunks, formatRows, markdownLine, uniqueNames } from '../../../../src/core/results/format';

/** Cells that need care in every format. */
const TRICKY: Cell[] = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', 'tab\there', 'pipe | and \\ slash', null, '', 42, -1.5, ' padded '];

describe('core/results formats', () => {
  describe('CSV (RFC 4180)', () => {
    it('quotes fields with a comma, a quote, CR or LF, doubles quotes, ends lines with CRLF', () => {
      assert.equal(
        csvLine(TRICKY),
        'plain,"a,b","say ""hi""","two\nlines","cr\r\nlf",tab\there,pipe | and \\ slash,,,42,-1.5, padded \r\n',
      );
    });

    it('writes a header and rows, byte for byte, with the trailing CRLF dropped for a copy', () => {
      const columns = ['Id', 'Subject', 'Note'];
      const rows: Cell[][] = [[1, 'Refund, please', null], [2, '"Urgent"', 'line 1\nline 2']];
      const expected = 'Id,Subject,Note\r\n1,"Refund, please",\r\n2,"""Urgent""","line 1\nline 2"';
      assert.equal(formatRows(columns, rows, 'csv', true), expected);
      assert.equal([...exportChunks(columns, rows, 'csv')].join(''), `${expected}\r\n`);
      assert.equal(formatRows(columns, rows, 'csv', false), expected.slice('Id,Subject,Note\r\n'.length));
    });

    it('keeps text a spreadsheet would run as a formula inert with a leading quote; numbers stay numbers', () => {
      assert.equal(
        csvLine(['=HYPERLINK("http://evil.example","x")', '+1', '-2', '@SUM(A1)', '\tx', 'a=b', -3, 0]),
        `"'=HYPERLINK(""http://evil.example"",""x"")",'+1,'-2,'@SUM(A1),'\tx,a=b,-3,0\r\n`,
      );
      assert.equal(formatRows(['A'], [['=1+1']], 'tsv', false), "'=1+1");
    });

    it('quotes a header name that needs it', () => {
      assert.equal(formatRows(['a,b', 'c"d'], [], 'csv', true), '"a,b","c""d"');
    });
  });

  describe('TSV', () => {
    it('uses tabs and quotes only fields with a tab, a quote, CR or LF', () => {
      assert.equal(
        formatRows(['A', 'B'], [['a,b', 'tab\there'], ['x"y', 'n\nl']], 'tsv', true),
        'A\tB\r\na,b\t"tab\there"\r\n"x""y"\t"n\nl"',
      );
    });
  });

  describe('Markdown', () => {
    it('escapes pipes and backslashes, turns line breaks of any kind into <br>, and always has a header', () => {
      assert.equal(markdownLine(['a|b', 'c\\d', 'e\nf', 'g\r\nh', 'i\rj', null, 3]), '| a\\|b | c\\\\d | e<br>f | g<br>h | i<br>j |  | 3 |\n');
      assert.equal(formatRows(['x', 'y'], [[1, 'one']], 'markdown', false), '| x | y |\n| --- | --- |\n| 1 | one |\n');
      assert.equal(formatRows(['x'], [], 'markdown', false), '| x |\n| --- |\n');
    });
  });

  describe('JSON', () => {
    it('writes an array of objects with NULLs and numbers kept, and repeated names made unique', () => {
      const text = formatRows(['Id', 'Name', 'Id'], [[1, 'Ann', 7], [2, null, 8]], 'json', true);
      assert.equal(text, '[\n  {"Id":1,"Name":"Ann","Id_2":7},\n  {"Id":2,"Name":null,"Id_2":8}\n]\n');
      assert.deepEqual(JSON.parse(text), [{ Id: 1, Name: 'Ann', Id_2: 7 }, { Id: 2, Name: null, Id_2: 8 }]);
      assert.equal(formatRows(['Id'], [], 'json', true), '[]\n');
    });

    it('never gives two columns the same name, even when a column is already called Id_2', () => {
      assert.deepEqual(uniqueNames(['Id', 'Id', 'Id']), ['Id', 'Id_2', 'Id_3']);
      assert.deepEqual(uniqueNames(['Id', 'Id', 'Id_2']), ['Id', 'Id_3', 'Id_2']);
      const text = formatRows(['Id', 'Id', 'Id_2'], [[1, 2, 3]], 'json', true);
      assert.deepEqual(JSON.parse(text), [{ Id: 1, Id_3: 2, Id_2: 3 }]);
    });
  });

  describe('streamed export', () => {
    it('yields the text in chunks of whole rows, the header in the first, and the same text as one piece', () => {
      const rows: Cell[][] = Array.from({ length: 1001 }, (_, i) => [i, `r${i}`]);
      for (const format of ['csv', 'json', 'markdown'] as const) {
        const chunks = [...exportChunks(['n', 's'], rows, format, true, 500)];
        assert.equal(chunks.length, 3, format);
        assert.equal(chunks.join(''), [...exportChunks(['n', 's'], rows, format, true, 5000)].join(''), format);
      }
      const csv = [...exportChunks(['n', 's'], rows, 'csv', true, 500)];
      assert.ok(csv[0]?.startsWith('n,s\r\n0,r0\r\n'));
      assert.equal(csv[0]?.split('\r\n').length, 502);
      assert.equal(csv[2], '1000,r1000\r\n');
      const json = [...exportChunks(['n', 's'], rows, 'json', true, 500)];
      assert.equal(json[2], ',\n  {"n":1000,"s":"r1000"}\n]\n');
    });

    it('reads rows lazily from an iterator', () => {
      let produced = 0;
      function* rows(): Generator<Cell[]> {
        for (let i = 0; i < 10; i++) {
          produced++;
          yield [i];
        }
      }
      const it = exportChunks(['n'], rows(), 'csv', true, 2);
      assert.equal(it.next().value, 'n\r\n0\r\n1\r\n');
      assert.equal(produced, 2);
    });
  });
});
