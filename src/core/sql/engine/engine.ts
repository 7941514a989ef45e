// The evaluator's main-thread side. It keeps one SQL worker (sql.js in a
// worker_thread, so a heavy query never blocks the extension host), sends it
// the tables a statement needs and streams the result back in chunks.
//
// Worker lifetime: wasm memory never shrinks, so the worker is replaced after
// `maxQueriesPerWorker` statements and stopped after `idleMs` without work.
// Cancelling terminates the worker (sql.js cannot interrupt a running
// statement); the next statement starts a fresh one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { getTable, tableNames, type SqlValue } from '../catalog';
import { syntaxErrorPosition, type SqlPosition } from '../parse';
import type { FromWorker, ResultValue, TableData } from './protocol';

export type { ResultValue, TableData } from './protocol';

export class SqlError extends Error {
  override readonly name = 'SqlError';
  constructor(
    message: string,
    /** sql: SQLite rejected the statement; cancelled: the caller aborted; worker: the worker failed. */
    readonly kind: 'sql' | 'cancelled' | 'worker',
    /** 1-based line and column, where node-sql-parser can locate the problem. */
    readonly position?: SqlPosition,
  ) {
    super(message);
  }
}

export type ResultEvent =
  | { readonly type: 'columns'; readonly columns: readonly string[] }
  | { readonly type: 'rows'; readonly rows: ResultValue[][] }
  | { readonly type: 'done'; readonly rowCount: number; readonly types: readonly string[] };

export interface QueryResult {
  readonly columns: readonly string[];
  /** Storage class seen per result column: INTEGER, REAL, TEXT, BLOB, NULL (no value) or ANY (mixed). */
  readonly types: readonly string[];
  readonly rows: ResultValue[][];
}

export interface QueryOptions {
  /** Rows per chunk (default 1000). */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
}

/** How to start the worker thread. */
export interface WorkerSpec {
  /** Path of the worker entry: `dist/sqlworker.js` when bundled, `worker.ts` under tsx. */
  readonly file: string;
  /** True for a TypeScript entry (tests under tsx): loaded through tsx's CommonJS hook. */
  readonly typescript: boolean;
}

export interface EngineOptions {
  readonly worker?: WorkerSpec;
  /** Statements per worker before it is replaced (default 50). */
  readonly maxQueriesPerWorker?: number;
  /** Stop the worker after this long without a statement (default 60 s). */
  readonly idleMs?: number;
}

/**
 * Where the worker entry is. Bundled, this module lives in dist/extension.js
 * and esbuild emits dist/sqlworker.js beside it; under tsx it is the .ts file
 * next to this one. HELPSCOUT_SQL_WORKER overrides both.
 */
export function defaultWorkerSpec(): WorkerSpec {
  const env = process.env['HELPSCOUT_SQL_WORKER'];
  if (env) return { file: env, typescript: env.endsWith('.ts') };
  const bundled = join(__dirname, 'sqlworker.js');
  if (existsSync(bundled)) return { file: bundled, typescript: false };
  return { file: join(__dirname, 'worker.ts'), typescript: true };
}

/** Table data for catalog tables, columns and types from the catalog. */
export function catalogTable(name: string, rows: readonly (readonly SqlValue[])[]): TableData {
  const def = getTable(name);
  return { name: def.name, columns: def.columns.map((c) => ({ name: c.name, type: c.type })), rows };
}

/** Adds what the user needs to fix the statement to SQLite's message. */
function explain(sql: string, message: string): SqlError {
  if (/^no such table: /i.test(message)) {
    return new SqlError(`${message}. Known tables: ${tableNames().join(', ')}`, 'sql');
  }
  const position = /syntax error|incomplete input|unrecognized token/i.test(message) ? syntaxErrorPosition(sql) : undefined;
  return new SqlError(message, 'sql', position);
}

interface Pending {
  readonly id: number;
  readonly sql: string;
  push(ev: ResultEvent): void;
  fail(e: Error): void;
}

export class SqlEngine {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private queue: Promise<void> = Promise.resolve();
  private nextId = 1;
  private queriesOnWorker = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private generationCount = 0;
  private readonly spec: WorkerSpec;
  private readonly maxQueries: number;
  private readonly idleMs: number;

