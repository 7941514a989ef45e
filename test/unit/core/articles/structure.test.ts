// The folder skeleton of the Docs file system, against the sandbox over
// loopback HTTP. Caching is measured in requests the sandbox answered.
import assert from 'node:assert/strict';
import { DocsClient, docsApiKeyAuth } from '../../../../src/core/docs/client';
import { AuthError } from '../../../../src/core/errors';
import { DocsStructure, isUncategorized } from '../../../../src/core/articles/structure';
import { type Core, startCore } from '../harness';

describe('core/articles Docs folder structure (sandbox)', () => {
  let core: Core;
  let clock: number;
  const now = (): number => clock;
  const docs = () => core.sandbox.store.docs;
  const requests = (path: RegExp): number => core.sandbox.log.count({ api: 'docs', path });
  const SITES = /\/sites$/;
  const COLLECTIONS = /\/collections$/;
  const CATEGORIES = /\/collections\/[^/]+\/categories$/;

  before(async () => {
    core = await startCore({ sizes: { docs: { sites: 2, collections: 3, articles: 30, redirects: 0 } } });
  });
  after(() => core.close());
  beforeEach(() => {
    core.sandbox.log.reset();
    clock = 1_000_000;
  });

  function structure(ttlMs = 60_000): DocsStructure {
    return new DocsStructure(() => core.docs, ttlMs, now);
  }

  function firstCollection(): { siteId: string; collectionId: string } {
    const c = [...docs().collections.values()][0];
    assert.ok(c);
    return { siteId: c.siteId, collectionId: c.id };
  }

  it('lists sites with their folder names and public hosts', async () => {
    const site = [...docs().sites.values()][0];
    assert.ok(site);
    site.cname = 'Help.Lumen.Example';
    const s = structure();
    const nodes = await s.sites();
    assert.deepEqual(
      nodes.map((n) => n.id).sort(),
      [...docs().sites.keys()].sort(),
    );
    const node = nodes.find((n) => n.id === site.id);
    assert.deepEqual(node, { id: site.id, segment: site.subDomain, hosts: [`${site.subDomain}.helpscoutdocs.com`, 'help.lumen.example'] });
    assert.deepEqual(s.lastSites, nodes);
    site.cname = null;
  });

  it('answers repeated and concurrent calls within the time to live with one request each', async () => {
    const { siteId, collectionId } = firstCollection();
    const s = structure();
    await Promise.all([s.sites(), s.sites(), s.collections(siteId), s.collections(siteId), s.categories(collectionId), s.categories(collectionId)]);
    for (let i = 0; i < 5; i++) {
      clock += 10_000;
      await s.sites();
      await s.collections(siteId);
      await s.categories(collectionId);
      await s.resolve([]);
    }
    assert.deepEqual([requests(SITES), requests(COLLECTIONS), requests(CATEGORIES)], [1, 1, 1]);
  });

  it('loads again once the time to live has passed, and after invalidate', async () => {
    const { siteId } = firstCollection();
    const s = structure(1000);
    await s.sites();
    await s.collections(siteId);
    clock += 999;
    await s.sites();
    assert.equal(requests(SITES), 1);
    clock += 1;
    await s.sites();
    await s.collections(siteId);
    assert.deepEqual([requests(SITES), requests(COLLECTIONS)], [2, 2]);
    s.invalidate();
    await s.sites();
    assert.equal(requests(SITES), 3);
  });

  it('keeps one cache entry per site and per collection', async () => {
    const s = structure();
    const siteIds = [...docs().sites.keys()];
    for (const id of [...siteIds, ...siteIds]) await s.collections(id);
    assert.equal(requests(COLLECTIONS), siteIds.length);
    const colIds = [...docs().collections.keys()];
    for (const id of [...colIds, ...colIds]) await s.categories(id);
    assert.equal(requests(CATEGORIES), colIds.length);
  });

  it('does not keep a failed load: the next call asks again', async () => {
    let key = 'wrong-key';
    const client = DocsClient.create({ baseUrl: core.sandbox.docsBaseUrl, fetch: core.net.fetch, authHeaders: docsApiKeyAuth(() => key) });
    const s = new DocsStructure(() => client, 60_000, now);
    await assert.rejects(s.sites(), AuthError);
    const failed = requests(SITES);
    assert.ok(failed >= 1);
    key = core.sandbox.credentials.docsApiKey;
    assert.equal((await s.sites()).length, docs().sites.size);
    await s.sites();
    assert.equal(requests(SITES), failed + 1);
  });

  it('resolves folder segments to the site, collection and category they name', async () => {
    const { siteId, collectionId } = firstCollection();
    const site = docs().sites.get(siteId);
    const collection = docs().collections.get(collectionId);
    assert.ok(site && collection);
    const savedName = collection.name;
    collection.name = 'Billing / Payments';
    try {
      const uncategorized = docs().uncategorized(collectionId, new Date('2024-01-01T00:00:00Z'));
      const category = docs().categoriesOf(collectionId).find((c) => !c.uncategorized);
      assert.ok(category);
      const s = structure();
      assert.deepEqual(await s.resolve([]), {});
      const bySite = await s.resolve([site.subDomain]);
      assert.equal(bySite?.site?.id, siteId);
      assert.equal(bySite?.collection, undefined);
      const byCollection = await s.resolve([site.subDomain, 'Billing - Payments']);
      assert.deepEqual(byCollection?.collection, { id: collectionId, siteId, name: 'Billing / Payments', segment: 'Billing - Payments' });
      const byCategory = await s.resolve([site.subDomain, 'Billing - Payments', category.name]);
      assert.equal(byCategory?.category?.id, category.id);
      assert.equal(byCategory?.category?.uncategorized, false);
      // The Uncategorized category has no folder: its articles sit in the collection's.
      assert.equal(await s.resolve([site.subDomain, 'Billing - Payments', uncategorized.name]), undefined);
      assert.equal(await s.resolve(['no-such-site']), undefined);
      assert.equal(await s.resolve([site.subDomain, 'Billing / Payments']), undefined, 'the raw name is not a segment');
      assert.equal(await s.resolve([site.subDomain, 'Billing - Payments', category.name, 'extra']), undefined);
      const categories = await s.categories(collectionId);
      assert.equal(categories.find((c) => c.id === uncategorized.id)?.uncategorized, true);
      assert.deepEqual(await s.context((await s.collections(siteId)).find((c) => c.id === collectionId) ?? assert.fail()), {
        collectionName: 'Billing / Payments',
        categories: categories.map((c) => ({ id: c.id, name: c.name, slug: c.slug })),
      });
    } finally {
      collection.name = savedName;
    }
  });

  it('finds the site of a collection, and nothing for an unknown id', async () => {
    const { siteId, collectionId } = firstCollection();
    const s = structure();
    const found = await s.findCollection(collectionId);
    assert.equal(found?.site.id, siteId);
    assert.equal(found?.collection.id, collectionId);
    assert.equal(await s.findCollection('000000000000000000000000'), undefined);
    // Every site's collections were listed once to answer that, and no more.
    assert.equal(requests(COLLECTIONS), docs().sites.size);
  });

  it('recognises the Uncategorized category by slug, or by name when there is no slug', () => {
    assert.equal(isUncategorized({ slug: 'uncategorized', name: 'Misc' }), true);
    assert.equal(isUncategorized({ slug: null, name: 'Uncategorized' }), true);
    assert.equal(isUncategorized({ name: 'UNCATEGORIZED' }), true);
    assert.equal(isUncategorized({ slug: 'misc', name: 'Uncategorized' }), false);
  });
});
