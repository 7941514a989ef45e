// The SQL engine end to end against the sandbox over loopback HTTP: parse ->
// plan -> parallel fetcher (shared governor, cache) -> sql.js. Every query of
// the suite must give the same answer as the same SQL over a full export of
// the sandbox (every list paged without filters), so push-down can never
// change an answer; the sandbox's request log shows what was pushed and how
// many requests were made.
import assert from 'node:assert/strict';
import { analyse, ResponseCache, runSql, SqlEngine, SqlError, SqlFetcher, SqlRejectedError, tableNames, type ResultValue } from '../../../../src/core/sql';
import { startCore, type Core } from '../harness';
import { exportSandbox, type SandboxExport } from './sandboxExport';

export const SUITE_SIZES = {
  mailboxes: 3,
  conversations: 600,
  customers: 200,
  users: 6,
  teams: 2,
  tags: 25,
  docs: { sites: 2, collections: 4, articles: 40, redirects: 4 },
};

/** Ids from the seeded data the queries refer to. */
interface Ctx {
  mb1: number;
  mb2: number;
  user: number;
  user2: number;
  folder: number;
  team: number;
  conv: [number, number, number];
  numbers: [number, number, number];
  custFirst: string;
  custLast: string;
  custEmail: string;
  site: string;
  col: string;
  article: string;
  userEmail: string;
}

type Q = (c: Ctx) => string;

