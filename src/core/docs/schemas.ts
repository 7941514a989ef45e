// zod schemas for Docs API v1 responses. Objects are loose (unknown fields pass
// through). The quirks handled here:
//   - timestamps arrive as ISO strings or as Unix epoch numbers (the Create
//     Category example); both come out as ISO strings `YYYY-MM-DDTHH:MM:SSZ`;
//   - site ids are strings in the docs but numbers in one client's fixtures;
//     they come out as strings (so do collection `siteId`s);
//   - `updatedAt`/`updatedBy` (and most optional fields) may be null;
//   - lists are `{"<plural>":{page,pages,count,items}}`, but sites and
//     redirects may come unwrapped as `{page,pages,count,items}`: both parse;
//   - revisions' `createdBy` is a Person object; other objects' is a user id.

import { z } from 'zod';

const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();
const ids = z.array(z.string()).nullish();

/** Epoch seconds (or ms) to `YYYY-MM-DDTHH:MM:SSZ`. */
function epochToIso(n: number): string {
  const ms = Math.abs(n) < 1e12 ? n * 1000 : n;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A timestamp that may be an ISO string or an epoch number; always an ISO string after parsing. */
export const docsTimestamp = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? epochToIso(v) : v));
const ts = docsTimestamp.nullish();

/** A site id: string or number on the wire, string after parsing. */
export const siteIdSchema = z.union([z.string(), z.number()]).transform((v) => String(v));

export const personSchema = z.looseObject({ id: z.number(), firstName: str, lastName: str });

export const siteSchema = z.looseObject({
  id: siteIdSchema,
  status: str,
  subDomain: str,
  cname: str,
  hasPublicSite: bool,
  companyName: str,
  title: str,
  logoUrl: str,
  logoWidth: num,
  logoHeight: num,
  favIconUrl: str,
  touchIconUrl: str,
  homeUrl: str,
  homeLinkText: str,
  bgColor: str,
  description: str,
  hasContactForm: bool,
  mailboxId: num,
  contactEmail: str,
  styleSheetUrl: str,
  headerCode: str,
  createdBy: num,
  updatedBy: num,
  createdAt: ts,
  updatedAt: ts,
});

export const collectionSchema = z.looseObject({
  id: z.string(),
  siteId: siteIdSchema.nullish(),
  number: z.number(),
  slug: str,
  visibility: str,
  order: num,
  name: z.string(),
  description: str,
  publicUrl: str,
  articleCount: num,
  publishedArticleCount: num,
  createdBy: num,
  updatedBy: num,
  createdAt: ts,
  updatedAt: ts,
});

export const categorySchema = z.looseObject({
  id: z.string(),
  number: z.number(),
  slug: str,
  visibility: str,
  collectionId: z.string(),
  order: num,
  defaultSort: str,
  name: z.string(),
  description: str,
  articleCount: num,
  publishedArticleCount: num,
  publicUrl: str,
  createdBy: num,
  updatedBy: num,
  createdAt: ts,
  updatedAt: ts,
});

/** Article list items (no `text`). */
export const articleRefSchema = z.looseObject({
  id: z.string(),
  number: z.number(),
  collectionId: z.string(),
  slug: str,
  status: z.string(),
  hasDraft: bool,
  name: z.string(),
  publicUrl: str,
  popularity: num,
  viewCount: num,
  createdBy: num,
  updatedBy: num,
  createdAt: ts,
  updatedAt: ts,
  lastPublishedAt: ts,
});

/** A full article, from `GET /articles/{id}`. */
export const articleSchema = articleRefSchema.extend({
  text: z.string(),
  /** Custom HTML/JS snippet (seen in fixtures). */
  code: str,
  categories: ids,
  related: ids,
  keywords: z.array(z.string()).nullish(),
});

export const articleSearchSchema = z.looseObject({
  id: z.string(),
  collectionId: z.string(),
  categoryIds: ids,
  slug: str,
  name: z.string(),
  preview: str,
  url: str,
  docsUrl: str,
  number: z.number(),
  status: str,
  visibility: str,
});

export const revisionRefSchema = z.looseObject({
  id: z.string(),
  articleId: z.string(),
  /** A Person here, though tolerated as a bare user id. */
  createdBy: z.union([personSchema, z.number()]).nullish(),
  createdAt: ts,
});

export const revisionSchema = revisionRefSchema.extend({ text: z.string() });

/** Redirects say `modified*` where other objects say `updated*`. */
export const redirectSchema = z.looseObject({
  id: z.string(),
  siteId: siteIdSchema.nullish(),
  urlMapping: z.string(),
  type: str,
  documentId: str,
  anchor: str,
  redirect: str,
  createdBy: num,
  modifiedBy: num,
  createdAt: ts,
  modifiedAt: ts,
});

/** The answer of `GET /redirects?url=…&siteId=…`. */
export const redirectedUrlSchema = z.looseObject({
  type: str,
  redirect: z.string(),
  slug: str,
  number: num,
  anchor: str,
});

/** `POST /assets/article` and `/assets/settings` answer this, unwrapped. */
export const assetUploadSchema = z.looseObject({
  filelink: z.string(),
  filename: str,
  width: num,
  height: num,
});

export const restrictionSchema = z.looseObject({
  enabled: bool,
  authentication: str,
  callbackConfiguration: z.looseObject({ signInUrl: str, sharedSecret: str }).nullish(),
});

export const docsPageSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    page: z.number(),
    pages: z.number(),
    count: z.number(),
    items: z.array(item).nullish(),
  });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A list, wrapped as `{"<key>":{page,pages,count,items}}` or unwrapped. An
 * unwrapped body is wrapped before parsing, so drift paths always read
 * `<key>.items[n].field` (shown as `<key>[n].field`).
 */
export function docsListSchema<K extends string, T extends z.ZodType>(key: K, item: T) {
  const inner = docsPageSchema(item);
  return z.preprocess(
    (v) => (isRecord(v) && !(key in v) && ('items' in v || 'pages' in v) ? { [key]: v } : v),
    z.looseObject({ [key]: inner } as Record<K, typeof inner>),
  );
}

/** A single object, `{"<key>":{…}}`; a bare object (with an `id`) is tolerated too. */
export function docsItemSchema<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.preprocess(
    (v) => (isRecord(v) && !(key in v) && 'id' in v ? { [key]: v } : v),
    z.looseObject({ [key]: item } as Record<K, T>),
  );
}

export type Person = z.output<typeof personSchema>;
export type Site = z.output<typeof siteSchema>;
export type Collection = z.output<typeof collectionSchema>;
export type Category = z.output<typeof categorySchema>;
export type ArticleRef = z.output<typeof articleRefSchema>;
export type Article = z.output<typeof articleSchema>;
export type ArticleSearch = z.output<typeof articleSearchSchema>;
export type RevisionRef = z.output<typeof revisionRefSchema>;
export type Revision = z.output<typeof revisionSchema>;
export type Redirect = z.output<typeof redirectSchema>;
export type RedirectedUrl = z.output<typeof redirectedUrlSchema>;
export type AssetUpload = z.output<typeof assetUploadSchema>;
export type SiteRestriction = z.output<typeof restrictionSchema>;
