import assert from 'node:assert/strict';
import { ArticleDocumentError } from '../../../../src/core/articles';
import { newArticleTemplate, parseNewArticle } from '../../../../src/core/articles/newArticle';

/** The issues of the ArticleDocumentError `text` raises, as "field: message". */
function issues(text: string): string[] {
  try {
    parseNewArticle(text);
  } catch (e) {
    assert.ok(e instanceof ArticleDocumentError, String(e));
    return e.issues.map((i) => `${i.field}: ${i.message}`);
  }
  assert.fail('no error');
}

describe('core/articles new-article documents', () => {
  it('writes the template with the collection and category filled in', () => {
    assert.equal(
      newArticleTemplate({ name: 'Untitled article', collectionName: 'Getting Started', categoryName: 'Billing' }),
      [
        '---',
        '# A new Help Scout Docs article: save this file to create it.',
        '',
        'name: Untitled article',
        'status: notpublished',
        'collection: Getting Started',
        'categories:',
        '  - Billing',
        'keywords: []',
        '---',
        '',
        'Write the article here.',
        '',
      ].join('\n'),
    );
    assert.match(newArticleTemplate({ name: 'x', collectionName: 'C', categoryName: null }), /\ncategories: \[\]\n/);
  });

  it('reads its own template back, names YAML would misread included', () => {
    for (const name of ['Pricing: FAQ', '#1 tip', 'yes', '123', '- dash', '"quoted" and \'single\'', 'Café crème', 'a: b # c']) {
      const doc = parseNewArticle(newArticleTemplate({ name, collectionName: 'Getting Started: Basics', categoryName: 'null' }));
      assert.deepEqual(doc.frontMatter, {
        name, status: 'notpublished', collection: 'Getting Started: Basics', categories: ['null'], keywords: [],
      }, name);
      assert.equal(doc.html, '<p>Write the article here.</p>');
    }
  });

  it('renders the body as HTML and accepts a byte order mark and CRLF line ends', () => {
    const text = '\uFEFF---\r\nname: Reset your password\r\nid: ""\r\nupdatedAt: null\r\n---\r\n\r\n\r\n# Steps\r\n\r\n1. Open **Settings**\r\n2. Click *Reset*\r\n';
    const doc = parseNewArticle(text);
    assert.deepEqual(doc.frontMatter, { name: 'Reset your password', id: '', updatedAt: null });
    assert.equal(doc.html, '<h1>Steps</h1>\n<ol>\n<li>Open <strong>Settings</strong></li>\n<li>Click <em>Reset</em></li>\n</ol>');
  });

  it('says which field is wrong', () => {
    assert.deepEqual(issues('name: x\n'), ['front matter: the file must start with front matter between "---" lines']);
    assert.deepEqual(issues('---\nname: x\n'), ['front matter: the file must start with front matter between "---" lines']);
    assert.deepEqual(issues('---\nname: "   "\n---\n'), ['name: must not be empty']);
    assert.deepEqual(issues('---\nstatus: draft\nname: x\n---\n').map((i) => i.split(':')[0]), ['status']);
    assert.deepEqual(issues('---\nname: x\nid: 65f0c1d2e3a4b5c6d7e8f901\n---\n').map((i) => i.split(':')[0]), ['id']);
    assert.deepEqual(issues('---\nname: x\ncolour: red\n---\n').map((i) => i.split(':')[0]), ['front matter']);
    const yaml = issues('---\nname: [unclosed\n---\n');
    assert.equal(yaml.length, 1);
    assert.match(yaml[0] ?? '', /^front matter: /);
    assert.doesNotMatch(yaml[0] ?? '', /\n/, 'one line of the YAML error');
  });

  it('treats an empty front matter as a missing name', () => {
    assert.deepEqual(issues('---\n---\nBody').map((i) => i.split(':')[0]), ['name']);
  });
});
