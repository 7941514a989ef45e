// One running (or finished) statement and the service that starts them.
// `QueryService.start` is called by every way of running a query (palette,
// CodeLens, Ctrl/Cmd+Enter, the Queries view, notebooks): it shows a
// cancellable progress notification with requests and rows, keeps the rows in
// a ResultStore for the results panel, records the outcome in the history and
// reports SQL errors at their position in the editor.
import * as vscode from 'vscode';
import type { Status } from '../../core/protocol/results';
import { SqlEngine, SqlError, SqlRejectedError, explainRows, EXPLAIN_COLUMNS, type Plan } from '../../core/sql';
import { describeError, type DescribedError } from '../errors';
import type { HelpScoutServices } from '../services';
import { QueryEngine } from './engineAdapter';
import type { QueryHistory } from './history';
import { ResultStore } from '../../core/results/store';
import { errorSpan } from '../../core/sql/sqlErrors';

/** Where a statement came from, so errors can point into the editor. */
export interface QuerySource {
  readonly uri: vscode.Uri;
  /** Offset of the statement's first character in the document. */
  readonly offset: number;
  /** Characters added in front of the document text (`EXPLAIN `), not in the document. */
  readonly prefix?: number;
}

export interface RunSummary {
  readonly state: 'done' | 'cancelled' | 'error';
  readonly columns: readonly string[];
  readonly rows: number;
  readonly requests: number;
  readonly durationMs: number;
  readonly partial: boolean;
  /** The statement had more rows than the row cap: `rows` are the first ones. */
  readonly truncated?: boolean;
  readonly error?: string;
}

let nextRunId = 1;

export class QueryRun implements vscode.Disposable {
  readonly id = nextRunId++;
  readonly store = new ResultStore();
  readonly startedAt = Date.now();
  state: Status['state'] = 'running';
  plan: Plan | undefined;
  requestsDone = 0;
  requestsPlanned = 0;
  resumesAt: number | null = null;
  finishedAt: number | undefined;
  partial = false;
  error: unknown;
  described: DescribedError | undefined;
  /** 1-based position of a SQL error inside `sql`. */
  errorPosition: { line: number; column: number } | undefined;
  readonly controller = new AbortController();
  private readonly changed = new vscode.EventEmitter<'status' | 'columns' | 'rows'>();
  /** Fires on progress (throttled by the listeners), new columns, new rows and the end. */
  readonly onDidChange = this.changed.event;
  readonly finished: Promise<RunSummary>;
  private finish!: (s: RunSummary) => void;

  constructor(
    readonly sql: string,
    readonly title: string,
    readonly source: QuerySource | undefined,
    /** Runs for notebooks: no progress notification and no results panel. */
    readonly silent = false,
  ) {
    this.finished = new Promise((r) => (this.finish = r));
  }

  cancel(): void {
    this.controller.abort();
  }

  fire(what: 'status' | 'columns' | 'rows'): void {
    this.changed.fire(what);
  }

  complete(summary: RunSummary): void {
    this.finish(summary);
  }

  get durationMs(): number {
    return (this.finishedAt ?? Date.now()) - this.startedAt;
  }

  planTable(): { columns: string[]; rows: (string | number | null)[][] } | null {
    return this.plan && this.plan.kind !== 'explain' ? { columns: [...EXPLAIN_COLUMNS], rows: explainRows(this.plan) } : null;
  }

  status(viewCount: number): Status {
    return {
      state: this.state,
      rowCount: this.store.rows.length,
      viewCount,
      requestsDone: this.requestsDone,
      requestsPlanned: this.requestsPlanned,
      asOf: this.finishedAt ?? null,
      durationMs: this.state === 'running' ? null : this.durationMs,
      resumesAt: this.resumesAt,
      error: this.described
        ? {
            message: this.described.message,
            actions: this.described.actions.map((a) => a.title),
            line: this.errorPosition?.line ?? null,
            column: this.errorPosition?.column ?? null,
          }
        : null,
    };
  }

  dispose(): void {
    this.controller.abort();
    this.changed.dispose();
  }
}

export interface QueryServiceHooks {
  /** Called when a run starts: the results panel shows it. */
  onDidStart(run: QueryRun): void;
  /** A SQL error at a document position (or undefined to clear the run diagnostics of `uri`). */
  reportSqlError(uri: vscode.Uri, range: vscode.Range | undefined, message: string): void;
}

export class QueryService implements vscode.Disposable {
  readonly engine = new SqlEngine();
  private readonly queryEngine: QueryEngine;
  private readonly runs = new Set<QueryRun>();

  constructor(
    private readonly services: HelpScoutServices,
    private readonly history: QueryHistory,
    private readonly hooks: QueryServiceHooks,
  ) {
    this.queryEngine = new QueryEngine(services);
  }

