// Entry point of the SQL worker thread (bundled as dist/sqlworker.js). It owns
// one sql.js instance; each `run` message gets a fresh in-memory database:
// create the tables, load the rows in one transaction, switch to read-only,
// run the user's statement unchanged and stream the rows back in chunks.
//
// Bounds: SQLite's heap is capped (PRAGMA hard_heap_limit, with temporary
// tables and sorts kept in that heap rather than in files), so an endless sort
// or aggregate fails with "out of memory" instead of growing the process; and
// at most `maxRows` rows (or `maxBytes` of them) are sent, so an endless result
// stops at the cap with `truncated: true`.
import { parentPort } from 'node:worker_threads';
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import type { FromWorker, ResultValue, RunMessage, ToWorker } from './protocol';

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;

let sqlJs: Promise<SqlJs> | undefined;

function post(msg: FromWorker): void {
  parentPort?.postMessage(msg);
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Only whitespace, semicolons and comments left after the first statement. */
function isBlank(rest: string): boolean {
  return rest.replace(/--[^\n]*(\n|$)/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/[\s;]+/g, '') === '';
}

/** Approximate memory a row takes once received: UTF-16 text, 8 bytes a number. */
function sizeOf(row: readonly ResultValue[]): number {
  let n = 16;
  for (const v of row) {
    if (typeof v === 'string') n += 2 * v.length + 16;
    else if (v instanceof Uint8Array) n += v.byteLength + 16;
    else n += 8;
  }
  return n;
}

function typeOf(v: ResultValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return Number.isInteger(v) ? 'INTEGER' : 'REAL';
  if (typeof v === 'string') return 'TEXT';
  return 'BLOB';
}

/** Merges the types seen in a column: NULL gives way; INTEGER and REAL make REAL; anything else mixed is ANY. */
function mergeType(a: string, b: string): string {
  if (a === b || b === 'NULL') return a;
  if (a === 'NULL') return b;
  if ((a === 'INTEGER' && b === 'REAL') || (a === 'REAL' && b === 'INTEGER')) return 'REAL';
  return 'ANY';
}

async function run(msg: RunMessage): Promise<void> {
  const SQL = await (sqlJs ??= initSqlJs());
  const db = new SQL.Database();
  try {
    // The limit is process-wide in SQLite; setting it for every statement keeps it current.
    db.exec(`PRAGMA hard_heap_limit = ${Math.max(0, Math.floor(msg.heapLimitBytes))}; PRAGMA temp_store = MEMORY`);
    db.exec('BEGIN');
    for (const t of msg.tables) {
      db.exec(`CREATE TABLE ${quote(t.name)} (${t.columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ')})`);
      if (t.rows.length === 0) continue;
      const insert = db.prepare(`INSERT INTO ${quote(t.name)} VALUES (${t.columns.map(() => '?').join(', ')})`);
      try {
        for (const r of t.rows) insert.run(r as (string | number | null)[]);
      } finally {
        insert.free();
      }
    }
    db.exec('COMMIT');
    // The data is a local copy: writes would look successful but change nothing in Help Scout.
    db.exec('PRAGMA query_only = 1');

    const it = db.iterateStatements(msg.sql);
    const first = it.next();
    if (first.done) throw new Error('The statement is empty.');
    const stmt = first.value;
    try {
      if (!isBlank(it.getRemainingSQL())) throw new Error('Run one statement at a time.');
      const columns = stmt.getColumnNames();
      post({ type: 'columns', id: msg.id, columns });
      const types = columns.map(() => 'NULL');
      let chunk: ResultValue[][] = [];
      let rowCount = 0;
      let bytes = 0;
      let truncated = false;
      while (stmt.step()) {
        // A row beyond the caps: the result is cut here and the statement is not stepped further.
        if (rowCount >= msg.maxRows || bytes >= msg.maxBytes) {
          truncated = true;
          break;
        }
        const row = stmt.get() as ResultValue[];
        for (let i = 0; i < row.length; i++) types[i] = mergeType(types[i] ?? 'NULL', typeOf(row[i] ?? null));
        chunk.push(row);
        rowCount++;
        bytes += sizeOf(row);
        if (chunk.length >= msg.chunkSize) {
          post({ type: 'rows', id: msg.id, rows: chunk });
          chunk = [];
        }
      }
      if (chunk.length) post({ type: 'rows', id: msg.id, rows: chunk });
      post({ type: 'done', id: msg.id, rowCount, types, truncated });
    } finally {
      stmt.free();
    }
  } finally {
    db.close();
  }
}

// Messages are handled one at a time: the engine sends the next run only after `done` or `error`.
parentPort?.on('message', (msg: ToWorker) => {
  run(msg).catch((e: unknown) => post({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) }));
});
