import * as assert from 'node:assert/strict';
import { BASE_URL, docsHarness, type DocsHarness } from './docs-helpers';

function idFromLocation(location: string | undefined): string {
  const id = location?.split('/').at(-1) ?? '';
  assert.match(id, /^[0-9a-f]{24}$/);
  return id;
}

function realCategory(h: DocsHarness, collectionId: string) {
  return h.store.categoriesOf(collectionId).filter((c) => !c.uncategorized);
}

describe('sandbox Docs API: writing articles', () => {
  let h: DocsHarness;
  let collectionId: string;
  beforeEach(() => {
    h = docsHarness({ articles: 60 });
    collectionId = [...h.store.collections.values()][0]!.id;
  });

  it('creates an article: 201, Location, empty body, notpublished by default, number assigned', async () => {
    const before = Math.max(...[...h.store.articles.values()].map((a) => a.number));
    const res = await h.call('POST', '/articles', { body: { collectionId, name: 'Brand new guide', text: '<p>Hello</p>' } });
    assert.equal(res.status, 201);
    assert.equal(res.body, undefined);
    const id = idFromLocation(res.headers?.['Location']);
    assert.equal(res.headers?.['Location'], `${BASE_URL}/articles/${id}`);
    const stored = h.store.article(id)!;
    assert.equal(stored.status, 'notpublished');
    assert.equal(stored.slug, 'brand-new-guide');
    assert.equal(stored.number, before + 1);
    assert.equal(stored.lastPublishedAt, null);
    const uncategorized = h.store.categories.get(stored.categories[0]!)!;
    assert.equal(uncategorized.name, 'Uncategorized', 'no categories means Uncategorized');
  });

  it('returns the created article when reload is a query parameter or a body field', async () => {
    const cat = realCategory(h, collectionId)[0]!;
    const q = await h.call('POST', '/articles', {
      query: { reload: 'true' },
      body: { collectionId, name: 'Reload by query', text: '<p>A</p>', status: 'published', categories: [cat.id], keywords: ['x'] },
    });
    assert.equal(q.status, 201);
    assert.equal(q.json.article.name, 'Reload by query');
    assert.equal(q.json.article.status, 'published');
    assert.deepEqual(q.json.article.categories, [cat.id]);
    assert.deepEqual(q.json.article.keywords, ['x']);
    assert.equal(q.json.article.lastPublishedAt, '2025-03-01T12:00:00Z');
    const b = await h.call('POST', '/articles', { body: { collectionId, name: 'Reload by body', text: '<p>B</p>', reload: true } });
    assert.equal(b.json.article.name, 'Reload by body');
    assert.equal(b.json.article.id, idFromLocation(b.headers?.['Location']));
  });

  it('validates creates: required fields, unique name, known categories and related', async () => {
    const missing = await h.call('POST', '/articles', { body: { collectionId, name: 'No text' } });
    assert.deepEqual(missing.json, { status: 400, message: 'text is required' });
    const existing = h.store.articlesInCollection(collectionId)[0]!;
    const dup = await h.call('POST', '/articles', { body: { collectionId, name: existing.name, text: '<p>x</p>' } });
    assert.equal(dup.status, 400);
    assert.match(dup.json.message, /already exists/);
    const otherCol = [...h.store.collections.values()][1]!;
    const foreign = realCategory(h, otherCol.id)[0]!;
    const badCat = await h.call('POST', '/articles', { body: { collectionId, name: 'Bad cat', text: '<p>x</p>', categories: [foreign.id] } });
    assert.equal(badCat.status, 400);
    const badRel = await h.call('POST', '/articles', { body: { collectionId, name: 'Bad rel', text: '<p>x</p>', related: ['ffffffffffffffffffffffff'] } });
    assert.equal(badRel.status, 400);
    const badStatus = await h.call('POST', '/articles', { body: { collectionId, name: 'Bad status', text: '<p>x</p>', status: 'live' } });
    assert.equal(badStatus.status, 400);
    assert.equal(h.store.articlesInCollection(collectionId).filter((a) => a.name.startsWith('Bad')).length, 0, 'nothing was stored');
  });

  it('updates: 200 with an empty body, categories omitted keep, null moves to Uncategorized', async () => {
    const art = [...h.store.articles.values()].find((a) => a.collectionId === collectionId && !h.store.categories.get(a.categories[0]!)!.uncategorized)!;
    const cats = [...art.categories];
    const res = await h.call('PUT', `/articles/${art.id}`, { body: { name: 'Renamed article' } });
    assert.equal(res.status, 200);
    assert.equal(res.body, undefined);
    assert.equal(h.store.articles.get(art.id)!.name, 'Renamed article');
    assert.deepEqual(h.store.articles.get(art.id)!.categories, cats, 'omitted categories are unchanged');

    await h.call('PUT', `/articles/${art.id}`, { body: { categories: null } });
    const now = h.store.articles.get(art.id)!.categories;
    assert.equal(now.length, 1);
    assert.equal(h.store.categories.get(now[0]!)!.name, 'Uncategorized');

    const uncategorizedId = now[0]!;
    const refused = await h.call('PUT', `/articles/${art.id}`, { body: { categories: [uncategorizedId] } });
    assert.equal(refused.status, 400, 'Uncategorized may not be named explicitly');

    const two = realCategory(h, collectionId).slice(0, 2).map((c) => c.id);
    const reloaded = await h.call('PUT', `/articles/${art.id}`, { query: { reload: 'true' }, body: { categories: two } });
    assert.deepEqual(reloaded.json.article.categories, two);
  });

  it('moves updatedAt on every change, even twice within one second', async () => {
    const art = [...h.store.articles.values()][0]!;
    await h.call('PUT', `/articles/${art.id}`, { body: { keywords: ['one'] } });
    const first = h.store.articles.get(art.id)!.updatedAt!;
    assert.equal(first, '2025-03-01T12:00:00Z');
    await h.call('PUT', `/articles/${art.id}`, { body: { keywords: ['two'] } });
    const second = h.store.articles.get(art.id)!.updatedAt!;
    assert.ok(second > first, `${second} should be after ${first}`);
    assert.equal(h.store.articles.get(art.id)!.updatedBy, h.store.apiUser.id);
  });

  it('keeps a revision of the previous text when the text changes', async () => {
    const art = [...h.store.articles.values()][1]!;
    const oldText = art.text;
    const before = h.store.revisionsOf(art.id).length;
    await h.call('PUT', `/articles/${art.id}`, { body: { text: '<p>Completely new</p>' } });
    const revs = h.store.revisionsOf(art.id);
    assert.equal(revs.length, before + 1);
    const list = await h.call('GET', `/articles/${art.id}/revisions`);
    assert.equal(list.json.revisions.count, before + 1);
    const texts = await Promise.all(list.json.revisions.items.map(async (r: { id: string }) => (await h.call('GET', `/revisions/${r.id}`)).json.revision.text));
    assert.ok(texts.includes(oldText));
    await h.call('PUT', `/articles/${art.id}`, { body: { text: '<p>Completely new</p>' } });
    assert.equal(h.store.revisionsOf(art.id).length, before + 1, 'the same text again records nothing');
  });

  it('runs the draft flow: save, read with draft=true, discard', async () => {
    const art = [...h.store.articles.values()].find((a) => a.draft === null && a.status === 'published')!;
    const save = await h.call('PUT', `/articles/${art.id}/drafts`, { body: { text: '<p>Work in progress</p>' } });
    assert.equal(save.status, 200);
    const got = await h.call('GET', `/articles/${art.id}`, { query: { draft: 'true' } });
    assert.equal(got.json.article.hasDraft, true);
    assert.equal(got.json.article.text, '<p>Work in progress</p>');
    const live = await h.call('GET', `/articles/${art.id}`);
    assert.equal(live.json.article.text, art.text);
    const del = await h.call('DELETE', `/articles/${art.id}/drafts`);
    assert.equal(del.status, 200);
    assert.equal(h.store.article(art.id)!.hasDraft, false);
    const noText = await h.call('PUT', `/articles/${art.id}/drafts`, { body: {} });
    assert.equal(noText.status, 400);
  });

  it('discards the draft when an unpublished article is published', async () => {
    const art = [...h.store.articles.values()].find((a) => a.status === 'notpublished')!;
    await h.call('PUT', `/articles/${art.id}/drafts`, { body: { text: '<p>Draft</p>' } });
    assert.equal(h.store.article(art.id)!.hasDraft, true);
    h.clock.now = new Date('2025-03-02T08:00:00Z');
    await h.call('PUT', `/articles/${art.id}`, { body: { status: 'published' } });
    const after = h.store.article(art.id)!;
    assert.equal(after.hasDraft, false);
    assert.equal(after.status, 'published');
    assert.equal(after.lastPublishedAt, '2025-03-02T08:00:00Z');
  });

  it('discards the draft when the text of a published article changes, but not on other edits', async () => {
    const art = [...h.store.articles.values()].find((a) => a.status === 'published')!;
    await h.call('PUT', `/articles/${art.id}/drafts`, { body: { text: '<p>Draft</p>' } });
    await h.call('PUT', `/articles/${art.id}`, { body: { keywords: ['still-draft'] } });
    assert.equal(h.store.article(art.id)!.hasDraft, true);
    await h.call('PUT', `/articles/${art.id}`, { body: { text: '<p>Draft</p>' } });
    assert.equal(h.store.article(art.id)!.hasDraft, false);
    assert.equal(h.store.article(art.id)!.text, '<p>Draft</p>');
  });

  it('adds views and deletes articles (also from related lists)', async () => {
    const art = [...h.store.articles.values()].find((a) => h.store.articles.size > 0 && [...h.store.articles.values()].some((b) => b.related.includes(a.id)))!;
    const views = art.viewCount;
    await h.call('PUT', `/articles/${art.id}/views`);
    await h.call('PUT', `/articles/${art.id}/views`, { body: { count: 5 } });
    assert.equal(h.store.articles.get(art.id)!.viewCount, views + 6);
    const del = await h.call('DELETE', `/articles/${art.id}`);
    assert.equal(del.status, 200);
    assert.equal(h.store.articles.has(art.id), false);
    assert.ok([...h.store.articles.values()].every((b) => !b.related.includes(art.id)));
    assert.equal((await h.call('GET', `/articles/${art.id}`)).status, 404);
  });
});

