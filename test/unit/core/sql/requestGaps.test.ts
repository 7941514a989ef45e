// Requests the API does not need, the remaining gaps: a ModifiedAt range with
// both ends through the search syntax, GETs by id for the few keys a join
// partner yields, ORDER BY + LIMIT stopping early through joins and key
// sub-selects (checked after the run), a small parent table's filter applied
// before its children are listed, per-article GETs only for the columns the
// list lacks and the rows that pass the other filters, the largest page size.
// Every answer is compared with the same SQL over a full export of the
// sandbox, and requests are counted from the sandbox's own log.
import assert from 'node:assert/strict';
import { analyse, plan, ResponseCache, runSql, SqlEngine, SqlFetcher, type ResultValue } from '../../../../src/core/sql';
import { conversationModifiedAt } from '../../../../src/sandbox';
import { startCore, type Core } from '../harness';
import { exportSandbox, type SandboxExport } from './sandboxExport';

const SIZES = {
  mailboxes: 3,
  conversations: 600,
  customers: 1200,
  users: 6,
  teams: 2,
  tags: 8,
  docs: { sites: 1, collections: 4, articles: 60, redirects: 2 },
};

function canonical(rows: readonly ResultValue[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

interface Logged {
  readonly path: string;
  readonly query: Record<string, string>;
}

describe('SQL requests: ranges, lookups by id, early stop through joins, parent filters, detail GETs', function () {
  this.timeout(120_000);
  let core: Core;
  let engine: SqlEngine;
  let full: SandboxExport;

  const run = async (sql: string): Promise<Awaited<ReturnType<typeof runSql>>> => {
    core.sandbox.log.reset();
    const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs: 0 }) });
    return runSql(sql, { fetcher, engine });
  };

  /** Runs a statement, checks its answer against the export (in order when `ordered`), and returns the requests the sandbox saw. */
  const answered = async (sql: string, ordered = false): Promise<Logged[]> => {
    const got = await run(sql);
    const log = core.sandbox.log.entries().map((e) => ({ path: e.path, query: e.query }));
    const a = analyse(sql);
    const expected = await engine.run(sql, full.tables(a.tables, { Tag: a.literalsFor('Tag') }));
    assert.deepEqual(got.columns, expected.columns, sql);
    if (ordered) assert.deepEqual(got.rows, expected.rows, sql);
    else assert.deepEqual(canonical(got.rows), canonical(expected.rows), sql);
    assert.equal(got.requests, log.length, sql);
    return log;
  };

  const pages = (n: number, size = 50): number => Math.max(1, Math.ceil(n / size));
  const to = (path: string) => (r: Logged): boolean => r.path === path;

  before(async () => {
    core = await startCore({ sizes: SIZES, knobs: { rateLimits: { mailbox: { limit: 1_000_000 } } } });
    engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
    full = await exportSandbox(core.mailboxHttp, core.docsHttp);
  });

  after(async () => {
    engine.dispose();
    await core.close();
  });

  describe('a ModifiedAt range with both ends', () => {
    it('sends both ends as modifiedAt:[A TO B]: the pages of the range, not of everything since A', async () => {
      const convs = [...core.sandbox.store.mailbox.conversations.values()];
      const times = convs.map((c) => conversationModifiedAt(c)).sort();
      const lo = (times[Math.floor(times.length * 0.3)] ?? '').slice(0, 10);
      const hi = (times[Math.floor(times.length * 0.45)] ?? '').slice(0, 10);
      assert.ok(lo < hi, `${lo} < ${hi}`);
      const inRange = times.filter((t) => t >= `${lo}T00:00:00Z` && t <= `${hi}T23:59:59Z`).length;
      const since = times.filter((t) => t >= `${lo}T00:00:00Z`).length;
      assert.ok(pages(since) > pages(inRange) + 1, 'the upper bound saves pages here');

      const log = await answered(`SELECT Number, ModifiedAt FROM Conversations WHERE ModifiedAt >= '${lo}' AND ModifiedAt <= '${hi}'`);
      assert.deepEqual(log.map((r) => r.query['query']), log.map(() => `(modifiedAt:[${lo}T00:00:00Z TO ${hi}T23:59:59Z])`));
      assert.ok(log.every((r) => r.query['modifiedSince'] === undefined));
      assert.equal(log.length, pages(inRange));

      // BETWEEN, a strict upper bound, an open lower end: the same search term; a lower bound alone stays modifiedSince.
      const between = await answered(`SELECT Id FROM Conversations WHERE ModifiedAt BETWEEN '${lo}' AND '${hi}T23:59:59Z'`);
      assert.equal(between[0]?.query['query'], `(modifiedAt:[${lo}T00:00:00Z TO ${hi}T23:59:59Z])`);
      const upper = await answered(`SELECT Id FROM Conversations WHERE ModifiedAt < '${lo}' AND Status = 'closed'`);
      assert.equal(upper[0]?.query['query'], `(modifiedAt:[* TO ${lo}T23:59:59Z])`);
      const lower = await answered(`SELECT Id FROM Conversations WHERE ModifiedAt > '${hi}'`);
      assert.equal(lower[0]?.query['modifiedSince'], `${hi}T00:00:00Z`);
      assert.equal(lower[0]?.query['query'], undefined);
    });

    it('does the same for Customers.UpdatedAt, and keeps CreatedAt ranges on conversations', async () => {
      const customers = [...core.sandbox.store.mailbox.customers.values()].map((c) => c.updatedAt).sort();
      const lo = (customers[Math.floor(customers.length * 0.5)] ?? '').slice(0, 10);
      const hi = (customers[Math.floor(customers.length * 0.6)] ?? '').slice(0, 10);
      const log = await answered(`SELECT Id, UpdatedAt FROM Customers WHERE UpdatedAt >= '${lo}' AND UpdatedAt < '${hi}'`);
      assert.equal(log[0]?.query['query'], `(modifiedAt:[${lo}T00:00:00Z TO ${hi}T23:59:59Z])`);
      assert.equal(log.length, pages(customers.filter((t) => t >= `${lo}T00:00:00Z` && t <= `${hi}T23:59:59Z`).length));

      const created = await answered("SELECT Id FROM Conversations WHERE CreatedAt >= '2026-06-01' AND CreatedAt < '2026-07-01'");
      assert.equal(created[0]?.query['query'], '(createdAt:[2026-06-01T00:00:00Z TO 2026-07-01T23:59:59Z])');
    });
  });

  describe('GETs by id for the keys of a join partner', () => {
    const readme = (mailbox: string, join = 'JOIN'): string =>
      `SELECT c.Number, c.Subject, cu.FirstName, cu.LastName FROM Conversations c ${join} Customers cu ON cu.Id = c.CustomerId ` +
      `WHERE c.MailboxId IN (SELECT Id FROM Mailboxes WHERE Name = '${mailbox}') AND c.Status = 'closed' ORDER BY c.CreatedAt DESC LIMIT 20`;

    it("answers the README's join with LIMIT 20 in 22 requests: the mailboxes, one conversation page, a GET per customer", async () => {
      const mailbox = [...core.sandbox.store.mailbox.mailboxes.values()][0]?.name ?? '';
      const log = await answered(readme(mailbox), true);
      assert.equal(log.filter(to('/v2/mailboxes')).length, 1);
      assert.equal(log.filter(to('/v2/conversations')).length, 1);
      const gets = log.filter((r) => /^\/v2\/customers\/\d+$/.test(r.path));
      assert.equal(gets.length, new Set(gets.map((r) => r.path)).size, 'one GET per distinct customer');
      assert.ok(gets.length <= 20);
      assert.equal(log.length, 2 + gets.length);
      assert.equal(log.filter(to('/v2/customers')).length, 0, 'customers are not listed');
    });

    it('lists the partner instead when its keys would cost more than its pages', async () => {
      const customerPages = pages(core.sandbox.store.mailbox.customers.size);
      const sql = 'SELECT c.Number, cu.Email FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId WHERE c.Status = \'closed\'';
      const log = await answered(sql);
      assert.equal(log.filter(to('/v2/customers')).length, customerPages);
      assert.equal(log.filter((r) => r.path.startsWith('/v2/customers/')).length, 0);
    });

    it('takes a customer by id for a conversation found by number', async () => {
      const c = [...core.sandbox.store.mailbox.conversations.values()][17];
      assert.ok(c);
      const log = await answered(`SELECT c.Number, cu.FirstName FROM Customers cu JOIN Conversations c ON cu.Id = c.CustomerId WHERE c.Number = ${c.number}`);
      assert.deepEqual(log.map((r) => r.path).sort(), ['/v2/conversations', `/v2/customers/${c.primaryCustomerId}`]);
    });
  });

  describe('ORDER BY + LIMIT through joins and key sub-selects', () => {
    it('stops paging through a LEFT JOIN and an IN (SELECT ...) on a key column', async () => {
      const m = core.sandbox.store.mailbox;
      const mb = [...m.mailboxes.values()][1];
      assert.ok(mb);
      const inMailbox = [...m.conversations.values()].filter((c) => c.mailboxId === mb.id).length;
      assert.ok(inMailbox > 100);
      const sub = await answered(`SELECT Number, Subject FROM Conversations WHERE MailboxId IN (SELECT Id FROM Mailboxes WHERE Name = '${mb.name}') ORDER BY CreatedAt DESC LIMIT 10`, true);
      assert.deepEqual(sub.map((r) => r.path), ['/v2/mailboxes', '/v2/conversations']);
      assert.equal(sub[1]?.query['sortField'], 'createdAt');

      const left = await answered(`SELECT c.Number, t.Type FROM Conversations c LEFT JOIN Threads t ON t.ConversationId = c.Id WHERE c.MailboxId = ${mb.id} ORDER BY c.Number LIMIT 5`);
      // One page of conversations with their threads embedded (shared by both tables), nothing per conversation.
      assert.equal(left.filter(to('/v2/conversations')).length, 1);
      assert.equal(left.length, 1);
    });

    it('runs again over every page when the other side drops rows and the first rows fall short', async () => {
      const m = core.sandbox.store.mailbox;
      // A first name few conversations' customers have: fewer than 20 answers in all.
      const byName = new Map<string, number>();
      for (const c of m.conversations.values()) {
        const name = m.customers.get(c.primaryCustomerId)?.firstName;
        if (name) byName.set(name, (byName.get(name) ?? 0) + 1);
      }
      const [name, n] = [...byName].sort((x, y) => x[1] - y[1])[0] ?? ['', 0];
      assert.ok(n > 0 && n < 20, `${name}: ${n}`);
      const sql = `SELECT c.Number, cu.FirstName FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId WHERE cu.FirstName = '${name.replace(/'/g, "''")}' ORDER BY c.CreatedAt DESC LIMIT 20`;
      const log = await answered(sql, true);
      // The first attempt reads one page; its 20 rows give fewer than 20 answers, so every page is read.
      assert.equal(log.filter(to('/v2/conversations')).length, 1 + pages(m.conversations.size));
    });

    it('does not stop early where the answer could change: a null-extended side, the table read twice, several streams', () => {
      for (const sql of [
        'SELECT c.Number FROM Customers cu LEFT JOIN Conversations c ON c.CustomerId = cu.Id ORDER BY c.CreatedAt LIMIT 5',
        'SELECT c.Number FROM Conversations c WHERE c.Number > (SELECT min(Number) FROM Conversations) ORDER BY c.CreatedAt LIMIT 5',
        'SELECT c.AssigneeId, count(*) FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId GROUP BY 1 ORDER BY 1 LIMIT 5',
        "SELECT c.Number FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId WHERE c.Status IN ('active', 'closed') ORDER BY c.CreatedAt LIMIT 5",
        'SELECT DISTINCT c.Number FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId ORDER BY c.Number LIMIT 5',
      ]) {
        const p = plan(sql);
        assert.ok(p.steps.every((s) => s.rowLimit === undefined && (s.table !== 'Conversations' || s.pageLimit === undefined)), sql);
        assert.equal(p.limitCheck, undefined, sql);
      }
    });
  });

  describe('filters on a small parent table before its children', () => {
    it("lists the articles of the collection named in the WHERE only (Collections.Name = 'x')", async () => {
      const docs = core.sandbox.store.docs;
      const col = [...docs.collections.values()][1];
      assert.ok(col);
      const articles = [...docs.articles.values()].filter((a) => a.collectionId === col.id).length;
      const log = await answered(`SELECT a.Name, a.Status FROM Articles a JOIN Collections c ON a.CollectionId = c.Id WHERE c.Name = '${col.name.replace(/'/g, "''")}'`);
      assert.deepEqual(log.filter((r) => r.path.endsWith('/articles')).map((r) => r.path), Array.from({ length: pages(articles, 100) }, () => `/v1/collections/${col.id}/articles`));
      assert.equal(log.length, 1 + pages(articles, 100));
    });

    it('asks for the conversations of the mailboxes a join keeps, in one comma list', async () => {
      const m = core.sandbox.store.mailbox;
      const [a, b] = [...m.mailboxes.values()];
      assert.ok(a && b);
      const n = [...m.conversations.values()].filter((c) => c.mailboxId === a.id || c.mailboxId === b.id).length;
      const log = await answered(`SELECT m.Name, count(*) FROM Conversations c JOIN Mailboxes m ON m.Id = c.MailboxId WHERE m.Name IN ('${a.name}', '${b.name}') GROUP BY 1`);
      const convs = log.filter(to('/v2/conversations'));
      assert.ok(convs.every((r) => r.query['mailbox']?.split(',').sort().join() === [a.id, b.id].map(String).sort().join()));
      assert.equal(convs.length, pages(n));
    });
  });

  describe('EXPLAIN against the requests made', () => {
    const statements = (): string[] => {
      const m = core.sandbox.store.mailbox;
      const [mb1, mb2] = [...m.mailboxes.values()];
      const c = [...m.conversations.values()][40];
      const col = [...core.sandbox.store.docs.collections.values()][0];
      assert.ok(mb1 && mb2 && c && col);
      return [
        'SELECT Status, count(*) FROM Conversations GROUP BY 1',
        'SELECT Id, Subject FROM Conversations',
        `SELECT t.Type, t.CreatedAt FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.Number = ${c.number}`,
        `SELECT c.Number, cu.FirstName FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId WHERE c.MailboxId IN (SELECT Id FROM Mailboxes WHERE Name = '${mb1.name}') AND c.Status = 'closed' ORDER BY c.CreatedAt DESC LIMIT 20`,
        `SELECT a.Name FROM Articles a JOIN Collections c ON a.CollectionId = c.Id WHERE c.Name = '${col.name.replace(/'/g, "''")}'`,
        "SELECT Number FROM Conversations WHERE ModifiedAt >= '2026-09-01' AND ModifiedAt < '2026-10-01'",
        'SELECT j.value, count(*) FROM Conversations c, json_each(c.Tags) j GROUP BY 1',
        "SELECT Name, length(Text) FROM Articles WHERE Name LIKE '%a%'",
        `SELECT t.Body FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId WHERE c.Status = 'active' AND c.MailboxId = ${mb2.id}`,
        'SELECT u.FirstName, count(*) FROM Conversations c JOIN Users u ON u.Id = c.AssigneeId GROUP BY 1',
        "SELECT c.Number, cu.FirstName FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId WHERE cu.FirstName = 'Nobody' ORDER BY c.CreatedAt LIMIT 5",
        'SELECT * FROM Categories',
        'SELECT * FROM TeamMembers',
        `SELECT * FROM Conversations WHERE Id = ${c.id}`,
      ];
    };

    it('is within 2x of the requests once the statement ran before, and says when it guesses', async () => {
      const within = (estimate: number, actual: number): boolean => estimate <= 2 * Math.max(1, actual) && actual <= 2 * Math.max(1, estimate);
      const guessed: string[] = [];
      for (const sql of statements()) {
        const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs: 0 }) });
        const explain = async (): Promise<{ estimate: number; guess: boolean; text: string }> => {
          const r = await runSql(`EXPLAIN ${sql}`, { fetcher, engine });
          return { estimate: r.plan.estimatedRequests, guess: r.plan.estimateIsGuess === true, text: r.rows.map((row) => String(row.at(-1))).join(' ') };
        };
        const counted = async (): Promise<number> => {
          core.sandbox.log.reset();
          const r = await runSql(sql, { fetcher, engine });
          assert.equal(r.requests, core.sandbox.log.count(), sql);
          return r.requests;
        };
        const fresh = await explain();
        const warmUp = await counted();
        if (fresh.guess) {
          guessed.push(sql);
          assert.match(fresh.text, /≈ \d+ requests \(a guess: page count not yet known\)/, sql);
        } else {
          assert.ok(within(fresh.estimate, warmUp), `${sql}: a certain estimate of ${fresh.estimate} for ${warmUp} requests`);
        }
        const warm = await explain();
        const next = await counted();
        assert.equal(warm.guess, false, sql);
        assert.doesNotMatch(warm.text, /a guess/, sql);
        assert.ok(within(warm.estimate, next), `${sql}: estimated ${warm.estimate} after a run, ${next} requests made`);
      }
      assert.ok(guessed.length >= statements().length / 2, `${guessed.length} estimates marked as guesses in a fresh engine`);
    });
  });

  describe('per-article GETs', () => {
    it('reads Slug from the list: no GET per article', async () => {
      const log = await answered('SELECT Name, Slug FROM Articles');
      assert.equal(log.filter((r) => r.path.startsWith('/v1/articles/')).length, 0);
    });

    it('sends one GET per article only for the rows that pass the filters on list columns', async () => {
      const docs = core.sandbox.store.docs;
      const all = [...docs.articles.values()];
      const word = all[3]?.name.split(' ').find((w) => w.length > 4) ?? '';
      const matching = all.filter((a) => a.name.toLowerCase().includes(word.toLowerCase()));
      assert.ok(matching.length > 0 && matching.length < all.length / 2, word);
      const log = await answered(`SELECT Name, length(Text) FROM Articles WHERE Name LIKE '%${word}%' AND Status IN ('published', 'notpublished')`);
      const gets = log.filter((r) => r.path.startsWith('/v1/articles/')).map((r) => r.path).sort();
      assert.deepEqual(gets, matching.map((a) => `/v1/articles/${a.id}`).sort());
    });

    it('asks for 100 articles per page, the most the Docs API allows', async () => {
      const log = await answered('SELECT Id, Name FROM Articles');
      const lists = log.filter((r) => r.path.endsWith('/articles'));
      assert.ok(lists.length > 0 && lists.every((r) => r.query['pageSize'] === '100'));
    });
  });
});
