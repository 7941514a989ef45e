// The article document: YAML front matter plus Markdown, written and read back.
import assert from 'node:assert/strict';
import {
  ArticleDocumentError, articleToDocument, categoryIdsForNames, documentToArticle, normalizeHtml,
  type ArticleContext, type DocsArticleFields,
} from '../../../../src/core/articles';

const context: ArticleContext = {
  collectionName: 'Getting Started',
  categories: [
    { id: 'cat0000000000000000000001', name: 'Billing' },
    { id: 'cat0000000000000000000002', name: 'Account: Security' },
    { id: 'cat0000000000000000000003', name: 'Uncategorized', slug: 'uncategorized' },
  ],
};

const article: DocsArticleFields = {
  id: '65f0c1d2e3a4b5c6d7e8f901',
  number: 42,
  name: 'Reset your password',
  slug: 'reset-password',
  status: 'published',
  hasDraft: false,
  text: '<p>Open <strong>Settings</strong> and choose Reset.</p>',
  categories: ['cat0000000000000000000001', 'cat0000000000000000000002'],
  related: ['65f0c1d2e3a4b5c6d7e8f902'],
  keywords: ['password', 'login'],
  updatedAt: '2024-03-13T08:30:00Z',
};

function expectIssues(text: string, fields: string[]): ArticleDocumentError {
  try {
    documentToArticle(text);
  } catch (err) {
    assert.ok(err instanceof ArticleDocumentError, String(err));
    assert.deepEqual(err.issues.map((i) => i.field), fields, err.message);
    return err;
  }
  assert.fail('expected an ArticleDocumentError');
}

