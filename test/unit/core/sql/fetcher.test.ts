// The fetcher's own promises, against the sandbox over loopback HTTP: pages in
// parallel within the governor's bound, the response cache and its TTL,
// progress events, cancellation with partial rows, and the shared rate
// governor (backs off on a 429 and resumes; never causes one on its own).
import assert from 'node:assert/strict';
import { HttpClient } from '../../../../src/core/http/client';
import { createMailboxGovernor } from '../../../../src/core/mailbox/client';
import type { FetchLike } from '../../../../src/core/http/types';
import { ApiNotConfiguredError, cacheKey, ResponseCache, runSql, SqlEngine, SqlFetcher, type FetchEvent, type FetchProgress } from '../../../../src/core/sql';
import { startCore, type Core } from '../harness';

const SIZES = { mailboxes: 2, conversations: 400, customers: 40, users: 4, teams: 1, tags: 10, docs: { sites: 1, collections: 2, articles: 20, redirects: 2 } };
const NO_LIMIT = { rateLimits: { mailbox: { limit: 1_000_000 } } };

/** A client whose transport counts how many requests are open at once (the fetch under the HttpClient, not the client). */
function countingClient(core: Core, concurrency: number): { http: HttpClient; maxOpen: () => number } {
  let open = 0;
  let max = 0;
  const fetch: FetchLike = async (url, init) => {
    open++;
    max = Math.max(max, open);
    try {
      return await core.net.fetch(url, init);
    } finally {
      open--;
    }
  };
  const http = new HttpClient({
    baseUrl: core.sandbox.mailboxBaseUrl,
    fetch,
    authHeaders: async () => ({ Authorization: `Bearer ${core.sandbox.credentials.accessToken}` }),
    governor: createMailboxGovernor({ concurrency }),
  });
  return { http, maxOpen: () => max };
}

