// What the analysis reads where node-sql-parser's reading differs from
// SQLite's: each case once led the planner to send a filter SQLite does not
// apply (found by the differential test), or to lose a table.
import assert from 'node:assert/strict';
import { analyse } from '../../../../src/core/sql';
import { commaJoinsAsJoin } from '../../../../src/core/sql/parse';

const pushed = (sql: string): string[][] => analyse(sql).refs.map((r) => r.predicates.map((p) => p.text));

describe('core/sql analysis where the parser and SQLite differ', () => {
  it("reads '' in a string as one quote", () => {
    assert.deepEqual(analyse("SELECT 1 FROM Customers WHERE LastName = 'O''Brien'").refs[0]?.predicates[0]?.values, ["O'Brien"]);
    assert.deepEqual(analyse("SELECT 1 FROM Conversations WHERE Tag IN ('it''s')").literalsFor('Tag'), ["it's"]);
  });

  it('keeps the table after a comma that follows a join condition', () => {
    const a = analyse('SELECT 1 FROM Conversations c JOIN Mailboxes m ON m.Id = c.MailboxId, Tags t WHERE t.Name = c.Tag AND t.Id = 5');
    assert.ok(a.parsed);
    assert.deepEqual(a.tables, ['Conversations', 'Mailboxes', 'Tags']);
    assert.deepEqual(a.refs[2]?.predicates.map((p) => p.text), ['Id = 5']);
    assert.equal(commaJoinsAsJoin("SELECT f(1, 2) FROM a JOIN b ON b.x IN (1, 2) AND 'a,b' = b.y, c"), "SELECT f(1, 2) FROM a JOIN b ON b.x IN (1, 2) AND 'a,b' = b.y JOIN  c");
    assert.equal(commaJoinsAsJoin('SELECT 1 FROM a, b WHERE x IN (1, 2)'), 'SELECT 1 FROM a, b WHERE x IN (1, 2)');
  });

  it('sends nothing from an AND next to an OR without parentheses (AND binds tighter in SQLite)', () => {
    assert.deepEqual(pushed("SELECT 1 FROM Conversations WHERE Status = 'closed' OR MailboxId = 1 AND Number = 5"), [[]]);
    assert.deepEqual(pushed("SELECT 1 FROM Conversations WHERE Status = 'closed' OR MailboxId = 1 AND Number = 5 AND Tag = 'x'"), [[]]);
    assert.deepEqual(pushed("SELECT 1 FROM Conversations WHERE Number = 7 AND (Status = 'closed' OR MailboxId = 1 AND Number = 5)"), [['Number = 7']]);
    assert.deepEqual(pushed("SELECT 1 FROM Conversations WHERE (Status = 'closed' OR MailboxId = 1) AND Number = 5"), [['Number = 5']]);
    assert.deepEqual(pushed("SELECT 1 FROM Conversations WHERE MailboxId = 2 AND (Status = 'closed' OR Status = 'active')"), [['MailboxId = 2', "Status IN ('closed', 'active')"]]);
  });

  it('sends nothing compared with COLLATE', () => {
    assert.deepEqual(pushed("SELECT 1 FROM Users WHERE Email = 'ANA@X.EXAMPLE' COLLATE NOCASE"), [[]]);
    assert.deepEqual(pushed("SELECT 1 FROM Users WHERE Email COLLATE NOCASE = 'ana@x.example'"), [[]]);
  });
});
