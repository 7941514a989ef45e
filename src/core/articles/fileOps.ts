// What deleting or moving one file of the `helpscout-docs` file system does to
// the article behind it. An article in several categories has one file per
// category, so a file stands for "this article in this category": deleting one
// of several files takes the article out of that category, and moving a file
// between category folders changes the article's categories. Only an article's
// last file stands for the article itself, and it is deleted only when the
// writer asked for it (the explorer's Delete, "Delete Article"). VS Code also
// deletes the target of a move that replaces a file, right before the move, and
// cannot say so; such a delete, or a move onto another article's file, never
// deletes an article. No VS Code here: the provider passes what it knows and
// translates the typed errors.
import type { Article, DocsClient } from '../docs';
import { NotFoundError } from '../errors';
import { safeSegment, slugFromName } from './paths';
import type { ArticleUpdateBody } from './save';

/** A category of the article's collection, as the folder layout sees it (a `CategoryNode` is one). */
export interface FolderCategory {
  readonly id: string;
  /** The collection's Uncategorized category: its articles sit directly in the collection folder. */
  readonly uncategorized: boolean;
}

/** What the provider knows about an article for these decisions (an `Article` is one). */
export type ArticleFacts = Pick<Article, 'id' | 'name' | 'slug' | 'collectionId' | 'categories'>;

/** Why a delete or move was refused. */
export type FileRefusal =
  /** A delete of an article's only file that the writer did not ask for (the first half of a move that replaces it, or a program). */
  | 'onlyFile'
  /** A move or rename onto the file of a different article. */
  | 'otherArticle'
  /** A move to a folder of another collection (or outside every collection). */
  | 'otherCollection'
  /** A rename to an empty name. */
  | 'noName';

/** A refused delete or move. `article` is the article the refusal protects. */
export class ArticleFileError extends Error {
  constructor(
    readonly reason: FileRefusal,
    readonly article: { readonly id: string; readonly name: string },
  ) {
    super(`${reason}: article ${article.id}`);
    this.name = 'ArticleFileError';
  }
}

/** The category ids that have a folder, in the article's order: one file each. */
export function folderCategoryIds(categories: readonly string[] | null | undefined, collection: readonly FolderCategory[]): string[] {
  return (categories ?? []).filter((id) => collection.some((c) => c.id === id && !c.uncategorized));
}

/**
 * The article's categories for a PUT, without `remove` and without the Uncategorized
 * category (the API takes that one only as `null`). Ids the folder layout does not know
 * are kept: they are the server's business.
 */
function keptCategories(categories: readonly string[] | null | undefined, collection: readonly FolderCategory[], remove: readonly (string | null)[]): string[] {
  const uncategorized = new Set(collection.filter((c) => c.uncategorized).map((c) => c.id));
  return (categories ?? []).filter((id) => !remove.includes(id) && !uncategorized.has(id));
}

// ---- delete ---------------------------------------------------------------------------

export interface DeleteRequest {
  readonly article: ArticleFacts;
  readonly collectionCategories: readonly FolderCategory[];
  /** The category folder the file is in; null for a file directly in the collection folder. */
  readonly fileCategoryId: string | null;
  /**
   * The writer asked to delete this file: the explorer's Delete (VS Code announces it before
   * deleting) or a confirmed command. False for a delete VS Code makes on its own, such as the
   * first half of a move that replaces a file, and for programs using the file system API.
   */
  readonly confirmed: boolean;
}

export type DeletePlan =
  /** The file is one of several: the article leaves that category and keeps the others. */
  | { readonly kind: 'removeFromCategory'; readonly categoryId: string; readonly categories: readonly string[] }
  /** The article's only file, and the writer asked: the article is deleted. */
  | { readonly kind: 'deleteArticle' }
  | { readonly kind: 'refuse'; readonly reason: 'onlyFile' }
  /** The article has no file there (it moved since the path was listed). */
  | { readonly kind: 'notFound' };

/** What deleting the file of `article` in folder `fileCategoryId` means. */
export function planFileDelete(req: DeleteRequest): DeletePlan {
  const folders = folderCategoryIds(req.article.categories, req.collectionCategories);
  const inFolder = req.fileCategoryId === null ? folders.length === 0 : folders.includes(req.fileCategoryId);
  if (!inFolder) return { kind: 'notFound' };
  if (req.fileCategoryId !== null && folders.length > 1) {
    return {
      kind: 'removeFromCategory',
      categoryId: req.fileCategoryId,
      categories: keptCategories(req.article.categories, req.collectionCategories, [req.fileCategoryId]),
    };
  }
  return req.confirmed ? { kind: 'deleteArticle' } : { kind: 'refuse', reason: 'onlyFile' };
}

export type DeleteOutcome =
  /** `before`: the article's categories before, to put the category back if this turns out to be half of a refused move. */
  | { readonly kind: 'removedFromCategory'; readonly categoryId: string; readonly before: readonly string[] }
  | { readonly kind: 'deleted' };

/**
 * Deletes one file of an article through the Docs API, as `planFileDelete` decides.
 * `beforeDelete` runs before the article itself is deleted (the provider keeps its HTML in
 * local history). Throws `ArticleFileError` when refused, `NotFoundError` when the article
 * has no file there.
 */
