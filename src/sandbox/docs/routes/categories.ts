// Categories: list per collection, get by id or number, create, update,
// reorder and delete.
import { z } from 'zod';
import { iso, slugify } from '../store';
import type { CategoryRecord } from '../model';
import { categoryView } from '../views';
import {
  badRequest, created, decode, enumParam, nextTimestamp, notFound, pageParam, paginate, parseBody, route, sortItems,
  updated, DEFAULT_PAGE_SIZE, type DocsContext, type Route,
} from './common';

const fields = {
  name: z.string().trim().min(1),
  slug: z.string().min(1).optional(),
  visibility: z.enum(['public', 'private']).optional(),
  order: z.number().int().optional(),
  defaultSort: z.enum(['popularity', 'name', 'updatedAt', 'custom']).optional(),
  description: z.string().nullable().optional(),
};

const createBody = z.object({ collectionId: z.string().min(1), ...fields });
const updateBody = z.object({ ...fields, name: fields.name.optional() });
const reorderBody = z.object({
  categories: z.array(z.object({ id: z.string().min(1), order: z.number().int() })),
});

function categoryOr404(ctx: DocsContext, ref: string | undefined, allowNumber: boolean): CategoryRecord {
  const cat = ctx.store.findCategory(decode(ref), allowNumber);
  if (!cat) throw notFound('Category', decode(ref));
  return cat;
}

function checkUniqueName(ctx: DocsContext, collectionId: string, name: string, self?: string): void {
  const clash = ctx.store.categoriesOf(collectionId).some((c) => c.id !== self && c.name.toLowerCase() === name.toLowerCase());
  if (clash) throw badRequest(`A category named '${name}' already exists in this collection`);
}

/**
 * The `reload=true` reply of Create Category. The official docs warn that
 * this one response gives `createdAt`/`updatedAt` as Unix epoch numbers
 * instead of ISO strings; it is reproduced here, and only here, so clients
 * are tested against it. Milliseconds are used (the Java-style serialisation
 * the warning most likely describes); clients should accept seconds too.
 */
function createdCategoryWithEpochTimestamps(view: ReturnType<typeof categoryView>) {
  const epoch = (value: string | null) => (value === null ? null : Date.parse(value));
  return { category: { ...view, createdAt: epoch(view.createdAt), updatedAt: epoch(view.updatedAt) } };
}

export const categoryRoutes: Route[] = [
  route('GET', '/collections/:id/categories', (ctx, [id]) => {
    const col = ctx.store.findCollection(decode(id), false);
    if (!col) throw notFound('Collection', decode(id));
    const sort = enumParam(ctx, 'sort', ['order', 'number', 'name', 'articleCount', 'createdAt', 'updatedAt'], 'order');
    const order = enumParam(ctx, 'order', ['asc', 'desc'], 'asc');
    const items = ctx.store.categoriesOf(col.id);
    const counts = new Map(items.map((c) => [c.id, ctx.store.articlesInCategory(c.id).length]));
    sortItems(items, (c) => (sort === 'articleCount' ? counts.get(c.id) ?? 0 : c[sort]), order, (c) => c.number);
    const page = paginate(items, pageParam(ctx), DEFAULT_PAGE_SIZE, (c) => categoryView(ctx.store, c));
    return { status: 200, body: { categories: page } };
  }),

  route('GET', '/categories/:ref', (ctx, [ref]) => ({
    status: 200,
    body: { category: categoryView(ctx.store, categoryOr404(ctx, ref, true)) },
  })),

  route('POST', '/categories', (ctx) => {
    const input = parseBody(ctx, createBody);
    const { store } = ctx;
    if (!store.collections.has(input.collectionId)) throw badRequest(`Collection not found: '${input.collectionId}'`);
    checkUniqueName(ctx, input.collectionId, input.name);
    const now = ctx.now();
    const cat: CategoryRecord = {
      id: store.newId(now),
      number: store.nextNumber('category'),
      slug: input.slug ?? slugify(input.name),
      visibility: input.visibility ?? 'public',
      collectionId: input.collectionId,
      order: input.order ?? 1,
      defaultSort: input.defaultSort ?? 'popularity',
      name: input.name,
      description: input.description ?? null,
      uncategorized: false,
      createdBy: store.apiUser.id,
      updatedBy: null,
      createdAt: iso(now),
      updatedAt: null,
    };
    store.categories.set(cat.id, cat);
    return created(ctx, 'categories', cat.id, () => createdCategoryWithEpochTimestamps(categoryView(store, cat)));
  }),

  route('PUT', '/categories/:id', (ctx, [id]) => {
    const cat = categoryOr404(ctx, id, false);
    const input = parseBody(ctx, updateBody);
    if (input.name !== undefined) {
      checkUniqueName(ctx, cat.collectionId, input.name, cat.id);
      cat.name = input.name;
    }
    if (input.slug !== undefined) cat.slug = input.slug;
    if (input.visibility !== undefined) cat.visibility = input.visibility;
    if (input.order !== undefined) cat.order = input.order;
    if (input.defaultSort !== undefined) cat.defaultSort = input.defaultSort;
    if (input.description !== undefined) cat.description = input.description;
    cat.updatedBy = ctx.store.apiUser.id;
    cat.updatedAt = nextTimestamp(cat.updatedAt, ctx.now());
    return updated(ctx, () => ({ category: categoryView(ctx.store, cat) }));
  }),

  // Reorder: only the listed categories change; all must belong to the collection.
  route('PUT', '/collections/:id/categories', (ctx, [id]) => {
    const col = ctx.store.findCollection(decode(id), false);
    if (!col) throw notFound('Collection', decode(id));
    const input = parseBody(ctx, reorderBody);
    const targets = input.categories.map(({ id: catId, order }) => {
      const cat = ctx.store.categories.get(catId);
      if (!cat || cat.collectionId !== col.id) throw badRequest(`Category not found in this collection: '${catId}'`);
      return { cat, order };
    });
    const now = ctx.now();
    for (const { cat, order } of targets) {
      if (cat.order === order) continue;
      cat.order = order;
      cat.updatedBy = ctx.store.apiUser.id;
      cat.updatedAt = nextTimestamp(cat.updatedAt, now);
    }
    return { status: 200 };
  }),

  // Articles left without a category move to the collection's Uncategorized one.
  route('DELETE', '/categories/:id', (ctx, [id]) => {
    const cat = categoryOr404(ctx, id, false);
    const { store } = ctx;
    store.categories.delete(cat.id);
    const now = ctx.now();
    for (const a of store.articlesInCategory(cat.id)) {
      a.categories = a.categories.filter((c) => c !== cat.id);
      if (a.categories.length === 0) a.categories = [store.uncategorized(a.collectionId, now).id];
    }
    return { status: 200 };
  }),
];
