// Local history of article HTML. Before every save, draft save, discard or
// delete, the file system provider calls `record` with the HTML the server had,
// so "Restore Previous Version" can bring it back. Files live in the
// extension's global storage (`history/<articleId>/<time>-<kind>.html`); only
// the newest `limit` per article are kept. Article HTML only, never secrets.
import * as vscode from 'vscode';

export type HistoryKind = 'live' | 'draft' | 'deleted';

export interface HistoryEntry {
  /** The file name, which doubles as the entry's id. */
  id: string;
  articleId: string;
  kind: HistoryKind;
  /** When the entry was recorded (ms since the epoch). */
  at: number;
  uri: vscode.Uri;
}

const NAME = /^(\d{13})-(\d{3})-(live|draft|deleted)\.html$/;

export class ArticleHistory {
  private seq = 0;

  constructor(
    private readonly root: vscode.Uri,
    private readonly limit = 20,
    private readonly now: () => number = Date.now,
  ) {}

  private folder(articleId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, 'history', encodeURIComponent(articleId));
  }

  /** Keeps `html` as the version the server had before a change. Never throws: history must not block a save. */
  async record(articleId: string, kind: HistoryKind, html: string): Promise<void> {
    try {
      const folder = this.folder(articleId);
      await vscode.workspace.fs.createDirectory(folder);
      this.seq = (this.seq + 1) % 1000;
      const name = `${String(this.now()).padStart(13, '0')}-${String(this.seq).padStart(3, '0')}-${kind}.html`;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), new TextEncoder().encode(html));
      const entries = await this.list(articleId);
      for (const old of entries.slice(this.limit)) await vscode.workspace.fs.delete(old.uri);
    } catch {
      // A full disk or a read-only profile loses the history entry, not the save.
    }
  }

  /** Entries for an article, newest first. */
  async list(articleId: string): Promise<HistoryEntry[]> {
    const folder = this.folder(articleId);
    let names: [string, vscode.FileType][];
    try {
      names = await vscode.workspace.fs.readDirectory(folder);
    } catch {
      return [];
    }
    const entries: HistoryEntry[] = [];
    for (const [name] of names) {
      const m = NAME.exec(name);
      if (!m) continue;
      entries.push({ id: name, articleId, kind: m[3] as HistoryKind, at: Number(m[1]), uri: vscode.Uri.joinPath(folder, name) });
    }
    return entries.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async read(entry: HistoryEntry): Promise<string> {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(entry.uri));
  }
}
