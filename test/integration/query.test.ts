// The query feature inside VS Code, against the sandbox: running from the
// command, language features of .hsql documents (completion, hovers, CodeLens,
// diagnostics), errors at their position, history, and export.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { allTables } from '../../src/core/sql/catalog';
import type { HelpScoutTestApi } from '../../src/extension/extension';
import type { HelpScoutServices } from '../../src/extension/services';
import { historyDescription } from '../../src/extension/views/queries';
import { extension, testApi, sandboxControl, sandboxInfo, sandboxLog } from './env';


interface Summary {
  state: 'done' | 'cancelled' | 'error';
  columns: string[];
  rows: number;
  requests: number;
  durationMs: number;
  partial: boolean;
  error?: string;
}


const run = async (sql: string): Promise<Summary> => {
  const s = (await vscode.commands.executeCommand('helpscout.query.run', sql)) as Summary | undefined;
  assert.ok(s, 'helpscout.query.run returned nothing');
  return s;
};

async function hsqlDoc(content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'hsql', content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Waits until the document has diagnostics (they are computed 300 ms after a change, off the UI path). */
async function diagnosticsOf(uri: vscode.Uri, count: number): Promise<vscode.Diagnostic[]> {
  for (let i = 0; i < 100; i++) {
    const d = vscode.languages.getDiagnostics(uri);
    if (d.length >= count) return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  return vscode.languages.getDiagnostics(uri);
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

describe('queries', function () {
  this.timeout(60_000);
  let services: HelpScoutServices;
  let api: HelpScoutTestApi;

  before(async () => {
    api = await testApi();
    services = api.services;
    const creds = (await sandboxInfo())['credentials'] as { accessToken: string; docsApiKey: string };
    await vscode.commands.executeCommand('helpscout.signIn', { accessToken: creds.accessToken });
    await services.secrets.store('helpscout.docs.apiKey', creds.docsApiKey);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs a query from the command and fetches from the Mailbox API', async () => {
    await sandboxControl('log', { method: 'DELETE' });
    const expected = (await sandboxControl('store/mailbox/mailboxes')) as { count: number };
    const s = await run('SELECT Id, Name, Email FROM Mailboxes ORDER BY Id');
    assert.equal(s.state, 'done', s.error);
    assert.deepEqual(s.columns, ['Id', 'Name', 'Email']);
    assert.equal(s.rows, expected.count);
    const log = await sandboxLog({ api: 'mailbox', path: '/v2/mailboxes' });
    assert.ok(log.length >= 1, 'no GET /v2/mailboxes reached the sandbox');
    assert.equal(s.requests, (await sandboxLog({ api: 'mailbox' })).length);
  });

  it('runs a join across Conversations and Customers', async () => {
    const s = await run(`SELECT c.Number, c.Subject, cu.FirstName, cu.Email
      FROM Conversations c JOIN Customers cu ON cu.Id = c.CustomerId
      WHERE c.Status = 'active' ORDER BY c.Number LIMIT 50`);
    assert.equal(s.state, 'done', s.error);
    assert.deepEqual(s.columns, ['Number', 'Subject', 'FirstName', 'Email']);
    assert.ok(s.rows > 0 && s.rows <= 50, `rows: ${s.rows}`);
  });

  it('records each run in the history (text, rows, requests; newest first)', async () => {
    const sql = 'SELECT Id, Name FROM Mailboxes WHERE Id > 0';
    const s = await run(sql);
    const entries = api.query.history();
    const first = entries[0];
    assert.ok(first, 'history is empty');
    assert.equal(first.sql, sql);
    assert.equal(first.state, 'done');
    assert.equal(first.rows, s.rows);
    assert.equal(first.requests, s.requests);
    assert.ok(Object.keys(first).every((k) => ['id', 'sql', 'time', 'rows', 'requests', 'durationMs', 'state'].includes(k)), 'history keeps more than the run summary');
  });

  it('describes a history entry in words that agree with the count ("1 row", "3 rows")', async () => {
    const s = await run('SELECT Id FROM Mailboxes ORDER BY Id LIMIT 1');
    assert.equal(s.rows, 1);
    const [one] = api.query.history();
    assert.ok(one);
    assert.match(historyDescription(one), /^1 row · /);
    assert.match(historyDescription({ ...one, rows: 3 }), /^3 rows · /);
  });

  it('completes table names after FROM with a prefix', async () => {
    const doc = await hsqlDoc('SELECT * FROM Conv');
    const list = (await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(doc.getText().length))) as vscode.CompletionList;
    const labels = list.items.map(labelOf);
    assert.ok(labels.includes('Conversations'), `no Conversations in ${labels.slice(0, 20).join(', ')}`);
    assert.ok(labels.includes('ConversationCustomFields'));
    assert.ok(!labels.includes('SELECT'), 'keywords offered where only a table fits');
    const item = list.items.find((i) => labelOf(i) === 'Conversations');
    assert.match(String(item?.detail), /Conversations/);
  });

  it('completes the columns of an aliased table, marking pushed-down key columns', async () => {
    const doc = await hsqlDoc('SELECT c. FROM Conversations c');
    const list = (await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 9), '.')) as vscode.CompletionList;
    const byName = new Map(list.items.map((i) => [labelOf(i), i]));
    const conversations = allTables().find((t) => t.name === 'Conversations');
    assert.ok(conversations);
    for (const c of conversations.columns) assert.ok(byName.has(c.name), `no completion for ${c.name}`);
    assert.match(String(byName.get('MailboxId')?.detail), /INTEGER · pushed down \(= IN\)/);
    assert.equal(byName.get('Preview')?.detail, 'TEXT');
    const docs = byName.get('MailboxId')?.documentation;
    assert.match(docs instanceof vscode.MarkdownString ? docs.value : String(docs), /mailbox/);
  });

  it('shows hovers for tables and columns', async () => {
    const doc = await hsqlDoc('SELECT c.Status FROM Conversations c');
    const onTable = (await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 25))) as vscode.Hover[];
    const tableText = onTable.flatMap((h) => h.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : String(c)))).join('\n');
    assert.match(tableText, /\*\*Conversations\*\*/);
    assert.match(tableText, /GET \/conversations/);
    const onColumn = (await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 10))) as vscode.Hover[];
    const columnText = onColumn.flatMap((h) => h.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : String(c)))).join('\n');
    assert.match(columnText, /Conversations\.Status/);
    assert.match(columnText, /Pushed down/);
  });

  it('puts a Run and an Explain CodeLens above each statement', async () => {
    const doc = await hsqlDoc('-- two statements\nSELECT Id FROM Mailboxes;\n\nSELECT Id\nFROM Tags;\n');
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) as vscode.CodeLens[];
    assert.equal(lenses.length, 4);
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.command]), [
      [1, 'helpscout.query.runStatement'], [1, 'helpscout.query.explainStatement'],
      [3, 'helpscout.query.runStatement'], [3, 'helpscout.query.explainStatement'],
    ]);
    // The lens runs exactly its statement.
    const args = lenses[2]?.command?.arguments ?? [];
    const s = (await vscode.commands.executeCommand('helpscout.query.runStatement', ...args)) as Summary;
    assert.equal(s.state, 'done', s.error);
    assert.deepEqual(s.columns, ['Id']);
    const tags = (await sandboxControl('store/mailbox/tags')) as { count: number };
    assert.equal(s.rows, tags.count);
  });

  it('reports unknown columns, unknown tables, syntax errors and writes at their position', async () => {
    const doc = await hsqlDoc([
      'SELECT Nope FROM Conversations;',
      'SELECT * FROM Conversationz;',
      'SELECT * FORM Customers;',
      "DELETE FROM Tags WHERE Name = 'x';",
      'SELECT Id FROM Mailboxes;',
    ].join('\n'));
    const diags = (await diagnosticsOf(doc.uri, 4)).sort((a, b) => a.range.start.line - b.range.start.line);
    assert.equal(diags.length, 4, diags.map((d) => d.message).join(' | '));
    const [col, table, syntax, write] = diags;
    assert.match(String(col?.message), /no such column: Nope/);
    assert.deepEqual([col?.range.start.line, col?.range.start.character, col?.range.end.character], [0, 7, 11]);
    assert.match(String(table?.message), /no such table: Conversationz/);
    assert.deepEqual([table?.range.start.line, table?.range.start.character], [1, 14]);
    assert.match(String(syntax?.message), /syntax error/);
    assert.equal(syntax?.range.start.line, 2);
    assert.equal(doc.getText(syntax?.range), 'FORM');
    assert.match(String(write?.message), /Only SELECT/);
    assert.equal(write?.range.start.line, 3);
    // Diagnosing never fetches.
  });

  it('points a failed run at the position in the editor', async () => {
    const doc = await hsqlDoc('SELECT Id FROM Mailboxes;\nSELECT Id, Missing FROM Tags;\n');
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(1, 3, 1, 3) });
    const s = (await vscode.commands.executeCommand('helpscout.query.runStatement')) as Summary;
    assert.equal(s.state, 'error');
    assert.match(String(s.error), /no such column: Missing/);
    const diags = await diagnosticsOf(doc.uri, 1);
    const hit = diags.find((d) => /Missing/.test(d.message));
    assert.ok(hit, 'no diagnostic for the failed run');
    assert.equal(doc.getText(hit.range), 'Missing');
  });

  it('explains a statement without fetching', async () => {
    await sandboxControl('log', { method: 'DELETE' });
    const s = (await vscode.commands.executeCommand('helpscout.query.explain', "SELECT * FROM Conversations WHERE MailboxId = 1 AND Status = 'closed'")) as Summary;
    assert.equal(s.state, 'done', s.error);
    assert.equal(s.requests, 0);
    assert.ok(s.columns.includes('Endpoint') && s.columns.includes('PushedPredicates'));
    assert.equal((await sandboxLog({ api: 'mailbox' })).length, 0);
  });

  it('exports the result as RFC 4180 CSV, streamed to a file', async () => {
    const s = await run('SELECT Id, Name, Email FROM Mailboxes ORDER BY Id');
    assert.equal(s.state, 'done');
    const dir = mkdtempSync(join(tmpdir(), 'hsql-export-'));
    try {
      const file = join(dir, 'out.csv');
      const rows = (await vscode.commands.executeCommand('helpscout.query.exportResults', { format: 'csv', uri: vscode.Uri.file(file) })) as number;
      assert.equal(rows, s.rows);
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\r\n');
      assert.equal(lines[0], 'Id,Name,Email');
      assert.equal(lines.length, s.rows + 2); // header + rows + the empty string after the last CRLF
      const ids = (await sandboxControl('store/mailbox/mailboxes')) as { ids: (string | number)[] };
      assert.deepEqual(lines.slice(1, -1).map((l) => Number(l.split(',')[0])), ids.ids.map(Number).sort((a, b) => a - b));
      const json = join(dir, 'out.json');
      await vscode.commands.executeCommand('helpscout.query.exportResults', { format: 'json', uri: vscode.Uri.file(json) });
      const parsed = JSON.parse(readFileSync(json, 'utf8')) as { Id: number; Name: string }[];
      assert.equal(parsed.length, s.rows);
      assert.deepEqual(Object.keys(parsed[0] ?? {}), ['Id', 'Name', 'Email']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the rows that had arrived when a query is cancelled', async () => {
    await sandboxControl('knobs', { method: 'PUT', body: JSON.stringify({ latencyMs: 400 }) });
    await sandboxControl('log', { method: 'DELETE' });
    try {
      // A fresh text (not cached): every page of Threads of many conversations.
      const pending = vscode.commands.executeCommand('helpscout.query.run', `SELECT t.Id, t.ConversationId FROM Threads t WHERE t.ConversationId IN (SELECT Id FROM Conversations) AND t.Id > ${Date.now() % 7}`) as Thenable<Summary>;
      for (let i = 0; i < 100 && (await sandboxLog({ api: 'mailbox', path: '/v2/conversations' })).length < 1; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      await vscode.commands.executeCommand('helpscout.query.cancel');
      const s = await pending;
      assert.equal(s.state, 'cancelled', s.error);
      assert.equal(s.partial, true);
      const entries = api.query.history();
      assert.equal(entries[0]?.state, 'cancelled');
      assert.equal(entries[0]?.rows, s.rows);
    } finally {
      await sandboxControl('knobs', { method: 'PUT', body: JSON.stringify({ latencyMs: 0 }) });
    }
  });

  it('offers sign-in when not signed in to the Mailbox API', async () => {
    await vscode.commands.executeCommand('helpscout.signOut');
    try {
      const s = await run('SELECT Id FROM Mailboxes');
      assert.equal(s.state, 'error');
      assert.match(String(s.error), /Sign in/i);
    } finally {
      const creds = (await sandboxInfo())['credentials'] as { accessToken: string };
      await vscode.commands.executeCommand('helpscout.signIn', { accessToken: creds.accessToken });
    }
    const again = await run('SELECT Id FROM Mailboxes');
    assert.equal(again.state, 'done', again.error);
  });

  it('has a grammar that knows every catalog table', () => {
    const grammar = readFileSync(join(extension().extensionPath, 'syntaxes', 'hsql.tmLanguage.json'), 'utf8');
    const tables = (JSON.parse(grammar) as { repository: { tables: { patterns: { match: string }[] } } }).repository.tables.patterns[0]?.match ?? '';
    const re = new RegExp(tables.replace('(?i)', ''), 'i');
    for (const t of allTables()) assert.ok(re.test(t.name), `grammar misses ${t.name}`);
  });
});
