// Articles: lists per collection and category, get (with the draft), search,
// related, create, update, drafts, views, delete and revisions.
import { z } from 'zod';
import { iso, slugify } from '../store';
import type { ArticleRecord } from '../model';
import { articleRefView, articleSearchView, articleView, plainText, revisionRefView, revisionView } from '../views';
import {
  badRequest, created, decode, enumParam, nextTimestamp, notFound, pageParam, pageSizeParam, paginate, parseBody, route,
  sortItems, updated, DEFAULT_PAGE_SIZE, type DocsContext, type Route,
} from './common';

const idList = z.array(z.string().min(1));

const createBody = z.object({
  collectionId: z.string().min(1),
  name: z.string().trim().min(1),
  text: z.string().min(1),
  status: z.enum(['published', 'notpublished']).optional(),
  slug: z.string().min(1).optional(),
  categories: idList.nullable().optional(),
  related: idList.nullable().optional(),
  keywords: z.array(z.string()).nullable().optional(),
});

const updateBody = createBody.partial();
const draftBody = z.object({ text: z.string() });
const viewsBody = z.object({ count: z.number().int().min(1).optional() });

function articleOr404(ctx: DocsContext, ref: string | undefined, allowNumber: boolean): ArticleRecord {
  const art = ctx.store.findArticle(decode(ref), allowNumber);
  if (!art) throw notFound('Article', decode(ref));
  return art;
}

/** The shared list behaviour: status filter, sort (desc by default), page and pageSize. */
function articleList(ctx: DocsContext, source: ArticleRecord[]) {
  const status = enumParam(ctx, 'status', ['all', 'published', 'notpublished'], 'all');
  const sort = enumParam(ctx, 'sort', ['order', 'number', 'status', 'name', 'popularity', 'createdAt', 'updatedAt'], 'order');
  // Article lists default to descending, unlike collections and categories.
  const order = enumParam(ctx, 'order', ['asc', 'desc'], 'desc');
  const size = pageSizeParam(ctx);
  const items = source.filter((a) => status === 'all' || a.status === status);
  sortItems(items, (a) => a[sort], order, (a) => a.number);
  return { status: 200, body: { articles: paginate(items, pageParam(ctx), size, (a) => articleRefView(ctx.store, a)) } };
}

/**
 * Resolves a `categories` value for an article in `collectionId`: null or an
 * empty list means the collection's Uncategorized category, which may not be
 * named explicitly (as the update docs say).
 */
function resolveCategories(ctx: DocsContext, collectionId: string, ids: string[] | null): string[] {
  if (ids === null || ids.length === 0) return [ctx.store.uncategorized(collectionId, ctx.now()).id];
  for (const id of ids) {
    const cat = ctx.store.categories.get(id);
    if (!cat || cat.collectionId !== collectionId) throw badRequest(`Category not found in this collection: '${id}'`);
    if (cat.uncategorized) throw badRequest('An article cannot be added to Uncategorized explicitly: set categories to null');
  }
  return [...new Set(ids)];
}

function resolveRelated(ctx: DocsContext, self: string | null, ids: string[] | null): string[] {
  for (const id of ids ?? []) {
    if (id === self || !ctx.store.articles.has(id)) throw badRequest(`Related article not found: '${id}'`);
  }
  return [...new Set(ids ?? [])];
}

function checkUniqueName(ctx: DocsContext, collectionId: string, name: string, self: string | null): void {
  for (const a of ctx.store.articles.values()) {
    if (a.collectionId === collectionId && a.id !== self && a.name === name) {
      throw badRequest(`An article named '${name}' already exists in this collection`);
    }
  }
}

