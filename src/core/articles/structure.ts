// The folder skeleton of the `helpscout-docs` file system: sites, their
// collections and the collections' categories, cached for a short time so that
// `stat` and `readDirectory` (which VS Code calls often: explorer, search,
// quick open) cost no request most of the time. Articles are not cached here:
// they are listed per folder when VS Code reads a directory.
import type { ArticleContext, CategoryRef } from './document';
import { safeSegment } from './paths';
import type { DocsClient } from '../docs';

export interface SiteNode {
  id: string;
  /** The site's folder name: its sub-domain (or title, or id). */
  segment: string;
  /** Lower-case hosts of the public site (`<sub>.helpscoutdocs.com`, cname). */
  hosts: string[];
}

export interface CollectionNode {
  id: string;
  siteId: string;
  name: string;
  segment: string;
}

export interface CategoryNode {
  id: string;
  collectionId: string;
  name: string;
  slug: string;
  segment: string;
  /** The collection's "Uncategorized" category: its articles sit directly in the collection folder. */
  uncategorized: boolean;
}

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

/** The Uncategorized category: by slug, as the API names it. */
export function isUncategorized(c: { slug?: string | null | undefined; name: string }): boolean {
  return c.slug === 'uncategorized' || (c.slug == null && c.name.toLowerCase() === 'uncategorized');
}

export class DocsStructure {
  private sitesCache: Cached<SiteNode[]> | undefined;
  private readonly collectionsCache = new Map<string, Cached<CollectionNode[]>>();
  private readonly categoriesCache = new Map<string, Cached<CategoryNode[]>>();
  /** The last sites seen, for synchronous callers (the Markdown preview's link rewriter). */
  lastSites: SiteNode[] = [];

  constructor(
    private readonly client: () => DocsClient,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets everything: called when the connection changes or after a write that moves folders. */
  invalidate(): void {
    this.sitesCache = undefined;
    this.collectionsCache.clear();
    this.categoriesCache.clear();
  }

  sites(): Promise<SiteNode[]> {
    this.sitesCache = this.fresh(this.sitesCache, async () => {
      const sites = await this.client().listSites().toArray();
      const nodes = sites.map((s) => ({
        id: s.id,
        segment: safeSegment(s.subDomain ?? s.title ?? s.id),
        hosts: [s.subDomain ? `${s.subDomain}.helpscoutdocs.com` : '', s.cname ?? ''].filter((h) => h !== '').map((h) => h.toLowerCase()),
      }));
      this.lastSites = nodes;
      return nodes;
    });
    return this.sitesCache.value;
  }

  collections(siteId: string): Promise<CollectionNode[]> {
    const entry = this.fresh(this.collectionsCache.get(siteId), async () => {
      const cols = await this.client().listCollections({ siteId }).toArray();
      return cols.map((c) => ({ id: c.id, siteId, name: c.name, segment: safeSegment(c.name) }));
    });
    this.collectionsCache.set(siteId, entry);
    return entry.value;
  }

  categories(collectionId: string): Promise<CategoryNode[]> {
    const entry = this.fresh(this.categoriesCache.get(collectionId), async () => {
      const cats = await this.client().listCategories(collectionId).toArray();
      return cats.map((c) => ({
        id: c.id,
        collectionId,
        name: c.name,
        slug: c.slug ?? '',
        segment: safeSegment(c.name),
        uncategorized: isUncategorized(c),
      }));
    });
    this.categoriesCache.set(collectionId, entry);
    return entry.value;
  }

  /** The collection an id belongs to, with its site: used to build an article's path. */
  async findCollection(collectionId: string): Promise<{ site: SiteNode; collection: CollectionNode } | undefined> {
    for (const site of await this.sites()) {
      const collection = (await this.collections(site.id)).find((c) => c.id === collectionId);
      if (collection) return { site, collection };
    }
    return undefined;
  }

  /** Resolves folder segments (`[site, collection?, category?]`) to nodes; undefined when one does not exist. */
  async resolve(segments: readonly string[]): Promise<{ site?: SiteNode; collection?: CollectionNode; category?: CategoryNode } | undefined> {
    if (segments.length === 0) return {};
    const site = (await this.sites()).find((s) => s.segment === segments[0]);
    if (!site) return undefined;
    if (segments.length === 1) return { site };
    const collection = (await this.collections(site.id)).find((c) => c.segment === segments[1]);
    if (!collection) return undefined;
    if (segments.length === 2) return { site, collection };
    const category = (await this.categories(collection.id)).find((c) => !c.uncategorized && c.segment === segments[2]);
    if (!category || segments.length > 3) return undefined;
    return { site, collection, category };
  }

  /** What `articleToDocument` and `planArticleSave` need to know about a collection. */
  async context(collection: CollectionNode): Promise<ArticleContext> {
    const categories: CategoryRef[] = (await this.categories(collection.id)).map((c) => ({ id: c.id, name: c.name, slug: c.slug }));
    return { collectionName: collection.name, categories };
  }

  private fresh<T>(entry: Cached<T> | undefined, load: () => Promise<T>): Cached<T> {
    if (entry && this.now() - entry.at < this.ttlMs) return entry;
    const value = load();
    const created: Cached<T> = { at: this.now(), value };
    // A failed load is not cached: the next caller tries again.
    value.catch(() => {
      created.at = Number.NEGATIVE_INFINITY;
    });
    return created;
  }
}
