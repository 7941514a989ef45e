import assert from 'node:assert/strict';
import { analyse, classifyStatement, readOnlyProblem, SqlRejectedError } from '../../../../src/core/sql';
import { hasSeveralStatements, positionAt, unreadableCharacter } from '../../../../src/core/sql/statementKind';
import { isWriteStatement, parseWrite, WriteStatementError } from '../../../../src/core/sql/writes';

describe('statement kinds (writes recognised before planning)', () => {
  it('reads: SELECT, VALUES, WITH ... SELECT, EXPLAIN of a read, read-only pragmas', () => {
    for (const sql of [
      'SELECT 1',
      '  -- a comment\n/* and another */ select * from Conversations',
      'VALUES (1), (2)',
      'WITH x AS (SELECT 1) SELECT * FROM x',
      'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT n FROM c',
      'WITH a AS MATERIALIZED (SELECT 1), b(x) AS NOT MATERIALIZED (SELECT 2) SELECT * FROM a, b',
      'WITH "insert" AS (SELECT 1 AS update) SELECT * FROM "insert"',
      "WITH x AS (SELECT 'DELETE FROM t' AS s) SELECT s FROM x",
      'EXPLAIN SELECT 1',
      'EXPLAIN QUERY PLAN WITH x AS (SELECT 1) SELECT * FROM x',
      'PRAGMA table_info(Conversations)',
      'PRAGMA main.table_info(Conversations)',
      'PRAGMA query_only',
      'SELECT 1;',
      'SELECT 1; -- done',
      'SELECT 1 ;; ',
    ]) {
      assert.equal(classifyStatement(sql).kind, 'read', sql);
      assert.equal(readOnlyProblem(sql), undefined, sql);
    }
  });

  it('writes of every form, with the verb as written', () => {
    const cases: [string, string, string][] = [
      ["INSERT INTO Tags (Name) VALUES ('x')", 'INSERT', 'data'],
      ["insert or replace into Tags (Name) values ('x')", 'INSERT OR REPLACE', 'data'],
      ["REPLACE INTO Tags (Name) VALUES ('x')", 'REPLACE', 'data'],
      ["UPDATE OR IGNORE Conversations SET Status = 'closed'", 'UPDATE', 'data'],
      ['DELETE FROM Tags', 'DELETE', 'data'],
      ["WITH x AS (SELECT 1) INSERT INTO Threads (ConversationId, Text) SELECT Id, 'x' FROM Conversations", 'WITH ... INSERT', 'data'],
      ['WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n FROM x) UPDATE Tags SET Name = 1', 'WITH ... UPDATE', 'data'],
      ['WITH x AS (SELECT (SELECT 1) AS y) DELETE FROM Tags', 'WITH ... DELETE', 'data'],
      ['/* x */ -- y\n WITH x AS (SELECT 1) REPLACE INTO Tags VALUES (1)', 'WITH ... REPLACE', 'data'],
      ['CREATE TABLE t (a)', 'CREATE TABLE', 'schema'],
      ['CREATE TEMP VIEW v AS SELECT 1', 'CREATE VIEW', 'schema'],
      ['create unique index i on t (a)', 'CREATE INDEX', 'schema'],
      ['CREATE VIRTUAL TABLE v USING fts5(a)', 'CREATE TABLE', 'schema'],
      ['DROP TABLE Conversations', 'DROP TABLE', 'schema'],
      ['ALTER TABLE t RENAME TO u', 'ALTER TABLE', 'schema'],
      ["ATTACH 'x.db' AS x", 'ATTACH', 'database'],
      ['DETACH x', 'DETACH', 'database'],
      ['VACUUM', 'VACUUM', 'database'],
      ['REINDEX', 'REINDEX', 'database'],
      ['ANALYZE', 'ANALYZE', 'database'],
      ['PRAGMA optimize', 'PRAGMA optimize', 'database'],
      ['PRAGMA query_only = 0', 'PRAGMA query_only = ...', 'setting'],
      ['PRAGMA main.journal_mode=WAL', 'PRAGMA journal_mode = ...', 'setting'],
      ['PRAGMA query_only(0)', 'PRAGMA query_only(...)', 'setting'],
      ['EXPLAIN DELETE FROM Tags', 'DELETE', 'data'],
      ['EXPLAIN QUERY PLAN INSERT INTO Tags VALUES (1)', 'INSERT', 'data'],
      [';; DELETE FROM Tags', 'DELETE', 'data'],
    ];
    for (const [sql, verb, target] of cases) {
      const k = classifyStatement(sql);
      assert.deepEqual(k, { kind: 'write', verb, target }, sql);
      assert.match(readOnlyProblem(sql) ?? '', new RegExp(`^Only SELECT statements can run \\(this one is ${verb.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which changes`), sql);
      // The parser adapter refuses it before any planning.
      assert.throws(() => analyse(sql), SqlRejectedError, sql);
    }
  });

  it('transaction statements, several statements and empty text', () => {
    for (const sql of ['BEGIN', 'BEGIN IMMEDIATE', 'COMMIT', 'END TRANSACTION', 'ROLLBACK TO s', 'SAVEPOINT s', 'RELEASE s']) {
      assert.equal(classifyStatement(sql).kind, 'transaction', sql);
      assert.match(readOnlyProblem(sql) ?? '', /transaction statement/, sql);
    }
    for (const sql of ['SELECT 1; SELECT 2', 'SELECT 1;\n-- c\nDELETE FROM t', "SELECT ';' ; SELECT 2"]) {
      assert.equal(hasSeveralStatements(sql), true, sql);
      assert.equal(readOnlyProblem(sql), 'Run one statement at a time.', sql);
    }
    for (const sql of ["SELECT ';', \"a;b\", [c;d] -- ; x\n/* ; y */", 'SELECT (SELECT 1);', 'SELECT 1;;  ;']) {
      assert.equal(hasSeveralStatements(sql), false, sql);
    }
    for (const sql of ['', '  \n', '-- only', '/* only */ ;']) assert.equal(classifyStatement(sql).kind, 'empty', JSON.stringify(sql));
    for (const sql of ['SELEC 1', '(SELECT 1)', 'FROM t SELECT 1', 'WITH x AS (SELECT 1)']) assert.equal(classifyStatement(sql).kind, 'unknown', sql);
  });

  it('a typo in the first word is left to SQLite (which gives its position), not refused', () => {
    assert.doesNotThrow(() => analyse('SELEC Id FROM Conversations'));
  });

  it('finds a NUL character and its line and column', () => {
    assert.equal(unreadableCharacter('SELECT 1'), undefined);
    const bad = unreadableCharacter('SELECT 1\nFROM t \u0000 WHERE 0');
    assert.equal(bad?.offset, 16);
    assert.match(bad?.message ?? '', /NUL character \(line 2, column 8\)/);
    assert.deepEqual(positionAt('ab\ncd', 4), { line: 2, column: 2 });
    assert.deepEqual(positionAt('abc', 0), { line: 1, column: 1 });
  });

  it('the write path takes every data write and says which forms it does not support', () => {
    for (const sql of ["UPDATE Conversations SET Status = 'closed' WHERE Id = 1", 'DELETE FROM Tags', "REPLACE INTO Tags (Name) VALUES ('x')", "WITH x AS (SELECT 1) UPDATE Tags SET Name = 'y'", "INSERT OR IGNORE INTO Tags (Name) VALUES ('x')"]) {
      assert.equal(isWriteStatement(sql), true, sql);
    }
    for (const sql of ['SELECT 1', 'CREATE TABLE t (a)', 'PRAGMA query_only = 0', "WITH x AS (SELECT 'UPDATE') SELECT * FROM x"]) {
      assert.equal(isWriteStatement(sql), false, sql);
    }
    assert.throws(() => parseWrite("WITH x AS (SELECT 1) UPDATE Conversations SET Status = 'closed' WHERE Id IN (SELECT * FROM x)"), (e: unknown) => e instanceof WriteStatementError && /WITH \.\.\. UPDATE is not supported/.test(e.message));
    assert.throws(() => parseWrite("INSERT OR REPLACE INTO Conversations (Subject) VALUES ('x')"), (e: unknown) => e instanceof WriteStatementError && /INSERT OR REPLACE is not supported/.test(e.message));
    assert.throws(() => parseWrite('DELETE FROM Conversations WHERE Id = 1'), (e: unknown) => e instanceof WriteStatementError && /Only UPDATE and INSERT/.test(e.message));
  });

  it('classifies a long statement quickly', () => {
    const sql = `SELECT ${Array.from({ length: 50_000 }, (_, i) => `'${i};'`).join(' || ')} FROM t`;
    const started = Date.now();
    assert.equal(readOnlyProblem(sql), undefined);
    assert.ok(Date.now() - started < 1000);
  });
});
