import assert from 'node:assert/strict';
import { catalogTable, SqlEngine, SqlError, type SqlValue, type TableData } from '../../../../src/core/sql';

function conversations(n: number): TableData {
  const def = catalogTable('Conversations', []);
  const idx = (name: string): number => def.columns.findIndex((c) => c.name === name);
  const rows: SqlValue[][] = [];
  for (let i = 0; i < n; i++) {
    const r: SqlValue[] = def.columns.map(() => null);
    r[idx('Id')] = i + 1;
    r[idx('Number')] = 10_000 + i;
    r[idx('MailboxId')] = (i % 3) + 1;
    r[idx('Status')] = ['active', 'pending', 'closed'][i % 3] ?? null;
    r[idx('CreatedAt')] = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    r[idx('Tags')] = JSON.stringify(i % 2 ? ['vip', `t${i % 5}`] : []);
    r[idx('Subject')] = `Subject ${i}`;
    rows.push(r);
  }
  return { ...def, rows };
}

async function expectError(p: Promise<unknown>, check: (e: SqlError) => void): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SqlError, String(e));
    check(e);
    return;
  }
  assert.fail('expected an error');
}

describe('SQL engine (sql.js in a worker thread)', function () {
  this.timeout(60_000);
  const engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  const tables = [conversations(10_000)];
  after(() => engine.dispose());

  it('loads 10k rows and runs GROUP BY, window functions, CTEs and json_each', async () => {
    const g = await engine.run('SELECT MailboxId, count(*) AS n FROM Conversations GROUP BY MailboxId ORDER BY MailboxId', tables);
    assert.deepEqual(g.columns, ['MailboxId', 'n']);
    assert.deepEqual(g.rows, [[1, 3334], [2, 3333], [3, 3333]]);
    assert.deepEqual(g.types, ['INTEGER', 'INTEGER']);

    const w = await engine.run(
      'SELECT Id, row_number() OVER (PARTITION BY MailboxId ORDER BY CreatedAt DESC) AS rn FROM Conversations WHERE Id IN (1, 4, 7) ORDER BY Id',
      tables,
    );
    assert.deepEqual(w.rows, [[1, 3], [4, 2], [7, 1]]);

    const c = await engine.run(
      "WITH closed AS (SELECT * FROM Conversations WHERE Status = 'closed') SELECT count(*), min(Number) FROM closed",
      tables,
    );
    assert.deepEqual(c.rows, [[3333, 10_002]]);

    const j = await engine.run('SELECT j.value, count(*) FROM Conversations c, json_each(c.Tags) j GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2', tables);
    assert.deepEqual(j.rows, [['vip', 5000], ['t0', 1000]]);
  });

  it('streams results in chunks with column names first', async () => {
    const events: string[] = [];
    let rows = 0;
    for await (const ev of engine.stream('SELECT Id, Subject FROM Conversations', tables, { chunkSize: 1000 })) {
      if (ev.type === 'columns') events.push(`columns:${ev.columns.join(',')}`);
      if (ev.type === 'rows') {
        events.push(`rows:${ev.rows.length}`);
        rows += ev.rows.length;
      }
      if (ev.type === 'done') events.push(`done:${ev.rowCount}:${ev.types.join(',')}`);
    }
    assert.equal(rows, 10_000);
    assert.deepEqual(events, ['columns:Id,Subject', ...Array.from({ length: 10 }, () => 'rows:1000'), 'done:10000:INTEGER,TEXT']);
  });

  it('reports SQL errors with a position where the parser finds one', async () => {
    await expectError(engine.run('SELECT *\nFROM Conversations\nWHERE Id = = 3', tables), (e) => {
      assert.equal(e.kind, 'sql');
      assert.match(e.message, /syntax error/);
      assert.equal(e.position?.line, 3);
    });
    await expectError(engine.run('SELECT NoSuchColumn FROM Conversations', tables), (e) => {
      assert.match(e.message, /no such column: NoSuchColumn/);
    });
  });

  it('names the known tables for an unknown table', async () => {
    await expectError(engine.run('SELECT * FROM Foo', tables), (e) => {
      assert.match(e.message, /^no such table: Foo\. Known tables: Mailboxes, .*Conversations, .*Articles, .*sys_tablecolumns$/);
    });
  });

  it('is read-only and runs one statement at a time', async () => {
    await expectError(engine.run('DELETE FROM Conversations', tables), (e) => assert.match(e.message, /readonly/));
    await expectError(engine.run('SELECT 1; SELECT 2', tables), (e) => assert.match(e.message, /one statement/));
    const ok = await engine.run('SELECT 1; -- trailing comment', tables);
    assert.deepEqual(ok.rows, [[1]]);
  });

  it('cancels a running statement and keeps working afterwards', async () => {
    const ac = new AbortController();
    const started = engine.generation;
    const slow = engine.run(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c',
      [],
      { signal: ac.signal },
    );
    setTimeout(() => ac.abort(), 200);
    await expectError(slow, (e) => assert.equal(e.kind, 'cancelled'));
    const after = await engine.run('SELECT count(*) FROM Conversations', tables);
    assert.deepEqual(after.rows, [[10_000]]);
    assert.equal(engine.generation, started + 1);
  });

  it('stops the statement when the reader breaks out early', async () => {
    let chunks = 0;
    for await (const ev of engine.stream('SELECT Id FROM Conversations', tables, { chunkSize: 100 })) {
      if (ev.type === 'rows' && ++chunks === 2) break;
    }
    assert.equal(chunks, 2);
    const r = await engine.run('SELECT 42', []);
    assert.deepEqual(r.rows, [[42]]);
  });

  it('runs queued statements one after another', async () => {
    const results = await Promise.all([1, 2, 3].map((n) => engine.run(`SELECT ${n} + count(*) FROM Conversations`, tables)));
    assert.deepEqual(results.map((r) => r.rows[0]?.[0]), [10_001, 10_002, 10_003]);
  });

  it('recycles the worker after N statements and when idle', async () => {
    const small = new SqlEngine({ maxQueriesPerWorker: 2, idleMs: 20 });
    try {
      await small.run('SELECT 1', []);
      await small.run('SELECT 2', []);
      assert.equal(small.running, false, 'replaced after 2 statements');
      await small.run('SELECT 3', []);
      assert.equal(small.generation, 2);
      while (small.running) await new Promise((r) => setTimeout(r, 10));
      const r = await small.run('SELECT 4', []);
      assert.deepEqual(r.rows, [[4]]);
      assert.equal(small.generation, 3);
    } finally {
      small.dispose();
    }
  });
});
