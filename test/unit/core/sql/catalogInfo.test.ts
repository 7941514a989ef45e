import assert from 'node:assert/strict';
import { findColumn, findTable, type ColumnDef, type TableDef } from '../../../../src/core/sql';
import {
  columnDetail, columnMarkdown, isRequiredFilter, pushDownOps, pushDownTargets, tableAliases, tableMarkdown,
} from '../../../../src/core/sql/catalogInfo';

function table(name: string): TableDef {
  const t = findTable(name);
  assert.ok(t, name);
  return t;
}

function column(t: TableDef, name: string): ColumnDef {
  const c = findColumn(t, name);
  assert.ok(c, `${t.name}.${name}`);
  return c;
}

describe('core/sql catalog descriptions', () => {
  const conversations = table('Conversations');
  const threads = table('Threads');
  const articles = table('Articles');

  it('names the operators and wire parameters of pushed-down columns', () => {
    assert.deepEqual(pushDownOps(conversations, 'Status'), ['=', 'IN']);
    assert.deepEqual(pushDownTargets(conversations, 'Status'), ['status']);
    assert.deepEqual(pushDownOps(conversations, 'ModifiedAt'), ['>', '>=', '<', '<=', 'BETWEEN']);
    assert.deepEqual(pushDownTargets(conversations, 'ModifiedAt'), ['modifiedSince', 'query=modifiedAt:[…]']);
    assert.deepEqual(pushDownTargets(conversations, 'Subject'), ['query=subject:…']);
    assert.deepEqual(pushDownTargets(conversations, 'Id'), ['get by id']);
    assert.deepEqual(pushDownTargets(threads, 'ConversationId'), ['{conversationId}']);
    assert.deepEqual(pushDownOps(conversations, 'Tags'), [], 'the JSON column is filtered locally; Tag is the pushed one');
    assert.deepEqual(pushDownOps(conversations, 'Tag'), ['=', 'IN']);
  });

  it('knows which filters the API requires', () => {
    assert.equal(isRequiredFilter(threads, 'ConversationId'), true);
    assert.equal(isRequiredFilter(articles, 'CollectionId'), true);
    assert.equal(isRequiredFilter(articles, 'CategoryId'), true);
    assert.equal(isRequiredFilter(conversations, 'MailboxId'), false);
    assert.equal(isRequiredFilter(table('sys_tables'), 'TableName'), false);
  });

  it('describes a column in one line and in Markdown', () => {
    assert.equal(columnDetail(conversations, column(conversations, 'MailboxId')), 'INTEGER · pushed down (= IN)');
    assert.equal(columnDetail(conversations, column(conversations, 'CustomerId')), 'INTEGER');
    assert.equal(
      columnMarkdown(threads, column(threads, 'ConversationId')),
      [
        '**Threads.ConversationId** `INTEGER`', '', 'Conversation the thread belongs to.', '',
        'Pushed down to the Mailbox API for `=`, `IN` → {conversationId}.', '',
        'Required by the API: without a filter on it, every parent is enumerated.',
      ].join('\n'),
    );
    const tags = columnMarkdown(conversations, column(conversations, 'Tags'));
    assert.match(tags, /Filtered by SQLite after fetching \(not pushed down\)\./);
    assert.match(tags, /JSON text: use `json_each` \/ `json_extract`\./);
  });

  it('describes a table with its endpoints, required filters and columns', () => {
    const text = tableMarkdown(table('Mailboxes'));
    assert.ok(text.startsWith('**Mailboxes** — Mailbox API\n'));
    assert.match(text, /\nList: `GET \/mailboxes`\n/);
    assert.match(text, /\nGet by Id: `GET \/mailboxes\/\{id\}`\n/);
    assert.match(text, /\n\| Id ⚡ \| INTEGER \|\n\| Name \| TEXT \|\n/);
    const short = tableMarkdown(threads, false);
    assert.match(short, /Needs ConversationId \(else every parent is enumerated\)\./);
    assert.doesNotMatch(short, /\| Column \|/);
    assert.match(tableMarkdown(table('sys_tables'), false), /^\*\*sys_tables\*\* — catalog\n/);
    assert.match(tableMarkdown(articles, false), /^\*\*Articles\*\* — Docs API\n/);
  });

  it('reads table aliases from half-typed SQL, ignoring keywords and unknown tables', () => {
    const aliases = tableAliases('SELECT c. FROM Conversations c JOIN "Customers" AS cu ON 1 LEFT JOIN Mailboxes WHERE x JOIN main.Threads t2 JOIN Nosuch n');
    assert.deepEqual(
      [...aliases].map(([k, v]) => `${k}=${v.name}`),
      ['conversations=Conversations', 'c=Conversations', 'customers=Customers', 'cu=Customers', 'mailboxes=Mailboxes', 'threads=Threads', 't2=Threads'],
    );
    assert.equal(tableAliases('SELECT * FROM conversations JOIN threads ON 1').size, 2);
  });
});
