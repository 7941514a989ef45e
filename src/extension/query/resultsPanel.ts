// The results webview. One panel per statement, or one reused panel when
// `helpscout.query.reuseResultsPanel` is on. The panel keeps a reference to the
// run (and so to its ResultStore); the page only ever holds the rows it is
// showing and asks for more by range (`getRows`). Sorting, filtering, copying
// and exporting happen here on the full result. Every incoming message is
// validated with the shared zod schemas, and the page posts `ready` before
// anything is sent.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import {
  MAX_WINDOW, PageMessageSchema, type ExtensionMessage, type ExportFormat, type PageMessage,
} from '../../core/protocol/results';
import { showError } from '../errors';
import type { HelpScoutServices } from '../services';
import type { QueryRun } from './execution';
import { askExportTarget, exportStore } from './export';
import { formatRows } from '../../core/results/format';
import { escapeHtml, webviewPage } from '../webviewPage';

export const RESULTS_VIEW_TYPE = 'helpscout.queryResults';

/** How the panel asks the query feature to run a statement again. */
export type Rerun = (run: QueryRun) => void;

export class ResultsPanel extends Disposable implements vscode.Disposable {
  private run: QueryRun;
  private ready = false;
  private runSub: vscode.Disposable | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly closed = this.register(new vscode.EventEmitter<void>());
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    run: QueryRun,
    private readonly extensionUri: vscode.Uri,
    private readonly services: HelpScoutServices,
    private readonly rerun: Rerun,
  ) {
    super();
    this.run = run;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'helpscout.svg');
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.attach(run);
    panel.webview.html = this.html();
  }

  get current(): QueryRun {
    return this.run;
  }

  /** Shows another run in this panel (reuse mode and Rerun). */
  attach(run: QueryRun): void {
    this.runSub?.dispose();
    this.run = run;
    this.panel.title = vscode.l10n.t('Results: {0}', run.title.length > 40 ? `${run.title.slice(0, 39)}…` : run.title);
    this.runSub = run.onDidChange((what) => {
      if (what === 'columns') this.post({ type: 'columns', run: run.id, columns: run.store.columns, types: run.store.types });
      this.scheduleStatus(what !== 'status');
    });
    if (this.ready) this.sendInit();
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  }

  private sendInit(): void {
    const r = this.run;
    this.post({
      type: 'init',
      run: r.id,
      sql: r.sql,
      columns: r.store.columns,
      types: r.store.types,
      plan: r.planTable(),
      status: r.status(r.store.viewCount),
      htmlAsText: false,
    });
  }

  /** Progress is posted at most every 100 ms; the end of a run at once. */
  private scheduleStatus(now: boolean): void {
    if (now || this.run.state !== 'running') {
      if (this.statusTimer) clearTimeout(this.statusTimer);
      this.statusTimer = undefined;
      this.postStatus();
      return;
    }
    this.statusTimer ??= setTimeout(() => {
      this.statusTimer = undefined;
      this.postStatus();
    }, 100);
  }

  private postStatus(): void {
    const r = this.run;
    if (r.plan && r.state !== 'running') {
      // The plan is known by now; the page shows it with the status.
      this.post({ type: 'init', run: r.id, sql: r.sql, columns: r.store.columns, types: r.store.types, plan: r.planTable(), status: r.status(r.store.viewCount), htmlAsText: false });
      return;
    }
    this.post({ type: 'status', run: r.id, status: r.status(r.store.viewCount) });
  }

  private post(msg: ExtensionMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const parsed = PageMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.services.log.warn(`[results] ignored an invalid message from the page: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    void this.handle(parsed.data).catch((err: unknown) => showError(err, this.services.log, vscode.l10n.t('Query results')));
  }

  private async handle(msg: PageMessage): Promise<void> {
    const r = this.run;
    switch (msg.type) {
      case 'ready':
        // A fresh page (first load, or reloaded after being hidden) starts unsorted and unfiltered.
        r.store.setView(null, {});
        this.ready = true;
        this.sendInit();
        return;
      case 'getRows': {
        const rows = r.store.window(msg.start, Math.min(msg.count, MAX_WINDOW));
        this.post({ type: 'rows', run: r.id, reqId: msg.reqId, start: msg.start, rows });
        return;
      }
      case 'setView': {
        const viewCount = r.store.setView(msg.sort, msg.filters);
        this.post({ type: 'view', run: r.id, reqId: msg.reqId, viewCount });
        return;
      }
      case 'copy': {
        const { rowStart, rowEnd, colStart, colEnd } = msg.range;
        const c0 = Math.min(colStart, colEnd);
        const c1 = Math.max(colStart, colEnd);
        const rows = r.store.window(Math.min(rowStart, rowEnd), Math.abs(rowEnd - rowStart) + 1).map((row) => row.slice(c0, c1 + 1));
        const text = formatRows(r.store.columns.slice(c0, c1 + 1), rows, msg.format, msg.header);
        await vscode.env.clipboard.writeText(text);
        this.post({ type: 'notice', text: vscode.l10n.t('Copied {0} rows as {1}', rows.length, msg.format.toUpperCase()) });
        return;
      }
      case 'export':
        await exportRun(r, msg.format, undefined, this.services);
        return;
      case 'cancel':
        r.cancel();
        return;
      case 'rerun':
        this.rerun(r);
        return;
      case 'errorAction': {
        const error = r.described;
        const action = error?.actions[msg.index];
        if (action) await vscode.commands.executeCommand(action.command);
        return;
      }
      case 'showQuery': {
        if (!r.source) return;
        const doc = await vscode.workspace.openTextDocument(r.source.uri);
        const start = doc.positionAt(r.source.offset);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start, start), viewColumn: vscode.ViewColumn.One });
        return;
      }
    }
  }

  private html(): string {
    return webviewPage({
      webview: this.panel.webview,
      extensionUri: this.extensionUri,
      script: 'results',
      style: 'results.css',
      title: 'Query results',
      body: `<div id="app" data-l10n="${escapeHtml(JSON.stringify(pageStrings()))}"></div>`,
    });
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.runSub?.dispose();
    this.closed.fire();
    super.dispose();
    this.panel.dispose();
  }
}

/** The page's words, translated here (the page has no l10n API). */
function pageStrings(): Record<string, string> {
  const t = vscode.l10n.t;
  return {
    running: t('Running…'),
    row: t('row'),
    rows: t('rows'),
    of: t('of'),
    request: t('request'),
    requests: t('requests'),
    asOf: t('as of'),
    cancel: t('Cancel'),
    rerun: t('Run Again'),
    copyAs: t('Copy as'),
    export: t('Export'),
    plan: t('Plan'),
    htmlAsText: t('HTML as text'),
    cancelled: t('Cancelled. Showing the rows that had arrived.'),
    cancelledNone: t('Cancelled before any rows arrived.'),
    rateLimited: t('Help Scout is rate limiting requests; the query resumes at'),
    filter: t('Filter'),
    noRows: t('No rows.'),
    close: t('Close'),
    copyValue: t('Copy value'),
    showQuery: t('Show query'),
  };
}

/** Exports the view of a run; `target` skips the save dialog (automation and tests). */
export async function exportRun(run: QueryRun, format: ExportFormat, target: vscode.Uri | undefined, services: HelpScoutServices): Promise<number | undefined> {
  const uri = target ?? (await askExportTarget(format, 'query-results'));
  if (!uri) return undefined;
  const rows = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Exporting query results') },
    () => exportStore(run.store, format, uri),
  );
  services.log.info(`[results] exported ${rows} rows as ${format} to ${uri.toString(true)}`);
  if (!target) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}', rows, vscode.workspace.asRelativePath(uri)), vscode.l10n.t('Open')).then((picked) => {
      if (picked) void vscode.commands.executeCommand('vscode.open', uri);
    });
  }
  return rows;
}

/** Owns the results panels: creates, reuses and tracks the active one. */
export class ResultsPanels implements vscode.Disposable {
  private readonly panels = new Set<ResultsPanel>();
  private lastActive: ResultsPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: HelpScoutServices,
    private readonly rerun: Rerun,
  ) {}

  /** Shows a run: in the reused panel when the setting says so, else in a new one. */
  show(run: QueryRun): ResultsPanel {
    const reuse = this.services.settings.reuseResultsPanel;
    const existing = reuse ? (this.lastActive ?? [...this.panels].at(-1)) : undefined;
    if (existing) {
      existing.attach(run);
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, run.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    const p = new ResultsPanel(panel, run, this.extensionUri, this.services, this.rerun);
    this.panels.add(p);
    this.lastActive = p;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.lastActive = p;
    });
    p.onDidClose(() => {
      this.panels.delete(p);
      if (this.lastActive === p) this.lastActive = undefined;
    });
    return p;
  }

  /** The panel the user looked at last. */
  active(): ResultsPanel | undefined {
    return this.lastActive;
  }

  dispose(): void {
    for (const p of [...this.panels]) p.dispose();
  }
}
