// Requests the API does not need, against the sandbox over loopback HTTP:
// threads of many conversations come with the conversation list
// (embed=threads, 50 conversations per request) and counts come from
// page.totalElements (one request per group). Every answer is compared with
// the same SQL over a full export of the sandbox, and requests are counted
// from the sandbox's own log.
import assert from 'node:assert/strict';
import { analyse, EXPLAIN_COLUMNS, ResponseCache, runSql, SqlEngine, SqlFetcher, type ResultValue } from '../../../../src/core/sql';
import { startCore, type Core } from '../harness';
import { exportSandbox, type SandboxExport } from './sandboxExport';

const SIZES = {
  mailboxes: 3,
  conversations: 600,
  customers: 150,
  users: 6,
  teams: 2,
  tags: 8,
  docs: { sites: 1, collections: 2, articles: 10, redirects: 2 },
};

/** Conversations created since this date: a few pages of the 600. */
const SINCE = '2026-06-01';

/** "Average hours to first reply per assignee", first customer thread vs first published reply, per conversation. */
function firstReply(threadsJoined: boolean): string {
  const threads = threadsJoined
    ? `FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId WHERE c.CreatedAt >= '${SINCE}' GROUP BY t.ConversationId`
    : 'FROM Threads t GROUP BY t.ConversationId';
  return `WITH firsts AS (
      SELECT t.ConversationId,
             min(CASE WHEN t.CreatedByType = 'customer' THEN t.CreatedAt END) AS asked,
             min(CASE WHEN t.Type = 'reply' AND t.State = 'published' THEN t.CreatedAt END) AS replied
      ${threads}
    )
    SELECT c.AssigneeId, c.AssigneeFirstName || ' ' || c.AssigneeLastName AS Assignee, count(*) AS Conversations,
           round(avg((julianday(f.replied) - julianday(f.asked)) * 24), 2) AS AvgHoursToFirstReply
    FROM Conversations c JOIN firsts f ON f.ConversationId = c.Id
    WHERE c.CreatedAt >= '${SINCE}' AND f.replied > f.asked AND c.AssigneeType = 'user'
    GROUP BY c.AssigneeId ORDER BY AvgHoursToFirstReply, c.AssigneeId`;
}

