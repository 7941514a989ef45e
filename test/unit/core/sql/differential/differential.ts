// The differential check: a generated statement runs through the engine
// (planner + fetcher against the sandbox over loopback, evaluated in the SQL
// worker) and through the reference (the same SQL over a full export in plain
// SQLite); the two answers must agree. Used by the unit test (a fixed seed)
// and by `npm run test:differential` (thousands of statements).
import { analyse, ResponseCache, runSql, SqlEngine, SqlFetcher, type Plan, type RunSqlOptions, type SqlValue } from '../../../../../src/core/sql';
import type { SandboxOptions } from '../../../../../src/sandbox';
import { Rng } from '../../../../../src/sandbox/random';
import { startCore, type Core } from '../../harness';
import { exportSandbox } from '../sandboxExport';
import { comparisonOf, echoModes, render, shrinkSteps, StatementGenerator, tablesOf, type Comparison, type EchoMode, type Select } from './generator';
import { Oracle, type Answer, type Cell } from './oracle';

export const DIFFERENTIAL_SIZES: NonNullable<SandboxOptions['sizes']> = {
  mailboxes: 3,
  conversations: 150,
  customers: 60,
  users: 6,
  teams: 2,
  tags: 12,
  docs: { sites: 2, collections: 4, articles: 40, redirects: 4 },
};

/** `truncated`: the engine stopped at its row cap; the rows are the first ones. */
export type Side = { readonly ok: true; readonly answer: Answer; readonly truncated?: boolean } | { readonly ok: false; readonly error: string };

export interface Outcome {
  readonly sql: string;
  readonly agree: boolean;
  /** Why the answers disagree. */
  readonly reason?: string;
  readonly engine: Side;
  readonly reference: Side;
  /** Rows only one side has (a sample). */
  readonly onlyEngine: string[];
  readonly onlyReference: string[];
  readonly requests: number;
  /** What the engine's plan did (for coverage): early stop, get by id, bound parent keys, sub-selects, counts, ... */
  readonly planFeatures: readonly string[];
}

/** The planner's techniques a plan uses. */
export function planFeatures(p: Plan): string[] {
  const out = new Set<string>();
  for (const s of p.steps) {
    if (s.kind === 'values') out.add('sub-select values');
    if (s.kind !== 'fetch') continue;
    if (s.pageLimit !== undefined && !s.count) out.add('early stop');
    if (s.single) out.add('get by id');
    if (s.bind) out.add(`bound ${s.bind.target}`);
    if (s.count) out.add('count from totals');
    if (s.embedded) out.add('embedded children');
    if (s.detail) out.add('detail GETs');
    if (s.purpose === 'parents') out.add('parent listing');
    if (s.requests.some((r) => r.query['query'] !== undefined)) out.add('search query');
    if (s.requests.length > 1) out.add('several requests');
    if (s.notes.some((n) => /filled from the request|values come from/.test(n))) out.add('filled column or bound key');
  }
  if (p.steps.filter((s) => s.kind === 'fetch' && s.purpose === 'table').length > new Set(p.steps.map((s) => s.table)).size) out.add('one table, several steps');
  return [...out];
}

