// Writes as SQL against the sandbox: the dry run lists the exact requests and
// sends nothing; with the opt-in the same requests go out (the sandbox log
// shows them in order) and the sandbox store holds the new values; without
// the opt-in nothing is sent.
import assert from 'node:assert/strict';
import {
  isWriteStatement, ResponseCache, runWrite, SqlEngine, SqlFetcher, whereText, WritesDisabledError, WriteStatementError, type RunWriteOptions,
} from '../../../../src/core/sql';
import { startCore, type Core } from '../harness';

describe('SQL writes', function () {
  this.timeout(60_000);
  let core: Core;
  let engine: SqlEngine;
  let opts: RunWriteOptions;

  before(async () => {
    engine = new SqlEngine({ maxQueriesPerWorker: 1000 });
  });
  after(() => engine.dispose());
  beforeEach(async () => {
    core = await startCore({ knobs: { rateLimits: { mailbox: { limit: 1_000_000 } } } });
    opts = {
      mailbox: core.mailbox,
      docs: core.docs,
      fetcher: new SqlFetcher({ mailbox: core.mailboxHttp, docs: core.docsHttp, cache: new ResponseCache({ ttlMs: 60_000 }) }),
      engine,
    };
  });
  afterEach(() => core.close());

  /** Method and path of every write the sandbox saw, in order. */
  const writesSeen = (): string[] =>
    core.sandbox.log.entries().filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path.replace(/^\/v[12]/, '')}`);

  it('recognises write statements and finds the top-level WHERE', () => {
    assert.equal(isWriteStatement("  -- note\nUPDATE Conversations SET Status = 'closed' WHERE Id = 1"), true);
    assert.equal(isWriteStatement('insert into Threads (ConversationId, Text) values (1, \'x\')'), true);
    assert.equal(isWriteStatement('SELECT 1'), false);
    assert.equal(whereText("UPDATE T SET A = 'a where b' WHERE (x IN (SELECT y FROM z WHERE q = 1)) AND \"where\" = 2;"), "(x IN (SELECT y FROM z WHERE q = 1)) AND \"where\" = 2");
    assert.equal(whereText("UPDATE T SET A = 'WHERE'"), undefined);
  });

  it('dry run: lists the exact requests of an UPDATE Conversations and sends no write', async () => {
    const m = core.sandbox.store.mailbox;
    const mb = [...m.mailboxes.keys()][0] ?? 0;
    const targets = [...m.conversations.values()].filter((c) => c.mailboxId === mb && c.status === 'pending');
    assert.ok(targets.length > 0);
    const user = [...m.users.keys()][1] ?? 0;
    core.sandbox.log.reset();
    const r = await runWrite(`UPDATE Conversations SET Status = 'closed', AssigneeId = ${user} WHERE MailboxId = ${mb} AND Status = 'pending'`, { ...opts, dryRun: true });
    assert.equal(r.dryRun, true);
    assert.equal(r.plan.rowsMatched, targets.length);
    assert.deepEqual(writesSeen(), []);
    assert.ok(core.sandbox.log.count() >= 1, 'the targets were read');
    const first = targets[0];
    assert.ok(first);
    assert.deepEqual(
      r.plan.requests.filter((q) => q.path === `/conversations/${first.id}`).map((q) => ({ method: q.method, body: q.body })),
      [
        { method: 'PATCH', body: { op: 'replace', path: '/status', value: 'closed' } },
        ...(first.assignee?.id === user ? [] : [{ method: 'PATCH', body: { op: 'replace', path: '/assignTo', value: user } }]),
      ],
    );
    // Nothing changed.
    assert.ok(targets.every((c) => m.conversations.get(c.id)?.status === 'pending'));
  });

  it('without the opt-in, refuses before reading or sending anything', async () => {
    core.sandbox.log.reset();
    await assert.rejects(runWrite("UPDATE Conversations SET Status = 'closed' WHERE Id = 1", opts), WritesDisabledError);
    assert.equal(core.sandbox.log.count(), 0);
  });

  it('UPDATE Conversations sends the dry run\'s requests and changes status, assignee and subject', async () => {
    const m = core.sandbox.store.mailbox;
    const ids = [...m.conversations.values()].filter((c) => c.status === 'active').slice(0, 3).map((c) => c.id);
    const user = [...m.users.keys()][2] ?? 0;
    const sql = `UPDATE Conversations SET Status = 'pending', AssigneeId = ${user}, Subject = 'Renamed by SQL' WHERE Id IN (${ids.join(', ')})`;
    const dry = await runWrite(sql, { ...opts, dryRun: true });
    core.sandbox.log.reset();
    const r = await runWrite(sql, { ...opts, allowWrites: true });
    assert.ok(r.outcomes.every((o) => o.ok));
    assert.deepEqual(r.plan.requests, dry.plan.requests);
    assert.deepEqual(writesSeen(), dry.plan.requests.map((q) => `${q.method} ${q.path}`));
    for (const id of ids) {
      const c = m.conversations.get(id);
      assert.equal(c?.status, 'pending');
      assert.equal(c?.assignee?.id, user);
      assert.equal(c?.subject, 'Renamed by SQL');
    }
    // Running it again changes nothing, so nothing is sent.
    core.sandbox.log.reset();
    const again = await runWrite(sql, { ...opts, allowWrites: true });
    assert.equal(again.plan.rowsMatched, ids.length);
    assert.deepEqual(again.plan.requests, []);
    assert.deepEqual(writesSeen(), []);
  });

  it('UPDATE Conversations SET AssigneeId = NULL unassigns; Tags replaces the tag set', async () => {
    const m = core.sandbox.store.mailbox;
    const c = [...m.conversations.values()].find((x) => x.assignee !== null);
    assert.ok(c);
    await runWrite(`UPDATE Conversations SET AssigneeId = NULL, Tags = '["vip","sql-made"]' WHERE Id = ${c.id}`, { ...opts, allowWrites: true });
    const after = m.conversations.get(c.id);
    assert.equal(after?.assignee, null);
    const names = (after?.tagIds ?? []).map((t) => m.tags.get(t)?.name).sort();
    assert.deepEqual(names, ['sql-made', 'vip']);
  });

  it('INSERT INTO Conversations creates one with its first thread; INSERT INTO Threads adds notes', async () => {
    const m = core.sandbox.store.mailbox;
    const mb = [...m.mailboxes.keys()][1] ?? 0;
    const r = await runWrite(
      `INSERT INTO Conversations (Subject, MailboxId, CustomerEmail, Text, Status, Tags) VALUES ('Made with SQL', ${mb}, 'sql.person@example.com', 'Hello from SQL', 'pending', '["sql"]')`,
      { ...opts, allowWrites: true },
    );
    const id = r.outcomes[0]?.id;
    assert.equal(typeof id, 'number');
    const conv = m.conversations.get(Number(id));
    assert.equal(conv?.subject, 'Made with SQL');
    assert.equal(conv?.mailboxId, mb);
    assert.equal(conv?.status, 'pending');
    assert.equal(conv?.threads.length, 1);
    assert.match(conv?.threads[0]?.body ?? '', /Hello from SQL/);

    const notes = await runWrite(`INSERT INTO Threads (ConversationId, Text) VALUES (${String(id)}, 'First note'), (${String(id)}, 'Second note')`, { ...opts, allowWrites: true });
    assert.deepEqual(notes.plan.requests.map((q) => `${q.method} ${q.path}`), [`POST /conversations/${String(id)}/notes`, `POST /conversations/${String(id)}/notes`]);
    const after = m.conversations.get(Number(id));
    const bodies = (after?.threads ?? []).filter((t) => t.type === 'note').map((t) => t.body).join(' | ');
    assert.match(bodies, /First note/);
    assert.match(bodies, /Second note/);
  });

  it('UPDATE Customers patches the fields; INSERT INTO CustomerEmails adds an address', async () => {
    const m = core.sandbox.store.mailbox;
    const c = [...m.customers.values()][5];
    assert.ok(c);
    const r = await runWrite(`UPDATE Customers SET JobTitle = 'Chief SQL Officer', Location = NULL WHERE Id = ${c.id}`, { ...opts, allowWrites: true });
    assert.equal(r.plan.requests.length, 1);
    assert.equal(r.plan.requests[0]?.method, 'PATCH');
    assert.equal(m.customers.get(c.id)?.jobTitle, 'Chief SQL Officer');
    assert.equal(m.customers.get(c.id)?.location, null);

    await runWrite(`INSERT INTO CustomerEmails (CustomerId, Value, Type) VALUES (${c.id}, 'new.address@example.org', 'home')`, { ...opts, allowWrites: true });
    assert.ok(m.customers.get(c.id)?.emails.some((e) => e.value === 'new.address@example.org' && e.type === 'home'));
  });

  it('UPDATE Articles sets name, status and keywords through PUT /articles/{id}', async () => {
    const d = core.sandbox.store.docs;
    const a = [...d.articles.values()].find((x) => x.status === 'notpublished') ?? [...d.articles.values()][0];
    assert.ok(a);
    core.sandbox.log.reset();
    const r = await runWrite(`UPDATE Articles SET Name = 'Renamed article', Status = 'published', Keywords = '["sql","docs"]' WHERE Id = '${a.id}'`, { ...opts, allowWrites: true });
    assert.deepEqual(writesSeen(), [`PUT /articles/${a.id}`]);
    assert.deepEqual(r.plan.requests[0]?.body, { name: 'Renamed article', status: 'published', keywords: ['sql', 'docs'] });
    const after = d.articles.get(a.id);
    assert.equal(after?.name, 'Renamed article');
    assert.equal(after?.status, 'published');
    assert.deepEqual(after?.keywords, ['sql', 'docs']);
  });

  it('explains what it cannot do', async () => {
    const bad: [string, RegExp][] = [
      ["UPDATE Conversations SET Preview = 'x' WHERE Id = 1", /cannot be changed; writable: Status/],
      ["UPDATE Conversations SET Status = 'closed'", /needs a WHERE/],
      ["UPDATE Conversations SET Status = upper('closed') WHERE Id = 1", /must be a literal/],
      ["UPDATE Tickets SET Status = 'closed' WHERE Id = 1", /no such table: Tickets\. Known tables: .*Conversations/],
      ["INSERT INTO Threads (ConversationId, Text, Type) VALUES (1, 'x', 'reply')", /notes only/],
      ["INSERT INTO Mailboxes (Name) VALUES ('x')", /cannot be inserted into Mailboxes/],
      ["UPDATE Conversations SET Status = 'done' WHERE Id = 1", /Status must be one of/],
    ];
    for (const [sql, message] of bad) {
      await assert.rejects(runWrite(sql, { ...opts, dryRun: true }), (e: unknown) => e instanceof WriteStatementError && message.test(e.message), sql);
    }
  });

  it('stops at the first failed request and reports it', async () => {
    const m = core.sandbox.store.mailbox;
    const mb = [...m.mailboxes.keys()][0] ?? 0;
    const r = await runWrite(`INSERT INTO Threads (ConversationId, Text) VALUES (999999999, 'lost'), (999999998, 'also lost')`, { ...opts, allowWrites: true });
    assert.equal(r.outcomes.length, 1);
    assert.equal(r.outcomes[0]?.ok, false);
    assert.ok(r.outcomes[0]?.error);
    assert.ok(mb > 0);
  });
});
