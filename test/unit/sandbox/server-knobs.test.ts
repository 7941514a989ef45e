import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { RunningSandbox } from '../../../src/sandbox/index';
import { type Json, docsAuth, mailbox, start } from './helpers';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('sandbox rate limits, knobs, request log and control API', () => {
  let sb: RunningSandbox;
  before(async () => {
    sb = await start({ knobs: {} });
  });
  after(() => sb.close());
  beforeEach(() => sb.reset());

  describe('Mailbox rate limit', () => {
    it('sends the limit headers on every response; writes count double', async () => {
      const api = mailbox(sb);
      const r1 = await api.get('/mailboxes');
      assert.equal(r1.headers.get('x-ratelimit-limit-minute'), '400');
      assert.equal(r1.headers.get('x-ratelimit-remaining-minute'), '399');
      const c = [...sb.store.mailbox.conversations.values()][0];
      const r2 = await api.send('PUT', `/conversations/${c?.id}/tags`, { tags: ['vip'] });
      assert.equal(r2.status, 204);
      assert.equal(r2.headers.get('x-ratelimit-remaining-minute'), '397');
      const r3 = await api.get('/conversations/1');
      assert.equal(r3.status, 404);
      assert.equal(r3.headers.get('x-ratelimit-remaining-minute'), '396');
    });

    it('answers 429 with Retry-After headers and the documented body once the budget is spent', async () => {
      sb.knobs.set({ rateLimits: { mailbox: { limit: 3, windowSeconds: 60 } } });
      const api = mailbox(sb);
      assert.equal((await api.get('/tags')).status, 200);
      const c = [...sb.store.mailbox.conversations.values()][0];
      assert.equal((await api.send('PUT', `/conversations/${c?.id}/tags`, { tags: [] })).status, 204);
      const r = await api.get('/tags');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('x-ratelimit-limit-minute'), '3');
      assert.equal(r.headers.get('x-ratelimit-remaining-minute'), '0');
      const retry = Number(r.headers.get('x-ratelimit-retry-after'));
      assert.ok(retry >= 1 && retry <= 60);
      assert.equal(r.headers.get('retry-after'), String(retry));
      assert.deepEqual(await r.json(), { message: 'API rate limit exceeded' });
      assert.equal(sb.log.count({ api: 'mailbox', status: 429 }), 1);
    });

    it('opens a new window after the configured window length', async () => {
      sb.knobs.set({ rateLimits: { mailbox: { limit: 1, windowSeconds: 1 } } });
      const api = mailbox(sb);
      assert.equal((await api.get('/tags')).status, 200);
      assert.equal((await api.get('/tags')).status, 429);
      await sleep(1100);
      assert.equal((await api.get('/tags')).status, 200);
    });
    it('starts a fresh window when the limit or the window length changes', async () => {
      const api = mailbox(sb);
      for (let i = 0; i < 5; i++) assert.equal((await api.get('/tags')).status, 200);
      sb.knobs.set({ rateLimits: { mailbox: { limit: 2, windowSeconds: 60 } } });
      const first = await api.get('/tags');
      assert.equal(first.status, 200, 'what was spent under the old limit does not count');
      assert.equal(first.headers.get('x-ratelimit-remaining-minute'), '1');
      assert.equal((await api.get('/tags')).status, 200);
      assert.equal((await api.get('/tags')).status, 429);
    });
  });

  describe('Docs API hosting', () => {
    it('checks the API key, counts a 10-minute window and adds Correlation-Id', async () => {
      const ok = await fetch(`${sb.docsBaseUrl}/collections`, { headers: docsAuth(sb) });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-ratelimit-limit'), '3000');
      assert.equal(ok.headers.get('x-ratelimit-remaining'), '2999');
      const reset = Number(ok.headers.get('x-ratelimit-reset'));
      assert.ok(reset > 590 && reset <= 600);
      assert.match(ok.headers.get('correlation-id') ?? '', /^[0-9a-f-]{36}$/);

      const bad = await fetch(`${sb.docsBaseUrl}/collections`, { headers: docsAuth(sb, 'wrong-key') });
      assert.equal(bad.status, 401);
      const badBody = await bad.json() as Json;
      assert.equal(badBody['status'], 401);
      assert.equal(typeof badBody['message'], 'string');
      assert.equal((await fetch(`${sb.docsBaseUrl}/collections`)).status, 401);

      const missing = await fetch(`${sb.docsBaseUrl}/no/such/route`, { headers: docsAuth(sb) });
      assert.equal(missing.status, 404);
      assert.equal((await missing.json() as Json)['status'], 404);
    });

    it('answers 429 once the Docs budget is spent', async () => {
      sb.knobs.set({ rateLimits: { docs: { limit: 2 } } });
      for (let i = 0; i < 2; i++) assert.equal((await fetch(`${sb.docsBaseUrl}/collections`, { headers: docsAuth(sb) })).status, 200);
      const r = await fetch(`${sb.docsBaseUrl}/collections`, { headers: docsAuth(sb) });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
      assert.ok(r.headers.get('correlation-id'));
    });
  });

  describe('knobs', () => {
    it('forces 429 for the next N requests with the same headers', async () => {
      sb.knobs.set({ force429: 2 });
      const api = mailbox(sb);
      for (let i = 0; i < 2; i++) {
        const r = await api.get('/tags');
        assert.equal(r.status, 429);
        assert.ok(r.headers.get('x-ratelimit-limit-minute'));
        assert.equal(r.headers.get('x-ratelimit-retry-after'), '1');
        assert.equal(r.headers.get('retry-after'), '1');
      }
      assert.equal((await api.get('/tags')).status, 200);
    });

    it('forces 429 per API while the toggle is on', async () => {
      sb.knobs.set({ force429: { docs: true } });
      const docs = await fetch(`${sb.docsBaseUrl}/collections`, { headers: docsAuth(sb) });
      assert.equal(docs.status, 429);
      assert.ok(docs.headers.get('x-ratelimit-reset'));
      assert.equal((await mailbox(sb).get('/tags')).status, 200);
    });

    it('injects 500/503 errors at the configured rate, repeatably for a seed', async () => {
      sb.knobs.set({ errorRate: 1 });
      const r = await mailbox(sb).get('/tags');
      assert.ok(r.status === 500 || r.status === 503);
      const body = await r.json() as Json;
      assert.equal(body['message'], 'Internal error');
      assert.equal(typeof body['logRef'], 'string');

      const run = async (): Promise<number[]> => {
        sb.reset();
        sb.knobs.set({ errorRate: 0.5 });
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await mailbox(sb).get('/mailboxes')).status);
        return out;
      };
      const a = await run();
      const b = await run();
      assert.deepEqual(a, b);
      assert.ok(a.includes(200) && a.some((s) => s >= 500), `a mix of outcomes: ${a.join(',')}`);
    });

    it('drops the connection without an answer and logs it with status 0', async () => {
      sb.knobs.set({ dropNext: 1 });
      await assert.rejects(mailbox(sb).get('/tags'));
      assert.equal((await mailbox(sb).get('/tags')).status, 200);
      assert.deepEqual(sb.log.entries({ api: 'mailbox' }).map((e) => e.status), [0, 200]);
    });

    it('delays answers by latencyMs', async () => {
      sb.knobs.set({ latencyMs: 3000 });
      await assert.rejects(mailbox(sb).get('/tags', { signal: AbortSignal.timeout(200) }));
      sb.knobs.set({ latencyMs: 0 });
      assert.equal((await mailbox(sb).get('/tags', { signal: AbortSignal.timeout(5000) })).status, 200);
    });
  });

  describe('request log', () => {
    it('records api, method, path, query object and status, with count() and reset()', async () => {
      const api = mailbox(sb);
      await api.get('/conversations?status=all&page=2');
      await api.get('/conversations/1');
      await fetch(`${sb.docsBaseUrl}/collections`, { headers: docsAuth(sb) });
      await fetch(sb.tokenUrl, { method: 'POST' });
      const [first] = sb.log.entries();
      assert.ok(first);
      assert.equal(first.api, 'mailbox');
      assert.equal(first.method, 'GET');
      assert.equal(first.path, '/v2/conversations');
      assert.deepEqual(first.query, { status: 'all', page: '2' });
      assert.equal(first.status, 200);
      assert.ok(!Number.isNaN(Date.parse(first.time)));
      assert.equal(sb.log.count({ api: 'mailbox' }), 2);
      assert.equal(sb.log.count({ api: 'mailbox', status: 404 }), 1);
      assert.equal(sb.log.count({ path: /^\/v2\/conversations/ }), 2);
      assert.equal(sb.log.count({ api: 'docs' }), 1);
      assert.equal(sb.log.count({ api: 'oauth' }), 1);
      sb.log.reset();
      assert.equal(sb.log.count(), 0);
    });
  });

  describe('control API over HTTP', () => {
    it('serves info, knobs, log, store records and reset', async () => {
      const ctl = (p: string, init?: RequestInit): Promise<Response> => fetch(`${sb.baseUrl}/__sandbox${p}`, init);
      const info = await (await ctl('/info')).json() as Json;
      assert.equal(info['mailboxBaseUrl'], sb.mailboxBaseUrl);
      assert.equal((info['credentials'] as Json)['accessToken'], sb.credentials.accessToken);

      const put = await ctl('/knobs', { method: 'PUT', body: JSON.stringify({ latencyMs: [1, 2], rateLimits: { mailbox: { limit: 50 } } }) });
      assert.equal(put.status, 200);
      assert.deepEqual(sb.knobs.get().latencyMs, [1, 2]);
      assert.equal(sb.knobs.get().rateLimits.mailbox.limit, 50);
      assert.equal(sb.knobs.get().rateLimits.mailbox.windowSeconds, 60, 'nested objects merge');
      assert.equal((await ctl('/knobs', { method: 'PUT', body: JSON.stringify({ errorRate: 7 }) })).status, 400);

      const api = mailbox(sb);
      const c = [...sb.store.mailbox.conversations.values()][0];
      assert.ok(c);
      await api.send('PATCH', `/conversations/${c.id}`, { op: 'replace', path: '/subject', value: 'Seen from afar' });
      const record = await (await ctl(`/store/mailbox/conversations/${c.id}`)).json() as Json;
      assert.equal(record['subject'], 'Seen from afar');
      const short = await (await ctl(`/store/conversations/${c.id}`)).json() as Json;
      assert.equal(short['subject'], 'Seen from afar');
      assert.equal((await ctl('/store/mailbox/conversations/1')).status, 404);
      const list = await (await ctl('/store/mailbox/tags')).json() as Json;
      assert.equal(list['count'], sb.store.mailbox.tags.size);
      const docsCollections = await (await ctl('/store/docs/collections')).json() as Json;
      assert.equal(docsCollections['count'], sb.store.docs.collections.size);

      const log = await (await ctl('/log?api=mailbox')).json() as { entries: { path: string }[] };
      assert.deepEqual(log.entries.map((e) => e.path), [`/v2/conversations/${c.id}`]);
      assert.equal((await ctl('/log', { method: 'DELETE' })).status, 204);
      assert.equal(sb.log.count({ api: 'mailbox' }), 0);

      assert.equal((await ctl('/reset', { method: 'POST' })).status, 204);
      assert.notEqual(sb.store.mailbox.conversations.get(c.id)?.subject, 'Seen from afar', 'reset reseeds the data');
      assert.equal(sb.knobs.get().rateLimits.mailbox.limit, 400, 'reset restores the knobs');
    });
  });

  describe('CLI', () => {
    it('prints exactly one JSON line with urls and credentials first, and stops on SIGTERM', async () => {
      const cli = path.resolve(__dirname, '../../../src/sandbox/cli.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--json', '--seed', '3'], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          createInterface({ input: child.stdout }).once('line', resolve);
          child.once('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
        });
        const info = JSON.parse(line) as Json;
        for (const key of ['baseUrl', 'mailboxBaseUrl', 'docsBaseUrl', 'authorizeUrl', 'tokenUrl', 'credentials']) assert.ok(key in info, key);
        const credentials = info['credentials'] as Record<string, string>;
        for (const key of ['clientId', 'clientSecret', 'redirectUri', 'docsApiKey', 'accessToken']) assert.equal(typeof credentials[key], 'string', key);
        const me = await fetch(`${String(info['mailboxBaseUrl'])}/users/me`, { headers: { Authorization: `Bearer ${credentials['accessToken']}` } });
        assert.equal(me.status, 200);
      } finally {
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        assert.equal(await exited, 0);
      }
    });
  });
});