/** At least 30 statements: every table, joins, aggregates, CTEs, windows, json_each, every push-down operator. */
const SUITE: Q[] = [
  (c) => `SELECT Number, Subject FROM Conversations WHERE MailboxId = ${c.mb1} AND Status = 'closed' ORDER BY CreatedAt DESC LIMIT 10`,
  (c) => `SELECT Id, Status FROM Conversations WHERE Status IN ('active', 'pending') AND MailboxId IN (${c.mb1}, ${c.mb2}) ORDER BY Number LIMIT 7 OFFSET 3`,
  () => 'SELECT MailboxId, Status, count(*), min(CreatedAt), max(Number) FROM Conversations GROUP BY 1, 2',
  () => "SELECT Id, Tag FROM Conversations WHERE Tag = 'vip'",
  () => "SELECT Id, Tag, Status FROM Conversations WHERE Tag IN ('vip', 'billing') AND Status <> 'spam'",
  (c) => `SELECT j.value AS tag, count(*) AS n FROM Conversations c, json_each(c.Tags) j WHERE c.MailboxId = ${c.mb1} GROUP BY 1 ORDER BY 2 DESC, 1`,
  (c) => `SELECT Number, AssigneeId FROM Conversations WHERE AssigneeId = ${c.user}`,
  (c) => `SELECT Number FROM Conversations WHERE AssigneeId IN (${c.user}, ${c.user2}) AND Status = 'closed'`,
  (c) => `SELECT Id, FolderId FROM Conversations WHERE FolderId = ${c.folder}`,
  () => "SELECT Id, ModifiedAt FROM Conversations WHERE ModifiedAt > '2026-09-15T00:00:00Z'",
  () => "SELECT Id FROM Conversations WHERE ModifiedAt BETWEEN '2026-06-01' AND '2026-07-01'",
  (c) => `SELECT Id, Number, Subject FROM Conversations WHERE Number IN (${c.numbers.join(', ')}) ORDER BY Number`,
  (c) => `SELECT Id, Subject FROM Conversations WHERE Id IN (${c.conv.join(', ')}, 99999) ORDER BY Id`,
  () => "SELECT Number, Subject FROM Conversations WHERE Subject LIKE '%password%'",
  (c) => `SELECT Number FROM Conversations WHERE CustomerEmail = '${c.custEmail}' ORDER BY Number DESC LIMIT 3`,
  () => "SELECT Id FROM Conversations WHERE CreatedAt >= '2026-01-01' AND CreatedAt < '2026-03-01T12:00:00Z'",
  () => "SELECT count(*) FROM Conversations WHERE CreatedAt BETWEEN '2025-06-01 08:00' AND '2025-09-01T00:00' AND Status <> 'active'",
  (c) => `SELECT t.Id, t.Type, c.Number FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.MailboxId = ${c.mb2} AND c.Status = 'pending'`,
  (c) => `SELECT count(*), count(DISTINCT ConversationId) FROM Threads WHERE ConversationId IN (SELECT Id FROM Conversations WHERE Tag = 'vip' AND MailboxId = ${c.mb1})`,
  (c) => `SELECT Id, Type, Body, CreatedByType FROM Threads WHERE ConversationId = ${c.conv[0]} ORDER BY CreatedAt, Id`,
  (c) => `SELECT Name, count(*), count(DISTINCT Value) FROM ConversationCustomFields WHERE MailboxId = ${c.mb1} GROUP BY 1`,
  () => "SELECT Id, MailboxId, row_number() OVER (PARTITION BY MailboxId ORDER BY CreatedAt, Id) AS rn, lag(Number) OVER (ORDER BY Id) FROM Conversations WHERE Status = 'closed'",
  (c) => `WITH mine AS (SELECT * FROM Conversations WHERE AssigneeId = ${c.user}) SELECT Status, count(*) FROM mine WHERE Status <> 'spam' GROUP BY 1 ORDER BY 1`,
  (c) => `SELECT Id, LastName, Email FROM Customers WHERE FirstName = '${c.custFirst}'`,
  (c) => `SELECT Id, FirstName FROM Customers WHERE LastName = '${c.custLast}'`,
  () => "SELECT Id, UpdatedAt FROM Customers WHERE UpdatedAt >= '2026-10-01T00:00:00Z'",
  (c) => `SELECT Id FROM Customers WHERE Email = '${c.custEmail}'`,
  (c) => `SELECT c.Id, e.Value, e.Type FROM Customers c JOIN CustomerEmails e ON e.CustomerId = c.Id WHERE c.FirstName = '${c.custFirst}'`,
  (c) => `SELECT CustomerId, Value FROM CustomerEmails WHERE Value = '${c.custEmail}'`,
  () =>
    "SELECT 'phones', count(*) FROM CustomerPhones UNION ALL SELECT 'chats', count(*) FROM CustomerChats UNION ALL SELECT 'social', count(*) FROM CustomerSocialProfiles " +
    "UNION ALL SELECT 'web', count(*) FROM CustomerWebsites UNION ALL SELECT 'addr', count(DISTINCT Country) FROM CustomerAddresses UNION ALL SELECT 'props', count(*) FROM CustomerProperties",
  () => 'SELECT m.Name, count(f.Id), sum(f.TotalCount) FROM Mailboxes m LEFT JOIN MailboxFolders f ON f.MailboxId = m.Id GROUP BY m.Id ORDER BY m.Name',
  (c) => `SELECT Name, Type, Options FROM MailboxFields WHERE MailboxId = ${c.mb1}`,
  (c) => `SELECT Id, Role FROM Users WHERE Email = '${c.userEmail}' UNION ALL SELECT Id, Role FROM Users WHERE Id = ${c.user2}`,
  () => 'SELECT t.Name, count(*) FROM Teams t JOIN TeamMembers m ON m.TeamId = t.Id GROUP BY 1',
  (c) => `SELECT UserId, Email FROM TeamMembers WHERE TeamId = ${c.team}`,
  () => 'SELECT Name, TicketCount FROM Tags ORDER BY Name',
  (c) => `SELECT Name, Type FROM Workflows WHERE MailboxId = ${c.mb1} AND Type = 'manual'`,
  () => 'SELECT Id, Url, json_array_length(Events) FROM Webhooks',
  (c) => `SELECT s.SubDomain, c.Name, c.Visibility FROM Sites s JOIN Collections c ON c.SiteId = s.Id WHERE c.SiteId = '${c.site}' AND c.Visibility = 'public'`,
  (c) => `SELECT Name, ArticleCount FROM Categories WHERE CollectionId = '${c.col}'`,
  (c) => `SELECT Name, length(Text), Keywords FROM Articles WHERE CollectionId = '${c.col}' AND Status = 'published' ORDER BY Number`,
  (c) => `SELECT Number, Name FROM Articles WHERE CollectionId = '${c.col}' ORDER BY Popularity DESC LIMIT 4`,
  (c) => `SELECT Name FROM Articles WHERE CollectionId IN (SELECT Id FROM Collections WHERE SiteId = '${c.site}') ORDER BY Popularity DESC, Id LIMIT 5`,
  (c) => `SELECT Id, Name, Slug FROM Articles WHERE Id = '${c.article}'`,
  (c) => `SELECT count(*) FROM ArticleRevisions WHERE ArticleId = '${c.article}'`,
  (c) => `SELECT UrlMapping, Type FROM Redirects WHERE SiteId = '${c.site}'`,
  () => "SELECT t.TableName, count(*) FROM sys_tables t JOIN sys_tablecolumns c ON c.TableName = t.TableName WHERE t.Api = 'docs' GROUP BY 1",
  (c) => `SELECT c.Id, (SELECT count(*) FROM Threads t WHERE t.ConversationId = c.Id) AS n FROM Conversations c WHERE c.MailboxId = ${c.mb2} AND c.Status = 'active'`,
  (c) => `SELECT a.Number, b.Number FROM Conversations a JOIN Conversations b ON a.Number = b.Number + 1 WHERE a.MailboxId = ${c.mb1} AND b.Status = 'closed' ORDER BY 1 LIMIT 20`,
];

