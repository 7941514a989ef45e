// The Docs API module as the sandbox server hosts it: real loopback HTTP with
// Basic auth, the key from the running sandbox's credentials.
import * as assert from 'node:assert/strict';
import { fetch } from 'undici';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/index';

describe('sandbox Docs API over HTTP', () => {
  let sb: RunningSandbox;
  let auth: string;

  before(async () => {
    sb = await startSandbox({ port: 0, seed: 5, sizes: { docs: { articles: 40 } } });
    auth = `Basic ${Buffer.from(`${sb.credentials.docsApiKey}:X`).toString('base64')}`;
  });
  after(async () => {
    await sb.close();
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(path.startsWith('http') ? path : `${sb.docsBaseUrl}${path}`, {
      method,
      headers: { Authorization: auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('answers JSON lists with Basic auth, and refuses a wrong key', async () => {
    const res = await call('GET', '/collections?sort=number');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const json = (await res.json()) as { collections: { count: number; items: { number: number }[] } };
    assert.equal(json.collections.count, sb.store.docs.collections.size);
    assert.ok(res.headers.get('x-ratelimit-remaining') !== null);

    const wrong = await fetch(`${sb.docsBaseUrl}/collections`, { headers: { Authorization: `Basic ${Buffer.from('nope:X').toString('base64')}` } });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
  });

  it('creates an article, follows its Location, updates it with reload and sees the change in the store', async () => {
    const col = [...sb.store.docs.collections.values()][0]!;
    const created = await call('POST', '/articles', { collectionId: col.id, name: 'Over the wire', text: '<p>One</p>' });
    assert.equal(created.status, 201);
    assert.equal(await created.text(), '');
    const location = created.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${sb.docsBaseUrl}/articles/`), location);

    const got = await call('GET', location);
    const article = ((await got.json()) as { article: { id: string; number: number; status: string } }).article;
    assert.equal(article.status, 'notpublished');

    const byNumber = await call('GET', `/articles/${article.number}`);
    assert.equal(((await byNumber.json()) as { article: { id: string } }).article.id, article.id);

    const put = await call('PUT', `/articles/${article.id}?reload=true`, { text: '<p>Two</p>', status: 'published' });
    assert.equal(put.status, 200);
    const reloaded = ((await put.json()) as { article: { text: string; status: string } }).article;
    assert.equal(reloaded.text, '<p>Two</p>');
    assert.equal(sb.store.docs.articles.get(article.id)?.status, 'published');
    assert.equal(sb.store.docs.revisionsOf(article.id).length, 1);

    const writes = sb.log.count({ api: 'docs', path: new RegExp(`/v1/articles(/${article.id})?$`), method: 'PUT' })
      + sb.log.count({ api: 'docs', path: '/v1/articles', method: 'POST' });
    assert.equal(writes, 2, 'one POST and one PUT reached the server');
  });

  it('sends the error envelope for validation errors and unknown ids', async () => {
    const bad = await call('GET', '/search/articles');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { status: 400, message: 'query is required' });
    const missing = await call('GET', '/articles/ffffffffffffffffffffffff');
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as { status: number; message: string };
    assert.equal(body.status, 404);
    assert.equal(typeof body.message, 'string');
  });
});
