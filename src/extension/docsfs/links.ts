// Links between articles in VS Code's Markdown preview. The built-in Markdown
// extension calls `extendMarkdownIt` (returned from `activate`, declared by
// `markdown.markdownItPlugins` in package.json) once; from then on each render
// passes every link through here. A link to a Docs article's public URL
// (`https://<site>.helpscoutdocs.com/article/<number>-<slug>`) becomes a link
// to that article's `helpscout-docs:` file when the file is known.
import { posix } from 'node:path';
import type MarkdownItFactory from 'markdown-it';
import type * as vscode from 'vscode';
import { parseArticleUrl } from '../../core/articles';

/** The markdown-it instance VS Code's Markdown extension hands to plugins. */
export type MarkdownIt = InstanceType<typeof MarkdownItFactory>;

export interface LinkResolver {
  /** Lower-case hosts of the account's sites, when known. */
  hosts(): readonly string[];
  /** The file of article `number`, when known. */
  target(number: number): vscode.Uri | undefined;
}

/**
 * The href to use instead of `href`, or undefined to keep it. From a
 * `helpscout-docs:` document the link is relative (the preview opens relative
 * links itself, in the document's own file system); otherwise it is the full URI.
 */
export function rewriteArticleLink(href: string, resolver: LinkResolver, from: vscode.Uri | undefined): string | undefined {
  const hosts = resolver.hosts();
  const link = parseArticleUrl(href, hosts.length > 0 ? hosts : undefined);
  if (!link) return undefined;
  const target = resolver.target(link.number);
  if (!target) return undefined;
  const anchor = link.anchor ? `#${link.anchor}` : '';
  if (from && from.scheme === target.scheme && from.authority === target.authority) {
    const rel = posix.relative(posix.dirname(from.path), target.path);
    return `${rel.split('/').map(encodeURIComponent).join('/')}${anchor}`;
  }
  return `${target.toString()}${anchor}`;
}

/** The markdown-it plugin: rewrites article links while rendering. */
export function docsLinksPlugin(md: MarkdownIt, resolver: LinkResolver): MarkdownIt {
  const previous = md.renderer.rules['link_open'];
  md.renderer.rules['link_open'] = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const href = token?.attrGet('href');
    if (token && href) {
      const from = (env as { currentDocument?: unknown } | undefined)?.currentDocument as vscode.Uri | undefined;
      const rewritten = rewriteArticleLink(String(href), resolver, from && typeof from === 'object' && 'scheme' in from ? from : undefined);
      if (rewritten !== undefined) {
        token.attrSet('href', rewritten);
        // The preview resolves `data-href` before `href` when it is present.
        if (token.attrGet('data-href') !== null) token.attrSet('data-href', rewritten);
      }
    }
    return previous ? previous(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
  return md;
}