export async function deleteArticleFile(
  client: DocsClient,
  req: DeleteRequest & { readonly beforeDelete?: () => Promise<void> },
): Promise<DeleteOutcome> {
  const plan = planFileDelete(req);
  switch (plan.kind) {
    case 'notFound':
      throw new NotFoundError(`article ${req.article.id} has no file in that folder`);
    case 'refuse':
      throw new ArticleFileError(plan.reason, req.article);
    case 'removeFromCategory':
      await client.updateArticle(req.article.id, { categories: plan.categories });
      return { kind: 'removedFromCategory', categoryId: plan.categoryId, before: [...(req.article.categories ?? [])] };
    case 'deleteArticle':
      await req.beforeDelete?.();
      await client.deleteArticle(req.article.id);
      return { kind: 'deleted' };
  }
}

// ---- move and rename ------------------------------------------------------------------

/** The article whose file is at a move's target. */
export interface TargetOccupant {
  readonly id: string;
  readonly name: string;
  /**
   * Set when VS Code has just deleted the occupant's file there to make room for the move
   * (which took the occupant out of `categoryId`): its categories before, to put back.
   */
  readonly removed?: { readonly categoryId: string; readonly before: readonly string[] };
}

export interface MoveRequest {
  readonly article: ArticleFacts;
  readonly collectionCategories: readonly FolderCategory[];
  /** The category folder of the file being moved; null for the collection folder. */
  readonly fromCategoryId: string | null;
  readonly to: {
    /** The collection of the target folder; null when the target is not in a collection. */
    readonly collectionId: string | null;
    /** The target's category folder; null for the collection folder. */
    readonly categoryId: string | null;
    /** The target's file name. */
    readonly fileName: string;
  };
  /** The article whose file is (or was, until VS Code deleted it for this move) at the target. */
  readonly occupant?: TargetOccupant;
}

export type MovePlan =
  | { readonly kind: 'update'; readonly body: ArticleUpdateBody }
  | { readonly kind: 'none' }
  | {
    readonly kind: 'refuse';
    readonly reason: Exclude<FileRefusal, 'onlyFile'>;
    /** The article at the target, for 'otherArticle'. */
    readonly other?: TargetOccupant;
    /** The article VS Code's delete before the move took out of a category: it goes back. */
    readonly restore?: TargetOccupant;
  };

/**
 * What moving or renaming one file of an article means: a slug or name change, a category
 * change, or both; never a delete. A move onto another file of the same article is a category
 * change; a move onto the file of a different article is refused (and the category VS Code
 * took from that article by deleting its file first is to be restored).
 */
export function planFileMove(req: MoveRequest): MovePlan {
  const { article, to, occupant } = req;
  // A refused move changes nothing: what VS Code's delete before it took away goes back.
  const restore = occupant?.removed ? { restore: occupant } : {};
  if (to.collectionId !== article.collectionId) return { kind: 'refuse', reason: 'otherCollection', ...restore };
  if (occupant && occupant.id !== article.id) return { kind: 'refuse', reason: 'otherArticle', ...restore, other: occupant };
  const body: ArticleUpdateBody = {};
  const own = new RegExp(`^(.+)-${article.id}\\.md$`).exec(to.fileName);
  if (own) {
    const slug = own[1] as string;
    if (slug !== safeSegment(article.slug ?? '')) body.slug = slug;
  } else {
    // Any other name ("Better title.md") renames the article and gives it a matching slug.
    const name = to.fileName.replace(/\.md$/i, '').trim();
    if (name === '') return { kind: 'refuse', reason: 'noName', ...restore };
    body.name = name;
    // A name with no Latin letters or digits has no slug of that kind: Help Scout keeps the old one.
    const slug = slugFromName(name);
    if (slug !== '') body.slug = slug;
  }
  if (req.fromCategoryId !== to.categoryId) {
    let ids = keptCategories(article.categories, req.collectionCategories, [req.fromCategoryId]);
    if (to.categoryId !== null && !ids.includes(to.categoryId)) ids = [...ids, to.categoryId];
    body.categories = ids.length === 0 ? null : ids;
  }
  return Object.keys(body).length === 0 ? { kind: 'none' } : { kind: 'update', body };
}

/**
 * Moves or renames one file of an article through the Docs API, as `planFileMove` decides.
 * A refused move onto an article whose file VS Code had just deleted puts that article back
 * in its category first, so the refused move changes nothing. Throws `ArticleFileError`.
 */
export async function moveArticleFile(client: DocsClient, req: MoveRequest): Promise<Exclude<MovePlan, { kind: 'refuse' }>> {
  const plan = planFileMove(req);
  if (plan.kind === 'refuse') {
    if (plan.restore) await restoreCategory(client, plan.restore, req.collectionCategories);
    throw new ArticleFileError(plan.reason, plan.other ?? req.article);
  }
  if (plan.kind === 'update') await client.updateArticle(req.article.id, plan.body);
  return plan;
}

/**
 * Puts the article VS Code's delete took out of a category back in it, in its former order
 * (for a move that then failed). Nothing happens when it is back there already.
 */
export async function restoreCategory(client: DocsClient, occupant: TargetOccupant, collection: readonly FolderCategory[]): Promise<void> {
  const removed = occupant.removed;
  if (!removed) return;
  const articleId = occupant.id;
  const current = (await client.getArticle(articleId)).categories ?? [];
  if (current.includes(removed.categoryId)) return;
  const ids = [
    ...removed.before.filter((id) => id === removed.categoryId || current.includes(id)),
    ...current.filter((id) => !removed.before.includes(id)),
  ];
  await client.updateArticle(articleId, { categories: keptCategories(ids, collection, []) });
}