describe('core/articles document', () => {
  it('writes front matter with names for categories, then the Markdown body', () => {
    const doc = articleToDocument(article, context);
    assert.equal(doc, [
      '---',
      '# Read-only: id, number, collection, hasDraft, updatedAt',
      '',
      'id: 65f0c1d2e3a4b5c6d7e8f901',
      'number: 42',
      'name: Reset your password',
      'slug: reset-password',
      'status: published',
      'collection: Getting Started',
      'categories:',
      '  - Billing',
      '  - "Account: Security"',
      'keywords:',
      '  - password',
      '  - login',
      'related:',
      '  - 65f0c1d2e3a4b5c6d7e8f902',
      'hasDraft: false',
      'updatedAt: 2024-03-13T08:30:00Z',
      '---',
      '',
      'Open **Settings** and choose Reset.',
      '',
    ].join('\n'));
  });

  it('reads its own document back to the same fields and HTML', () => {
    const parsed = documentToArticle(articleToDocument(article, context));
    assert.deepEqual(parsed.frontMatter, {
      id: article.id,
      number: 42,
      name: article.name,
      slug: article.slug,
      status: 'published',
      collection: 'Getting Started',
      categories: ['Billing', 'Account: Security'],
      keywords: ['password', 'login'],
      related: ['65f0c1d2e3a4b5c6d7e8f902'],
      hasDraft: false,
      updatedAt: '2024-03-13T08:30:00Z',
    });
    assert.equal(parsed.html, '<p>Open <strong>Settings</strong> and choose Reset.</p>');
    assert.deepEqual(categoryIdsForNames(parsed.frontMatter.categories ?? [], context), article.categories);
  });

  it('keeps strings that look like numbers, dates, booleans or null as strings', () => {
    const odd = { ...article, name: '2024', slug: '1.10', keywords: ['yes', 'null', '0x1F', '2024-01-01', '~'], updatedAt: null };
    const parsed = documentToArticle(articleToDocument(odd, context));
    assert.equal(parsed.frontMatter.name, '2024');
    assert.equal(parsed.frontMatter.slug, '1.10');
    assert.deepEqual(parsed.frontMatter.keywords, ['yes', 'null', '0x1F', '2024-01-01', '~']);
    assert.equal(parsed.frontMatter.updatedAt, null);
  });

  it('reads numbers a writer typed without quotes in text fields as written', () => {
    const doc = articleToDocument(article, context).replace('name: Reset your password', 'name: 1.50').replace('  - login', '  - 007');
    const parsed = documentToArticle(doc);
    assert.equal(parsed.frontMatter.name, '1.50');
    assert.deepEqual(parsed.frontMatter.keywords, ['password', '007']);
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const doc = `\uFEFF${articleToDocument(article, context).replace(/\n/g, '\r\n')}`;
    const parsed = documentToArticle(doc);
    assert.equal(parsed.frontMatter.id, article.id);
    assert.equal(normalizeHtml(parsed.html), normalizeHtml(article.text));
  });

  it('round-trips names with YAML-special characters', () => {
    const names = ['a: b', '- dash', '#hash', '"quoted"', "it's", 'multi\nline', '  padded  ', 'ünï 日本'];
    for (const name of names) {
      const parsed = documentToArticle(articleToDocument({ ...article, name }, context));
      assert.equal(parsed.frontMatter.name, name, JSON.stringify(name));
    }
  });

  it('shows an empty body and an empty category list', () => {
    const doc = articleToDocument({ ...article, text: '', categories: [] }, context);
    assert.match(doc, /categories: \[\]\n/);
    assert.ok(doc.endsWith('---\n\n'));
    const parsed = documentToArticle(doc);
    assert.deepEqual(parsed.frontMatter.categories, []);
    assert.equal(parsed.html, '');
  });

  describe('validation', () => {
    const doc = articleToDocument(article, context);

    it('names the field for a wrong type or value', () => {
      expectIssues(doc.replace('status: published', 'status: live'), ['status']);
      expectIssues(doc.replace('number: 42', 'number: -1'), ['number']);
      expectIssues(doc.replace('hasDraft: false', 'hasDraft: maybe'), ['hasDraft']);
      expectIssues(doc.replace('slug: reset-password', 'slug: reset password'), ['slug']);
      expectIssues(doc.replace('name: Reset your password', 'name: ""'), ['name']);
      expectIssues(doc.replace('  - login', '  - { a: 1 }'), ['keywords.1']);
    });

    it('reports unknown fields and several problems at once', () => {
      const err = expectIssues(doc.replace('status: published', 'status: nope\ntitle: Other'), ['status', 'title']);
      assert.match(err.message, /title: is not a known field/);
    });

    it('requires id and updatedAt', () => {
      expectIssues(doc.replace(/^id: .*\n/m, ''), ['id']);
      const err = expectIssues(doc.replace(/^updatedAt: .*\n/m, ''), ['updatedAt']);
      assert.match(err.message, /updatedAt: is required/);
    });

    it('leaves out optional fields when they are left out', () => {
      const parsed = documentToArticle(doc.replace(/^categories:\n(?: {2}- .*\n)+/m, ''));
      assert.equal(parsed.frontMatter.categories, undefined);
    });

    it('reports YAML syntax errors with their line', () => {
      const err = expectIssues(doc.replace('slug: reset-password', 'slug: [unclosed'), ['front matter']);
      assert.match(err.message, /line \d+/);
      expectIssues(doc.replace('number: 42', 'number: 42\nnumber: 43'), ['front matter']);
    });

    it('needs the front matter fences', () => {
      expectIssues('Just Markdown', ['front matter']);
      expectIssues('---\nid: x\n', ['front matter']);
    });

    it('maps category names to ids when given the context, and rejects unknown names', () => {
      const doc2 = articleToDocument(article, context);
      assert.deepEqual(documentToArticle(doc2, context).categoryIds, article.categories);
      assert.throws(() => documentToArticle(doc2.replace('  - Billing', '  - Biling'), context), /"Biling" is not a category/);
    });

    it('lists the valid category names for an unknown one', () => {
      assert.throws(() => categoryIdsForNames(['Billing', 'Nope'], context), (err: unknown) => {
        assert.ok(err instanceof ArticleDocumentError);
        assert.equal(err.issues.length, 1);
        assert.equal(err.issues[0]?.field, 'categories.1');
        assert.deepEqual(err.issues[0]?.validValues, ['Billing', 'Account: Security', 'Uncategorized']);
        assert.match(err.message, /"Nope" is not a category of Getting Started \(valid: Billing, Account: Security, Uncategorized\)/);
        return true;
      });
    });
  });
});
