// The Docs view: sites → collections → categories → articles, with status and
// draft badges. The filter's article status goes into the article request; its
// search text switches the root to the API's article search.
import * as vscode from 'vscode';
import type { ArticleStatusFilter } from '../../core/docs/client';
import type { ArticleRef, ArticleSearch, Category, Collection, Site } from '../../core/docs/schemas';
import { Commands, Views } from '../constants';
import type { HelpScoutServices } from '../services';
import { type ChildPage, Node, TreeModel } from './tree';

export class SiteNode extends Node {
  readonly kind = 'site';
  readonly id: string;
  constructor(readonly site: Site) {
    super(undefined);
    this.id = `site:${site.id}`;
  }
  override get hasChildren(): boolean {
    return true;
  }
  treeItem(): vscode.TreeItem {
    const t = this.item(this.site.title ?? this.site.companyName ?? this.site.subDomain ?? this.site.id, true);
    t.iconPath = new vscode.ThemeIcon('globe');
    if (this.site.subDomain) t.description = this.site.subDomain;
    return t;
  }
}

export class CollectionNode extends Node {
  readonly kind = 'collection';
  readonly id: string;
  constructor(override readonly parent: SiteNode, readonly collection: Collection) {
    super(parent);
    this.id = `${parent.id}/collection:${collection.id}`;
  }
  override get hasChildren(): boolean {
    return true;
  }
  treeItem(): vscode.TreeItem {
    const c = this.collection;
    const t = this.item(c.name, true);
    t.iconPath = new vscode.ThemeIcon(c.visibility === 'private' ? 'lock' : 'library');
    t.description = vscode.l10n.t({
      message: '{0} articles, {1} published',
      args: [c.articleCount ?? 0, c.publishedArticleCount ?? 0],
      comment: ['{0} articles in total, {1} of them published'],
    });
    return t;
  }
}

export class CategoryNode extends Node {
  readonly kind = 'category';
  readonly id: string;
  constructor(override readonly parent: CollectionNode, readonly category: Category) {
    super(parent);
    this.id = `${parent.id}/category:${category.id}`;
  }
  override get hasChildren(): boolean {
    return true;
  }
  treeItem(): vscode.TreeItem {
    const c = this.category;
    const t = this.item(c.name, true);
    t.iconPath = new vscode.ThemeIcon(c.visibility === 'private' ? 'lock' : 'folder');
    t.description = String(c.articleCount ?? 0);
    return t;
  }
}

/** What an article row needs, from either an article list or a search result. */
export interface ArticleInfo {
  readonly id: string;
  readonly number: number;
  readonly name: string;
  readonly collectionId: string;
  readonly status: string;
  readonly hasDraft: boolean;
  readonly publicUrl: string | undefined;
  readonly updatedAt: string | undefined;
}

export function articleInfo(a: ArticleRef | ArticleSearch): ArticleInfo {
  const publicUrl = 'publicUrl' in a ? a.publicUrl : 'url' in a ? a.url : undefined;
  return {
    id: a.id,
    number: a.number,
    name: a.name,
    collectionId: a.collectionId,
    status: a.status ?? 'notpublished',
    hasDraft: ('hasDraft' in a ? a.hasDraft : undefined) === true,
    publicUrl: typeof publicUrl === 'string' && publicUrl !== '' ? publicUrl : undefined,
    updatedAt: ('updatedAt' in a && typeof a.updatedAt === 'string' ? a.updatedAt : undefined),
  };
}

export class ArticleNode extends Node {
  readonly kind: 'article' | 'articlePublic';
  readonly id: string;
  constructor(parent: Node | undefined, readonly article: ArticleInfo) {
    super(parent);
    this.id = `${parent?.id ?? 'search'}/article:${article.id}`;
    this.kind = article.publicUrl === undefined ? 'article' : 'articlePublic';
  }
  treeItem(): vscode.TreeItem {
    const a = this.article;
    const t = this.item(a.name, false);
    const published = a.status === 'published';
    t.iconPath = new vscode.ThemeIcon(
      a.hasDraft ? 'edit' : published ? 'file-text' : 'circle-slash',
      new vscode.ThemeColor(published ? 'charts.green' : 'disabledForeground'),
    );
    t.description = [published ? vscode.l10n.t('published') : vscode.l10n.t('not published'), a.hasDraft ? vscode.l10n.t('draft') : '']
      .filter((s) => s !== '')
      .join(' · ');
    t.tooltip = `${a.name}\n#${a.number}${a.publicUrl ? `\n${a.publicUrl}` : ''}`;
    t.command = { command: Commands.browseArticle, title: vscode.l10n.t('Open Article'), arguments: [this] };
    return t;
  }
  /** The collection node above, when the article was reached by browsing. */
  get collection(): CollectionNode | undefined {
    const p = this.parent;
    return p instanceof CategoryNode ? p.parent : p instanceof CollectionNode ? p : undefined;
  }
}

