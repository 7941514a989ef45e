// The whole pipeline (parse -> plan -> reference executor -> sql.js) against
// an in-memory fetchPage, checked against the same SQL over the full dataset
// loaded without any push-down: pushing filters to the API must never change
// an answer, only the number of requests.
import assert from 'node:assert/strict';
import { analyse, catalogTable, getTable, rowsFromItems, runQuery, SqlEngine, type PageRequest, type SqlValue, type TableData } from '../../../../src/core/sql';
import { fakeApi, makeDataset, type Dataset } from './fakeApi';

function fullTables(d: Dataset, tables: readonly string[], tagLiterals: string[]): TableData[] {
  const rows = (name: string, items: readonly unknown[], params: Record<string, string> = {}): SqlValue[][] =>
    rowsFromItems(getTable(name), items, params, { Tag: tagLiterals });
  const all: Record<string, () => SqlValue[][]> = {
    Mailboxes: () => rows('Mailboxes', d.mailboxes),
    Conversations: () => rows('Conversations', d.conversations),
    ConversationCustomFields: () => rows('ConversationCustomFields', d.conversations),
    Threads: () => [...d.threads].flatMap(([id, list]) => rows('Threads', list, { conversationId: String(id) })),
    Customers: () => rows('Customers', d.customers),
    CustomerEmails: () => rows('CustomerEmails', d.customers),
    CustomerPhones: () => rows('CustomerPhones', d.customers),
    CustomerAddresses: () => rows('CustomerAddresses', d.customers),
    Sites: () => rows('Sites', d.sites),
    Collections: () => rows('Collections', d.collections),
    Categories: () => rows('Categories', d.categories),
    Articles: () => rows('Articles', d.articles),
  };
  return tables.map((t) => {
    const make = all[t];
    if (!make) throw new Error(`no full data for ${t}`);
    return catalogTable(t, make());
  });
}

