// The typed Docs API v1 client. Auth is HTTP Basic with the API key as user
// and `X` as password, supplied through the HttpClient's injected headers
// function (`docsApiKeyAuth`). Lists return `Paged<T>`; creates return the new
// id from the last segment of `Location` (and the object when `reload` is
// asked for); updates and deletes accept 200 or 204, with or without a body.

import type { z } from 'zod';
import { SchemaDriftError } from '../errors';
import {
  HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type HttpResponse,
  type QueryParams,
  RateGovernor,
  type RateGovernorOptions,
  locationLastSegment,
  parseBody,
} from '../http';
import { type Page, Paged } from '../http/paging';
import {
  type Article,
  type ArticleRef,
  type ArticleSearch,
  articleRefSchema,
  articleSchema,
  articleSearchSchema,
  type Category,
  categorySchema,
  type Collection,
  collectionSchema,
  docsItemSchema,
  docsListSchema,
  type Redirect,
  type RedirectedUrl,
  redirectedUrlSchema,
  redirectSchema,
  type Revision,
  type RevisionRef,
  revisionRefSchema,
  revisionSchema,
  type Site,
  type SiteRestriction,
  restrictionSchema,
  siteSchema,
} from './schemas';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export type SortOrder = 'asc' | 'desc';
export type ArticleStatusFilter = 'all' | 'published' | 'notpublished';

export interface CollectionFilters {
  readonly siteId?: string;
  readonly visibility?: 'all' | 'public' | 'private';
  readonly sort?: 'order' | 'number' | 'visibility' | 'name' | 'createdAt' | 'updatedAt';
  readonly order?: SortOrder;
}

export interface CategoryFilters {
  readonly sort?: 'order' | 'number' | 'name' | 'articleCount' | 'createdAt' | 'updatedAt';
  readonly order?: SortOrder;
}

export interface ArticleListFilters {
  readonly status?: ArticleStatusFilter;
  readonly sort?: 'order' | 'number' | 'status' | 'name' | 'popularity' | 'createdAt' | 'updatedAt';
  /** The API's default here is `desc` (collections and categories default to `asc`). */
  readonly order?: SortOrder;
  /** Up to 100; the API's default is 50. */
  readonly pageSize?: number;
}

/** Where articles are listed from: a collection or a category. */
export type ArticleParent = { readonly collectionId: string } | { readonly categoryId: string };

export interface ArticleSearchFilters {
  readonly query: string;
  readonly collectionId?: string;
  readonly siteId?: string;
  readonly status?: ArticleStatusFilter;
  readonly visibility?: 'all' | 'public' | 'private';
}

export interface CollectionInput {
  readonly siteId?: string;
  readonly name?: string;
  readonly visibility?: 'public' | 'private';
  readonly order?: number;
  readonly description?: string;
}

export interface CategoryInput {
  readonly collectionId?: string;
  readonly name?: string;
  readonly slug?: string;
  readonly visibility?: 'public' | 'private';
  readonly order?: number;
  readonly defaultSort?: 'popularity' | 'name' | 'updatedAt' | 'custom';
}

export interface ArticleInput {
  readonly collectionId?: string;
  readonly name?: string;
  /** HTML. */
  readonly text?: string;
  readonly status?: 'published' | 'notpublished';
  readonly slug?: string;
  /** `null` moves the article to Uncategorized; leaving it out keeps the categories. */
  readonly categories?: readonly string[] | null;
  readonly related?: readonly string[];
  readonly keywords?: readonly string[];
}

export interface RedirectInput {
  readonly siteId: string;
  readonly urlMapping: string;
  readonly redirect: string;
}

export interface SiteInput {
  readonly subDomain?: string;
  readonly title?: string;
  readonly companyName?: string;
  readonly [key: string]: unknown;
}

export interface Created<T> {
  readonly id: string;
  /** The saved object, when `reload` was asked for and the server sent it. */
  readonly object: T | undefined;
}

/** Auth headers for the Docs API: Basic with the key as user and `X` as password. */
export function docsApiKeyAuth(getKey: () => string | Promise<string>): () => Promise<Record<string, string>> {
  return async () => {
    const key = await getKey();
    return { Authorization: `Basic ${Buffer.from(`${key}:X`, 'utf8').toString('base64')}` };
  };
}

/** The rate governor for one Docs account: a 10-minute window, all requests cost 1. */
export function createDocsGovernor(options: RateGovernorOptions = {}): RateGovernor {
  return new RateGovernor({ name: 'docs', windowMs: 600_000, writeCost: 1, ...options });
}

