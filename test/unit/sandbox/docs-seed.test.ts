import * as assert from 'node:assert/strict';
import { createDocsStore } from '../../../src/sandbox/docs/index';

describe('sandbox Docs seed data', () => {
  const store = createDocsStore({ seed: 11 });
  const articles = [...store.articles.values()];
  const allText = articles.map((a) => a.text).join('\n');

  it('is deterministic for a seed and differs between seeds', () => {
    const again = createDocsStore({ seed: 11 });
    assert.deepEqual([...again.articles.values()], articles);
    assert.deepEqual([...again.redirects.values()], [...store.redirects.values()]);
    const other = createDocsStore({ seed: 12 });
    assert.notDeepEqual([...other.articles.values()].map((a) => a.id), articles.map((a) => a.id));
  });

  it('has the default sizes and honours given sizes', () => {
    assert.equal(store.sites.size, 2);
    assert.equal(store.collections.size, 6);
    assert.equal(store.articles.size, 300);
    const small = createDocsStore({ seed: 1, sizes: { articles: 25, collections: 3 } });
    assert.equal(small.articles.size, 25);
    assert.equal(small.collections.size, 3);
  });

  it('has public and private collections, each with 2-5 categories plus Uncategorized', () => {
    const cols = [...store.collections.values()];
    assert.ok(cols.some((c) => c.visibility === 'public') && cols.some((c) => c.visibility === 'private'));
    for (const c of cols) {
      const cats = store.categoriesOf(c.id);
      const real = cats.filter((x) => !x.uncategorized);
      assert.ok(real.length >= 2 && real.length <= 5, `${c.name} has ${real.length} categories`);
      assert.equal(cats.filter((x) => x.name === 'Uncategorized').length, 1);
    }
    const numbers = cols.map((c) => c.number);
    assert.equal(new Set(numbers).size, numbers.length);
  });

  it('has the mix of articles a real help centre has', () => {
    assert.ok(articles.some((a) => a.status === 'published') && articles.some((a) => a.status === 'notpublished'));
    assert.ok(articles.filter((a) => a.draft !== null).length >= 5, 'some drafts');
    assert.ok(articles.some((a) => a.categories.length > 1), 'some in several categories');
    assert.ok(articles.some((a) => a.related.length > 0), 'some related');
    assert.ok(articles.some((a) => a.keywords.length > 0), 'some keywords');
    assert.ok(store.revisions.size > 20, 'revisions');
    assert.ok(articles.some((a) => a.updatedAt === null), 'some never updated');
    const numbers = articles.map((a) => a.number);
    assert.equal(new Set(numbers).size, numbers.length, 'article numbers are unique');
    for (const a of articles) {
      const names = articles.filter((b) => b.collectionId === a.collectionId && b.name === a.name);
      assert.equal(names.length, 1, `duplicate name ${a.name}`);
    }
  });

  it('writes bodies with every HTML construct the Markdown conversion must handle', () => {
    const expect: [string, RegExp][] = [
      ['h1', /<h1>/], ['h2', /<h2>/], ['h3', /<h3>/], ['h4', /<h4>/],
      ['inline formatting', /<p>[^<]*(<(strong|em)>)/],
      ['nested list', /<li>[^<]*<ul><li>/],
      ['ordered list', /<ol><li>/],
      ['table with thead', /<table><thead><tr><th>/],
      ['code block', /<pre><code class="language-\w+">/],
      ['inline code', /<p>[^<]*<code>/],
      ['image', /<img src="https:\/\/[^"]+" alt="[^"]+"/],
      ['blockquote', /<blockquote><p>/],
      ['yellow callout', /<div class="callout-yellow">/],
      ['blue callout', /<div class="callout-blue">/],
      ['red callout', /<div class="callout-red">/],
      ['green callout', /<div class="callout-green">/],
      ['video', /<iframe src="https:\/\/www\.youtube\.com\/embed\//],
      ['custom attributes', /data-(widget|tooltip|collapsed)=/],
    ];
    for (const [what, re] of expect) assert.match(allText, re, what);
    const urls = new Set(articles.map((a) => store.articleUrl(a)));
    const links = [...allText.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(links.some((l) => urls.has(l)), 'links to other articles\' public URLs');
  });

  it('has redirects including a chain', () => {
    const redirects = [...store.redirects.values()];
    assert.ok(redirects.length >= 4);
    const chained = redirects.some((r) => redirects.some((s) => s !== r && s.siteId === r.siteId && r.redirect.endsWith(s.urlMapping)));
    assert.ok(chained, 'one redirect points at another redirect\'s old URL');
    assert.ok(new Set(redirects.map((r) => r.type)).size >= 3);
  });
});
