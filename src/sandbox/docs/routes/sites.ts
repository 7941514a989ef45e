// Sites: GET /sites and GET /sites/{id}.
import { decode, notFound, pageParam, paginate, route, DEFAULT_PAGE_SIZE, type Route } from './common';

export const siteRoutes: Route[] = [
  route('GET', '/sites', (ctx) => {
    const sites = [...ctx.store.sites.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    const page = paginate(sites, pageParam(ctx), DEFAULT_PAGE_SIZE, (s) => ({ ...s }));
    // Open question: the official example shows this list unwrapped, one
    // client's fixtures expect {"sites":{…}}. The host picks; both are served.
    return { status: 200, body: ctx.envelope === 'wrapped' ? { sites: page } : page };
  }),

  route('GET', '/sites/:id', (ctx, [id]) => {
    const site = ctx.store.sites.get(decode(id));
    if (!site) throw notFound('Site', decode(id));
    return { status: 200, body: { site: { ...site } } };
  }),
];
