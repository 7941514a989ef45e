// The evaluator never gets stuck and never grows without bound: row and size
// caps with a `truncated` flag, SQLite's memory limit, a NUL character refused,
// cancels at every moment (queued, loading, running) and recovery afterwards.
import assert from 'node:assert/strict';
import { catalogTable, DEFAULT_MAX_ROWS, SqlEngine, SqlError } from '../../../../src/core/sql';

const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)';
const SLOW = `${ENDLESS} SELECT count(*) FROM c`;

async function rejection(p: Promise<unknown>): Promise<SqlError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SqlError, String(e));
    return e;
  }
  return assert.fail('expected an error');
}

/** Resolves with how long `p` took to settle. */
async function settleTime(p: Promise<unknown>): Promise<number> {
  const started = Date.now();
  await p.catch(() => undefined);
  return Date.now() - started;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SQL engine limits and cancellation', function () {
  this.timeout(120_000);
  const engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  after(() => engine.dispose());

  describe('bounded results', () => {
    it('cuts an endless result at the default cap of 100,000 rows and says so', async () => {
      assert.equal(DEFAULT_MAX_ROWS, 100_000);
      const before = process.memoryUsage().rss;
      const r = await engine.run(`${ENDLESS} SELECT x FROM c`, []);
      assert.equal(r.rows.length, DEFAULT_MAX_ROWS);
      assert.equal(r.truncated, true);
      assert.deepEqual(r.rows.at(-1), [DEFAULT_MAX_ROWS]);
      assert.ok(process.memoryUsage().rss - before < 300 * 1024 * 1024, 'memory stays bounded');
    });

    it('takes the cap from the engine and from the call; a result of exactly the cap is complete', async () => {
      const small = new SqlEngine({ maxRows: 500 });
      try {
        const r = await small.run(`${ENDLESS} SELECT x FROM c`, []);
        assert.equal(r.rows.length, 500);
        assert.equal(r.truncated, true);
        const exact = await small.run(`${ENDLESS} SELECT x FROM c LIMIT 500`, []);
        assert.equal(exact.rows.length, 500);
        assert.equal(exact.truncated, undefined);
        const call = await small.run(`${ENDLESS} SELECT x FROM c`, [], { maxRows: 7 });
        assert.deepEqual(call.rows, [[1], [2], [3], [4], [5], [6], [7]]);
        assert.equal(call.truncated, true);
      } finally {
        small.dispose();
      }
    });

    it('streams the flag with the last event', async () => {
      const events: string[] = [];
      for await (const ev of engine.stream(`${ENDLESS} SELECT x FROM c`, [], { maxRows: 25, chunkSize: 10 })) {
        events.push(ev.type === 'rows' ? `rows:${ev.rows.length}` : ev.type === 'done' ? `done:${ev.rowCount}:${String(ev.truncated)}` : ev.type);
      }
      assert.deepEqual(events, ['columns', 'rows:10', 'rows:10', 'rows:5', 'done:25:true']);
    });

    it('cuts very wide rows by size', async () => {
      const r = await engine.run(`${ENDLESS} SELECT x, printf('%010000d', x) FROM c`, [], { maxResultBytes: 1_000_000 });
      assert.equal(r.truncated, true);
      assert.ok(r.rows.length > 10 && r.rows.length < 100, `${r.rows.length} rows`);
    });

    it("stops a statement that needs more of SQLite's memory than allowed, and replaces the worker", async () => {
      const tight = new SqlEngine({ memoryLimitMb: 16 });
      try {
        const e = await rejection(tight.run(`${ENDLESS} SELECT x FROM c ORDER BY x DESC`, []));
        assert.equal(e.kind, 'sql');
        assert.match(e.message, /needs more memory than the SQL engine allows \(16 MB/);
        assert.match(e.message, /recursive CTE/);
        const generation = tight.generation;
        const big = await rejection(tight.run('SELECT zeroblob(100000000)', []));
        assert.match(big.message, /more memory/);
        assert.equal(tight.generation, generation + 1, 'a fresh worker after running out of memory');
        const ok = await tight.run('SELECT 1', []);
        assert.deepEqual(ok.rows, [[1]]);
      } finally {
        tight.dispose();
      }
    });
  });

  it('refuses a NUL character instead of running the statement up to it', async () => {
    const width = catalogTable('Mailboxes', []).columns.length;
    const tables = [catalogTable('Mailboxes', [1, 2].map((id) => Array.from({ length: width }, (_, i) => (i === 0 ? id : null))))];
    const generation = engine.generation;
    const e = await rejection(engine.run('SELECT count(*) FROM Mailboxes\n \u0000 WHERE 1 = 0', tables));
    assert.equal(e.kind, 'sql');
    assert.match(e.message, /NUL character \(line 2, column 2\)/);
    assert.deepEqual(e.position, { line: 2, column: 2 });
    assert.equal(engine.generation, generation, 'no worker involved');
    const whole = await engine.run('SELECT count(*) FROM Mailboxes WHERE 1 = 0', tables);
    assert.deepEqual(whole.rows, [[0]]);
  });

  it('names the problem when a statement nests too deeply', async () => {
    const e = await rejection(engine.run(`SELECT ${'('.repeat(3000)}1${')'.repeat(3000)}`, []));
    assert.match(e.message, /nested too deeply/);
  });

  describe('cancellation at every moment', () => {
    it('cancels a statement queued behind another, at once, and the first still runs', async () => {
      const first = new AbortController();
      const second = new AbortController();
      const running = engine.run(SLOW, [], { signal: first.signal });
      const queued = engine.run('SELECT 2', [], { signal: second.signal });
      await sleep(200);
      const t = Date.now();
      second.abort();
      const e = await rejection(queued);
      assert.equal(e.kind, 'cancelled');
      assert.ok(Date.now() - t < 100, `queued cancel took ${Date.now() - t} ms`);
      // Statements queued after the cancelled one wait for the first, then run.
      const third = engine.run('SELECT 3', []);
      await sleep(100);
      first.abort();
      assert.equal((await rejection(running)).kind, 'cancelled');
      assert.deepEqual((await third).rows, [[3]]);
    });

    it('a signal already aborted fails at once, even behind a running statement', async () => {
      const first = new AbortController();
      const running = engine.run(SLOW, [], { signal: first.signal });
      const ac = new AbortController();
      ac.abort();
      const ms = await settleTime(engine.run('SELECT 1', [], { signal: ac.signal }));
      assert.ok(ms < 50, `${ms} ms`);
      first.abort();
      await running.catch(() => undefined);
    });

    it('disposing the engine fails the running statement (it never waits forever), and the queue goes on', async () => {
      const running = engine.run(SLOW, []);
      const queued = engine.run('SELECT 5', []);
      await sleep(200);
      engine.dispose();
      const e = await rejection(running);
      assert.equal(e.kind, 'cancelled');
      assert.match(e.message, /stopped before the statement finished/);
      assert.deepEqual((await queued).rows, [[5]]);
    });

    it('cancels while the tables are loading', async () => {
      const def = catalogTable('Tags', []);
      const rows = Array.from({ length: 200_000 }, (_, i) => def.columns.map((c, j) => (j === 0 ? i : c.type === 'TEXT' ? `tag ${i}` : i)));
      const ac = new AbortController();
      const p = engine.run('SELECT count(*) FROM Tags', [{ ...def, rows }], { signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      assert.equal((await rejection(p)).kind, 'cancelled');
      assert.deepEqual((await engine.run('SELECT 6', [])).rows, [[6]]);
    });

    it('never gets stuck: random cancels over a queue of statements, then the next statement runs', async () => {
      let seed = 7;
      const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let round = 0; round < 8; round++) {
        const runs = [SLOW, `${ENDLESS} SELECT x FROM c`, 'SELECT 1', SLOW].map((sql) => {
          const ac = new AbortController();
          setTimeout(() => ac.abort(), Math.floor(rnd() * 400));
          return settleTime(engine.run(sql, [], { signal: ac.signal, maxRows: 50_000 }));
        });
        const times = await Promise.all(runs);
        assert.ok(times.every((ms) => ms < 10_000), times.join(', '));
      }
      assert.deepEqual((await engine.run('SELECT 7', [])).rows, [[7]]);
    });
  });
});
