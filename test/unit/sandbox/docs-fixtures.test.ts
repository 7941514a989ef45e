// Shape fidelity: every key a recorded Docs API payload has, the sandbox's
// corresponding response has too (the sandbox may add documented fields the
// fixture lacks). Fixtures: /work/shared/reference/fixtures/helpscout-docs-api-php.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docsHarness } from './docs-helpers';

const ROOT = '/work/shared/reference/fixtures/helpscout-docs-api-php/tests';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fixture(path: string): any {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
}

function keys(o: object): string[] {
  return Object.keys(o).sort();
}

function assertCovers(ours: object, theirs: object, what: string): void {
  const missing = keys(theirs).filter((k) => !(k in ours));
  assert.deepEqual(missing, [], `${what}: keys the fixture has but the sandbox lacks`);
}

describe('sandbox Docs API: payload shapes match the fixtures', () => {
  const h = docsHarness({ articles: 80 });
  const art = [...h.store.articles.values()].find((a) => h.store.revisionsOf(a.id).length > 0 && a.related.length > 0)!;
  const col = h.store.collections.get(art.collectionId)!;
  const cat = h.store.categories.get(art.categories[0]!)!;
  const site = h.store.siteOfCollection(col.id)!;
  const rev = h.store.revisionsOf(art.id)[0]!;
  const redirect = [...h.store.redirects.values()].find((r) => r.siteId === site.id)!;

  const cases: { name: string; file: string; get: () => Promise<object> }[] = [
    { name: 'article list', file: 'fixtures/articles/articles.json', get: async () => (await h.call('GET', `/collections/${col.id}/articles`)).json },
    { name: 'article', file: 'fixtures/articles/article.json', get: async () => (await h.call('GET', `/articles/${art.id}`)).json },
    { name: 'revision list', file: 'fixtures/articles/revisions.json', get: async () => (await h.call('GET', `/articles/${art.id}/revisions`)).json },
    { name: 'revision', file: 'fixtures/articles/revision.json', get: async () => (await h.call('GET', `/revisions/${rev.id}`)).json },
    { name: 'category list', file: 'fixtures/categories/categories.json', get: async () => (await h.call('GET', `/collections/${col.id}/categories`)).json },
    { name: 'category', file: 'fixtures/categories/category.json', get: async () => (await h.call('GET', `/categories/${cat.id}`)).json },
    { name: 'collection list', file: 'fixtures/collections/collections.json', get: async () => (await h.call('GET', '/collections')).json },
    { name: 'collection', file: 'fixtures/collections/collection.json', get: async () => (await h.call('GET', `/collections/${col.id}`)).json },
    { name: 'redirect list', file: 'fixtures/redirects/redirects.json', get: async () => (await h.call('GET', `/redirects/site/${site.id}`)).json },
    { name: 'redirect', file: 'fixtures/redirects/redirect.json', get: async () => (await h.call('GET', `/redirects/${redirect.id}`)).json },
    {
      name: 'redirect lookup', file: 'fixtures/redirects/redirected_url.json',
      get: async () => (await h.call('GET', '/redirects', { query: { url: redirect.urlMapping, siteId: site.id } })).json,
    },
    { name: 'site list', file: 'fixtures/sites/sites.json', get: async () => (await h.call('GET', '/sites')).json },
    { name: 'site', file: 'fixtures/sites/site.json', get: async () => (await h.call('GET', `/sites/${site.id}`)).json },
    {
      name: 'article created with reload', file: 'fixtures/articles/uploaded.json',
      get: async () => (await h.call('POST', '/articles', { query: { reload: 'true' }, body: { collectionId: col.id, name: 'Shape check', text: '<p>x</p>' } })).json,
    },
  ];

  for (const c of cases) {
    it(`${c.name} has every key of ${c.file}`, async () => {
      const theirs = fixture(c.file);
      const ours = await c.get();
      assert.deepEqual(keys(ours), keys(theirs), 'same envelope key');
      const key = Object.keys(theirs)[0]!;
      const t = theirs[key];
      const o = (ours as Record<string, Record<string, unknown>>)[key]!;
      if ('items' in t) {
        assert.deepEqual(keys(o), keys(t), 'same page keys');
        const items = o['items'] as object[];
        assert.ok(items.length > 0, 'the list has items to compare');
        for (const item of items) assertCovers(item, t.items[0], `${c.name} item`);
      } else {
        assertCovers(o, t, c.name);
      }
    });
  }

  // The bare model fixtures describe single objects; compare each with the API view that returns it.
  const models: { file: string; get: () => Promise<object> }[] = [
    { file: 'article.json', get: async () => (await h.call('GET', `/articles/${art.id}`)).json.article },
    { file: 'article_ref.json', get: async () => (await h.call('GET', `/articles/${art.id}/related`)).json.articles.items[0] },
    { file: 'article_revision.json', get: async () => (await h.call('GET', `/revisions/${rev.id}`)).json.revision },
    { file: 'article_revision_ref.json', get: async () => (await h.call('GET', `/articles/${art.id}/revisions`)).json.revisions.items[0] },
    { file: 'article_search.json', get: async () => (await h.call('GET', '/search/articles', { query: { query: art.name } })).json.articles.items[0] },
    { file: 'category.json', get: async () => (await h.call('GET', `/categories/${cat.id}`)).json.category },
    { file: 'collection.json', get: async () => (await h.call('GET', `/collections/${col.id}`)).json.collection },
    { file: 'person.json', get: async () => (await h.call('GET', `/revisions/${rev.id}`)).json.revision.createdBy },
    { file: 'redirect.json', get: async () => (await h.call('GET', `/redirects/${redirect.id}`)).json },
    { file: 'site.json', get: async () => (await h.call('GET', `/sites/${site.id}`)).json.site },
  ];
  for (const m of models) {
    it(`model ${m.file} keys are all present`, async () => {
      const theirs = fixture(`HelpScoutDocs/Models/fixtures/${m.file}`);
      const ours = await m.get();
      if (m.file === 'redirect.json') {
        assert.deepEqual(keys(ours), ['redirect']);
        assertCovers((ours as { redirect: object }).redirect, theirs.redirect, m.file);
      } else {
        assertCovers(ours, theirs, m.file);
      }
      if (m.file === 'person.json') assert.deepEqual(keys(ours), keys(theirs));
    });
  }

  it('uses 24-hex ids and ISO timestamps without milliseconds', async () => {
    const a = (await h.call('GET', `/articles/${art.id}`)).json.article;
    assert.match(a.id, /^[0-9a-f]{24}$/);
    assert.match(a.collectionId, /^[0-9a-f]{24}$/);
    assert.match(a.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(typeof a.number, 'number');
  });
});
