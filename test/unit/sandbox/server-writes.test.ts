import * as assert from 'node:assert/strict';
import type { ConversationRec, RunningSandbox } from '../../../src/sandbox/index';
import { type Client, type Json, mailbox, start } from './helpers';

describe('sandbox Mailbox API: writes', () => {
  let sb: RunningSandbox;
  let api: Client;
  before(async () => {
    sb = await start();
    api = mailbox(sb);
  });
  after(() => sb.close());

  const conv = (id: number): ConversationRec => {
    const c = sb.store.mailbox.conversations.get(id);
    assert.ok(c, `conversation ${id} should exist`);
    return c;
  };
  const resourceId = (r: Response): number => Number(r.headers.get('resource-id'));
  const mailboxId = (): number => [...sb.store.mailbox.mailboxes.keys()][0] ?? 0;
  const someConversation = (pred: (c: ConversationRec) => boolean = () => true): ConversationRec => {
    const c = [...sb.store.mailbox.conversations.values()].find((x) => x.state === 'published' && x.threads.length < 90 && pred(x));
    assert.ok(c);
    return c;
  };

  async function expectValidation(r: Response, path: string): Promise<void> {
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('content-type'), 'application/vnd.error+json');
    const body = await r.json() as Json;
    assert.equal(typeof body['logRef'], 'string');
    const paths = (body._embedded?.['errors'] ?? []).map((e) => e['path']);
    assert.ok(paths.includes(path), `expected an error on ${path}, got ${JSON.stringify(paths)}`);
  }

  describe('conversations', () => {
    it('creates a conversation: 201, Resource-ID, Location, empty body, and a new customer by email', async () => {
      const before = sb.store.mailbox.customers.size;
      const r = await api.send('POST', '/conversations', {
        subject: 'Printer on fire', type: 'email', mailboxId: mailboxId(), status: 'active',
        customer: { email: 'new.person@brand-new.example', firstName: 'New', lastName: 'Person' },
        threads: [{ type: 'customer', customer: { email: 'new.person@brand-new.example' }, text: '<p>It is on fire.</p>' }],
        tags: ['fire', 'vip'],
      });
      assert.equal(r.status, 201);
      assert.equal(await r.text(), '');
      const id = resourceId(r);
      assert.equal(r.headers.get('location'), `${sb.mailboxBaseUrl}/conversations/${id}`);
      const c = conv(id);
      assert.equal(c.subject, 'Printer on fire');
      assert.equal(c.threads.length, 1);
      assert.equal(sb.store.mailbox.customers.size, before + 1);
      assert.equal(sb.store.mailbox.customers.get(c.primaryCustomerId)?.emails[0]?.value, 'new.person@brand-new.example');
      assert.deepEqual(c.tagIds.map((t) => sb.store.mailbox.tags.get(t)?.name), ['fire', 'vip']);
      assert.equal(c.assignee, null, 'no assignTo: the inbox default (unassigned)');
      const got = await api.json(`/conversations/${id}`);
      assert.equal(got['preview'], 'It is on fire.');
      assert.equal(got['threads'], 1);
    });

    it('validates a create: missing subject, bad status, no threads; 412 beyond 100 threads', async () => {
      const base = { subject: 'x', type: 'email', mailboxId: mailboxId(), status: 'active', customer: { id: [...sb.store.mailbox.customers.keys()][0] } };
      await expectValidation(await api.send('POST', '/conversations', { ...base, subject: undefined, threads: [{ type: 'customer', text: 'a' }] }), 'subject');
      await expectValidation(await api.send('POST', '/conversations', { ...base, status: 'bogus', threads: [{ type: 'customer', text: 'a' }] }), 'status');
      await expectValidation(await api.send('POST', '/conversations', { ...base, threads: [] }), 'threads');
      const many = Array.from({ length: 101 }, () => ({ type: 'customer', text: 'a' }));
      assert.equal((await api.send('POST', '/conversations', { ...base, threads: many })).status, 412);
    });

    it('answers 415 when a write body is not JSON', async () => {
      const c = someConversation();
      const r = await api.send('PATCH', `/conversations/${c.id}`, 'op=replace', { 'Content-Type': 'application/x-www-form-urlencoded' });
      assert.equal(r.status, 415);
    });

    it('PATCHes status, subject, assignee, mailbox and customer with 204', async () => {
      const c = someConversation((x) => x.status === 'active');
      const userId = [...sb.store.mailbox.users.keys()][1] ?? 0;
      const patch = (body: unknown): Promise<Response> => api.send('PATCH', `/conversations/${c.id}`, body);
      assert.equal((await patch({ op: 'replace', path: '/status', value: 'closed' })).status, 204);
      assert.equal(conv(c.id).status, 'closed');
      assert.ok(conv(c.id).closedAt);
      assert.equal((await patch({ op: 'replace', path: '/subject', value: 'Renamed' })).status, 204);
      assert.equal(conv(c.id).subject, 'Renamed');
      assert.equal((await patch({ op: 'replace', path: '/assignTo', value: userId })).status, 204);
      assert.deepEqual(conv(c.id).assignee, { type: 'user', id: userId });
      assert.equal((await patch({ op: 'remove', path: '/assignTo' })).status, 204);
      assert.equal(conv(c.id).assignee, null);
      const other = [...sb.store.mailbox.mailboxes.keys()][2] ?? 0;
      assert.equal((await patch({ op: 'move', path: '/mailboxId', value: other })).status, 204);
      assert.equal(conv(c.id).mailboxId, other);
      assert.equal(sb.store.mailbox.folders.get(conv(c.id).folderId)?.mailboxId, other, 'the folder follows the mailbox');
      const customerId = [...sb.store.mailbox.customers.keys()][3] ?? 0;
      assert.equal((await patch({ op: 'replace', path: '/primaryCustomer.id', value: customerId })).status, 204);
      assert.equal(conv(c.id).primaryCustomerId, customerId);
      await expectValidation(await patch({ op: 'replace', path: '/status', value: 'bogus' }), 'value');
      await expectValidation(await patch({ op: 'replace', path: '/color', value: 'red' }), 'path');
    });

    it('publishes a draft conversation', async () => {
      const r = await api.send('POST', '/conversations', {
        subject: 'Draft', type: 'email', mailboxId: mailboxId(), status: 'active', customer: { id: [...sb.store.mailbox.customers.keys()][0] },
        threads: [{ type: 'reply', text: 'Hello', draft: true, customer: { id: [...sb.store.mailbox.customers.keys()][0] } }],
      });
      const id = resourceId(r);
      assert.equal(conv(id).state, 'draft');
      assert.equal((await api.send('PATCH', `/conversations/${id}`, { op: 'replace', path: '/draft', value: false })).status, 204);
      assert.equal(conv(id).state, 'published');
    });

    it('replaces tags (creating unknown ones) and custom fields', async () => {
      const c = someConversation((x) => x.tagIds.length > 0);
      assert.equal((await api.send('PUT', `/conversations/${c.id}/tags`, { tags: ['brand-new-tag', 'vip'] })).status, 204);
      assert.deepEqual(conv(c.id).tagIds.map((t) => sb.store.mailbox.tags.get(t)?.name), ['brand-new-tag', 'vip']);
      const tags = await api.all('/tags', 'tags');
      assert.equal(tags.find((t) => t['name'] === 'brand-new-tag')?.['ticketCount'], 1);
      assert.equal((await api.send('PUT', `/conversations/${c.id}/tags`, { tags: [] })).status, 204);
      assert.deepEqual(conv(c.id).tagIds, []);

      const plan = [...sb.store.mailbox.fields.values()].find((f) => f.mailboxId === c.mailboxId && f.type === 'dropdown');
      assert.ok(plan);
      const option = plan.options[1];
      assert.ok(option);
      assert.equal((await api.send('PUT', `/conversations/${c.id}/fields`, { fields: [{ id: plan.id, value: String(option.id) }] })).status, 204);
      assert.deepEqual(conv(c.id).customFields, [{ id: plan.id, value: String(option.id) }]);
      const got = await api.json(`/conversations/${c.id}`);
      assert.equal(((got['customFields'] as Json[])[0] ?? {})['text'], option.label);
      await expectValidation(await api.send('PUT', `/conversations/${c.id}/fields`, { fields: [{ id: plan.id, value: 'not-an-option' }] }), 'fields[0].value');
    });

    it('adds a note, a reply and a customer thread with the documented status rules', async () => {
      const c = someConversation((x) => x.status === 'closed');
      const customer = { id: c.primaryCustomerId };
      const before = c.threads.length;
      const note = await api.send('POST', `/conversations/${c.id}/notes`, { text: '<p>Internal note</p>' });
      assert.equal(note.status, 201);
      const noteId = resourceId(note);
      assert.ok(conv(c.id).threads.some((t) => t.id === noteId && t.type === 'note'));
      assert.equal(conv(c.id).status, 'closed', 'a note without status leaves the status alone');

      const reply = await api.send('POST', `/conversations/${c.id}/reply`, { customer, text: '<p>Our answer</p>', status: 'pending' });
      assert.equal(reply.status, 201);
      assert.equal(conv(c.id).status, 'pending');
      assert.equal(conv(c.id).preview, 'Our answer');

      const cust = await api.send('POST', `/conversations/${c.id}/customer`, { customer, text: '<p>Still broken</p>' });
      assert.equal(cust.status, 201);
      assert.ok(Number(cust.headers.get('resource-id')) > 0);
      const after = conv(c.id);
      assert.equal(after.status, 'active', 'a customer thread reactivates');
      assert.equal(after.threads.length, before + 3);
      assert.equal(after.customerWaitingSince?.latestReplyFrom, 'customer');
      const got = await api.json(`/conversations/${c.id}`);
      assert.equal(got['threads'], before + 3);
      assert.equal(got['preview'], 'Still broken');
      const threads = (await api.json(`/conversations/${c.id}/threads`))._embedded?.['threads'] ?? [];
      assert.equal(threads[0]?.['id'], resourceId(cust), 'the newest thread comes first');
    });

    it('refuses a thread on a conversation that has 100 threads (412)', async () => {
      const c = someConversation();
      for (let i = c.threads.length; i < 100; i++) {
        const r = await api.send('POST', `/conversations/${c.id}/notes`, { text: `n${i}` });
        assert.equal(r.status, 201);
      }
      const r = await api.send('POST', `/conversations/${c.id}/notes`, { text: 'one too many' });
      assert.equal(r.status, 412);
      assert.equal(conv(c.id).threads.length, 100);
    });

    it('edits thread text', async () => {
      const c = someConversation();
      const t = c.threads[0];
      assert.ok(t);
      const r = await api.send('PATCH', `/conversations/${c.id}/threads/${t.id}`, { op: 'replace', path: '/text', value: '<p>edited</p>' });
      assert.equal(r.status, 204);
      assert.equal(conv(c.id).threads[0]?.body, '<p>edited</p>');
    });

    it('answers 404 to a PATCH on a merged conversation, and deletes with 204', async () => {
      const [mergedId] = [...sb.store.mailbox.merged.keys()];
      const r = await api.send('PATCH', `/conversations/${mergedId}`, { op: 'replace', path: '/subject', value: 'x' });
      assert.equal(r.status, 404);
      const c = someConversation();
      assert.equal((await api.send('DELETE', `/conversations/${c.id}`)).status, 204);
      assert.equal(sb.store.mailbox.conversations.has(c.id), false);
      assert.equal((await api.get(`/conversations/${c.id}`)).status, 404);
    });
  });

  describe('customers', () => {
    it('creates, overwrites and patches a customer', async () => {
      const r = await api.send('POST', '/customers', {
        firstName: 'Vera', lastName: 'Quill', jobTitle: 'CEO', emails: [{ type: 'work', value: 'vera@quill.example' }],
        socialProfiles: [{ type: 'twitter', value: 'https://social.example/vera' }], address: { city: 'Oslo', lines: ['Gate 1'], postalCode: '0150', country: 'NO' },
      });
      assert.equal(r.status, 201);
      const id = resourceId(r);
      assert.equal(r.headers.get('location'), `${sb.mailboxBaseUrl}/customers/${id}`);
      const c = sb.store.mailbox.customers.get(id);
      assert.equal(c?.socialProfiles.length, 1);
      assert.equal(c?.address?.city, 'Oslo');

      assert.equal((await api.send('PUT', `/customers/${id}`, { firstName: 'Vera', lastName: 'Q.' })).status, 204);
      assert.equal(sb.store.mailbox.customers.get(id)?.jobTitle, null, 'PUT overwrites: left-out fields become null');
      assert.equal(sb.store.mailbox.customers.get(id)?.emails.length, 1, 'PUT leaves entries alone');

      const emailId = sb.store.mailbox.customers.get(id)?.emails[0]?.id;
      const patch = await api.send('PATCH', `/customers/${id}`, [
        { op: 'replace', path: '/jobTitle', value: 'Founder' },
        { op: 'add', path: '/emails', value: { type: 'home', value: 'vera@home.example' } },
        { op: 'remove', path: `/emails/${emailId}` },
      ]);
      assert.equal(patch.status, 204);
      const after = sb.store.mailbox.customers.get(id);
      assert.equal(after?.jobTitle, 'Founder');
      assert.deepEqual(after?.emails.map((e) => e.value), ['vera@home.example']);
      await expectValidation(await api.send('PATCH', `/customers/${id}`, { op: 'replace', path: '/jobTitle', value: 'x' }), '');
    });

    it('manages entries and the address through their sub-resources', async () => {
      const c = [...sb.store.mailbox.customers.values()][10];
      assert.ok(c);
      const before = c.phones.length;
      const created = await api.send('POST', `/customers/${c.id}/phones`, { type: 'mobile', value: '+1 555 0100' });
      assert.equal(created.status, 201);
      const entryId = resourceId(created);
      assert.equal(c.phones.length, before + 1);
      assert.equal((await api.send('PUT', `/customers/${c.id}/phones/${entryId}`, { type: 'work', value: '+1 555 0199' })).status, 204);
      assert.equal(c.phones.find((p) => p.id === entryId)?.value, '+1 555 0199');
      assert.equal((await api.send('DELETE', `/customers/${c.id}/phones/${entryId}`)).status, 204);
      assert.equal(c.phones.length, before);
      assert.equal((await api.send('PUT', `/customers/${c.id}/address`, { city: 'Rome', lines: ['Via 1'], postalCode: '00100', country: 'IT' })).status, 204);
      assert.equal((await api.json(`/customers/${c.id}/address`))['city'], 'Rome');
      assert.equal((await api.send('DELETE', `/customers/${c.id}/address`)).status, 204);
      assert.equal((await api.get(`/customers/${c.id}/address`)).status, 404);
    });

    it('sets and removes property values and lists definitions', async () => {
      const c = [...sb.store.mailbox.customers.values()][11];
      assert.ok(c);
      const r = await api.send('PATCH', `/customers/${c.id}/properties`, [
        { op: 'replace', path: '/plan', value: 'Premium' }, { op: 'remove', path: '/seats' },
      ]);
      assert.equal(r.status, 204);
      assert.equal(c.properties['plan'], 'Premium');
      assert.equal(c.properties['seats'], undefined);
      const defs = await api.json('/customer-properties');
      assert.ok((defs._embedded?.['customer-properties'] ?? []).some((p) => p['slug'] === 'plan'));
    });
  });

  describe('workflows and webhooks', () => {
    it('changes a workflow status and runs a manual workflow', async () => {
      const w = [...sb.store.mailbox.workflows.values()].find((x) => x.type === 'manual');
      assert.ok(w);
      assert.equal((await api.send('PATCH', `/workflows/${w.id}`, { op: 'replace', path: '/status', value: 'inactive' })).status, 204);
      assert.equal(sb.store.mailbox.workflows.get(w.id)?.status, 'inactive');
      const c = someConversation();
      const before = c.threads.length;
      assert.equal((await api.send('POST', `/workflows/${w.id}/run`, { conversationIds: [c.id] })).status, 204);
      assert.equal(conv(c.id).threads.length, before + 1);
      assert.equal(conv(c.id).threads.at(-1)?.type, 'lineitem');
    });

    it('creates, updates and deletes a webhook', async () => {
      const r = await api.send('POST', '/webhooks', { url: 'https://hooks.example.com/x', events: ['convo.created'], secret: 'abc123' });
      assert.equal(r.status, 201);
      const id = resourceId(r);
      assert.equal((await api.json(`/webhooks/${id}`))['url'], 'https://hooks.example.com/x');
      assert.equal((await api.send('PUT', `/webhooks/${id}`, { url: 'https://hooks.example.com/y', events: ['convo.status'], secret: 'abc123' })).status, 204);
      assert.deepEqual(sb.store.mailbox.webhooks.get(id)?.events, ['convo.status']);
      assert.equal((await api.send('DELETE', `/webhooks/${id}`)).status, 204);
      assert.equal(sb.store.mailbox.webhooks.has(id), false);
    });
  });
});
