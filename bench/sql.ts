// The SQL engine benchmark, side by side in one process against one sandbox
// with injected latency:
//   1. requests and wall time of the engine (push-down, parallel pages) vs. a
//      naive client that pages through every list one page after another and
//      filters in memory (same SQL evaluated over everything), same queries,
//      same answers;
//   2. fetch throughput in pages/s: the parallel fetcher vs. sequential paging;
//   3. evaluation time for 100k rows, against the time fetching them takes.
// The sandbox's per-minute rate limit is lifted so both clients are bounded by
// latency and the governor's concurrency, not by the budget.
import { HttpClient } from '../src/core/http/client';
import { createNodeFetch } from '../src/core/http/node';
import { createMailboxGovernor } from '../src/core/mailbox/client';
import { createDocsGovernor, docsApiKeyAuth } from '../src/core/docs/client';
import {
  analyse, catalogTable, getTable, pick, readPage, ResponseCache, rowsFromItems, runSql, SqlEngine, SqlFetcher,
  type ResultValue, type SqlValue, type TableData, type TableDef,
} from '../src/core/sql';
import { startSandbox } from '../src/sandbox';
import { ratio, table, type Benchmark, type BenchContext } from './runner';
import { runQuestions } from './sqlQuestions';

const LATENCY_MS = 30;
const SIZES = { mailboxes: 3, conversations: 800, customers: 300, users: 6, teams: 2, tags: 20, docs: { sites: 1, collections: 4, articles: 80, redirects: 2 } };
const EVAL_ROWS = 100_000;
/** The governor's default concurrency, stated so the report can name it. */
const CONCURRENCY = 6;

/** A client that knows nothing of push-down: every list, every page, one request after another. */
class NaiveClient {
  requests = 0;
  constructor(private readonly http: Record<'mailbox' | 'docs', HttpClient>) {}

  private async pages(def: TableDef, path: string): Promise<unknown[]> {
    const list = def.list[0];
    if (!list) return [];
    const items: unknown[] = [];
    for (let page = 1; ; page++) {
      const query = { ...def.defaults, page: String(page), ...(list.pageSizeParam ? { [list.pageSizeParam.name]: String(list.pageSizeParam.max) } : {}) };
      const res = await this.http[def.api].send({ method: 'GET', path, query });
      this.requests++;
      const r = readPage(JSON.parse(res.text), { envelope: list.envelope, single: false, page });
      items.push(...r.items);
      if (!r.hasNext || r.items.length === 0) return items;
    }
  }

  /** Every row of a table: parents enumerated first for child lists, per-item GETs where the list lacks fields. */
  async rows(name: string, literals: Readonly<Record<string, readonly string[]>>, memo = new Map<string, SqlValue[][]>()): Promise<SqlValue[][]> {
    const def = getTable(name);
    const hit = memo.get(def.name);
    if (hit) return hit;
    const list = def.list[0];
    let rows: SqlValue[][] = [];
    if (def.staticRows) rows = def.staticRows().map((r) => [...r]);
    else if (list?.parent) {
      const parent = getTable(list.parent.table);
      const idx = parent.columns.findIndex((c) => c.name === list.parent?.parentColumn);
      const parentRows = await this.rows(parent.name, literals, memo);
      for (const pr of parentRows) {
        const id = String(pr[idx]);
        const items = await this.withDetail(def, await this.pages(def, list.path.replace(`{${list.parent.param}}`, encodeURIComponent(id))));
        rows.push(...rowsFromItems(def, items, { [list.parent.param]: id }, literals));
      }
    } else if (list) {
      rows = rowsFromItems(def, await this.withDetail(def, await this.pages(def, list.path)), {}, literals);
    }
    memo.set(def.name, rows);
    return rows;
  }

  private async withDetail(def: TableDef, items: unknown[]): Promise<unknown[]> {
    const d = def.detail;
    if (!d) return items;
    const out: unknown[] = [];
    for (const it of items) {
      const needs = d.when === 'columns' || (it !== null && typeof it === 'object' && (it as Record<string, unknown>)['_embedded'] === undefined);
      if (!needs) {
        out.push(it);
        continue;
      }
      const res = await this.http[def.api].send({ method: 'GET', path: d.path.replace('{id}', encodeURIComponent(String(pick(it, d.idField)))) });
      this.requests++;
      const body: unknown = JSON.parse(res.text);
      out.push({ ...(it as object), ...((d.envelope ? pick(body, d.envelope) : body) as object) });
    }
    return out;
  }

  async tables(sql: string): Promise<TableData[]> {
    const a = analyse(sql);
    const literals = { Tag: a.literalsFor('Tag') };
    const memo = new Map<string, SqlValue[][]>();
    const out: TableData[] = [];
    for (const t of a.tables) out.push(catalogTable(getTable(t).name, await this.rows(t, literals, memo)));
    return out;
  }
}