function canonical(rows: readonly ResultValue[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe('SQL requests: threads by page and counts from page.totalElements', function () {
  this.timeout(120_000);
  let core: Core;
  let engine: SqlEngine;
  let full: SandboxExport;

  const run = async (sql: string): Promise<Awaited<ReturnType<typeof runSql>>> => {
    core.sandbox.log.reset();
    const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs: 0 }) });
    return runSql(sql, { fetcher, engine });
  };

  /** Runs a statement, checks its answer against the export, and returns the requests the sandbox saw. */
  const answered = async (sql: string): Promise<{ path: string; query: Record<string, string> }[]> => {
    const got = await run(sql);
    const log = core.sandbox.log.entries().map((e) => ({ path: e.path, query: e.query }));
    const a = analyse(sql);
    const expected = await engine.run(sql, full.tables(a.tables, { Tag: a.literalsFor('Tag') }));
    assert.deepEqual(got.columns, expected.columns, sql);
    assert.deepEqual(canonical(got.rows), canonical(expected.rows), sql);
    assert.equal(got.requests, log.length, sql);
    return log;
  };

  const pages = (n: number): number => Math.max(1, Math.ceil(n / 50));

  before(async () => {
    core = await startCore({ sizes: SIZES, knobs: { rateLimits: { mailbox: { limit: 1_000_000 } } } });
    engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
    full = await exportSandbox(core.mailboxHttp, core.docsHttp);
  });

  after(async () => {
    engine.dispose();
    await core.close();
  });

  describe('threads by page', () => {
    it('answers the first-reply question with one request per 50 conversations, none per conversation', async () => {
      const convs = [...core.sandbox.store.mailbox.conversations.values()];
      const since = convs.filter((c) => c.createdAt >= `${SINCE}T00:00:00Z`).length;
      assert.ok(since > 50 && since < convs.length / 2, `${since} conversations since ${SINCE}`);

      // Threads joined to the conversations created since then: their pages, with embed=threads, once.
      const joined = await answered(firstReply(true));
      assert.equal(joined.filter((r) => r.path.endsWith('/threads')).length, 0);
      assert.equal(joined.length, pages(since));
      assert.ok(joined.every((r) => r.path === '/v2/conversations' && r.query['embed'] === 'threads' && r.query['query'] === `(createdAt:[${SINCE}T00:00:00Z TO *])`));

      // Threads of every conversation (the CTE is not filtered): every conversation page once, shared by both tables.
      const all = await answered(firstReply(false));
      assert.equal(all.filter((r) => r.path.endsWith('/threads')).length, 0);
      assert.equal(all.length, pages(convs.length));
    });

    it('fetches whole threads only for conversations embedding a chat thread, and only when Body is read', async () => {
      const m = core.sandbox.store.mailbox;
      const mb = [...m.mailboxes.keys()][0];
      const matching = [...m.conversations.values()].filter((c) => c.mailboxId === mb && c.status === 'closed');
      const chats = matching.filter((c) => c.threads.some((t) => t.type === 'chat'));
      assert.ok(chats.length > 0 && chats.length < matching.length);
      const sql = `SELECT t.ConversationId, t.Id, t.Type, t.Body FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId WHERE c.MailboxId = ${mb} AND c.Status = 'closed'`;
      const log = await answered(sql);
      const own = log.filter((r) => r.path.endsWith('/threads')).map((r) => r.path).sort();
      assert.deepEqual(own, chats.map((c) => `/v2/conversations/${c.id}/threads`).sort());
      assert.equal(log.length - own.length, pages(matching.length));

      const withoutBody = await answered(sql.replace('t.Body', 't.CreatedAt'));
      assert.equal(withoutBody.length, pages(matching.length));
    });

    it('keeps a single conversation on its threads endpoint: one request', async () => {
      const c = [...core.sandbox.store.mailbox.conversations.values()].find((x) => x.threads.length > 2);
      assert.ok(c);
      const log = await answered(`SELECT Id, Type, CreatedAt FROM Threads WHERE ConversationId = ${c.id} ORDER BY CreatedAt`);
      assert.deepEqual(log.map((r) => r.path), [`/v2/conversations/${c.id}/threads`]);
    });

    it('takes a sub-select on conversations the same way', async () => {
      const m = core.sandbox.store.mailbox;
      const mb = [...m.mailboxes.keys()][1];
      const vip = [...m.conversations.values()].filter((c) => c.mailboxId === mb && c.tagIds.some((id) => m.tags.get(id)?.name === 'urgent'));
      const log = await answered(`SELECT count(*), count(DISTINCT ConversationId) FROM Threads WHERE ConversationId IN (SELECT Id FROM Conversations WHERE MailboxId = ${mb} AND Tag = 'urgent')`);
      assert.equal(log.length, pages(vip.length));
      assert.ok(log.every((r) => r.query['embed'] === 'threads' && r.query['tag'] === 'urgent'));
    });
  });

  describe('counts from page.totalElements', () => {
    it('counts per status with one request per status', async () => {
      const log = await answered('SELECT Status, count(*) FROM Conversations GROUP BY 1');
      assert.deepEqual(log.map((r) => r.query).sort((a, b) => String(a['status']).localeCompare(String(b['status']))), [
        { status: 'active', page: '1' }, { status: 'closed', page: '1' }, { status: 'pending', page: '1' }, { status: 'spam', page: '1' },
      ]);
    });

    it('counts over pushed filters with one request', async () => {
      const mb = [...core.sandbox.store.mailbox.mailboxes.keys()][0];
      assert.deepEqual((await answered("SELECT count(*) FROM Conversations WHERE Status='closed'")).map((r) => r.query), [{ status: 'closed', page: '1' }]);
      assert.deepEqual(
        (await answered(`SELECT count(*) AS n FROM Conversations WHERE MailboxId = ${mb} AND Status = 'closed' AND Tag = 'urgent'`)).map((r) => r.query),
        [{ mailbox: String(mb), status: 'closed', tag: 'urgent', page: '1' }],
      );
    });

    it('counts per mailbox: the mailbox list, the total, one request per mailbox', async () => {
      const log = await answered('SELECT MailboxId, count(*) AS n FROM Conversations GROUP BY MailboxId ORDER BY n DESC');
      const mailboxes = [...core.sandbox.store.mailbox.mailboxes.keys()];
      assert.deepEqual(log.map((r) => `${r.path}?${r.query['mailbox'] ?? ''}`).sort(), [
        '/v2/conversations?', ...mailboxes.map((id) => `/v2/conversations?${id}`), '/v2/mailboxes?',
      ].sort());
    });

    it('counts per tag through json_each(Tags): the tag list, the total, one request per tag', async () => {
      const log = await answered('SELECT j.value AS Tag, count(*) AS n FROM Conversations c, json_each(c.Tags) j GROUP BY 1 ORDER BY 2 DESC, 1');
      const tags = core.sandbox.store.mailbox.tags.size;
      assert.ok(tags < pages(core.sandbox.store.mailbox.conversations.size) - 1, 'counting is cheaper than listing here');
      assert.equal(log.filter((r) => r.path === '/v2/tags').length, 1);
      assert.equal(log.filter((r) => r.query['tag'] !== undefined).length, tags);
      assert.equal(log.length, 2 + tags);
    });

    it('lists instead when counting would cost more (one count per folder)', async () => {
      const m = core.sandbox.store.mailbox;
      const folders = m.folders.size;
      const listing = pages(m.conversations.size);
      assert.ok(folders >= listing - 1);
      const log = await answered("SELECT FolderId, count(*) FROM Conversations WHERE Status <> 'spam' OR Status = 'spam' GROUP BY 1");
      // An OR over two different operators is not a pushed filter: a plain listing.
      assert.equal(log.filter((r) => r.path === '/v2/conversations').length, listing);
      const counted = await answered('SELECT FolderId, count(*) FROM Conversations GROUP BY 1');
      assert.equal(counted.filter((r) => r.path === '/v2/conversations').length, listing);
      assert.equal(counted.filter((r) => r.path.endsWith('/folders')).length, m.mailboxes.size);
    });

    it('says so in EXPLAIN and fetches nothing', async () => {
      const r = await run('EXPLAIN SELECT Status, count(*) FROM Conversations GROUP BY 1');
      assert.equal(core.sandbox.log.count(), 0);
      assert.equal(r.rows.length, 1);
      assert.match(String(r.rows[0]?.[EXPLAIN_COLUMNS.indexOf('Notes')]), /count from page\.totalElements: one request per Status/);
      assert.equal(r.rows[0]?.[EXPLAIN_COLUMNS.indexOf('EstimatedRequests')], 4);
    });

    it('lists when anything else is read or filtered', async () => {
      const conversationPages = pages(core.sandbox.store.mailbox.conversations.size);
      for (const sql of [
        'SELECT Status, count(*), max(Number) FROM Conversations GROUP BY 1',
        'SELECT AssigneeId, count(*) FROM Conversations GROUP BY 1',
        'SELECT Status, count(*) FROM Conversations GROUP BY 1 HAVING min(CreatedAt) > \'2025-01-01\'',
        "SELECT Status, count(*) FROM Conversations WHERE CreatedByType = 'customer' GROUP BY 1",
        'SELECT c.Status, count(*) FROM Conversations c JOIN Mailboxes m ON m.Id = c.MailboxId GROUP BY 1',
        'SELECT Status, count(*) FROM Conversations WHERE Number > 0 GROUP BY 1',
      ]) {
        const log = await answered(sql);
        assert.equal(log.filter((r) => r.path === '/v2/conversations').length, conversationPages, sql);
      }
    });
  });
});
