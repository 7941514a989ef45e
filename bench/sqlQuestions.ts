// Support-lead questions against the seeded sandbox (5,000 conversations,
// 2,000 customers) at a fixed latency: the requests the engine makes for each,
// next to the floor, the fewest requests the documented API allows for the
// answer (one line of justification each). Floors are computed from the
// sandbox through the API itself (page.totalElements, list counts) before the
// question runs, so they hold for the seeded data whatever its shape.
// Also the first-reply question's requests and time, against the figure
// measured before threads came by page.
import { HttpClient } from '../src/core/http/client';
import { createNodeFetch } from '../src/core/http/node';
import { createMailboxGovernor } from '../src/core/mailbox/client';
import { createDocsGovernor, docsApiKeyAuth } from '../src/core/docs/client';
import { pick, ResponseCache, runSql, SqlEngine, SqlFetcher } from '../src/core/sql';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { table, type BenchContext } from './runner';

export const QUESTION_LATENCY_MS = 150;
const CONCURRENCY = 6;

/** Measured before threads came by page (commit 5fd17b8), 150 ms latency, 5,000 conversations. */
const FIRST_REPLY_BEFORE = { requests: 5106, seconds: 12 * 60 };

/** Help Scout's date for "since October 1" in the seeded data (it ends on 2026-11-01). */
const SINCE = '2026-10-01';

/**
 * The question: a CTE of first customer message and first published reply per
 * conversation, over every thread (as measured before), or over the threads of the
 * conversations created since then (`threadsFiltered`).
 */
export function firstReplySql(since = SINCE, threadsFiltered = false): string {
  const threads = threadsFiltered ? `FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId WHERE c.CreatedAt >= '${since}'` : 'FROM Threads t';
  return `WITH firsts AS (
      SELECT t.ConversationId,
             min(CASE WHEN t.CreatedByType = 'customer' THEN t.CreatedAt END) AS asked,
             min(CASE WHEN t.Type = 'reply' AND t.State = 'published' THEN t.CreatedAt END) AS replied
      ${threads}
      GROUP BY t.ConversationId
    )
    SELECT c.AssigneeFirstName || ' ' || c.AssigneeLastName AS Assignee, count(*) AS Conversations,
           round(avg((julianday(f.replied) - julianday(f.asked)) * 24), 2) AS AvgHoursToFirstReply
    FROM Conversations c JOIN firsts f ON f.ConversationId = c.Id
    WHERE c.CreatedAt >= '${since}' AND f.replied > f.asked AND c.AssigneeType = 'user'
    GROUP BY c.AssigneeId ORDER BY AvgHoursToFirstReply`;
}

interface Question {
  readonly label: string;
  readonly sql: string;
  /** The floor and why it is one. */
  readonly floor: () => Promise<number>;
  readonly why: string;
}

/** Pages of `n` items. */
const pages = (n: number, size = 50): number => Math.max(1, Math.ceil(n / size));

