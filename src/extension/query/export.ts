// Writes the rows of a results view to a file, a chunk at a time, so a result
// of any size is exported without building one big string and without
// rendering anything. Called from the results page's Export menu and from
// "Help Scout: Export Query Results…".
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import * as vscode from 'vscode';
import type { ExportFormat } from '../../core/protocol/results';
import { exportChunks } from '../../core/results/format';
import type { ResultStore } from '../../core/results/store';

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', json: 'json', markdown: 'md' };

/** Asks where to save; undefined when the user cancels. */
export async function askExportTarget(format: ExportFormat, baseName: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${baseName}.${EXPORT_EXTENSIONS[format]}`;
  const filters: Record<ExportFormat, Record<string, string[]>> = {
    csv: { [vscode.l10n.t('CSV')]: ['csv'] },
    json: { [vscode.l10n.t('JSON')]: ['json'] },
    markdown: { [vscode.l10n.t('Markdown')]: ['md'] },
  };
  return vscode.window.showSaveDialog({
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    filters: filters[format],
    saveLabel: vscode.l10n.t('Export'),
    title: vscode.l10n.t('Export query results'),
  });
}

/** Streams the view of `store` to `target`; returns the number of rows written. */
export async function exportStore(store: ResultStore, format: ExportFormat, target: vscode.Uri, signal?: AbortSignal): Promise<number> {
  let rows = 0;
  const counted = (function* () {
    for (const r of store.iterate()) {
      rows++;
      yield r;
    }
  })();
  const chunks = exportChunks(store.columns, counted, format, true, 1000);
  if (target.scheme === 'file') {
    const out = createWriteStream(target.fsPath, { encoding: 'utf8' });
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => undefined);
    try {
      for (const chunk of chunks) {
        if (signal?.aborted) throw new Error('Export cancelled');
        // Respect back-pressure: wait for the stream to drain before the next chunk.
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      }
    } finally {
      out.end();
      await Promise.race([once(out, 'finish'), failed]).catch(() => undefined);
    }
    return rows;
  }
  // Other file systems (remote, virtual) take whole files only.
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(chunk, 'utf8'));
  await vscode.workspace.fs.writeFile(target, Buffer.concat(parts));
  return rows;
}
