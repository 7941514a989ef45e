// Links between Docs articles. Article bodies link to other articles by their
// public URL (`https://<site>.helpscoutdocs.com/article/<number>-<slug>`, or
// the same path on a custom domain). The Markdown keeps those URLs as they
// are; the preview calls `parseArticleUrl` to turn them into links to the
// article's file.

export interface ArticleUrl {
  /** The article's account-wide `number`. */
  number: number;
  /** The slug after the number, as written in the URL ("" when absent). */
  slug: string;
  /** Lower-case host, or "" for a site-relative link ("/article/12-x"). */
  host: string;
  /** The fragment without "#" ("" when absent). */
  anchor: string;
}

const ARTICLE_PATH = /^\/article\/([1-9][0-9]{0,9})(?:-([^/]*))?\/?$/;

/**
 * Reads an article link. `hosts` (lower case), when given, limits absolute
 * URLs to the account's sites (their `*.helpscoutdocs.com` host and cname).
 * Returns undefined for anything that is not a link to an article.
 */
export function parseArticleUrl(href: string, hosts?: readonly string[]): ArticleUrl | undefined {
  let url: URL;
  const relative = href.startsWith('/') && !href.startsWith('//');
  try {
    url = new URL(href, 'https://relative.invalid');
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (!relative && !/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  const host = relative ? '' : url.hostname.toLowerCase();
  if (!relative && hosts !== undefined && !hosts.includes(host)) return undefined;
  const m = ARTICLE_PATH.exec(url.pathname);
  if (m === null) return undefined;
  let slug = m[2] ?? '';
  try {
    slug = decodeURIComponent(slug);
  } catch {
    // Keep the slug as written when it is not valid percent-encoding.
  }
  return { number: Number(m[1]), slug, host, anchor: url.hash.replace(/^#/, '') };
}

/** The article number a public article URL points to, or undefined. */
export function articleNumberFromUrl(href: string, hosts?: readonly string[]): number | undefined {
  return parseArticleUrl(href, hosts)?.number;
}
