// The `helpscout-docs` path scheme and article links.
import assert from 'node:assert/strict';
import {
  articleNumberFromUrl, buildArticlePath, categoryForPath, parseArticlePath, parseArticleUrl, safeSegment, slugFromName,
  type ArticlePath,
} from '../../../../src/core/articles';
import { createDocsStore, slugify } from '../../../../src/sandbox/docs';

const ID = '65f0c1d2e3a4b5c6d7e8f901';

describe('core/articles paths', () => {
  it('builds /<site>/<collection>/<category>/<slug>-<id>.md', () => {
    assert.equal(
      buildArticlePath({ site: 'lumen', collection: 'Getting Started', category: 'Billing', slug: 'reset-password', id: ID }),
      `/lumen/Getting Started/Billing/reset-password-${ID}.md`,
    );
  });

  it('puts an article without a category directly under its collection', () => {
    const path = buildArticlePath({ site: 'lumen', collection: 'Getting Started', category: null, slug: 'faq', id: ID });
    assert.equal(path, `/lumen/Getting Started/faq-${ID}.md`);
    assert.deepEqual(parseArticlePath(path), { site: 'lumen', collection: 'Getting Started', category: null, slug: 'faq', id: ID });
  });

  it('makes names safe but readable', () => {
    assert.equal(safeSegment('Billing / Payments'), 'Billing - Payments');
    assert.equal(safeSegment('TCP\\IP'), 'TCP-IP');
    assert.equal(safeSegment('tab\tand\nnewline\u0000null\u007f'), 'tab and newline null');
    assert.equal(safeSegment('  spaced   out  '), 'spaced out');
    assert.equal(safeSegment('..'), '_');
    assert.equal(safeSegment('...hidden.'), 'hidden');
    assert.equal(safeSegment(''), '_');
    assert.equal(safeSegment('Ünïcode: 日本語 ✓ & "quotes"?'), 'Ünïcode: 日本語 ✓ & "quotes"?');
  });

  it('parses what it builds, for awkward names too', () => {
    const cases: ArticlePath[] = [
      { site: 'lumen', collection: 'Getting Started', category: 'Billing', slug: 'reset-password', id: ID },
      { site: 'lumen-developers', collection: 'API', category: null, slug: 'a-b-c-d', id: '1' },
      { site: 'x', collection: 'Collection: "A" & B', category: 'Über-category', slug: '日本語', id: ID },
      { site: 'x', collection: 'a.b', category: '-', slug: '-', id: ID },
    ];
    for (const c of cases) {
      const path = buildArticlePath(c);
      assert.deepEqual(parseArticlePath(path), c, path);
      assert.equal(buildArticlePath(parseArticlePath(path) as ArticlePath), path);
    }
  });

  it('parses built paths of unsafe names to their safe forms, which build the same path', () => {
    const unsafe: ArticlePath = { site: 'a/b', collection: ' c\n', category: 'd\\e', slug: 'f/g', id: ID };
    const path = buildArticlePath(unsafe);
    assert.equal(path, `/a-b/c/d-e/f-g-${ID}.md`);
    const parsed = parseArticlePath(path) as ArticlePath;
    assert.deepEqual(parsed, { site: 'a-b', collection: 'c', category: 'd-e', slug: 'f-g', id: ID });
    assert.equal(buildArticlePath(parsed), path);
  });

  it('refuses ids that would not survive the file name', () => {
    assert.throws(() => buildArticlePath({ site: 's', collection: 'c', category: null, slug: 'x', id: 'a-b' }), TypeError);
    assert.throws(() => buildArticlePath({ site: 's', collection: 'c', category: null, slug: 'x', id: '' }), TypeError);
  });

  it('returns undefined for paths that are not articles', () => {
    for (const p of ['', '/', '/lumen', '/lumen/Getting Started', `/lumen/c/x-${ID}.txt`, `lumen/c/x-${ID}.md`,
      `/lumen/c/d/e/x-${ID}.md`, `/lumen//x-${ID}.md`, `/lumen/c/${ID}.md`, `/lumen/ c/x-${ID}.md`, `/lumen/c/x-${ID}-.md`]) {
      assert.equal(parseArticlePath(p), undefined, p);
    }
  });

  it('takes the first real category for the folder, skipping Uncategorized', () => {
    const context = {
      collectionName: 'C',
      categories: [{ id: 'u', name: 'Uncategorized', slug: 'uncategorized' }, { id: 'b', name: 'Billing', slug: 'billing' }],
    };
    assert.equal(categoryForPath(['u'], context), null);
    assert.equal(categoryForPath([], context), null);
    assert.equal(categoryForPath(['u', 'b'], context), 'Billing');
    assert.equal(categoryForPath(['unknown', 'b'], context), 'Billing');
  });

  it('gives every seeded article a distinct path that parses back to its id', () => {
    const store = createDocsStore({ seed: 1 });
    const paths = new Set<string>();
    for (const a of store.articles.values()) {
      const collection = store.collections.get(a.collectionId);
      const site = collection === undefined ? undefined : store.sites.get(collection.siteId);
      assert.ok(collection !== undefined && site !== undefined);
      const context = {
        collectionName: collection.name,
        categories: store.categoriesOf(collection.id).map((c) => ({ id: c.id, name: c.name, slug: c.slug })),
      };
      const path = buildArticlePath({
        site: site.subDomain, collection: collection.name, category: categoryForPath(a.categories, context), slug: a.slug, id: a.id,
      });
      assert.equal(parseArticlePath(path)?.id, a.id);
      paths.add(path);
    }
    assert.equal(paths.size, store.articles.size);
  });
});

