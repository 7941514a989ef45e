// The Mailboxes, Docs and Customers trees inside VS Code, against the sandbox: each level
// expands with one request, "Load more" fetches only the next page, filters change the
// request, errors become a retry row, a 429 pauses and then the tree loads. The tests drive
// the trees' models and providers (the same classes the extension registers) with the
// extension's own services, and read request counts from the sandbox's log.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HelpScoutServices } from '../../src/extension/services';
import { NotConnectedError } from '../../src/extension/services';
import { CustomerConversationsNode, CustomerDetailNode, CustomerNode, CustomersModel } from '../../src/extension/views/customers';
import { ArticleNode, CategoryNode, CollectionNode, DocsModel, SiteNode } from '../../src/extension/views/docs';
import { pauseNotice } from '../../src/extension/views';
import { ConversationNode, FolderNode, MailboxNode, MailboxesModel } from '../../src/extension/views/mailboxes';
import { ErrorNode, InfoNode, LoadMoreNode, ModelTreeProvider, type Node, type TreeModel } from '../../src/extension/views/tree';
import { clearLog, testApi, sandboxControl, sandboxInfo, sandboxLog } from './env';


let services: HelpScoutServices;
const disposables: vscode.Disposable[] = [];

/** Connects both APIs the way a user would: an access token (InitiateOAuth=OFF) and a Docs API key. */
async function connect(): Promise<void> {
  const api = await testApi();
  services = api.services;
  const creds = (await sandboxInfo())['credentials'] as { accessToken: string; docsApiKey: string };
  await vscode.commands.executeCommand('helpscout.signIn', { accessToken: creds.accessToken });
  await services.secrets.store('helpscout.docs.apiKey', creds.docsApiKey);
}

function track<T extends TreeModel>(m: T): T {
  disposables.push(m);
  return m;
}

async function childrenOf<T extends Node>(model: TreeModel, parent: Node | undefined, kind: new (...a: never[]) => T): Promise<T[]> {
  const all = await model.children(parent);
  const errors = all.filter((n) => n instanceof ErrorNode);
  assert.deepEqual(errors.map((e) => String((e as ErrorNode).error)), [], 'unexpected error row');
  return all.filter((n): n is T => n instanceof kind);
}

async function firstMailbox(model: MailboxesModel): Promise<MailboxNode> {
  const [m] = await childrenOf(model, undefined, MailboxNode);
  assert.ok(m, 'no mailbox');
  return m;
}

/** The folder of the first mailbox with the most conversations. */
async function biggestFolder(model: MailboxesModel): Promise<FolderNode> {
  const folders = await childrenOf(model, await firstMailbox(model), FolderNode);
  const f = [...folders].sort((a, b) => (b.folder.totalCount ?? 0) - (a.folder.totalCount ?? 0))[0];
  assert.ok(f, 'no folder');
  return f;
}

