// The Docs data the sandbox serves, held in memory. The route handlers read
// and change it; tests read it directly to check what a write did.
import { Rng } from '../random';
import type {
  ArticleRecord, CategoryRecord, CollectionRecord, Person, Redirect, RevisionRecord, Site,
} from './model';
import * as views from './views';

type NumberedKind = 'collection' | 'category' | 'article';

/** ISO-8601 UTC without milliseconds, the form every Docs timestamp takes. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A URL slug from a name: "Reset your password" -> "reset-your-password", "Café crème" -> "cafe-creme". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    // Accents go with their letter rather than splitting the word ("crème" is "creme", not "cre-me").
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'untitled';
}

export class DocsStore {
  readonly sites = new Map<string, Site>();
  readonly collections = new Map<string, CollectionRecord>();
  readonly categories = new Map<string, CategoryRecord>();
  readonly articles = new Map<string, ArticleRecord>();
  readonly revisions = new Map<string, RevisionRecord>();
  readonly redirects = new Map<string, Redirect>();
  /** Users who appear as authors. The first one owns the API key, so writes are made in its name. */
  readonly users: Person[];

  private readonly idRng: Rng;
  private idCounter: number;
  private readonly lastNumber: Record<NumberedKind, number> = { collection: 0, category: 0, article: 0 };

  constructor(seed: number, users: Person[]) {
    if (users.length === 0) throw new Error('the Docs store needs at least one user');
    this.users = users;
    this.idRng = new Rng(seed ^ 0x5eed1d5);
    this.idCounter = this.idRng.int(0, 0xfffff);
  }

  /** The user the API key belongs to: every write through the API is recorded as theirs. */
  get apiUser(): Person {
    return this.users[0] as Person;
  }

  person(id: number): Person {
    return this.users.find((u) => u.id === id) ?? { id, firstName: 'Former', lastName: 'User' };
  }

  /**
   * A new 24-hex id in the shape of a Mongo ObjectId: creation time in seconds,
   * then random bytes, then a counter (so ids never repeat).
   */
  newId(at: Date): string {
    const seconds = Math.max(0, Math.floor(at.getTime() / 1000)) >>> 0;
    this.idCounter = (this.idCounter + 1) & 0xffffff;
    return seconds.toString(16).padStart(8, '0') + this.idRng.hex(10) + this.idCounter.toString(16).padStart(6, '0');
  }

  /** The next account-wide `number` for collections, categories or articles. */
  nextNumber(kind: NumberedKind): number {
    this.lastNumber[kind] += 1;
    return this.lastNumber[kind];
  }

  /** Keeps the number counters ahead of numbers given out by the seed. */
  noteNumber(kind: NumberedKind, n: number): void {
    this.lastNumber[kind] = Math.max(this.lastNumber[kind], n);
  }

  // Lookups. `ref` is a 24-hex id, or for the single-object GETs that allow it, a number.

  findCollection(ref: string, allowNumber = true): CollectionRecord | undefined {
    return findRecord(this.collections, ref, allowNumber);
  }

  findCategory(ref: string, allowNumber = true): CategoryRecord | undefined {
    return findRecord(this.categories, ref, allowNumber);
  }

  findArticle(ref: string, allowNumber = true): ArticleRecord | undefined {
    return findRecord(this.articles, ref, allowNumber);
  }

  /** Public host of a site: its custom domain when it has one. */
  siteHost(site: Site): string {
    return site.cname ?? `${site.subDomain}.helpscoutdocs.com`;
  }

  siteOfCollection(collectionId: string): Site | undefined {
    const col = this.collections.get(collectionId);
    return col ? this.sites.get(col.siteId) : undefined;
  }

  collectionUrl(col: CollectionRecord): string {
    return `${this.baseUrlOf(col.id)}/collection/${col.number}-${col.slug}`;
  }

  categoryUrl(cat: CategoryRecord): string {
    return `${this.baseUrlOf(cat.collectionId)}/category/${cat.number}-${cat.slug}`;
  }

  articleUrl(art: ArticleRecord): string {
    return `${this.baseUrlOf(art.collectionId)}/article/${art.number}-${art.slug}`;
  }

  private baseUrlOf(collectionId: string): string {
    const site = this.siteOfCollection(collectionId);
    return site ? `https://${this.siteHost(site)}` : 'https://docs.invalid';
  }

  articlesInCollection(collectionId: string): ArticleRecord[] {
    return [...this.articles.values()].filter((a) => a.collectionId === collectionId);
  }

  articlesInCategory(categoryId: string): ArticleRecord[] {
    return [...this.articles.values()].filter((a) => a.categories.includes(categoryId));
  }

  categoriesOf(collectionId: string): CategoryRecord[] {
    return [...this.categories.values()].filter((c) => c.collectionId === collectionId);
  }

  /**
   * The collection's "Uncategorized" category, created on first need. Articles
   * whose categories are set to null (or that are created without any) go here.
   */
  uncategorized(collectionId: string, at: Date): CategoryRecord {
    const existing = this.categoriesOf(collectionId).find((c) => c.uncategorized);
    if (existing) return existing;
    const others = this.categoriesOf(collectionId);
    const cat: CategoryRecord = {
      id: this.newId(at),
      number: this.nextNumber('category'),
      slug: 'uncategorized',
      visibility: 'public',
      collectionId,
      order: others.reduce((max, c) => Math.max(max, c.order), 0) + 1,
      defaultSort: 'popularity',
      name: 'Uncategorized',
      description: null,
      uncategorized: true,
      createdBy: this.apiUser.id,
      updatedBy: null,
      createdAt: iso(at),
      updatedAt: null,
    };
    this.categories.set(cat.id, cat);
    return cat;
  }

  /** Removes an article with its revisions, and drops it from other articles' related lists. */
  deleteArticle(id: string): void {
    this.articles.delete(id);
    for (const [revId, rev] of this.revisions) if (rev.articleId === id) this.revisions.delete(revId);
    for (const other of this.articles.values()) {
      if (other.related.includes(id)) other.related = other.related.filter((r) => r !== id);
    }
  }

  /** Revisions of one article, newest first. */
  revisionsOf(articleId: string): RevisionRecord[] {
    return [...this.revisions.values()]
      .filter((r) => r.articleId === articleId)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  // API-shaped views, handy for tests as well as routes.

  collection(ref: string) {
    const rec = this.findCollection(ref);
    return rec && views.collectionView(this, rec);
  }

  category(ref: string) {
    const rec = this.findCategory(ref);
    return rec && views.categoryView(this, rec);
  }

  article(ref: string) {
    const rec = this.findArticle(ref);
    return rec && views.articleView(this, rec, false);
  }
}

function findRecord<T extends { id: string; number: number }>(
  map: Map<string, T>, ref: string, allowNumber: boolean,
): T | undefined {
  const byId = map.get(ref);
  if (byId) return byId;
  if (allowNumber && /^\d{1,9}$/.test(ref)) {
    const n = Number(ref);
    for (const rec of map.values()) if (rec.number === n) return rec;
  }
  return undefined;
}
