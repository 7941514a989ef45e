// The command line's output formats: CSV per RFC 4180 (quoting, doubled
// quotes, CRLF, NULL as empty), JSON objects, and the aligned text table.
import assert from 'node:assert/strict';
import { csvField, toCsv, toJson, toTable } from '../../../src/cli/format';

describe('command-line output formats', () => {
  it('quotes CSV fields only when they hold a comma, quote, CR or LF, doubling quotes', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(12.5), '12.5');
    assert.equal(csvField(' spaced '), ' spaced ');
  });

  it('writes a header and CRLF-terminated records', () => {
    const csv = toCsv(['Id', 'Subject', 'Note'], [[1, 'Refund, please', null], [2, 'He said "no"', 'x\ny']]);
    assert.equal(csv, 'Id,Subject,Note\r\n1,"Refund, please",\r\n2,"He said ""no""","x\ny"\r\n');
  });

  it('writes JSON objects keyed by column, renaming repeated names', () => {
    const parsed: unknown = JSON.parse(toJson(['Id', 'count(*)', 'Id'], [[1, 3, 7], [2, null, 8]]));
    assert.deepEqual(parsed, [{ Id: 1, 'count(*)': 3, Id_2: 7 }, { Id: 2, 'count(*)': null, Id_2: 8 }]);
  });

  it('aligns the table, right-aligns numbers, shows NULL and cuts long cells', () => {
    const t = toTable(['Number', 'Subject'], [[7, 'Short'], [1234, 'x'.repeat(100)], [null, 'line\nbreak']], 20);
    const lines = t.split('\n');
    assert.equal(lines[0], 'Number | Subject');
    assert.equal(lines[2], '     7 | Short');
    assert.equal(lines[3], `  1234 | ${'x'.repeat(19)}…`);
    assert.equal(lines[4], '  NULL | line⏎break');
    assert.equal(lines[5], '(3 rows)');
  });
});
