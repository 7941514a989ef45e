// The evaluator's main-thread side. It keeps one SQL worker (sql.js in a
// worker_thread, so a heavy query never blocks the extension host), sends it
// the tables a statement needs and streams the result back in chunks.
//
// Worker lifetime: wasm memory never shrinks, so the worker is replaced after
// `maxQueriesPerWorker` statements, after a statement ran out of memory, and
// stopped after `idleMs` without work. Cancelling terminates the worker
// (sql.js cannot interrupt a running statement); the next statement starts a
// fresh one. A statement still waiting for its turn can be cancelled too, and
// whatever stops the worker fails the statement it was running, so no
// statement is ever left waiting.
//
// Bounds: a result holds at most `maxRows` rows (default 100,000) and about
// `maxResultBytes`; more is cut and flagged `truncated`. SQLite's own memory
// is capped at `memoryLimitMb`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { getTable, tableNames, type SqlValue } from '../catalog';
import { syntaxErrorPosition, type SqlPosition } from '../parse';
import { positionAt, unreadableCharacter } from '../statementKind';
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

/** Rows a result holds at most, unless the engine or the call says otherwise. */
export const DEFAULT_MAX_ROWS = 100_000;
/** Approximate size of a result's rows at most (256 MiB), for results of very wide rows. */
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024 * 1024;
/** SQLite's heap limit in the worker: sorts, aggregates and temporary tables of one statement. */
export const DEFAULT_MEMORY_LIMIT_MB = 512;

export type ResultEvent =
  | { readonly type: 'columns'; readonly columns: readonly string[] }
  | { readonly type: 'rows'; readonly rows: ResultValue[][] }
  /** `truncated`: the statement had more rows than the cap; the rows sent are the first ones. */
  | { readonly type: 'done'; readonly rowCount: number; readonly types: readonly string[]; readonly truncated: boolean };

export interface QueryResult {
  readonly columns: readonly string[];
  /** Storage class seen per result column: INTEGER, REAL, TEXT, BLOB, NULL (no value) or ANY (mixed). */
  readonly types: readonly string[];
  readonly rows: ResultValue[][];
  /**
   * True when the statement had more rows than the row cap (or the size cap):
   * `rows` are only the first `rows.length` rows. Absent or false: all rows.
   */
  readonly truncated?: boolean;
}