  constructor(opts: EngineOptions = {}) {
    this.spec = opts.worker ?? defaultWorkerSpec();
    this.maxQueries = opts.maxQueriesPerWorker ?? 50;
    this.idleMs = opts.idleMs ?? 60_000;
  }

  /** Workers started so far (tests observe recycling through it). */
  get generation(): number {
    return this.generationCount;
  }

  /** True while a worker thread exists. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Runs a statement and collects every row. */
  async run(sql: string, tables: readonly TableData[], opts: QueryOptions = {}): Promise<QueryResult> {
    let columns: readonly string[] = [];
    let types: readonly string[] = [];
    const rows: ResultValue[][] = [];
    for await (const ev of this.stream(sql, tables, opts)) {
      if (ev.type === 'columns') columns = ev.columns;
      else if (ev.type === 'rows') rows.push(...ev.rows);
      else types = ev.types;
    }
    return { columns, types, rows };
  }

  /**
   * Runs a statement and yields its columns, row chunks and a final `done`.
   * Statements run one at a time; later calls wait their turn. Breaking out
   * of the loop early stops the statement.
   */
  async *stream(sql: string, tables: readonly TableData[], opts: QueryOptions = {}): AsyncGenerator<ResultEvent> {
    const events: ResultEvent[] = [];
    let error: Error | undefined;
    let finished = false;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      wake?.();
      wake = undefined;
    };

    let release!: () => void;
    const turn = this.queue;
    this.queue = new Promise<void>((r) => (release = r));
    await turn;

    const id = this.nextId++;
    const signal = opts.signal;
    const onAbort = (): void => {
      if (this.pending?.id === id) {
        this.pending.fail(new SqlError('The query was cancelled.', 'cancelled'));
        this.stopWorker();
      }
    };
    try {
      if (signal?.aborted) throw new SqlError('The query was cancelled.', 'cancelled');
      const worker = this.ensureWorker();
      this.pending = {
        id,
        sql,
        push: (ev) => {
          events.push(ev);
          if (ev.type === 'done') finished = true;
          notify();
        },
        fail: (e) => {
          error = e;
          finished = true;
          notify();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ type: 'run', id, sql, tables, chunkSize: opts.chunkSize ?? 1000 });
      for (;;) {
        const ev = events.shift();
        if (ev) {
          yield ev;
          continue;
        }
        if (error) throw error;
        if (finished) break;
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      const stillRunning = this.pending?.id === id && !finished;
      if (this.pending?.id === id) this.pending = undefined;
      // Abandoned mid-stream: the worker is still stepping the statement.
      if (stillRunning) this.stopWorker();
      this.afterQuery();
      release();
    }
  }

  /** Stops the worker now; the next statement starts a new one. */
  dispose(): void {
    this.stopWorker();
  }

  private ensureWorker(): Worker {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.worker) return this.worker;
    const w = this.spec.typescript
      ? new Worker(`require(${JSON.stringify(this.spec.file)});`, { eval: true, execArgv: ['--require', 'tsx/cjs'] })
      : new Worker(this.spec.file);
    w.on('message', (msg: FromWorker) => this.onMessage(msg));
    w.on('error', (e) => this.onWorkerGone(w, new SqlError(`The SQL worker failed: ${e.message}`, 'worker')));
    w.on('exit', (code) => this.onWorkerGone(w, new SqlError(`The SQL worker stopped (exit code ${code}).`, 'worker')));
    this.worker = w;
    this.queriesOnWorker = 0;
    this.generationCount++;
    return w;
  }

  private onMessage(msg: FromWorker): void {
    const p = this.pending;
    if (!p || p.id !== msg.id) return;
    if (msg.type === 'error') {
      p.fail(explain(p.sql, msg.message));
      return;
    }
    if (msg.type === 'columns') p.push({ type: 'columns', columns: msg.columns });
    else if (msg.type === 'rows') p.push({ type: 'rows', rows: msg.rows });
    else p.push({ type: 'done', rowCount: msg.rowCount, types: msg.types });
  }

  private onWorkerGone(w: Worker, e: SqlError): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.pending?.fail(e);
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (w) void w.terminate();
  }

  private afterQuery(): void {
    this.queriesOnWorker++;
    if (!this.worker) return;
    if (this.queriesOnWorker >= this.maxQueries) {
      this.stopWorker();
      return;
    }
    this.idleTimer = setTimeout(() => this.stopWorker(), this.idleMs);
    this.idleTimer.unref();
  }
}