/** The new id: the last path segment of `Location`. */
export function createdDocsId(res: HttpResponse): string {
  const seg = locationLastSegment(res.headers.get('location'));
  if (seg === undefined) {
    throw new SchemaDriftError(res.endpoint, [{ path: '(headers)', message: 'no Location with an id' }], {
      method: res.endpoint.split(' ')[0] ?? '',
      url: res.url,
    });
  }
  return seg;
}

export class DocsClient {
  constructor(readonly http: HttpClient) {}

  static create(options: HttpClientOptions): DocsClient {
    return new DocsClient(new HttpClient(options));
  }

  // Sites

  listSites(opts: CallOptions = {}): Paged<Site> {
    return this.list('GET /sites', '/sites', 'sites', siteSchema, {}, opts);
  }

  getSite(id: string, opts: CallOptions = {}): Promise<Site> {
    return this.item('GET /sites/{id}', `/sites/${enc(id)}`, 'site', siteSchema, {}, opts);
  }

  async createSite(body: SiteInput, opts: CallOptions & { readonly reload?: boolean } = {}): Promise<Created<Site>> {
    return this.create('POST /sites', '/sites', 'site', siteSchema, body, opts);
  }

  updateSite(id: string, body: SiteInput, opts: CallOptions & { readonly reload?: boolean } = {}): Promise<Site | undefined> {
    return this.update('PUT /sites/{id}', `/sites/${enc(id)}`, 'site', siteSchema, body, opts);
  }

  deleteSite(id: string, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /sites/{id}', `/sites/${enc(id)}`, undefined, opts);
  }

  async getSiteRestriction(id: string, opts: CallOptions = {}): Promise<SiteRestriction> {
    const res = await this.http.send({ method: 'GET', path: `/sites/${enc(id)}/restricted`, endpoint: 'GET /sites/{id}/restricted', ...sig(opts) });
    return parseBody(res, restrictionSchema);
  }

  // Collections

  listCollections(filters: CollectionFilters = {}, opts: CallOptions = {}): Paged<Collection> {
    return this.list(
      'GET /collections',
      '/collections',
      'collections',
      collectionSchema,
      { siteId: filters.siteId, visibility: filters.visibility, sort: filters.sort, order: filters.order },
      opts,
    );
  }

  getCollection(idOrNumber: string | number, opts: CallOptions = {}): Promise<Collection> {
    return this.item('GET /collections/{id}', `/collections/${enc(idOrNumber)}`, 'collection', collectionSchema, {}, opts);
  }

  createCollection(body: CollectionInput, opts: CallOptions & { readonly reload?: boolean } = {}): Promise<Created<Collection>> {
    return this.create('POST /collections', '/collections', 'collection', collectionSchema, body, opts);
  }

  /** Giving another `siteId` moves the collection. */
  updateCollection(
    id: string,
    body: CollectionInput,
    opts: CallOptions & { readonly reload?: boolean } = {},
  ): Promise<Collection | undefined> {
    return this.update('PUT /collections/{id}', `/collections/${enc(id)}`, 'collection', collectionSchema, body, opts);
  }

  deleteCollection(id: string, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /collections/{id}', `/collections/${enc(id)}`, undefined, opts);
  }

  // Categories

  listCategories(collectionId: string, filters: CategoryFilters = {}, opts: CallOptions = {}): Paged<Category> {
    return this.list(
      'GET /collections/{id}/categories',
      `/collections/${enc(collectionId)}/categories`,
      'categories',
      categorySchema,
      { sort: filters.sort, order: filters.order },
      opts,
    );
  }

  getCategory(idOrNumber: string | number, opts: CallOptions = {}): Promise<Category> {
    return this.item('GET /categories/{id}', `/categories/${enc(idOrNumber)}`, 'category', categorySchema, {}, opts);
  }

  createCategory(body: CategoryInput, opts: CallOptions & { readonly reload?: boolean } = {}): Promise<Created<Category>> {
    return this.create('POST /categories', '/categories', 'category', categorySchema, body, opts);
  }

  updateCategory(id: string, body: CategoryInput, opts: CallOptions & { readonly reload?: boolean } = {}): Promise<Category | undefined> {
    return this.update('PUT /categories/{id}', `/categories/${enc(id)}`, 'category', categorySchema, body, opts);
  }

  /** Sets the order of categories in a collection. */
  reorderCategories(
    collectionId: string,
    order: readonly { readonly id: string; readonly order: number }[],
    opts: CallOptions = {},
  ): Promise<void> {
    return this.write(
      'PUT',
      'PUT /collections/{id}/categories',
      `/collections/${enc(collectionId)}/categories`,
      { categories: order },
      opts,
    );
  }

  deleteCategory(id: string, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /categories/{id}', `/categories/${enc(id)}`, undefined, opts);
  }