function canonical(rows: readonly ResultValue[][]): string {
  return rows.map((r) => JSON.stringify(r)).sort().join('\n');
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

async function run(ctx: BenchContext): Promise<{ text: string; data: unknown }> {
  const sandbox = await startSandbox({ port: 0, sizes: SIZES, knobs: { latencyMs: LATENCY_MS, rateLimits: { mailbox: { limit: 1_000_000 } } } });
  const net = createNodeFetch();
  const mailboxHttp = new HttpClient({
    baseUrl: sandbox.mailboxBaseUrl, fetch: net.fetch, governor: createMailboxGovernor({ concurrency: CONCURRENCY }),
    authHeaders: async () => ({ Authorization: `Bearer ${sandbox.credentials.accessToken}` }),
  });
  const docsHttp = new HttpClient({
    baseUrl: sandbox.docsBaseUrl, fetch: net.fetch, governor: createDocsGovernor({ concurrency: CONCURRENCY }), authHeaders: docsApiKeyAuth(() => sandbox.credentials.docsApiKey),
  });
  const engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  const freshFetcher = (): SqlFetcher => new SqlFetcher({ mailbox: mailboxHttp, docs: docsHttp, cache: new ResponseCache({ ttlMs: 0 }) });
  try {
    const m = sandbox.store.mailbox;
    const [mb1, mb2] = [...m.mailboxes.keys()];
    const customer = [...m.customers.values()].find((c) => c.firstName !== null);
    const col = [...sandbox.store.docs.collections.values()][0]?.id ?? '';
    const queries: { label: string; sql: string }[] = [
      { label: 'closed page, sorted', sql: `SELECT Number, Subject FROM Conversations WHERE MailboxId = ${mb1} AND Status = 'closed' ORDER BY CreatedAt DESC LIMIT 10` },
      { label: 'count by status, one mailbox', sql: `SELECT Status, count(*) FROM Conversations WHERE MailboxId = ${mb2} GROUP BY 1` },
      { label: 'tagged conversations', sql: "SELECT Number, Tags FROM Conversations WHERE Tag = 'vip'" },
      { label: 'threads of pending (join)', sql: `SELECT c.Number, count(t.Id) FROM Conversations c JOIN Threads t ON t.ConversationId = c.Id WHERE c.MailboxId = ${mb1} AND c.Status = 'pending' GROUP BY 1` },
      { label: 'customers by first name', sql: `SELECT Id, Email FROM Customers WHERE FirstName = '${customer?.firstName ?? ''}'` },
      { label: 'article text, one collection', sql: `SELECT Name, length(Text) FROM Articles WHERE CollectionId = '${col}' AND Status = 'published'` },
      { label: 'all conversations (no filter)', sql: 'SELECT MailboxId, count(*) FROM Conversations GROUP BY 1' },
    ];

    // Start the SQL worker first so the first query does not pay for it.
    await engine.run('SELECT 1', []);

    // 1. Engine vs naive client.
    const results: { label: string; sql: string; engineRequests: number; naiveRequests: number; engineMs: number; naiveMs: number; sameAnswer: boolean }[] = [];
    for (const q of queries) {
      ctx.log(`query: ${q.label}`);
      sandbox.log.reset();
      const e = await timed(() => runSql(q.sql, { fetcher: freshFetcher(), engine }));
      const engineRequests = sandbox.log.count();
      sandbox.log.reset();
      const naive = new NaiveClient({ mailbox: mailboxHttp, docs: docsHttp });
      const n = await timed(async () => engine.run(q.sql, await naive.tables(q.sql)));
      results.push({
        label: q.label, sql: q.sql, engineRequests, naiveRequests: sandbox.log.count(), engineMs: e.ms, naiveMs: n.ms,
        sameAnswer: canonical(e.value.rows) === canonical(n.value.rows),
      });
    }

    // 2. Throughput, parallel fetcher vs sequential paging, on two kinds of list:
    //    conversation pages (costly for the in-process sandbox to build, so its CPU
    //    bounds both) and thread lists of 60 conversations (cheap: latency-bound).
    ctx.log('throughput: all conversation pages; thread lists of 60 conversations');
    const allSql = 'SELECT Id FROM Conversations';
    const par = await timed(async () => freshFetcher().fetch(freshFetcher().plan(allSql)));
    const seqClient = new NaiveClient({ mailbox: mailboxHttp, docs: docsHttp });
    const seq = await timed(() => seqClient.rows('Conversations', {}));
    const pages = seqClient.requests;
    const parPps = (par.value.requests / par.ms) * 1000;
    const seqPps = (pages / seq.ms) * 1000;
    const convIds = [...m.conversations.keys()].slice(0, 60);
    const threadSql = `SELECT Id FROM Threads WHERE ConversationId IN (${convIds.join(', ')})`;
    const tf = freshFetcher();
    const threadPar = await timed(async () => tf.fetch(tf.plan(threadSql, { maxFanOut: 100 })));
    const threadSeq = await timed(async () => {
      for (const id of convIds) await new NaiveClient({ mailbox: mailboxHttp, docs: docsHttp }).rows('Threads', {}, new Map([['Conversations', [[id]]]]));
    });
    const threadParPps = (threadPar.value.requests / threadPar.ms) * 1000;
    const threadSeqPps = (convIds.length / threadSeq.ms) * 1000;

    // 3. Evaluation over 100k rows (the sandbox rows repeated with new ids).
    ctx.log(`evaluation: ${EVAL_ROWS} rows`);
    const base = par.value.tables.get('Conversations') ?? [];
    const def = getTable('Conversations');
    const idIdx = def.columns.findIndex((c) => c.name === 'Id');
    const numIdx = def.columns.findIndex((c) => c.name === 'Number');
    const big: SqlValue[][] = [];
    for (let i = 0; big.length < EVAL_ROWS && base.length > 0; i++) {
      const r = [...(base[i % base.length] ?? [])];
      r[idIdx] = i + 1;
      r[numIdx] = i + 1;
      big.push(r);
    }
    const bigTables = [catalogTable('Conversations', big)];
    const evalQueries = [
      'SELECT count(*) FROM Conversations',
      'SELECT MailboxId, Status, count(*), max(CreatedAt) FROM Conversations GROUP BY 1, 2',
      'SELECT j.value, count(*) FROM Conversations c, json_each(c.Tags) j GROUP BY 1 ORDER BY 2 DESC LIMIT 5',
    ];
    const evals: { sql: string; ms: number }[] = [];
    for (const sql of evalQueries) {
      const t = await timed(() => engine.run(sql, bigTables));
      evals.push({ sql, ms: t.ms });
    }
    const fetchMsFor100k = (Math.ceil(EVAL_ROWS / 50) / parPps) * 1000;

    const text = [
      `SQL engine vs naive client (sandbox, ${LATENCY_MS} ms latency per request, governor concurrency ${CONCURRENCY})`,
      table(
        ['query', 'requests engine', 'requests naive', 'fewer requests', 'time naive / engine', 'same answer'],
        results.map((r) => [r.label, r.engineRequests, r.naiveRequests, ratio(r.naiveRequests, r.engineRequests), ratio(r.naiveMs, r.engineMs), r.sameAnswer ? 'yes' : 'NO']),
      ),
      '',
      'Fetch throughput: parallel fetcher vs sequential paging',
      table(
        ['list', 'requests', 'parallel pages/s vs sequential'],
        [
          ['conversation pages (sandbox CPU-bound)', pages, ratio(parPps, seqPps)],
          ['thread lists, 60 conversations', convIds.length, ratio(threadParPps, threadSeqPps)],
        ],
      ),
      '',
      `Evaluation over ${EVAL_ROWS.toLocaleString('en')} rows (load + run in the SQL worker), relative to fetching those rows (${Math.ceil(EVAL_ROWS / 50)} pages at the parallel rate)`,
      table(['statement', 'evaluation / fetch'], evals.map((e) => [e.sql.length > 70 ? `${e.sql.slice(0, 69)}…` : e.sql, ratio(e.ms, fetchMsFor100k)])),
    ].join('\n');
    return {
      text,
      data: {
        latencyMs: LATENCY_MS,
        sizes: SIZES,
        queries: results,
        throughput: {
          conversations: { pages, parallelMs: par.ms, sequentialMs: seq.ms, parallelPagesPerSecond: parPps, sequentialPagesPerSecond: seqPps, ratio: parPps / seqPps },
          threads: { lists: convIds.length, parallelMs: threadPar.ms, sequentialMs: threadSeq.ms, ratio: threadParPps / threadSeqPps },
        },
        evaluation: { rows: EVAL_ROWS, statements: evals, estimatedFetchMs: fetchMsFor100k },
      },
    };
  } finally {
    engine.dispose();
    await net.close();
    await sandbox.close();
  }
}

export const sqlBenchmark: Benchmark = {
  name: 'sql',
  description: 'SQL engine: push-down and parallel paging vs a naive client; fetch throughput; evaluation of 100k rows; support-lead questions vs their floor',
  run: async (ctx) => {
    const engine = await run(ctx);
    const questions = await runQuestions(ctx);
    return { text: `${engine.text}\n\n${questions.text}`, data: { ...(engine.data as object), questions: questions.data } };
  },
};