describe('core/articles slugs', () => {
  const NAMES: [string, string][] = [
    ['Café crème', 'cafe-creme'],
    ['Ångström Über', 'angstrom-uber'],
    ['naïve—résumé', 'naive-resume'],
    ['Reset your password', 'reset-your-password'],
    ['  Billing / Payments (2024)!  ', 'billing-payments-2024'],
    ['Ça déjà vu: Señor Müller’s “FAQ”', 'ca-deja-vu-senor-muller-s-faq'],
    ['ﬁle ①', 'file-1'],
  ];

  it('drops accents and joins lower-case words with "-"', () => {
    for (const [name, slug] of NAMES) assert.equal(slugFromName(name), slug, name);
  });

  it('makes the slug the sandbox server makes from the same name', () => {
    for (const [name] of NAMES) assert.equal(slugFromName(name), slugify(name), name);
  });

  it('leaves letters it cannot spell in ASCII out', () => {
    assert.equal(slugFromName('日本語 guide'), 'guide');
    assert.equal(slugFromName('日本語'), '');
  });

  it('does not decide which article a path opens: the id does, whatever slug a file name shows', () => {
    // Names of files made before accents were dropped, or by another client.
    for (const slug of ['caf-cr-me', 'cafe-cre-me', 'Café crème', '_']) {
      const path = buildArticlePath({ site: 'lumen', collection: 'Getting Started', category: null, slug, id: ID });
      assert.equal(parseArticlePath(path)?.id, ID, path);
    }
    assert.equal(parseArticlePath(`/lumen/Getting Started/caf-cr-me-${ID}.md`)?.slug, 'caf-cr-me');
  });
});

describe('core/articles links', () => {
  it('reads the article number from a public article URL', () => {
    assert.equal(articleNumberFromUrl('https://lumen.helpscoutdocs.com/article/42-reset-your-password'), 42);
    assert.equal(articleNumberFromUrl('https://help.lumenapp.io/article/7-faq?utm=x#section'), 7);
    assert.equal(articleNumberFromUrl('http://docs.helpscout.net/article/100-my-article/'), 100);
    assert.equal(articleNumberFromUrl('https://lumen.helpscoutdocs.com/article/42'), 42);
    assert.equal(articleNumberFromUrl('/article/12-relative'), 12);
  });

  it('gives slug, host and anchor', () => {
    assert.deepEqual(parseArticleUrl('https://Lumen.helpscoutdocs.com/article/42-caf%C3%A9#step-2'), {
      number: 42, slug: 'café', host: 'lumen.helpscoutdocs.com', anchor: 'step-2',
    });
  });

  it('ignores what is not an article link', () => {
    for (const href of ['https://lumen.helpscoutdocs.com/category/3-billing', 'https://lumen.helpscoutdocs.com/collection/1-start',
      'https://lumen.helpscoutdocs.com/article/abc', 'https://x.test/articles/4-x', 'mailto:a@b.c', 'javascript:alert(1)',
      'article/4-x', '//evil.test/article/4-x', 'not a url', '', 'https://x.test/article/0-zero', 'https://x.test/a/article/4-x']) {
      assert.equal(articleNumberFromUrl(href), undefined, href);
    }
  });

  it('can be limited to the account\'s site hosts', () => {
    const hosts = ['lumen.helpscoutdocs.com', 'help.lumenapp.io'];
    assert.equal(articleNumberFromUrl('https://help.lumenapp.io/article/5-x', hosts), 5);
    assert.equal(articleNumberFromUrl('https://other.helpscoutdocs.com/article/5-x', hosts), undefined);
    assert.equal(articleNumberFromUrl('/article/5-x', hosts), 5);
  });

  it('finds the numbers of links in seeded bodies, and they name real articles', () => {
    const store = createDocsStore({ seed: 1 });
    const numbers = new Set([...store.articles.values()].map((a) => a.number));
    let links = 0;
    for (const a of store.articles.values()) {
      for (const m of a.text.matchAll(/href="([^"]+)"/g)) {
        const n = articleNumberFromUrl((m[1] ?? '').replace(/&amp;/g, '&'));
        if (n === undefined) continue;
        links++;
        assert.ok(numbers.has(n), `article ${n} linked from ${a.number}`);
      }
    }
    assert.ok(links > 50, `only ${links} article links`);
  });
});