  // Articles

  listArticles(parent: ArticleParent, filters: ArticleListFilters = {}, opts: CallOptions = {}): Paged<ArticleRef> {
    const [endpoint, path] =
      'collectionId' in parent
        ? ['GET /collections/{id}/articles', `/collections/${enc(parent.collectionId)}/articles`]
        : ['GET /categories/{id}/articles', `/categories/${enc(parent.categoryId)}/articles`];
    return this.list(
      endpoint,
      path,
      'articles',
      articleRefSchema,
      { status: filters.status, sort: filters.sort, order: filters.order, pageSize: filters.pageSize },
      opts,
    );
  }

  /** By id or number; `draft: true` returns the draft version when one exists. */
  getArticle(idOrNumber: string | number, opts: CallOptions & { readonly draft?: boolean } = {}): Promise<Article> {
    return this.item(
      'GET /articles/{id}',
      `/articles/${enc(idOrNumber)}`,
      'article',
      articleSchema,
      { draft: opts.draft === true ? 'true' : undefined },
      opts,
    );
  }

  searchArticles(filters: ArticleSearchFilters, opts: CallOptions = {}): Paged<ArticleSearch> {
    return this.list(
      'GET /search/articles',
      '/search/articles',
      'articles',
      articleSearchSchema,
      {
        query: filters.query,
        collectionId: filters.collectionId,
        siteId: filters.siteId,
        status: filters.status,
        visibility: filters.visibility,
      },
      opts,
    );
  }

  createArticle(body: ArticleInput, opts: CallOptions & { readonly reload?: boolean } = {}): Promise<Created<Article>> {
    return this.create('POST /articles', '/articles', 'article', articleSchema, body, opts);
  }

  /** Resolves to the saved article when `reload` is set (and the server sent it), else undefined. */
  updateArticle(id: string, body: ArticleInput, opts: CallOptions & { readonly reload?: boolean } = {}): Promise<Article | undefined> {
    return this.update('PUT /articles/{id}', `/articles/${enc(id)}`, 'article', articleSchema, body, opts);
  }

  /** Creates or replaces the article's draft. */
  saveDraft(id: string, text: string, opts: CallOptions = {}): Promise<void> {
    return this.write('PUT', 'PUT /articles/{id}/drafts', `/articles/${enc(id)}/drafts`, { text }, opts);
  }

  deleteDraft(id: string, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /articles/{id}/drafts', `/articles/${enc(id)}/drafts`, undefined, opts);
  }

  deleteArticle(id: string, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /articles/{id}', `/articles/${enc(id)}`, undefined, opts);
  }

  /** Adds `count` views (default 1). */
  addArticleViews(id: string, count = 1, opts: CallOptions = {}): Promise<void> {
    return this.write('PUT', 'PUT /articles/{id}/views', `/articles/${enc(id)}/views`, { count }, opts);
  }

  listRevisions(articleId: string, opts: CallOptions = {}): Paged<RevisionRef> {
    return this.list(
      'GET /articles/{id}/revisions',
      `/articles/${enc(articleId)}/revisions`,
      'revisions',
      revisionRefSchema,
      {},
      opts,
    );
  }

  getRevision(id: string, opts: CallOptions = {}): Promise<Revision> {
    return this.item('GET /revisions/{id}', `/revisions/${enc(id)}`, 'revision', revisionSchema, {}, opts);
  }

  listRelatedArticles(articleId: string, filters: ArticleListFilters = {}, opts: CallOptions = {}): Paged<ArticleRef> {
    return this.list(
      'GET /articles/{id}/related',
      `/articles/${enc(articleId)}/related`,
      'articles',
      articleRefSchema,
      { status: filters.status, sort: filters.sort, order: filters.order },
      opts,
    );
  }

  // Redirects

  listRedirects(siteId: string, opts: CallOptions = {}): Paged<Redirect> {
    return this.list('GET /redirects/site/{siteId}', `/redirects/site/${enc(siteId)}`, 'redirects', redirectSchema, {}, opts);
  }

  getRedirect(id: string, opts: CallOptions = {}): Promise<Redirect> {
    return this.item('GET /redirects/{id}', `/redirects/${enc(id)}`, 'redirect', redirectSchema, {}, opts);
  }