describe('sandbox Docs API: writing collections and categories', () => {
  let h: DocsHarness;
  beforeEach(() => {
    h = docsHarness({ articles: 40 });
  });

  it('creates, updates (moving sites) and deletes a collection', async () => {
    const [siteA, siteB] = [...h.store.sites.values()];
    const created = await h.call('POST', '/collections', { query: { reload: 'true' }, body: { siteId: siteA!.id, name: 'Release notes', visibility: 'private' } });
    assert.equal(created.status, 201);
    const id = created.json.collection.id;
    assert.equal(created.json.collection.visibility, 'private');
    assert.equal(created.json.collection.articleCount, 0);
    const tooLong = await h.call('POST', '/collections', { body: { siteId: siteA!.id, name: 'X', description: 'x'.repeat(46) } });
    assert.equal(tooLong.status, 400);
    await h.call('PUT', `/collections/${id}`, { body: { siteId: siteB!.id } });
    assert.equal(h.store.collections.get(id)!.siteId, siteB!.id);
    assert.equal((await h.call('DELETE', `/collections/${id}`)).status, 200);
    assert.equal(h.store.collections.has(id), false);
    assert.equal(h.store.categoriesOf(id).length, 0);
  });

  it('creates a category; its reload reply carries epoch timestamps (the documented quirk)', async () => {
    const col = [...h.store.collections.values()][0]!;
    const res = await h.call('POST', '/categories', { query: { reload: 'true' }, body: { collectionId: col.id, name: 'Shortcuts' } });
    assert.equal(res.status, 201);
    assert.equal(typeof res.json.category.createdAt, 'number');
    assert.equal(res.json.category.createdAt, Date.parse('2025-03-01T12:00:00Z'));
    assert.equal(res.json.category.defaultSort, 'popularity');
    const get = await h.call('GET', `/categories/${res.json.category.id}`);
    assert.equal(get.json.category.createdAt, '2025-03-01T12:00:00Z', 'everywhere else timestamps are ISO strings');
    const dup = await h.call('POST', '/categories', { body: { collectionId: col.id, name: 'Shortcuts' } });
    assert.equal(dup.status, 400);
  });

  it('updates, reorders and deletes categories; orphaned articles go to Uncategorized', async () => {
    const col = [...h.store.collections.values()].find((c) => realCategory(h, c.id).length >= 3)!;
    const [a, b, c] = realCategory(h, col.id);
    await h.call('PUT', `/categories/${a!.id}`, { body: { name: 'Renamed category', defaultSort: 'name' } });
    assert.equal(h.store.categories.get(a!.id)!.name, 'Renamed category');
    const reorder = await h.call('PUT', `/collections/${col.id}/categories`, { body: { categories: [{ id: a!.id, order: 3 }, { id: b!.id, order: 1 }, { id: c!.id, order: 2 }] } });
    assert.equal(reorder.status, 200);
    const listed = await h.call('GET', `/collections/${col.id}/categories`);
    const ids = listed.json.categories.items.map((x: { id: string }) => x.id);
    assert.ok(ids.indexOf(b!.id) < ids.indexOf(c!.id) && ids.indexOf(c!.id) < ids.indexOf(a!.id));
    const foreign = await h.call('PUT', `/collections/${col.id}/categories`, { body: { categories: [{ id: 'ffffffffffffffffffffffff', order: 1 }] } });
    assert.equal(foreign.status, 400);

    const only = h.store.articlesInCategory(b!.id).filter((x) => x.categories.length === 1);
    assert.equal((await h.call('DELETE', `/categories/${b!.id}`)).status, 200);
    for (const art of only) assert.equal(h.store.categories.get(art.categories[0]!)!.name, 'Uncategorized');
  });
});

