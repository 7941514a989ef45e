// The reference answer: the same SQL over a full export of the sandbox,
// loaded into a plain in-process SQLite (sql.js) with the catalog's columns.
// Nothing of the planner or fetcher is used; only the row mapping is shared.
//
// Tables with a request-filled column (Users.MailboxId, Articles.CategoryId)
// have two exports: the plain listing, where the column is NULL, and one
// listing per filter value (the users of each mailbox, the articles of each
// category), where the column holds that value. A statement whose references
// all filter on the column reads the second; one whose references never do
// reads the first (see `echoModes`).
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import type { HttpClient } from '../../../../../src/core/http/client';
import { getTable, pick, readPage, rowsFromItems, type SqlValue } from '../../../../../src/core/sql';
import type { SandboxExport } from '../sandboxExport';
import type { EchoMode, Samples } from './generator';

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;

export type Cell = string | number | null | Uint8Array;

export interface Answer {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function listAll(http: HttpClient, path: string, envelope: readonly string[], query: Record<string, string> = {}): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let page = 1; ; page++) {
    const res = await http.send({ method: 'GET', path, query: { ...query, page: String(page) } });
    const r = readPage(JSON.parse(res.text), { envelope, single: false, page });
    items.push(...r.items);
    if (!r.hasNext || r.items.length === 0) break;
  }
  return items;
}

export class Oracle {
  private constructor(
    private readonly sql: SqlJs,
    private readonly full: SandboxExport,
    /** Rows of the per-filter-value listings of the tables with a request-filled column. */
    private readonly echo: ReadonlyMap<string, SqlValue[][]>,
  ) {}

  static async create(full: SandboxExport, mailbox: HttpClient, docs: HttpClient): Promise<Oracle> {
    const sql = await initSqlJs();
    const echo = new Map<string, SqlValue[][]>();
    // Users of each mailbox.
    const users = getTable('Users');
    const userRows: SqlValue[][] = [];
    for (const g of full.groups.get('Mailboxes') ?? []) {
      for (const m of g.items) {
        const id = String(pick(m, 'id'));
        const items = await listAll(mailbox, '/users', users.list[0]?.envelope ?? [], { mailbox: id });
        userRows.push(...rowsFromItems(users, items, { mailbox: id }));
      }
    }
    echo.set('Users', userRows);
    // Articles of each category, with the fields of the full article objects of the export.
    const articles = getTable('Articles');
    const byId = new Map<string, object>();
    for (const g of full.groups.get('Articles') ?? []) for (const a of g.items) byId.set(String(pick(a, 'id')), a as object);
    const articleRows: SqlValue[][] = [];
    for (const g of full.groups.get('Categories') ?? []) {
      for (const c of g.items) {
        const id = String(pick(c, 'id'));
        const items = await listAll(docs, `/categories/${encodeURIComponent(id)}/articles`, articles.list[1]?.envelope ?? [], { pageSize: '100' });
        const merged = items.map((a) => ({ ...(a as object), ...(byId.get(String(pick(a, 'id'))) ?? {}) }));
        articleRows.push(...rowsFromItems(articles, merged, { categoryId: id }));
      }
    }
    echo.set('Articles', articleRows);
    return new Oracle(sql, full, echo);
  }

  /** Rows of a table as a statement sees it (`literals`: the statement's Tag literals). */
  rows(table: string, mode: EchoMode | undefined, literals: Readonly<Record<string, readonly string[]>> = {}): SqlValue[][] {
    const def = getTable(table);
    if (mode === 'param') return this.echo.get(def.name) ?? [];
    const [t] = this.full.tables([def.name], literals);
    return (t?.rows ?? []).map((r) => [...r]);
  }

  /** Distinct values per column, for the generator's literals. */
  samples(): Samples {
    const cache = new Map<string, SqlValue[]>();
    return {
      values: (table, column) => {
        const key = `${table}.${column}`;
        const hit = cache.get(key);
        if (hit) return hit;
        const def = getTable(table);
        const idx = def.columns.findIndex((c) => c.name === column);
        const source = def.columns[idx]?.requestEcho ? this.echo.get(def.name) ?? [] : this.rows(def.name, 'base');
        const set = new Set<SqlValue>();
        for (const r of source) {
          const v = r[idx];
          if (v !== null && v !== undefined) set.add(v);
        }
        const all = [...set].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
        // At most 60 values, spread over the sorted list.
        const step = Math.max(1, Math.ceil(all.length / 60));
        const out = all.filter((_v, i) => i % step === 0);
        cache.set(key, out);
        return out;
      },
    };
  }

  /** Runs a statement over the given tables; throws SQLite's error. */
  run(sql: string, tables: ReadonlyMap<string, readonly (readonly SqlValue[])[]>): Answer {
    const db = new this.sql.Database();
    try {
      db.exec('BEGIN');
      for (const [name, rows] of tables) {
        const def = getTable(name);
        db.exec(`CREATE TABLE ${quote(def.name)} (${def.columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ')})`);
        const insert = db.prepare(`INSERT INTO ${quote(def.name)} VALUES (${def.columns.map(() => '?').join(', ')})`);
        try {
          for (const r of rows) insert.run(r as SqlValue[]);
        } finally {
          insert.free();
        }
      }
      db.exec('COMMIT');
      const stmt = db.prepare(sql);
      try {
        const columns = stmt.getColumnNames();
        const rows: Cell[][] = [];
        while (stmt.step()) rows.push(stmt.get() as Cell[]);
        return { columns, rows };
      } finally {
        stmt.free();
      }
    } finally {
      db.close();
    }
  }
}
