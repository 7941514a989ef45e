// The machinery every Help Scout tree shares. A view has three parts:
//  - nodes: small immutable objects (one class per kind) holding plain API data
//    and a stable `id`; they build their own TreeItem;
//  - a model (subclass of `TreeModel`): fetches children one page at a time,
//    caches them per parent, and fires `onDidChange(node)` when a node's
//    children changed (load more, refresh, retry, a write elsewhere);
//  - `ModelTreeProvider`: the TreeDataProvider VS Code talks to; it only asks
//    the model and never shows UI.
// Expanding a node costs exactly one request (its first page); "Load more"
// fetches only the next page and refreshes only its parent.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { Commands } from '../constants';
import { describeError } from '../errors';
import { NotConnectedError } from '../services';

export abstract class Node {
  /** Stable across refreshes, unique in its view: VS Code keeps expansion and selection by it. */
  abstract readonly id: string;
  /** What kind of thing this is, also the TreeItem's contextValue (menus key on it). */
  abstract readonly kind: string;
  constructor(readonly parent: Node | undefined) {}
  abstract treeItem(): vscode.TreeItem;
  /** Called by VS Code when the tooltip is about to show; override for costly tooltips. */
  tooltip(): vscode.MarkdownString | string | undefined {
    return undefined;
  }
  /** Nodes that have no children never reach the model's fetch. */
  get hasChildren(): boolean {
    return false;
  }
  protected item(label: string | vscode.TreeItemLabel, expandable: boolean): vscode.TreeItem {
    const t = new vscode.TreeItem(label, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    t.id = this.id;
    t.contextValue = this.kind;
    return t;
  }
}

const ROOT = '<root>';
const keyOf = (parent: Node | undefined): string => parent?.id ?? ROOT;

/** "Load more": fetches the next page of its parent's children. */
export class LoadMoreNode extends Node {
  readonly kind = 'loadMore';
  readonly id: string;
  constructor(parent: Node | undefined, readonly nextPage: number, readonly shown: number, readonly total: number | undefined) {
    super(parent);
    this.id = `${keyOf(parent)}/more`;
  }
  treeItem(): vscode.TreeItem {
    const t = this.item(vscode.l10n.t('Load more…'), false);
    t.iconPath = new vscode.ThemeIcon('ellipsis');
    t.description = this.total === undefined
      ? vscode.l10n.t('{0} shown', this.shown)
      : vscode.l10n.t({ message: '{0} of {1} shown', args: [this.shown, this.total], comment: ['{0} items loaded so far, {1} items in total'] });
    t.command = { command: Commands.loadMore, title: vscode.l10n.t('Load more'), arguments: [this] };
    return t;
  }
}

/** Shown instead of an empty list when loading failed; clicking it tries again. */
export class ErrorNode extends Node {
  readonly kind = 'error';
  readonly id: string;
  constructor(parent: Node | undefined, readonly error: unknown, readonly duringLoadMore: boolean) {
    super(parent);
    this.id = `${keyOf(parent)}/error`;
  }
  treeItem(): vscode.TreeItem {
    const d = describeError(this.error);
    const t = this.item(d.message, false);
    t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    t.description = vscode.l10n.t('Click to retry');
    t.tooltip = d.actions.length > 0 ? `${d.message}\n${d.actions.map((a) => a.title).join(' · ')}` : d.message;
    t.command = { command: Commands.retry, title: vscode.l10n.t('Retry'), arguments: [this] };
    return t;
  }
}

/** A one-line note ("No conversations", "No match for the filter"). */
export class InfoNode extends Node {
  readonly kind = 'info';
  readonly id: string;
  constructor(parent: Node | undefined, readonly text: string, readonly icon = 'info', readonly command?: vscode.Command) {
    super(parent);
    this.id = `${keyOf(parent)}/info`;
  }
  treeItem(): vscode.TreeItem {
    const t = this.item(this.text, false);
    t.iconPath = new vscode.ThemeIcon(this.icon);
    if (this.command) t.command = this.command;
    return t;
  }
}

/** One page of children as a model's `fetch` returns it. */
export interface ChildPage {
  readonly nodes: Node[];
  readonly hasNext: boolean;
  /** Total count across all pages, when the API says. */
  readonly total?: number | undefined;
}

interface Entry {
  nodes: Node[];
  nextPage: number | undefined;
  total: number | undefined;
  error: unknown;
  errorDuringLoadMore: boolean;
  /** Set while a page is being fetched; callers wait on it instead of fetching twice. */
  pending: Promise<void> | undefined;
}

/**
 * Children per parent, fetched one page at a time. Subclasses say how to fetch
 * page `n` of a node's children; everything else (caching, paging, errors,
 * refresh, progress) lives here.
 */
export abstract class TreeModel extends Disposable implements vscode.Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<Node | undefined>());
  /** Fires with the node whose children changed (undefined: the whole view). */
  readonly onDidChange = this.changed.event;
  private entries = new Map<string, Entry>();
  /** Every node this model handed to VS Code, so commands find the model a node belongs to. */
  private issued = new WeakSet<Node>();
  private abort = new AbortController();

  constructor(readonly viewId: string) {
    super();
  }

  /** Page `page` (1-based) of `parent`'s children; `parent` undefined is the root. */
  protected abstract fetch(parent: Node | undefined, page: number, signal: AbortSignal): Promise<ChildPage>;

  /** Shown when a node has no children at all. */
  protected emptyText(_parent: Node | undefined): string | undefined {
    return undefined;
  }

  /**
   * The children VS Code asks for (through the provider). The first call for a
   * node fetches page 1; later calls answer from the cache. The root answers []
   * when not connected so that the view's welcome content shows.
   */
  async children(parent: Node | undefined): Promise<Node[]> {
    if (parent !== undefined && !parent.hasChildren) return [];
    const key = keyOf(parent);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { nodes: [], nextPage: 1, total: undefined, error: undefined, errorDuringLoadMore: false, pending: undefined };
      this.entries.set(key, entry);
      this.fetchInto(entry, parent);
    }
    if (entry.pending) await entry.pending;
    const out = this.present(entry, parent);
    for (const n of out) this.issued.add(n);
    return out;
  }

  owns(node: Node): boolean {
    return this.issued.has(node);
  }

  private present(entry: Entry, parent: Node | undefined): Node[] {
    if (entry.error !== undefined) {
      if (parent === undefined && entry.nodes.length === 0 && entry.error instanceof NotConnectedError) return [];
      return [...entry.nodes, new ErrorNode(parent, entry.error, entry.errorDuringLoadMore)];
    }
    const out = [...entry.nodes];
    if (entry.nextPage !== undefined) out.push(new LoadMoreNode(parent, entry.nextPage, entry.nodes.length, entry.total));
    if (out.length === 0) {
      const text = this.emptyText(parent);
      if (text !== undefined) out.push(new InfoNode(parent, text));
    }
    return out;
  }

  /** Starts fetching `entry.nextPage` unless a fetch is already running. */
  private fetchInto(entry: Entry, parent: Node | undefined): Promise<void> {
    if (entry.pending) return entry.pending;
    const page = entry.nextPage ?? 1;
    const signal = this.abort.signal;
    const work = async (): Promise<void> => {
      try {
        const got = await this.fetch(parent, page, signal);
        entry.nodes.push(...got.nodes);
        entry.nextPage = got.hasNext && got.nodes.length > 0 ? page + 1 : undefined;
        entry.total = got.total;
        entry.error = undefined;
      } catch (err) {
        entry.error = err;
        entry.errorDuringLoadMore = page > 1;
      } finally {
        entry.pending = undefined;
      }
    };
    const pending = Promise.resolve(vscode.window.withProgress({ location: { viewId: this.viewId } }, work));
    entry.pending = pending;
    return pending;
  }

  /** "Load more" was clicked: fetch the next page, then refresh only that parent. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const entry = this.entries.get(keyOf(node.parent));
    if (entry === undefined || entry.nextPage === undefined) return;
    await this.fetchInto(entry, node.parent);
    this.changed.fire(node.parent);
  }

  /** An error row was clicked: try the failed page again. */
  async retry(node: ErrorNode): Promise<void> {
    const entry = this.entries.get(keyOf(node.parent));
    if (node.duringLoadMore && entry !== undefined) {
      entry.error = undefined;
      await this.fetchInto(entry, node.parent);
      this.changed.fire(node.parent);
    } else {
      this.refresh(node.parent);
    }
  }

  /** Forgets `node`'s children (and theirs) and lets VS Code ask again; undefined refreshes the view. */
  refresh(node?: Node): void {
    if (node === undefined) {
      this.abort.abort();
      this.abort = new AbortController();
      this.entries = new Map();
    } else {
      this.forget(node.id);
    }
    this.changed.fire(node);
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    for (const n of entry.nodes) this.forget(n.id);
  }

  /** Nodes already loaded, for finding the ones a write affected. */
  protected *loaded(): Iterable<Node> {
    for (const e of this.entries.values()) yield* e.nodes;
  }

  override dispose(): void {
    this.abort.abort();
    super.dispose();
  }
}

/** The TreeDataProvider VS Code calls; a thin adapter over a model. */
export class ModelTreeProvider implements vscode.TreeDataProvider<Node> {
  readonly onDidChangeTreeData: vscode.Event<Node | undefined>;
  constructor(readonly model: TreeModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }
  getTreeItem(node: Node): vscode.TreeItem {
    return node.treeItem();
  }
  getChildren(node?: Node): Promise<Node[]> {
    return this.model.children(node);
  }
  getParent(node: Node): Node | undefined {
    return node.parent;
  }
  /** Called by VS Code when a tooltip is about to show: build it only then. */
  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    item.tooltip ??= node.tooltip();
    return item;
  }
}