export interface QueryOptions {
  /** Rows per chunk (default 1000). */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  /** Rows to return at most (default: the engine's `maxRows`). */
  readonly maxRows?: number;
  /** Approximate size of the rows to return at most (default: the engine's `maxResultBytes`). */
  readonly maxResultBytes?: number;
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
  /** Rows a result holds at most (default 100,000); more is cut and flagged `truncated`. */
  readonly maxRows?: number;
  /** Approximate size of a result's rows at most (default 256 MiB). */
  readonly maxResultBytes?: number;
  /** SQLite's memory for one statement, in MB (default 512): past it the statement fails with a clear message. */
  readonly memoryLimitMb?: number;
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

const cancelled = (): SqlError => new SqlError('The query was cancelled.', 'cancelled');

/** Messages after which the worker's sql.js may be unusable (or holds much memory): it is replaced. */
const WORKER_SPENT = /out of memory|^Aborted|RuntimeError|memory access out of bounds|Maximum call stack/i;

/** Adds what the user needs to fix the statement to SQLite's message. */
function explain(sql: string, message: string, memoryLimitMb: number): SqlError {
  if (/^no such table: /i.test(message)) {
    return new SqlError(`${message}. Known tables: ${tableNames().join(', ')}`, 'sql');
  }
  if (/^(?:Recursion limit|parser stack overflow)$/i.test(message)) {
    return new SqlError(`The statement is nested too deeply for SQLite (${message}): fewer parentheses or sub-selects inside one another.`, 'sql');
  }
  if (/out of memory/i.test(message)) {
    return new SqlError(
      `The statement needs more memory than the SQL engine allows (${memoryLimitMb} MB, SQLite: ${message}). ` +
        'Narrow it with WHERE or LIMIT, or check for a join without a condition or a recursive CTE without an end.',
      'sql',
    );
  }
  const position = /syntax error|incomplete input|unrecognized token/i.test(message) ? syntaxErrorPosition(sql) : undefined;
  return new SqlError(message, 'sql', position);
}

interface Pending {
  readonly id: number;
  readonly sql: string;
  push(ev: ResultEvent): void;
  /** Ends the statement with an error; only the first call counts. */
  fail(e: Error): void;
}

/** Waits for `p`, or rejects with a cancel as soon as the signal aborts. */
function untilAborted(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export class SqlEngine {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private queue: Promise<void> = Promise.resolve();
  private nextId = 1;
  private queriesOnWorker = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private generationCount = 0;
  /** The worker should be replaced once the current statement is over. */
  private workerSpent = false;
  private readonly spec: WorkerSpec;
  private readonly maxQueries: number;
  private readonly idleMs: number;
  private readonly maxRows: number;
  private readonly maxResultBytes: number;
  private readonly memoryLimitMb: number;

  constructor(opts: EngineOptions = {}) {
    this.spec = opts.worker ?? defaultWorkerSpec();
    this.maxQueries = opts.maxQueriesPerWorker ?? 50;
    this.idleMs = opts.idleMs ?? 60_000;
    this.maxRows = Math.max(0, opts.maxRows ?? DEFAULT_MAX_ROWS);
    this.maxResultBytes = Math.max(0, opts.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES);
    this.memoryLimitMb = Math.max(1, opts.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB);
  }

  /** Workers started so far (tests observe recycling through it). */
  get generation(): number {
    return this.generationCount;
  }

  /** True while a worker thread exists. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Runs a statement and collects its rows (at most the row cap: see `truncated`). */
  async run(sql: string, tables: readonly TableData[], opts: QueryOptions = {}): Promise<QueryResult> {
    let columns: readonly string[] = [];
    let types: readonly string[] = [];
    let truncated = false;
    const rows: ResultValue[][] = [];
    for await (const ev of this.stream(sql, tables, opts)) {
      if (ev.type === 'columns') columns = ev.columns;
      else if (ev.type === 'rows') {
        for (const r of ev.rows) rows.push(r);
      } else {
        types = ev.types;
        truncated = ev.truncated;
      }
    }
    return { columns, types, rows, ...(truncated ? { truncated } : {}) };
  }

  /**
   * Runs a statement and yields its columns, row chunks and a final `done`.
   * Statements run one at a time; later calls wait their turn (and a cancel
   * while waiting ends the call at once). Breaking out of the loop early
   * stops the statement.
   */
  async *stream(sql: string, tables: readonly TableData[], opts: QueryOptions = {}): AsyncGenerator<ResultEvent> {
    // SQLite would stop reading at a NUL and run a shorter statement than the one written.
    const unreadable = unreadableCharacter(sql);
    if (unreadable) throw new SqlError(unreadable.message, 'sql', positionAt(sql, unreadable.offset));
    const events: ResultEvent[] = [];
    let error: Error | undefined;
    let finished = false;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      wake?.();
      wake = undefined;
    };

    const signal = opts.signal;
    let release!: () => void;
    const turn = this.queue;
    this.queue = new Promise<void>((r) => (release = r));
    try {
      await untilAborted(turn, signal);
    } catch (e) {
      // Cancelled while waiting: the statements after this one still wait for the one before.
      void turn.then(release);
      throw e;
    }

    const id = this.nextId++;
    const onAbort = (): void => {
      if (this.pending?.id === id) {
        this.pending.fail(cancelled());
        this.stopWorker();
      }
    };
    try {
      if (signal?.aborted) throw cancelled();
      const worker = this.ensureWorker();
      this.pending = {
        id,
        sql,
        push: (ev) => {
          if (finished) return;
          events.push(ev);
          if (ev.type === 'done') finished = true;
          notify();
        },
        fail: (e) => {
          if (finished) return;
          error = e;
          finished = true;
          notify();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({
        type: 'run',
        id,
        sql,
        tables,
        chunkSize: Math.max(1, opts.chunkSize ?? 1000),
        maxRows: Math.max(0, opts.maxRows ?? this.maxRows),
        maxBytes: Math.max(0, opts.maxResultBytes ?? this.maxResultBytes),
        heapLimitBytes: this.memoryLimitMb * 1024 * 1024,
      });
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

  /** Stops the worker now (failing the statement it runs); the next statement starts a new one. */
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
      if (WORKER_SPENT.test(msg.message)) this.workerSpent = true;
      p.fail(explain(p.sql, msg.message, this.memoryLimitMb));
      return;
    }
    if (msg.type === 'columns') p.push({ type: 'columns', columns: msg.columns });
    else if (msg.type === 'rows') p.push({ type: 'rows', rows: msg.rows });
    else p.push({ type: 'done', rowCount: msg.rowCount, types: msg.types, truncated: msg.truncated });
  }

  private onWorkerGone(w: Worker, e: SqlError): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.pending?.fail(e);
  }

  /**
   * Terminates the worker. The statement it was running (if any) fails first:
   * the worker's own exit event is ignored once it is no longer current, so
   * without this the statement, and every one queued after it, would wait forever.
   */
  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    this.workerSpent = false;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!w) return;
    this.pending?.fail(new SqlError('The SQL engine was stopped before the statement finished.', 'cancelled'));
    void w.terminate();
  }

  private afterQuery(): void {
    this.queriesOnWorker++;
    if (!this.worker) return;
    if (this.queriesOnWorker >= this.maxQueries || this.workerSpent) {
      this.stopWorker();
      return;
    }
    this.idleTimer = setTimeout(() => this.stopWorker(), this.idleMs);
    this.idleTimer.unref();
  }
}
