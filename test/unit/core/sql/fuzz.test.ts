// The fuzzing corpus (fixtures/sql-fuzz-corpus.json, written by
// scripts/sql-fuzz-corpus.ts): malformed, adversarial and runaway statements
// run end to end against the sandbox with one shared engine, as the extension
// runs them. Every statement must settle within its time limit (no hang), fail
// or answer without a crash, with a message that names the problem and holds
// no stack trace; statements SQLite rejects and writes of every form cost 0
// requests; after a runaway statement the engine answers the next one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseCache, runSql, SqlEngine, SqlError, SqlFetcher, SqlRejectedError, type SqlRun } from '../../../../src/core/sql';
import { startCore, type Core } from '../harness';

interface FuzzCase {
  readonly category: 'malformed' | 'write' | 'adversarial' | 'runaway' | 'valid';
  readonly sql: string;
  readonly expect: 'error' | 'rejected' | 'rows' | 'bounded' | 'any';
  readonly match?: string;
  readonly line?: number;
}

const corpus = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'sql-fuzz-corpus.json'), 'utf8')) as { statements: FuzzCase[] };

/** The caller's time limit: the statement is cancelled after it. */
const LIMIT_MS = 1500;
/** Past this the statement counts as hung (the limit, plus a worker restart on a busy machine). */
const HANG_MS = 15_000;
const MAX_ROWS = 10_000;

type Outcome = { readonly ok: true; readonly result: SqlRun } | { readonly ok: false; readonly error: unknown };

function short(sql: string): string {
  const s = JSON.stringify(sql);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

describe('SQL fuzzing corpus', function () {
  this.timeout(300_000);
  let core: Core;
  let engine: SqlEngine;
  let fetcher: SqlFetcher;

  before(async () => {
    core = await startCore();
    // Small caps so runaway statements reach them quickly.
    engine = new SqlEngine({ maxQueriesPerWorker: 1000, maxRows: MAX_ROWS, memoryLimitMb: 128 });
    fetcher = new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs: 600_000 }) });
  });

  after(async () => {
    engine.dispose();
    await core.close();
  });

  it('has a few hundred statements of every category', () => {
    assert.ok(corpus.statements.length >= 300, `${corpus.statements.length}`);
    for (const c of ['malformed', 'write', 'adversarial', 'runaway', 'valid']) {
      assert.ok(corpus.statements.some((s) => s.category === c), c);
    }
  });

  async function run(sql: string): Promise<{ outcome: Outcome; ms: number; requests: number }> {
    core.sandbox.log.reset();
    const ac = new AbortController();
    const limit = setTimeout(() => ac.abort(), LIMIT_MS);
    let hang: NodeJS.Timeout | undefined;
    const started = Date.now();
    try {
      const outcome = await Promise.race<Outcome>([
        runSql(sql, { fetcher, engine, signal: ac.signal, maxRows: MAX_ROWS }).then(
          (result): Outcome => ({ ok: true, result }),
          (error: unknown): Outcome => ({ ok: false, error }),
        ),
        new Promise<never>((_, reject) => {
          hang = setTimeout(() => reject(new Error(`hung for ${HANG_MS} ms: ${short(sql)}`)), HANG_MS);
        }),
      ]);
      return { outcome, ms: Date.now() - started, requests: core.sandbox.log.count() };
    } finally {
      clearTimeout(limit);
      clearTimeout(hang);
    }
  }

  /** Problems with one outcome, in words; empty when it is as expected. */
  function judge(c: FuzzCase, o: Outcome, requests: number): string[] {
    const problems: string[] = [];
    if (!o.ok) {
      const e = o.error;
      if (!(e instanceof SqlError) && !(e instanceof SqlRejectedError)) problems.push(`unexpected error type ${e instanceof Error ? e.name : typeof e}`);
      const message = e instanceof Error ? e.message : String(e);
      if (/\n\s+at\s/.test(message) || /\.(ts|js):\d+/.test(message)) problems.push(`stack trace in the message: ${message.slice(0, 200)}`);
      if (message.trim().length < 8 || /undefined|\[object/.test(message)) problems.push(`message names nothing: ${JSON.stringify(message)}`);
      const stopped = e instanceof SqlError && (e.kind === 'cancelled' || /memory|too big|too large/i.test(message));
      if (c.expect === 'rows') problems.push(`expected rows, got ${message.slice(0, 200)}`);
      if (c.expect === 'bounded' && !stopped) problems.push(`expected a bounded result or a stop, got ${message.slice(0, 200)}`);
      if (c.expect === 'error' && !(e instanceof SqlError && e.kind === 'sql')) problems.push(`expected a SQL error, got ${message.slice(0, 200)}`);
      if (c.expect === 'rejected' && !(e instanceof SqlRejectedError)) problems.push(`expected a refusal, got ${message.slice(0, 200)}`);
      if (c.match && !new RegExp(c.match, 'i').test(message)) problems.push(`message does not match /${c.match}/: ${message.slice(0, 200)}`);
      if (c.expect === 'error' || c.expect === 'rejected') {
        if (requests !== 0) problems.push(`${requests} requests before failing`);
      }
      // Errors about the text carry its line and column (runtime errors such as malformed JSON in data have none).
      const aboutText = /syntax error|incomplete input|unrecognized token|no such|wrong number|misuse|ambiguous|NUL character|term out of range/i.test(message);
      if (c.expect === 'error' && e instanceof SqlError && aboutText) {
        if (!e.position) problems.push('no line and column');
        else if (c.line !== undefined && e.position.line !== c.line) problems.push(`line ${e.position.line}, expected ${c.line}`);
      }
    } else {
      const r = o.result;
      if (c.expect === 'error' || c.expect === 'rejected') problems.push(`expected an error, got ${r.rows.length} rows`);
      if (c.expect === 'rows' && (r.truncated || r.partial)) problems.push('expected a complete result');
      if (c.expect === 'bounded' && !r.truncated && !r.partial) problems.push(`expected a result cut at the cap, got ${r.rows.length} complete rows`);
      if (r.rows.length > MAX_ROWS) problems.push(`${r.rows.length} rows, more than the cap`);
      if (r.truncated && r.rows.length !== MAX_ROWS && !/printf|blob/.test(c.sql)) problems.push(`truncated at ${r.rows.length} rows`);
    }
    return problems;
  }

  for (const category of ['malformed', 'write', 'adversarial', 'runaway', 'valid'] as const) {
    it(`${category} statements: settle in time, well-formed messages, 0 requests when refused, the engine recovers`, async () => {
      const failures: string[] = [];
      for (const c of corpus.statements.filter((s) => s.category === category)) {
        const { outcome, ms, requests } = await run(c.sql);
        const problems = judge(c, outcome, requests);
        if (ms > LIMIT_MS + 10_000) problems.push(`took ${ms} ms`);
        if (c.expect === 'bounded' || c.category === 'runaway') {
          // The next statement runs, on the same engine.
          const next = await run('SELECT 42');
          if (!next.outcome.ok || next.outcome.result.rows[0]?.[0] !== 42) problems.push('the next statement did not run');
        }
        if (problems.length) failures.push(`${short(c.sql)}: ${problems.join('; ')}`);
      }
      assert.deepEqual(failures, []);
    });
  }
});
