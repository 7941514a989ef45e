// Collections: list (filter by site and visibility, sort), get by id or
// number, create, update (a new siteId moves the collection) and delete.
import { z } from 'zod';
import { iso, slugify } from '../store';
import type { CollectionRecord } from '../model';
import { collectionView } from '../views';
import {
  badRequest, created, decode, enumParam, nextTimestamp, notFound, pageParam, paginate, parseBody, route, sortItems,
  updated, DEFAULT_PAGE_SIZE, type DocsContext, type Route,
} from './common';

const visibility = z.enum(['public', 'private']);

const createBody = z.object({
  siteId: z.string().min(1),
  name: z.string().trim().min(1),
  visibility: visibility.optional(),
  order: z.number().int().optional(),
  description: z.string().max(45).nullable().optional(),
  slug: z.string().min(1).optional(),
});

const updateBody = createBody.partial();

function collectionOr404(ctx: DocsContext, ref: string | undefined, allowNumber: boolean): CollectionRecord {
  const col = ctx.store.findCollection(decode(ref), allowNumber);
  if (!col) throw notFound('Collection', decode(ref));
  return col;
}

export const collectionRoutes: Route[] = [
  route('GET', '/collections', (ctx) => {
    const siteId = ctx.req.query.get('siteId');
    const vis = enumParam(ctx, 'visibility', ['all', 'public', 'private'], 'all');
    const sort = enumParam(ctx, 'sort', ['order', 'number', 'visibility', 'name', 'createdAt', 'updatedAt'], 'order');
    const order = enumParam(ctx, 'order', ['asc', 'desc'], 'asc');
    const items = [...ctx.store.collections.values()].filter(
      (c) => (!siteId || c.siteId === siteId) && (vis === 'all' || c.visibility === vis),
    );
    sortItems(items, (c) => c[sort], order, (c) => c.number);
    const page = paginate(items, pageParam(ctx), DEFAULT_PAGE_SIZE, (c) => collectionView(ctx.store, c));
    return { status: 200, body: { collections: page } };
  }),

  route('GET', '/collections/:ref', (ctx, [ref]) => ({
    status: 200,
    body: { collection: collectionView(ctx.store, collectionOr404(ctx, ref, true)) },
  })),

  route('POST', '/collections', (ctx) => {
    const input = parseBody(ctx, createBody);
    const { store } = ctx;
    if (!store.sites.has(input.siteId)) throw badRequest(`Site not found: '${input.siteId}'`);
    const now = ctx.now();
    const siblings = [...store.collections.values()].filter((c) => c.siteId === input.siteId);
    const col: CollectionRecord = {
      id: store.newId(now),
      siteId: input.siteId,
      number: store.nextNumber('collection'),
      slug: input.slug ?? slugify(input.name),
      visibility: input.visibility ?? 'public',
      order: input.order ?? siblings.reduce((max, c) => Math.max(max, c.order), 0) + 1,
      name: input.name,
      description: input.description ?? null,
      createdBy: store.apiUser.id,
      updatedBy: null,
      createdAt: iso(now),
      updatedAt: null,
    };
    store.collections.set(col.id, col);
    // Help Scout gives every collection an "Uncategorized" category.
    store.uncategorized(col.id, now);
    return created(ctx, 'collections', col.id, () => ({ collection: collectionView(store, col) }));
  }),

  route('PUT', '/collections/:id', (ctx, [id]) => {
    const col = collectionOr404(ctx, id, false);
    const input = parseBody(ctx, updateBody);
    if (input.siteId !== undefined && !ctx.store.sites.has(input.siteId)) {
      throw badRequest(`Site not found: '${input.siteId}'`);
    }
    if (input.siteId !== undefined) col.siteId = input.siteId;
    if (input.name !== undefined) col.name = input.name;
    if (input.slug !== undefined) col.slug = input.slug;
    if (input.visibility !== undefined) col.visibility = input.visibility;
    if (input.order !== undefined) col.order = input.order;
    if (input.description !== undefined) col.description = input.description;
    col.updatedBy = ctx.store.apiUser.id;
    col.updatedAt = nextTimestamp(col.updatedAt, ctx.now());
    return updated(ctx, () => ({ collection: collectionView(ctx.store, col) }));
  }),

  route('DELETE', '/collections/:id', (ctx, [id]) => {
    const col = collectionOr404(ctx, id, false);
    const { store } = ctx;
    for (const a of store.articlesInCollection(col.id)) store.deleteArticle(a.id);
    for (const c of store.categoriesOf(col.id)) store.categories.delete(c.id);
    store.collections.delete(col.id);
    return { status: 200 };
  }),
];