/** Statements and, where push-down must save requests, the most requests allowed. */
const QUERIES: { sql: string; maxRequests?: number }[] = [
  { sql: "SELECT Number, Subject FROM Conversations WHERE MailboxId = 1 AND Status = 'closed' ORDER BY CreatedAt DESC LIMIT 10", maxRequests: 1 },
  { sql: "SELECT Id FROM Conversations WHERE Status IN ('active', 'pending') AND MailboxId IN (1, 2) ORDER BY Number LIMIT 7 OFFSET 3", maxRequests: 2 },
  { sql: 'SELECT count(*), min(CreatedAt), max(Number) FROM Conversations' },
  { sql: "SELECT Id, Tag FROM Conversations WHERE Tag = 'vip' ORDER BY Id" },
  { sql: "SELECT Id, Tag FROM Conversations WHERE (Tag = 'vip' OR Tag = 'billing') AND Status <> 'spam' ORDER BY Id" },
  { sql: "SELECT t.Id, t.Body, c.Number FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.MailboxId = 1 AND c.Status = 'closed' ORDER BY t.Id", maxRequests: 60 },
  { sql: "SELECT count(*) FROM Threads WHERE ConversationId IN (SELECT Id FROM Conversations WHERE MailboxId = 2 AND Tag = 'vip')" },
  { sql: "SELECT Subject FROM Conversations WHERE Subject LIKE '%refund%' AND CreatedAt >= '2024-01-10' AND CreatedAt < '2024-02-03T12:00:00' ORDER BY Id" },
  { sql: "SELECT Id FROM Conversations WHERE CreatedAt BETWEEN '2024-01-20 08:00' AND '2024-01-25T12:00' ORDER BY Id" },
  { sql: 'SELECT c.MailboxId, count(*), count(t.Id) FROM Conversations c LEFT JOIN Threads t ON t.ConversationId = c.Id AND c.MailboxId = 1 GROUP BY 1 ORDER BY 1' },
  { sql: "SELECT Id, ModifiedAt FROM Conversations WHERE ModifiedAt > '2024-03-10T00:00:00Z' ORDER BY Id" },
  { sql: 'SELECT MailboxId, Status, count(*) FROM Conversations WHERE MailboxId = 3 OR MailboxId = 2 GROUP BY 1, 2 ORDER BY 1, 2' },
  { sql: "SELECT Id, row_number() OVER (PARTITION BY MailboxId ORDER BY CreatedAt) AS rn FROM Conversations WHERE Status = 'closed' ORDER BY Id" },
  { sql: 'SELECT j.value, count(*) FROM Conversations c, json_each(c.Tags) j WHERE c.MailboxId = 1 GROUP BY 1 ORDER BY 1' },
  { sql: "WITH mine AS (SELECT * FROM Conversations WHERE AssigneeId = 5) SELECT Status, count(*) FROM mine WHERE Status <> 'spam' GROUP BY 1 ORDER BY 1" },
  { sql: "SELECT c.Id, e.Value FROM Customers c JOIN CustomerEmails e ON e.CustomerId = c.Id WHERE c.FirstName = 'Pat' ORDER BY 1, 2" },
  { sql: "SELECT Name, Text, Keywords FROM Articles WHERE CollectionId = 'col2' AND Status = 'published' ORDER BY Number" },
  { sql: 'SELECT c.Name, count(a.Id) FROM Categories c LEFT JOIN Articles a ON a.CollectionId = c.CollectionId GROUP BY c.Id ORDER BY 1' },
  { sql: 'SELECT Id, Subject FROM Conversations WHERE Id IN (1005, 1017, 99999) ORDER BY Id', maxRequests: 3 },
  { sql: "SELECT Number FROM Conversations WHERE CustomerEmail = 'cust3@example.com' ORDER BY Number DESC LIMIT 3" },
  { sql: 'SELECT c.Id, (SELECT count(*) FROM Threads t WHERE t.ConversationId = c.Id) AS n FROM Conversations c WHERE c.MailboxId = 2 ORDER BY c.Id' },
  { sql: "SELECT a.Id, b.Id FROM Conversations a JOIN Conversations b ON a.Number = b.Number + 1 WHERE a.MailboxId = 1 AND b.Status = 'closed' ORDER BY 1 LIMIT 20" },
  { sql: "SELECT Name FROM Articles WHERE CollectionId IN (SELECT Id FROM Collections WHERE SiteId = 'site2') ORDER BY Popularity DESC LIMIT 5" },
  { sql: "SELECT Number, Name FROM Articles WHERE CollectionId = 'col1' ORDER BY Popularity DESC LIMIT 4", maxRequests: 1 },
  // Counts from page.totalElements, and shapes that must list instead.
  { sql: 'SELECT Status, count(*) FROM Conversations GROUP BY 1 ORDER BY 1', maxRequests: 4 },
  { sql: "SELECT count(*) FROM Conversations WHERE MailboxId = 1 AND Status = 'closed'", maxRequests: 1 },
  { sql: "SELECT count(*) AS n FROM Conversations WHERE Tag IN ('vip', 'bug') AND Status IN ('active', 'closed') AND MailboxId IN (1, 3)", maxRequests: 2 },
  { sql: "SELECT MailboxId, Status, count(*) AS n FROM Conversations WHERE Tag = 'vip' GROUP BY 1, 2 HAVING n > 2 ORDER BY n DESC, 1, 2" },
  { sql: 'SELECT "Status", count(*) * 2, count(DISTINCT MailboxId) FROM Conversations WHERE MailboxId = 2 GROUP BY Status ORDER BY 2 DESC, 1', maxRequests: 4 },
  { sql: 'SELECT MailboxId, count(*) FROM Conversations GROUP BY MailboxId ORDER BY 1', maxRequests: 5 },
  { sql: "SELECT Status, count(*) FROM Conversations WHERE Subject LIKE '%refund%' GROUP BY 1 ORDER BY 1" },
  { sql: 'SELECT Status, count(*), max(Number) FROM Conversations GROUP BY 1 ORDER BY 1' },
  { sql: 'SELECT AssigneeId, count(*) FROM Conversations GROUP BY 1 ORDER BY 1' },
  { sql: "SELECT Status, count(*) FROM Conversations WHERE Tag = 'VIP' GROUP BY 1 ORDER BY 1" },
  { sql: 'SELECT Tag, count(*) FROM Conversations GROUP BY 1 ORDER BY 1' },
];

