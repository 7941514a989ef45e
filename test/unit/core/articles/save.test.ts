// Save safety: conflict detection and the update body built from an edited document.
import assert from 'node:assert/strict';
import {
  ArticleDocumentError, articleToDocument, checkConflict, planArticleSave,
  type ArticleContext, type DocsArticleFields,
} from '../../../../src/core/articles';

const context: ArticleContext = {
  collectionName: 'Getting Started',
  categories: [
    { id: 'c1', name: 'Billing' },
    { id: 'c2', name: 'Security' },
    { id: 'c9', name: 'Uncategorized', slug: 'uncategorized' },
  ],
};

const server: DocsArticleFields = {
  id: '65f0c1d2e3a4b5c6d7e8f901',
  number: 42,
  name: 'Reset your password',
  slug: 'reset-password',
  status: 'published',
  hasDraft: false,
  text: '<h2>Steps</h2>\n<ol><li>Open <strong>Settings</strong></li><li>Choose Reset</li></ol>\n<div class="callout-yellow"><p>Note: links expire.</p></div>',
  categories: ['c1'],
  related: [],
  keywords: ['password'],
  updatedAt: '2024-03-13T08:30:00Z',
};

const opened = articleToDocument(server, context);

function plan(document: string, s: DocsArticleFields = server) {
  return planArticleSave({ document, server: s, context });
}

