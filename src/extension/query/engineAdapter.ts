// The one place where the query UI calls the SQL engine: plan, fetch through
// the shared API clients, evaluate in SQLite. The rest of src/extension/query
// sees only `runStatement` and the events it reports.
import { executePlan, plan as makePlan, analyse, catalogTable, explainRows, EXPLAIN_COLUMNS, getTable, readPage, type FetchPage, type Plan, type QueryResult, type SqlEngine } from '../../core/sql';
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
  readonly services: HelpScoutServices;
  readonly engine: SqlEngine;
  readonly signal: AbortSignal;
  readonly onEvent: (e: EngineEvent) => void;
  readonly onPlan: (plan: Plan) => void;
  /** Response cache lifetime; used by the parallel fetcher. */
  readonly cacheTtlSeconds: number;
}

/** Plans a statement without fetching (EXPLAIN and the panel's plan section). */
export function planStatement(sql: string): Plan {
  return makePlan(analyse(sql));
}

/**
 * Runs one statement. Throws SqlRejectedError (not a SELECT), SqlError
 * (SQLite, with a position when known) or the HTTP layer's typed errors.
 */
export async function runStatement(sql: string, opts: RunStatementOptions): Promise<StatementRun> {
  const p = planStatement(sql);
  opts.onPlan(p);
  const queryOpts = { signal: opts.signal, chunkSize: 2000 };
  if (p.kind === 'explain') {
    return { columns: [...EXPLAIN_COLUMNS], types: [], rows: explainRows(p), plan: p, requests: 0, partial: false };
  }
  if (p.kind === 'explainQueryPlan') {
    const r = await opts.engine.run(sql, p.tables.map((t) => catalogTable(getTable(t).name, [])), queryOpts);
    return { ...r, plan: p, requests: 0, partial: false };
  }
  // The shared governors pause every request while Help Scout rate limits us; the panel says when it resumes.
  const watch = [opts.services.mailboxGovernor, opts.services.docsGovernor].map((g) =>
    g.onDidChange((e) => {
      if (e.type === 'paused') opts.onEvent({ type: 'rate', paused: true, until: e.until });
      else if (e.type === 'resumed') opts.onEvent({ type: 'rate', paused: false });
    }),
  );
  try {
    return await fetchAndEvaluate(p, opts);
  } finally {
    for (const w of watch) w.dispose();
  }
}

async function fetchAndEvaluate(p: Plan, opts: RunStatementOptions): Promise<StatementRun> {
  const queryOpts = { signal: opts.signal, chunkSize: 2000 };
  let done = 0;
  const planned = p.estimatedRequests;
  const fetchPage: FetchPage = async (req) => {
    const client = req.api === 'docs' ? opts.services.docs().http : opts.services.mailbox().http;
    const res = await client.send({ method: 'GET', path: req.path, query: req.query, signal: opts.signal, ...(req.single ? { acceptStatus: [404] } : {}) });
    done++;
    opts.onEvent({ type: 'progress', requestsDone: done, requestsPlanned: Math.max(planned, done), rows: 0 });
    if (res.status === 404) return { items: [], hasNext: false };
    return readPage(JSON.parse(res.text) as unknown, req);
  };
  const exec = await executePlan(p, fetchPage, {
    signal: opts.signal,
    evaluate: async (sub, tables) => {
      const r = await opts.engine.run(sub, [...tables].map(([t, rows]) => catalogTable(t, rows)), queryOpts);
      return r.rows.map((row) => row.map((v) => (v instanceof Uint8Array ? null : v)));
    },
  });
  const r = await opts.engine.run(p.sql, p.tables.map((t) => catalogTable(getTable(t).name, exec.tables.get(t) ?? [])), queryOpts);
  return { ...r, plan: p, requests: exec.requests, partial: false };
}
