// Query history and user-saved queries, kept in `context.globalState` so they
// follow the user across workspaces. History records what ran and how it went
// (text, time, rows, requests, duration), never results or credentials, and
// keeps the newest HISTORY_LIMIT entries. Both stores fire `onDidChange` so the
// Queries view refreshes; they are plain data validated with zod when read.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { z } from 'zod';

export const HISTORY_LIMIT = 200;

const HistoryEntrySchema = z.object({
  id: z.string(),
  sql: z.string(),
  /** When it started (ms since epoch). */
  time: z.number(),
  rows: z.number(),
  requests: z.number(),
  durationMs: z.number(),
  state: z.enum(['done', 'cancelled', 'error']),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const SavedQuerySchema = z.object({ id: z.string(), name: z.string(), sql: z.string(), time: z.number() });
export type SavedQuery = z.infer<typeof SavedQuerySchema>;

const HISTORY_KEY = 'helpscout.query.history';
const SAVED_KEY = 'helpscout.query.saved';

function read<T>(memento: vscode.Memento, key: string, schema: z.ZodType<T>): T[] {
  const parsed = z.array(schema).safeParse(memento.get<unknown>(key, []));
  return parsed.success ? parsed.data : [];
}

export class QueryHistory extends Disposable implements vscode.Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
  }

  /** Newest first. */
  entries(): HistoryEntry[] {
    return read(this.memento, HISTORY_KEY, HistoryEntrySchema);
  }

  /** Called when a statement finishes (done, cancelled or failed). */
  async add(entry: Omit<HistoryEntry, 'id'>): Promise<HistoryEntry> {
    const full: HistoryEntry = { ...entry, id: `${entry.time.toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
    const next = [full, ...this.entries()].slice(0, HISTORY_LIMIT);
    await this.memento.update(HISTORY_KEY, next);
    this.changed.fire();
    return full;
  }

  async remove(id: string): Promise<void> {
    await this.memento.update(HISTORY_KEY, this.entries().filter((e) => e.id !== id));
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.memento.update(HISTORY_KEY, []);
    this.changed.fire();
  }
}

export class SavedQueries extends Disposable implements vscode.Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
  }

  /** By name. */
  entries(): SavedQuery[] {
    return read(this.memento, SAVED_KEY, SavedQuerySchema).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Saves under `name`, replacing a saved query of the same name. */
  async save(name: string, sql: string): Promise<SavedQuery> {
    const entry: SavedQuery = { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, name, sql, time: Date.now() };
    const next = [...this.entries().filter((e) => e.name !== name), entry];
    await this.memento.update(SAVED_KEY, next);
    this.changed.fire();
    return entry;
  }

  async remove(id: string): Promise<void> {
    await this.memento.update(SAVED_KEY, this.entries().filter((e) => e.id !== id));
    this.changed.fire();
  }
}
