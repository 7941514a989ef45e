// Language features of `.hsql` files (language id `hsql`): completion of
// tables and columns from the catalog, hovers, live diagnostics and the
// "Run | Explain" CodeLens above each statement. VS Code calls the providers
// as the user types and hovers; diagnostics are recomputed 300 ms after the
// last edit. Diagnosing never fetches: the statement is prepared by SQLite
// (`EXPLAIN QUERY PLAN`) over empty catalog tables in a worker of its own, so
// unknown tables and columns and syntax errors are found exactly as a run
// would find them, without waiting behind a running query.
import * as vscode from 'vscode';
import { Disposable, DisposableStore, toDisposable } from '../../core/lifecycle';
import { SqlEngine } from '../../core/sql';
import { checkStatement as coreCheckStatement, type StatementProblem } from '../../core/sql/check';
import { Commands } from '../constants';
import {
  allTables, columnDetail, columnMarkdown, findColumn, findTable, pushDownOps, SQL_FUNCTIONS, SQL_KEYWORDS, tableAliases, tableMarkdown,
} from '../../core/sql/catalogInfo';
import { splitStatements, statementAt, type Statement } from '../../core/sql/statements';

export const HSQL_LANGUAGE = 'hsql';
const selector: vscode.DocumentSelector = [{ language: HSQL_LANGUAGE }];

/** Range of a statement in a document. */
export function statementRange(doc: vscode.TextDocument, s: Statement): vscode.Range {
  return new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end));
}

/** The statement to run for an editor: the selection when there is one, else the statement under the cursor. */
export function statementForEditor(editor: vscode.TextEditor): { text: string; offset: number } | undefined {
  const doc = editor.document;
  const sel = editor.selection;
  if (!sel.isEmpty) {
    const text = doc.getText(sel);
    const inner = splitStatements(text);
    const first = inner[0];
    if (!first) return undefined;
    // A selection of several statements runs the first (the engine runs one at a time).
    return { text: first.text, offset: doc.offsetAt(sel.start) + first.start };
  }
  const s = statementAt(splitStatements(doc.getText()), doc.offsetAt(sel.active));
  return s ? { text: s.text, offset: s.start } : undefined;
}

class CompletionProvider implements vscode.CompletionItemProvider {
  /** Called by VS Code as the user types (and on `.`). */
  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    const stmt = statementAt(splitStatements(text), offset);
    const stmtText = stmt ? text.slice(stmt.start, Math.max(stmt.end, offset)) : text;
    const before = text.slice(stmt ? Math.min(stmt.start, offset) : 0, offset);
    const aliases = tableAliases(stmtText);

    const qualified = /([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z0-9_]*)$/.exec(before);
    if (qualified?.[1]) {
      const t = aliases.get(qualified[1].toLowerCase()) ?? findTable(qualified[1]);
      return t ? t.columns.map((c, i) => this.columnItem(t, c.name, i, false)) : [];
    }
    if (/\b(?:FROM|JOIN)\s+[A-Za-z0-9_]*$/i.test(before)) return this.tableItems();

    const items: vscode.CompletionItem[] = [];
    const seen = new Set<string>();
    const referenced = [...new Set(aliases.values())];
    referenced.forEach((t, ti) => {
      t.columns.forEach((c, i) => {
        const key = c.name.toLowerCase();
        const item = this.columnItem(t, c.name, i, referenced.length > 1);
        item.sortText = `0${ti}${String(i).padStart(3, '0')}`;
        if (seen.has(key)) item.label = { label: c.name, description: t.name };
        seen.add(key);
        items.push(item);
      });
    });
    for (const t of this.tableItems()) {
      t.sortText = `1${t.sortText ?? ''}`;
      items.push(t);
    }
    for (const k of SQL_KEYWORDS) {
      const item = new vscode.CompletionItem(k, vscode.CompletionItemKind.Keyword);
      item.sortText = `2${k}`;
      items.push(item);
    }
    for (const f of SQL_FUNCTIONS) {
      const item = new vscode.CompletionItem(f, vscode.CompletionItemKind.Function);
      item.sortText = `3${f}`;
      items.push(item);
    }
    return items;
  }

  private tableItems(): vscode.CompletionItem[] {
    return allTables().map((t, i) => {
      const item = new vscode.CompletionItem({ label: t.name, description: t.staticRows ? 'catalog' : t.api === 'docs' ? 'Docs' : 'Mailbox' }, vscode.CompletionItemKind.Class);
      item.detail = t.description;
      item.documentation = new vscode.MarkdownString(tableMarkdown(t, false));
      item.sortText = String(i).padStart(3, '0');
      item.filterText = t.name;
      item.insertText = t.name;
      return item;
    });
  }

  private columnItem(t: ReturnType<typeof allTables>[number], name: string, index: number, showTable: boolean): vscode.CompletionItem {
    const c = findColumn(t, name);
    const pushed = pushDownOps(t, name).length > 0;
    const item = new vscode.CompletionItem(
      { label: name, detail: ` ${c?.type ?? ''}`, description: `${pushed ? '⚡ pushed down' : ''}${showTable ? `${pushed ? ' · ' : ''}${t.name}` : ''}` },
      pushed ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.Field,
    );
    if (c) {
      item.detail = columnDetail(t, c);
      item.documentation = new vscode.MarkdownString(columnMarkdown(t, c));
    }
    item.filterText = name;
    item.insertText = name;
    item.sortText = String(index).padStart(3, '0');
    return item;
  }
}

