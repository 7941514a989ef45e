// The "Queries" view in the Help Scout side bar: saved queries (the user's,
// kept in globalState), the workspace's `.hsql` files and the history of runs.
// Elements are plain data with stable ids; `QueriesModel` holds the data and
// fires change events, `QueriesTreeProvider` only turns elements into items.
// Clicking a saved query or a history entry runs it again; clicking a file
// opens it.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { Commands } from '../constants';
import { firstLine } from '../query/execution';
import type { HistoryEntry, QueryHistory, SavedQueries, SavedQuery } from '../query/history';

const HISTORY_PAGE = 50;

export type QueryNode =
  | { readonly kind: 'group'; readonly id: 'saved' | 'files' | 'history' }
  | { readonly kind: 'saved'; readonly id: string; readonly query: SavedQuery }
  | { readonly kind: 'file'; readonly id: string; readonly uri: vscode.Uri }
  | { readonly kind: 'history'; readonly id: string; readonly entry: HistoryEntry }
  | { readonly kind: 'more'; readonly id: 'history-more' }
  | { readonly kind: 'empty'; readonly id: string; readonly text: string };

type GroupNode = Extract<QueryNode, { kind: 'group' }>;

/**
 * The group nodes, one object each: VS Code finds the element to refresh by
 * identity, so change events must carry these very objects.
 */
const GROUPS: Readonly<Record<GroupNode['id'], GroupNode>> = {
  saved: { kind: 'group', id: 'saved' },
  files: { kind: 'group', id: 'files' },
  history: { kind: 'group', id: 'history' },
};

/** The data behind the view; fires when saved queries, files or history change. */
export class QueriesModel extends Disposable implements vscode.Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<QueryNode | undefined>());
  readonly onDidChange = this.changed.event;
  private files: vscode.Uri[] | undefined;
  private historyShown = HISTORY_PAGE;

  constructor(
    readonly history: QueryHistory,
    readonly saved: SavedQueries,
  ) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*.hsql', false, true, false));
    const filesChanged = (): void => {
      this.files = undefined;
      this.changed.fire(GROUPS.files);
    };
    this.register(watcher.onDidCreate(filesChanged));
    this.register(watcher.onDidDelete(filesChanged));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(filesChanged));
    this.register(history.onDidChange(() => this.changed.fire(GROUPS.history)));
    this.register(saved.onDidChange(() => this.changed.fire(GROUPS.saved)));
  }

  refresh(): void {
    this.files = undefined;
    this.changed.fire(undefined);
  }

  showMoreHistory(): void {
    this.historyShown += HISTORY_PAGE;
    this.changed.fire(GROUPS.history);
  }

  async workspaceFiles(): Promise<vscode.Uri[]> {
    this.files ??= (await vscode.workspace.findFiles('**/*.hsql', '**/node_modules/**', 500)).sort((a, b) => a.path.localeCompare(b.path));
    return this.files;
  }

  async children(node: QueryNode | undefined): Promise<QueryNode[]> {
    if (!node) {
      return [GROUPS.saved, GROUPS.files, GROUPS.history];
    }
    if (node.kind !== 'group') return [];
    if (node.id === 'saved') {
      const saved = this.saved.entries();
      return saved.length
        ? saved.map((q) => ({ kind: 'saved', id: `saved:${q.id}`, query: q }))
        : [{ kind: 'empty', id: 'saved-empty', text: vscode.l10n.t('Save a query with "Help Scout: Save Query…"') }];
    }
    if (node.id === 'files') {
      const files = await this.workspaceFiles();
      return files.length
        ? files.map((uri) => ({ kind: 'file', id: `file:${uri.toString()}`, uri }))
        : [{ kind: 'empty', id: 'files-empty', text: vscode.l10n.t('No .hsql files in the workspace') }];
    }
    const all = this.history.entries();
    if (!all.length) return [{ kind: 'empty', id: 'history-empty', text: vscode.l10n.t('Queries you run appear here') }];
    const shown: QueryNode[] = all.slice(0, this.historyShown).map((e) => ({ kind: 'history', id: `history:${e.id}`, entry: e }));
    if (all.length > this.historyShown) shown.push({ kind: 'more', id: 'history-more' });
    return shown;
  }

}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function historyDescription(e: HistoryEntry): string {
  return vscode.l10n.t({
    message: e.rows === 1 ? '{0} row · {1} req · {2} · {3}' : '{0} rows · {1} req · {2} · {3}',
    args: [e.rows, e.requests, duration(e.durationMs), new Date(e.time).toLocaleString()],
    comment: ['{0} rows, {1} requests, {2} duration, {3} when it ran'],
  });
}

