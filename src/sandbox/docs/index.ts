// The sandbox's Docs API v1 module: seeded data plus the routes the real
// docsapi.helpscout.net/v1 serves. The sandbox server mounts the handler at
// /v1 after it has checked Basic auth and rate limits.
import type { ApiHandler, SandboxResponse } from '../types';
import { defaultSizes, type DocsSizes } from './model';
import { articleRoutes } from './routes/articles';
import { categoryRoutes } from './routes/categories';
import { collectionRoutes } from './routes/collections';
import { DocsError, decode, parseJsonBody, type DocsContext, type Route } from './routes/common';
import { redirectRoutes } from './routes/redirects';
import { siteRoutes } from './routes/sites';
import { seedDocs, seedUsers } from './seed';
import { DocsStore } from './store';

export { DocsStore, iso, slugify } from './store';
export * from './model';
export * as docsViews from './views';

/** Builds the store and fills it with the seeded data for `seed`. */
export function createDocsStore(opts: { seed: number; sizes?: Partial<DocsSizes> }): DocsStore {
  const sizes: DocsSizes = { ...defaultSizes, ...opts.sizes };
  const store = new DocsStore(opts.seed, seedUsers(opts.seed));
  seedDocs(store, opts.seed, sizes);
  return store;
}

export interface DocsApiOptions {
  now: () => Date;
  /**
   * How `GET /sites` and `GET /redirects/site/{id}` wrap their page:
   * `{"sites":{page,pages,count,items}}` or the bare page (an open question
   * in the API docs; clients must accept both).
   */
  envelope: 'wrapped' | 'unwrapped';
}

const routes: readonly Route[] = [...siteRoutes, ...collectionRoutes, ...categoryRoutes, ...articleRoutes, ...redirectRoutes];

/**
 * The request handler the server calls for each request below /v1. Returns
 * undefined when no route matches, so the server answers its own 404.
 */
export function createDocsApi(store: DocsStore, opts: DocsApiOptions): ApiHandler {
  return (req) => {
    const method = req.method.toUpperCase();
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(req.path);
      if (!m) continue;
      let body: Record<string, unknown> | undefined;
      const ctx: DocsContext = {
        store,
        req,
        now: opts.now,
        envelope: opts.envelope,
        body: () => (body ??= parseJsonBody(req.rawBody)),
      };
      try {
        return withJsonType(r.handle(ctx, m.slice(1).map((s) => decode(s))));
      } catch (err) {
        if (err instanceof DocsError) {
          return withJsonType({ status: err.status, body: { status: err.status, message: err.message } });
        }
        throw err;
      }
    }
    return undefined;
  };
}

function withJsonType(res: SandboxResponse): SandboxResponse {
  if (res.body === undefined) return res;
  return { ...res, headers: { 'Content-Type': 'application/json; charset=utf-8', ...res.headers } };
}