describe('push-down never changes an answer', function () {
  this.timeout(60_000);
  const data = makeDataset();
  const engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  after(() => engine.dispose());

  for (const q of QUERIES) {
    it(q.sql, async () => {
      const api = fakeApi(data);
      const got = await runQuery(q.sql, { fetchPage: api.fetchPage, engine });
      const a = analyse(q.sql);
      const expected = await engine.run(q.sql, fullTables(data, a.tables, a.literalsFor('Tag')));
      assert.deepEqual(got.columns, expected.columns);
      assert.deepEqual(got.rows, expected.rows);
      assert.equal(got.requests, api.log.length);
      if (q.maxRequests !== undefined) assert.ok(api.log.length <= q.maxRequests, `${api.log.length} requests > ${q.maxRequests}`);
    });
  }

  it('the answers are not trivially empty', async () => {
    const api = fakeApi(data);
    const r = await runQuery("SELECT count(*) FROM Conversations WHERE Tag = 'vip'", { fetchPage: api.fetchPage, engine });
    assert.ok(Number(r.rows[0]?.[0]) > 10);
  });

  it('the headline query makes exactly one request with the pushed parameters', async () => {
    const api = fakeApi(data);
    const r = await runQuery(
      "SELECT Number, Subject FROM Conversations WHERE MailboxId = 1 AND Status = 'closed' ORDER BY CreatedAt DESC LIMIT 10",
      { fetchPage: api.fetchPage, engine },
    );
    assert.equal(r.rows.length, 10);
    assert.equal(api.log.length, 1);
    assert.deepEqual(api.log[0]?.query, { mailbox: '1', status: 'closed', sortField: 'createdAt', sortOrder: 'desc', page: '1' });
  });

  it('join-driven threads come with the matching conversations, 50 per request (embed=threads)', async () => {
    const api = fakeApi(data);
    const r = await runQuery(
      "SELECT t.Id FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.MailboxId = 1 AND c.Status = 'closed'",
      { fetchPage: api.fetchPage, engine },
    );
    // The Conversations step and the Threads step send the same request: it goes out once.
    assert.deepEqual(api.log.map((x) => [x.path, x.query]), [['/conversations', { mailbox: '1', status: 'closed', embed: 'threads', page: '1' }]]);
    const matching = data.conversations.filter((c) => c['mailboxId'] === 1 && c['status'] === 'closed').flatMap((c) => data.threads.get(Number(c['id'])) ?? []);
    assert.deepEqual(r.rows.map((x) => x[0]).sort(), matching.map((t) => t['id']).sort());
  });

  it('fetches the threads of a conversation embedding a chat thread on their own, only when Body is read', async () => {
    // A copy of the data in which two matching conversations hold a chat thread, which the list embeds truncated.
    const chat = makeDataset();
    const targets = chat.conversations.filter((c) => c['mailboxId'] === 1 && c['status'] === 'closed').slice(0, 2).map((c) => Number(c['id']));
    targets.forEach((id, k) => {
      chat.threads.get(id)?.push({ id: 90_000 + k, type: 'chat', status: 'active', state: 'published', body: `<p>${'chat line '.repeat(20)}</p>`, createdAt: '2024-06-01T00:00:00Z', to: [], cc: [], bcc: [] });
    });
    const sql = "SELECT t.Id, t.Type, t.Body FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.MailboxId = 1 AND c.Status = 'closed' ORDER BY t.Id";
    const api = fakeApi(chat);
    const got = await runQuery(sql, { fetchPage: api.fetchPage, engine });
    const expected = await engine.run(sql, fullTables(chat, ['Threads', 'Conversations'], []));
    assert.deepEqual(got.rows, expected.rows);
    assert.ok(got.rows.some((x) => x[1] === 'chat' && String(x[2]).length > 100), 'whole chat bodies');
    assert.deepEqual(api.log.map((x) => x.path).sort(), ['/conversations', ...targets.map((id) => `/conversations/${id}/threads`)].sort());

    const without = fakeApi(chat);
    await runQuery(sql.replace('t.Body', 't.CreatedAt'), { fetchPage: without.fetchPage, engine });
    assert.deepEqual(without.log.map((x) => x.path), ['/conversations']);
  });

  it('counts per mailbox from page.totalElements, and lists instead when the counts do not add up', async () => {
    const sql = 'SELECT MailboxId, count(*) AS n FROM Conversations GROUP BY 1 ORDER BY 1';
    const expected = await engine.run(sql, fullTables(data, ['Conversations'], []));
    const api = fakeApi(data);
    const got = await runQuery(sql, { fetchPage: api.fetchPage, engine });
    assert.deepEqual(got.rows, expected.rows);
    // The mailboxes, the unsplit total, then one count per mailbox.
    assert.deepEqual(api.log.map((x) => [x.path, x.query['mailbox'] ?? null, x.query['page']]), [
      ['/mailboxes', null, '1'], ['/conversations', null, '1'], ['/conversations', '1', '1'], ['/conversations', '2', '1'], ['/conversations', '3', '1'],
    ]);

    // A mailbox list missing one mailbox: the counts fall short of the total, so every page is listed.
    const partial = fakeApi(data);
    const fetchPage = async (req: PageRequest): Promise<Awaited<ReturnType<typeof partial.fetchPage>>> => {
      const r = await partial.fetchPage(req);
      return req.path === '/mailboxes' ? { ...r, items: r.items.filter((m) => (m as { id: number }).id !== 3) } : r;
    };
    const listed = await runQuery(sql, { fetchPage, engine });
    assert.deepEqual(listed.rows, expected.rows);
    const pages = Math.ceil(data.conversations.length / 50);
    assert.equal(partial.log.filter((x) => x.path === '/conversations' && x.query['mailbox'] === undefined).length, pages);
  });

  it('counts per tag from page.totalElements, and lists instead when tag names differ only in case', async () => {
    const sql = 'SELECT j.value, count(*) FROM Conversations c, json_each(c.Tags) j GROUP BY 1 ORDER BY 1';
    const expected = await engine.run(sql, fullTables(data, ['Conversations'], []));
    const api = fakeApi(data);
    assert.deepEqual((await runQuery(sql, { fetchPage: api.fetchPage, engine })).rows, expected.rows);
    assert.equal(api.log.filter((x) => x.query['tag'] !== undefined).length, 5, 'one count per tag');

    const twins = fakeApi(data);
    const fetchPage = async (req: PageRequest): Promise<Awaited<ReturnType<typeof twins.fetchPage>>> => {
      const r = await twins.fetchPage(req);
      return req.path === '/tags' ? { ...r, items: [...r.items, { id: 99, name: 'VIP', slug: 'vip-2' }] } : r;
    };
    assert.deepEqual((await runQuery(sql, { fetchPage, engine })).rows, expected.rows);
    assert.equal(twins.log.filter((x) => x.query['tag'] !== undefined).length, 0, 'listed, not counted');
  });

  it('Articles.Text costs one GET per article only when selected', async () => {
    const api = fakeApi(data);
    await runQuery("SELECT Name FROM Articles WHERE CollectionId = 'col3'", { fetchPage: api.fetchPage, engine });
    assert.equal(api.log.filter((r) => r.single).length, 0);
    const api2 = fakeApi(data);
    const r = await runQuery("SELECT Name, Text FROM Articles WHERE CollectionId = 'col3'", { fetchPage: api2.fetchPage, engine });
    assert.equal(api2.log.filter((x) => x.single).length, r.rows.length);
    assert.ok(r.rows.every((row) => typeof row[1] === 'string' && row[1].startsWith('<p>')));
  });

  it('CategoryId lists articles through the category endpoint', async () => {
    const api = fakeApi(data);
    const r = await runQuery("SELECT Id, CategoryId FROM Articles WHERE CategoryId = 'cat2' ORDER BY Id", { fetchPage: api.fetchPage, engine });
    const expected = data.articles.filter((a) => (a['categories'] as string[]).includes('cat2')).map((a) => [a['id'], 'cat2']);
    assert.deepEqual(r.rows, expected);
    assert.deepEqual(api.log.map((x) => x.path), ['/categories/cat2/articles']);
  });
});
