import assert from 'node:assert/strict';
import { analyse, SqlRejectedError } from '../../../../src/core/sql';

/** Pushable predicates per reference, keyed `Table` or `Table/alias`. */
function pushed(sql: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of analyse(sql).refs) {
    const key = r.alias ? `${r.table}/${r.alias}` : r.table;
    out[key] = [...(out[key] ?? []), ...r.predicates.map((p) => p.text)];
  }
  return out;
}

const CASES: [string, Record<string, string[]>][] = [
  ["SELECT * FROM Conversations WHERE MailboxId = 1 AND Status = 'closed'", { Conversations: ['MailboxId = 1', "Status = 'closed'"] }],
  ['SELECT * FROM conversations WHERE mailboxid = 1', { Conversations: ['MailboxId = 1'] }],
  ['SELECT * FROM Conversations WHERE 5 < Number AND Number <= 9', { Conversations: ['Number > 5', 'Number <= 9'] }],
  ["SELECT * FROM Conversations WHERE Status IN ('active', 'pending')", { Conversations: ["Status IN ('active', 'pending')"] }],
  ["SELECT * FROM Conversations WHERE Status = 'a' OR Status = 'b' OR Status IN ('c')", { Conversations: ["Status IN ('a', 'b', 'c')"] }],
  ["SELECT * FROM Conversations WHERE Status = 'a' OR MailboxId = 1", { Conversations: [] }],
  ["SELECT * FROM Conversations WHERE CreatedAt BETWEEN '2024-01-01' AND '2024-02-01'", { Conversations: ["CreatedAt BETWEEN '2024-01-01' AND '2024-02-01'"] }],
  ["SELECT * FROM Conversations WHERE Subject LIKE '%refund%' AND Subject NOT LIKE '%x%'", { Conversations: ["Subject LIKE '%refund%'"] }],
  ["SELECT * FROM Conversations WHERE Subject LIKE '%a!%%' ESCAPE '!'", { Conversations: [] }],
  ['SELECT * FROM Conversations WHERE MailboxId <> 2 AND NOT Number = 3 AND Id IS NOT NULL', { Conversations: ['MailboxId <> 2'] }],
  ['SELECT * FROM Conversations c WHERE c.MailboxId = 1 AND upper(c.Subject) = \'X\'', { 'Conversations/c': ['MailboxId = 1'] }],
  // Double quotes: an identifier when it names a column in scope, else a string (SQLite's rule).
  ['SELECT * FROM Conversations WHERE "MailboxId" = 4 AND Status = "closed"', { Conversations: ['MailboxId = 4', "Status = 'closed'"] }],
  ['SELECT * FROM Conversations WHERE "Status" = "MailboxId"', { Conversations: [] }],
  [
    "SELECT t.Id FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id AND c.Status = 'closed' WHERE c.MailboxId = 1 AND t.Type = 'note'",
    { 'Threads/t': ["Type = 'note'"], 'Conversations/c': ["Status = 'closed'", 'MailboxId = 1'] },
  ],
  // LEFT JOIN ... ON restricts only the joined table.
  [
    'SELECT * FROM Conversations c LEFT JOIN Threads t ON t.ConversationId = c.Id AND c.MailboxId = 1 AND t.CustomerId = 5',
    { 'Conversations/c': [], 'Threads/t': ['CustomerId = 5'] },
  ],
  [
    "WITH closed AS (SELECT * FROM Conversations WHERE Status = 'closed') SELECT * FROM closed WHERE MailboxId = 2",
    { Conversations: ["Status = 'closed'"] },
  ],
  [
    'SELECT * FROM (SELECT * FROM Conversations WHERE MailboxId = 3) x WHERE x.Number = 7',
    { Conversations: ['MailboxId = 3'] },
  ],
  [
    'SELECT Id, (SELECT count(*) FROM Threads t WHERE t.ConversationId = c.Id AND t.Status = \'closed\') FROM Conversations c WHERE c.Number > 10',
    { 'Conversations/c': ['Number > 10'], 'Threads/t': ["Status = 'closed'"] },
  ],
  [
    'SELECT Id, row_number() OVER (PARTITION BY MailboxId ORDER BY CreatedAt) FROM Conversations WHERE FolderId = 3',
    { Conversations: ['FolderId = 3'] },
  ],
  [
    "SELECT c.Id FROM Conversations c, json_each(c.Tags) j WHERE j.value = 'vip' AND c.MailboxId = 1",
    { 'Conversations/c': ['MailboxId = 1'] },
  ],
  // An unqualified column that json_each could also provide is not pushed.
  ["SELECT c.Id FROM Conversations c, json_each(c.Tags) WHERE value = 'vip' AND Type = 'email'", { 'Conversations/c': [] }],
  [
    "SELECT * FROM Conversations WHERE MailboxId IN (SELECT Id FROM Mailboxes WHERE Name = 'Support')",
    { Conversations: [], Mailboxes: ["Name = 'Support'"] },
  ],
  [
    "SELECT * FROM Conversations a JOIN Conversations b ON a.Number = b.Number WHERE a.MailboxId = 1 AND b.Status = 'spam'",
    { 'Conversations/a': ['MailboxId = 1'], 'Conversations/b': ["Status = 'spam'"] },
  ],
  ["SELECT * FROM Conversations WHERE MailboxId = 1 UNION ALL SELECT * FROM Conversations WHERE MailboxId = 2", { Conversations: ['MailboxId = 1', 'MailboxId = 2'] }],
  ['SELECT * FROM Articles WHERE Status = TRUE AND Popularity > -1.5', { Articles: ['Status = 1', 'Popularity > -1.5'] }],
  ['SELECT * FROM `Threads` WHERE `ConversationId` = 12', { Threads: ['ConversationId = 12'] }],
];