describe('SQL fetcher', function () {
  this.timeout(60_000);
  let engine: SqlEngine;
  before(() => {
    engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  });
  after(() => engine.dispose());

  describe('parallel pages and the cache', () => {
    let core: Core;
    before(async () => {
      core = await startCore({ sizes: SIZES, knobs: { ...NO_LIMIT, latencyMs: 15 } });
    });
    after(() => core.close());
    beforeEach(() => core.sandbox.log.reset());

    it('fetches pages 2..N together once page 1 tells the count, never above the governor bound', async () => {
      const { http, maxOpen } = countingClient(core, 4);
      const fetcher = new SqlFetcher({ mailbox: http, cache: new ResponseCache({ ttlMs: 0 }) });
      // count(Id) reads a column, so it lists every page (count(*) would read page.totalElements).
      const r = await runSql('SELECT count(Id) FROM Conversations', { fetcher, engine });
      const pages = Math.ceil(core.sandbox.store.mailbox.conversations.size / 50);
      assert.equal(r.rows[0]?.[0], core.sandbox.store.mailbox.conversations.size);
      assert.equal(core.sandbox.log.count({ path: '/v2/conversations' }), pages);
      assert.ok(maxOpen() > 1, `at most ${maxOpen()} open at once`);
      assert.ok(maxOpen() <= 4, `${maxOpen()} open at once`);
      // Every page once, each with its own number.
      const numbers = core.sandbox.log.entries({ path: '/v2/conversations' }).map((e) => Number(e.query['page'])).sort((a, b) => a - b);
      assert.deepEqual(numbers, Array.from({ length: pages }, (_, i) => i + 1));
    });

    it('serves repeated requests from the cache within the TTL and refetches after it', async () => {
      let now = 1_000_000;
      const cache = new ResponseCache({ ttlMs: 30_000, clock: { now: () => now } });
      const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, cache });
      const sql = "SELECT Id FROM Conversations WHERE Status = 'pending'";
      const first = await runSql(sql, { fetcher, engine });
      const sent = core.sandbox.log.count();
      assert.ok(sent > 0);
      assert.equal(first.requests, sent);

      const second = await runSql(sql, { fetcher, engine });
      assert.equal(core.sandbox.log.count(), sent, 'no request within the TTL');
      assert.equal(second.requests, 0);
      assert.equal(second.cacheHits, sent);
      assert.deepEqual(second.rows, first.rows);

      now += 30_001;
      const third = await runSql(sql, { fetcher, engine });
      assert.equal(core.sandbox.log.count(), 2 * sent, 'refetched after the TTL');
      assert.equal(third.requests, sent);
    });

    it('keys the cache by API, path and parameters regardless of their order', () => {
      assert.equal(cacheKey('mailbox', '/conversations', { a: '1', b: '2' }), cacheKey('mailbox', '/conversations', { b: '2', a: '1' }));
      assert.notEqual(cacheKey('mailbox', '/conversations', { a: '1' }), cacheKey('docs', '/conversations', { a: '1' }));
      assert.notEqual(cacheKey('mailbox', '/conversations', { a: '1' }), cacheKey('mailbox', '/conversations', { a: '2' }));
    });

    it('shares one request between identical requests in flight', async () => {
      const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, cache: new ResponseCache({ ttlMs: 0 }) });
      const sql = `SELECT Id FROM Mailboxes`;
      // runSql judges the statement in SQLite before fetching: two fetches of the plan start together.
      await Promise.all([fetcher.fetch(fetcher.plan(sql)), fetcher.fetch(fetcher.plan(sql))]);
      assert.equal(core.sandbox.log.count({ path: '/v2/mailboxes' }), 1);
    });

    it('reports progress: requests done and planned, rows, steps', async () => {
      const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, cache: new ResponseCache({ ttlMs: 0 }) });
      const events: FetchEvent[] = [];
      // Conversations by id, then their threads one request each: two steps, the second waiting for the first.
      const ids = [...core.sandbox.store.mailbox.conversations.keys()].slice(0, 6);
      const r = await runSql(`SELECT t.Id FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId WHERE c.Id IN (${ids.join(', ')})`, {
        fetcher,
        engine,
        onEvent: (e) => events.push(e),
      });
      const progress = events.filter((e): e is { type: 'progress'; progress: FetchProgress } => e.type === 'progress').map((e) => e.progress);
      assert.ok(progress.length >= r.requests);
      for (let i = 1; i < progress.length; i++) {
        assert.ok((progress[i]?.requestsDone ?? 0) >= (progress[i - 1]?.requestsDone ?? 0), 'requestsDone never goes back');
      }
      const last = progress.at(-1);
      assert.equal(last?.requestsDone, core.sandbox.log.count());
      assert.equal(last?.requestsPlanned, last?.requestsDone);
      assert.equal(last?.stepsDone, 2);
      assert.ok((last?.rows ?? 0) >= r.rows.length);
      const steps = events.filter((e) => e.type === 'step');
      assert.deepEqual(steps.map((e) => `${e.step}:${e.state}`), ['1:started', '1:done', '2:started', '2:done']);
    });

    it('cancels, keeps the rows that arrived and evaluates over them', async () => {
      const { http } = countingClient(core, 2);
      const fetcher = new SqlFetcher({ mailbox: http, cache: new ResponseCache({ ttlMs: 0 }) });
      const controller = new AbortController();
      const r = await runSql('SELECT Id FROM Conversations', {
        fetcher,
        engine,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'progress' && e.progress.requestsDone >= 3) controller.abort();
        },
      });
      const total = core.sandbox.store.mailbox.conversations.size;
      assert.equal(r.partial, true);
      assert.ok(r.rows.length >= 150, `${r.rows.length} rows kept`);
      assert.ok(r.rows.length < total, `${r.rows.length} of ${total}`);
      assert.equal(r.rows.length % 50, 0, 'whole pages');
      assert.ok(core.sandbox.log.count() < Math.ceil(total / 50), 'stopped paging');
    });

    it('names the API that is not configured', async () => {
      const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp });
      await assert.rejects(runSql('SELECT Name FROM Collections', { fetcher, engine }), ApiNotConfiguredError);
    });
  });

  describe('the shared rate governor', () => {
    let core: Core;
    afterEach(() => core.close());

    it('backs off when a 429 arrives and resumes with the same answer', async () => {
      core = await startCore({ sizes: SIZES, knobs: NO_LIMIT });
      const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, cache: new ResponseCache({ ttlMs: 0 }) });
      const sql = 'SELECT Status, count(*) FROM Conversations GROUP BY 1 ORDER BY 1';
      const expected = await runSql(sql, { fetcher, engine });
      core.sandbox.knobs.set({ force429: { next: 3, retryAfterSeconds: 1 } });
      core.sandbox.log.reset();
      const events: FetchEvent[] = [];
      const r = await runSql(sql, { fetcher, engine, onEvent: (e) => events.push(e) });
      assert.deepEqual(r.rows, expected.rows);
      assert.equal(core.sandbox.log.count({ status: 429 }), 3);
      assert.ok(events.some((e) => e.type === 'rate' && e.paused && e.api === 'mailbox'), 'a pause was reported');
      assert.ok(events.some((e) => e.type === 'rate' && !e.paused), 'the resume was reported');
    });

    it('never causes a 429 itself: it paces to the budget the headers report', async () => {
      // A 2-second window of 25 requests; the governor learns the window from the headers.
      const governor = createMailboxGovernor({ concurrency: 8, windowMs: 2000 });
      core = await startCore({ sizes: SIZES, knobs: { rateLimits: { mailbox: { limit: 25, windowSeconds: 2 } } } }, { governor });
      const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, cache: new ResponseCache({ ttlMs: 0 }) });
      // 20 conversations by id and their threads one request each: 40 requests.
      const ids = [...core.sandbox.store.mailbox.conversations.keys()].slice(0, 20);
      const r = await runSql(`SELECT count(*) FROM Threads WHERE ConversationId IN (SELECT Id FROM Conversations WHERE Id IN (${ids.join(', ')}))`, {
        fetcher,
        engine,
      });
      assert.ok(r.requests > 25, `${r.requests} requests`);
      assert.equal(core.sandbox.log.count({ status: 429 }), 0);
      assert.ok(Number(r.rows[0]?.[0]) > 0);
    });
  });
});
