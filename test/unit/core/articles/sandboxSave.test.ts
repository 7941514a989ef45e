// The save path the file system provider will take, against the sandbox over
// loopback HTTP: read an article, make its document, edit it, re-read the
// server's updatedAt, plan the save and PUT it. Outcomes are read from the
// sandbox's store and request log.
import assert from 'node:assert/strict';
import {
  articleFields, articleToDocument, checkConflict, normalizeHtml, planArticleSave, type ArticleContext,
} from '../../../../src/core/articles';
import { type Core, startCore } from '../harness';

describe('core/articles saving through the Docs API (sandbox)', () => {
  let core: Core;
  before(async () => {
    core = await startCore();
  });
  after(() => core.close());
  beforeEach(() => core.sandbox.log.reset());

  const store = () => core.sandbox.store.docs;

  async function open(predicate: (text: string) => boolean) {
    const record = [...store().articles.values()].find((a) => a.draft === null && predicate(a.text));
    assert.ok(record, 'a seeded article to edit');
    const article = articleFields(await core.docs.getArticle(record.id));
    const collection = await core.docs.getCollection(record.collectionId);
    const categories = await core.docs.listCategories(record.collectionId).toArray();
    const context: ArticleContext = {
      collectionName: collection.name,
      categories: categories.map((c) => ({ id: c.id, name: c.name, slug: c.slug ?? undefined })),
    };
    return { id: record.id, article, context, document: articleToDocument(article, context) };
  }

  /** Re-reads the article, checks for a conflict, plans and sends the save. */
  async function save(id: string, openedUpdatedAt: string | null, document: string, context: ArticleContext) {
    const server = articleFields(await core.docs.getArticle(id));
    const conflict = checkConflict({ openedUpdatedAt, serverUpdatedAt: server.updatedAt });
    if (conflict.status === 'conflict') return { conflict, plan: undefined };
    const plan = planArticleSave({ document, server, context });
    if (plan.changedFields.length > 0) await core.docs.updateArticle(id, plan.body);
    return { conflict, plan };
  }

  const puts = () => core.sandbox.log.entries({ api: 'docs' }).filter((e) => e.method === 'PUT');

  it('an unedited save sends nothing and leaves the article exactly as it was', async () => {
    const { id, article, document, context } = await open((t) => t.includes('callout-') && t.includes('<table>'));
    const before = { ...store().articles.get(id) };
    const { plan } = await save(id, article.updatedAt, document, context);
    assert.deepEqual(plan?.body, {});
    assert.equal(puts().length, 0);
    assert.deepEqual(store().articles.get(id), before);
  });

  it('changing one word sends only the text, and only that word changes on the server', async () => {
    // A list item whose plain text "… immediately" occurs once in the article.
    const phrase = (t: string) => /<li>([^<]*\bimmediately)\b/.exec(t)?.[1];
    const unique = (t: string) => {
      const p = phrase(t);
      return p !== undefined && t.split(p).length === 2 && t.includes('callout-');
    };
    const { id, article, document, context } = await open(unique);
    const original = store().articles.get(id)?.text ?? '';
    const p = phrase(original) ?? '';
    const changed = p.replace(/immediately$/, 'right away');
    assert.equal(document.split(p).length, 2, 'the phrase appears once in the Markdown');
    const { plan } = await save(id, article.updatedAt, document.replace(p, changed), context);
    assert.deepEqual(plan?.changedFields, ['text']);
    assert.equal(puts().length, 1);
    const saved = store().articles.get(id)?.text ?? '';
    assert.equal(normalizeHtml(saved), normalizeHtml(original.replace(p, changed)));
  });

  it('moves an article to another category by name', async () => {
    const { id, article, document, context } = await open(() => true);
    const current = article.categories[0];
    const target = context.categories.find((c) => c.id !== current && c.slug !== 'uncategorized');
    assert.ok(target, 'another category in the collection');
    const edited = document.replace(/^categories:\n(?: {2}- .*\n)+|^categories: \[\]\n/m, `categories:\n  - ${JSON.stringify(target.name)}\n`);
    const { plan } = await save(id, article.updatedAt, edited, context);
    assert.deepEqual(plan?.body, { categories: [target.id] });
    assert.deepEqual(store().articles.get(id)?.categories, [target.id]);
  });

  it('refuses to overwrite an article that changed on the server since it was opened', async () => {
    const { id, article, document, context } = await open(() => true);
    // Someone else edits the article through the API after it was opened.
    await core.docs.updateArticle(id, { text: `${article.text}<p>Added elsewhere.</p>` });
    assert.notEqual(store().articles.get(id)?.updatedAt, article.updatedAt, 'the edit moved updatedAt');
    core.sandbox.log.reset();
    const { conflict } = await save(id, article.updatedAt, document.replace(/\.\n/, '. Edited.\n'), context);
    assert.equal(conflict.status, 'conflict');
    assert.equal(puts().length, 0);
    assert.match(store().articles.get(id)?.text ?? '', /Added elsewhere/);
  });
});
