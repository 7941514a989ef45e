import * as assert from 'node:assert/strict';
import { AuthError, MovedError, NotFoundError, ValidationError } from '../../../../src/core/errors';
import { formatApiDate } from '../../../../src/core/http/client';
import { MailboxClient } from '../../../../src/core/mailbox/client';
import { query } from '../../../../src/core/mailbox/query';
import { conversationModifiedAt, type ConversationRec, type MailboxStore } from '../../../../src/sandbox';
import { type Core, startCore } from '../harness';

function ids<T extends { id: number }>(xs: readonly T[]): number[] {
  return xs.map((x) => x.id).sort((a, b) => a - b);
}

function storeIds(store: MailboxStore, pred: (c: ConversationRec) => boolean): number[] {
  return [...store.conversations.values()].filter(pred).map((c) => c.id).sort((a, b) => a - b);
}

describe('MailboxClient paging (5000 conversations)', function () {
  this.timeout(60_000);
  let core: Core;
  before(async () => {
    core = await startCore({ sizes: { conversations: 5000, customers: 300 } });
  });
  after(() => core.close());

  it('pages through every conversation with status=all, one request per page', async () => {
    core.sandbox.log.reset();
    const seen = new Set<number>();
    let pages = 0;
    let totalPages = 0;
    for await (const page of core.mailbox.listConversations({ status: 'all' })) {
      pages++;
      totalPages = page.page?.totalPages ?? 0;
      for (const c of page.items) seen.add(c.id);
    }
    const expected = core.sandbox.store.mailbox.conversations.size;
    assert.equal(seen.size, expected);
    assert.equal(totalPages, Math.ceil(expected / 50));
    const log = core.sandbox.log.entries({ api: 'mailbox', path: '/v2/conversations' });
    assert.equal(log.length, pages);
    assert.equal(pages, totalPages);
    assert.ok(pages >= 100, `${pages} pages`);
    assert.deepEqual(
      log.map((e) => e.query['page']),
      Array.from({ length: pages }, (_, i) => String(i + 1)),
    );
    assert.ok(log.every((e) => e.query['status'] === 'all' && e.status === 200));
  });

  it('fetches a single page N directly, and stops early when only a few items are wanted', async () => {
    core.sandbox.log.reset();
    const paged = core.mailbox.listConversations({ status: 'all', sortField: 'number', sortOrder: 'asc' });
    const p7 = await paged.getPage(7);
    assert.equal(p7.page?.number, 7);
    assert.equal(p7.items.length, 50);
    assert.equal(p7.hasNext, true);
    const first60 = await paged.toArray(60);
    assert.equal(first60.length, 60);
    const log = core.sandbox.log.entries({ api: 'mailbox', path: '/v2/conversations' });
    assert.deepEqual(log.map((e) => e.query['page']), ['7', '1', '2']);
    const numbers = first60.map((c) => c.number);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
  });
});