describe('views: browsing Help Scout', function () {
  this.timeout(60_000);

  before(connect);
  afterEach(async () => {
    await sandboxControl('knobs', { method: 'PUT', body: JSON.stringify({ errorRate: 0, force429: { next: 0, mailbox: false, docs: false } }) });
  });
  after(() => {
    for (const d of disposables.splice(0)) d.dispose();
  });

  it('shows nothing (so the welcome view shows) when not connected', async () => {
    const notConnected = {
      mailbox: () => { throw new NotConnectedError('mailbox'); },
      hasDocsKey: () => Promise.resolve(false),
      onDidChangeAccount: () => new vscode.Disposable(() => undefined),
    } as unknown as HelpScoutServices;
    assert.deepEqual(await track(new MailboxesModel(notConnected)).children(undefined), []);
    assert.deepEqual(await track(new CustomersModel(notConnected)).children(undefined), []);
    assert.deepEqual(await track(new DocsModel(notConnected)).children(undefined), []);
  });

  it('expands mailbox → folders (with counts) → conversations, one request per level', async () => {
    const model = track(new MailboxesModel(services));
    const provider = new ModelTreeProvider(model);
    await clearLog();
    const mailboxes = await childrenOf(model, undefined, MailboxNode);
    const stored = (await sandboxControl('store/mailbox/mailboxes')) as { count: number };
    assert.equal(mailboxes.length, stored.count);
    const mailbox = mailboxes[0] as MailboxNode;
    const folders = await childrenOf(model, mailbox, FolderNode);
    assert.ok(folders.length >= 5, 'too few folders');
    const folderItem = provider.getTreeItem(folders[0] as FolderNode);
    assert.match(String(folderItem.description), /^\d+ active \/ \d+$/);
    assert.equal(folderItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const log = await sandboxLog({ api: 'mailbox' });
    assert.deepEqual(log.map((e) => `${e.method} ${e.path}`), ['GET /v2/mailboxes', `GET /v2/mailboxes/${mailbox.mailbox.id}/folders`]);
  });

  it('lists a big folder newest first, 50 at a time; "Load more" fetches only the next page', async () => {
    const model = track(new MailboxesModel(services));
    const folder = await biggestFolder(model);
    assert.ok((folder.folder.totalCount ?? 0) > 100, `folder ${folder.folder.name} is too small to page`);
    await clearLog();
    const first = await model.children(folder);
    const convs = first.filter((n): n is ConversationNode => n instanceof ConversationNode);
    assert.equal(convs.length, 50);
    const dates = convs.map((c) => c.conversation.createdAt ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse(), 'not newest first');
    const more = first.at(-1);
    assert.ok(more instanceof LoadMoreNode, 'no Load more row');
    // Only this folder's requests count: the workbench's own Help Scout views may load in the background.
    const folderRequests = async (): Promise<Awaited<ReturnType<typeof sandboxLog>>> =>
      (await sandboxLog({ api: 'mailbox' })).filter((e) => e.path === '/v2/conversations' && e.query['folder'] === String(folder.folder.id));
    let log = await folderRequests();
    assert.equal(log.length, 1, `expanding cost ${log.length} requests`);
    assert.equal(log[0]?.query['status'], 'all');
    assert.equal(log[0]?.query['page'], '1');

    // Expanding again (VS Code asks again after a collapse) answers from memory.
    await model.children(folder);
    let changed: Node | undefined | 'none' = 'none';
    const sub = model.onDidChange((n) => { changed = n; });
    await model.loadMore(more);
    sub.dispose();
    assert.equal(changed, folder, 'load more must refresh only its parent');
    const second = await model.children(folder);
    assert.equal(second.filter((n) => n instanceof ConversationNode).length, 100);
    log = await folderRequests();
    assert.deepEqual(log.map((e) => e.query['page']), ['1', '2']);
    const ids = new Set(second.map((n) => n.id));
    assert.equal(ids.size, second.length, 'ids must be unique');
  });

  it('keeps ids stable across a refresh, so expansion survives', async () => {
    const model = track(new MailboxesModel(services));
    const folder = await biggestFolder(model);
    const before = (await model.children(folder)).map((n) => n.id);
    model.refresh();
    const again = await biggestFolder(model);
    assert.equal(again.id, folder.id);
    assert.deepEqual((await model.children(again)).map((n) => n.id), before);
  });

  it('conversation rows show number, subject, customer, status icon, tags and age; tooltip has preview, assignee, waiting', async () => {
    const model = track(new MailboxesModel(services));
    const provider = new ModelTreeProvider(model);
    const mailbox = await firstMailbox(model);
    const folders = await childrenOf(model, mailbox, FolderNode);
    model.setFilter({ tag: 'security-test' });
    let row: ConversationNode | undefined;
    for (const f of folders) {
      row = (await childrenOf(model, f, ConversationNode)).find((c) => c.conversation.subject === 'Security test: hostile HTML');
      if (row) break;
    }
    assert.ok(row, 'the hostile conversation is not in any folder of the first mailbox');
    const item = provider.getTreeItem(row);
    assert.equal(item.label, `#${row.conversation.number} Security test: hostile HTML`);
    assert.match(String(item.description), /#security-test/);
    assert.match(String(item.description), /\d+[mhdwy]$/);
    assert.ok(item.iconPath instanceof vscode.ThemeIcon);
    assert.equal(item.command?.command, 'helpscout.conversation.open');
    assert.equal(item.tooltip, undefined, 'tooltips are built in resolveTreeItem');
    const resolved = provider.resolveTreeItem(item, row);
    // appendText escapes the text for Markdown (spaces as &nbsp;, punctuation with backslashes).
    const tip = (resolved.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(tip, /Assignee: nobody/);
    assert.match(tip, /Waiting: /);
    assert.match(tip, /Hello, please look at this/);
    assert.doesNotMatch(tip, /<script/i, 'the preview must be plain text');
  });

  it('filters change what is fetched: status, tag, assignee and search text', async () => {
    const model = track(new MailboxesModel(services));
    const folder = await biggestFolder(model);
    const mailboxId = folder.parent.mailbox.id;

    model.setFilter({ status: 'pending' });
    await clearLog();
    const pending = await childrenOf(model, folder, ConversationNode);
    let log = await sandboxLog({ api: 'mailbox', path: '/v2/conversations' });
    assert.equal(log[0]?.query['status'], 'pending');
    assert.ok(pending.every((c) => c.conversation.status === 'pending'));

    const users = await services.mailbox().listUsers({ mailbox: mailboxId }).toArray();
    const user = users[0];
    assert.ok(user);
    const assignedFolder = (await childrenOf(model, folder.parent, FolderNode)).find((f) => f.folder.type === 'closed') ?? folder;
    model.setFilter({ assignee: { id: user.id, name: 'someone' } });
    await clearLog();
    const assigned = await childrenOf(model, assignedFolder, ConversationNode);
    log = await sandboxLog({ api: 'mailbox', path: '/v2/conversations' });
    assert.equal(log[0]?.query['assigned_to'], String(user.id));
    assert.ok(assigned.every((c) => c.conversation.assignee?.id === user.id));

    model.setFilter({ text: 'hostile' });
    const unassigned = (await childrenOf(model, folder.parent, FolderNode)).find((f) => f.folder.type === 'open');
    assert.ok(unassigned);
    await clearLog();
    const found = await childrenOf(model, unassigned, ConversationNode);
    log = await sandboxLog({ api: 'mailbox', path: '/v2/conversations' });
    assert.equal(log[0]?.query['query'], '(hostile)');
    assert.ok(found.some((c) => c.conversation.subject === 'Security test: hostile HTML'));

    model.setFilter({ tag: 'no-such-tag-anywhere' });
    const none = await model.children(unassigned);
    assert.equal(none.length, 1);
    assert.ok(none[0] instanceof InfoNode, 'an empty filtered folder shows a note');
    log = await sandboxLog({ api: 'mailbox', path: '/v2/conversations' });
    assert.equal(log.at(-1)?.query['tag'], 'no-such-tag-anywhere');
  });

  it('shows an error row with retry on a server error, and recovers on retry', async () => {
    const model = track(new MailboxesModel(services));
    const provider = new ModelTreeProvider(model);
    await sandboxControl('knobs', { method: 'PUT', body: JSON.stringify({ errorRate: 1 }) });
    const rows = await model.children(undefined);
    assert.equal(rows.length, 1);
    const err = rows[0];
    assert.ok(err instanceof ErrorNode, 'expected an error row');
    const item = provider.getTreeItem(err);
    assert.equal(item.command?.command, 'helpscout.retry');
    assert.equal(item.contextValue, 'error');
    await sandboxControl('knobs', { method: 'PUT', body: JSON.stringify({ errorRate: 0 }) });
    await model.retry(err);
    assert.ok((await childrenOf(model, undefined, MailboxNode)).length > 0);
  });

  it('pauses on a forced 429, says so in the view, then loads', async () => {
    const model = track(new MailboxesModel(services));
    const folder = await biggestFolder(model);
    const messages: (string | undefined)[] = [];
    const notice = pauseNotice(services.mailboxGovernor, (m) => messages.push(m));
    disposables.push(notice);
    await sandboxControl('knobs', { method: 'PUT', body: JSON.stringify({ force429: { next: 2, retryAfterSeconds: 1 } }) });
    await clearLog();
    const convs = await childrenOf(model, folder, ConversationNode);
    notice.dispose();
    assert.equal(convs.length, 50);
    const statuses = (await sandboxLog({ api: 'mailbox' })).map((e) => e.status);
    assert.deepEqual(statuses, [429, 429, 200]);
    assert.match(String(messages[0]), /rate limiting requests; resuming in \d+ s/);
    assert.equal(messages.at(-1), undefined, 'the message clears when requests resume');
  });

  it('Docs: sites → collections → categories → articles with status badges; one request per level', async () => {
    const model = track(new DocsModel(services));
    const provider = new ModelTreeProvider(model);
    await clearLog();
    const [site] = await childrenOf(model, undefined, SiteNode);
    assert.ok(site, 'no site');
    const [collection] = await childrenOf(model, site, CollectionNode);
    assert.ok(collection, 'no collection');
    const categories = await childrenOf(model, collection, CategoryNode);
    const category = categories.find((c) => (c.category.articleCount ?? 0) > 0);
    assert.ok(category, 'no category with articles');
    const articles = await childrenOf(model, category, ArticleNode);
    assert.ok(articles.length > 0);
    const log = await sandboxLog({ api: 'docs' });
    assert.equal(log.length, 4, `browsing to articles cost ${log.length} requests`);
    const item = provider.getTreeItem(articles[0] as ArticleNode);
    assert.match(String(item.description), /published/);
    assert.equal(item.command?.command, 'helpscout.docs.openArticle');
    const drafts = articles.filter((a) => a.article.hasDraft);
    for (const d of drafts) assert.match(String(provider.getTreeItem(d).description), /draft/);

    // The article status filter goes into the request.
    model.setFilter({ status: 'notpublished' });
    await clearLog();
    const [site2] = await childrenOf(model, undefined, SiteNode);
    const [col2] = await childrenOf(model, site2, CollectionNode);
    const cat2 = (await childrenOf(model, col2, CategoryNode)).find((c) => c.id.endsWith(category.category.id));
    assert.ok(cat2);
    const unpublished = await childrenOf(model, cat2, ArticleNode);
    assert.ok(unpublished.every((x) => x.article.status === 'notpublished'));
    const articleReq = (await sandboxLog({ api: 'docs' })).find((e) => e.path.endsWith('/articles'));
    assert.equal(articleReq?.query['status'], 'notpublished');
  });

  it('Docs: opening an article from the tree opens its document', async () => {
    const model = track(new DocsModel(services));
    const [site] = await childrenOf(model, undefined, SiteNode);
    const [collection] = await childrenOf(model, site, CollectionNode);
    const category = (await childrenOf(model, collection, CategoryNode)).find((c) => (c.category.articleCount ?? 0) > 0);
    const [article] = await childrenOf(model, category, ArticleNode);
    assert.ok(article);
    await vscode.commands.executeCommand('helpscout.docs.openArticle', article);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.ok(['helpscout-docs', 'helpscout-docs-preview'].includes(editor.document.uri.scheme), editor.document.uri.toString());
    assert.match(editor.document.getText(), new RegExp(`id: ${article.article.id}`));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Customers: search by email (API query), details, and their recent conversations', async () => {
    const model = track(new CustomersModel(services));
    const provider = new ModelTreeProvider(model);
    const all = await childrenOf(model, undefined, CustomerNode);
    assert.equal(all.length, 50);
    const someone = all.find((c) => (c.customer._embedded?.emails ?? []).length > 0);
    const email = someone?.customer._embedded?.emails?.[0]?.value;
    assert.ok(someone && email);
    model.setSearch(email);
    await clearLog();
    const found = await childrenOf(model, undefined, CustomerNode);
    assert.ok(found.some((c) => c.customer.id === someone.customer.id));
    let log = await sandboxLog({ api: 'mailbox' });
    assert.equal(log.length, 1);
    assert.equal(log[0]?.query['query'], `(email:"${email}")`);

    const node = found.find((c) => c.customer.id === someone.customer.id) as CustomerNode;
    const details = await model.children(node);
    const emailRow = details.find((d) => d instanceof CustomerDetailNode && d.value === email);
    assert.ok(emailRow, 'no email row');
    assert.match(String(provider.getTreeItem(emailRow).description), /\w/);
    const convNode = details.find((d): d is CustomerConversationsNode => d instanceof CustomerConversationsNode);
    assert.ok(convNode, 'no recent conversations node');
    await clearLog();
    const convs = await model.children(convNode);
    log = await sandboxLog({ api: 'mailbox' });
    assert.equal(log.length, 1);
    assert.equal(log[0]?.query['status'], 'all');
    assert.match(log[0]?.query['query'] ?? '', /email:/);
    for (const c of convs.filter((n): n is ConversationNode => n instanceof ConversationNode)) {
      assert.equal(c.conversation.primaryCustomer?.id, someone.customer.id);
    }
  });
});