  /**
   * Where a site path redirects to (chains followed by the server). Resolves to
   * undefined when nothing matches: the exact "no match" answer is not
   * documented, so a 404, an empty body and a null `redirectedUrl` all mean that.
   */
  async lookupRedirect(url: string, siteId: string, opts: CallOptions = {}): Promise<RedirectedUrl | undefined> {
    const res = await this.http.send({
      method: 'GET',
      path: '/redirects',
      query: { url, siteId },
      endpoint: 'GET /redirects?url',
      acceptStatus: [404],
      ...sig(opts),
    });
    if (res.status === 404 || res.text.trim() === '') return undefined;
    const body = parseBody(res, docsItemSchema('redirectedUrl', redirectedUrlSchema.nullable()));
    return body.redirectedUrl ?? undefined;
  }

  async createRedirect(body: RedirectInput, opts: CallOptions = {}): Promise<string> {
    return (await this.create('POST /redirects', '/redirects', 'redirect', redirectSchema, body, opts)).id;
  }

  async updateRedirect(id: string, body: RedirectInput, opts: CallOptions = {}): Promise<void> {
    await this.write('PUT', 'PUT /redirects/{id}', `/redirects/${enc(id)}`, body, opts);
  }

  deleteRedirect(id: string, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /redirects/{id}', `/redirects/${enc(id)}`, undefined, opts);
  }

  // --- plumbing ------------------------------------------------------------------

  /** A Docs list as a `Paged<T>`: `page`/`pages`/`count` become number/totalPages/totalElements. */
  list<K extends string, T extends z.ZodType>(
    endpoint: string,
    path: string,
    key: K,
    item: T,
    query: QueryParams,
    opts: CallOptions,
  ): Paged<z.output<T>> {
    const schema = docsListSchema(key, item);
    return new Paged<z.output<T>>(async (n, signal) => {
      const body = (await this.http.json(
        { method: 'GET', path, query: { ...query, page: n }, endpoint, ...(signal ? { signal } : {}) },
        schema,
      )) as Record<K, { page: number; pages: number; count: number; items?: z.output<T>[] | null }>;
      const p = body[key];
      const result: Page<z.output<T>> = {
        items: p.items ?? [],
        page: { number: p.page, totalPages: p.pages, totalElements: p.count },
        hasNext: p.page < p.pages,
      };
      return result;
    }, opts.signal);
  }

  private async item<K extends string, T extends z.ZodType>(
    endpoint: string,
    path: string,
    key: K,
    schema: T,
    query: QueryParams,
    opts: CallOptions,
  ): Promise<z.output<T>> {
    const body = (await this.http.json({ method: 'GET', path, query, endpoint, ...sig(opts) }, docsItemSchema(key, schema))) as Record<
      K,
      z.output<T>
    >;
    return body[key];
  }

  private async create<K extends string, T extends z.ZodType>(
    endpoint: string,
    path: string,
    key: K,
    schema: T,
    body: unknown,
    opts: CallOptions & { readonly reload?: boolean },
  ): Promise<Created<z.output<T>>> {
    // `reload` goes as a query parameter, the form most clients use.
    const res = await this.http.send({
      method: 'POST',
      path,
      json: body,
      query: { reload: opts.reload === true ? 'true' : undefined },
      endpoint,
      ...sig(opts),
    });
    const object = opts.reload === true && res.text.trim() !== '' ? this.unwrap(res, key, schema) : undefined;
    let id: string;
    try {
      id = createdDocsId(res);
    } catch (e) {
      // Without a Location, a reloaded object still tells the id.
      const objectId = (object as { id?: unknown } | undefined)?.id;
      if (typeof objectId !== 'string') throw e;
      id = objectId;
    }
    return { id, object };
  }

  private async update<K extends string, T extends z.ZodType>(
    endpoint: string,
    path: string,
    key: K,
    schema: T,
    body: unknown,
    opts: CallOptions & { readonly reload?: boolean },
  ): Promise<z.output<T> | undefined> {
    const res = await this.http.send({
      method: 'PUT',
      path,
      json: body,
      query: { reload: opts.reload === true ? 'true' : undefined },
      endpoint,
      ...sig(opts),
    });
    return opts.reload === true && res.text.trim() !== '' ? this.unwrap(res, key, schema) : undefined;
  }

  private unwrap<K extends string, T extends z.ZodType>(res: HttpResponse, key: K, schema: T): z.output<T> {
    return (parseBody(res, docsItemSchema(key, schema)) as Record<K, z.output<T>>)[key];
  }

  private async write(method: HttpMethod, endpoint: string, path: string, body: unknown, opts: CallOptions): Promise<void> {
    // 200 or 204, with or without a body: any 2xx is success.
    await this.http.send({ method, path, endpoint, ...(body === undefined ? {} : { json: body }), ...sig(opts) });
  }
}

function enc(v: string | number): string {
  return encodeURIComponent(String(v));
}

function sig(opts: CallOptions): { signal?: AbortSignal } {
  return opts.signal ? { signal: opts.signal } : {};
}
