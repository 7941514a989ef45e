// A full export of the sandbox through the public APIs: every list endpoint
// paged one page after another with no filters (Conversations with
// status=all), children enumerated from their parents, per-item GETs where
// lists lack fields (article text, customers without embedded entries). It
// deliberately shares nothing with the fetcher but the row mapping
// (`rowsFromItems`), so comparing the engine's answers with the same SQL over
// this export shows that push-down never changes an answer.
import { catalogTable, getTable, pick, readPage, rowsFromItems, type SqlValue, type TableData, type TableDef } from '../../../../src/core/sql';
import type { HttpClient } from '../../../../src/core/http/client';

interface Group {
  readonly items: readonly unknown[];
  readonly params: Readonly<Record<string, string>>;
}

export interface SandboxExport {
  /** Raw API objects per table with the request parameters that returned them. */
  readonly groups: ReadonlyMap<string, readonly Group[]>;
  readonly requests: number;
  /** Catalog tables filled from the export; `literals` are the statement's Tag literals. */
  tables(names: readonly string[], literals?: Readonly<Record<string, readonly string[]>>): TableData[];
}

/** Tables whose filter column only has a value when the query filters on it; the export leaves it NULL. */
export const REQUEST_ECHO_NOTE = 'Users.MailboxId and Articles.CategoryId hold the request filter: not compared against the export.';

async function allPages(http: HttpClient, def: TableDef, path: string, query: Record<string, string>): Promise<{ items: unknown[]; requests: number }> {
  const list = def.list[0];
  if (!list) return { items: [], requests: 0 };
  const items: unknown[] = [];
  let requests = 0;
  for (let page = 1; ; page++) {
    const q = { ...query, page: String(page), ...(list.pageSizeParam ? { [list.pageSizeParam.name]: String(list.pageSizeParam.max) } : {}) };
    const res = await http.send({ method: 'GET', path, query: q });
    requests++;
    const r = readPage(JSON.parse(res.text), { envelope: list.envelope, single: false, page });
    items.push(...r.items);
    if (!r.hasNext || r.items.length === 0) break;
  }
  return { items, requests };
}

async function getOne(http: HttpClient, path: string, envelope: string): Promise<unknown> {
  const res = await http.send({ method: 'GET', path });
  const body: unknown = JSON.parse(res.text);
  return envelope ? pick(body, envelope) : body;
}

export async function exportSandbox(mailbox: HttpClient, docs: HttpClient): Promise<SandboxExport> {
  const groups = new Map<string, Group[]>();
  let requests = 0;
  const add = (table: string, items: readonly unknown[], params: Record<string, string> = {}): void => {
    const g = groups.get(table) ?? [];
    g.push({ items, params });
    groups.set(table, g);
  };
  const top = async (http: HttpClient, table: string, query: Record<string, string> = {}): Promise<unknown[]> => {
    const def = getTable(table);
    const r = await allPages(http, def, def.list[0]?.path ?? '', query);
    requests += r.requests;
    return r.items;
  };
  const children = async (http: HttpClient, table: string, parentIds: readonly string[], param: string): Promise<void> => {
    const def = getTable(table);
    const template = def.list[0]?.path ?? '';
    for (const id of parentIds) {
      const r = await allPages(http, def, template.replace(`{${param}}`, encodeURIComponent(id)), {});
      requests += r.requests;
      add(table, r.items, { [param]: id });
    }
  };
  const ids = (items: readonly unknown[]): string[] => items.map((i) => String(pick(i, 'id')));

  // Mailbox API
  const mailboxes = await top(mailbox, 'Mailboxes');
  add('Mailboxes', mailboxes);
  await children(mailbox, 'MailboxFolders', ids(mailboxes), 'mailboxId');
  await children(mailbox, 'MailboxFields', ids(mailboxes), 'mailboxId');
  const conversations = await top(mailbox, 'Conversations', { status: 'all' });
  add('Conversations', conversations);
  add('ConversationCustomFields', conversations);
  await children(mailbox, 'Threads', ids(conversations), 'conversationId');
  const customers: unknown[] = [];
  for (const c of await top(mailbox, 'Customers')) {
    if (c !== null && typeof c === 'object' && (c as Record<string, unknown>)['_embedded'] === undefined) {
      customers.push({ ...(c as object), ...(await getOne(mailbox, `/customers/${String(pick(c, 'id'))}`, '') as object) });
      requests++;
    } else customers.push(c);
  }
  for (const t of ['Customers', 'CustomerEmails', 'CustomerPhones', 'CustomerChats', 'CustomerSocialProfiles', 'CustomerWebsites', 'CustomerAddresses', 'CustomerProperties']) {
    add(t, customers);
  }
  add('Users', await top(mailbox, 'Users'));
  const teams = await top(mailbox, 'Teams');
  add('Teams', teams);
  await children(mailbox, 'TeamMembers', ids(teams), 'teamId');
  add('Tags', await top(mailbox, 'Tags'));
  add('Workflows', await top(mailbox, 'Workflows'));
  add('Webhooks', await top(mailbox, 'Webhooks'));

  // Docs API
  const sites = await top(docs, 'Sites');
  add('Sites', sites);
  await children(docs, 'Redirects', ids(sites), 'siteId');
  const collections = await top(docs, 'Collections');
  add('Collections', collections);
  await children(docs, 'Categories', ids(collections), 'collectionId');
  const articles: unknown[] = [];
  for (const colId of ids(collections)) {
    const r = await allPages(docs, getTable('Articles'), `/collections/${colId}/articles`, {});
    requests += r.requests;
    for (const a of r.items) {
      const full = await getOne(docs, `/articles/${String(pick(a, 'id'))}`, 'article');
      requests++;
      articles.push({ ...(a as object), ...(full as object) });
    }
  }
  add('Articles', articles, {});
  await children(docs, 'ArticleRevisions', ids(articles), 'articleId');

  return {
    groups,
    requests,
    tables(names, literals = {}) {
      return names.map((name) => {
        const def = getTable(name);
        if (def.staticRows) return catalogTable(def.name, def.staticRows().map((r) => [...r]));
        const rows: SqlValue[][] = [];
        for (const g of groups.get(def.name) ?? []) rows.push(...rowsFromItems(def, g.items, g.params, literals));
        return catalogTable(def.name, rows);
      });
    },
  };
}
