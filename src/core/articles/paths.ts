// Where an article lives in the `helpscout-docs` file system:
// `/<site>/<collection>/<category>/<slug>-<id>.md`, or
// `/<site>/<collection>/<slug>-<id>.md` for an article without a category.
// The id in the file name ties the file to its article, so the provider can
// read the article from a path without looking names up. Names become safe
// path segments: no "/" or "\", no control characters, still readable.
import type { ArticleContext } from './document';

export interface ArticlePath {
  /** The site's segment (its sub-domain, say). */
  site: string;
  collection: string;
  /** null: directly under the collection. */
  category: string | null;
  slug: string;
  id: string;
}

/**
 * A name as one path segment: "/" and "\" become "-", control characters go,
 * runs of whitespace become one space, and the ends are trimmed (also of
 * dots, which some file systems drop). Never empty, never "." or "..".
 */
export function safeSegment(name: string): string {
  const s = name
    .replace(/[/\\]/g, '-')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[. ]+|[. ]+$/g, '');
  return s === '' ? '_' : s;
}

/**
 * A slug from a name, the way Help Scout makes one: accents dropped, lower-case
 * ASCII letters and digits, everything else one "-" ("Café crème" -> "cafe-creme").
 * Used for the slug a rename sends; the file name itself always shows the
 * server's slug, and the id after it, not the slug, identifies the article.
 */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const ID = /^[A-Za-z0-9]+$/;

/** The file name part: `<slug>-<id>.md`. The id must be letters and digits only. */
function fileName(slug: string, id: string): string {
  if (!ID.test(id)) throw new TypeError(`article id "${id}" is not letters and digits`);
  return `${safeSegment(slug)}-${id}.md`;
}

/** Builds the path for an article; names are made safe with `safeSegment`. */
export function buildArticlePath(p: ArticlePath): string {
  const dirs = [p.site, p.collection, ...(p.category === null ? [] : [p.category])].map(safeSegment);
  return `/${[...dirs, fileName(p.slug, p.id)].join('/')}`;
}

/** Reads a path built by `buildArticlePath`; undefined for anything else (folders included). */
export function parseArticlePath(path: string): ArticlePath | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = path.slice(1).split('/');
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  if (parts.some((s) => s === '' || s !== safeSegment(s))) return undefined;
  const m = /^(.+)-([A-Za-z0-9]+)\.md$/.exec(parts[parts.length - 1] as string);
  if (m === null) return undefined;
  const [site, collection] = parts as [string, string];
  return {
    site,
    collection,
    category: parts.length === 4 ? (parts[2] as string) : null,
    slug: m[1] as string,
    id: m[2] as string,
  };
}

/**
 * The category folder for an article: its first category that is not the
 * collection's Uncategorized one, or null when it has none.
 */
export function categoryForPath(categoryIds: readonly string[], context: ArticleContext): string | null {
  for (const id of categoryIds) {
    const cat = context.categories.find((c) => c.id === id);
    if (cat !== undefined && cat.slug !== 'uncategorized') return cat.name;
  }
  return null;
}