export const articleRoutes: Route[] = [
  route('GET', '/collections/:id/articles', (ctx, [id]) => {
    const col = ctx.store.findCollection(decode(id), false);
    if (!col) throw notFound('Collection', decode(id));
    return articleList(ctx, ctx.store.articlesInCollection(col.id));
  }),

  route('GET', '/categories/:id/articles', (ctx, [id]) => {
    const cat = ctx.store.findCategory(decode(id), false);
    if (!cat) throw notFound('Category', decode(id));
    return articleList(ctx, ctx.store.articlesInCategory(cat.id));
  }),

  route('GET', '/articles/:id/related', (ctx, [id]) => {
    const art = articleOr404(ctx, id, false);
    const related = art.related.map((r) => ctx.store.articles.get(r)).filter((a): a is ArticleRecord => a !== undefined);
    return articleList(ctx, related);
  }),

  route('GET', '/articles/:ref', (ctx, [ref]) => {
    const art = articleOr404(ctx, ref, true);
    const draft = ctx.req.query.get('draft') === 'true';
    return { status: 200, body: { article: articleView(ctx.store, art, draft) } };
  }),

  // Every search term must appear in the name, keywords or text; name hits rank first.
  route('GET', '/search/articles', (ctx) => {
    const query = (ctx.req.query.get('query') ?? '').trim();
    if (query === '') throw badRequest('query is required');
    const collectionId = ctx.req.query.get('collectionId');
    const siteId = ctx.req.query.get('siteId');
    const status = enumParam(ctx, 'status', ['all', 'published', 'notpublished'], 'all');
    const visibility = enumParam(ctx, 'visibility', ['all', 'public', 'private'], 'all');
    const terms = query.toLowerCase().split(/\s+/);
    const { store } = ctx;
    const hits: { a: ArticleRecord; inName: boolean }[] = [];
    for (const a of store.articles.values()) {
      const col = store.collections.get(a.collectionId);
      if (!col) continue;
      if (collectionId && a.collectionId !== collectionId) continue;
      if (siteId && col.siteId !== siteId) continue;
      if (status !== 'all' && a.status !== status) continue;
      if (visibility !== 'all' && col.visibility !== visibility) continue;
      const name = a.name.toLowerCase();
      const haystack = `${name} ${a.keywords.join(' ').toLowerCase()} ${plainText(a.text).toLowerCase()}`;
      if (terms.every((t) => haystack.includes(t))) hits.push({ a, inName: terms.every((t) => name.includes(t)) });
    }
    hits.sort((x, y) => Number(y.inName) - Number(x.inName) || y.a.popularity - x.a.popularity || x.a.number - y.a.number);
    const page = paginate(hits, pageParam(ctx), DEFAULT_PAGE_SIZE, (h) => articleSearchView(store, h.a));
    return { status: 200, body: { articles: page } };
  }),

  route('POST', '/articles', (ctx) => {
    const input = parseBody(ctx, createBody);
    const { store } = ctx;
    const col = store.collections.get(input.collectionId);
    if (!col) throw badRequest(`Collection not found: '${input.collectionId}'`);
    checkUniqueName(ctx, col.id, input.name, null);
    const now = ctx.now();
    const status = input.status ?? 'notpublished';
    const siblings = store.articlesInCollection(col.id);
    const art: ArticleRecord = {
      id: store.newId(now),
      number: store.nextNumber('article'),
      collectionId: col.id,
      slug: input.slug ?? slugify(input.name),
      status,
      name: input.name,
      text: input.text,
      draft: null,
      code: null,
      categories: resolveCategories(ctx, col.id, input.categories ?? null),
      related: resolveRelated(ctx, null, input.related ?? null),
      keywords: input.keywords ?? [],
      popularity: 0,
      viewCount: 0,
      order: siblings.reduce((max, a) => Math.max(max, a.order), 0) + 1,
      createdBy: store.apiUser.id,
      updatedBy: null,
      createdAt: iso(now),
      updatedAt: null,
      lastPublishedAt: status === 'published' ? iso(now) : null,
    };
    store.articles.set(art.id, art);
    return created(ctx, 'articles', art.id, () => ({ article: articleView(store, art, false) }));
  }),

  route('PUT', '/articles/:id', (ctx, [id]) => {
    const art = articleOr404(ctx, id, false);
    const input = parseBody(ctx, updateBody);
    const { store } = ctx;
    const now = ctx.now();
    const collectionId = input.collectionId ?? art.collectionId;
    if (!store.collections.has(collectionId)) throw badRequest(`Collection not found: '${collectionId}'`);
    const name = input.name ?? art.name;
    if (input.name !== undefined || collectionId !== art.collectionId) checkUniqueName(ctx, collectionId, name, art.id);

    // Categories: omitted = unchanged (but kept only if still in the collection), null = Uncategorized.
    let categories = art.categories;
    if (input.categories !== undefined) {
      categories = resolveCategories(ctx, collectionId, input.categories);
    } else if (collectionId !== art.collectionId) {
      const kept = art.categories.filter((c) => store.categories.get(c)?.collectionId === collectionId);
      categories = resolveCategories(ctx, collectionId, kept);
    }
    const related = input.related !== undefined ? resolveRelated(ctx, art.id, input.related) : art.related;

    const wasPublished = art.status === 'published';
    const status = input.status ?? art.status;
    const textChanged = input.text !== undefined && input.text !== art.text;
    if (textChanged) {
      // Keep the text being replaced, credited to whoever wrote it and when.
      const revId = store.newId(now);
      store.revisions.set(revId, {
        id: revId, articleId: art.id, text: art.text,
        createdBy: art.updatedBy ?? art.createdBy, createdAt: art.updatedAt ?? art.createdAt,
      });
      art.text = input.text as string;
    }
    // Publishing, or changing the live text of a published article, makes the draft obsolete.
    const publishing = !wasPublished && status === 'published';
    if (publishing || (textChanged && status === 'published')) {
      art.draft = null;
      art.lastPublishedAt = iso(now);
    }

    art.collectionId = collectionId;
    art.name = name;
    art.status = status;
    if (input.slug !== undefined) art.slug = input.slug;
    art.categories = categories;
    art.related = related;
    if (input.keywords !== undefined) art.keywords = input.keywords ?? [];
    art.updatedBy = store.apiUser.id;
    art.updatedAt = nextTimestamp(art.updatedAt, now);
    return updated(ctx, () => ({ article: articleView(store, art, false) }));
  }),

  // A draft is a change to the article too, so it moves updatedAt.
  route('PUT', '/articles/:id/drafts', (ctx, [id]) => {
    const art = articleOr404(ctx, id, false);
    const input = parseBody(ctx, draftBody);
    art.draft = input.text;
    art.updatedBy = ctx.store.apiUser.id;
    art.updatedAt = nextTimestamp(art.updatedAt, ctx.now());
    return { status: 200 };
  }),

  route('DELETE', '/articles/:id/drafts', (ctx, [id]) => {
    const art = articleOr404(ctx, id, false);
    if (art.draft !== null) {
      art.draft = null;
      art.updatedBy = ctx.store.apiUser.id;
      art.updatedAt = nextTimestamp(art.updatedAt, ctx.now());
    }
    return { status: 200 };
  }),

  // Counting a view is not an edit: updatedAt stays.
  route('PUT', '/articles/:id/views', (ctx, [id]) => {
    const art = articleOr404(ctx, id, false);
    const input = parseBody(ctx, viewsBody);
    art.viewCount += input.count ?? 1;
    return { status: 200 };
  }),

  route('DELETE', '/articles/:id', (ctx, [id]) => {
    const art = articleOr404(ctx, id, false);
    ctx.store.deleteArticle(art.id);
    return { status: 200 };
  }),

  route('GET', '/articles/:id/revisions', (ctx, [id]) => {
    const art = articleOr404(ctx, id, false);
    const page = paginate(ctx.store.revisionsOf(art.id), pageParam(ctx), DEFAULT_PAGE_SIZE, (r) => revisionRefView(ctx.store, r));
    return { status: 200, body: { revisions: page } };
  }),

  route('GET', '/revisions/:id', (ctx, [id]) => {
    const rev = ctx.store.revisions.get(decode(id));
    if (!rev) throw notFound('Revision', decode(id));
    return { status: 200, body: { revision: revisionView(ctx.store, rev) } };
  }),
];
