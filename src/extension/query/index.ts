// The query feature: palette commands, `.hsql` language features, the results
// panel, the Queries view, history and saved queries. `registerQuery` is called
// once from `activate`, owns everything it creates through
// `context.subscriptions` and returns its command table.
import * as vscode from 'vscode';
import { z } from 'zod';
import { ExportFormatSchema } from '../../core/protocol/results';
import { argsOf, command, type CommandEntry, confirmedArg, noArgs, preConfirmed, uriArg } from '../commands';
import { Commands, Views } from '../constants';
import type { HelpScoutServices } from '../services';
import { nodeSql, QueriesModel, QueriesTreeProvider, type QueryNode } from '../views/queries';
import { QueryService, firstLine, type QueryRun, type QuerySource, type RunSummary } from './execution';
import { type HistoryEntry, QueryHistory, SavedQueries } from './history';
import { HSQL_LANGUAGE, registerLanguageFeatures, statementForEditor } from './language';
import { registerNotebook } from './notebook';
import { exportRun, ResultsPanels } from './resultsPanel';
import { splitStatements } from '../../core/sql/statements';

const NEW_FILE_TEMPLATE = `-- Help Scout SQL: tables are Help Scout entities (see sys_tables).
-- Ctrl/Cmd+Enter runs the statement under the cursor; "Run | Explain" above each statement.

SELECT c.Number, c.Subject, c.Status, cu.FirstName, cu.LastName, cu.Email
FROM Conversations c
JOIN Customers cu ON cu.Id = c.CustomerId
WHERE c.Status = 'active'
ORDER BY c.Number DESC
LIMIT 100;
`;

/** Test access to the query feature (ExtensionMode.Test only; see extension.ts). */
export interface QueryTestHooks {
  /** The query history, newest first. */
  history(): readonly HistoryEntry[];
}

