import * as assert from 'node:assert/strict';
import { BASE_URL, docsHarness } from './docs-helpers';

describe('sandbox Docs API: reading', () => {
  const h = docsHarness();
  const firstCollection = () => [...h.store.collections.values()].sort((a, b) => a.number - b.number)[0]!;

  it('lists sites wrapped by default and unwrapped when asked', async () => {
    const wrapped = await h.call('GET', '/sites');
    assert.equal(wrapped.status, 200);
    assert.equal(wrapped.json.sites.count, 2);
    assert.equal(wrapped.json.sites.items.length, 2);

    const bare = docsHarness({ envelope: 'unwrapped' });
    const unwrapped = await bare.call('GET', '/sites');
    assert.deepEqual(Object.keys(unwrapped.json).sort(), ['count', 'items', 'page', 'pages']);
    const site = unwrapped.json.items[0];
    const redirects = await bare.call('GET', `/redirects/site/${site.id}`);
    assert.deepEqual(Object.keys(redirects.json).sort(), ['count', 'items', 'page', 'pages']);
    const wrappedRedirects = await h.call('GET', `/redirects/site/${site.id}`);
    assert.ok(wrappedRedirects.json.redirects.items.length > 0);
  });

  it('gets a site by id and answers 404 with the error envelope for an unknown one', async () => {
    const site = [...h.store.sites.values()][0]!;
    const res = await h.call('GET', `/sites/${site.id}`);
    assert.equal(res.json.site.subDomain, site.subDomain);
    const missing = await h.call('GET', '/sites/000000000000000000000000');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.json).sort(), ['message', 'status']);
    assert.equal(missing.json.status, 404);
  });

  it('filters and sorts collections (ascending by default)', async () => {
    const all = await h.call('GET', '/collections');
    assert.equal(all.json.collections.count, 6);
    const priv = await h.call('GET', '/collections', { query: { visibility: 'private' } });
    assert.ok(priv.json.collections.count >= 1);
    assert.ok(priv.json.collections.items.every((c: { visibility: string }) => c.visibility === 'private'));
    const site = [...h.store.sites.values()][0]!;
    const bySite = await h.call('GET', '/collections', { query: { siteId: site.id } });
    assert.ok(bySite.json.collections.items.every((c: { siteId: string }) => c.siteId === site.id));
    assert.ok(bySite.json.collections.count < 6);
    const byName = await h.call('GET', '/collections', { query: { sort: 'name' } });
    const names = byName.json.collections.items.map((c: { name: string }) => c.name);
    assert.deepEqual(names, [...names].sort((a: string, b: string) => a.localeCompare(b)));
    const desc = await h.call('GET', '/collections', { query: { sort: 'number', order: 'desc' } });
    const numbers = desc.json.collections.items.map((c: { number: number }) => c.number);
    assert.deepEqual(numbers, [...numbers].sort((a: number, b: number) => b - a));
    const bad = await h.call('GET', '/collections', { query: { sort: 'colour' } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /sort/);
  });

  it('gets a collection and a category by id and by number', async () => {
    const col = firstCollection();
    const byId = await h.call('GET', `/collections/${col.id}`);
    const byNumber = await h.call('GET', `/collections/${col.number}`);
    assert.equal(byId.json.collection.id, col.id);
    assert.deepEqual(byNumber.json, byId.json);
    assert.equal(byId.json.collection.articleCount, h.store.articlesInCollection(col.id).length);

    const cat = h.store.categoriesOf(col.id)[0]!;
    const catByNumber = await h.call('GET', `/categories/${cat.number}`);
    assert.equal(catByNumber.json.category.id, cat.id);
  });

  it('lists a collection\'s categories, including Uncategorized, sorted by order', async () => {
    const col = firstCollection();
    const res = await h.call('GET', `/collections/${col.id}/categories`);
    const items = res.json.categories.items;
    assert.ok(items.length >= 3 && items.length <= 6);
    assert.ok(items.some((c: { name: string }) => c.name === 'Uncategorized'));
    const orders = items.map((c: { order: number }) => c.order);
    assert.deepEqual(orders, [...orders].sort((a: number, b: number) => a - b));
    const byCount = await h.call('GET', `/collections/${col.id}/categories`, { query: { sort: 'articleCount', order: 'desc' } });
    const counts = byCount.json.categories.items.map((c: { articleCount: number }) => c.articleCount);
    assert.deepEqual(counts, [...counts].sort((a: number, b: number) => b - a));
  });

  it('pages article lists with pageSize (default 50, at most 100) and reports pages and count', async () => {
    const col = firstCollection();
    const total = h.store.articlesInCollection(col.id).length;
    const first = await h.call('GET', `/collections/${col.id}/articles`, { query: { pageSize: '10' } });
    assert.equal(first.json.articles.count, total);
    assert.equal(first.json.articles.pages, Math.ceil(total / 10));
    assert.equal(first.json.articles.items.length, 10);
    assert.equal(first.json.articles.items[0].text, undefined, 'list items carry no text');
    const second = await h.call('GET', `/collections/${col.id}/articles`, { query: { pageSize: '10', page: '2' } });
    assert.equal(second.json.articles.page, 2);
    const ids = new Set([...first.json.articles.items, ...second.json.articles.items].map((a: { id: string }) => a.id));
    assert.equal(ids.size, 20, 'pages do not overlap');

    const all = docsHarness({ articles: 300 });
    const biggest = [...all.store.collections.values()].sort((a, b) => all.store.articlesInCollection(b.id).length - all.store.articlesInCollection(a.id).length)[0]!;
    const n = all.store.articlesInCollection(biggest.id).length;
    const dflt = await all.call('GET', `/collections/${biggest.id}/articles`);
    assert.equal(dflt.json.articles.items.length, Math.min(50, n));
    const capped = await all.call('GET', `/collections/${biggest.id}/articles`, { query: { pageSize: '500' } });
    assert.equal(capped.json.articles.items.length, Math.min(100, n));
    const bad = await all.call('GET', `/collections/${biggest.id}/articles`, { query: { pageSize: '0' } });
    assert.equal(bad.status, 400);
  });

  it('filters article lists by status and sorts them descending by default', async () => {
    const col = firstCollection();
    const published = await h.call('GET', `/collections/${col.id}/articles`, { query: { status: 'published', sort: 'number' } });
    const items = published.json.articles.items;
    assert.ok(items.length > 0);
    assert.ok(items.every((a: { status: string }) => a.status === 'published'));
    const numbers = items.map((a: { number: number }) => a.number);
    assert.deepEqual(numbers, [...numbers].sort((a: number, b: number) => b - a));
    const expected = h.store.articlesInCollection(col.id).filter((a) => a.status === 'notpublished').length;
    const drafts = await h.call('GET', `/collections/${col.id}/articles`, { query: { status: 'notpublished' } });
    assert.equal(drafts.json.articles.count, expected);
    const asc = await h.call('GET', `/collections/${col.id}/articles`, { query: { sort: 'name', order: 'asc' } });
    const names = asc.json.articles.items.map((a: { name: string }) => a.name.toLowerCase());
    assert.deepEqual(names, [...names].sort((a: string, b: string) => a.localeCompare(b)));
  });

  it('lists a category\'s articles', async () => {
    const cat = [...h.store.categories.values()].find((c) => h.store.articlesInCategory(c.id).length > 2)!;
    const res = await h.call('GET', `/categories/${cat.id}/articles`);
    assert.equal(res.json.articles.count, h.store.articlesInCategory(cat.id).length);
    assert.ok(res.json.articles.items.every((a: { collectionId: string }) => a.collectionId === cat.collectionId));
  });

  it('gets an article by id or number, and its draft with draft=true', async () => {
    const withDraft = [...h.store.articles.values()].find((a) => a.draft !== null)!;
    const byId = await h.call('GET', `/articles/${withDraft.id}`);
    assert.equal(byId.json.article.hasDraft, true);
    assert.equal(byId.json.article.text, withDraft.text);
    const byNumber = await h.call('GET', `/articles/${withDraft.number}`);
    assert.equal(byNumber.json.article.id, withDraft.id);
    const draft = await h.call('GET', `/articles/${withDraft.id}`, { query: { draft: 'true' } });
    assert.equal(draft.json.article.text, withDraft.draft);
    assert.notEqual(draft.json.article.text, byId.json.article.text);
    const missing = await h.call('GET', '/articles/ffffffffffffffffffffffff');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.status, 404);
  });

  it('lists related articles', async () => {
    const art = [...h.store.articles.values()].find((a) => a.related.length >= 2)!;
    const res = await h.call('GET', `/articles/${art.id}/related`);
    assert.deepEqual(res.json.articles.items.map((a: { id: string }) => a.id).sort(), [...art.related].sort());
  });

  it('searches articles: query required, filters, ArticleSearch items with a preview', async () => {
    const missing = await h.call('GET', '/search/articles');
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json, { status: 400, message: 'query is required' });

    const target = [...h.store.articles.values()].find((a) => a.status === 'published')!;
    const res = await h.call('GET', '/search/articles', { query: { query: target.name } });
    const hit = res.json.articles.items[0];
    assert.equal(hit.id, target.id, 'a full-name match ranks first');
    assert.ok(hit.preview.length > 0 && hit.preview.length <= 160);
    assert.ok(!hit.preview.includes('<'), 'preview is plain text');
    assert.equal(hit.url, h.store.articleUrl(target));

    const col = h.store.collections.get(target.collectionId)!;
    const word = target.name.split(' ').at(-1)!;
    const inCol = await h.call('GET', '/search/articles', { query: { query: word, collectionId: col.id, status: 'published' } });
    assert.ok(inCol.json.articles.count > 0);
    assert.ok(inCol.json.articles.items.every((a: { collectionId: string; status: string }) => a.collectionId === col.id && a.status === 'published'));
    const priv = await h.call('GET', '/search/articles', { query: { query: 'the', visibility: 'private' } });
    assert.ok(priv.json.articles.items.every((a: { visibility: string }) => a.visibility === 'private'));
    const none = await h.call('GET', '/search/articles', { query: { query: 'zzzqqqxxx' } });
    assert.equal(none.json.articles.count, 0);
  });

  it('lists revisions with a Person as author, and gets one with its text', async () => {
    const rev = [...h.store.revisions.values()][0]!;
    const list = await h.call('GET', `/articles/${rev.articleId}/revisions`);
    const item = list.json.revisions.items.find((r: { id: string }) => r.id === rev.id);
    assert.deepEqual(Object.keys(item.createdBy).sort(), ['firstName', 'id', 'lastName']);
    assert.equal(item.text, undefined);
    const one = await h.call('GET', `/revisions/${rev.id}`);
    assert.equal(one.json.revision.text, rev.text);
  });

  it('returns undefined for paths it does not serve, so the host answers 404', async () => {
    assert.equal((await h.call('GET', '/nothing-here')).status, -1);
    assert.equal((await h.call('PATCH', '/articles/abc')).status, -1);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await h.call('POST', '/articles', { body: '{not json' });
    assert.equal(res.status, 400);
    assert.equal(res.json.status, 400);
  });

  it('uses the base URL for Location headers', async () => {
    const col = firstCollection();
    const res = await h.call('POST', '/collections', { body: { siteId: col.siteId, name: 'Location check' } });
    assert.match(res.headers?.['Location'] ?? '', new RegExp(`^${BASE_URL}/collections/[0-9a-f]{24}$`));
  });
});
