// Turns stored records into the objects the Docs API returns. Field order
// follows the documented examples, so responses read like the real thing.
import type { DocsStore } from './store';
import type { ArticleRecord, CategoryRecord, CollectionRecord, RevisionRecord } from './model';

export function collectionView(store: DocsStore, c: CollectionRecord) {
  const articles = store.articlesInCollection(c.id);
  return {
    id: c.id,
    siteId: c.siteId,
    number: c.number,
    slug: c.slug,
    visibility: c.visibility,
    order: c.order,
    name: c.name,
    description: c.description,
    publicUrl: store.collectionUrl(c),
    articleCount: articles.length,
    publishedArticleCount: articles.filter((a) => a.status === 'published').length,
    createdBy: c.createdBy,
    updatedBy: c.updatedBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function categoryView(store: DocsStore, c: CategoryRecord) {
  const articles = store.articlesInCategory(c.id);
  return {
    id: c.id,
    number: c.number,
    slug: c.slug,
    visibility: c.visibility,
    collectionId: c.collectionId,
    order: c.order,
    defaultSort: c.defaultSort,
    name: c.name,
    description: c.description,
    articleCount: articles.length,
    publishedArticleCount: articles.filter((a) => a.status === 'published').length,
    publicUrl: store.categoryUrl(c),
    createdBy: c.createdBy,
    updatedBy: c.updatedBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** The list-item form of an article (ArticleRef): everything but the body and its lists. */
export function articleRefView(store: DocsStore, a: ArticleRecord) {
  return {
    id: a.id,
    number: a.number,
    collectionId: a.collectionId,
    slug: a.slug,
    status: a.status,
    hasDraft: a.draft !== null,
    name: a.name,
    publicUrl: store.articleUrl(a),
    popularity: a.popularity,
    viewCount: a.viewCount,
    createdBy: a.createdBy,
    updatedBy: a.updatedBy,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    lastPublishedAt: a.lastPublishedAt,
  };
}

/** The full article: the list-item fields plus the body and its lists. With `draft`, `text` is the pending draft when there is one. */
export function articleView(store: DocsStore, a: ArticleRecord, draft: boolean) {
  return {
    ...articleRefView(store, a),
    text: draft && a.draft !== null ? a.draft : a.text,
    code: a.code,
    categories: [...a.categories],
    related: [...a.related],
    keywords: [...a.keywords],
  };
}

/** Plain text of an HTML body, for search matching and previews. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A search hit (ArticleSearch): a ~160-character preview and both public and admin URLs. */
export function articleSearchView(store: DocsStore, a: ArticleRecord) {
  const text = plainText(a.text);
  const preview = text.length <= 160 ? text : `${text.slice(0, 157).replace(/\s+\S*$/, '')}...`;
  const col = store.collections.get(a.collectionId);
  return {
    id: a.id,
    collectionId: a.collectionId,
    categoryIds: [...a.categories],
    slug: a.slug,
    name: a.name,
    preview,
    url: store.articleUrl(a),
    docsUrl: `/docs/${a.collectionId}/article/${a.id}`,
    number: a.number,
    status: a.status,
    visibility: col?.visibility ?? 'public',
  };
}

export function revisionRefView(store: DocsStore, r: RevisionRecord) {
  return {
    id: r.id,
    articleId: r.articleId,
    createdBy: { ...store.person(r.createdBy) },
    createdAt: r.createdAt,
  };
}

export function revisionView(store: DocsStore, r: RevisionRecord) {
  return {
    id: r.id,
    articleId: r.articleId,
    text: r.text,
    createdBy: { ...store.person(r.createdBy) },
    createdAt: r.createdAt,
  };
}