/** Where a CodeLens says a statement is: the document, and the statement's offsets. */
const statementArgs = argsOf(uriArg.optional(), z.number().int().min(0).optional(), z.number().int().min(0).optional());
/** A row of the Queries view. */
const queryNode = z.custom<QueryNode>((v) => typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string', 'a Queries view item');

export function registerQuery(context: vscode.ExtensionContext, services: HelpScoutServices): { commands: CommandEntry[]; testHooks: QueryTestHooks } {
  const history = new QueryHistory(context.globalState);
  const saved = new SavedQueries(context.globalState);
  const language = registerLanguageFeatures();
  // The panel's Run Again needs the service, and the service shows runs in panels: `queries` is set right below.
  const rerun = (run: QueryRun): void => {
    queries.start(run.sql, { title: run.title, ...(run.source ? { source: run.source } : {}) });
  };
  const panels = new ResultsPanels(context.extensionUri, services, rerun);
  const queries: QueryService = new QueryService(services, history, {
    onDidStart: (run) => {
      if (!run.silent) panels.show(run);
    },
    reportSqlError: (uri, range, message) => {
      if (!range) language.runErrors.delete(uri);
      else {
        const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
        d.source = 'Help Scout SQL';
        language.runErrors.set(uri, [d]);
      }
    },
  });
  const model = new QueriesModel(history, saved);
  const tree = vscode.window.createTreeView(Views.queries, { treeDataProvider: new QueriesTreeProvider(model), showCollapseAll: false });

  const run = (sql: string, source?: QuerySource, title?: string): Promise<RunSummary> =>
    queries.start(sql, { ...(source ? { source } : {}), ...(title ? { title } : {}) }).finished;

  /** Statement of a CodeLens (uri, start, end) or of the active editor. */
  const statementFrom = async (uri?: vscode.Uri, start?: number, end?: number): Promise<{ text: string; source: QuerySource } | undefined> => {
    if (uri instanceof vscode.Uri && typeof start === 'number' && typeof end === 'number') {
      const doc = await vscode.workspace.openTextDocument(uri);
      return { text: doc.getText().slice(start, end), source: { uri, offset: start } };
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== HSQL_LANGUAGE) return undefined;
    const s = statementForEditor(editor);
    return s ? { text: s.text, source: { uri: editor.document.uri, offset: s.offset } } : undefined;
  };

  const askForQuery = async (title: string): Promise<string | undefined> => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { sql?: string }>();
    qp.title = title;
    qp.placeholder = vscode.l10n.t('Type a SELECT statement, or pick one from the history');
    qp.matchOnDescription = true;
    const seen = new Set<string>();
    const recent = history.entries().filter((e) => !seen.has(e.sql) && seen.add(e.sql)).slice(0, 50);
    const base = recent.map((e) => ({ label: firstLine(e.sql), description: new Date(e.time).toLocaleString(), ...(e.sql.length > 80 ? { detail: e.sql.replace(/\s+/g, ' ') } : {}), sql: e.sql }));
    const update = (): void => {
      const typed = qp.value.trim();
      qp.items = typed ? [{ label: typed, description: vscode.l10n.t('Run this query'), alwaysShow: true, sql: typed }, ...base] : base;
    };
    update();
    const picked = await new Promise<string | undefined>((resolve) => {
      qp.onDidChangeValue(update);
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        resolve(item?.sql ?? (qp.value.trim() || undefined));
        qp.hide();
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    return picked;
  };

  const explainText = (sql: string): string => (/^\s*EXPLAIN\b/i.test(sql) ? sql : `EXPLAIN ${sql}`);

  context.subscriptions.push(
    history,
    saved,
    language,
    panels,
    queries,
    model,
    tree,
    registerNotebook(queries),
    // Errors of a run belong to the account they ran against.
    services.onDidChangeAccount(() => language.runErrors.clear()),
  );

  const commands: CommandEntry[] = [
    command(Commands.queryRun, argsOf(z.string().optional()), async (sqlArg) => {
      const sql = sqlArg ?? await askForQuery(vscode.l10n.t('Help Scout: Run Query'));
      return sql ? run(sql) : undefined;
    }, { title: vscode.l10n.t('Run Query') }),
    command(Commands.queryExplain, argsOf(z.string().optional()), async (sqlArg) => {
      if (sqlArg !== undefined) return run(explainText(sqlArg));
      const fromEditor = await statementFrom();
      if (fromEditor) return run(explainText(fromEditor.text), { ...fromEditor.source, prefix: explainText(fromEditor.text).length - fromEditor.text.length });
      const sql = await askForQuery(vscode.l10n.t('Help Scout: Explain Query'));
      return sql ? run(explainText(sql)) : undefined;
    }, { title: vscode.l10n.t('Explain Query') }),
    command(Commands.queryRunStatement, statementArgs, async (uri, start, end) => {
      const s = await statementFrom(uri, start, end);
      if (!s) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Place the cursor in a statement of a .hsql file to run it.'));
        return undefined;
      }
      return run(s.text, s.source);
    }, { title: vscode.l10n.t('Run Statement') }),
    command(Commands.queryExplainStatement, statementArgs, async (uri, start, end) => {
      const s = await statementFrom(uri, start, end);
      if (!s) return undefined;
      const text = explainText(s.text);
      return run(text, { ...s.source, prefix: text.length - s.text.length });
    }, { title: vscode.l10n.t('Explain Statement') }),
    command(Commands.queryRunSaved, noArgs, async () => {
      const files = await model.workspaceFiles();
      type Item = vscode.QuickPickItem & { sql?: string; uri?: vscode.Uri };
      const items: Item[] = [
        ...saved.entries().map((q) => ({ label: q.name, description: firstLine(q.sql), sql: q.sql, iconPath: new vscode.ThemeIcon('star-empty') })),
        ...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri, iconPath: new vscode.ThemeIcon('file') })),
      ];
      if (!items.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No saved queries yet. Save one with "Help Scout: Save Query…" or create a .hsql file.'));
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Help Scout: Run Saved Query'), matchOnDescription: true });
      if (!picked) return undefined;
      if (picked.sql) return run(picked.sql, undefined, picked.label);
      if (!picked.uri) return undefined;
      const doc = await vscode.workspace.openTextDocument(picked.uri);
      const statements = splitStatements(doc.getText());
      const one = statements.length === 1 ? statements[0] : await vscode.window.showQuickPick(
        statements.map((s) => ({ label: firstLine(s.text), s })),
        { title: vscode.l10n.t('Pick a statement of {0}', vscode.workspace.asRelativePath(picked.uri)) },
      ).then((p) => p?.s);
      return one ? run(one.text, { uri: picked.uri, offset: one.start }) : undefined;
    }, { title: vscode.l10n.t('Run Saved Query') }),
    command(Commands.queryNewFile, noArgs, async () => {
      const doc = await vscode.workspace.openTextDocument({ language: HSQL_LANGUAGE, content: NEW_FILE_TEMPLATE });
      const editor = await vscode.window.showTextDocument(doc);
      const end = doc.positionAt(NEW_FILE_TEMPLATE.length);
      editor.selection = new vscode.Selection(end, end);
      return doc.uri.toString();
    }, { title: vscode.l10n.t('New Query File') }),
    command(Commands.querySave, argsOf(queryNode.optional()), async (node) => {
      const sql = node ? await nodeSql(node) : (await statementFrom())?.text;
      if (!sql) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Place the cursor in a statement of a .hsql file, or pick a history entry, to save a query.'));
        return undefined;
      }
      const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Save Query'), prompt: vscode.l10n.t('Name of the saved query'), value: firstLine(sql).slice(0, 60) });
      if (!name?.trim()) return undefined;
      await saved.save(name.trim(), sql);
      return name.trim();
    }, { title: vscode.l10n.t('Save Query') }),
    command(Commands.queryRunItem, argsOf(queryNode.optional()), async (node) => {
      if (!node) return undefined;
      if (node.kind === 'more') {
        model.showMoreHistory();
        return undefined;
      }
      const sql = node.kind === 'saved' || node.kind === 'history' ? await nodeSql(node) : undefined;
      return sql ? run(sql, undefined, node.kind === 'saved' ? node.query.name : undefined) : undefined;
    }, { title: vscode.l10n.t('Run Query') }),
    command(Commands.queryOpenItem, argsOf(queryNode.optional()), async (node) => {
      if (!node) return;
      if (node.kind === 'file') {
        await vscode.window.showTextDocument(node.uri);
        return;
      }
      const sql = await nodeSql(node);
      if (sql === undefined) return;
      const doc = await vscode.workspace.openTextDocument({ language: HSQL_LANGUAGE, content: sql.endsWith('\n') ? sql : `${sql}\n` });
      await vscode.window.showTextDocument(doc);
    }, { title: vscode.l10n.t('Open Query') }),
    command(Commands.queryDeleteItem, argsOf(queryNode.optional()), async (node) => {
      if (node?.kind === 'saved') await saved.remove(node.query.id);
      else if (node?.kind === 'history') await history.remove(node.entry.id);
    }, { title: vscode.l10n.t('Remove Query') }),
    // A tree row or nothing asks first; `{ confirmed: true }` skips that only under test.
    command(Commands.queryClearHistory, argsOf(z.unknown().optional(), confirmedArg), async (_row, opts) => {
      if (!preConfirmed(opts)) {
        const yes = vscode.l10n.t('Clear History');
        const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Clear the Help Scout query history?'), { modal: true }, yes);
        if (answer !== yes) return;
      }
      await history.clear();
    }, { title: vscode.l10n.t('Clear Query History') }),
    command(Commands.queryRefresh, noArgs, () => model.refresh(), { title: vscode.l10n.t('Refresh Queries') }),
    command(Commands.queryCancel, noArgs, () => queries.cancelAll(), { title: vscode.l10n.t('Cancel Running Queries') }),
    command(Commands.queryExportResults, argsOf(z.object({ format: ExportFormatSchema.optional(), uri: uriArg.optional() }).optional()), async (args) => {
      const panel = panels.active();
      if (!panel) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Run a query first: there are no results to export.'));
        return undefined;
      }
      const format = args?.format ?? (await vscode.window.showQuickPick(
        [{ label: 'CSV', f: 'csv' as const }, { label: 'JSON', f: 'json' as const }, { label: 'Markdown', f: 'markdown' as const }],
        { title: vscode.l10n.t('Export query results as') },
      ))?.f;
      if (!format) return undefined;
      return exportRun(panel.current, format, args?.uri, services);
    }, { title: vscode.l10n.t('Export Query Results') }),
  ];
  return { commands, testHooks: { history: () => history.entries() } };
}
