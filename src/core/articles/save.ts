// Save safety for edited article documents, as pure logic. When VS Code
// writes an article file, the file system provider re-reads the article from
// the server, calls `checkConflict` with the `updatedAt` it remembered when it
// opened the file, then `planArticleSave` to get the PUT body, and asks the
// writer before a save that would discard a draft.
import {
  READ_ONLY_FIELDS, categoryIdsForNames, documentToArticle,
  type ArticleContext, type DocsArticleFields, type FrontMatter, type ParsedArticleDocument, type ReadOnlyField,
} from './document';
import { normalizeHtml } from './normalize';

export type ConflictCheck =
  | { status: 'ok' }
  | { status: 'conflict'; openedUpdatedAt: string | null; serverUpdatedAt: string | null };

/** Same instant when both parse as dates (so "…Z" and "+00:00" agree), else the same text. */
function sameTime(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a === b;
  return ta === tb;
}

/**
 * Whether the article changed on the server since the file was opened. Any
 * difference counts, including an older server time (a restored revision):
 * only the exact version the writer saw may be overwritten.
 */
export function checkConflict(input: { openedUpdatedAt: string | null; serverUpdatedAt: string | null }): ConflictCheck {
  return sameTime(input.openedUpdatedAt, input.serverUpdatedAt)
    ? { status: 'ok' }
    : { status: 'conflict', openedUpdatedAt: input.openedUpdatedAt, serverUpdatedAt: input.serverUpdatedAt };
}

/** The body of `PUT /v1/articles/{id}`: only the fields that change. */
export interface ArticleUpdateBody {
  name?: string;
  slug?: string;
  status?: 'published' | 'notpublished';
  /** HTML. */
  text?: string;
  /** Category ids; `null` moves the article to the collection's Uncategorized category. */
  categories?: string[] | null;
  related?: string[];
  keywords?: string[];
}

export interface ReadOnlyChange {
  field: ReadOnlyField;
  /** The value in the document. */
  document: unknown;
  /** The value on the server (for `collection`: the collection's name). */
  server: unknown;
}

export interface SavePlan {
  articleId: string;
  /** Empty when the document matches the server: nothing needs sending. */
  body: ArticleUpdateBody;
  changedFields: (keyof ArticleUpdateBody)[];
  /** Read-only fields the writer changed; they are not sent. */
  readOnlyChanges: ReadOnlyChange[];
  /** True when sending `body` would throw away the article's pending draft. */
  discardsDraft: boolean;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function readOnlyChanges(fm: FrontMatter, server: DocsArticleFields, context: ArticleContext): ReadOnlyChange[] {
  const serverValues: Record<ReadOnlyField, unknown> = {
    id: server.id,
    number: server.number,
    collection: context.collectionName,
    hasDraft: server.hasDraft,
    updatedAt: server.updatedAt,
  };
  const changes: ReadOnlyChange[] = [];
  for (const field of READ_ONLY_FIELDS) {
    const value = fm[field];
    if (value === undefined) continue; // left out: nothing to report
    const same = field === 'updatedAt'
      ? sameTime(value as string | null, server.updatedAt)
      : value === serverValues[field];
    if (!same) changes.push({ field, document: value, server: serverValues[field] });
  }
  return changes;
}

/**
 * Compares the edited document with the article as the server has it now and
 * builds the update. `server.text` must be the text the document was opened
 * from (the live text). Throws `ArticleDocumentError` when the front matter is
 * invalid or names a category the collection does not have.
 */
export function planArticleSave(input: {
  document: string | ParsedArticleDocument;
  server: DocsArticleFields;
  context: ArticleContext;
}): SavePlan {
  const { server, context } = input;
  const parsed = typeof input.document === 'string' ? documentToArticle(input.document) : input.document;
  const fm = parsed.frontMatter;
  const body: ArticleUpdateBody = {};

  if (fm.name !== undefined && fm.name !== server.name) body.name = fm.name;
  if (fm.slug !== undefined && fm.slug !== server.slug) body.slug = fm.slug;
  if (fm.status !== undefined && fm.status !== server.status) body.status = fm.status;
  if (fm.categories !== undefined) {
    const ids = categoryIdsForNames(fm.categories, context);
    if (!sameList(ids, server.categories)) body.categories = ids.length === 0 ? null : ids;
  }
  if (fm.related !== undefined && !sameList(fm.related, server.related)) body.related = [...fm.related];
  if (fm.keywords !== undefined && !sameList(fm.keywords, server.keywords)) body.keywords = [...fm.keywords];
  // An unedited body converts back to the same HTML up to `normalizeHtml`; then
  // the server's text stays exactly as it is.
  if (normalizeHtml(parsed.html) !== normalizeHtml(server.text)) body.text = parsed.html;

  // The API discards the draft when text changes on a published article and
  // when an unpublished article is published. Whether a text change keeps the
  // draft of an unpublished article is not documented; we assume it does not,
  // so the writer is asked rather than surprised.
  const discardsDraft = server.hasDraft && (body.text !== undefined || body.status === 'published');

  return {
    articleId: server.id,
    body,
    changedFields: Object.keys(body) as (keyof ArticleUpdateBody)[],
    readOnlyChanges: readOnlyChanges(fm, server, context),
    discardsDraft,
  };
}
