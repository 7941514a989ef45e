// Public surface of the query engine: catalog -> parse -> plan -> fetch -> evaluate.
// `runQuery` wires the pieces with the reference executor; the real fetcher
// replaces `executePlan` and keeps the rest.
import { getTable, type SqlValue } from './catalog';
import { catalogTable, SqlEngine, type QueryOptions, type QueryResult, type TableData } from './engine/engine';
import { executePlan, type FetchPage } from './execute';
import { analyse } from './parse';
import { EXPLAIN_COLUMNS, explainRows, plan, type Plan, type PlannerOptions } from './planner';

export * from './catalog';
export { analyse, SqlRejectedError, tablesMentioned, type Analysis, type Predicate, type TableRef } from './parse';
export { plan, explainRows, queryString, EXPLAIN_COLUMNS, type Plan, type PlanStep, type Binding, type RequestTemplate, type PlannerOptions } from './planner';
export {
  executePlan, expandRequests, readPage, rowsFromItems, dedupe, fillPath,
  type FetchPage, type PageRequest, type PageResult, type ExecuteOptions, type ExecutionResult, type StreamRequest,
} from './execute';
export {
  SqlEngine, SqlError, catalogTable, defaultWorkerSpec, DEFAULT_MAX_ROWS,
  type QueryResult, type QueryOptions, type ResultEvent, type EngineOptions, type WorkerSpec, type TableData, type ResultValue,
} from './engine/engine';

export { checkStatement, probeStatement, type StatementProblem, type CheckOptions } from './check';
export { classifyStatement, readOnlyProblem, type StatementKind } from './statementKind';
export { ResponseCache, cacheKey, type ResponseCacheOptions, type CacheClock } from './cache';
export {
  SqlFetcher, ApiNotConfiguredError, runSql,
  type SqlFetcherOptions, type FetchOptions, type FetchResult, type FetchEvent, type FetchProgress, type RunSqlOptions, type SqlRun,
} from './fetcher';

/** The tables a plan needs, filled with the fetched rows (empty when a table got none). */
export function engineTables(p: Plan, rows: ReadonlyMap<string, readonly (readonly SqlValue[])[]>): TableData[] {
  return p.tables.map((t) => catalogTable(getTable(t).name, rows.get(t) ?? []));
}

export interface RunQueryOptions extends QueryOptions {
  readonly fetchPage: FetchPage;
  readonly engine: SqlEngine;
  readonly planner?: PlannerOptions;
}

/**
 * Runs one statement end to end with the reference executor: `EXPLAIN <q>`
 * returns the plan as rows without fetching, `EXPLAIN QUERY PLAN` runs in
 * SQLite over empty tables, anything else is fetched and evaluated.
 * Throws SqlRejectedError (not a SELECT) or SqlError (SQLite's error).
 */
export async function runQuery(sql: string, opts: RunQueryOptions): Promise<QueryResult & { readonly plan: Plan; readonly requests: number }> {
  const a = analyse(sql);
  const p = plan(a, opts.planner);
  const queryOpts: QueryOptions = { ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
  if (p.kind === 'explain') {
    return { columns: [...EXPLAIN_COLUMNS], types: [], rows: explainRows(p), plan: p, requests: 0 };
  }
  if (p.kind === 'explainQueryPlan') {
    const r = await opts.engine.run(sql, engineTables(p, new Map()), queryOpts);
    return { ...r, plan: p, requests: 0 };
  }
  const exec = await executePlan(p, opts.fetchPage, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    evaluate: async (sub, tables) => {
      // Key values for later requests are never cut at the row cap.
      const r = await opts.engine.run(sub, [...tables].map(([t, rows]) => catalogTable(t, rows)), { ...queryOpts, maxRows: Number.POSITIVE_INFINITY });
      return r.rows.map((row) => row.map((v) => (v instanceof Uint8Array ? null : v)));
    },
  });
  const r = await opts.engine.run(p.sql, engineTables(p, exec.tables), queryOpts);
  return { ...r, plan: p, requests: exec.requests };
}
export {
  runWrite, readWrite, isWriteStatement, whereText, WritesDisabledError, WriteStatementError,
  type WriteRequest, type WritePlan, type WriteOutcome, type WriteResult, type RunWriteOptions, type WriteStatement,
} from './writes';