  /** Starts a statement; resolves when it has finished (never rejects). */
  start(sql: string, opts: { title?: string; source?: QuerySource; silent?: boolean } = {}): QueryRun {
    const run = new QueryRun(sql, opts.title ?? firstLine(sql), opts.source, opts.silent ?? false);
    this.runs.add(run);
    if (opts.source) this.hooks.reportSqlError(opts.source.uri, undefined, '');
    this.hooks.onDidStart(run);
    if (opts.silent) void this.execute(run);
    else {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Help Scout query'), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => run.cancel());
          const report = (): void => {
            const rate = run.resumesAt !== null
              ? vscode.l10n.t(' · rate limited, resumes at {0}', new Date(run.resumesAt).toLocaleTimeString())
              : '';
            progress.report({
              message: vscode.l10n.t({
                message: '{0}/{1} requests · {2} rows{3}',
                args: [run.requestsDone, run.requestsPlanned, run.store.rows.length, rate],
                comment: ['{0} requests done, {1} planned, {2} rows received, {3} an optional rate-limit note'],
              }),
            });
          };
          const sub = run.onDidChange(report);
          report();
          try {
            await this.execute(run);
          } finally {
            sub.dispose();
          }
        },
      );
    }
    return run;
  }

  private async execute(run: QueryRun): Promise<RunSummary> {
    const log = this.services.log;
    log.info(`[query] run ${run.id}: ${firstLine(run.sql)}`);
    let summary: RunSummary;
    try {
      const result = await this.queryEngine.run(run.sql, {
        engine: this.engine,
        signal: run.controller.signal,
        onPlan: (p) => {
          run.plan = p;
          run.requestsPlanned = p.kind === 'select' ? p.estimatedRequests : 0;
          run.fire('status');
        },
        onEvent: (e) => {
          if (e.type === 'progress') {
            run.requestsDone = e.requestsDone;
            run.requestsPlanned = e.requestsPlanned;
          } else {
            run.resumesAt = e.paused ? (e.until ?? null) : null;
          }
          run.fire('status');
        },
      });
      run.store.setColumns(result.columns, result.types);
      run.fire('columns');
      run.store.append(result.rows);
      run.requestsDone = result.requests;
      run.partial = result.partial;
      run.state = result.partial ? 'cancelled' : 'done';
      run.finishedAt = Date.now();
      run.resumesAt = null;
      summary = {
        state: run.state, columns: run.store.columns, rows: run.store.rows.length, requests: result.requests, durationMs: run.durationMs, partial: result.partial,
        ...(result.truncated ? { truncated: true } : {}),
      };
      log.info(`[query] run ${run.id}: ${summary.rows} rows, ${summary.requests} requests in ${summary.durationMs} ms${result.partial ? ' (partial)' : ''}${result.truncated ? ' (first rows only)' : ''}`);
      if (result.truncated && !run.silent) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The query returned more rows than the limit: showing the first {0} rows. Add a LIMIT or a narrower WHERE to see the rest.', summary.rows));
      }
    } catch (err) {
      run.finishedAt = Date.now();
      run.resumesAt = null;
      const cancelled = run.controller.signal.aborted || (err instanceof SqlError && err.kind === 'cancelled');
      run.state = cancelled ? 'cancelled' : 'error';
      run.error = err;
      if (!cancelled) {
        run.described = err instanceof SqlRejectedError || err instanceof SqlError ? { message: err.message, actions: [], cancelled: false } : describeError(err);
        if (err instanceof SqlError && err.position) run.errorPosition = { line: err.position.line, column: err.position.column };
        this.reportError(run);
        log.warn(`[query] run ${run.id} failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      } else {
        log.info(`[query] run ${run.id} cancelled`);
      }
      summary = {
        state: run.state === 'cancelled' ? 'cancelled' : 'error',
        columns: run.store.columns,
        rows: run.store.rows.length,
        requests: run.requestsDone,
        durationMs: run.durationMs,
        partial: run.store.rows.length > 0,
        ...(run.described ? { error: run.described.message } : {}),
      };
    }
    run.fire('rows');
    run.fire('status');
    await this.history.add({ sql: run.sql, time: run.startedAt, rows: summary.rows, requests: summary.requests, durationMs: summary.durationMs, state: summary.state })
      .catch((e: unknown) => log.warn(`[query] history not saved: ${String(e)}`));
    this.runs.delete(run);
    run.complete(summary);
    return summary;
  }

  /** Errors: SQL errors go to the editor at their position; others get a notification with actions. */
  private reportError(run: QueryRun): void {
    const d = run.described;
    if (!d) return;
    const err = run.error;
    const isSql = err instanceof SqlError || err instanceof SqlRejectedError;
    if (isSql && run.source) {
      const src = run.source;
      const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === src.uri.toString());
      if (doc) {
        const prefix = src.prefix ?? 0;
        const span = errorSpan(run.sql, d.message, run.errorPosition);
        const range = span
          ? new vscode.Range(doc.positionAt(src.offset + Math.max(0, span.start - prefix)), doc.positionAt(src.offset + Math.max(0, span.end - prefix)))
          : new vscode.Range(doc.positionAt(src.offset), doc.positionAt(src.offset + Math.max(0, run.sql.length - prefix)));
        this.hooks.reportSqlError(src.uri, range, d.message);
      }
    }
    if (!isSql || !run.source) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Query failed: {0}', d.message), ...d.actions.map((a) => a.title)).then((picked) => {
        const action = d.actions.find((a) => a.title === picked);
        if (action) void vscode.commands.executeCommand(action.command);
      });
    }
  }

  cancelAll(): void {
    for (const r of this.runs) r.cancel();
  }

  dispose(): void {
    this.cancelAll();
    this.engine.dispose();
    this.queryEngine.dispose();
  }
}

export function firstLine(sql: string): string {
  const line = sql.replace(/--[^\n]*\n/g, '').trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
