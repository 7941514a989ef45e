// The one place where the query UI calls the SQL engine: `runSql` from core
// (plan, parallel cached fetch through the shared API clients and governors,
// evaluate in SQLite). It keeps one SqlFetcher, whose response cache lives
// until the account or endpoint or the cache setting changes, so re-running or refining
// a query within the TTL costs no requests. The rest of src/extension/query
// sees only `QueryEngine.run` and the events it reports.
import type * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { NotConnectedError } from '../services';
import { ApiNotConfiguredError, ResponseCache, runSql, SqlFetcher, type FetchEvent, type Plan, type QueryResult, type SqlEngine } from '../../core/sql';
import type { HelpScoutServices } from '../services';

export type EngineEvent =
  | { readonly type: 'progress'; readonly requestsDone: number; readonly requestsPlanned: number; readonly rows: number }
  | { readonly type: 'rate'; readonly paused: boolean; readonly until?: number };

export interface StatementRun extends QueryResult {
  readonly plan: Plan;
  readonly requests: number;
  /** Cancelled while fetching: the rows are the statement over what had arrived. */
  readonly partial: boolean;
}

export interface RunStatementOptions {
  readonly engine: SqlEngine;
  readonly signal: AbortSignal;
  readonly onEvent: (e: EngineEvent) => void;
  readonly onPlan: (plan: Plan) => void;
}

/** Owns the fetcher; rebuilt when the connection (clients) or the cache setting changes. */
export class QueryEngine extends Disposable implements vscode.Disposable {
  private fetcher: SqlFetcher | undefined;

  constructor(private readonly services: HelpScoutServices) {
    super();
    // Another account or endpoint: its cached responses must not answer the next query.
    // A renewed token is the same account: the cache stays.
    this.register(services.onDidChangeAccount(() => (this.fetcher = undefined)));
    this.register(services.onDidChangeSettings((changed) => {
      if (changed.has('cacheTtlSeconds')) this.fetcher = undefined;
    }));
  }

  private current(): SqlFetcher {
    if (!this.fetcher) {
      const ttl = this.services.settings.cacheTtlSeconds;
      this.fetcher = new SqlFetcher({
        mailbox: this.services.mailbox().http,
        docs: this.services.docs().http,
        cache: new ResponseCache({ ttlMs: Math.max(0, ttl) * 1000 }),
      });
    }
    return this.fetcher;
  }

  /** Plans a statement without fetching (EXPLAIN, and the plan the panel shows). */
  plan(sql: string): Plan {
    return this.current().plan(sql);
  }

  /**
   * Runs one statement. Throws SqlRejectedError (not a SELECT), SqlError
   * (SQLite, with a position when known) or the HTTP layer's typed errors.
   */
  async run(sql: string, opts: RunStatementOptions): Promise<StatementRun> {
    try {
      const r = await runSql(sql, {
        fetcher: this.current(),
        engine: opts.engine,
        signal: opts.signal,
        chunkSize: 2000,
        onPlan: opts.onPlan,
        onEvent: (e: FetchEvent) => {
          if (e.type === 'progress') opts.onEvent({ type: 'progress', requestsDone: e.progress.requestsDone, requestsPlanned: e.progress.requestsPlanned, rows: e.progress.rows });
          else if (e.type === 'rate') opts.onEvent({ type: 'rate', paused: e.paused, ...(e.until !== undefined ? { until: e.until } : {}) });
        },
      });
      return { columns: r.columns, types: r.types, rows: r.rows, plan: r.plan, requests: r.requests, partial: r.partial, ...(r.truncated ? { truncated: true } : {}) };
    } catch (err) {
      // The fetcher's "no client" error means the same to users as "not connected".
      if (err instanceof ApiNotConfiguredError) throw new NotConnectedError(err.api);
      throw err;
    }
  }
}
