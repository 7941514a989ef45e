// The Docs API v1 objects as the sandbox keeps them. Field names follow the
// documented objects (helpscout-api.md §4.4). Records hold what is stored;
// values derived from other records (counts, publicUrl, hasDraft) are added
// when a record is turned into its API shape (see views.ts).

export type Visibility = 'public' | 'private';
export type ArticleStatus = 'published' | 'notpublished';
export type CategorySort = 'popularity' | 'name' | 'updatedAt' | 'custom';
export type RedirectType = 'article' | 'category' | 'collection' | 'custom';

/** A Help Scout user as revisions name their author. */
export interface Person {
  id: number;
  firstName: string;
  lastName: string;
}

/**
 * A Docs site. Stored in API shape: the documented Site fields plus the extra
 * fields seen in the PHP client's list fixture (colours, metaDescription,
 * includeMetadata, homePageContent).
 */
export interface Site {
  id: string;
  status: 'active' | 'inactive';
  subDomain: string;
  cname: string | null;
  hasPublicSite: boolean;
  companyName: string;
  title: string;
  logoUrl: string | null;
  logoWidth: number | null;
  logoHeight: number | null;
  favIconUrl: string | null;
  touchIconUrl: string | null;
  homeUrl: string | null;
  homeLinkText: string | null;
  homePageContent: string;
  bgColor: string | null;
  pageBgColor: string | null;
  headerBgColor: string | null;
  navTextColor: string | null;
  navActiveColor: string | null;
  linkColor: string | null;
  articleTextColor: string | null;
  description: string;
  metaDescription: string | null;
  includeMetadata: boolean;
  hasContactForm: boolean;
  mailboxId: number | null;
  contactEmail: string | null;
  styleSheetUrl: string | null;
  headerCode: string | null;
  createdBy: number;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface CollectionRecord {
  id: string;
  siteId: string;
  number: number;
  slug: string;
  visibility: Visibility;
  order: number;
  name: string;
  description: string | null;
  createdBy: number;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface CategoryRecord {
  id: string;
  number: number;
  slug: string;
  visibility: Visibility;
  collectionId: string;
  order: number;
  defaultSort: CategorySort;
  name: string;
  description: string | null;
  /** True for the collection's built-in "Uncategorized" category. */
  uncategorized: boolean;
  createdBy: number;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface ArticleRecord {
  id: string;
  number: number;
  collectionId: string;
  slug: string;
  status: ArticleStatus;
  name: string;
  /** The live (published or saved) HTML. */
  text: string;
  /** The pending draft HTML; `hasDraft` is `draft !== null`. */
  draft: string | null;
  /** Custom HTML/JS snippet shown with the article (the `code` field). */
  code: string | null;
  categories: string[];
  related: string[];
  keywords: string[];
  popularity: number;
  viewCount: number;
  /** Manual position used by `sort=order`; not part of the API object. */
  order: number;
  createdBy: number;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string | null;
  lastPublishedAt: string | null;
}

export interface RevisionRecord {
  id: string;
  articleId: string;
  /** The article text as it was before the change that created this revision. */
  text: string;
  /** Id of the user who wrote that text. */
  createdBy: number;
  createdAt: string;
}

/** A redirect, stored in API shape (note `modifiedAt`/`modifiedBy`, not `updated*`). */
export interface Redirect {
  id: string;
  siteId: string;
  urlMapping: string;
  type: RedirectType;
  documentId: string | null;
  anchor: string | null;
  redirect: string;
  createdBy: number;
  modifiedBy: number | null;
  createdAt: string;
  modifiedAt: string | null;
}

/** How many objects the seed creates. */
export interface DocsSizes {
  sites: number;
  collections: number;
  articles: number;
  redirects: number;
}

export const defaultSizes: DocsSizes = { sites: 2, collections: 6, articles: 300, redirects: 6 };
