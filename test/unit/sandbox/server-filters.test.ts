// Each conversation/customer filter and each query-syntax form, checked
// against an independent computation over the sandbox's stored data.
import * as assert from 'node:assert/strict';
import type { ConversationRec, CustomerRec, RunningSandbox } from '../../../src/sandbox/index';
import { type Client, ids, mailbox, sorted, start } from './helpers';

describe('sandbox Mailbox API: conversation and customer filters', () => {
  let sb: RunningSandbox;
  let api: Client;
  let convs: ConversationRec[];
  before(async () => {
    sb = await start();
    api = mailbox(sb);
    convs = [...sb.store.mailbox.conversations.values()];
  });
  after(() => sb.close());

  const lc = (s: string | null | undefined): string => (s ?? '').toLowerCase();
  const customerOf = (c: ConversationRec): CustomerRec | undefined => sb.store.mailbox.customers.get(c.primaryCustomerId);
  const tagNames = (c: ConversationRec): string[] => c.tagIds.map((id) => sb.store.mailbox.tags.get(id)?.name ?? '');
  const modifiedAt = (c: ConversationRec): string => {
    const w = c.customerWaitingSince?.time ?? '';
    return w > c.userUpdatedAt ? w : c.userUpdatedAt;
  };

  async function expectConvs(query: string, predicate: (c: ConversationRec) => boolean): Promise<void> {
    const got = await api.all(`/conversations?${query}`, 'conversations');
    const want = convs.filter(predicate).map((c) => c.id);
    assert.ok(want.length > 0, `the data should have matches for ${query}`);
    assert.deepEqual(sorted(ids(got)), sorted(want), query);
  }

  it('defaults to active conversations', () => expectConvs('', (c) => c.status === 'active'));
  it('filters by status: all, open, closed, pending, spam', async () => {
    await expectConvs('status=all', () => true);
    await expectConvs('status=open', (c) => c.status === 'active' || c.status === 'pending');
    for (const s of ['closed', 'pending', 'spam'] as const) await expectConvs(`status=${s}`, (c) => c.status === s);
  });
  it('filters by one or several mailboxes', async () => {
    const [a, b] = [...sb.store.mailbox.mailboxes.keys()];
    await expectConvs(`status=all&mailbox=${a}`, (c) => c.mailboxId === a);
    await expectConvs(`status=all&mailbox=${a},${b}`, (c) => c.mailboxId === a || c.mailboxId === b);
  });
  it('filters by folder', async () => {
    const folder = convs.find((c) => c.assignee?.type === 'user')?.folderId;
    await expectConvs(`status=all&folder=${folder}`, (c) => c.folderId === folder);
  });
  it('filters by tag, any of a comma list', async () => {
    await expectConvs('status=all&tag=vip', (c) => tagNames(c).includes('vip'));
    await expectConvs('status=all&tag=vip,refund', (c) => tagNames(c).some((t) => t === 'vip' || t === 'refund'));
  });
  it('filters by assigned_to', async () => {
    const user = convs.find((c) => c.assignee?.type === 'user')?.assignee?.id;
    await expectConvs(`status=all&assigned_to=${user}`, (c) => c.assignee?.id === user);
  });
  it('filters by modifiedSince', async () => {
    const since = '2026-06-01T00:00:00Z';
    await expectConvs(`status=all&modifiedSince=${since}`, (c) => modifiedAt(c) >= since);
  });
  it('filters by number', async () => {
    const n = convs[17]?.number;
    await expectConvs(`status=all&number=${n}`, (c) => c.number === n);
  });
  it('filters by customFieldsByIds', async () => {
    const withField = convs.find((c) => c.customFields.length > 0)?.customFields[0];
    assert.ok(withField);
    await expectConvs(`status=all&customFieldsByIds=${withField.id}:${encodeURIComponent(withField.value)}`,
      (c) => c.customFields.some((f) => f.id === withField.id && f.value === withField.value));
  });

  describe('query syntax', () => {
    const q = (s: string): string => `status=all&query=${encodeURIComponent(s)}`;
    it('subject:"…" matches a case-insensitive substring', () =>
      expectConvs(q('(subject:"REFUND")'), (c) => lc(c.subject).includes('refund')));
    it('email:"…" matches the customer email', () => {
      const email = customerOf(convs[3] as ConversationRec)?.emails[0]?.value ?? '';
      return expectConvs(q(`(email:"${email}")`), (c) => (customerOf(c)?.emails ?? []).some((e) => lc(e.value).includes(lc(email))));
    });
    it('tag:"…" matches a tag name', () => expectConvs(q('(tag:"billing")'), (c) => tagNames(c).includes('billing')));
    it('body:"…" searches thread bodies', () =>
      expectConvs(q('body:"engineering team"'), (c) => c.threads.some((t) => lc(t.body).includes('engineering team'))));
    it('customerName:"…" matches first and last name', () => {
      const cu = customerOf(convs[5] as ConversationRec);
      const name = `${cu?.firstName ?? ''} ${cu?.lastName ?? ''}`;
      return expectConvs(q(`customerName:"${name}"`), (c) => lc(`${customerOf(c)?.firstName ?? ''} ${customerOf(c)?.lastName ?? ''}`).includes(lc(name)));
    });
    it('createdAt:[A TO B] and modifiedAt:[A TO *] ranges', async () => {
      const a = '2025-03-01T00:00:00Z';
      const b = '2025-09-01T00:00:00Z';
      await expectConvs(q(`(createdAt:[${a} TO ${b}])`), (c) => c.createdAt >= a && c.createdAt <= b);
      await expectConvs(q(`(modifiedAt:[${b} TO *])`), (c) => modifiedAt(c) >= b);
    });
    it('NOT, AND, OR and parentheses', async () => {
      await expectConvs(q('(tag:"vip" AND NOT tag:"billing")'), (c) => tagNames(c).includes('vip') && !tagNames(c).includes('billing'));
      await expectConvs(q('(tag:"vip" OR tag:"refund") AND subject:"order"'),
        (c) => (tagNames(c).includes('vip') || tagNames(c).includes('refund')) && lc(c.subject).includes('order'));
      await expectConvs(q('NOT (subject:"refund" OR subject:"invoice")'), (c) => !lc(c.subject).includes('refund') && !lc(c.subject).includes('invoice'));
    });
    it('rejects an unknown field, a bad range date and unbalanced parentheses', async () => {
      for (const bad of ['(colour:"red")', '(createdAt:[2024-01-01 TO *])', '(subject:"a"']) {
        const r = await api.get(`/conversations?${q(bad)}`);
        assert.equal(r.status, 400, bad);
        assert.equal(r.headers.get('content-type'), 'application/vnd.error+json');
      }
    });
  });

  describe('sorting', () => {
    const cases: [string, (c: ConversationRec) => string | number][] = [
      ['createdAt', (c) => c.createdAt],
      ['number', (c) => c.number],
      ['subject', (c) => lc(c.subject)],
      ['mailboxid', (c) => c.mailboxId],
      ['modifiedAt', (c) => modifiedAt(c)],
      ['status', (c) => c.status],
      ['customerEmail', (c) => lc(customerOf(c)?.emails[0]?.value)],
    ];
    for (const [field, key] of cases) {
      for (const order of ['asc', 'desc']) {
        it(`sortField=${field}&sortOrder=${order}`, async () => {
          const got = await api.all(`/conversations?status=all&sortField=${field}&sortOrder=${order}`, 'conversations');
          const keys = ids(got).map((id) => key(sb.store.mailbox.conversations.get(id) as ConversationRec));
          for (let i = 1; i < keys.length; i++) {
            const [prev, cur] = [keys[i - 1] as string | number, keys[i] as string | number];
            const cmp = typeof prev === 'number' ? prev - (cur as number) : String(prev).localeCompare(String(cur), 'en', { sensitivity: 'base' });
            assert.ok(order === 'asc' ? cmp <= 0 : cmp >= 0, `${field} ${order} out of order at ${i}: ${prev} vs ${cur}`);
          }
          assert.equal(got.length, convs.length);
        });
      }
    }
  });

  describe('customers', () => {
    let customers: CustomerRec[];
    before(() => {
      customers = [...sb.store.mailbox.customers.values()];
    });
    async function expectCustomers(query: string, predicate: (c: CustomerRec) => boolean): Promise<void> {
      const got = await api.all(`/customers?${query}`, 'customers');
      const want = customers.filter(predicate).map((c) => c.id);
      assert.ok(want.length > 0, `the data should have matches for ${query}`);
      assert.deepEqual(sorted(ids(got)), sorted(want), query);
    }
    const q = (s: string): string => `query=${encodeURIComponent(s)}`;
    it('filters by firstName, lastName, mailbox and modifiedSince', async () => {
      const c = customers[4] as CustomerRec;
      await expectCustomers(`firstName=${c.firstName ?? ''}`, (x) => lc(x.firstName) === lc(c.firstName));
      await expectCustomers(`lastName=${encodeURIComponent(c.lastName ?? '')}`, (x) => lc(x.lastName) === lc(c.lastName));
      const m = [...sb.store.mailbox.mailboxes.keys()][1];
      const inMailbox = new Set(convs.filter((x) => x.mailboxId === m).map((x) => x.primaryCustomerId));
      await expectCustomers(`mailbox=${m}`, (x) => inMailbox.has(x.id));
      await expectCustomers('modifiedSince=2026-01-01T00:00:00Z', (x) => x.updatedAt >= '2026-01-01T00:00:00Z');
    });
    it('supports the firstName, lastName, email, emailDomain and modifiedAt query forms', async () => {
      const c = customers[9] as CustomerRec;
      const domain = c.emails[0]?.value.split('@')[1] ?? '';
      await expectCustomers(q(`(firstName:"${c.firstName ?? ''}")`), (x) => lc(x.firstName).includes(lc(c.firstName)));
      await expectCustomers(q(`(lastName:"${c.lastName ?? ''}")`), (x) => lc(x.lastName).includes(lc(c.lastName)));
      await expectCustomers(q(`(email:"${c.emails[0]?.value ?? ''}")`), (x) => x.emails.some((e) => lc(e.value).includes(lc(c.emails[0]?.value))));
      await expectCustomers(q(`(emailDomain:"${domain}")`), (x) => x.emails.some((e) => lc(e.value.split('@')[1]) === lc(domain)));
      await expectCustomers(q('(modifiedAt:[2026-03-01T00:00:00Z TO *])'), (x) => x.updatedAt >= '2026-03-01T00:00:00Z');
    });
    it('sorts by lastName ascending', async () => {
      const got = await api.all('/customers?sortField=lastName&sortOrder=asc', 'customers');
      const names = got.map((x) => String(x['lastName']));
      for (let i = 1; i < names.length; i++) assert.ok((names[i - 1] ?? '').localeCompare(names[i] ?? '', 'en', { sensitivity: 'base' }) <= 0);
    });
  });
});