/** True when the statement's outermost level has ORDER BY (rows must then match in order). */
function ordered(sql: string): boolean {
  return /\border\s+by\b[^)]*$/i.test(sql);
}

function canonical(rows: readonly ResultValue[][], keepOrder: boolean): string[] {
  const out = rows.map((r) => JSON.stringify(r.map((v) => (v instanceof Uint8Array ? [...v] : v))));
  return keepOrder ? out : out.sort();
}

describe('SQL engine against the sandbox', function () {
  this.timeout(120_000);
  let core: Core;
  let engine: SqlEngine;
  let full: SandboxExport;
  let ctx: Ctx;

  const fetcher = (ttlMs = 0): SqlFetcher => new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs }) });

  before(async () => {
    // The export alone takes ~700 requests: lift the per-minute limit so the suite is not paced for minutes.
    core = await startCore({ sizes: SUITE_SIZES, knobs: { rateLimits: { mailbox: { limit: 1_000_000 } } } });
    engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
    full = await exportSandbox(core.mailboxHttp, core.docsHttp);
    const m = core.sandbox.store.mailbox;
    const d = core.sandbox.store.docs;
    const [mb1, mb2] = [...m.mailboxes.keys()];
    const users = [...m.users.keys()];
    const convs = [...m.conversations.values()];
    const customer = [...m.customers.values()].find((c) => c.emails.length > 0 && c.firstName !== null && c.lastName !== null);
    const site = [...d.sites.keys()][0];
    const col = [...d.collections.values()].find((c) => c.siteId === site && [...d.articles.values()].some((a) => a.collectionId === c.id));
    const article = [...d.articles.values()].find((a) => a.collectionId === col?.id);
    const pickConv = (i: number): (typeof convs)[number] => convs[i] ?? convs[0] ?? assert.fail('no conversations');
    assert.ok(mb1 && mb2 && customer && site && col && article && users.length > 2);
    ctx = {
      mb1,
      mb2,
      user: users[1] ?? 0,
      user2: users[2] ?? 0,
      folder: [...m.folders.values()].find((f) => f.mailboxId === mb1 && convs.some((c) => c.folderId === f.id))?.id ?? 0,
      team: [...m.teams.keys()][0] ?? 0,
      conv: [pickConv(3).id, pickConv(40).id, pickConv(77).id],
      numbers: [pickConv(0).number, pickConv(9).number, pickConv(99).number],
      custFirst: customer.firstName ?? '',
      custLast: customer.lastName ?? '',
      custEmail: customer.emails[0]?.value ?? '',
      site,
      col: col.id,
      article: article.id,
      userEmail: m.users.get(users[0] ?? 0)?.email ?? '',
    };
  });

  after(async () => {
    engine.dispose();
    await core.close();
  });

  it('the suite has at least 30 queries and reads every table', () => {
    assert.ok(SUITE.length >= 30, `${SUITE.length} queries`);
    const read = new Set(SUITE.flatMap((q) => analyse(q(ctx)).tables));
    const unread = tableNames().filter((t) => !read.has(t));
    assert.deepEqual(unread, []);
  });

  SUITE.forEach((q, i) => {
    it(`query ${i + 1} equals the answer over the full export`, async () => {
      const sql = q(ctx);
      core.sandbox.log.reset();
      const got = await runSql(sql, { fetcher: fetcher(), engine });
      const a = analyse(sql);
      const expected = await engine.run(sql, full.tables(a.tables, { Tag: a.literalsFor('Tag') }));
      assert.deepEqual(got.columns, expected.columns, sql);
      assert.deepEqual(canonical(got.rows, ordered(sql)), canonical(expected.rows, ordered(sql)), sql);
      // The fetcher's own count agrees with the server's log.
      assert.equal(got.requests, core.sandbox.log.count({ api: 'mailbox' }) + core.sandbox.log.count({ api: 'docs' }), sql);
    });
  });

  it('the answers are not trivially empty', async () => {
    let nonEmpty = 0;
    for (const q of SUITE) {
      const sql = q(ctx);
      const a = analyse(sql);
      const r = await engine.run(sql, full.tables(a.tables, { Tag: a.literalsFor('Tag') }));
      const hasValue = r.rows.some((row) => row.some((v) => v !== null && v !== 0));
      if (hasValue) nonEmpty++;
    }
    assert.ok(nonEmpty >= SUITE.length - 2, `${nonEmpty} of ${SUITE.length} have data`);
  });

  describe('request log', () => {
    it('the closed-conversations page costs exactly one request with the pushed parameters', async () => {
      core.sandbox.log.reset();
      const sql = `SELECT Number, Subject FROM Conversations WHERE MailboxId = ${ctx.mb1} AND Status = 'closed' ORDER BY CreatedAt DESC LIMIT 10`;
      const r = await runSql(sql, { fetcher: fetcher(), engine });
      const log = core.sandbox.log.entries({ api: 'mailbox' });
      assert.equal(log.length, 1);
      assert.equal(r.plan.estimatedRequests, 1);
      assert.equal(log[0]?.path, '/v2/conversations');
      assert.deepEqual(log[0]?.query, { mailbox: String(ctx.mb1), status: 'closed', sortField: 'createdAt', sortOrder: 'desc', page: '1' });
      assert.equal(r.rows.length, 10);
    });

    it('shows each pushed operator as its API parameter', async () => {
      const cases: { sql: string; path: string | RegExp; query: Record<string, string> }[] = [
        { sql: "SELECT Id FROM Conversations WHERE Tag = 'vip'", path: '/v2/conversations', query: { tag: 'vip', status: 'all' } },
        { sql: `SELECT Id FROM Conversations WHERE AssigneeId = ${ctx.user}`, path: '/v2/conversations', query: { assigned_to: String(ctx.user) } },
        { sql: "SELECT Id FROM Conversations WHERE ModifiedAt > '2026-09-15T00:00:00Z'", path: '/v2/conversations', query: { modifiedSince: '2026-09-15T00:00:00Z' } },
        { sql: "SELECT Id FROM Conversations WHERE CreatedAt >= '2026-09-15T00:00:00Z'", path: '/v2/conversations', query: { query: '(createdAt:[2026-09-15T00:00:00Z TO *])' } },
        { sql: `SELECT Id FROM Customers WHERE FirstName = '${ctx.custFirst}'`, path: '/v2/customers', query: { firstName: ctx.custFirst } },
        { sql: `SELECT Id FROM Collections WHERE SiteId = '${ctx.site}'`, path: '/v1/collections', query: { siteId: ctx.site } },
        { sql: `SELECT Id FROM Articles WHERE CollectionId = '${ctx.col}' AND Status = 'published'`, path: `/v1/collections/${ctx.col}/articles`, query: { status: 'published', pageSize: '100' } },
      ];
      for (const c of cases) {
        core.sandbox.log.reset();
        await runSql(c.sql, { fetcher: fetcher(), engine });
        const first = core.sandbox.log.entries()[0];
        assert.ok(first, c.sql);
        assert.ok(typeof c.path === 'string' ? first.path === c.path : c.path.test(first.path), `${c.sql}: ${first.path}`);
        for (const [k, v] of Object.entries(c.query)) assert.equal(first.query[k], v, `${c.sql}: ${k}`);
      }
    });

    it('makes exactly the requests the plan promised once page counts are known', async () => {
      const f = fetcher();
      const sqls = [
        `SELECT count(*) FROM Conversations WHERE MailboxId = ${ctx.mb1}`,
        `SELECT Id FROM Threads WHERE ConversationId IN (${ctx.conv.join(', ')})`,
        `SELECT Id FROM Conversations WHERE Id IN (${ctx.conv.join(', ')})`,
        `SELECT count(*) FROM Articles WHERE CollectionId = '${ctx.col}'`,
      ];
      for (const sql of sqls) {
        await runSql(sql, { fetcher: f, engine }); // learns the page counts
        core.sandbox.log.reset();
        const r = await runSql(sql, { fetcher: f, engine });
        assert.equal(core.sandbox.log.count(), r.plan.estimatedRequests, sql);
        assert.equal(r.requests, r.plan.estimatedRequests, sql);
      }
    });

    it('fetches article text only when the query reads it', async () => {
      const articles = [...core.sandbox.store.docs.articles.values()].filter((a) => a.collectionId === ctx.col).length;
      core.sandbox.log.reset();
      await runSql(`SELECT Name FROM Articles WHERE CollectionId = '${ctx.col}'`, { fetcher: fetcher(), engine });
      assert.equal(core.sandbox.log.count({ path: /^\/v1\/articles\// }), 0);
      core.sandbox.log.reset();
      await runSql(`SELECT Name, Text FROM Articles WHERE CollectionId = '${ctx.col}'`, { fetcher: fetcher(), engine });
      assert.equal(core.sandbox.log.count({ path: /^\/v1\/articles\// }), articles);
    });

    it('fetches thread bodies only when the query reads Threads', async () => {
      core.sandbox.log.reset();
      await runSql(`SELECT Id, Subject, Preview FROM Conversations WHERE MailboxId = ${ctx.mb2} AND Status = 'pending'`, { fetcher: fetcher(), engine });
      assert.equal(core.sandbox.log.count({ path: /\/threads$/ }), 0);
    });

    it('EXPLAIN shows the plan and fetches nothing', async () => {
      core.sandbox.log.reset();
      const r = await runSql(`EXPLAIN SELECT t.Body FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId WHERE c.MailboxId = ${ctx.mb1} AND c.Status = 'active'`, { fetcher: fetcher(), engine });
      assert.equal(core.sandbox.log.count(), 0);
      assert.equal(r.columns[0], 'Step');
      // Two steps, and a last row saying the estimate is a guess (nothing was fetched before).
      assert.equal(r.rows.filter((row) => row[0] !== null).length, 2);
      assert.match(String(r.rows.at(-1)?.[10]), /a guess/);
      assert.match(String(r.rows[0]?.[4]), /mailbox=\d+&status=active&embed=threads/);
      // The threads come with the conversations (embed=threads); Body is read, so chat threads are fetched whole.
      assert.match(String(r.rows[1]?.[3]), /GET \/conversations$/);
      assert.match(String(r.rows[1]?.[10]), /chat threads are documented as truncated/);
    });
  });

  describe('errors', () => {
    it('bad SQL yields an error with its position', async () => {
      await assert.rejects(
        runSql('SELECT Number,, Subject FROM Conversations', { fetcher: fetcher(), engine }),
        (e: unknown) => e instanceof SqlError && e.kind === 'sql' && e.position?.line === 1 && e.position.column > 0 && /syntax error/.test(e.message),
      );
    });

    it('a query over an unknown table names the known tables', async () => {
      core.sandbox.log.reset();
      await assert.rejects(runSql('SELECT * FROM Tickets', { fetcher: fetcher(), engine }), (e: unknown) => {
        assert.ok(e instanceof SqlError);
        assert.match(e.message, /no such table: Tickets/);
        assert.match(e.message, /Conversations/);
        assert.match(e.message, /Articles/);
        return true;
      });
      assert.equal(core.sandbox.log.count(), 0);
    });

    it('a write without the write path is rejected before anything is sent', async () => {
      await assert.rejects(runSql("UPDATE Conversations SET Status = 'closed'", { fetcher: fetcher(), engine }), SqlRejectedError);
    });
  });
});
