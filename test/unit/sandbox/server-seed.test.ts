import * as assert from 'node:assert/strict';
import { type ConversationRec, HOSTILE_SUBJECT } from '../../../src/sandbox/index';
import { generateMailboxStore } from '../../../src/sandbox/seed/mailbox';
import { docsAuth, start } from './helpers';

describe('sandbox Mailbox seed data', () => {
  const sizes = { conversations: 400, customers: 150 };
  let store: ReturnType<typeof generateMailboxStore>;
  let convs: ConversationRec[];
  before(() => {
    store = generateMailboxStore(11, sizes);
    convs = [...store.conversations.values()];
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateMailboxStore(11, sizes);
    assert.deepEqual([...again.conversations.values()], convs);
    assert.deepEqual([...again.customers.values()], [...store.customers.values()]);
    const other = generateMailboxStore(12, sizes);
    assert.notDeepEqual([...other.conversations.values()].map((c) => c.subject), convs.map((c) => c.subject));
  });

  it('honours the sizes and has the account structure', () => {
    assert.equal(store.customers.size, 150);
    assert.equal(convs.length, 401, 'the requested conversations plus the hostile-HTML one');
    assert.deepEqual([...store.mailboxes.values()].map((m) => m.name), ['Support', 'Billing', 'Sales']);
    const owners = [...store.users.values()].filter((u) => u.role === 'owner');
    assert.deepEqual(owners.map((u) => u.id), [store.ownerId]);
    assert.equal(store.users.size, 8);
    assert.equal(store.teams.size, 3);
    for (const t of store.teams.values()) assert.ok(t.memberIds.length >= 2);
    assert.equal(store.tags.size, 25);
    for (const t of store.tags.values()) assert.match(t.color, /^#[0-9a-f]{6}$/);
    const types = new Set([...store.fields.values()].map((f) => f.type));
    assert.deepEqual([...types].sort(), ['date', 'dropdown', 'number', 'singleline']);
    const wf = [...store.workflows.values()];
    assert.ok(wf.some((w) => w.type === 'manual') && wf.some((w) => w.type === 'automatic'));
    assert.equal(store.webhooks.size, 2);
    assert.ok(store.merged.size > 0);
  });

  it('spreads conversations over two years with varied statuses, threads and details', () => {
    const times = convs.map((c) => Date.parse(c.createdAt)).sort((a, b) => a - b);
    const spanDays = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 86_400_000;
    assert.ok(spanDays > 600 && spanDays <= 731, `span ${spanDays}`);
    for (const s of ['active', 'pending', 'closed', 'spam']) assert.ok(convs.some((c) => c.status === s), s);
    const threadTypes = new Set(convs.flatMap((c) => c.threads.map((t) => t.type)));
    for (const t of ['customer', 'reply', 'note', 'lineitem']) assert.ok(threadTypes.has(t as never), t);
    for (const c of convs) assert.ok(c.threads.length >= 1 && c.threads.length <= 8, `threads of ${c.id}`);
    assert.ok(convs.some((c) => c.threads.some((t) => t.attachments.length > 0)), 'a few attachments');
    assert.ok(convs.some((c) => c.cc.length > 0));
    assert.ok(convs.some((c) => c.customFields.length > 0));
    assert.ok(convs.some((c) => c.assignee?.type === 'team'));
    assert.ok(convs.filter((c) => c.customerWaitingSince).length > convs.length / 2);
    const bodies = convs.flatMap((c) => c.threads.map((t) => t.body)).join('\n');
    for (const bit of ['<p>', '<ul>', '<ol>', '<a href=', '<blockquote>']) assert.ok(bodies.includes(bit), bit);
    const hostile = convs.filter((c) => c.subject === HOSTILE_SUBJECT);
    assert.equal(hostile.length, 1);
  });

  it('gives customers entries, addresses and properties', () => {
    const cs = [...store.customers.values()];
    for (const key of ['phones', 'chats', 'socialProfiles', 'websites'] as const) assert.ok(cs.some((c) => c[key].length > 0), key);
    assert.ok(cs.every((c) => c.emails.length > 0));
    assert.ok(cs.some((c) => c.address !== null));
    assert.ok(cs.some((c) => Object.keys(c.properties).length > 0));
    const emails = cs.flatMap((c) => c.emails.map((e) => e.value));
    assert.equal(new Set(emails).size, emails.length, 'emails are unique');
  });

  it('passes the docs envelope option through to the Docs module', async () => {
    const sb = await start({ docsEnvelope: 'unwrapped' });
    try {
      const body = await (await fetch(`${sb.docsBaseUrl}/sites`, { headers: docsAuth(sb) })).json() as Record<string, unknown>;
      assert.ok('items' in body, 'unwrapped: the page object at the top level');
    } finally {
      await sb.close();
    }
  });
});