describe('MailboxClient against the sandbox', () => {
  let core: Core;
  before(async () => {
    core = await startCore();
  });
  after(() => core.close());
  beforeEach(() => core.sandbox.log.reset());

  const store = (): MailboxStore => core.sandbox.store.mailbox;
  const lastQuery = (path = '/v2/conversations'): Record<string, string> => {
    const e = core.sandbox.log.entries({ api: 'mailbox', path }).at(-1);
    assert.ok(e, `no request to ${path}`);
    return e.query;
  };

  describe('conversation list filters reach the wire and filter', () => {
    it('mailbox (one or several, as a comma list)', async () => {
      const [m1, m2] = [...store().mailboxes.keys()];
      assert.ok(m1 !== undefined && m2 !== undefined);
      const one = await core.mailbox.listConversations({ status: 'all', mailbox: m1 }).toArray();
      assert.equal(lastQuery()['mailbox'], String(m1));
      assert.deepEqual(ids(one), storeIds(store(), (c) => c.mailboxId === m1));
      const both = await core.mailbox.listConversations({ status: 'all', mailbox: [m1, m2] }).toArray();
      assert.equal(lastQuery()['mailbox'], `${m1},${m2}`);
      assert.equal(both.length, store().conversations.size);
    });

    it('status, folder and number', async () => {
      const closed = await core.mailbox.listConversations({ status: 'closed' }).toArray();
      assert.equal(lastQuery()['status'], 'closed');
      assert.ok(closed.length > 0 && closed.every((c) => c.status === 'closed'));
      assert.deepEqual(ids(closed), storeIds(store(), (c) => c.status === 'closed'));

      const sample = [...store().conversations.values()][5];
      assert.ok(sample);
      const inFolder = await core.mailbox.listConversations({ status: 'all', folder: sample.folderId }).toArray();
      assert.equal(lastQuery()['folder'], String(sample.folderId));
      assert.deepEqual(ids(inFolder), storeIds(store(), (c) => c.folderId === sample.folderId));

      const byNumber = await core.mailbox.listConversations({ status: 'all', number: sample.number }).toArray();
      assert.equal(lastQuery()['number'], String(sample.number));
      assert.deepEqual(ids(byNumber), [sample.id]);
    });

    it('tag (any of several) and assigned_to', async () => {
      const tagged = [...store().conversations.values()].filter((c) => c.tagIds.length > 0);
      const names = [...new Set(tagged.flatMap((c) => c.tagIds))].slice(0, 2).map((id) => store().tags.get(id)?.name ?? '');
      const result = await core.mailbox.listConversations({ status: 'all', tag: names }).toArray();
      assert.equal(lastQuery()['tag'], names.join(','));
      assert.ok(result.length > 0 && result.every((c) => c.tags?.some((t) => names.includes(t.tag))));
      assert.deepEqual(
        ids(result),
        storeIds(store(), (c) => c.tagIds.some((id) => names.includes(store().tags.get(id)?.name ?? ''))),
      );

      const assigned = [...store().conversations.values()].find((c) => c.assignee?.type === 'user');
      assert.ok(assigned?.assignee);
      const userId = assigned.assignee.id;
      const mine = await core.mailbox.listConversations({ status: 'all', assignedTo: userId }).toArray();
      assert.equal(lastQuery()['assigned_to'], String(userId));
      assert.equal(lastQuery()['assignedTo'], undefined);
      assert.ok(mine.every((c) => c.assignee?.id === userId));
      assert.deepEqual(ids(mine), storeIds(store(), (c) => c.assignee?.id === userId));
    });

    it('modifiedSince goes out without milliseconds; sortField/sortOrder order the result', async () => {
      const all = [...store().conversations.values()].map(conversationModifiedAt).sort();
      const cut = new Date(Date.parse(all[Math.floor(all.length / 2)] ?? '') + 123);
      const recent = await core.mailbox
        .listConversations({ status: 'all', modifiedSince: cut, sortField: 'modifiedAt', sortOrder: 'asc' })
        .toArray();
      const q = lastQuery();
      assert.equal(q['modifiedSince'], formatApiDate(cut));
      assert.match(q['modifiedSince'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(q['sortField'], 'modifiedAt');
      assert.equal(q['sortOrder'], 'asc');
      const since = formatApiDate(cut);
      assert.deepEqual(ids(recent), storeIds(store(), (c) => conversationModifiedAt(c) >= since));
      const order = recent.map((c) => conversationModifiedAt(store().conversations.get(c.id) as ConversationRec));
      assert.deepEqual(order, [...order].sort());
    });

    it('query built with the helper, embed=threads and customFieldsByIds', async () => {
      const sample = [...store().conversations.values()].find((c) => c.subject.includes(' '));
      assert.ok(sample);
      const word = sample.subject.split(' ')[0] ?? '';
      const q = query.and(query.field('subject', word), query.not(query.field('status', 'spam')));
      const found = await core.mailbox.listConversations({ status: 'all', query: q }).toArray();
      assert.equal(lastQuery()['query'], `(subject:"${word}" AND (NOT status:"spam"))`);
      assert.ok(found.some((c) => c.id === sample.id));
      assert.ok(found.every((c) => c.subject?.toLowerCase().includes(word.toLowerCase()) && c.status !== 'spam'));

      const withThreads = await core.mailbox.listConversations({ status: 'all', number: sample.number, embed: 'threads' }).toArray();
      assert.equal(lastQuery()['embed'], 'threads');
      assert.equal(withThreads[0]?._embedded?.threads?.length, sample.threads.length);

      const cf = [...store().conversations.values()].find((c) => c.customFields.length > 0);
      assert.ok(cf);
      const field = cf.customFields[0];
      assert.ok(field);
      const byField = await core.mailbox
        .listConversations({ status: 'all', customFieldsByIds: { [field.id]: field.value } })
        .toArray();
      assert.equal(lastQuery()['customFieldsByIds'], `${field.id}:${field.value}`);
      assert.ok(byField.some((c) => c.id === cf.id));
      assert.ok(byField.every((c) => c.customFields?.some((f) => f.id === field.id && String(f.value) === field.value)));
    });

    it('maps every filter to its wire name', () => {
      const q = MailboxClient.conversationQuery({
        mailbox: [1, 2],
        folder: 3,
        status: 'all',
        tag: ['a', 'b'],
        assignedTo: 4,
        modifiedSince: '2024-01-02T03:04:05.678Z',
        number: 5,
        sortField: 'mailboxid',
        sortOrder: 'asc',
        query: '(tag:"x")',
        embed: 'threads',
        customFieldsByIds: [{ id: 6, value: 'blue' }],
      });
      assert.deepEqual(
        Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)),
        {
          mailbox: [1, 2],
          folder: 3,
          status: 'all',
          tag: ['a', 'b'],
          assigned_to: 4,
          modifiedSince: '2024-01-02T03:04:05Z',
          number: 5,
          sortField: 'mailboxid',
          sortOrder: 'asc',
          query: '(tag:"x")',
          embed: 'threads',
          customFieldsByIds: '6:blue',
        },
      );
    });
  });

  describe('conversations: get, merged, writes', () => {
    it('follows a 301 to the merged conversation, or reports it', async () => {
      const [mergedId, survivorId] = [...store().merged.entries()][0] ?? [];
      assert.ok(mergedId !== undefined && survivorId !== undefined);
      const resolved = await core.mailbox.resolveConversation(mergedId);
      assert.equal(resolved.conversation.id, survivorId);
      assert.deepEqual(resolved.redirectedFrom, [mergedId]);
      await assert.rejects(core.mailbox.getConversation(mergedId, { followMerged: false }), (e: unknown) => {
        assert.ok(e instanceof MovedError);
        assert.equal(e.targetId, survivorId);
        return true;
      });
      const statuses = core.sandbox.log.entries({ api: 'mailbox' }).map((e) => e.status);
      assert.deepEqual(statuses, [301, 200, 301]);
    });

    it('404 is a NotFoundError', async () => {
      await assert.rejects(core.mailbox.getConversation(1), NotFoundError);
    });

    it('creates a conversation (id from Resource-ID) and updates it', async () => {
      const [mailboxId] = [...store().mailboxes.keys()];
      assert.ok(mailboxId !== undefined);
      const customer = [...store().customers.values()][0];
      assert.ok(customer);
      const id = await core.mailbox.createConversation({
        subject: 'Printer on fire',
        type: 'email',
        mailboxId,
        status: 'active',
        customer: { id: customer.id },
        threads: [{ type: 'customer', customer: { id: customer.id }, text: 'It is on fire.' }],
        tags: ['urgent-ish'],
      });
      const rec = store().conversations.get(id);
      assert.ok(rec, 'created conversation is in the store');
      assert.equal(rec.subject, 'Printer on fire');
      assert.equal(rec.threads.length, 1);

      await core.mailbox.setConversationSubject(id, 'Printer no longer on fire');
      await core.mailbox.setConversationStatus(id, 'pending');
      const user = [...store().users.values()][1];
      assert.ok(user);
      await core.mailbox.assignConversation(id, user.id);
      let now = store().conversations.get(id);
      assert.equal(now?.subject, 'Printer no longer on fire');
      assert.equal(now?.status, 'pending');
      assert.equal(now?.assignee?.id, user.id);
      await core.mailbox.assignConversation(id, null);
      now = store().conversations.get(id);
      assert.equal(now?.assignee ?? null, null);

      const other = [...store().mailboxes.keys()].find((m) => m !== mailboxId);
      assert.ok(other !== undefined);
      await core.mailbox.moveConversation(id, other);
      assert.equal(store().conversations.get(id)?.mailboxId, other);

      await core.mailbox.replaceTags(id, ['vip', 'refund']);
      const tagNames = (store().conversations.get(id)?.tagIds ?? []).map((t) => store().tags.get(t)?.name).sort();
      assert.deepEqual(tagNames, ['refund', 'vip']);

      const got = await core.mailbox.getConversation(id);
      assert.deepEqual(got.tags?.map((t) => t.tag).sort(), ['refund', 'vip']);

      await core.mailbox.deleteConversation(id);
      assert.equal(store().conversations.has(id), false);
      const writes = core.sandbox.log.entries({ api: 'mailbox' }).filter((e) => e.method !== 'GET');
      assert.ok(writes.every((e) => e.status === 201 || e.status === 204), JSON.stringify(writes));
    });

    it('updates custom fields', async () => {
      const conv = [...store().conversations.values()].find((c) =>
        [...store().fields.values()].some((f) => f.mailboxId === c.mailboxId && f.type === 'singleline'),
      );
      assert.ok(conv);
      const field = [...store().fields.values()].find((f) => f.mailboxId === conv.mailboxId && f.type === 'singleline');
      assert.ok(field);
      await core.mailbox.updateCustomFields(conv.id, [{ id: field.id, value: 'hello there' }]);
      assert.deepEqual(store().conversations.get(conv.id)?.customFields, [{ id: field.id, value: 'hello there' }]);
    });

    it('400 is a ValidationError with field paths and rejected values', async () => {
      const [mailboxId] = [...store().mailboxes.keys()];
      await assert.rejects(
        core.mailbox.createConversation({
          subject: '',
          type: 'email',
          mailboxId: mailboxId ?? 0,
          status: 'bogus' as 'active',
          customer: { email: 'pat@example.org' },
          threads: [{ type: 'customer', text: 'x', customer: { email: 'pat@example.org' } }],
        }),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError, String(e));
          const paths = e.fields.map((f) => f.path);
          assert.ok(paths.includes('subject'), JSON.stringify(e.fields));
          assert.ok(paths.includes('status'), JSON.stringify(e.fields));
          assert.equal(e.fields.find((f) => f.path === 'status')?.rejectedValue, 'bogus');
          return true;
        },
      );
    });
  });

  describe('threads', () => {
    it('lists threads and adds a note, a reply and a customer thread (ids from Resource-ID)', async () => {
      const conv = [...store().conversations.values()].find((c) => c.status !== 'spam' && c.threads.length < 90);
      assert.ok(conv);
      const before = conv.threads.length;
      const listed = await core.mailbox.listThreads(conv.id).toArray();
      assert.equal(listed.length, before);
      const noteId = await core.mailbox.addNote(conv.id, { text: '<p>internal</p>' });
      const replyId = await core.mailbox.addReply(conv.id, { customer: { id: conv.primaryCustomerId }, text: 'Hello' });
      const custId = await core.mailbox.addCustomerThread(conv.id, { customer: { id: conv.primaryCustomerId }, text: 'Hi' });
      const threads = store().conversations.get(conv.id)?.threads ?? [];
      assert.equal(threads.length, before + 3);
      assert.equal(threads.find((t) => t.id === noteId)?.type, 'note');
      assert.equal(threads.find((t) => t.id === replyId)?.type, 'reply');
      assert.equal(threads.find((t) => t.id === custId)?.type, 'customer');
    });
  });

  describe('customers', () => {
    it('lists with firstName and query filters', async () => {
      const c = [...store().customers.values()].find((x) => x.firstName && x.emails.length > 0);
      assert.ok(c?.firstName);
      const byName = await core.mailbox.listCustomers({ firstName: c.firstName }).toArray();
      assert.equal(lastQuery('/v2/customers')['firstName'], c.firstName);
      assert.ok(byName.some((x) => x.id === c.id));
      assert.ok(byName.every((x) => x.firstName?.toLowerCase() === c.firstName?.toLowerCase()));
      const email = c.emails[0]?.value ?? '';
      const byEmail = await core.mailbox.listCustomers({ query: query.field('email', email) }).toArray();
      assert.equal(lastQuery('/v2/customers')['query'], `(email:"${email}")`);
      assert.ok(byEmail.some((x) => x.id === c.id));
    });

    it('creates, gets, overwrites, patches and deletes a customer', async () => {
      const id = await core.mailbox.createCustomer({
        firstName: 'Ada',
        lastName: 'Lovelace',
        jobTitle: 'Analyst',
        emails: [{ type: 'work', value: 'ada@example.org' }],
        socialProfiles: [{ type: 'twitter', value: '@ada' }],
      });
      assert.equal(store().customers.get(id)?.lastName, 'Lovelace');
      const got = await core.mailbox.getCustomer(id);
      assert.equal(got._embedded?.emails?.[0]?.value, 'ada@example.org');
      assert.equal(got._embedded?.social_profiles?.[0]?.value, '@ada');

      await core.mailbox.overwriteCustomer(id, { firstName: 'Augusta' });
      assert.equal(store().customers.get(id)?.firstName, 'Augusta');
      assert.equal(store().customers.get(id)?.jobTitle ?? null, null, 'PUT nulls the fields left out');

      await core.mailbox.patchCustomer(id, [{ op: 'replace', path: '/lastName', value: 'King' }]);
      assert.equal(store().customers.get(id)?.lastName, 'King');

      await core.mailbox.deleteCustomer(id);
      assert.equal(store().customers.has(id), false);
    });

    it('manages entries, the address and property values', async () => {
      const id = await core.mailbox.createCustomer({ firstName: 'Entry', lastName: 'Tester' });
      const emailId = await core.mailbox.createCustomerEntry(id, 'emails', { type: 'home', value: 'e@example.org' });
      const socialId = await core.mailbox.createCustomerEntry(id, 'social-profiles', { type: 'twitter', value: '@e' });
      const emails = await core.mailbox.listCustomerEntries(id, 'emails').getPage(1);
      assert.equal(emails.page, undefined, 'entry lists have no page block');
      assert.equal(emails.hasNext, false);
      assert.deepEqual(emails.items.map((e) => e.id), [emailId]);
      await core.mailbox.updateCustomerEntry(id, 'emails', emailId, { type: 'work', value: 'e2@example.org' });
      assert.equal(store().customers.get(id)?.emails[0]?.value, 'e2@example.org');
      assert.equal(store().customers.get(id)?.socialProfiles[0]?.id, socialId);
      await core.mailbox.deleteCustomerEntry(id, 'emails', emailId);
      assert.equal(store().customers.get(id)?.emails.length, 0);

      await core.mailbox.createCustomerAddress(id, { city: 'Paris', lines: ['1 Rue'], postalCode: '75001', country: 'FR' });
      assert.equal((await core.mailbox.getCustomerAddress(id)).city, 'Paris');
      await core.mailbox.updateCustomerAddress(id, { city: 'Lyon', lines: ['2 Rue'], postalCode: '69001', country: 'FR' });
      assert.equal(store().customers.get(id)?.address?.city, 'Lyon');

      const defs = await core.mailbox.listCustomerPropertyDefinitions().toArray();
      const textDef = defs.find((d) => d.type === 'text');
      assert.ok(textDef, 'a text property definition is seeded');
      await core.mailbox.updateCustomerProperties(id, [{ op: 'replace', path: `/${textDef.slug}`, value: 'gold' }]);
      assert.equal(store().customers.get(id)?.properties[textDef.slug], 'gold');
    });
  });

  describe('account resources', () => {
    it('me, users with the email filter, teams and members, tags', async () => {
      const me = await core.mailbox.me();
      assert.equal(me.id, store().ownerId);
      assert.equal(me.companyId, store().companyId);
      const someone = [...store().users.values()][2];
      assert.ok(someone);
      const found = await core.mailbox.listUsers({ email: someone.email }).toArray();
      assert.equal(lastQuery('/v2/users')['email'], someone.email);
      assert.deepEqual(found.map((u) => u.id), [someone.id]);
      const teams = await core.mailbox.listTeams().toArray();
      assert.equal(teams.length, store().teams.size);
      const team = [...store().teams.values()][0];
      assert.ok(team);
      const members = await core.mailbox.listTeamMembers(team.id).toArray();
      assert.deepEqual(ids(members), [...team.memberIds].sort((a, b) => a - b));
      const tags = await core.mailbox.listTags().toArray();
      assert.equal(tags.length, store().tags.size);
      const tag = tags[0];
      assert.ok(tag);
      assert.equal((await core.mailbox.getTag(tag.id)).name, tag.name);
    });

    it('mailboxes with folders and fields', async () => {
      const mailboxes = await core.mailbox.listMailboxes().toArray();
      assert.deepEqual(ids(mailboxes), [...store().mailboxes.keys()].sort((a, b) => a - b));
      const m = mailboxes[0];
      assert.ok(m);
      assert.equal((await core.mailbox.getMailbox(m.id)).name, m.name);
      const folders = await core.mailbox.listFolders(m.id).toArray();
      assert.deepEqual(ids(folders), [...store().folders.values()].filter((f) => f.mailboxId === m.id).map((f) => f.id).sort((a, b) => a - b));
      const fields = await core.mailbox.listFields(m.id).toArray();
      assert.deepEqual(ids(fields), [...store().fields.values()].filter((f) => f.mailboxId === m.id).map((f) => f.id).sort((a, b) => a - b));
    });

    it('workflows: list with filters, update status, run', async () => {
      const manual = await core.mailbox.listWorkflows({ type: 'manual' }).toArray();
      assert.equal(lastQuery('/v2/workflows')['type'], 'manual');
      assert.ok(manual.length > 0 && manual.every((w) => w.type === 'manual'));
      const wf = manual.find((w) => w.status === 'active');
      assert.ok(wf);
      const byMailbox = await core.mailbox.listWorkflows({ mailboxId: wf.mailboxId ?? 0 }).toArray();
      assert.equal(lastQuery('/v2/workflows')['mailboxId'], String(wf.mailboxId));
      assert.ok(byMailbox.every((w) => w.mailboxId === wf.mailboxId));
      const conv = [...store().conversations.values()].find((c) => c.mailboxId === wf.mailboxId);
      assert.ok(conv);
      const threadsBefore = conv.threads.length;
      await core.mailbox.runWorkflow(wf.id, [conv.id]);
      assert.ok((store().conversations.get(conv.id)?.threads.length ?? 0) > threadsBefore, 'the run left a line item');
      await core.mailbox.updateWorkflowStatus(wf.id, 'inactive');
      assert.equal(store().workflows.get(wf.id)?.status, 'inactive');
    });

    it('webhooks: create, get, update, delete', async () => {
      const id = await core.mailbox.createWebhook({
        url: 'https://hooks.example.org/hs',
        events: ['convo.created'],
        secret: 'shh-secret',
      });
      assert.equal(store().webhooks.get(id)?.url, 'https://hooks.example.org/hs');
      assert.equal((await core.mailbox.getWebhook(id)).events?.[0], 'convo.created');
      await core.mailbox.updateWebhook(id, { url: 'https://hooks.example.org/v2', events: ['convo.assigned'], secret: 'x2' });
      assert.deepEqual(store().webhooks.get(id)?.events, ['convo.assigned']);
      assert.ok((await core.mailbox.listWebhooks().toArray()).some((w) => w.id === id));
      await core.mailbox.deleteWebhook(id);
      assert.equal(store().webhooks.has(id), false);
    });
  });

  it('401 is an AuthError', async () => {
    const bad = MailboxClient.create({
      baseUrl: core.sandbox.mailboxBaseUrl,
      fetch: core.net.fetch,
      authHeaders: async () => ({ Authorization: 'Bearer not-a-token' }),
    });
    await assert.rejects(bad.me(), AuthError);
  });
});