describe('sandbox Docs API: redirects', () => {
  let h: DocsHarness;
  beforeEach(() => {
    h = docsHarness({ articles: 40 });
  });

  it('follows a chained redirect to the article at its end', async () => {
    const first = [...h.store.redirects.values()].find((r) => r.urlMapping.startsWith('/help/old-'))!;
    const res = await h.call('GET', '/redirects', { query: { url: `${first.urlMapping}?utm=x`, siteId: first.siteId } });
    assert.equal(res.status, 200);
    const hop = res.json.redirectedUrl;
    assert.equal(hop.type, 'article');
    assert.notEqual(hop.redirect, first.redirect, 'the chain was followed past the first hop');
    const art = [...h.store.articles.values()].find((a) => a.number === hop.number)!;
    assert.equal(hop.slug, art.slug);
    assert.equal(hop.anchor, 'before-you-begin');
    assert.ok(hop.redirect.endsWith('#before-you-begin'));
  });

  it('answers 404 for an unknown URL and 400 without url or siteId', async () => {
    const site = [...h.store.sites.values()][0]!;
    const none = await h.call('GET', '/redirects', { query: { url: '/never/existed', siteId: site.id } });
    assert.equal(none.status, 404);
    assert.equal(none.json.status, 404);
    assert.equal((await h.call('GET', '/redirects', { query: { siteId: site.id } })).status, 400);
  });

  it('creates, gets, updates and deletes a redirect, classifying its target', async () => {
    const art = [...h.store.articles.values()][0]!;
    const site = h.store.siteOfCollection(art.collectionId)!;
    const created = await h.call('POST', '/redirects', { body: { siteId: site.id, urlMapping: '/old/guide?x=1', redirect: h.store.articleUrl(art) } });
    assert.equal(created.status, 201);
    const id = idFromLocation(created.headers?.['Location']);
    const got = await h.call('GET', `/redirects/${id}`);
    assert.equal(got.json.redirect.urlMapping, '/old/guide', 'query strings are ignored');
    assert.equal(got.json.redirect.type, 'article');
    assert.equal(got.json.redirect.documentId, art.id);
    assert.equal(got.json.redirect.modifiedBy, h.store.apiUser.id);
    const dup = await h.call('POST', '/redirects', { body: { siteId: site.id, urlMapping: '/old/guide', redirect: 'https://example.com/' } });
    assert.equal(dup.status, 400);
    h.clock.now = new Date('2025-04-01T00:00:00Z');
    const upd = await h.call('PUT', `/redirects/${id}`, { body: { redirect: 'https://example.com/elsewhere' }, query: { reload: 'true' } });
    assert.equal(upd.json.redirect.type, 'custom');
    assert.equal(upd.json.redirect.documentId, null);
    assert.equal(upd.json.redirect.modifiedAt, '2025-04-01T00:00:00Z');
    assert.equal((await h.call('DELETE', `/redirects/${id}`)).status, 200);
    assert.equal(h.store.redirects.has(id), false);
  });
});
