import assert from 'node:assert/strict';
import { isBlankSql, offsetOf, positionAt, splitStatements, statementAt } from '../../../../src/core/sql/statements';

/** [start, end, text] of each statement, to compare offsets at a glance. */
function spans(text: string): [number, number, string][] {
  return splitStatements(text).map((s) => [s.start, s.end, s.text]);
}

/** The [start, end] of `needle` in `text` (its first occurrence at or after `from`). */
function at(text: string, needle: string, from = 0): [number, number] {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, needle);
  return [i, i + needle.length];
}

describe('core/sql statements', () => {
  it('splits at top-level semicolons with offsets into the original text', () => {
    const text = 'SELECT 1;\n  SELECT 2 ;SELECT 3';
    assert.deepEqual(spans(text), [
      [0, 8, 'SELECT 1'],
      [12, 20, 'SELECT 2'],
      [22, 30, 'SELECT 3'],
    ]);
  });

  it('does not split inside strings, quoted identifiers, brackets or comments', () => {
    const first = `SELECT 'a;b', 'it''s; fine', "odd;name", \`back;tick\`, [br;acket] -- not; here\nFROM t /* nor; here */ WHERE x = ';'`;
    const text = `${first};\nSELECT 2`;
    const [s1, s2] = splitStatements(text);
    assert.deepEqual([s1?.start, s1?.end, s1?.text], [0, first.length, first]);
    assert.deepEqual([s2?.start, s2?.end], at(text, 'SELECT 2'));
  });

  it('starts a statement after leading whitespace and comments, and keeps a trailing comment on its line', () => {
    const text = '-- header\n/* block\n comment */\n\tSELECT 1 -- why\n;\n\n-- only a comment\n;  /* and another */ ; \n';
    const [s] = splitStatements(text);
    assert.equal(splitStatements(text).length, 1);
    assert.deepEqual([s?.start, s?.end], at(text, 'SELECT 1 -- why'));
  });

  it('leaves out empty and comment-only pieces', () => {
    assert.deepEqual(spans(';;  ;\n-- x\n;/* y */'), []);
    assert.deepEqual(spans(''), []);
    assert.equal(isBlankSql(' ; -- a\n /* b */ ;'), true);
    assert.equal(isBlankSql("SELECT '--'"), false);
    assert.equal(isBlankSql("'/* not a comment */'"), false);
  });

  it('runs an unterminated string or comment to the end of the text', () => {
    assert.deepEqual(spans("SELECT 'open; still open"), [[0, 24, "SELECT 'open; still open"]]);
    assert.deepEqual(spans('SELECT 1 /* open; comment'), [[0, 25, 'SELECT 1 /* open; comment']]);
    assert.deepEqual(spans('SELECT "x;'), [[0, 10, 'SELECT "x;']]);
  });

  it('keeps offsets right across CRLF line ends and non-ASCII text', () => {
    const text = "SELECT 'Café; crème' AS d;\r\n\r\nSELECT '😀';\r\n";
    assert.deepEqual(spans(text), [
      [0, 25, "SELECT 'Café; crème' AS d"],
      [...at(text, "SELECT '😀'"), "SELECT '😀'"],
    ]);
  });

  it('finds the statement under the cursor, or the one just before it', () => {
    const text = 'SELECT 1;\n\nSELECT 2;   \n\nSELECT 3';
    const list = splitStatements(text);
    const pick = (offset: number): string | undefined => statementAt(list, offset)?.text;
    assert.equal(pick(0), 'SELECT 1');
    assert.equal(pick(8), 'SELECT 1');
    assert.equal(pick(9), 'SELECT 1', 'right after the semicolon');
    assert.equal(pick(10), 'SELECT 1', 'on the blank line after it');
    assert.equal(pick(text.indexOf('SELECT 2')), 'SELECT 2');
    assert.equal(pick(text.indexOf('SELECT 3') - 1), 'SELECT 2');
    assert.equal(pick(text.length), 'SELECT 3');
    assert.equal(statementAt([], 3), undefined);
    assert.equal(statementAt(splitStatements('\n\nSELECT 1'), 0)?.text, 'SELECT 1', 'before the first statement');
  });

  it('converts between offsets and positions', () => {
    const text = 'ab\ncd\n\nef';
    assert.deepEqual(positionAt(text, 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt(text, 4), { line: 1, character: 1 });
    assert.deepEqual(positionAt(text, 7), { line: 3, character: 0 });
    assert.equal(offsetOf(text, 1, 1), 0);
    assert.equal(offsetOf(text, 2, 2), 4);
    assert.equal(offsetOf(text, 4, 2), 8);
    assert.equal(offsetOf(text, 9, 1), text.length, 'past the last line');
    assert.equal(offsetOf(text, 1, 99), text.length);
    for (let o = 0; o <= text.length; o++) {
      const p = positionAt(text, o);
      assert.equal(offsetOf(text, p.line + 1, p.character + 1), o);
    }
  });
});
