// runSql's entry against the sandbox: what SQLite rejects fails with its line
// and column and 0 requests in the sandbox's log; writes of every form are
// refused before planning; a cancel ends the statement at any moment (while
// fetching, while evaluating the rows that arrived, while waiting for the
// engine) and the next statement runs; results stop at the row cap.
import assert from 'node:assert/strict';
import { ResponseCache, runSql, SqlEngine, SqlError, SqlFetcher, SqlRejectedError, type SqlRun } from '../../../../src/core/sql';
import { startCore, type Core } from '../harness';

describe('runSql: judged before fetching, never stuck, bounded', function () {
  this.timeout(120_000);
  let core: Core;
  let engine: SqlEngine;

  const fetcher = (): SqlFetcher => new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs: 0 }) });

  before(async () => {
    core = await startCore();
    engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  });

  after(async () => {
    engine.dispose();
    await core.close();
  });

  async function fails(sql: string): Promise<SqlError | SqlRejectedError> {
    core.sandbox.log.reset();
    try {
      await runSql(sql, { fetcher: fetcher(), engine });
    } catch (e) {
      assert.ok(e instanceof SqlError || e instanceof SqlRejectedError, String(e));
      assert.equal(core.sandbox.log.count(), 0, `requests before failing: ${sql}`);
      return e;
    }
    return assert.fail(`expected an error: ${sql}`);
  }

  describe('zero requests for statements SQLite rejects', () => {
    const cases: { what: string; sql: string; message: RegExp; at: [number, number] }[] = [
      { what: 'a trailing AND over Conversations', sql: "SELECT Id FROM Conversations WHERE Status = 'closed' AND", message: /incomplete input/, at: [1, 56] },
      {
        what: 'a trailing AND over Threads',
        sql: "SELECT t.Id, t.Body\nFROM Threads t JOIN Conversations c ON c.Id = t.ConversationId\nWHERE c.Status = 'closed' AND",
        message: /incomplete input/,
        at: [3, 29],
      },
      { what: 'a syntax error', sql: 'SELECT Number,, Subject FROM Conversations', message: /near ",": syntax error/, at: [1, 15] },
      { what: 'a typo in the first word', sql: 'SELEC Id FROM Threads', message: /near "SELEC": syntax error/, at: [1, 1] },
      { what: 'an unknown table', sql: 'SELECT *\n  FROM Tickets', message: /no such table: Tickets\. Known tables: .*Conversations/, at: [2, 8] },
      { what: 'an unknown column', sql: 'SELECT Id,\n  Nope\nFROM Conversations', message: /no such column: Nope/, at: [2, 3] },
      { what: 'an unknown column of a joined table', sql: 'SELECT t.Nope FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId', message: /no such column: t\.Nope/, at: [1, 8] },
      { what: 'an unknown function', sql: 'SELECT Id FROM Conversations WHERE nope(Subject) = 1', message: /no such function: nope/, at: [1, 36] },
      { what: 'a wrong argument count', sql: 'SELECT substr(Subject) FROM Conversations', message: /wrong number of arguments to function substr\(\)/, at: [1, 8] },
      { what: 'an aggregate misused', sql: 'SELECT Id FROM Threads WHERE count(*) > 2', message: /misuse of aggregate/, at: [1, 30] },
      { what: 'a bad statement behind EXPLAIN', sql: 'EXPLAIN SELECT Nope FROM Threads', message: /no such column: Nope/, at: [1, 16] },
      { what: 'a NUL character', sql: "SELECT count(*) FROM Conversations \u0000 WHERE 1 = 0", message: /NUL character/, at: [1, 36] },
    ];
    for (const c of cases) {
      it(`${c.what}: 0 requests, the error at its line and column`, async () => {
        const e = await fails(c.sql);
        assert.ok(e instanceof SqlError);
        assert.equal(e.kind, 'sql');
        assert.match(e.message, c.message);
        assert.deepEqual([e.position?.line, e.position?.column], c.at);
      });
    }

    it('an empty statement', async () => {
      assert.match((await fails(' -- nothing\n;')).message, /empty/);
    });
  });

  it('refuses writes of every form before planning, naming them', async () => {
    const cases: [string, RegExp][] = [
      ["WITH x AS (SELECT 1) INSERT INTO Threads (ConversationId, Text) SELECT Id, 'x' FROM Conversations", /WITH \.\.\. INSERT, which changes data/],
      ["WITH x AS (SELECT Id FROM Threads) UPDATE Conversations SET Status = 'closed' WHERE Id IN (SELECT Id FROM x)", /WITH \.\.\. UPDATE/],
      ['WITH x AS (SELECT 1) DELETE FROM Conversations', /WITH \.\.\. DELETE/],
      ["REPLACE INTO Tags (Name) VALUES ('x')", /REPLACE, which changes data/],
      ["INSERT OR IGNORE INTO Tags (Name) VALUES ('x')", /INSERT OR IGNORE/],
      ["ATTACH 'x.db' AS x", /ATTACH, which changes the database/],
      ['PRAGMA query_only = 0', /PRAGMA query_only = \.\.\., which changes a setting/],
      ['CREATE TABLE t AS SELECT * FROM Threads', /CREATE TABLE, which changes the schema/],
      ['DROP TABLE Conversations', /DROP TABLE/],
      ['VACUUM', /VACUUM/],
      ['BEGIN', /transaction statement/],
      ['SELECT 1; DELETE FROM Tags', /one statement at a time/],
    ];
    for (const [sql, message] of cases) {
      const e = await fails(sql);
      assert.ok(e instanceof SqlRejectedError, sql);
      assert.match(e.message, message, sql);
    }
  });

  it('a read-only PRAGMA describes a table without fetching it', async () => {
    core.sandbox.log.reset();
    const r = await runSql('PRAGMA table_info(Conversations)', { fetcher: fetcher(), engine });
    assert.equal(core.sandbox.log.count(), 0);
    assert.ok(r.rows.some((row) => row[1] === 'Subject'));
  });

  describe('bounded results', () => {
    it('stops at the row cap and says so', async () => {
      const r = await runSql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', { fetcher: fetcher(), engine, maxRows: 1000 });
      assert.equal(r.rows.length, 1000);
      assert.equal(r.truncated, true);
      const cross = await runSql('SELECT a.Id, b.Id FROM Conversations a, Conversations b', { fetcher: fetcher(), engine, maxRows: 5000 });
      assert.equal(cross.rows.length, 5000);
      assert.equal(cross.truncated, true);
      const all = await runSql('SELECT Id FROM Conversations', { fetcher: fetcher(), engine, maxRows: 5000 });
      assert.equal(all.truncated, undefined);
    });
  });

  describe('cancellation', () => {
    it('during the fetch: the statement over the rows that arrived, or a cancel when that takes too long; the next one runs', async () => {
      const slow = await startCore({ knobs: { latencyMs: 40 } });
      try {
        const f = new SqlFetcher({ mailbox: slow.mailboxHttp, cache: new ResponseCache({ ttlMs: 0 }) });
        // Quick over the rows that arrived: a partial result.
        let ac = new AbortController();
        let cancelledAt = 0;
        const cancelAfter = (n: number) => (e: { type: string; progress?: { requestsDone: number } }): void => {
          if (e.type === 'progress' && (e.progress?.requestsDone ?? 0) >= n && !ac.signal.aborted) {
            cancelledAt = Date.now();
            ac.abort();
          }
        };
        const partial: SqlRun = await runSql('SELECT t.Id FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId', { fetcher: f, engine, signal: ac.signal, onEvent: cancelAfter(1) });
        assert.equal(partial.partial, true);
        assert.ok(Date.now() - cancelledAt < 1500, `partial result ${Date.now() - cancelledAt} ms after the cancel`);
        // Endless over the rows that arrived (however few): cancelled within the partial evaluation's limit.
        ac = new AbortController();
        const endless = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n WHERE x NOT IN (SELECT Id FROM Conversations)';
        const heavy = runSql(endless, {
          fetcher: f,
          engine,
          signal: ac.signal,
          partialEvaluationMs: 300,
          onEvent: cancelAfter(1),
        });
        const e = await heavy.then(() => assert.fail('expected a cancel'), (err: unknown) => err);
        assert.ok(e instanceof SqlError && e.kind === 'cancelled', String(e));
        assert.ok(Date.now() - cancelledAt < 1500, `cancel took ${Date.now() - cancelledAt} ms`);
        const next = await runSql('SELECT count(*) FROM Mailboxes', { fetcher: f, engine });
        assert.deepEqual(next.rows, [[2]]);
      } finally {
        await slow.close();
      }
    });

    it('while waiting for the engine behind another statement: at once, with 0 requests', async () => {
      const busy = new AbortController();
      const running = engine.run('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', [], { signal: busy.signal });
      core.sandbox.log.reset();
      const ac = new AbortController();
      const queued = runSql('SELECT Id FROM Conversations', { fetcher: fetcher(), engine, signal: ac.signal });
      await new Promise((r) => setTimeout(r, 150));
      const t = Date.now();
      ac.abort();
      const e = await queued.then(() => assert.fail('expected a cancel'), (err: unknown) => err);
      assert.ok(e instanceof SqlError && e.kind === 'cancelled', String(e));
      assert.ok(Date.now() - t < 200, `${Date.now() - t} ms`);
      assert.equal(core.sandbox.log.count(), 0);
      busy.abort();
      await running.catch(() => undefined);
      const next = await runSql('SELECT count(*) FROM Mailboxes', { fetcher: fetcher(), engine });
      assert.deepEqual(next.rows, [[2]]);
    });

    it('during the evaluation: at once, and the next statement runs', async () => {
      const ac = new AbortController();
      const p = runSql('SELECT count(*) FROM Conversations a, Conversations b, Conversations c, Conversations d', {
        fetcher: fetcher(),
        engine,
        signal: ac.signal,
        onEvent: (e) => {
          // Once every step is done, the statement is being evaluated.
          if (e.type === 'progress' && e.progress.stepsDone === e.progress.stepsTotal) setTimeout(() => ac.abort(), 300);
        },
      });
      const e = await p.then(() => assert.fail('expected a cancel'), (err: unknown) => err);
      assert.ok(e instanceof SqlError && e.kind === 'cancelled', String(e));
      const next = await runSql('SELECT count(*) FROM Mailboxes', { fetcher: fetcher(), engine });
      assert.deepEqual(next.rows, [[2]]);
    });
  });
});
