// An in-memory stand-in for both Help Scout APIs at the level of the
// planner's `fetchPage` callback, over a seeded dataset generated here. It
// implements the list filters the catalog pushes down (helpscout-api.md §1,
// §4), the page size of 50 and the envelopes, and logs every request so
// tests can count them. Used only by the SQL engine's tests.
import { Rng } from '../../../../src/sandbox/random';
import { readPage, type PageRequest, type PageResult } from '../../../../src/core/sql';

type Obj = Record<string, unknown>;

export interface Dataset {
  readonly mailboxes: Obj[];
  readonly conversations: Obj[];
  readonly threads: Map<number, Obj[]>;
  readonly customers: Obj[];
  readonly sites: Obj[];
  readonly collections: Obj[];
  readonly categories: Obj[];
  /** Full article objects (with text, categories, keywords). */
  readonly articles: Obj[];
}

const TAGS = ['vip', 'billing', 'bug', 'refund', 'feature'];
const STATUSES = ['active', 'pending', 'closed', 'spam'];
const SUBJECT_WORDS = ['Refund request', 'Invoice question', 'Login problem', 'Feature idea', 'refunded twice', 'Crash on start'];
const FIRST = ['Pat', 'Sam', 'Alex', 'Kim', 'Lee'];

function iso(base: number, minutes: number): string {
  return new Date(base + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function makeDataset(seed = 7): Dataset {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)] as T;
  const base = Date.UTC(2024, 0, 1);
  const mailboxes = [1, 2, 3].map((id) => ({ id, name: `Mailbox ${id}`, slug: `mb${id}`, email: `mb${id}@example.com`, createdAt: iso(base, -1000 * id), updatedAt: iso(base, -10 * id) }));
  const customers: Obj[] = [];
  for (let i = 1; i <= 60; i++) {
    const emails = Array.from({ length: rng.int(0, 2) }, (_, k) => ({ id: i * 10 + k, value: `cust${i}${k ? `.${k}` : ''}@example.com`, type: 'work' }));
    customers.push({
      id: 900 + i, firstName: pick(FIRST), lastName: `Doe${i % 7}`, createdAt: iso(base, i * 37), updatedAt: iso(base, i * 91),
      _embedded: { emails, phones: i % 3 ? [{ id: i, value: `+49 ${i}`, type: 'mobile' }] : [], chats: [], social_profiles: [], websites: [], address: i % 4 ? { city: 'Berlin', lines: ['Main St 1'], country: 'DE' } : undefined, properties: [] },
    });
  }
  const conversations: Obj[] = [];
  const threads = new Map<number, Obj[]>();
  let threadId = 50_000;
  for (let i = 1; i <= 320; i++) {
    const id = 1000 + i;
    const created = iso(base, i * 173);
    const updated = iso(base, i * 173 + rng.int(1, 50_000));
    const cust = customers[rng.int(0, customers.length - 1)] ?? {};
    const emails = (cust['_embedded'] as { emails: { value: string }[] }).emails;
    const tagCount = rng.int(0, 3);
    const tags = [...new Set(Array.from({ length: tagCount }, () => pick(TAGS)))].map((t, k) => ({ id: k + 1, color: '#999', tag: t }));
    const assignee = rng.int(0, 3) === 0 ? undefined : { id: rng.int(4, 6), type: 'user', first: 'Ada', last: 'Agent', email: 'ada@example.com' };
    conversations.push({
      id, number: 5000 + i, threads: 0, type: 'email', folderId: 10 + rng.int(0, 2), status: pick(STATUSES), state: 'published',
      subject: `${pick(SUBJECT_WORDS)} #${i}`, preview: 'Hello', mailboxId: rng.int(1, 3),
      ...(assignee ? { assignee } : {}),
      createdBy: { id: cust['id'], type: 'customer' }, createdAt: created, closedBy: 0, userUpdatedAt: updated,
      source: { type: 'email', via: 'customer' }, tags, cc: [], bcc: [],
      primaryCustomer: { id: cust['id'], type: 'customer', first: cust['firstName'], last: cust['lastName'], email: emails[0]?.value },
      customFields: rng.int(0, 1) ? [{ id: 8, name: 'Plan', value: '85', text: pick(['Free', 'Pro']) }] : [],
    });
    const list: Obj[] = [];
    for (let k = rng.int(1, 4); k > 0; k--) {
      list.push({ id: threadId++, type: pick(['customer', 'reply', 'note']), status: 'active', state: 'published', body: `<p>body ${threadId}</p>`, createdAt: iso(base, i * 173 + k), to: [], cc: [], bcc: [] });
    }
    threads.set(id, list);
  }
  const sites = [{ id: 'site1', subDomain: 'one', title: 'One' }, { id: 'site2', subDomain: 'two', title: 'Two' }];
  const collections = [1, 2, 3, 4].map((n) => ({ id: `col${n}`, siteId: n <= 2 ? 'site1' : 'site2', number: n, name: `Collection ${n}`, visibility: n % 2 ? 'public' : 'private', order: 5 - n, createdAt: iso(base, n) }));
  const categories = Array.from({ length: 8 }, (_, k) => ({ id: `cat${k + 1}`, collectionId: `col${(k % 4) + 1}`, number: k + 1, name: `Category ${k + 1}`, order: k, createdAt: iso(base, k) }));
  const articles: Obj[] = [];
  for (let i = 1; i <= 130; i++) {
    const collectionId = `col${rng.int(1, 4)}`;
    const cats = categories.filter((c) => c.collectionId === collectionId && rng.int(0, 1) === 1).map((c) => c.id);
    articles.push({
      id: `art${String(i).padStart(4, '0')}`, number: i, collectionId, status: rng.int(0, 2) ? 'published' : 'notpublished', hasDraft: false,
      name: `Article ${i}`, publicUrl: `https://docs.example/article/${i}`, popularity: i * 0.5, viewCount: i * 3, createdBy: 1, updatedBy: null,
      createdAt: iso(base, i * 11), updatedAt: iso(base, i * 13), lastPublishedAt: null,
      slug: `article-${i}`, text: `<p>Text of ${i}</p>`, categories: cats, related: [], keywords: [`k${i % 5}`],
    });
  }
  return { mailboxes, conversations, threads, customers, sites, collections, categories, articles };
}

