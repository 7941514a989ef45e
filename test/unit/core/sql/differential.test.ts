// The differential test: generated statements over the whole catalog must
// give, through the engine (planner + fetcher against the sandbox over
// loopback), the answer the same SQL gives over a full export of the sandbox
// in plain SQLite. A fixed seed here; `npm run test:differential -- --count N
// --seed S` runs thousands and prints the first disagreement shrunk.
import assert from 'node:assert/strict';
import { analyse, runSql, SqlRejectedError, type SqlValue } from '../../../../src/core/sql';
import { compareAnswers, describeOutcome, Differential, failureKind } from './differential/differential';
import { features, render, shrinkSteps, type Comparison, type EchoMode } from './differential/generator';

const SEED = 12;
const COUNT = 400;

describe('SQL engine: differential test against a full export', function () {
  this.timeout(180_000);
  let d: Differential;
  const seen = new Map<string, number>();
  const planned = new Map<string, number>();
  let withRows = 0;
  let rejected = 0;

  before(async () => {
    d = await Differential.start();
  });

  after(async () => {
    await d?.close();
  });

  it(`${COUNT} generated statements (seed ${SEED}) give the reference answer`, async () => {
    const failures: string[] = [];
    for (let i = 0; i < COUNT && failures.length < 3; i++) {
      const stmt = d.generator(SEED, i).statement();
      for (const f of features(stmt)) seen.set(f, (seen.get(f) ?? 0) + 1);
      const o = await d.check(stmt);
      for (const f of o.planFeatures) planned.set(f, (planned.get(f) ?? 0) + 1);
      if (o.engine.ok && o.engine.answer.rows.length > 0) withRows++;
      if (!o.engine.ok) rejected++;
      if (!o.agree) {
        const s = await d.shrink(stmt, o, 150);
        failures.push(`statement #${i}:\n${describeOutcome(o)}\nshrunk:\n${describeOutcome(s.outcome)}`);
      }
    }
    assert.equal(failures.length, 0, `\n${failures.join('\n\n')}`);
  });

  it('the statements cover every shape the planner treats specially, and most have rows', () => {
    const wanted = [
      'JOIN', 'LEFT JOIN', 'comma join', 'self-join', 'json_each', 'IN (SELECT)', 'NOT IN (SELECT)', 'EXISTS', 'NOT EXISTS', 'CTE', 'OR', 'LIKE',
      'BETWEEN', 'IN (', 'NOT IN (', 'IS NULL', '>=', '<', 'GROUP BY', 'aggregate', 'DISTINCT', 'ORDER BY one column', 'ORDER BY every column',
      'LIMIT', 'OFFSET', 'request-filled param', 'request-filled base', 'request-filled mixed', 'UNION ALL', 'scalar sub-select',
      'unqualified columns', 'OR without parentheses', 'HAVING',
    ];
    const missing = wanted.filter((f) => (seen.get(f) ?? 0) < 3);
    assert.deepEqual(missing, [], JSON.stringify(Object.fromEntries(seen)));
    // And the plans use what the planner can do.
    const techniques = ['early stop', 'get by id', 'bound path', 'bound query', 'bound get', 'sub-select values', 'detail GETs', 'embedded children', 'search query', 'parent listing'];
    const unused = techniques.filter((f) => (planned.get(f) ?? 0) < 2);
    assert.deepEqual(unused, [], JSON.stringify(Object.fromEntries(planned)));
    assert.ok(withRows > COUNT * 0.5, `${withRows} of ${COUNT} answers have rows`);
    assert.ok(rejected < COUNT * 0.15, `${rejected} of ${COUNT} statements failed in both`);
  });

  describe('the same table read twice with different filters on a request-filled column', () => {
    const rows = async (sql: string, comparison: Comparison = { kind: 'multiset' }): Promise<SqlValue[][]> => {
      const tables = analyse(sql).tables;
      const modes = new Map<string, EchoMode>(tables.filter((t) => t === 'Users' || t === 'Articles').map((t) => [t, 'param']));
      const o = await d.checkSql(sql, { tables, modes, comparison });
      assert.ok(o.agree, describeOutcome(o));
      assert.ok(o.engine.ok);
      return o.engine.answer.rows as SqlValue[][];
    };

    it('users of one mailbox who are also in another', async () => {
      const [m1, m2] = [...d.core.sandbox.store.mailbox.mailboxes.keys()];
      const both = [...d.core.sandbox.store.mailbox.users.values()].filter((u) => u.mailboxIds.includes(m1 ?? 0) && u.mailboxIds.includes(m2 ?? 0));
      assert.ok(both.length > 0);
      const got = await rows(`SELECT Id, MailboxId FROM Users WHERE MailboxId = ${m1} AND Id IN (SELECT Id FROM Users WHERE MailboxId = ${m2}) ORDER BY Id`, { kind: 'ordered' });
      assert.deepEqual(got, both.map((u) => [u.id, m1 ?? 0]).sort((a, b) => Number(a[0]) - Number(b[0])));
      // A user listed for two mailboxes is two rows, one per mailbox.
      const pairs = await rows(`SELECT a.Id, a.MailboxId, b.MailboxId FROM Users a JOIN Users b ON b.Id = a.Id WHERE a.MailboxId = ${m1} AND b.MailboxId = ${m2}`);
      assert.equal(pairs.length, both.length);
    });

    it('articles of one category that are also in another', async () => {
      const docs = d.core.sandbox.store.docs;
      const multi = [...docs.articles.values()].find((a) => a.categories.length > 1);
      assert.ok(multi, 'an article in two categories');
      const [c1, c2] = multi.categories;
      const got = await rows(`SELECT Id, CategoryId FROM Articles WHERE CategoryId = '${c1}' AND Id IN (SELECT Id FROM Articles WHERE CategoryId = '${c2}')`);
      assert.ok(got.some((r) => r[0] === multi.id && r[1] === c1), JSON.stringify(got));
    });

    it('users joined with their mailboxes get one request per mailbox', async () => {
      const got = await rows('SELECT m.Name, count(*) FROM Mailboxes m JOIN Users u ON u.MailboxId = m.Id GROUP BY 1 ORDER BY 1', { kind: 'ordered' });
      assert.equal(got.length, d.core.sandbox.store.mailbox.mailboxes.size);
    });

    it('a statement reading the table both with and without the filter is refused before any request', async () => {
      d.core.sandbox.log.reset();
      await assert.rejects(
        runSql('SELECT * FROM Users WHERE Id IN (SELECT Id FROM Users WHERE MailboxId = 1)', d.run),
        (e: unknown) => e instanceof SqlRejectedError && /Users is read both with and without a MailboxId filter/.test(e.message),
      );
      assert.equal(d.core.sandbox.log.count(), 0);
    });
  });

  describe('the harness', () => {
    it('compares in order only what the statement orders', () => {
      const a = { columns: ['k', 'v'], rows: [[1, 'a'], [2, 'b'], [2, 'c']] };
      const b = { columns: ['k', 'v'], rows: [[1, 'a'], [2, 'c'], [2, 'b']] };
      assert.equal(compareAnswers(a, b, { kind: 'multiset' }).reason, undefined);
      assert.match(compareAnswers(a, b, { kind: 'ordered' }).reason ?? '', /row 2/);
      // Ties on the last sort key under LIMIT: either row may come.
      const c = { columns: ['k', 'v'], rows: [[1, 'a'], [2, 'x']] };
      assert.equal(compareAnswers({ ...a, rows: a.rows.slice(0, 2) }, c, { kind: 'key', column: 0, limited: true }).reason, undefined);
      assert.match(compareAnswers({ ...a, rows: a.rows.slice(0, 2) }, c, { kind: 'key', column: 0, limited: false }).reason ?? '', /different rows/);
      assert.match(compareAnswers(a, { ...a, rows: a.rows.slice(1) }, { kind: 'multiset' }).reason ?? '', /3 rows vs 2/);
      // REAL sums in another order differ in the last bits only.
      assert.equal(compareAnswers({ columns: ['s'], rows: [[0.1 + 0.2]] }, { columns: ['s'], rows: [[0.3]] }, { kind: 'ordered' }).reason, undefined);
    });

    it('shrinks by dropping joins, conditions and clauses, keeping the kind of disagreement', () => {
      const stmt = d.generator(SEED, 7).statement();
      const sizes = shrinkSteps(stmt).map((s) => render(s).length);
      assert.ok(sizes.length > 0);
      assert.ok(sizes.every((n) => n <= render(stmt).length + 20), render(stmt));
      assert.equal(failureKind({ sql: '', agree: false, engine: { ok: false, error: 'x' }, reference: { ok: true, answer: { columns: [], rows: [] } }, onlyEngine: [], onlyReference: [], requests: 0, planFeatures: [] }), 'engine error');
    });
  });
});