describe('SQL parser adapter', () => {
  for (const [sql, expected] of CASES) {
    it(sql, () => assert.deepEqual(pushed(sql), expected));
  }

  it('finds joins, sub-selects, ORDER BY + LIMIT and the Tag literals', () => {
    const a = analyse("SELECT t.* FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.Tag = 'vip' OR c.Tag = 'x'");
    assert.deepEqual(a.refs[0]?.joins.map((j) => [j.column, j.otherRef, j.otherColumn]), [['ConversationId', 1, 'Id']]);
    assert.deepEqual(a.literalsFor('tag').sort(), ['vip', 'x']);
    const s = analyse('SELECT * FROM Threads WHERE ConversationId IN (SELECT Id FROM Conversations WHERE MailboxId = 1)');
    assert.deepEqual(s.refs[0]?.subqueryIns.map((x) => [x.column, x.ref, x.subColumn]), [['ConversationId', 1, 'Id']]);
    const o = analyse('SELECT Number FROM Conversations WHERE MailboxId = 1 ORDER BY CreatedAt DESC LIMIT 10 OFFSET 5');
    assert.deepEqual(o.orderLimit, { column: 'CreatedAt', desc: true, limit: 10, offset: 5 });
    assert.equal(o.allConjunctsPredicates, true);
    assert.deepEqual(analyse('SELECT * FROM Conversations ORDER BY Number LIMIT 20, 10').orderLimit, { column: 'Number', desc: false, limit: 10, offset: 20 });
  });

  it('does not offer ORDER BY + LIMIT when rows could be dropped or merged', () => {
    for (const sql of [
      'SELECT DISTINCT Status FROM Conversations ORDER BY CreatedAt LIMIT 5',
      'SELECT MailboxId, count(*) FROM Conversations GROUP BY MailboxId ORDER BY CreatedAt LIMIT 5',
      'SELECT count(*) FROM Conversations ORDER BY CreatedAt LIMIT 5',
      'SELECT c.Id FROM Conversations c, json_each(c.Tags) ORDER BY c.CreatedAt LIMIT 5',
      'SELECT Number AS CreatedAt FROM Conversations ORDER BY CreatedAt LIMIT 5',
      'SELECT * FROM Conversations ORDER BY CreatedAt, Number LIMIT 5',
      'SELECT * FROM Conversations ORDER BY CreatedAt LIMIT (SELECT 5)',
      'SELECT Id, row_number() OVER () FROM Conversations ORDER BY CreatedAt LIMIT 5',
    ]) {
      assert.equal(analyse(sql).orderLimit, undefined, sql);
    }
    assert.equal(analyse("SELECT * FROM Conversations WHERE upper(Subject) = 'X' ORDER BY CreatedAt LIMIT 5").allConjunctsPredicates, false);
  });

  it('knows which columns are read (for per-article GETs)', () => {
    assert.equal(analyse('SELECT Name FROM Articles').usesColumn('Articles', 'Text'), false);
    assert.equal(analyse('SELECT Name, text FROM Articles').usesColumn('Articles', 'Text'), true);
    assert.equal(analyse('SELECT a.* FROM Articles a').usesColumn('Articles', 'Text'), true);
    assert.equal(analyse("SELECT Name FROM Articles WHERE Text LIKE '%x%'").usesColumn('Articles', 'Text'), true);
  });

  it('names the tables, not CTEs or json_each', () => {
    assert.deepEqual(
      [...analyse('WITH Mailboxes AS (SELECT 1 AS Id) SELECT * FROM Mailboxes m, json_each(\'[1]\') JOIN Tags ON 1').tables],
      ['Tags'],
    );
  });

  it('rejects writes and several statements; EXPLAIN is recognised', () => {
    assert.throws(() => analyse("UPDATE Conversations SET Status = 'closed'"), SqlRejectedError);
    assert.throws(() => analyse('DROP TABLE Conversations'), SqlRejectedError);
    assert.throws(() => analyse('SELECT 1; SELECT 2'), SqlRejectedError);
    assert.throws(() => analyse('INSERT INTO Tags (Name) VALUES (\'x\')'), SqlRejectedError);
    const e = analyse('EXPLAIN SELECT * FROM Tags');
    assert.equal(e.kind, 'explain');
    assert.equal(e.sql, 'SELECT * FROM Tags');
    assert.equal(analyse('explain query plan SELECT * FROM Tags').kind, 'explainQueryPlan');
  });

  it('falls back to no push-down when the parser cannot read valid SQLite', () => {
    const a = analyse('SELECT * FROM Conversations c RIGHT JOIN Threads t ON t.ConversationId = c.Id WHERE c.MailboxId = 1');
    assert.equal(a.parsed, false);
    assert.deepEqual([...a.tables].sort(), ['Conversations', 'Threads']);
    assert.ok(a.refs.every((r) => r.predicates.length === 0));
    assert.ok(a.parseError?.position?.line === 1);
  });
});
