import * as assert from 'node:assert/strict';
import type { RunningSandbox } from '../../../src/sandbox/index';
import { HOSTILE_SUBJECT } from '../../../src/sandbox/index';
import { type Client, type Json, ids, mailbox, sorted, start } from './helpers';

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('sandbox Mailbox API: envelopes, paging and read endpoints', () => {
  let sb: RunningSandbox;
  let api: Client;
  before(async () => {
    sb = await start();
    api = mailbox(sb);
  });
  after(() => sb.close());

  it('pages lists by 50 with 1-based page numbers and a full link set that keeps the query', async () => {
    const total = [...sb.store.mailbox.conversations.values()].length;
    const first = await api.json('/conversations?status=all&sortOrder=asc');
    assert.equal(first.page?.size, 50);
    assert.equal(first.page?.number, 1);
    assert.equal(first.page?.totalElements, total);
    assert.equal(first.page?.totalPages, Math.ceil(total / 50));
    assert.equal(first._embedded?.['conversations']?.length, 50);
    const links = first._links ?? {};
    for (const rel of ['self', 'first', 'last', 'next', 'page']) assert.ok(links[rel], `missing ${rel}`);
    assert.equal(links['previous'], undefined, 'no previous link on page 1');
    assert.equal(links['page']?.templated, true);
    const next = new URL(links['next']?.href ?? '');
    assert.equal(next.searchParams.get('page'), '2');
    assert.equal(next.searchParams.get('status'), 'all');
    assert.equal(next.searchParams.get('sortOrder'), 'asc');

    const lastPage = first.page?.totalPages ?? 0;
    const last = await api.json(`/conversations?status=all&sortOrder=asc&page=${lastPage}`);
    assert.equal(last._links?.['next'], undefined, 'no next link on the last page');
    assert.equal(new URL(last._links?.['previous']?.href ?? '').searchParams.get('page'), String(lastPage - 1));
    assert.equal(last._embedded?.['conversations']?.length, total - 50 * (lastPage - 1));
  });

  it('visits every conversation exactly once when following next links', async () => {
    const all = await api.all('/conversations?status=all', 'conversations');
    assert.deepEqual(sorted(ids(all)), sorted([...sb.store.mailbox.conversations.keys()]));
  });

  it('leaves _embedded out of empty lists but keeps page and links', async () => {
    const empty = await api.json('/conversations?status=all&query=(subject:"zzz-no-such-subject")');
    assert.equal('_embedded' in empty, false);
    assert.equal(empty.page?.totalElements, 0);
    assert.equal(empty.page?.totalPages, 0);
    assert.ok(empty._links?.['self']);
    const beyond = await api.json('/conversations?status=all&page=999');
    assert.equal('_embedded' in beyond, false);
    assert.equal(beyond.page?.number, 999);
  });

  it('serves a conversation with first/last person refs, tag objects and API timestamps', async () => {
    const c = [...sb.store.mailbox.conversations.values()].find((x) => x.tagIds.length > 0 && x.assignee?.type === 'user' && x.threads.length > 1);
    assert.ok(c);
    const body = await api.json(`/conversations/${c.id}`);
    assert.equal(body['threads'], c.threads.length, 'threads is a count');
    const assignee = body['assignee'] as Json;
    const user = sb.store.mailbox.users.get(c.assignee?.id ?? 0);
    assert.equal(assignee['first'], user?.firstName);
    assert.equal(assignee['last'], user?.lastName);
    assert.equal('firstName' in assignee, false);
    const tags = body['tags'] as Json[];
    assert.deepEqual(tags.map((t) => t['tag']), c.tagIds.map((id) => sb.store.mailbox.tags.get(id)?.name));
    assert.match(String(body['createdAt']), TS);
    assert.match(String(body['userUpdatedAt']), TS);
    assert.equal('_embedded' in body, false, 'threads only with embed=threads');
    const withThreads = await api.json(`/conversations/${c.id}?embed=threads`);
    const threads = (withThreads._embedded?.['threads'] ?? []);
    assert.equal(threads.length, c.threads.length);
    assert.equal(threads[0]?.['id'], c.threads[c.threads.length - 1]?.id, 'newest thread first');
  });

  it('lists threads newest first', async () => {
    const c = [...sb.store.mailbox.conversations.values()].find((x) => x.threads.length >= 4);
    assert.ok(c);
    const list = await api.json(`/conversations/${c.id}/threads`);
    assert.deepEqual(ids(list._embedded?.['threads'] ?? []), [...c.threads].reverse().map((t) => t.id));
    assert.equal(list.page?.totalElements, c.threads.length);
  });

  it('embeds every customer entry, with social_profiles spelled with an underscore', async () => {
    const c = [...sb.store.mailbox.customers.values()].find((x) => x.socialProfiles.length > 0 && x.address);
    assert.ok(c);
    const body = await api.json(`/customers/${c.id}`);
    const emb = body._embedded as unknown as Record<string, unknown>;
    for (const key of ['emails', 'phones', 'chats', 'social_profiles', 'websites', 'address', 'properties']) assert.ok(key in emb, key);
    assert.equal((emb['social_profiles'] as unknown[]).length, c.socialProfiles.length);
    assert.equal(body['firstName'], c.firstName);
    assert.ok(body._links?.['social-profiles'], 'the link uses a hyphen');
    const list = await api.json(`/customers/${c.id}/social-profiles`);
    assert.equal(list._embedded?.['social-profiles']?.length, c.socialProfiles.length);
    assert.equal('page' in list, false, 'entry lists have no page block');
  });

  it('computes folder counts from the conversations', async () => {
    const m = [...sb.store.mailbox.mailboxes.values()][0];
    assert.ok(m);
    const folders = (await api.json(`/mailboxes/${m.id}/folders`))._embedded?.['folders'] ?? [];
    const names = folders.map((f) => f['name']);
    for (const n of ['Unassigned', 'Mine', 'Needs attention', 'Drafts', 'Assigned', 'Closed', 'Spam']) assert.ok(names.includes(n), n);
    for (const f of folders) {
      const inFolder = [...sb.store.mailbox.conversations.values()].filter((c) => c.folderId === f['id']);
      assert.equal(f['totalCount'], inFolder.length, String(f['name']));
      assert.equal(f['activeCount'], inFolder.filter((c) => c.status === 'active').length);
    }
    assert.ok(folders.some((f) => f['type'] === 'mytickets' && Number(f['userId']) > 0));
    const fields = (await api.json(`/mailboxes/${m.id}/fields`))._embedded?.['fields'] ?? [];
    assert.deepEqual(fields.map((f) => f['type']), ['dropdown', 'singleline', 'number', 'date']);
    assert.ok(((fields[0]?.['options'] as unknown[]) ?? []).length > 0);
  });

  it('lists tags alphabetically with computed ticket counts', async () => {
    const tags = await api.all('/tags', 'tags');
    const names = tags.map((t) => String(t['name']));
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')));
    for (const t of tags) {
      const n = [...sb.store.mailbox.conversations.values()].filter((c) => c.tagIds.includes(t['id'] as number)).length;
      assert.equal(t['ticketCount'], n, String(t['name']));
    }
  });

  it('answers /users/me as the token user with companyId, and filters users', async () => {
    const me = await api.json('/users/me');
    assert.equal(me['id'], sb.store.mailbox.ownerId);
    assert.equal(me['role'], 'owner');
    assert.equal(me['companyId'], sb.store.mailbox.companyId);
    const someone = [...sb.store.mailbox.users.values()][2];
    assert.ok(someone);
    const byEmail = await api.json(`/users?email=${encodeURIComponent(someone.email.toUpperCase())}`);
    assert.deepEqual(ids(byEmail._embedded?.['users'] ?? []), [someone.id]);
    const mb = someone.mailboxIds[0] ?? 0;
    const byMailbox = await api.json(`/users?mailbox=${mb}`);
    assert.deepEqual(sorted(ids(byMailbox._embedded?.['users'] ?? [])),
      sorted([...sb.store.mailbox.users.values()].filter((u) => u.mailboxIds.includes(mb)).map((u) => u.id)));
  });

  it('lists team members under _embedded.users', async () => {
    const team = [...sb.store.mailbox.teams.values()][0];
    assert.ok(team);
    const members = await api.json(`/teams/${team.id}/members`);
    assert.deepEqual(sorted(ids(members._embedded?.['users'] ?? [])), sorted(team.memberIds));
    const teams = await api.json('/teams');
    assert.equal(teams._embedded?.['teams']?.length, sb.store.mailbox.teams.size);
  });

  it('filters workflows by mailbox and type', async () => {
    const m = [...sb.store.mailbox.mailboxes.keys()][1] ?? 0;
    const list = await api.json(`/workflows?mailboxId=${m}&type=manual`);
    const expected = [...sb.store.mailbox.workflows.values()].filter((w) => w.mailboxId === m && w.type === 'manual').map((w) => w.id);
    assert.ok(expected.length > 0);
    assert.deepEqual(sorted(ids(list._embedded?.['workflows'] ?? [])), sorted(expected));
  });

  it('seeds the hostile-HTML conversation with its tag', async () => {
    const list = await api.json('/conversations?status=all&tag=security-test&embed=threads');
    const convs = list._embedded?.['conversations'] ?? [];
    assert.equal(convs.length, 1);
    assert.equal(convs[0]?.['subject'], HOSTILE_SUBJECT);
    const body = String(((convs[0]?._embedded?.['threads'] ?? [])[0] as Json | undefined)?.['body']);
    for (const bit of ['<script>', 'onerror=', 'javascript:', '<iframe', 'style=']) assert.ok(body.includes(bit), bit);
  });

  it('answers a merged conversation with 301 to the survivor', async () => {
    const [mergedId, survivor] = [...sb.store.mailbox.merged.entries()][0] ?? [0, 0];
    assert.ok(mergedId > 0);
    const r = await api.get(`/conversations/${mergedId}`, { redirect: 'manual' });
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), `${sb.mailboxBaseUrl}/conversations/${survivor}`);
  });

  it('answers 404 with a vnd.error body for unknown resources', async () => {
    for (const path of ['/conversations/1', '/customers/99', '/nope', '/tags/abc']) {
      const r = await api.get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.headers.get('content-type'), 'application/vnd.error+json');
      const body = await r.json() as Json;
      assert.equal(typeof body['logRef'], 'string');
      assert.equal(typeof body['message'], 'string');
    }
  });

  it('rejects malformed dates and unknown enum values with a validation error', async () => {
    for (const [param, value] of [['modifiedSince', '2024-01-01'], ['modifiedSince', '2024-01-01T00:00:00.000Z'], ['status', 'bogus'], ['sortField', 'color']]) {
      const r = await api.get(`/conversations?${param}=${encodeURIComponent(value ?? '')}`);
      assert.equal(r.status, 400, `${param}=${value}`);
      assert.equal(r.headers.get('content-type'), 'application/vnd.error+json');
      const body = await r.json() as Json;
      const err = (body._embedded?.['errors'] ?? [])[0];
      assert.equal(err?.['path'], param);
      assert.equal(err?.['rejectedValue'], value);
      assert.ok((err?._links?.['about']?.href ?? '').includes('#'));
      assert.equal(typeof err?.['source'], 'string');
    }
  });
});