/** A value as compared: REAL rounded (sums in another row order differ in the last bits), blobs as hex. */
function canonicalCell(v: Cell): unknown {
  if (v instanceof Uint8Array) return `blob:${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'number' && !Number.isInteger(v)) return Number(v.toPrecision(12));
  return v;
}

function canonicalRow(r: readonly Cell[]): string {
  return JSON.stringify(r.map(canonicalCell));
}

function multisetDiff(a: readonly string[], b: readonly string[]): [string[], string[]] {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const x of b) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else onlyB.push(x);
  }
  const onlyA: string[] = [];
  for (const [x, n] of count) for (let i = 0; i < n; i++) onlyA.push(x);
  return [onlyA, onlyB];
}

/** Compares two answers as the statement allows; returns the reason they differ, or undefined. */
export function compareAnswers(e: Answer, r: Answer, how: Comparison): { reason?: string; onlyEngine: string[]; onlyReference: string[] } {
  const none = { onlyEngine: [], onlyReference: [] };
  if (JSON.stringify(e.columns) !== JSON.stringify(r.columns)) return { reason: `columns ${JSON.stringify(e.columns)} vs ${JSON.stringify(r.columns)}`, ...none };
  const er = e.rows.map(canonicalRow);
  const rr = r.rows.map(canonicalRow);
  const [onlyEngine, onlyReference] = multisetDiff(er, rr);
  const diff = { onlyEngine: onlyEngine.slice(0, 5), onlyReference: onlyReference.slice(0, 5) };
  if (er.length !== rr.length) return { reason: `${er.length} rows vs ${rr.length}`, ...diff };
  if (how.kind === 'multiset') return onlyEngine.length ? { reason: 'different rows', ...diff } : none;
  if (how.kind === 'ordered') {
    const i = er.findIndex((x, j) => x !== rr[j]);
    return i >= 0 ? { reason: `rows differ from row ${i + 1} on`, ...diff } : none;
  }
  // Ordered by one column: the keys must match in order; rows are determined except where the first or last key ties.
  const key = (rows: readonly (readonly Cell[])[]): string[] => rows.map((row) => JSON.stringify(canonicalCell(row[how.column] ?? null)));
  const ek = key(e.rows);
  const rk = key(r.rows);
  const i = ek.findIndex((x, j) => x !== rk[j]);
  if (i >= 0) return { reason: `sort keys differ from row ${i + 1} on`, ...diff };
  if (!how.limited) return onlyEngine.length ? { reason: 'different rows', ...diff } : none;
  const edge = new Set([ek[0], ek[ek.length - 1]]);
  const inner = (rows: readonly string[], keys: readonly string[]): string[] => rows.filter((_x, j) => !edge.has(keys[j]));
  const [a, b] = multisetDiff(inner(er, ek), inner(rr, rk));
  return a.length || b.length ? { reason: 'different rows between the first and last sort keys', onlyEngine: a.slice(0, 5), onlyReference: b.slice(0, 5) } : none;
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** A seed per statement, so statement `i` of seed `s` can be generated again alone. */
export function statementSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** The kind of a disagreement; shrinking keeps it, so the smaller statement shows the same problem. */
export function failureKind(o: Outcome): string {
  if (o.agree) return 'agree';
  if (o.reason?.includes('request-filled')) return 'mixed';
  if (!o.engine.ok) return 'engine error';
  if (!o.reference.ok) return 'reference error';
  return 'answer';
}

export class Differential {
  private constructor(
    readonly core: Core,
    private readonly engine: SqlEngine,
    private readonly fetcher: SqlFetcher,
    readonly oracle: Oracle,
  ) {}

  static async start(sizes: NonNullable<SandboxOptions['sizes']> = DIFFERENTIAL_SIZES): Promise<Differential> {
    const core = await startCore({ sizes, knobs: { rateLimits: { mailbox: { limit: 1_000_000 }, docs: { limit: 1_000_000 } } } });
    const engine = new SqlEngine({ maxQueriesPerWorker: 500 });
    // The data never changes during a run: one cache for every statement keeps thousands of statements quick.
    const fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs: 24 * 3600_000 }) });
    const full = await exportSandbox(core.mailboxHttp, core.docsHttp);
    const oracle = await Oracle.create(full, core.mailboxHttp, core.docsHttp);
    return new Differential(core, engine, fetcher, oracle);
  }

  generator(seed: number, index: number): StatementGenerator {
    return new StatementGenerator(new Rng(statementSeed(seed, index)), this.oracle.samples());
  }

  /** What `runSql` needs to run a statement through the engine. */
  get run(): RunSqlOptions {
    return { fetcher: this.fetcher, engine: this.engine };
  }

  check(stmt: Select): Promise<Outcome> {
    return this.checkSql(render(stmt), { tables: tablesOf(stmt), modes: echoModes(stmt), comparison: comparisonOf(stmt) });
  }

  /**
   * One statement through both sides. `tables`: the catalog tables it reads;
   * `modes`: how it uses the tables with a request-filled column.
   */
  async checkSql(sql: string, opts: { readonly tables: readonly string[]; readonly modes: ReadonlyMap<string, EchoMode>; readonly comparison: Comparison }): Promise<Outcome> {
    const modes = opts.modes;
    const mixed = [...modes].filter(([, m]) => m === 'mixed').map(([t]) => t);

    let reference: Side;
    try {
      if (mixed.length) throw new Error(`mixed use of ${mixed.join(', ')}`);
      const literals = { Tag: analyse(sql).literalsFor('Tag') };
      const tables = new Map<string, SqlValue[][]>();
      for (const t of opts.tables) tables.set(t, this.oracle.rows(t, modes.get(t), literals));
      reference = { ok: true, answer: this.oracle.run(sql, tables) };
    } catch (e) {
      reference = { ok: false, error: message(e) };
    }

    let engine: Side;
    let features: string[] = [];
    this.core.sandbox.log.reset();
    this.core.requests.splice(0);
    try {
      const r = await runSql(sql, this.run);
      features = planFeatures(r.plan);
      const truncated = (r as { readonly truncated?: unknown }).truncated === true;
      engine = { ok: true, answer: { columns: r.columns, rows: r.rows }, ...(truncated ? { truncated } : {}) };
    } catch (e) {
      engine = { ok: false, error: message(e) };
    }
    const requests = this.core.sandbox.log.count();

    const base = { sql, engine, reference, requests, onlyEngine: [], onlyReference: [], planFeatures: features };
    if (mixed.length) {
      // The engine cannot give each reference its own rows: it must say so, naming the table.
      const named = !engine.ok && mixed.every((t) => engine.error.includes(t));
      return { ...base, agree: named, ...(named ? {} : { reason: `${mixed.join(', ')} read with and without a filter on its request-filled column: expected a clear error` }) };
    }
    if (!engine.ok || !reference.ok) {
      const agree = !engine.ok && !reference.ok;
      return { ...base, agree, ...(agree ? {} : { reason: engine.ok ? 'only the reference failed' : 'only the engine failed' }) };
    }
    if (engine.truncated) {
      // Cut at the row cap: the rows kept must be rows of the answer, and the answer must be longer.
      const e = engine.answer.rows.map(canonicalRow);
      const [extra] = multisetDiff(e, reference.answer.rows.map(canonicalRow));
      const ok = reference.answer.rows.length > e.length && extra.length === 0;
      return { ...base, agree: ok, ...(ok ? {} : { reason: `cut at ${e.length} rows of ${reference.answer.rows.length}, ${extra.length} not in the answer` }), onlyEngine: extra.slice(0, 5) };
    }
    const d = compareAnswers(engine.answer, reference.answer, opts.comparison);
    return { ...base, agree: d.reason === undefined, ...(d.reason !== undefined ? { reason: d.reason } : {}), onlyEngine: d.onlyEngine, onlyReference: d.onlyReference };
  }

    /** Greedy shrinking: take the first smaller statement that still disagrees the same way, until none does. */
  async shrink(stmt: Select, outcome: Outcome, budget = 400): Promise<{ stmt: Select; outcome: Outcome; tries: number }> {
    let cur = stmt;
    let out = outcome;
    let tries = 0;
    for (let progress = true; progress && tries < budget; ) {
      progress = false;
      for (const next of shrinkSteps(cur)) {
        if (++tries > budget) break;
        const o = await this.check(next);
        if (!o.agree && failureKind(o) === failureKind(outcome)) {
          cur = next;
          out = o;
          progress = true;
          break;
        }
      }
    }
    return { stmt: cur, outcome: out, tries };
  }

  async close(): Promise<void> {
    this.engine.dispose();
    await this.core.close();
  }
}

export function describeSide(s: Side): string {
  return s.ok ? `${s.answer.rows.length} row(s)${s.truncated ? ' (cut at the row cap)' : ''}` : `error: ${s.error}`;
}

/** A failure as printed: statement, both answers' row counts and a sample of the differing rows. */
export function describeOutcome(o: Outcome): string {
  const lines = [
    o.sql,
    `  reason:    ${o.reason ?? '-'}`,
    `  engine:    ${describeSide(o.engine)} (${o.requests} request(s))`,
    `  reference: ${describeSide(o.reference)}`,
  ];
  for (const r of o.onlyEngine) lines.push(`  only engine:    ${r}`);
  for (const r of o.onlyReference) lines.push(`  only reference: ${r}`);
  return lines.join('\n');
}
