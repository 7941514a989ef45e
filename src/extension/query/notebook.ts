// `.hsqlnb` notebooks: SQL and Markdown cells, each SQL cell's result shown as
// a table output. The file holds only the cells (JSON); outputs are not saved,
// because results are Help Scout data that should not land in files by
// accident. VS Code calls the serializer when opening and saving and the
// controller when a cell runs.
import * as vscode from 'vscode';
import { z } from 'zod';
import type { Cell } from '../../core/protocol/results';
import type { QueryService } from './execution';
import { HSQL_LANGUAGE } from './language';

export const NOTEBOOK_TYPE = 'helpscout-hsqlnb';
/** Rows shown in a cell output; the rest is counted (export from the results panel for everything). */
const OUTPUT_ROWS = 500;

const NotebookFileSchema = z.object({
  cells: z.array(z.object({ kind: z.enum(['sql', 'markdown']), value: z.string() })),
});

class Serializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const text = new TextDecoder().decode(content).trim();
    const parsed = text ? NotebookFileSchema.safeParse(JSON.parse(text) as unknown) : { success: true as const, data: { cells: [] } };
    if (!parsed.success) throw new Error(vscode.l10n.t('This is not a Help Scout SQL notebook: {0}', parsed.error.issues[0]?.message ?? ''));
    return new vscode.NotebookData(
      parsed.data.cells.map((c) =>
        c.kind === 'sql'
          ? new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.value, HSQL_LANGUAGE)
          : new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.value, 'markdown'),
      ),
    );
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells = data.cells.map((c) => ({ kind: c.kind === vscode.NotebookCellKind.Code ? 'sql' : 'markdown', value: c.value }));
    return new TextEncoder().encode(`${JSON.stringify({ cells }, null, 2)}\n`);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An HTML table of the first rows; every value is escaped (Help Scout data is written by strangers). */
export function htmlTable(columns: readonly string[], rows: readonly (readonly Cell[])[], total: number): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((v) => `<td>${v === null ? '<i>NULL</i>' : escapeHtml(String(v).length > 300 ? `${String(v).slice(0, 300)}…` : String(v))}</td>`).join('')}</tr>`)
    .join('');
  const more = total > rows.length ? `<p>${escapeHtml(vscode.l10n.t('Showing {0} of {1} rows.', rows.length, total))}</p>` : '';
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

export function registerNotebook(service: QueryService): vscode.Disposable {
  const controller = vscode.notebooks.createNotebookController('helpscout-hsqlnb-controller', NOTEBOOK_TYPE, vscode.l10n.t('Help Scout SQL'));
  controller.supportedLanguages = [HSQL_LANGUAGE];
  controller.supportsExecutionOrder = true;
  let order = 0;
  controller.executeHandler = async (cells) => {
    for (const cell of cells) {
      const execution = controller.createNotebookCellExecution(cell);
      execution.executionOrder = ++order;
      execution.start(Date.now());
      await execution.clearOutput();
      const run = service.start(cell.document.getText(), { silent: true });
      const sub = execution.token.onCancellationRequested(() => run.cancel());
      const summary = await run.finished;
      sub.dispose();
      const note = vscode.l10n.t('{0} rows · {1} requests · {2} ms', summary.rows, summary.requests, summary.durationMs);
      if (summary.state === 'error') {
        await execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Query failed', message: summary.error ?? '' })]));
        execution.end(false, Date.now());
        continue;
      }
      const rows = run.store.window(0, OUTPUT_ROWS);
      await execution.replaceOutput([
        new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(htmlTable(run.store.columns, rows, run.store.rows.length), 'text/html')]),
        new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(`${note}${summary.state === 'cancelled' ? ` · ${vscode.l10n.t('cancelled')}` : ''}`, 'text/plain')]),
      ]);
      execution.end(summary.state === 'done', Date.now());
      run.dispose();
    }
  };
  return vscode.Disposable.from(controller, vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new Serializer(), { transientOutputs: true }));
}
