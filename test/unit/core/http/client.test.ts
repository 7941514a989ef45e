import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import {
  AuthError,
  CancelledError,
  NetworkError,
  RateLimitedError,
  SchemaDriftError,
  ServerError,
  TimeoutError,
} from '../../../../src/core/errors';
import { HttpClient, type RequestLogEntry } from '../../../../src/core/http/client';
import { type GovernorEvent, RateGovernor } from '../../../../src/core/http/governor';
import { createNodeFetch } from '../../../../src/core/http/node';
import type { FetchLike } from '../../../../src/core/http/types';
import { MailboxClient, createMailboxGovernor } from '../../../../src/core/mailbox/client';
import { FastClock } from '../clocks';
import { type Core, startCore } from '../harness';

// Both fetches the product uses must fit the injected type (checked by tsc).
const globalFetchFits: FetchLike = fetch;
const undiciFetchFits: FetchLike = undiciFetch;

describe('HttpClient over loopback HTTP', () => {
  let core: Core;
  before(async () => {
    core = await startCore();
  });
  after(() => core.close());
  beforeEach(() => {
    core.sandbox.knobs.reset();
    core.sandbox.log.reset();
  });

  /** A Mailbox client with its own governor and options, on the shared sandbox. */
  function mailbox(opts: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): MailboxClient {
    const token = core.sandbox.credentials.accessToken;
    return MailboxClient.create({
      baseUrl: core.sandbox.mailboxBaseUrl,
      fetch: core.net.fetch,
      authHeaders: async () => ({ Authorization: `Bearer ${token}` }),
      retry: { baseDelayMs: 2, maxDelayMs: 20 },
      ...opts,
    });
  }

  const mailboxLog = (): { method: string; status: number; time: string }[] =>
    core.sandbox.log.entries({ api: 'mailbox' }).map((e) => ({ method: e.method, status: e.status, time: e.time }));

  it('works with the global fetch and undici fetch alike', async () => {
    for (const f of [globalFetchFits, undiciFetchFits]) {
      const me = await mailbox({ fetch: f }).me();
      assert.equal(me.id, core.sandbox.store.mailbox.ownerId);
    }
  });

  describe('retries', () => {
    it('retries 5xx for GET until it succeeds', async () => {
      core.sandbox.knobs.set({ errorRate: 0.5 });
      const client = mailbox({ retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 5 } });
      for (let i = 0; i < 10; i++) await client.me();
      const log = mailboxLog();
      const failures = log.filter((e) => e.status >= 500).length;
      assert.ok(failures > 0, 'the knob produced some 5xx');
      assert.equal(log.filter((e) => e.status === 200).length, 10);
      assert.equal(log.length, 10 + failures);
    });

    it('gives up on GET after maxAttempts with a ServerError, and never retries a POST', async () => {
      core.sandbox.knobs.set({ errorRate: 1 });
      const client = mailbox({ retry: { maxAttempts: 3, baseDelayMs: 1 } });
      await assert.rejects(client.me(), ServerError);
      assert.equal(mailboxLog().length, 3);
      core.sandbox.log.reset();
      const before = core.sandbox.store.mailbox.webhooks.size;
      await assert.rejects(
        client.createWebhook({ url: 'https://h.example.org', events: ['convo.created'], secret: 's' }),
        ServerError,
      );
      assert.deepEqual(mailboxLog().map((e) => e.method), ['POST']);
      assert.equal(core.sandbox.store.mailbox.webhooks.size, before);
    });

    it('retries a POST on 5xx only when the caller marks it retryable', async () => {
      core.sandbox.knobs.set({ errorRate: 1 });
      const client = mailbox({ retry: { maxAttempts: 3, baseDelayMs: 1 } });
      await assert.rejects(
        client.http.send({ method: 'POST', path: '/workflows/1/run', json: { conversationIds: [] }, retryable: true }),
        ServerError,
      );
      assert.deepEqual(mailboxLog().map((e) => e.method), ['POST', 'POST', 'POST']);
    });

    it('retries dropped connections for GET, not for POST', async () => {
      core.sandbox.knobs.set({ dropNext: 2 });
      const client = mailbox();
      const me = await client.me();
      assert.equal(me.id, core.sandbox.store.mailbox.ownerId);
      assert.deepEqual(mailboxLog().map((e) => e.status), [0, 0, 200]);
      core.sandbox.log.reset();
      core.sandbox.knobs.set({ dropNext: 1 });
      await assert.rejects(
        client.createWebhook({ url: 'https://h.example.org', events: ['convo.created'], secret: 's' }),
        NetworkError,
      );
      assert.deepEqual(mailboxLog().map((e) => e.status), [0]);
    });
  });

  describe('429 and the governor', () => {
    it('waits the announced time after a 429 storm and succeeds, with no 429 of its own making', async () => {
      core.sandbox.knobs.set({ force429: { next: 5, retryAfterSeconds: 2 } });
      const clock = new FastClock(100);
      const governor = createMailboxGovernor({ concurrency: 5, clock });
      const events: GovernorEvent[] = [];
      governor.onDidChange((e) => events.push(e));
      const client = mailbox({ governor, clock });
      const results = await Promise.all(Array.from({ length: 5 }, () => client.me()));
      assert.equal(results.length, 5);
      const log = mailboxLog();
      assert.equal(log.filter((e) => e.status === 429).length, 5, 'exactly the forced 429s');
      assert.equal(log.filter((e) => e.status === 200).length, 5);
      assert.equal(log.length, 10);
      const paused = events.find((e) => e.type === 'paused');
      assert.ok(paused && paused.type === 'paused' && paused.reason === 'rate-limited');
      // Somebody slept (at least) the announced 2 s before the retries went out.
      assert.ok(clock.sleeps.some((ms) => ms >= 1900), JSON.stringify(clock.sleeps));
      // No retry reached the server before the pause that the first 429 started
      // was over (2 s at 100x = 20 ms real; the server logs a 429 before the client sees it).
      const first429 = Math.min(...log.filter((e) => e.status === 429).map((e) => Date.parse(e.time)));
      const first200 = Math.min(...log.filter((e) => e.status === 200).map((e) => Date.parse(e.time)));
      assert.ok(first200 - first429 >= 19, `retried ${first200 - first429} ms after the first 429`);
    });

    it('pauses other callers of the same governor after a 429', async () => {
      core.sandbox.knobs.set({ force429: { next: 1, retryAfterSeconds: 3 } });
      const clock = new FastClock(100);
      const governor = createMailboxGovernor({ clock });
      const first = mailbox({ governor, clock });
      const second = mailbox({ governor, clock });
      let secondRun: Promise<unknown> | undefined;
      governor.onDidChange((e) => {
        // A second client (say a tree view) asks while the first one is paused.
        if (e.type === 'paused' && secondRun === undefined) secondRun = second.listTags().getPage(1);
      });
      await first.me();
      assert.ok(secondRun);
      await secondRun;
      const log = mailboxLog();
      assert.deepEqual(log.map((e) => e.status), [429, 200, 200]);
      const at429 = Date.parse(log[0]?.time ?? '');
      for (const e of log.slice(1)) assert.ok(Date.parse(e.time) - at429 >= 28, 'sent during the pause');
    });

    it('keeps under the real per-window limit: many concurrent requests, no 429 at all', async function () {
      this.timeout(30_000);
      // A 1.5 s window: long enough that scheduling delays on a loaded machine stay small
      // next to it (the real window is a minute), short enough to cross three windows.
      core.sandbox.knobs.set({ rateLimits: { mailbox: { limit: 10, windowSeconds: 1.5 } } });
      const governor = createMailboxGovernor({ concurrency: 6, windowMs: 1500 });
      const client = mailbox({ governor });
      // Writes count double; mix in a few.
      const work = Array.from({ length: 24 }, (_, i) =>
        i % 8 === 7 ? client.updateWorkflowStatus([...core.sandbox.store.mailbox.workflows.keys()][0] ?? 0, 'active') : client.me(),
      );
      await Promise.all(work);
      const log = mailboxLog();
      assert.equal(log.filter((e) => e.status === 429).length, 0, JSON.stringify(log.map((e) => e.status)));
      assert.equal(log.length, 24);
    });

    it('raises RateLimitedError (with retryAfterMs) when 429s outlast the allowed wait, however many attempts are left', async () => {
      core.sandbox.knobs.set({ force429: { mailbox: true, retryAfterSeconds: 1 } });
      const clock = new FastClock(100);
      const client = mailbox({ governor: createMailboxGovernor({ clock }), clock, retry: { maxAttempts: 3, maxTotalWaitMs: 5000 } });
      await assert.rejects(client.me(), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 1000);
      // Five waits of 1 s fill the 5 s budget; the sixth 429 ends the request.
      assert.equal(mailboxLog().length, 6);
      core.sandbox.log.reset();
      core.sandbox.knobs.set({ force429: { retryAfterSeconds: 600 } });
      const impatient = mailbox({ governor: new RateGovernor({ clock }), clock, retry: { maxTotalWaitMs: 10_000 } });
      await assert.rejects(impatient.me(), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 600_000);
      assert.equal(mailboxLog().length, 1);
    });

    it('honours the Docs reset header on a Docs 429', async () => {
      core.sandbox.knobs.set({ force429: { next: 1, retryAfterSeconds: 2 } });
      const clock = new FastClock(100);
      const governor = new RateGovernor({ clock, windowMs: 600_000 });
      const events: GovernorEvent[] = [];
      governor.onDidChange((e) => events.push(e));
      const docs = core.docs.http;
      const client = new HttpClient({
        baseUrl: core.sandbox.docsBaseUrl,
        fetch: core.net.fetch,
        governor,
        clock,
        authHeaders: async () => ({
          Authorization: `Basic ${Buffer.from(`${core.sandbox.credentials.docsApiKey}:X`).toString('base64')}`,
        }),
      });
      assert.ok(docs);
      const res = await client.send({ method: 'GET', path: '/sites' });
      assert.equal(res.status, 200);
      assert.deepEqual(core.sandbox.log.entries({ api: 'docs' }).map((e) => e.status), [429, 200]);
      assert.ok(clock.sleeps.some((ms) => ms >= 1900));
      assert.ok(events.some((e) => e.type === 'paused'));
      // Every Docs response carries the window; the governor keeps it.
      assert.equal(governor.state().limit, 3000);
    });
  });

  describe('429s wait within the budget without spending attempts', () => {
    for (const retryAfterSeconds of [0, 1]) {
      it(`waits out 8 forced 429s (Retry-After ${retryAfterSeconds} s) and succeeds with the default 5 attempts`, async () => {
        core.sandbox.knobs.set({ force429: { next: 8, retryAfterSeconds } });
        const clock = new FastClock(100);
        const entries: RequestLogEntry[] = [];
        const client = mailbox({ governor: createMailboxGovernor({ clock }), clock, retry: {}, onRequest: (e) => entries.push(e) });
        assert.equal((await client.me()).id, core.sandbox.store.mailbox.ownerId);
        const statuses = mailboxLog().map((e) => e.status);
        assert.deepEqual(statuses, [...Array<number>(8).fill(429), 200]);
        assert.deepEqual(entries.map((e) => e.attempt), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'attempt counts every try sent');
        assert.deepEqual(entries.slice(0, 8).map((e) => e.retryInMs), Array<number>(8).fill(retryAfterSeconds * 1000));
      });
    }

    it('waits out 429s without a governor too', async () => {
      core.sandbox.knobs.set({ force429: { next: 6, retryAfterSeconds: 1 } });
      const clock = new FastClock(100);
      const client = mailbox({ clock, retry: { maxAttempts: 2 } });
      assert.equal((await client.me()).id, core.sandbox.store.mailbox.ownerId);
      assert.equal(mailboxLog().length, 7);
      assert.equal(clock.sleeps.filter((ms) => ms === 1000).length, 6);
    });
  });

  describe('timeouts, cancellation, auth', () => {
    it('times out a slow response', async () => {
      core.sandbox.knobs.set({ latencyMs: 400 });
      const client = mailbox({ timeoutMs: 50, retry: { maxAttempts: 1 } });
      await assert.rejects(client.me(), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 50);
    });

    it('cancels in flight, before sending, and while paused by the governor', async () => {
      core.sandbox.knobs.set({ latencyMs: 400 });
      const client = mailbox();
      const ac = new AbortController();
      const pending = client.me({ signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      await assert.rejects(pending, CancelledError);
      await assert.rejects(client.me({ signal: AbortSignal.abort() }), CancelledError);

      const governor = createMailboxGovernor();
      governor.pause(Date.now() + 60_000, 'rate-limited');
      const paused = mailbox({ governor });
      const ac2 = new AbortController();
      const waiting = paused.me({ signal: ac2.signal });
      setTimeout(() => ac2.abort(), 10);
      await assert.rejects(waiting, CancelledError);
      // The paused request never reached the server.
      assert.equal(governor.state().inFlight, 0);
    });

    it('gives the governor slot back when there are no credentials, so later requests still run', async () => {
      const governor = createMailboxGovernor({ concurrency: 1 });
      let signedIn = false;
      const client = mailbox({
        governor,
        authHeaders: async () => {
          if (!signedIn) throw new Error('not signed in');
          return { Authorization: `Bearer ${core.sandbox.credentials.accessToken}` };
        },
      });
      for (let i = 0; i < 3; i++) await assert.rejects(client.me(), /not signed in/);
      assert.equal(governor.state().inFlight, 0);
      assert.equal(mailboxLog().length, 0, 'nothing was sent without credentials');
      signedIn = true;
      assert.equal((await client.me()).id, core.sandbox.store.mailbox.ownerId);
      assert.equal(governor.state().inFlight, 0);
    });

    it('calls onUnauthorized on a 401 and retries with the new credentials', async () => {
      let token = 'expired-token';
      let calls = 0;
      const failedWith: string[] = [];
      const client = mailbox({
        authHeaders: async () => ({ Authorization: `Bearer ${token}` }),
        onUnauthorized: async ({ authHeaders }) => {
          calls++;
          failedWith.push(authHeaders['Authorization'] ?? '');
          token = core.sandbox.credentials.accessToken;
          return true;
        },
      });
      assert.equal((await client.me()).id, core.sandbox.store.mailbox.ownerId);
      assert.equal(calls, 1);
      assert.deepEqual(failedWith, ['Bearer expired-token'], 'the hook learns which token failed');
      assert.deepEqual(mailboxLog().map((e) => e.status), [401, 200]);

      core.sandbox.log.reset();
      let hopeless = 0;
      const stuck = mailbox({
        authHeaders: async () => ({ Authorization: 'Bearer still-bad' }),
        onUnauthorized: async () => {
          hopeless++;
          return true;
        },
      });
      await assert.rejects(stuck.me(), AuthError);
      assert.equal(hopeless, 2, 'two refreshes at most per request');
      assert.deepEqual(mailboxLog().map((e) => e.status), [401, 401, 401]);
    });

    it('refreshes a second time when the first refresh is answered by a 401 too', async () => {
      // e.g. another window rotated the token between our refresh and our retry.
      const tokens = ['expired-1', 'expired-2', core.sandbox.credentials.accessToken];
      let calls = 0;
      const failedWith: string[] = [];
      const client = mailbox({
        authHeaders: async () => ({ Authorization: `Bearer ${tokens[calls]}` }),
        onUnauthorized: async ({ authHeaders }) => {
          failedWith.push(authHeaders['Authorization'] ?? '');
          calls++;
          return true;
        },
      });
      assert.equal((await client.me()).id, core.sandbox.store.mailbox.ownerId);
      assert.equal(calls, 2);
      assert.deepEqual(failedWith, ['Bearer expired-1', 'Bearer expired-2']);
      assert.deepEqual(mailboxLog().map((e) => e.status), [401, 401, 200]);
    });

    it('fails after exactly two refreshes when every token is refused', async () => {
      let calls = 0;
      const client = mailbox({
        authHeaders: async () => ({ Authorization: `Bearer refused-${calls}` }),
        onUnauthorized: async () => {
          calls++;
          return true;
        },
      });
      await assert.rejects(client.me(), AuthError);
      assert.equal(calls, 2);
      assert.deepEqual(mailboxLog().map((e) => e.status), [401, 401, 401]);
    });

    it('does not refresh again when the refresher says it cannot', async () => {
      let calls = 0;
      const client = mailbox({
        authHeaders: async () => ({ Authorization: 'Bearer refused' }),
        onUnauthorized: async () => {
          calls++;
          return false;
        },
      });
      await assert.rejects(client.me(), AuthError);
      assert.equal(calls, 1);
      assert.deepEqual(mailboxLog().map((e) => e.status), [401]);
    });
  });

  it('never puts a token or API key in the request log hook', async () => {
    const entries: RequestLogEntry[] = [];
    const token = core.sandbox.credentials.accessToken;
    const key = core.sandbox.credentials.docsApiKey;
    const client = mailbox({ onRequest: (e) => entries.push(e) });
    await client.me();
    await client.http.send({ method: 'GET', path: '/users/me', query: { access_token: token, code: 'c0de-123' } });
    await client.http.send({ method: 'GET', path: '/nope', query: { refresh_token: token } }).catch(() => undefined);
    const docs = new HttpClient({
      baseUrl: core.sandbox.docsBaseUrl.replace('http://', `http://${key}:X@`),
      fetch: core.net.fetch,
      onRequest: (e) => entries.push(e),
      retry: { maxAttempts: 1 },
      authHeaders: async () => ({ Authorization: `Basic ${Buffer.from(`${key}:X`).toString('base64')}` }),
    });
    await docs.send({ method: 'GET', path: '/sites', query: { key } }).catch(() => undefined);
    assert.ok(entries.length >= 4);
    assert.ok(entries.some((e) => e.url.includes('access_token=***')), JSON.stringify(entries));
    const text = JSON.stringify(entries);
    for (const secret of [token, key, 'c0de-123', Buffer.from(`${key}:X`).toString('base64')]) {
      assert.ok(!text.includes(secret), `secret leaked into ${text}`);
    }
    assert.ok(entries.every((e) => typeof e.durationMs === 'number' && e.attempt >= 1 && typeof e.method === 'string'));
  });
});

describe('retry budgets against a scripted server', () => {
  // Answers each request with the next status of a script (then 200), so a test can say
  // exactly which failures and 429s a request meets.
  let server: http.Server;
  let base = '';
  let script: { status: number; retryAfter?: string }[] = [];
  let seen: number[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      const next = script.shift() ?? { status: 200 };
      seen.push(next.status);
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (next.retryAfter !== undefined) headers['Retry-After'] = next.retryAfter;
      res.writeHead(next.status, headers);
      res.end(next.status === 200 ? '{"ok":true}' : '{"message":"scripted"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    script = [];
    seen = [];
  });

  const client = (retry: Partial<ConstructorParameters<typeof HttpClient>[0]['retry'] & object> = {}, clock = new FastClock(100)): HttpClient =>
    new HttpClient({ baseUrl: base, fetch: undiciFetch, clock, random: () => 0.5, retry: { baseDelayMs: 2, maxDelayMs: 20, ...retry } });
  const s = (status: number, retryAfter?: string): { status: number; retryAfter?: string } => (retryAfter === undefined ? { status } : { status, retryAfter });

  it('retries 4 × 5xx within the 5 attempts, and fails on the fifth', async () => {
    script = [s(503), s(500), s(502), s(504)];
    assert.equal((await client().send({ method: 'GET', path: '/x' })).status, 200);
    assert.deepEqual(seen, [503, 500, 502, 504, 200]);
    script = [s(500), s(500), s(500), s(500), s(500)];
    seen = [];
    await assert.rejects(client().send({ method: 'GET', path: '/x' }), ServerError);
    assert.deepEqual(seen, [500, 500, 500, 500, 500]);
  });

  it('counts only failures against the attempts when 429s come between them', async () => {
    script = [s(503), s(429, '1'), s(429, '1'), s(500), s(429, '0'), s(502), s(429, '1'), s(504), s(200)];
    assert.equal((await client().send({ method: 'GET', path: '/x' })).status, 200);
    assert.equal(seen.length, 9);
    script = [s(503), s(429, '1'), s(500), s(429, '1'), s(502), s(504), s(429, '1'), s(500)];
    seen = [];
    await assert.rejects(client().send({ method: 'GET', path: '/x' }), ServerError);
    assert.deepEqual(seen, [503, 429, 500, 429, 502, 504, 429, 500], 'the fifth failure ends it');
  });

  it('stops waiting out 429s that say "now" when their count fills the wait budget (each counts as 1 s)', async () => {
    script = Array.from({ length: 50 }, () => s(429, '0'));
    await assert.rejects(client({ maxTotalWaitMs: 5000 }).send({ method: 'GET', path: '/x' }), RateLimitedError);
    assert.equal(seen.length, 6, 'five waits, then the sixth 429 ends the request');
  });

  it('stops when a 429 asks for more than the wait budget has left', async () => {
    script = [s(429, '2'), s(429, '2'), s(429, '2'), s(429, '2')];
    await assert.rejects(client({ maxTotalWaitMs: 5000 }).send({ method: 'GET', path: '/x' }), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 2000);
    assert.deepEqual(seen, [429, 429, 429]);
  });

  it('waits out a 429 on a POST too (Help Scout did not act on it), but never retries its 5xx', async () => {
    script = [s(429, '1'), s(429, '1'), s(500)];
    await assert.rejects(client().send({ method: 'POST', path: '/x', json: {} }), ServerError);
    assert.deepEqual(seen, [429, 429, 500]);
  });
});

describe('SchemaDriftError on a malformed response', () => {
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer((req, res) => {
      const conversations = Array.from({ length: 5 }, (_, i) => ({
        id: 100 + i,
        number: i + 1,
        status: 'active',
        mailboxId: 1,
        createdAt: i === 3 ? 1700000000 : '2024-01-01T00:00:00Z',
      }));
      const body = req.url?.startsWith('/v2/conversations')
        ? { _embedded: { conversations }, page: { size: 50, totalElements: 5, totalPages: 1, number: 1 } }
        : { not: 'json we expect' };
      res.writeHead(200, { 'Content-Type': 'application/hal+json' });
      res.end(req.url?.startsWith('/v2/text') ? 'not json' : JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('names the endpoint and the field path', async () => {
    const client = MailboxClient.create({ baseUrl: base, fetch: undiciFetch });
    await assert.rejects(client.listConversations({ status: 'all' }).getPage(1), (e: unknown) => {
      assert.ok(e instanceof SchemaDriftError);
      assert.equal(e.endpoint, 'GET /conversations');
      assert.deepEqual(e.issues.map((i) => i.path), ['conversations[3].createdAt']);
      assert.match(e.message, /conversations\[3\]\.createdAt: expected string/);
      return true;
    });
    await assert.rejects(client.getUser(1), (e: unknown) => e instanceof SchemaDriftError && /GET \/users\/\{id\}/.test(e.message));
  });
});

describe('createNodeFetch and proxies', () => {
  let target: http.Server;
  let proxy: http.Server;
  let targetPort = 0;
  let proxyPort = 0;
  const proxied: string[] = [];
  before(async () => {
    target = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ host: req.headers.host ?? '' }));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetPort = (target.address() as AddressInfo).port;
    // A tiny forward proxy: CONNECT tunnels (and absolute-form requests) all go to the target.
    proxy = http.createServer((req, res) => {
      proxied.push(`${req.method} ${req.url}`);
      const up = http.request({ host: '127.0.0.1', port: targetPort, path: new URL(req.url ?? '/').pathname, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
      proxied.push(`CONNECT ${req.url}`);
      const up = net.connect(targetPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyPort = (proxy.address() as AddressInfo).port;
  });
  after(async () => {
    proxy.closeAllConnections();
    target.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
    await new Promise<void>((r) => target.close(() => r()));
  });

  it('sends through HTTP_PROXY, but never for loopback', async () => {
    const nf = createNodeFetch({ httpProxy: `http://127.0.0.1:${proxyPort}`, noProxy: '' });
    try {
      const viaProxy = await nf.fetch(`http://helpscout-sandbox.invalid:${targetPort}/v2/users/me`, {});
      assert.equal(viaProxy.status, 200);
      assert.match(await viaProxy.text(), /helpscout-sandbox\.invalid/);
      assert.equal(proxied.length, 1);
      assert.match(proxied[0] ?? '', /helpscout-sandbox\.invalid/);
      const direct = await nf.fetch(`http://127.0.0.1:${targetPort}/v2/users/me`, {});
      assert.equal(direct.status, 200);
      await direct.text();
      assert.equal(proxied.length, 1, 'loopback bypassed the proxy');
    } finally {
      await nf.close();
    }
  });
});