class HoverProvider implements vscode.HoverProvider {
  /** Called by VS Code when the pointer rests on a word. */
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const range = doc.getWordRangeAtPosition(position, /[A-Za-z_][A-Za-z0-9_]*/);
    if (!range) return undefined;
    const word = doc.getText(range);
    const text = doc.getText();
    const stmt = statementAt(splitStatements(text), doc.offsetAt(position));
    const stmtText = stmt ? stmt.text : text;
    const aliases = tableAliases(stmtText);
    const lineBefore = doc.lineAt(range.start.line).text.slice(0, range.start.character);
    const qualifier = /([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*$/.exec(lineBefore)?.[1];
    if (qualifier) {
      const t = aliases.get(qualifier.toLowerCase()) ?? findTable(qualifier);
      const c = t ? findColumn(t, word) : undefined;
      if (t && c) return new vscode.Hover(new vscode.MarkdownString(columnMarkdown(t, c)), range);
    }
    const table = findTable(word);
    const isTableRef = table && (aliases.get(word.toLowerCase()) === table || !/\.\s*$/.test(lineBefore));
    if (table && isTableRef && !qualifier) {
      // An alias that is also a column name: prefer the table only when it follows FROM/JOIN or stands alone.
      const asColumn = [...new Set(aliases.values())].some((t) => findColumn(t, word));
      if (!asColumn || /\b(?:FROM|JOIN)\s+$/i.test(lineBefore)) return new vscode.Hover(new vscode.MarkdownString(tableMarkdown(table)), range);
    }
    const alias = aliases.get(word.toLowerCase());
    if (alias && !qualifier) return new vscode.Hover(new vscode.MarkdownString(tableMarkdown(alias, false)), range);
    const md: string[] = [];
    for (const t of new Set(aliases.values())) {
      const c = findColumn(t, word);
      if (c) md.push(columnMarkdown(t, c));
    }
    return md.length ? new vscode.Hover(new vscode.MarkdownString(md.join('\n\n---\n\n')), range) : undefined;
  }
}

class CodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Called by VS Code after edits: one "Run | Explain" pair above each statement. */
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const s of splitStatements(doc.getText())) {
      const range = statementRange(doc, s);
      const args = [doc.uri, s.start, s.end];
      lenses.push(
        new vscode.CodeLens(range, { title: vscode.l10n.t('$(play) Run'), command: Commands.queryRunStatement, arguments: args }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Explain'), command: Commands.queryExplainStatement, arguments: args }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export type { StatementProblem };

/**
 * Checks one statement without fetching (core's check, also run before every
 * run): write statements are refused; everything else is prepared by SQLite
 * over empty tables. Failures of the check itself are no diagnostic.
 */
export async function checkStatement(engine: SqlEngine, sql: string): Promise<StatementProblem | undefined> {
  try {
    return await coreCheckStatement(engine, sql);
  } catch {
    return undefined;
  }
}

/** Live diagnostics for open `.hsql` documents. */
class Diagnostics extends Disposable implements vscode.Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('helpscout-sql'));
  private readonly engine = this.register(new SqlEngine({ idleMs: 30_000, maxQueriesPerWorker: 500 }));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Problems per statement text: typing in one statement does not re-check the others. */
  private readonly cache = new Map<string, StatementProblem | null>();

  constructor() {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 300)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)));
    this.register(toDisposable(() => {
      for (const t of this.timers.values()) clearTimeout(t);
    }));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (doc.languageId !== HSQL_LANGUAGE) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.check(doc);
    }, delay));
  }

  /** Recomputes the diagnostics of one document (also called by tests through the command). */
  async check(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const version = doc.version;
    const text = doc.getText();
    const out: vscode.Diagnostic[] = [];
    for (const s of splitStatements(text)) {
      let problem = this.cache.get(s.text);
      if (problem === undefined) {
        problem = (await checkStatement(this.engine, s.text)) ?? null;
        if (this.cache.size > 500) this.cache.clear();
        this.cache.set(s.text, problem);
      }
      if (doc.version !== version) return out; // a newer check is on its way
      if (!problem) continue;
      const range = new vscode.Range(doc.positionAt(s.start + problem.start), doc.positionAt(s.start + problem.end));
      const d = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
      d.source = 'Help Scout SQL';
      out.push(d);
    }
    if (!doc.isClosed) this.collection.set(doc.uri, out);
    return out;
  }

}

export interface LanguageFeatures extends vscode.Disposable {
  /** Errors of runs, shown until the document changes. */
  readonly runErrors: vscode.DiagnosticCollection;
  checkNow(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]>;
}

export function registerLanguageFeatures(): LanguageFeatures {
  const store = new DisposableStore();
  const diagnostics = store.add(new Diagnostics());
  const runErrors = store.add(vscode.languages.createDiagnosticCollection('helpscout-sql-run'));
  const codeLens = store.add(new CodeLensProvider());
  store.add(vscode.languages.registerCompletionItemProvider(selector, new CompletionProvider(), '.'));
  store.add(vscode.languages.registerHoverProvider(selector, new HoverProvider()));
  store.add(vscode.languages.registerCodeLensProvider(selector, codeLens));
  store.add(vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length && runErrors.has(e.document.uri)) runErrors.delete(e.document.uri);
  }));
  return {
    runErrors,
    checkNow: (doc) => diagnostics.check(doc),
    dispose: () => store.dispose(),
  };
}
