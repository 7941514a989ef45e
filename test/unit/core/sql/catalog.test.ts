import assert from 'node:assert/strict';
import { allTables, catalogTable, findColumn, findTable, getTable, SqlEngine } from '../../../../src/core/sql';

const EXPECTED = [
  'Mailboxes', 'MailboxFolders', 'MailboxFields', 'Conversations', 'Threads', 'ConversationCustomFields', 'Customers',
  'CustomerEmails', 'CustomerPhones', 'CustomerAddresses', 'CustomerWebsites', 'CustomerSocialProfiles', 'CustomerChats',
  'CustomerProperties', 'Users', 'Teams', 'TeamMembers', 'Tags', 'Workflows', 'Webhooks', 'Sites', 'Collections',
  'Categories', 'Articles', 'ArticleRevisions', 'Redirects', 'sys_tables', 'sys_tablecolumns',
];

describe('SQL catalog', () => {
  it('declares every table of the product', () => {
    assert.deepEqual(allTables().map((t) => t.name).sort(), [...EXPECTED].sort());
  });

  for (const t of allTables()) {
    describe(t.name, () => {
      it('has unique columns with a type and a description, and an existing primary key', () => {
        const names = t.columns.map((c) => c.name.toLowerCase());
        assert.equal(new Set(names).size, names.length);
        for (const c of t.columns) assert.ok(c.description.length > 3, `${c.name} lacks a description`);
        for (const k of t.primaryKey) assert.ok(findColumn(t, k), `primary key ${k}`);
      });

      it('has key columns, sort columns and parent keys that exist', () => {
        for (const k of t.keys) assert.ok(findColumn(t, k.column), `key ${k.column}`);
        for (const c of Object.keys(t.sort?.columns ?? {})) assert.ok(findColumn(t, c), `sort ${c}`);
        if (t.get) assert.ok(findColumn(t, t.get.column));
        for (const l of t.list) {
          if (!l.parent) continue;
          assert.ok(findColumn(t, l.parent.column), `parent column ${l.parent.column}`);
          assert.ok(l.path.includes(`{${l.parent.param}}`), `${l.path} has {${l.parent.param}}`);
          const parent = getTable(l.parent.table);
          assert.ok(findColumn(parent, l.parent.parentColumn));
          assert.ok(parent.list.some((pl) => !pl.parent) || parent.list.length > 0, 'parent can be enumerated');
        }
      });

      it('can be fetched: a list endpoint, a parent to enumerate, or generated rows', () => {
        assert.ok(t.list.length > 0 || t.staticRows, 'no way to get rows');
        for (const l of t.list) assert.ok(l.envelope.length > 0);
      });
    });
  }

  it('marks Articles.Text as needing a per-article GET and knows the Conversations push-downs', () => {
    const articles = getTable('articles');
    assert.equal(findColumn(articles, 'text')?.detail, true);
    const conv = getTable('Conversations');
    const target = (col: string): string => JSON.stringify(conv.keys.filter((k) => k.column === col).map((k) => k.target));
    assert.equal(target('MailboxId'), '[{"in":"query","name":"mailbox"}]');
    assert.equal(target('AssigneeId'), '[{"in":"query","name":"assigned_to"}]');
    assert.equal(target('Tag'), '[{"in":"query","name":"tag"}]');
    assert.equal(target('ModifiedAt'), '[{"in":"query","name":"modifiedSince"}]');
    assert.deepEqual(conv.defaults, { status: 'all' });
    assert.equal(findTable('nope'), undefined);
  });

  describe('sys tables', function () {
    this.timeout(30_000);
    const engine = new SqlEngine();
    after(() => engine.dispose());

    it('are queryable like any table', async () => {
      const tables = ['sys_tables', 'sys_tablecolumns'].map((n) => catalogTable(n, getTable(n).staticRows?.() ?? []));
      const r = await engine.run(
        `SELECT ColumnName, IsKey, IsRequiredFilter, PushDownOperators FROM sys_tablecolumns
         WHERE TableName = 'Threads' AND ColumnName = 'ConversationId'`,
        tables,
      );
      assert.deepEqual(r.rows, [['ConversationId', 1, 1, '= IN']]);
      const count = await engine.run('SELECT count(*) FROM sys_tables', tables);
      assert.deepEqual(count.rows, [[EXPECTED.length]]);
      const conv = await engine.run("SELECT PushDownOperators FROM sys_tablecolumns WHERE TableName = 'Conversations' AND ColumnName = 'CreatedAt'", tables);
      assert.deepEqual(conv.rows, [['> >= < <= BETWEEN']]);
    });
  });
});
