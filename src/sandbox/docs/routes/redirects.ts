// Redirects: list per site, get, lookup by URL (following chains), create,
// update and delete.
import { z } from 'zod';
import { iso } from '../store';
import type { Redirect, Site } from '../model';
import {
  badRequest, created, decode, nextTimestamp, notFound, pageParam, paginate, parseBody, route, updated,
  DEFAULT_PAGE_SIZE, type DocsContext, type Route,
} from './common';

const createBody = z.object({
  siteId: z.string().min(1),
  urlMapping: z.string().trim().min(1),
  redirect: z.string().trim().min(1),
});
const updateBody = createBody.partial();

/** The path of a URL or path, without query string or fragment: the form `urlMapping` is kept in. */
function pathOf(url: string): string {
  let path = url;
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) path = new URL(url).pathname;
  } catch {
    path = url;
  }
  path = path.replace(/[?#].*$/, '');
  return path.startsWith('/') ? path : `/${path}`;
}

function parseUrl(url: string, base?: string): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

/** What a target URL points at: an article, category or collection of the site, or anything else (custom). */
function classify(ctx: DocsContext, site: Site, target: string): Pick<Redirect, 'type' | 'documentId' | 'anchor'> {
  const { store } = ctx;
  const hash = target.indexOf('#');
  const anchor = hash >= 0 && hash < target.length - 1 ? target.slice(hash + 1) : null;
  const url = parseUrl(target);
  const onSite = url === null || url.host === store.siteHost(site) || url.host === `${site.subDomain}.helpscoutdocs.com`;
  const m = onSite ? /^\/(article|category|collection)\/(\d+)(?:-|$)/.exec(pathOf(target)) : null;
  if (m) {
    const kind = m[1] as 'article' | 'category' | 'collection';
    const n = Number(m[2]);
    const inSite = (collectionId: string) => store.collections.get(collectionId)?.siteId === site.id;
    const doc = kind === 'article'
      ? [...store.articles.values()].find((a) => a.number === n && inSite(a.collectionId))
      : kind === 'category'
        ? [...store.categories.values()].find((c) => c.number === n && inSite(c.collectionId))
        : [...store.collections.values()].find((c) => c.number === n && c.siteId === site.id);
    if (doc) return { type: kind, documentId: doc.id, anchor };
  }
  return { type: 'custom', documentId: null, anchor };
}

function checkFreeMapping(ctx: DocsContext, siteId: string, urlMapping: string, self: string | null): void {
  for (const r of ctx.store.redirects.values()) {
    if (r.siteId === siteId && r.urlMapping === urlMapping && r.id !== self) {
      throw badRequest(`A redirect for '${urlMapping}' already exists on this site`);
    }
  }
}

function redirectOr404(ctx: DocsContext, id: string | undefined): Redirect {
  const r = ctx.store.redirects.get(decode(id));
  if (!r) throw notFound('Redirect', decode(id));
  return r;
}

/** The slug and number of the document a redirect ends at (null for custom targets). */
function documentOf(ctx: DocsContext, r: Redirect): { slug: string | null; number: number | null } {
  const { store } = ctx;
  const doc = r.documentId === null ? undefined
    : r.type === 'article' ? store.articles.get(r.documentId)
      : r.type === 'category' ? store.categories.get(r.documentId)
        : r.type === 'collection' ? store.collections.get(r.documentId) : undefined;
  return doc ? { slug: doc.slug, number: doc.number } : { slug: null, number: null };
}

export const redirectRoutes: Route[] = [
  route('GET', '/redirects/site/:siteId', (ctx, [siteId]) => {
    const site = ctx.store.sites.get(decode(siteId));
    if (!site) throw notFound('Site', decode(siteId));
    const items = [...ctx.store.redirects.values()].filter((r) => r.siteId === site.id).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    const page = paginate(items, pageParam(ctx), DEFAULT_PAGE_SIZE, (r) => ({ ...r }));
    // Same open question as GET /sites: wrapped {"redirects":{…}} or unwrapped.
    return { status: 200, body: ctx.envelope === 'wrapped' ? { redirects: page } : page };
  }),

  // Lookup: which redirect serves this old URL, followed through any chain to its end.
  // No match is a 404 with the error envelope (the real reply is undocumented).
  route('GET', '/redirects', (ctx) => {
    const url = ctx.req.query.get('url');
    const siteId = ctx.req.query.get('siteId');
    if (!url) throw badRequest('url is required');
    if (!siteId) throw badRequest('siteId is required');
    const site = ctx.store.sites.get(siteId);
    if (!site) throw notFound('Site', siteId);
    const inSite = [...ctx.store.redirects.values()].filter((r) => r.siteId === site.id);
    const find = (path: string) => inSite.find((r) => r.urlMapping === path);
    let current = find(pathOf(url));
    if (!current) throw notFound('Redirect for URL', url);
    const seen = new Set<string>([current.id]);
    for (;;) {
      const target = parseUrl(current.redirect, `https://${ctx.store.siteHost(site)}`);
      const onSite = target !== null && (target.host === ctx.store.siteHost(site) || target.host === `${site.subDomain}.helpscoutdocs.com`);
      if (target === null || !onSite) break;
      const next = find(target.pathname);
      if (!next || seen.has(next.id)) break;
      seen.add(next.id);
      current = next;
    }
    const doc = documentOf(ctx, current);
    return {
      status: 200,
      body: { redirectedUrl: { type: current.type, redirect: current.redirect, slug: doc.slug, number: doc.number, anchor: current.anchor } },
    };
  }),

  route('GET', '/redirects/:id', (ctx, [id]) => ({ status: 200, body: { redirect: { ...redirectOr404(ctx, id) } } })),

  route('POST', '/redirects', (ctx) => {
    const input = parseBody(ctx, createBody);
    const { store } = ctx;
    const site = store.sites.get(input.siteId);
    if (!site) throw badRequest(`Site not found: '${input.siteId}'`);
    const urlMapping = pathOf(input.urlMapping);
    checkFreeMapping(ctx, site.id, urlMapping, null);
    const now = ctx.now();
    const r: Redirect = {
      id: store.newId(now),
      siteId: site.id,
      urlMapping,
      ...classify(ctx, site, input.redirect),
      redirect: input.redirect,
      createdBy: store.apiUser.id,
      modifiedBy: store.apiUser.id,
      createdAt: iso(now),
      modifiedAt: iso(now),
    };
    store.redirects.set(r.id, r);
    return created(ctx, 'redirects', r.id, () => ({ redirect: { ...r } }));
  }),

  route('PUT', '/redirects/:id', (ctx, [id]) => {
    const r = redirectOr404(ctx, id);
    const input = parseBody(ctx, updateBody);
    const site = ctx.store.sites.get(input.siteId ?? r.siteId);
    if (!site) throw badRequest(`Site not found: '${input.siteId ?? r.siteId}'`);
    const urlMapping = input.urlMapping !== undefined ? pathOf(input.urlMapping) : r.urlMapping;
    checkFreeMapping(ctx, site.id, urlMapping, r.id);
    const target = input.redirect ?? r.redirect;
    Object.assign(r, { siteId: site.id, urlMapping, redirect: target }, classify(ctx, site, target));
    r.modifiedBy = ctx.store.apiUser.id;
    r.modifiedAt = nextTimestamp(r.modifiedAt, ctx.now());
    return updated(ctx, () => ({ redirect: { ...r } }));
  }),

  route('DELETE', '/redirects/:id', (ctx, [id]) => {
    const r = redirectOr404(ctx, id);
    ctx.store.redirects.delete(r.id);
    return { status: 200 };
  }),
];
