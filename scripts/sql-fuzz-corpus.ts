// Writes the SQL fuzzing corpus the unit suite runs (test/unit/core/sql/fuzz.test.ts):
// malformed, adversarial and runaway statements over every catalog table, each
// with what must happen. Deterministic (seeded), so the data file only changes
// when this script does. Run: npx tsx scripts/sql-fuzz-corpus.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allTables } from '../src/core/sql/catalog';

/**
 * What must happen, besides "settles in time, no stack trace, a message that names the problem":
 * - error: SqlError from SQLite or the text check, matching `match`, with 0 requests (and at `line` when given);
 * - rejected: SqlRejectedError (not a read-only statement), matching `match`, with 0 requests;
 * - rows: a complete result (not truncated);
 * - bounded: a result cut at the row cap, or stopped (time limit or memory limit) with a message saying so;
 * - any: a result or an error, as long as it is well-formed.
 */
export interface FuzzCase {
  readonly category: 'malformed' | 'write' | 'adversarial' | 'runaway' | 'valid';
  readonly sql: string;
  readonly expect: 'error' | 'rejected' | 'rows' | 'bounded' | 'any';
  readonly match?: string;
  readonly line?: number;
}

const SEED = 12;

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
function sample<T>(xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

const out: FuzzCase[] = [];
const add = (c: FuzzCase): void => {
  out.push(c);
};

const SYNTAX = 'syntax error|incomplete input';

// --- malformed: every table, a sample of mistakes each ------------------------------------------
for (const t of allTables()) {
  const cols = t.columns.map((c) => c.name);
  const c1 = pick(cols);
  const c2 = pick(cols);
  const T = t.name;
  const mistakes: FuzzCase[] = [
    { category: 'malformed', sql: `SELECT ${c1} FROM ${T} WHERE ${c2} = 1 AND`, expect: 'error', match: 'incomplete input' },
    { category: 'malformed', sql: `SELECT * FROM ${T} WHERE ${c2} IS NOT NULL OR -- more to come\n`, expect: 'error', match: 'incomplete input' },
    { category: 'malformed', sql: `SELECT ${c1}_x FROM ${T}`, expect: 'error', match: 'no such column' },
    { category: 'malformed', sql: `SELECT ${c1} FROM ${T} WHERE no_such_fn_${Math.floor(rnd() * 1000)}(${c2}) = 1`, expect: 'error', match: 'no such function' },
    {
      category: 'malformed',
      sql: `SELECT ${pick([`substr()`, `abs(${c1}, ${c2})`, `coalesce(${c1})`, `replace(${c1})`, `round(${c1}, 1, 2)`, `instr(${c1})`])} FROM ${T}`,
      expect: 'error',
      match: 'wrong number of arguments',
    },
    { category: 'malformed', sql: `SELECT ${c1} FORM ${T}`, expect: 'error', match: SYNTAX },
    { category: 'malformed', sql: `SELEC ${c1} FROM ${T}`, expect: 'error', match: SYNTAX },
    { category: 'malformed', sql: `SELECT ${c1}, FROM ${T}`, expect: 'error', match: SYNTAX },
    { category: 'malformed', sql: `SELECT ${c1}\nFROM ${T}\nWHERE ${c2} = = 1`, expect: 'error', match: SYNTAX, line: 3 },
    { category: 'malformed', sql: `SELECT ${c1} FROM ${T} GROUP BY`, expect: 'error', match: 'incomplete input' },
    { category: 'malformed', sql: `SELECT * FROM ${T}_x`, expect: 'error', match: 'no such table' },
    { category: 'malformed', sql: `SELECT ${c1} FROM ${T} WHERE count(*) > 1`, expect: 'error', match: 'misuse of aggregate' },
    { category: 'malformed', sql: `SELECT ${c1} FROM ${T} WHERE ${c2} = 'open`, expect: 'error', match: 'unrecognized token' },
    { category: 'malformed', sql: `SELECT "${c1} FROM ${T}`, expect: 'error', match: 'unrecognized token' },
    { category: 'malformed', sql: `SELECT ${c1} FROM ${T} ORDER BY 99`, expect: 'error', match: 'ORDER BY term out of range' },
    { category: 'malformed', sql: `SELECT (${c1} FROM ${T}`, expect: 'error', match: SYNTAX },
    { category: 'malformed', sql: `SELECT ${c1} FROM ${T} a JOIN ${T} b ON 1 WHERE ${c1} IS NULL`, expect: 'error', match: 'ambiguous column name' },
  ];
  for (const m of sample(mistakes, 7)) add(m);
}

// Threads with a trailing AND once sent thousands of requests: always in the corpus.
add({ category: 'malformed', sql: "SELECT t.Id FROM Threads t JOIN Conversations c ON c.Id = t.ConversationId WHERE c.Status = 'closed' AND", expect: 'error', match: 'incomplete input' });
add({ category: 'malformed', sql: 'WITH x AS (SELECT ConversationId FROM Threads WHERE Type = \'note\' AND) SELECT * FROM x', expect: 'error', match: SYNTAX });
add({ category: 'malformed', sql: '', expect: 'error', match: 'empty' });
add({ category: 'malformed', sql: '   \n\t  ', expect: 'error', match: 'empty' });
add({ category: 'malformed', sql: '-- only a comment', expect: 'error', match: 'empty' });
add({ category: 'malformed', sql: '/* only a comment */ ;;', expect: 'error', match: 'empty' });
add({ category: 'malformed', sql: ';', expect: 'error', match: 'empty' });
add({ category: 'malformed', sql: 'SELECT', expect: 'error', match: 'incomplete input' });
add({ category: 'malformed', sql: 'SELECT * FROM', expect: 'error', match: 'incomplete input' });
add({ category: 'malformed', sql: 'FROM Conversations SELECT Id', expect: 'error', match: SYNTAX });
add({ category: 'malformed', sql: 'SELECT 1; SELECT 2', expect: 'rejected', match: 'one statement' });
add({ category: 'malformed', sql: 'SELECT Id FROM Conversations; SELECT Id FROM Threads', expect: 'rejected', match: 'one statement' });
add({ category: 'malformed', sql: '(((((((((((((((((((((((((((((', expect: 'error', match: SYNTAX });
add({ category: 'malformed', sql: `SELECT ${'('.repeat(3000)}1 FROM Conversations`, expect: 'error', match: `${SYNTAX}|too large|nested too deeply` });
add({ category: 'malformed', sql: `SELECT Id FROM Conversations WHERE ${Array.from({ length: 1500 }, (_, i) => `Number = ${i}`).join(' OR ')} OR`, expect: 'error', match: 'incomplete input|too large' });

// --- writes of every form: refused before planning --------------------------------------------
const writes = [
  "INSERT INTO Tags (Name) VALUES ('x')",
  "insert into Conversations (Subject) values ('x')",
  "INSERT OR REPLACE INTO Tags (Name) VALUES ('x')",
  "INSERT OR IGNORE INTO Tags (Name) VALUES ('x')",
  "REPLACE INTO Tags (Name) VALUES ('x')",
  "UPDATE Conversations SET Status = 'closed'",
  "UPDATE OR ROLLBACK Conversations SET Status = 'closed' WHERE Id = 1",
  'DELETE FROM Conversations',
  "DELETE FROM Threads WHERE Type = 'note'",
  "WITH x AS (SELECT 1) INSERT INTO Threads (ConversationId, Text) SELECT Id, 'x' FROM Conversations",
  "WITH RECURSIVE x(n) AS (SELECT 1) UPDATE Conversations SET Status = 'closed' WHERE Id IN (SELECT n FROM x)",
  'WITH x AS (SELECT Id FROM Threads) DELETE FROM Conversations WHERE Id IN (SELECT Id FROM x)',
  "WITH x AS MATERIALIZED (SELECT 1), y(a) AS (SELECT 2) REPLACE INTO Tags (Name) VALUES ('x')",
  "with x as (select 1) insert or replace into Tags (Name) values ('x')",
  'CREATE TABLE t (a)',
  'CREATE TEMP TABLE t AS SELECT * FROM Conversations',
  'CREATE VIEW v AS SELECT * FROM Threads',
  'CREATE INDEX i ON Conversations (Status)',
  'CREATE UNIQUE INDEX i ON Conversations (Id)',
  'CREATE TRIGGER tr AFTER INSERT ON Tags BEGIN DELETE FROM Tags; END',
  'CREATE VIRTUAL TABLE v USING fts5(a)',
  'DROP TABLE Conversations',
  'DROP VIEW IF EXISTS v',
  'ALTER TABLE Conversations ADD COLUMN x',
  "ATTACH DATABASE 'other.db' AS other",
  "ATTACH ':memory:' AS m",
  'DETACH other',
  'VACUUM',
  "VACUUM INTO '/tmp/copy.db'",
  'REINDEX',
  'ANALYZE',
  'PRAGMA query_only = 0',
  'PRAGMA query_only(0)',
  'PRAGMA main.journal_mode = WAL',
  'PRAGMA writable_schema = 1',
  'PRAGMA optimize',
  'PRAGMA shrink_memory',
  'BEGIN',
  'BEGIN IMMEDIATE TRANSACTION',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT s',
  'RELEASE s',
  'END',
  'EXPLAIN DELETE FROM Conversations',
  'EXPLAIN QUERY PLAN INSERT INTO Tags (Name) VALUES (1)',
  "-- a comment first\nUPDATE Conversations SET Status = 'closed'",
  "/* a block comment */ DELETE FROM Tags",
  ';;DELETE FROM Tags',
  "  \n  DeLeTe FrOm Tags WHERE Name = 'SELECT'",
];
for (const sql of writes) add({ category: 'write', sql, expect: 'rejected', match: 'Only SELECT statements can run' });
add({ category: 'write', sql: "SELECT * FROM Tags; DELETE FROM Tags", expect: 'rejected', match: 'one statement' });
add({ category: 'write', sql: "SELECT * FROM Mailboxes WHERE Name = ''; DROP TABLE Conversations; --'", expect: 'rejected', match: 'one statement' });
add({ category: 'write', sql: "SELECT 1 /* ; */ ; -- ;\nUPDATE Tags SET Name = 'x'", expect: 'rejected', match: 'one statement' });

// --- adversarial: characters and shapes that could mislead a reader ---------------------------
const nul = '\u0000';
add({ category: 'adversarial', sql: `SELECT count(*) FROM Mailboxes ${nul} WHERE 1 = 0`, expect: 'error', match: 'NUL character' });
add({ category: 'adversarial', sql: `SELECT * FROM Conversations WHERE Status = 'closed'${nul}`, expect: 'error', match: 'NUL character' });
add({ category: 'adversarial', sql: `SELECT '${nul}' FROM Tags`, expect: 'error', match: 'NUL character' });
add({ category: 'adversarial', sql: `${nul}DELETE FROM Tags`, expect: 'error', match: 'NUL character' });
add({ category: 'adversarial', sql: `SELECT Id FROM Threads\nWHERE 1 = 1\n  AND ${nul} Type = 'note'`, expect: 'error', match: 'NUL character', line: 3 });
add({ category: 'adversarial', sql: 'SELECT 1 \u0001', expect: 'error', match: 'unrecognized token' });
add({ category: 'adversarial', sql: 'SELECT \u007f FROM Tags', expect: 'error', match: 'unrecognized token|syntax error' });
add({ category: 'adversarial', sql: "SELECT load_extension('x')", expect: 'error', match: 'no such function|not authorized' });
add({ category: 'adversarial', sql: "SELECT readfile('/etc/passwd')", expect: 'error', match: 'no such function' });
add({ category: 'adversarial', sql: "SELECT writefile('/tmp/x', 'y')", expect: 'error', match: 'no such function' });
add({ category: 'adversarial', sql: 'SELECT * FROM sqlite_master', expect: 'any' });
add({ category: 'adversarial', sql: "SELECT * FROM pragma_table_info('Conversations')", expect: 'rows' });
add({ category: 'adversarial', sql: 'PRAGMA table_info(Conversations)', expect: 'rows' });
add({ category: 'adversarial', sql: 'PRAGMA query_only', expect: 'rows' });
add({ category: 'adversarial', sql: 'SELECT zeroblob(900000000)', expect: 'bounded' });
add({ category: 'adversarial', sql: 'SELECT length(randomblob(300000000))', expect: 'bounded' });
add({ category: 'adversarial', sql: "SELECT printf('%.*c', 400000000, 'x')", expect: 'bounded' });
add({ category: 'adversarial', sql: `SELECT ${Array.from({ length: 3000 }, (_, i) => i).join(' + ')}`, expect: 'error', match: 'too large' });
add({ category: 'adversarial', sql: `SELECT ${'('.repeat(500)}1${')'.repeat(500)}`, expect: 'rows' });
add({ category: 'adversarial', sql: `SELECT '${'x'.repeat(50_000)}' AS long`, expect: 'rows' });
add({ category: 'adversarial', sql: `SELECT ${'CASE WHEN 1 THEN '.repeat(200)}1${' END'.repeat(200)}`, expect: 'rows' });
add({ category: 'adversarial', sql: "SELECT '💥', 'ש', '\u2028', 'a''b', \"Name\" FROM \"Tags\" LIMIT 1", expect: 'rows' });
add({ category: 'adversarial', sql: 'SELECT [Id], `Name` FROM [Tags] LIMIT 2', expect: 'rows' });
add({ category: 'adversarial', sql: "SELECT 'DROP TABLE x; --' AS text, \"DELETE\" FROM (SELECT 1 AS \"DELETE\")", expect: 'rows' });
add({ category: 'adversarial', sql: '/* INSERT */ SELECT 1 -- UPDATE', expect: 'rows' });
add({ category: 'adversarial', sql: "WITH \"insert\" AS (SELECT 1 AS x) SELECT x FROM \"insert\"", expect: 'rows' });
add({ category: 'adversarial', sql: 'VALUES (1, 2), (3, 4)', expect: 'rows' });
add({ category: 'adversarial', sql: 'EXPLAIN QUERY PLAN SELECT * FROM Conversations c JOIN Threads t ON t.ConversationId = c.Id', expect: 'rows' });
add({ category: 'adversarial', sql: 'EXPLAIN SELECT Id FROM Conversations WHERE', expect: 'error', match: 'incomplete input' });
add({ category: 'adversarial', sql: 'EXPLAIN SELECT Nope FROM Threads', expect: 'error', match: 'no such column' });
add({ category: 'adversarial', sql: "SELECT json_extract('{', '$')", expect: 'error', match: 'malformed JSON' });
add({ category: 'adversarial', sql: 'SELECT 1 FROM Tags t0 ' + Array.from({ length: 70 }, (_, i) => `JOIN Tags t${i + 1} ON t${i + 1}.Id = t${i}.Id`).join(' '), expect: 'error', match: 'at most 64 tables' });
add({ category: 'adversarial', sql: `SELECT * FROM Tags WHERE Name IN (${Array.from({ length: 2000 }, (_, i) => `'t${i}'`).join(', ')})`, expect: 'any' });

// --- runaway: endless rows, endless work, endless memory --------------------------------------
const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)';
add({ category: 'runaway', sql: `${endless} SELECT x FROM c`, expect: 'bounded' });
add({ category: 'runaway', sql: `${endless} SELECT x, printf('%0200d', x) FROM c`, expect: 'bounded' });
add({ category: 'runaway', sql: `${endless} SELECT * FROM c JOIN Mailboxes`, expect: 'bounded' });
add({ category: 'runaway', sql: `${endless} SELECT count(*) FROM c`, expect: 'bounded' });
add({ category: 'runaway', sql: `${endless} SELECT x FROM c ORDER BY x DESC`, expect: 'bounded' });
add({ category: 'runaway', sql: `${endless} SELECT length(group_concat(x)) FROM c`, expect: 'bounded' });
add({ category: 'runaway', sql: 'WITH RECURSIVE s(t) AS (SELECT \'x\' UNION ALL SELECT t || t FROM s) SELECT length(t) FROM s', expect: 'bounded' });
add({ category: 'runaway', sql: 'SELECT a.Id, b.Id FROM Conversations a, Conversations b', expect: 'bounded' });
add({ category: 'runaway', sql: 'SELECT * FROM Conversations a CROSS JOIN Conversations b CROSS JOIN Mailboxes', expect: 'bounded' });
add({ category: 'runaway', sql: 'SELECT count(*) FROM Conversations a, Conversations b, Conversations c, Conversations d', expect: 'bounded' });
add({ category: 'runaway', sql: `${endless} SELECT x FROM c LIMIT 5`, expect: 'rows' });
add({ category: 'runaway', sql: `${endless}, d(y) AS (SELECT x FROM c WHERE x % 2 = 0) SELECT y FROM d`, expect: 'bounded' });

// --- valid: the engine still answers between the rest ------------------------------------------
for (const sql of [
  'SELECT 1',
  'SELECT count(*) FROM Mailboxes',
  'SELECT Name FROM Tags ORDER BY Name LIMIT 3',
  "SELECT Id FROM Users WHERE Email LIKE '%@%'",
  'SELECT TableName FROM sys_tables ORDER BY 1',
]) add({ category: 'valid', sql, expect: 'rows' });

const file = join(__dirname, '..', 'test', 'unit', 'core', 'sql', 'fixtures', 'sql-fuzz-corpus.json');
writeFileSync(file, `${JSON.stringify({ seed: SEED, generator: 'scripts/sql-fuzz-corpus.ts', statements: out }, null, 1)}\n`);
console.log(`${out.length} statements -> ${file}`);
