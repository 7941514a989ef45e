import assert from 'node:assert/strict';
import { EXPLAIN_COLUMNS, explainRows, plan, queryString, runQuery, SqlEngine, type PlanStep } from '../../../../src/core/sql';
import { fakeApi, makeDataset } from './fakeApi';

function only(sql: string): PlanStep {
  const p = plan(sql);
  assert.equal(p.steps.length, 1, JSON.stringify(p.steps));
  const s = p.steps[0];
  if (!s) throw new Error('no step');
  return s;
}

describe('SQL planner', () => {
  it('plans the headline query as exactly one request', () => {
    const s = only("SELECT Number, Subject FROM Conversations WHERE MailboxId = 1 AND Status = 'closed' ORDER BY CreatedAt DESC LIMIT 10");
    assert.equal(s.endpoint, '/conversations');
    assert.deepEqual(s.requests.map((r) => queryString(r.query)), ['mailbox=1&status=closed&sortField=createdAt&sortOrder=desc']);
    assert.equal(s.pageLimit, 1);
    assert.equal(s.estimatedRequests, 1);
    assert.deepEqual(s.localOnly, []);
  });

  it('asks for status=all when the query has no status predicate', () => {
    const s = only('SELECT * FROM Conversations WHERE MailboxId IN (1, 2)');
    assert.deepEqual(s.requests.map((r) => r.query), [{ mailbox: '1,2', status: 'all' }]);
    assert.ok(s.notes.some((n) => n.includes('status=all')));
  });

  it('fans Status IN out to one request per status and keeps the page limit per stream', () => {
    const s = only("SELECT * FROM Conversations WHERE Status IN ('active', 'pending') ORDER BY Number ASC LIMIT 60");
    assert.deepEqual(s.requests.map((r) => queryString(r.query)), [
      'status=active&sortField=number&sortOrder=asc',
      'status=pending&sortField=number&sortOrder=asc',
    ]);
    assert.equal(s.pageLimit, 2);
  });

  it('does not stop early when a condition stays local or the push is only a superset', () => {
    for (const sql of [
      "SELECT * FROM Conversations WHERE MailboxId = 1 AND upper(Subject) = 'X' ORDER BY CreatedAt DESC LIMIT 10",
      "SELECT * FROM Conversations WHERE CustomerEmail = 'a@b.c' ORDER BY CreatedAt DESC LIMIT 10",
      "SELECT * FROM Conversations WHERE Status = 'open' ORDER BY CreatedAt DESC LIMIT 10",
      'SELECT * FROM Conversations ORDER BY Subject LIMIT 10',
    ]) {
      const s = only(sql);
      assert.equal(s.pageLimit, undefined, sql);
      assert.equal(s.requests[0]?.query['sortField'], undefined, sql);
    }
    // 'open' is accepted by the API but never a row value: left to SQLite, status=all is sent.
    assert.equal(only("SELECT * FROM Conversations WHERE Status = 'open'").requests[0]?.query['status'], 'all');
  });

  it('maps the other Conversations keys to their wire parameters', () => {
    const s = only(
      "SELECT * FROM Conversations WHERE AssigneeId = 7 AND FolderId = 3 AND Tag IN ('vip', 'x') AND ModifiedAt >= '2024-05-01 10:00' AND Number = 12 AND Subject LIKE '%refund%' AND CreatedAt > '2024-01-01T00:00:00Z'",
    );
    assert.deepEqual(s.requests[0]?.query, {
      folder: '3',
      tag: 'vip,x',
      assigned_to: '7',
      modifiedSince: '2024-05-01T00:00:00Z',
      number: '12',
      query: '(createdAt:[2024-01-01T00:00:00Z TO *])',
      status: 'all',
    });
    // LIKE matches substrings and Help Scout's search matches words: pushed only when asked for.
    assert.equal(only("SELECT * FROM Conversations WHERE Subject LIKE '%fund%'").requests[0]?.query['query'], undefined);
    assert.equal(
      plan("SELECT * FROM Conversations WHERE Subject LIKE '%fund%'", { pushLikeAsWordSearch: true }).steps[0]?.requests[0]?.query['query'],
      '(subject:"fund")',
    );
    assert.deepEqual(plan('SELECT * FROM Conversations WHERE Id = 5').steps[0]?.requests, [{ path: { id: '5' }, query: {} }]);
    assert.equal(plan('SELECT * FROM Conversations WHERE Id = 5').steps[0]?.single, true);
  });

  it('maps Docs and other Mailbox keys', () => {
    assert.deepEqual(only("SELECT * FROM Collections WHERE SiteId = 's1' AND Visibility = 'public' ORDER BY Number DESC LIMIT 3").requests[0]?.query, {
      siteId: 's1', visibility: 'public', sort: 'number', order: 'desc',
    });
    const art = only("SELECT Name FROM Articles WHERE CollectionId = 'c1' AND Status = 'published' ORDER BY Popularity DESC LIMIT 150");
    assert.deepEqual(art.requests, [{ path: { collectionId: 'c1' }, query: { status: 'published', sort: 'popularity', order: 'desc' } }]);
    assert.equal(art.pageLimit, 2);
    assert.equal(art.pageSizeParam, 'pageSize');
    assert.deepEqual(only("SELECT * FROM Users WHERE Email = 'a@b.c'").requests[0]?.query, { email: 'a@b.c' });
    assert.deepEqual(only("SELECT * FROM Workflows WHERE MailboxId = 2 AND Type = 'manual'").requests[0]?.query, { mailboxId: '2', type: 'manual' });
    assert.deepEqual(only("SELECT * FROM Customers WHERE FirstName = 'Pat' AND Email = 'p@x.y'").requests[0]?.query, {
      firstName: 'Pat', query: '(email:"p@x.y")',
    });
    assert.deepEqual(only('SELECT * FROM CustomerEmails WHERE CustomerId = 9').requests, [{ path: { id: '9' }, query: {} }]);
  });

  it('takes parent keys from literals, sub-selects and join partners', () => {
    const lit = only('SELECT * FROM Threads WHERE ConversationId IN (4, 5)');
    assert.deepEqual(lit.requests.map((r) => r.path), [{ conversationId: '4' }, { conversationId: '5' }]);

    // Conversations got by id: their threads one request each.
    const join = plan('SELECT t.* FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.Id IN (7, 8)');
    assert.deepEqual(join.steps.map((s) => [s.id, s.table, s.purpose]), [[1, 'Conversations', 'table'], [2, 'Threads', 'table']]);
    assert.deepEqual(join.steps[1]?.bind, { steps: [1], column: 'Id', target: 'path', name: 'conversationId', mode: 'each' });

    const sub = plan('SELECT * FROM Threads WHERE ConversationId IN (SELECT Id FROM Conversations WHERE Id IN (7, 8) AND Status = \'closed\')');
    assert.deepEqual(sub.steps.map((s) => [s.id, s.kind, s.table]), [[1, 'fetch', 'Conversations'], [2, 'values', 'Conversations'], [3, 'fetch', 'Threads']]);
    assert.equal(sub.steps[1]?.sql, 'SELECT DISTINCT "Id" FROM "Conversations" WHERE "Id" IN (7, 8) AND "Status" = \'closed\'');
    assert.deepEqual(sub.steps[2]?.bind?.steps, [2]);

    const q = plan("SELECT * FROM Conversations WHERE MailboxId IN (SELECT Id FROM Mailboxes WHERE Name = 'Support')");
    assert.deepEqual(q.steps[2]?.bind, { steps: [2], column: 'Id', target: 'query', name: 'mailbox', mode: 'comma' });
  });

  it('enumerates parents when no key is given, and says so', () => {
    const p = plan('SELECT * FROM ArticleRevisions');
    assert.deepEqual(p.steps.map((s) => [s.table, s.purpose, s.dependsOn]), [
      ['Collections', 'parents', []],
      ['Articles', 'parents', [1]],
      ['ArticleRevisions', 'table', [2]],
    ]);
    assert.ok(p.steps[2]?.notes.some((n) => n.includes('every Articles row is listed first')));
    // Every conversation with its threads (embed=threads); the unfiltered Conversations step sends the same requests, each once.
    const reuse = plan('SELECT * FROM Threads, Conversations');
    assert.deepEqual(reuse.steps.map((s) => [s.table, s.endpoint, s.requests.map((r) => queryString(r.query)), s.shared]), [
      ['Threads', '/conversations', ['status=all&embed=threads'], true],
      ['Conversations', '/conversations', ['status=all&embed=threads'], true],
    ]);
    assert.deepEqual(reuse.steps.map((s) => s.estimatedRequests).sort((a, b) => a - b), [0, reuse.estimatedRequests]);
  });

  it('combines or drops filters of a table referenced twice', () => {
    const two = plan("SELECT * FROM Conversations a, Conversations b WHERE a.MailboxId = 1 AND b.Status = 'spam'");
    assert.deepEqual(two.steps.map((s) => s.requests.map((r) => queryString(r.query))), [['mailbox=1&status=all'], ['status=spam']]);
    const withFull = plan('SELECT * FROM Conversations a, Conversations b WHERE a.MailboxId = 1');
    assert.deepEqual(withFull.steps.map((s) => s.requests.map((r) => queryString(r.query))), [['status=all']]);
    assert.ok(withFull.steps[0]?.localOnly.includes('MailboxId = 1'));
  });

  it('asks for article detail only when a detail column is read', () => {
    assert.equal(only("SELECT Name FROM Articles WHERE CollectionId = 'c'").detail, undefined);
    assert.equal(only("SELECT Name, Keywords FROM Articles WHERE CollectionId = 'c'").detail?.when, 'always');
  });

  it('returns EXPLAIN rows without fetching', async function () {
    this.timeout(30_000);
    const api = fakeApi(makeDataset());
    const engine = new SqlEngine();
    try {
      const r = await runQuery(
        "EXPLAIN SELECT t.Body FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.MailboxId = 1 AND c.Status = 'closed' AND t.Type = 'note'",
        { fetchPage: api.fetchPage, engine },
      );
      assert.equal(api.log.length, 0);
      assert.deepEqual(r.columns, [...EXPLAIN_COLUMNS]);
      const col = (name: (typeof EXPLAIN_COLUMNS)[number]): number => EXPLAIN_COLUMNS.indexOf(name);
      // Step rows (a last row without a step sums the plan up when an estimate is a guess).
      const steps = r.rows.filter((row) => row[col('Step')] !== null);
      assert.deepEqual(steps.map((row) => [row[col('Step')], row[col('Table')], row[col('Endpoint')], row[col('Parameters')]]), [
        [1, 'Conversations', 'Mailbox GET /conversations', 'mailbox=1&status=closed&embed=threads'],
        [2, 'Threads', 'Mailbox GET /conversations', 'mailbox=1&status=closed&embed=threads'],
      ]);
      assert.equal(r.rows[1]?.[col('LocalPredicates')], "Type = 'note'");
      assert.equal(typeof r.rows[1]?.[col('EstimatedRequests')], 'number');
      const qp = await runQuery('EXPLAIN QUERY PLAN SELECT * FROM Conversations WHERE MailboxId = 1', { fetchPage: api.fetchPage, engine });
      assert.equal(api.log.length, 0);
      assert.ok(qp.rows.some((row) => String(row[3]).includes('Conversations')));
    } finally {
      engine.dispose();
    }
  });

  it('lists the plan as rows with every column', () => {
    const rows = explainRows(plan('SELECT * FROM sys_tables'));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.length, EXPLAIN_COLUMNS.length);
    assert.equal(rows[0]?.[EXPLAIN_COLUMNS.indexOf('EstimatedRequests')], 0);
  });
});
