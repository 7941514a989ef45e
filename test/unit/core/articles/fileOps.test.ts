// Deleting and moving one file of an article in the `helpscout-docs` file
// system: what each means (one file per category; only a confirmed delete of an
// article's only file deletes it; a move never deletes or replaces an article),
// and the same operations against the sandbox over loopback HTTP, checked on the
// sandbox's store afterwards.
import assert from 'node:assert/strict';
import {
  ArticleFileError, deleteArticleFile, moveArticleFile, planFileDelete, planFileMove,
  type ArticleFacts, type FolderCategory, type TargetOccupant,
} from '../../../../src/core/articles/fileOps';
import { isUncategorized } from '../../../../src/core/articles/structure';
import { NotFoundError } from '../../../../src/core/errors';
import { type Core, startCore } from '../harness';

const cats: FolderCategory[] = [
  { id: 'c1', uncategorized: false },
  { id: 'c2', uncategorized: false },
  { id: 'c3', uncategorized: false },
  { id: 'u', uncategorized: true },
];
const art = (categories: string[], over: Partial<ArticleFacts> = {}): ArticleFacts => ({
  id: 'a1', name: 'Reset your password', slug: 'reset-password', collectionId: 'col', categories, ...over,
});

describe('core/articles/fileOps', () => {
  describe('planFileDelete', () => {
    it('one of several files: the article leaves that category and keeps the others', () => {
      for (const confirmed of [false, true]) {
        assert.deepEqual(planFileDelete({ article: art(['c1', 'c2']), collectionCategories: cats, fileCategoryId: 'c2', confirmed }), {
          kind: 'removeFromCategory', categoryId: 'c2', categories: ['c1'],
        });
      }
    });

    it('keeps ids the folders do not know and never sends the Uncategorized id', () => {
      const plan = planFileDelete({ article: art(['c1', 'zz', 'u', 'c3']), collectionCategories: cats, fileCategoryId: 'c1', confirmed: false });
      assert.deepEqual(plan, { kind: 'removeFromCategory', categoryId: 'c1', categories: ['zz', 'c3'] });
    });

    it("the article's only file: deleted only when the writer asked, refused otherwise", () => {
      for (const [categories, fileCategoryId] of [[['c1'], 'c1'], [['u'], null], [[], null]] as const) {
        const req = { article: art([...categories]), collectionCategories: cats, fileCategoryId };
        assert.deepEqual(planFileDelete({ ...req, confirmed: true }), { kind: 'deleteArticle' });
        assert.deepEqual(planFileDelete({ ...req, confirmed: false }), { kind: 'refuse', reason: 'onlyFile' });
      }
    });

    it('a file the article no longer has is not found, never a delete', () => {
      assert.deepEqual(planFileDelete({ article: art(['c1']), collectionCategories: cats, fileCategoryId: 'c2', confirmed: true }), { kind: 'notFound' });
      assert.deepEqual(planFileDelete({ article: art(['c1']), collectionCategories: cats, fileCategoryId: null, confirmed: true }), { kind: 'notFound' });
    });
  });

  describe('planFileMove', () => {
    const to = (categoryId: string | null, fileName = 'reset-password-a1.md', collectionId: string | null = 'col') => ({ collectionId, categoryId, fileName });

    it('onto another file of the same article (the target folder already has it): only leaves the old category', () => {
      const occupant: TargetOccupant = { id: 'a1', name: 'Reset your password' };
      assert.deepEqual(planFileMove({ article: art(['c1', 'c2']), collectionCategories: cats, fromCategoryId: 'c1', to: to('c2'), occupant }), {
        kind: 'update', body: { categories: ['c2'] },
      });
    });

    it('after VS Code deleted that same file (move with replace): a category change', () => {
      const occupant: TargetOccupant = { id: 'a1', name: 'Reset your password', removed: { categoryId: 'c2', before: ['c1', 'c2'] } };
      assert.deepEqual(planFileMove({ article: art(['c1']), collectionCategories: cats, fromCategoryId: 'c1', to: to('c2'), occupant }), {
        kind: 'update', body: { categories: ['c2'] },
      });
    });

    it('onto the file of another article: refused, and what the delete before it took goes back', () => {
      const occupant: TargetOccupant = { id: 'b1', name: 'Other', removed: { categoryId: 'c2', before: ['c2', 'c3'] } };
      const plan = planFileMove({ article: art(['c1']), collectionCategories: cats, fromCategoryId: 'c1', to: to('c2', 'other-b1.md'), occupant });
      assert.deepEqual(plan, { kind: 'refuse', reason: 'otherArticle', restore: occupant, other: occupant });
      const present = planFileMove({ article: art(['c1']), collectionCategories: cats, fromCategoryId: 'c1', to: to('c2', 'other-b1.md'), occupant: { id: 'b1', name: 'Other' } });
      assert.deepEqual(present, { kind: 'refuse', reason: 'otherArticle', other: { id: 'b1', name: 'Other' } });
    });

    it('slug, name and folder changes; out of the collection or to an empty name is refused', () => {
      const base = { article: art(['c1']), collectionCategories: cats, fromCategoryId: 'c1' };
      assert.deepEqual(planFileMove({ ...base, to: to('c1') }), { kind: 'none' });
      assert.deepEqual(planFileMove({ ...base, to: to('c1', 'new-slug-a1.md') }), { kind: 'update', body: { slug: 'new-slug' } });
      assert.deepEqual(planFileMove({ ...base, to: to('c1', 'A Better Title.md') }), { kind: 'update', body: { name: 'A Better Title', slug: 'a-better-title' } });
      // A name without Latin letters renames the article and leaves its slug alone (never an empty slug).
      assert.deepEqual(planFileMove({ ...base, to: to('c1', 'Сброс пароля.md') }), { kind: 'update', body: { name: 'Сброс пароля' } });
      assert.deepEqual(planFileMove({ ...base, to: to(null) }), { kind: 'update', body: { categories: null } });
      assert.deepEqual(planFileMove({ ...base, article: art(['u']), fromCategoryId: null, to: to('c3') }), { kind: 'update', body: { categories: ['c3'] } });
      assert.deepEqual(planFileMove({ ...base, to: to('c1', 'x-a1.md', 'other') }), { kind: 'refuse', reason: 'otherCollection' });
      assert.deepEqual(planFileMove({ ...base, to: to('c1', ' .md') }), { kind: 'refuse', reason: 'noName' });
    });
  });

  describe('against the sandbox', () => {
    let core: Core;
    before(async () => {
      core = await startCore();
    });
    after(() => core.close());

    const store = () => core.sandbox.store.docs;

    /** A collection with at least three real categories, its folder categories and articles to use. */
    async function setting() {
      for (const col of store().collections.values()) {
        const list = await core.docs.listCategories(col.id).toArray();
        const folders: FolderCategory[] = list.map((c) => ({ id: c.id, uncategorized: isUncategorized(c) }));
        const real = folders.filter((c) => !c.uncategorized).map((c) => c.id);
        const articles = [...store().articles.values()].filter((a) => a.collectionId === col.id).map((a) => a.id);
        if (real.length >= 3 && articles.length >= 2) return { folders, real: real as [string, string, string, ...string[]], articles };
      }
      throw new Error('the seed has no collection with three categories and two articles');
    }

    /** The article, put in exactly `categories` through the API. */
    async function article(id: string, categories: string[]) {
      await core.docs.updateArticle(id, { categories });
      return core.docs.getArticle(id);
    }

    it('the move with replace VS Code makes (delete the target, then rename) keeps the article, now in the target category only', async () => {
      const { folders, real: [x, y], articles: [id] } = await setting();
      const a = await article(id as string, [x, y]);
      // 1. VS Code deletes the target file, /…/<y>/<slug>-<id>.md: not announced, since the user asked for a move.
      const outcome = await deleteArticleFile(core.docs, { article: a, collectionCategories: folders, fileCategoryId: y, confirmed: false });
      assert.equal(outcome.kind, 'removedFromCategory');
      assert.deepEqual(store().articles.get(a.id)?.categories, [x]);
      // 2. Then it renames the source, /…/<x>/<slug>-<id>.md, to the target.
      const now = await core.docs.getArticle(a.id);
      const occupant: TargetOccupant = { id: a.id, name: a.name, removed: { categoryId: y, before: [x, y] } };
      await moveArticleFile(core.docs, {
        article: now, collectionCategories: folders, fromCategoryId: x, to: { collectionId: a.collectionId, categoryId: y, fileName: `${a.slug}-${a.id}.md` }, occupant,
      });
      const stored = store().articles.get(a.id);
      assert.ok(stored, 'the article was deleted');
      assert.deepEqual(stored.categories, [y]);
    });

    it('deleting one of its files, even unannounced, takes it out of that category only', async () => {
      const { folders, real: [x, y, z], articles: [id] } = await setting();
      const a = await article(id as string, [x, y, z]);
      await deleteArticleFile(core.docs, { article: a, collectionCategories: folders, fileCategoryId: y, confirmed: false });
      assert.deepEqual(store().articles.get(a.id)?.categories, [x, z]);
    });

    it("an unannounced delete of an article's only file is refused and changes nothing; a confirmed one deletes it", async () => {
      const { folders, real: [x], articles: [id] } = await setting();
      const a = await article(id as string, [x]);
      const before = structuredClone(store().articles.get(a.id));
      await assert.rejects(
        deleteArticleFile(core.docs, { article: a, collectionCategories: folders, fileCategoryId: x, confirmed: false }),
        (e: unknown) => e instanceof ArticleFileError && e.reason === 'onlyFile' && e.article.id === a.id,
      );
      assert.deepEqual(store().articles.get(a.id), before);
      let recorded = false;
      const outcome = await deleteArticleFile(core.docs, {
        article: a, collectionCategories: folders, fileCategoryId: x, confirmed: true, beforeDelete: async () => { recorded = true; },
      });
      assert.deepEqual(outcome, { kind: 'deleted' });
      assert.equal(recorded, true);
      assert.equal(store().articles.has(a.id), false);
    });

    it('a delete of a file the article is no longer in is not found and changes nothing', async () => {
      const { folders, real: [x, y], articles: [, id] } = await setting();
      const a = await article(id as string, [x]);
      const before = structuredClone(store().articles.get(a.id));
      await assert.rejects(deleteArticleFile(core.docs, { article: a, collectionCategories: folders, fileCategoryId: y, confirmed: true }), NotFoundError);
      assert.deepEqual(store().articles.get(a.id), before);
    });

    it('a move onto a file of another article is refused, and that article gets back the category the delete before it took', async () => {
      const { folders, real: [x, y, z], articles: [aId, bId] } = await setting();
      const a = await article(aId as string, [x]);
      const b = await article(bId as string, [z, y]);
      const aBefore = structuredClone(store().articles.get(a.id));
      // VS Code deletes B's file in <y> to make room, then moves A's file there.
      await deleteArticleFile(core.docs, { article: b, collectionCategories: folders, fileCategoryId: y, confirmed: false });
      assert.deepEqual(store().articles.get(b.id)?.categories, [z]);
      await assert.rejects(
        moveArticleFile(core.docs, {
          article: a, collectionCategories: folders, fromCategoryId: x,
          to: { collectionId: a.collectionId, categoryId: y, fileName: `${b.slug}-${b.id}.md` },
          occupant: { id: b.id, name: b.name, removed: { categoryId: y, before: [z, y] } },
        }),
        (e: unknown) => e instanceof ArticleFileError && e.reason === 'otherArticle' && e.article.id === b.id,
      );
      assert.deepEqual(store().articles.get(b.id)?.categories, [z, y]);
      assert.deepEqual(store().articles.get(a.id), aBefore);
    });
  });
});