describe('core/articles save', () => {
  describe('checkConflict', () => {
    it('is ok when the server still has the version that was opened', () => {
      assert.deepEqual(checkConflict({ openedUpdatedAt: '2024-03-13T08:30:00Z', serverUpdatedAt: '2024-03-13T08:30:00Z' }), { status: 'ok' });
      assert.deepEqual(checkConflict({ openedUpdatedAt: '2024-03-13T08:30:00Z', serverUpdatedAt: '2024-03-13T08:30:00.000+00:00' }), { status: 'ok' });
      assert.deepEqual(checkConflict({ openedUpdatedAt: null, serverUpdatedAt: null }), { status: 'ok' });
    });

    it('is a conflict when the server changed, in either direction', () => {
      assert.deepEqual(checkConflict({ openedUpdatedAt: '2024-03-13T08:30:00Z', serverUpdatedAt: '2024-03-14T09:00:00Z' }), {
        status: 'conflict', openedUpdatedAt: '2024-03-13T08:30:00Z', serverUpdatedAt: '2024-03-14T09:00:00Z',
      });
      assert.equal(checkConflict({ openedUpdatedAt: '2024-03-13T08:30:00Z', serverUpdatedAt: '2024-03-12T00:00:00Z' }).status, 'conflict');
      assert.equal(checkConflict({ openedUpdatedAt: null, serverUpdatedAt: '2024-03-13T08:30:00Z' }).status, 'conflict');
      assert.equal(checkConflict({ openedUpdatedAt: 'garbage', serverUpdatedAt: 'other' }).status, 'conflict');
    });
  });

  describe('planArticleSave', () => {
    it('sends nothing for an unedited document', () => {
      assert.deepEqual(plan(opened), {
        articleId: server.id, body: {}, changedFields: [], readOnlyChanges: [], discardsDraft: false,
      });
    });

    it('sends only the text when a word of the body changed', () => {
      const p = plan(opened.replace('Choose Reset', 'Choose **Reset**'));
      assert.deepEqual(p.changedFields, ['text']);
      assert.match(p.body.text ?? '', /<li>Choose <strong>Reset<\/strong><\/li>/);
      assert.match(p.body.text ?? '', /<div class="callout-yellow">/);
      assert.equal(p.discardsDraft, false);
    });

    it('maps category names to ids, in order', () => {
      const p = plan(opened.replace('categories:\n  - Billing', 'categories:\n  - Security\n  - Billing'));
      assert.deepEqual(p.body, { categories: ['c2', 'c1'] });
    });

    it('sends categories: null when every category is removed (the API then uses Uncategorized)', () => {
      const p = plan(opened.replace('categories:\n  - Billing', 'categories: []'));
      assert.deepEqual(p.body, { categories: null });
    });

    it('fails with the valid names for an unknown category', () => {
      assert.throws(() => plan(opened.replace('  - Billing', '  - Bililng')), (err: unknown) => {
        assert.ok(err instanceof ArticleDocumentError);
        assert.equal(err.issues[0]?.field, 'categories.0');
        assert.deepEqual(err.issues[0]?.validValues, ['Billing', 'Security', 'Uncategorized']);
        return true;
      });
    });

    it('sends name, slug, status, keywords and related when they change', () => {
      const edited = opened
        .replace('name: Reset your password', 'name: Reset a password')
        .replace('slug: reset-password', 'slug: reset-a-password')
        .replace('status: published', 'status: notpublished')
        .replace('keywords:\n  - password', 'keywords:\n  - password\n  - login')
        .replace('related: []', 'related:\n  - 65f0c1d2e3a4b5c6d7e8f902');
      assert.deepEqual(plan(edited).body, {
        name: 'Reset a password',
        slug: 'reset-a-password',
        status: 'notpublished',
        keywords: ['password', 'login'],
        related: ['65f0c1d2e3a4b5c6d7e8f902'],
      });
    });

    it('leaves a field out of the body when the writer removed its line', () => {
      const p = plan(opened.replace(/^keywords:\n(?: {2}- .*\n)+/m, ''));
      assert.deepEqual(p.body, {});
    });

    it('reports read-only fields the writer changed and does not send them', () => {
      const edited = opened
        .replace('number: 42', 'number: 43')
        .replace('collection: Getting Started', 'collection: Elsewhere')
        .replace('hasDraft: false', 'hasDraft: true')
        .replace('updatedAt: 2024-03-13T08:30:00Z', 'updatedAt: 2025-01-01T00:00:00Z');
      const p = plan(edited);
      assert.deepEqual(p.body, {});
      assert.deepEqual(p.readOnlyChanges, [
        { field: 'number', document: 43, server: 42 },
        { field: 'collection', document: 'Elsewhere', server: 'Getting Started' },
        { field: 'hasDraft', document: true, server: false },
        { field: 'updatedAt', document: '2025-01-01T00:00:00Z', server: '2024-03-13T08:30:00Z' },
      ]);
    });

    it('reports a document that belongs to another article', () => {
      const p = plan(opened.replace(`id: ${server.id}`, 'id: 65f0c1d2e3a4b5c6d7e8f999'));
      assert.deepEqual(p.readOnlyChanges, [{ field: 'id', document: '65f0c1d2e3a4b5c6d7e8f999', server: server.id }]);
      assert.equal(p.articleId, server.id);
    });

    describe('drafts', () => {
      const withDraft: DocsArticleFields = { ...server, hasDraft: true };
      const openedWithDraft = articleToDocument(withDraft, context);

      it('warns that a text change on a published article discards its draft', () => {
        const p = plan(openedWithDraft.replace('Choose Reset', 'Pick Reset'), withDraft);
        assert.deepEqual(p.changedFields, ['text']);
        assert.equal(p.discardsDraft, true);
      });

      it('does not warn when only metadata changes', () => {
        const p = plan(openedWithDraft.replace('  - password', '  - passwords'), withDraft);
        assert.deepEqual(p.body, { keywords: ['passwords'] });
        assert.equal(p.discardsDraft, false);
      });

      it('does not warn for an unedited save', () => {
        assert.equal(plan(openedWithDraft, withDraft).discardsDraft, false);
      });

      it('warns when an unpublished article with a draft is published', () => {
        const unpublished: DocsArticleFields = { ...withDraft, status: 'notpublished' };
        const doc = articleToDocument(unpublished, context).replace('status: notpublished', 'status: published');
        const p = plan(doc, unpublished);
        assert.deepEqual(p.body, { status: 'published' });
        assert.equal(p.discardsDraft, true);
      });
    });
  });
});