export class QueriesTreeProvider implements vscode.TreeDataProvider<QueryNode> {
  readonly onDidChangeTreeData: vscode.Event<QueryNode | undefined>;

  constructor(private readonly model: QueriesModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  /** Called by VS Code to expand a node; data only, no UI. */
  getChildren(node?: QueryNode): Promise<QueryNode[]> {
    return this.model.children(node);
  }

  getParent(node: QueryNode): QueryNode | undefined {
    switch (node.kind) {
      case 'saved':
        return GROUPS.saved;
      case 'file':
        return GROUPS.files;
      case 'history':
      case 'more':
        return GROUPS.history;
      default:
        return undefined;
    }
  }

  /** Called by VS Code for each visible node. */
  getTreeItem(node: QueryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const labels = { saved: vscode.l10n.t('Saved Queries'), files: vscode.l10n.t('Workspace Files'), history: vscode.l10n.t('History') };
        const item = new vscode.TreeItem(labels[node.id], node.id === 'files' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.id}`;
        item.contextValue = `queryGroup.${node.id}`;
        item.iconPath = new vscode.ThemeIcon(node.id === 'saved' ? 'star-empty' : node.id === 'files' ? 'files' : 'history');
        return item;
      }
      case 'saved': {
        const item = new vscode.TreeItem(node.query.name, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = firstLine(node.query.sql);
        item.tooltip = new vscode.MarkdownString().appendCodeblock(node.query.sql, 'sql');
        item.iconPath = new vscode.ThemeIcon('symbol-method');
        item.contextValue = 'savedQuery';
        item.command = { title: vscode.l10n.t('Run'), command: Commands.queryRunItem, arguments: [node] };
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        const relative = vscode.workspace.asRelativePath(node.uri, false);
        const folder = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
        item.description = folder;
        item.contextValue = 'queryFile';
        item.command = { title: vscode.l10n.t('Open'), command: 'vscode.open', arguments: [node.uri] };
        return item;
      }
      case 'history': {
        const e = node.entry;
        const item = new vscode.TreeItem(firstLine(e.sql), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = historyDescription(e);
        const md = new vscode.MarkdownString().appendCodeblock(e.sql, 'sql');
        md.appendMarkdown(`\n${historyDescription(e)}${e.state !== 'done' ? ` · ${e.state}` : ''}`);
        item.tooltip = md;
        item.iconPath = new vscode.ThemeIcon(
          e.state === 'done' ? 'pass' : e.state === 'cancelled' ? 'circle-slash' : 'error',
          new vscode.ThemeColor(e.state === 'error' ? 'testing.iconFailed' : e.state === 'done' ? 'testing.iconPassed' : 'testing.iconSkipped'),
        );
        item.contextValue = 'queryHistory';
        item.command = { title: vscode.l10n.t('Run Again'), command: Commands.queryRunItem, arguments: [node] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.command = { title: vscode.l10n.t('Load more'), command: Commands.queryRunItem, arguments: [node] };
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        return item;
      }
    }
  }
}

/** The query text of a node, for Run / Open / Save. */
export async function nodeSql(node: QueryNode): Promise<string | undefined> {
  if (node.kind === 'saved') return node.query.sql;
  if (node.kind === 'history') return node.entry.sql;
  if (node.kind === 'file') return new TextDecoder().decode(await vscode.workspace.fs.readFile(node.uri));
  return undefined;
}