export interface DocsFilter {
  readonly status?: ArticleStatusFilter;
  /** Search text: the root lists the API's search results instead of sites. */
  readonly text?: string;
}

export function describeDocsFilter(f: DocsFilter): string | undefined {
  const parts: string[] = [];
  if (f.status && f.status !== 'all') parts.push(vscode.l10n.t('status: {0}', f.status));
  if (f.text) parts.push(`"${f.text}"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

export class DocsModel extends TreeModel {
  private current: DocsFilter = {};
  private readonly filterChanged = new vscode.EventEmitter<DocsFilter>();
  readonly onDidChangeFilter = this.filterChanged.event;

  constructor(private readonly services: HelpScoutServices) {
    super(Views.docs);
    this.register(this.filterChanged);
    // Another account or endpoint: everything shown is stale. A renewed token changes nothing here.
    this.register(services.onDidChangeAccount((api) => {
      if (api === 'docs') this.refresh();
    }));
  }

  get filter(): DocsFilter {
    return this.current;
  }

  setFilter(f: DocsFilter): void {
    this.current = f;
    this.filterChanged.fire(f);
    this.refresh();
  }

  protected async fetch(parent: Node | undefined, page: number, signal: AbortSignal): Promise<ChildPage> {
    if (parent === undefined) {
      // Without a key the root stays empty (welcome content shows) and nothing is requested.
      if (!(await this.services.hasDocsKey())) return { nodes: [], hasNext: false };
      const client = this.services.docs();
      if (this.current.text !== undefined) {
        const p = await client.searchArticles({ query: this.current.text, status: this.current.status ?? 'all' }, { signal }).getPage(page);
        return { nodes: p.items.map((a) => new ArticleNode(undefined, articleInfo(a))), hasNext: p.hasNext, total: p.page?.totalElements };
      }
      const p = await client.listSites({ signal }).getPage(page);
      return { nodes: p.items.map((s) => new SiteNode(s)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    const client = this.services.docs();
    if (parent instanceof SiteNode) {
      const p = await client.listCollections({ siteId: parent.site.id }, { signal }).getPage(page);
      return { nodes: p.items.map((c) => new CollectionNode(parent, c)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    if (parent instanceof CollectionNode) {
      const p = await client.listCategories(parent.collection.id, {}, { signal }).getPage(page);
      return { nodes: p.items.map((c) => new CategoryNode(parent, c)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    if (parent instanceof CategoryNode) {
      const p = await client
        .listArticles({ categoryId: parent.category.id }, { status: this.current.status ?? 'all', sort: 'order', order: 'asc' }, { signal })
        .getPage(page);
      return { nodes: p.items.map((a) => new ArticleNode(parent, articleInfo(a))), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    return { nodes: [], hasNext: false };
  }

  /**
   * Called when articles changed through the editor (save, draft, publish, create, rename,
   * move, delete): the loaded rows of those articles are fetched again, and so are the
   * categories of the collections named (an article appeared or left a category). Only those
   * nodes refresh; expansion is kept.
   */
  articlesChanged(change: { readonly articleIds: readonly string[]; readonly collectionIds: readonly string[] }): void {
    const targets = new Map<string, Node | undefined>();
    for (const n of this.loaded()) {
      if (n instanceof ArticleNode && change.articleIds.includes(n.article.id)) targets.set(n.parent?.id ?? '', n.parent);
      if (n instanceof CollectionNode && change.collectionIds.includes(n.collection.id)) targets.set(n.id, n);
    }
    // A collection refresh covers its categories' rows.
    for (const [id, node] of [...targets]) {
      if (node instanceof CategoryNode && targets.has(node.parent.id)) targets.delete(id);
    }
    for (const node of targets.values()) this.refresh(node);
  }

  protected override emptyText(parent: Node | undefined): string | undefined {
    if (parent === undefined) return this.current.text !== undefined ? vscode.l10n.t('No articles match the search') : undefined;
    if (parent instanceof CategoryNode) {
      return describeDocsFilter(this.current) ? vscode.l10n.t('No articles match the filter') : vscode.l10n.t('No articles');
    }
    return vscode.l10n.t('Nothing here');
  }
}
