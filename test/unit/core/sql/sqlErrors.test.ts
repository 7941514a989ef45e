// Error spans are checked against the messages SQLite really gives: each
// statement runs in the engine over empty catalog tables, and the span of its
// error must cover the characters named here.
import assert from 'node:assert/strict';
import { catalogTable, SqlEngine, SqlError } from '../../../../src/core/sql';
import { errorSpan, findIdentifier } from '../../../../src/core/sql/sqlErrors';

const TABLES = [catalogTable('Conversations', []), catalogTable('Customers', []), catalogTable('Mailboxes', [])];

describe('core/sql error spans', function () {
  this.timeout(30_000);
  const engine = new SqlEngine();
  after(() => engine.dispose());

  /** The text the span of `sql`'s real error covers, with the message. */
  async function blamed(sql: string): Promise<{ text: string | undefined; message: string; start?: number }> {
    try {
      await engine.run(sql, TABLES);
    } catch (e) {
      assert.ok(e instanceof SqlError && e.kind === 'sql', String(e));
      const span = errorSpan(sql, e.message, e.position);
      return span ? { text: sql.slice(span.start, span.end), message: e.message, start: span.start } : { text: undefined, message: e.message };
    }
    assert.fail(`no error for ${sql}`);
  }

  it('points at a missing column, qualified or not, outside strings and comments', async () => {
    const sql = "SELECT c.Id -- c.Nope here is a comment\nFROM Conversations c WHERE c.Subject = 'c.Nope' AND c.Nope = 1";
    const r = await blamed(sql);
    assert.match(r.message, /no such column: c\.Nope/);
    assert.equal(r.text, 'c.Nope');
    assert.equal(r.start, sql.lastIndexOf('c.Nope'));
    assert.equal((await blamed('SELECT Nope FROM Mailboxes')).text, 'Nope');
  });

  it('finds a column after a string that holds "--" or "/*"', async () => {
    const sql = "SELECT Id FROM Conversations WHERE Subject = 'a--b' AND Nope = 1";
    assert.equal((await blamed(sql)).start, sql.indexOf('Nope'));
    const block = "SELECT Id FROM Conversations WHERE Subject = '/*' AND Nope = 1 AND Subject = '*/'";
    assert.equal((await blamed(block)).start, block.indexOf('Nope'));
  });

  it('points at a missing table and a missing function', async () => {
    const t = await blamed('SELECT * FROM Mailboxes m JOIN Conversatons c ON c.MailboxId = m.Id');
    assert.match(t.message, /no such table: Conversatons/);
    assert.equal(t.text, 'Conversatons');
    assert.equal((await blamed('SELECT nosuchfn(Id) FROM Mailboxes')).text, 'nosuchfn');
  });

  it('points at an ambiguous column', async () => {
    const sql = 'SELECT Id FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId';
    const r = await blamed(sql);
    assert.match(r.message, /ambiguous column name: Id/);
    assert.equal(r.start, sql.indexOf('Id'));
  });

  it('points at the token a syntax error names, the occurrence nearest the parser\'s position', async () => {
    const sql = 'SELECT Id FROM Mailboxes\nWHERE Id IN (SELECT Id FROM Mailboxes) AND AND Id > 1';
    const r = await blamed(sql);
    assert.match(r.message, /near "AND": syntax error/);
    assert.equal(r.text, 'AND');
    assert.equal(r.start, sql.indexOf('AND AND') + 4);
    // SQLite reads FORM as an alias and stops at the table name.
    const form = await blamed('SELECT Id FORM Mailboxes');
    assert.match(form.message, /near "Mailboxes": syntax error/);
    assert.equal(form.text, 'Mailboxes');
  });

  it('points at the end of an incomplete statement', async () => {
    const sql = 'SELECT Id FROM Mailboxes WHERE (Id = 1  ';
    const r = await blamed(sql);
    assert.match(r.message, /incomplete input/);
    assert.deepEqual([r.text, r.start], ['1', sql.trimEnd().length - 1]);
  });

  it('blames the whole statement when nothing in the message can be found', () => {
    assert.equal(errorSpan('SELECT 1', 'too many terms in compound SELECT'), undefined);
    assert.equal(errorSpan('SELECT 1', 'no such column: Gone'), undefined);
  });

  it('uses the parser\'s position alone when the message names nothing', () => {
    assert.deepEqual(errorSpan('SELECT Id\nFROM Mailbox_es', 'parse error', { line: 2, column: 6 }), { start: 15, end: 25 });
    assert.deepEqual(errorSpan('SELECT (', 'parse error', { line: 1, column: 8 }), { start: 7, end: 8 });
  });

  describe('findIdentifier', () => {
    it('matches whole identifiers, case-insensitively, quoted or not, across spaces around the dot', () => {
      assert.deepEqual(findIdentifier('SELECT Ids, ID FROM t', 'id'), { start: 12, end: 14 });
      assert.deepEqual(findIdentifier('SELECT "Subject" FROM t', 'Subject'), { start: 7, end: 16 });
      assert.deepEqual(findIdentifier('SELECT c . Foo FROM t c', 'c.Foo'), { start: 7, end: 14 });
      assert.equal(findIdentifier('SELECT $Id, Id_x FROM t', 'Id'), undefined);
      assert.equal(findIdentifier("SELECT 'Id' /* Id */ -- Id", 'Id'), undefined);
    });

    it('takes names with regular-expression characters literally', () => {
      assert.equal(findIdentifier('SELECT aab FROM t', 'a+b'), undefined);
      assert.equal(findIdentifier('SELECT ab FROM t', 'a.b'), undefined);
    });
  });
});