export async function runQuestions(ctx: BenchContext): Promise<{ text: string; data: unknown }> {
  const sandbox: RunningSandbox = await startSandbox({ port: 0, knobs: { latencyMs: QUESTION_LATENCY_MS, rateLimits: { mailbox: { limit: 1_000_000 } } } });
  const net = createNodeFetch();
  const mailbox = new HttpClient({
    baseUrl: sandbox.mailboxBaseUrl, fetch: net.fetch, governor: createMailboxGovernor({ concurrency: CONCURRENCY }),
    authHeaders: async () => ({ Authorization: `Bearer ${sandbox.credentials.accessToken}` }),
  });
  const docs = new HttpClient({
    baseUrl: sandbox.docsBaseUrl, fetch: net.fetch, governor: createDocsGovernor({ concurrency: CONCURRENCY }), authHeaders: docsApiKeyAuth(() => sandbox.credentials.docsApiKey),
  });
  const engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  try {
    const m = sandbox.store.mailbox;
    const d = sandbox.store.docs;
    /** Conversations the list gives for these parameters (page.totalElements of page 1). */
    const total = async (query: Record<string, string>): Promise<number> => {
      const res = await mailbox.send({ method: 'GET', path: '/conversations', query: { status: 'all', ...query } });
      const n = pick(JSON.parse(res.text), 'page.totalElements');
      return typeof n === 'number' ? n : 0;
    };
    const mailboxes = [...m.mailboxes.values()];
    const support = mailboxes.find((x) => x.name === 'Support') ?? mailboxes[0];
    const billing = mailboxes.find((x) => x.name === 'Billing') ?? mailboxes[1];
    if (!support || !billing) throw new Error('the seeded sandbox has no mailboxes');
    const conversations = [...m.conversations.values()].filter((c) => c.state === 'published');
    const byNumber = conversations.find((c) => c.number === 120) ?? conversations[0];
    const customer = [...m.customers.values()].find((c) => c.emails.length > 0 && conversations.some((x) => x.primaryCustomerId === c.id));
    const email = customer?.emails[0]?.value ?? '';
    const gettingStarted = [...d.collections.values()].find((c) => c.name === 'Getting Started') ?? [...d.collections.values()][0];
    if (!byNumber || !gettingStarted) throw new Error('the seeded sandbox has no conversations or collections');
    const articlesOf = (collectionId: string): number => [...d.articles.values()].filter((a) => a.collectionId === collectionId).length;
    const articlePages = [...d.collections.values()].reduce((n, c) => n + pages(articlesOf(c.id), 100), 0);
    const vip = [...m.tags.values()].find((t) => conversations.some((c) => c.tagIds.includes(t.id) && c.mailboxId === support.id && c.status === 'closed'));
    const week = ['2026-10-12', '2026-10-18'] as const;
    const month = ['2026-09-01', '2026-09-30'] as const;
    const lastMonth = '2026-10-01';
    const word = 'password';
    const wordArticles = [...d.articles.values()].filter((a) => a.name.toLowerCase().includes(word)).length;
    const allConversationPages = async (): Promise<number> => pages(await total({}));

    const questions: Question[] = [
      {
        label: 'Conversations per status (README)',
        sql: 'SELECT Status, count(*) FROM Conversations GROUP BY 1',
        floor: async () => 4,
        why: 'no count endpoint: one page.totalElements per status (active, pending, closed, spam)',
      },
      {
        label: 'First reply per assignee since Oct 1 (issue)',
        sql: firstReplySql(),
        floor: allConversationPages,
        why: 'its CTE reads every thread: every conversation with its threads, 50 per request (embed=threads)',
      },
      {
        label: 'The same, CTE joined to the date filter',
        sql: firstReplySql(SINCE, true),
        floor: async () => pages(await total({ query: `(createdAt:[${SINCE}T00:00:00Z TO *])` })),
        why: 'the conversations created since then with their threads, 50 per request (createdAt:[A TO *], embed=threads)',
      },
      {
        label: 'Closed Support conversations + customer, newest 20 (README)',
        sql: `SELECT c.Number, c.Subject, cu.FirstName, cu.LastName FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId
              WHERE c.MailboxId IN (SELECT Id FROM Mailboxes WHERE Name = '${support.name}') AND c.Status = 'closed' ORDER BY c.CreatedAt DESC LIMIT 20`,
        floor: async () => {
          const newest = conversations.filter((c) => c.mailboxId === support.id && c.status === 'closed').sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20);
          return 2 + new Set(newest.map((c) => c.primaryCustomerId)).size;
        },
        why: 'the mailbox list (its id by name), one sorted page, one GET per distinct customer (listing them is 40 pages)',
      },
      {
        label: `Threads of conversation #${byNumber.number} (README)`,
        sql: `SELECT * FROM Threads t JOIN Conversations c ON t.ConversationId = c.Id WHERE c.Number = ${byNumber.number}`,
        floor: async () => (byNumber.threads.some((t) => t.type === 'chat') ? 2 : 1),
        why: "the conversation by number with embed=threads (plus its own thread list if it has a chat thread, whose body the list cuts)",
      },
      {
        label: "Articles of 'Getting Started' (README)",
        sql: `SELECT a.Name, a.Status FROM Articles a JOIN Collections c ON a.CollectionId = c.Id WHERE c.Name = '${gettingStarted.name.replace(/'/g, "''")}'`,
        floor: async () => 1 + pages(articlesOf(gettingStarted.id), 100),
        why: 'the collection list (its id by name), then that collection\'s articles, 100 per page',
      },
      {
        label: 'Conversations modified in one week',
        sql: `SELECT Number, Status FROM Conversations WHERE ModifiedAt >= '${week[0]}' AND ModifiedAt <= '${week[1]}'`,
        floor: async () => pages(await total({ query: `(modifiedAt:[${week[0]}T00:00:00Z TO ${week[1]}T23:59:59Z])` })),
        why: 'the week as modifiedAt:[A TO B], 50 per page',
      },
      {
        label: 'Conversations per tag',
        sql: 'SELECT j.value AS Tag, count(*) AS n FROM Conversations c, json_each(c.Tags) j GROUP BY 1 ORDER BY 2 DESC',
        floor: async () => Math.min(1 + m.tags.size, await allConversationPages()),
        why: 'the tag list then one page.totalElements per tag, or every conversation page when that is fewer',
      },
      {
        label: 'Newest 10 active in Billing',
        sql: `SELECT Number, Subject FROM Conversations WHERE MailboxId IN (SELECT Id FROM Mailboxes WHERE Name = '${billing.name}') AND Status = 'active' ORDER BY CreatedAt DESC LIMIT 10`,
        floor: async () => 2,
        why: 'the mailbox list (its id by name), one sorted page',
      },
      {
        label: 'A conversation by number',
        sql: `SELECT Number, Subject, Status, AssigneeEmail FROM Conversations WHERE Number = ${byNumber.number}`,
        floor: async () => 1,
        why: 'one list request with number=',
      },
      {
        label: "A customer's conversations by email",
        sql: `SELECT Number, Subject, Status FROM Conversations WHERE CustomerEmail = '${email}'`,
        floor: async () => pages(await total({ query: `(email:"${email}")` })),
        why: 'an email: search term, 50 per page',
      },
      {
        label: 'Pending per mailbox',
        sql: "SELECT MailboxId, count(*) FROM Conversations WHERE Status = 'pending' GROUP BY 1",
        floor: async () => 1 + mailboxes.length,
        why: 'the mailbox list, then one page.totalElements per mailbox',
      },
      {
        label: 'Pending per mailbox name (join)',
        sql: "SELECT m.Name, count(*) FROM Conversations c JOIN Mailboxes m ON m.Id = c.MailboxId WHERE c.Status = 'pending' GROUP BY 1",
        floor: async () => 1 + mailboxes.length,
        why: 'the mailbox list, then one page.totalElements per mailbox',
      },
      {
        label: 'Top 10 customers by conversations',
        sql: 'SELECT CustomerEmail, count(*) AS n FROM Conversations GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10',
        floor: allConversationPages,
        why: 'no count per customer: every conversation once, 50 per page',
      },
      {
        label: 'Threads per conversation by type, since Oct 1',
        sql: `SELECT Type, count(*), round(avg(ThreadCount), 2) FROM Conversations WHERE CreatedAt >= '${lastMonth}' GROUP BY 1`,
        floor: async () => pages(await total({ query: `(createdAt:[${lastMonth}T00:00:00Z TO *])` })),
        why: 'the conversations created since then (createdAt:[A TO *]), 50 per page',
      },
      {
        label: 'Team rosters',
        sql: 'SELECT t.Name AS Team, tm.FirstName, tm.LastName FROM TeamMembers tm JOIN Teams t ON t.Id = tm.TeamId ORDER BY 1, 2',
        floor: async () => 1 + m.teams.size,
        why: 'the team list, then each team\'s members',
      },
      {
        label: 'Folders and their active counts',
        sql: 'SELECT mb.Name, f.Name, f.ActiveCount FROM MailboxFolders f JOIN Mailboxes mb ON mb.Id = f.MailboxId ORDER BY 3 DESC',
        floor: async () => 1 + mailboxes.length,
        why: 'the mailbox list, then each mailbox\'s folders',
      },
      {
        label: 'Article slugs of one collection',
        sql: `SELECT Name, Slug FROM Articles WHERE CollectionId = '${gettingStarted.id}'`,
        floor: async () => pages(articlesOf(gettingStarted.id), 100),
        why: 'the collection\'s articles, 100 per page (the list carries slug)',
      },
      {
        label: `Text of the articles named '%${word}%'`,
        sql: `SELECT Name, length(Text) FROM Articles WHERE Name LIKE '%${word}%'`,
        floor: async () => 1 + articlePages + wordArticles,
        why: 'every name (search matches words, not substrings): collections, their article lists, then a GET per match for its body',
      },
      {
        label: 'A customer by email',
        sql: `SELECT Id, FirstName, LastName FROM Customers WHERE Email = '${email}'`,
        floor: async () => 1,
        why: 'one search request (email:)',
      },
      {
        label: 'Customers updated in September',
        sql: `SELECT count(*) FROM Customers WHERE UpdatedAt >= '${month[0]}' AND UpdatedAt <= '${month[1]}'`,
        floor: async () => {
          const res = await mailbox.send({ method: 'GET', path: '/customers', query: { query: `(modifiedAt:[${month[0]}T00:00:00Z TO ${month[1]}T23:59:59Z])` } });
          const n = pick(JSON.parse(res.text), 'page.totalElements');
          return pages(typeof n === 'number' ? n : 0);
        },
        why: 'modifiedAt:[A TO B] on customers, 50 per page (not documented to match updatedAt exactly, so no count from totals)',
      },
      {
        label: `Closed Support conversations tagged '${vip?.name ?? 'none'}'`,
        sql: `SELECT count(*) FROM Conversations WHERE MailboxId = ${support.id} AND Status = 'closed' AND Tag = '${vip?.name ?? 'none'}'`,
        floor: async () => 1,
        why: 'one page.totalElements with mailbox, status and tag',
      },
      {
        label: 'Active workload per assignee',
        sql: "SELECT AssigneeId, count(*) FROM Conversations WHERE Status = 'active' GROUP BY 1",
        floor: async () => pages(await total({ status: 'active' })),
        why: 'unassigned and team-assigned rows cannot be counted by assigned_to: every active conversation',
      },
      {
        label: 'Latest 5 conversations with customer (LEFT JOIN)',
        sql: 'SELECT c.Number, cu.FirstName, cu.LastName FROM Conversations c LEFT JOIN Customers cu ON cu.Id = c.CustomerId ORDER BY c.CreatedAt DESC LIMIT 5',
        floor: async () => {
          const newest = [...conversations].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 5);
          return 1 + new Set(newest.map((c) => c.primaryCustomerId)).size;
        },
        why: 'one sorted page, one GET per distinct customer',
      },
      {
        label: 'Redirects of every site',
        sql: 'SELECT s.Title, r.UrlMapping, r.Redirect FROM Redirects r JOIN Sites s ON s.Id = r.SiteId',
        floor: async () => 1 + d.sites.size,
        why: 'the site list, then each site\'s redirects',
      },
    ];

    await engine.run('SELECT 1', []);
    const rows: { label: string; sql: string; requests: number; floor: number; ms: number; why: string; rows: number }[] = [];
    for (const q of questions) {
      ctx.log(`question: ${q.label}`);
      const floor = await q.floor();
      sandbox.log.reset();
      const fetcher = new SqlFetcher({ mailbox, docs, cache: new ResponseCache({ ttlMs: 0 }) });
      const started = process.hrtime.bigint();
      const r = await runSql(q.sql, { fetcher, engine });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      rows.push({ label: q.label, sql: q.sql, requests: sandbox.log.count(), floor, ms, why: q.why, rows: r.rows.length });
    }
    const firstReply = rows.find((r) => r.label.startsWith('First reply'));
    const atFloor = rows.filter((r) => r.requests <= r.floor).length;
    const text = [
      `Support-lead questions (seeded sandbox: ${m.conversations.size.toLocaleString('en')} conversations, ${m.customers.size.toLocaleString('en')} customers, ` +
        `${d.articles.size} articles; ${QUESTION_LATENCY_MS} ms latency per request, governor concurrency ${CONCURRENCY}, nothing cached)`,
      table(
        ['question', 'requests', 'floor', 'requests / floor', 'seconds', 'floor: why'],
        rows.map((r) => [r.label, r.requests, r.floor, (r.requests / r.floor).toFixed(2), (r.ms / 1000).toFixed(1), r.why]),
      ),
      `${atFloor} of ${rows.length} questions at their floor; ${rows.reduce((n, r) => n + r.requests, 0)} requests in all against a floor of ${rows.reduce((n, r) => n + r.floor, 0)}.`,
      '',
      `First reply per assignee since ${SINCE} (${QUESTION_LATENCY_MS} ms latency)`,
      table(
        ['', 'requests', 'time'],
        [
          ['before (threads one request per conversation, measured at 5fd17b8)', FIRST_REPLY_BEFORE.requests, `${FIRST_REPLY_BEFORE.seconds / 60} min`],
          ['now', firstReply?.requests ?? 0, `${((firstReply?.ms ?? 0) / 1000).toFixed(1)} s`],
          ['now / before', `${(((firstReply?.requests ?? 0) / FIRST_REPLY_BEFORE.requests) * 100).toFixed(1)}%`, `${(((firstReply?.ms ?? 0) / 1000 / FIRST_REPLY_BEFORE.seconds) * 100).toFixed(2)}%`],
        ],
      ),
    ].join('\n');
    return { text, data: { latencyMs: QUESTION_LATENCY_MS, concurrency: CONCURRENCY, questions: rows, firstReply: { before: FIRST_REPLY_BEFORE, now: firstReply ? { requests: firstReply.requests, seconds: firstReply.ms / 1000 } : null } } };
  } finally {
    engine.dispose();
    await net.close();
    await sandbox.close();
  }
}