const PAGE = 50;

function mailboxPage(plural: string, all: Obj[], page: number): unknown {
  const totalPages = Math.max(1, Math.ceil(all.length / PAGE));
  const items = all.slice((page - 1) * PAGE, page * PAGE);
  return {
    ...(items.length ? { _embedded: { [plural]: items } } : {}),
    _links: page < totalPages ? { next: { href: `?page=${page + 1}` } } : {},
    page: { size: PAGE, totalElements: all.length, totalPages, number: page },
  };
}

function docsPage(plural: string, all: Obj[], page: number, size: number): unknown {
  const pages = Math.max(1, Math.ceil(all.length / size));
  return { [plural]: { page, pages, count: all.length, items: all.slice((page - 1) * size, page * size) } };
}

function modifiedAt(c: Obj): string {
  return [c['userUpdatedAt'], c['createdAt']].filter((v): v is string => typeof v === 'string').sort().at(-1) ?? '';
}

function sortBy(items: Obj[], field: string | undefined, order: string | undefined, fields: Record<string, (o: Obj) => string | number>): Obj[] {
  const get = field ? fields[field] : undefined;
  if (!get) return items;
  const dir = order === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => (get(a) < get(b) ? -dir : get(a) > get(b) ? dir : 0));
}

/** Matches the advanced search terms the planner emits: subject, email, createdAt ranges. */
function matchesQuery(c: Obj, query: string): boolean {
  for (const m of query.matchAll(/\((\w+):(?:"([^"]*)"|\[([^\]]*)\])\)/g)) {
    const [, field, text, range] = m;
    if (field === 'subject' && !String(c['subject'] ?? '').toLowerCase().includes((text ?? '').toLowerCase())) return false;
    if (field === 'email') {
      const primary = String((c['primaryCustomer'] as Obj | undefined)?.['email'] ?? '').toLowerCase();
      const all = ((c['_embedded'] as Obj | undefined)?.['emails'] as Obj[] | undefined)?.map((e) => String(e['value']).toLowerCase()) ?? [primary];
      if (!all.includes((text ?? '').toLowerCase())) return false;
    }
    if (field === 'createdAt' && range) {
      const [lo, hi] = range.split(' TO ');
      const v = String(c['createdAt']);
      if (lo && lo !== '*' && v < lo) return false;
      if (hi && hi !== '*' && v > hi) return false;
    }
  }
  return true;
}

export interface FakeApi {
  readonly log: PageRequest[];
  fetchPage(req: PageRequest): Promise<PageResult>;
}

/** A fetchPage over the dataset. Bodies go through `readPage`, as the real fetcher's would. */
export function fakeApi(d: Dataset): FakeApi {
  const log: PageRequest[] = [];
  const body = (req: PageRequest): unknown => {
    const q = req.query;
    const page = Number(q['page'] ?? '1');
    const p = req.path;
    let m: RegExpExecArray | null;
    if (req.api === 'mailbox') {
      if (p === '/mailboxes') return mailboxPage('mailboxes', d.mailboxes, page);
      if (p === '/tags') return mailboxPage('tags', TAGS.map((name, i) => ({ id: i + 1, name, slug: name })), page);
      if ((m = /^\/mailboxes\/(\d+)$/.exec(p))) return d.mailboxes.find((x) => String(x['id']) === m?.[1]) ?? null;
      if ((m = /^\/conversations\/(\d+)\/threads$/.exec(p))) return mailboxPage('threads', d.threads.get(Number(m[1])) ?? [], page);
      if ((m = /^\/conversations\/(\d+)$/.exec(p))) return d.conversations.find((x) => String(x['id']) === m?.[1]) ?? null;
      if (p === '/conversations') {
        let items = d.conversations;
        const status = q['status'] ?? 'active';
        if (status !== 'all') items = items.filter((c) => status.split(',').includes(String(c['status'])));
        if (q['mailbox']) items = items.filter((c) => q['mailbox']?.split(',').includes(String(c['mailboxId'])));
        if (q['folder']) items = items.filter((c) => String(c['folderId']) === q['folder']);
        if (q['tag']) {
          const wanted = q['tag'].split(',');
          items = items.filter((c) => (c['tags'] as Obj[]).some((t) => wanted.includes(String(t['tag']))));
        }
        if (q['assigned_to']) items = items.filter((c) => String((c['assignee'] as Obj | undefined)?.['id']) === q['assigned_to']);
        if (q['number']) items = items.filter((c) => String(c['number']) === q['number']);
        if (q['modifiedSince']) items = items.filter((c) => modifiedAt(c) >= (q['modifiedSince'] ?? ''));
        if (q['query']) items = items.filter((c) => matchesQuery(c, q['query'] ?? ''));
        items = sortBy(items, q['sortField'] ?? 'createdAt', q['sortOrder'] ?? 'desc', {
          createdAt: (c) => String(c['createdAt']), number: (c) => Number(c['number']), mailboxid: (c) => Number(c['mailboxId']),
        });
        // embed=threads: each conversation with its threads, newest first; a chat thread's body comes truncated
        // (helpscout-api.md, list parameters), as in the sandbox.
        const embedded = (id: number): Obj[] =>
          [...(d.threads.get(id) ?? [])].reverse().map((t) => (t['type'] === 'chat' ? { ...t, body: String(t['body']).slice(0, 12) } : t));
        if (q['embed'] === 'threads') items = items.map((c) => ({ ...c, _embedded: { threads: embedded(Number(c['id'])) } }));
        return mailboxPage('conversations', items, page);
      }
      if ((m = /^\/customers\/(\d+)$/.exec(p))) return d.customers.find((x) => String(x['id']) === m?.[1]) ?? null;
      if (p === '/customers') {
        let items = d.customers;
        if (q['firstName']) items = items.filter((c) => String(c['firstName']).toLowerCase() === q['firstName']?.toLowerCase());
        if (q['lastName']) items = items.filter((c) => String(c['lastName']).toLowerCase() === q['lastName']?.toLowerCase());
        if (q['modifiedSince']) items = items.filter((c) => String(c['updatedAt']) >= (q['modifiedSince'] ?? ''));
        if (q['query']) items = items.filter((c) => matchesQuery(c, q['query'] ?? ''));
        return mailboxPage('customers', items, page);
      }
    } else {
      const size = Number(q['pageSize'] ?? PAGE);
      if (p === '/sites') return docsPage('sites', d.sites, page, PAGE);
      if (p === '/collections') {
        let items = d.collections;
        if (q['siteId']) items = items.filter((c) => c['siteId'] === q['siteId']);
        if (q['visibility'] && q['visibility'] !== 'all') items = items.filter((c) => c['visibility'] === q['visibility']);
        return docsPage('collections', items, page, PAGE);
      }
      if ((m = /^\/collections\/(\w+)\/categories$/.exec(p))) return docsPage('categories', d.categories.filter((c) => c['collectionId'] === m?.[1]), page, PAGE);
      if ((m = /^\/(collections|categories)\/(\w+)\/articles$/.exec(p))) {
        const [, kind, id] = m;
        let items = d.articles.filter((a) => (kind === 'collections' ? a['collectionId'] === id : (a['categories'] as string[]).includes(id ?? '')));
        if (q['status'] && q['status'] !== 'all') items = items.filter((a) => a['status'] === q['status']);
        items = sortBy(items, q['sort'], q['order'] ?? 'desc', {
          number: (a) => Number(a['number']), popularity: (a) => Number(a['popularity']), createdAt: (a) => String(a['createdAt']),
        });
        // List items are ArticleRefs: no text, slug, categories, related or keywords.
        const refs = items.map(({ text: _t, slug: _s, categories: _c, related: _r, keywords: _k, ...ref }) => ref);
        return docsPage('articles', refs, page, size);
      }
      if ((m = /^\/articles\/(\w+)$/.exec(p))) {
        const a = d.articles.find((x) => x['id'] === m?.[1]);
        return a ? { article: a } : null;
      }
    }
    throw new Error(`fake API: no route for ${req.api} ${p}`);
  };
  return {
    log,
    fetchPage: (req) => {
      log.push(req);
      return Promise.resolve(readPage(body(req), req));
    },
  };
}
