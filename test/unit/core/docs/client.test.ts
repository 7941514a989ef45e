import * as assert from 'node:assert/strict';
import { DocsClient, docsApiKeyAuth } from '../../../../src/core/docs/client';
import { AuthError, NotFoundError, ValidationError } from '../../../../src/core/errors';
import { type Core, startCore } from '../harness';

describe('DocsClient against the sandbox', () => {
  let core: Core;
  before(async () => {
    core = await startCore({ sizes: { docs: { sites: 2, collections: 4, articles: 90, redirects: 6 } } });
  });
  after(() => core.close());
  beforeEach(() => core.sandbox.log.reset());

  const docs = () => core.sandbox.store.docs;
  const lastQuery = (path: string | RegExp): Record<string, string> => {
    const e = core.sandbox.log.entries({ api: 'docs', path }).at(-1);
    assert.ok(e, `no request to ${String(path)}`);
    return e.query;
  };

  it('lists sites and gets one (Basic auth with the API key)', async () => {
    const sites = await core.docs.listSites().toArray();
    assert.deepEqual(sites.map((s) => s.id).sort(), [...docs().sites.keys()].sort());
    const first = sites[0];
    assert.ok(first);
    assert.equal((await core.docs.getSite(first.id)).subDomain, first.subDomain);
  });

  it('lists collections with siteId, visibility, sort and order on the wire', async () => {
    const siteId = [...docs().sites.keys()][0] ?? '';
    const cols = await core.docs.listCollections({ siteId, visibility: 'public', sort: 'name', order: 'desc' }).toArray();
    assert.deepEqual(lastQuery('/v1/collections'), { siteId, visibility: 'public', sort: 'name', order: 'desc', page: '1' });
    const expected = [...docs().collections.values()].filter((c) => c.siteId === siteId && c.visibility === 'public');
    assert.deepEqual(cols.map((c) => c.id).sort(), expected.map((c) => c.id).sort());
    const names = cols.map((c) => c.name);
    assert.deepEqual(names, [...names].sort().reverse());
  });

  it('pages articles of a collection with pageSize, status, sort and order', async () => {
    const byCollection = new Map<string, number>();
    for (const a of docs().articles.values()) {
      if (a.status === 'published') byCollection.set(a.collectionId, (byCollection.get(a.collectionId) ?? 0) + 1);
    }
    const [collectionId, count] = [...byCollection.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    assert.ok(count > 7, `a collection with more than 7 published articles (${count})`);
    core.sandbox.log.reset();
    const paged = core.docs.listArticles({ collectionId }, { status: 'published', sort: 'name', order: 'asc', pageSize: 7 });
    const items = await paged.toArray();
    assert.equal(items.length, count);
    assert.ok(items.every((a) => a.status === 'published' && a.collectionId === collectionId));
    const names = items.map((a) => a.name);
    assert.deepEqual(names, [...names].sort((x, y) => x.localeCompare(y)));
    const log = core.sandbox.log.entries({ api: 'docs', path: `/v1/collections/${collectionId}/articles` });
    assert.equal(log.length, Math.ceil(count / 7));
    assert.ok(log.every((e) => e.query['pageSize'] === '7' && e.query['status'] === 'published' && e.query['sort'] === 'name' && e.query['order'] === 'asc'));
    const p2 = await paged.getPage(2);
    assert.deepEqual(p2.page, { number: 2, totalPages: Math.ceil(count / 7), totalElements: count });
  });

  it('lists categories and the articles of a category', async () => {
    const col = [...docs().collections.values()][0];
    assert.ok(col);
    const cats = await core.docs.listCategories(col.id, { sort: 'name' }).toArray();
    assert.equal(lastQuery(`/v1/collections/${col.id}/categories`)['sort'], 'name');
    assert.deepEqual(cats.map((c) => c.id).sort(), [...docs().categories.values()].filter((c) => c.collectionId === col.id).map((c) => c.id).sort());
    const cat = cats.find((c) => (c.articleCount ?? 0) > 0);
    assert.ok(cat);
    const arts = await core.docs.listArticles({ categoryId: cat.id }).toArray();
    assert.ok(arts.length > 0);
    assert.ok(arts.every((a) => docs().articles.get(a.id)?.categories.includes(cat.id)));
    assert.equal((await core.docs.getCategory(cat.number)).id, cat.id);
  });

  it('gets an article by id or number, and searches', async () => {
    const rec = [...docs().articles.values()].find((a) => a.status === 'published');
    assert.ok(rec);
    const byId = await core.docs.getArticle(rec.id);
    const byNumber = await core.docs.getArticle(rec.number);
    assert.equal(byId.id, rec.id);
    assert.equal(byNumber.id, rec.id);
    assert.equal(byId.text, rec.text);
    const word = rec.name.split(/\s+/).find((w) => w.length > 3) ?? rec.name;
    const hits = await core.docs.searchArticles({ query: word, status: 'published' }).toArray();
    assert.deepEqual(lastQuery('/v1/search/articles'), { query: word, status: 'published', page: '1' });
    assert.ok(hits.some((h) => h.id === rec.id));
  });

  it('creates (id from Location, optional reload), updates, drafts, revisions and deletes an article', async () => {
    const col = [...docs().collections.values()][0];
    assert.ok(col);
    const plain = await core.docs.createArticle({ collectionId: col.id, name: 'Core test article', text: '<p>One</p>' });
    assert.equal(plain.object, undefined);
    assert.equal(docs().articles.get(plain.id)?.name, 'Core test article');

    const reloaded = await core.docs.createArticle(
      { collectionId: col.id, name: 'Core test article 2', text: '<p>Two</p>', status: 'published' },
      { reload: true },
    );
    assert.equal(reloaded.object?.id, reloaded.id);
    assert.equal(reloaded.object?.status, 'published');

    assert.equal(await core.docs.updateArticle(plain.id, { name: 'Renamed' }), undefined);
    assert.equal(docs().articles.get(plain.id)?.name, 'Renamed');
    const after = await core.docs.updateArticle(plain.id, { text: '<p>One, edited</p>' }, { reload: true });
    assert.equal(after?.text, '<p>One, edited</p>');

    await core.docs.saveDraft(reloaded.id, '<p>Draft text</p>');
    assert.equal((await core.docs.getArticle(reloaded.id, { draft: true })).text, '<p>Draft text</p>');
    assert.equal((await core.docs.getArticle(reloaded.id)).hasDraft, true);
    await core.docs.deleteDraft(reloaded.id);
    assert.equal((await core.docs.getArticle(reloaded.id)).hasDraft, false);

    const revisions = await core.docs.listRevisions(plain.id).toArray();
    assert.ok(revisions.length >= 1);
    const rev = await core.docs.getRevision(revisions[0]?.id ?? '');
    assert.equal(rev.articleId, plain.id);
    assert.equal(rev.text, '<p>One</p>');

    await core.docs.deleteArticle(plain.id);
    await core.docs.deleteArticle(reloaded.id);
    assert.equal(docs().articles.has(plain.id), false);
    await assert.rejects(core.docs.getArticle(plain.id), NotFoundError);
  });

  it('lists related articles', async () => {
    const withRelated = [...docs().articles.values()].find((a) => a.related.length > 0);
    assert.ok(withRelated);
    const related = await core.docs.listRelatedArticles(withRelated.id).toArray();
    assert.deepEqual(related.map((a) => a.id).sort(), [...withRelated.related].sort());
  });

  it('creates a category with reload and reads its epoch timestamps as ISO; collections CRUD', async () => {
    const siteId = [...docs().sites.keys()][0] ?? '';
    const col = await core.docs.createCollection({ siteId, name: 'Core collection', visibility: 'private' }, { reload: true });
    assert.equal(docs().collections.get(col.id)?.name, 'Core collection');
    const cat = await core.docs.createCategory({ collectionId: col.id, name: 'Core category' }, { reload: true });
    assert.equal(cat.object?.name, 'Core category');
    assert.match(cat.object?.createdAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await core.docs.updateCategory(cat.id, { name: 'Core category renamed' });
    assert.equal(docs().categories.get(cat.id)?.name, 'Core category renamed');
    await core.docs.updateCollection(col.id, { description: 'Short' });
    assert.equal(docs().collections.get(col.id)?.description, 'Short');
    await core.docs.deleteCategory(cat.id);
    await core.docs.deleteCollection(col.id);
    assert.equal(docs().collections.has(col.id), false);
  });

  it('redirects: list, get, lookup, create, update, delete', async () => {
    const siteId = [...docs().redirects.values()][0]?.siteId ?? '';
    const listed = await core.docs.listRedirects(siteId).toArray();
    assert.deepEqual(listed.map((r) => r.id).sort(), [...docs().redirects.values()].filter((r) => r.siteId === siteId).map((r) => r.id).sort());
    const one = listed[0];
    assert.ok(one);
    assert.equal((await core.docs.getRedirect(one.id)).urlMapping, one.urlMapping);
    const found = await core.docs.lookupRedirect(one.urlMapping, siteId);
    assert.ok(found?.redirect);
    assert.deepEqual(lastQuery('/v1/redirects'), { url: one.urlMapping, siteId });
    assert.equal(await core.docs.lookupRedirect('/no/such/path', siteId), undefined);

    const id = await core.docs.createRedirect({ siteId, urlMapping: '/old/core-test', redirect: 'https://example.org/new' });
    assert.equal(docs().redirects.get(id)?.urlMapping, '/old/core-test');
    await core.docs.updateRedirect(id, { siteId, urlMapping: '/old/core-test-2', redirect: 'https://example.org/new' });
    assert.equal(docs().redirects.get(id)?.urlMapping, '/old/core-test-2');
    await core.docs.deleteRedirect(id);
    assert.equal(docs().redirects.has(id), false);
  });

  it('maps 401, 404 and 400 to typed errors', async () => {
    const bad = DocsClient.create({ baseUrl: core.sandbox.docsBaseUrl, fetch: core.net.fetch, authHeaders: docsApiKeyAuth(() => 'wrong-key') });
    await assert.rejects(bad.listSites().getPage(1), AuthError);
    await assert.rejects(core.docs.getCollection('ffffffffffffffffffffffff'), NotFoundError);
    const col = [...docs().collections.values()][0];
    await assert.rejects(core.docs.createArticle({ collectionId: col?.id ?? '', text: '<p>x</p>' }), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.match(e.message, /name/);
      return true;
    });
  });
});

describe('DocsClient with the unwrapped sites/redirects envelope', () => {
  let core: Core;
  before(async () => {
    core = await startCore({ docsEnvelope: 'unwrapped' });
  });
  after(() => core.close());

  it('reads unwrapped site and redirect lists', async () => {
    const sites = await core.docs.listSites().toArray();
    assert.equal(sites.length, core.sandbox.store.docs.sites.size);
    const siteId = [...core.sandbox.store.docs.redirects.values()][0]?.siteId ?? '';
    const redirects = await core.docs.listRedirects(siteId).toArray();
    assert.ok(redirects.length > 0);
    assert.ok(redirects.every((r) => r.siteId === siteId));
  });
});
