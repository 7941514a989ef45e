// The `helpscout-docs` file system inside VS Code, against the sandbox: reading and
// listing, saving edits, refusing to overwrite a concurrent change, drafts, creating,
// renaming and deleting articles, local history, and article links in the preview.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { clearLog, sandboxLog, testApi, sandboxInfo } from './env';


interface StoredArticle {
  id: string;
  number: number;
  collectionId: string;
  name: string;
  slug: string;
  status: string;
  text: string;
  draft: string | null;
  categories: string[];
  updatedAt: string | null;
}

interface Ref { id: string; number: number; status: string; hasDraft?: boolean; slug?: string; updatedAt?: string | null }

let docsBase = '';
let apiKey = '';

/** Calls the sandbox's Docs API directly, as another Help Scout user would. */
async function docsApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${docsBase}${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(res.ok, `${method} ${path}: HTTP ${res.status}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The article as the sandbox stores it now (draft included), or undefined when deleted. */
async function stored(id: string): Promise<StoredArticle | undefined> {
  const res = await fetch(`${(await sandboxInfo())['baseUrl'] as string}/__sandbox/store/docs/articles/${id}`);
  if (res.status === 404) return undefined;
  assert.ok(res.ok, `store/docs/articles/${id}: HTTP ${res.status}`);
  return (await res.json()) as StoredArticle;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Articles of the seed to work on: published, in a real category, no draft; each test takes its own. */
const pool: { ref: Ref; categoryId: string; collectionId: string }[] = [];
function take(): { ref: Ref; categoryId: string; collectionId: string } {
  const a = pool.shift();
  assert.ok(a, 'the seed has too few published articles in categories');
  return a;
}

async function openArticle(id: string, draft?: boolean): Promise<vscode.TextDocument> {
  const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('helpscout.openArticle', id, draft === undefined ? {} : { draft });
  assert.ok(uri, `helpscout.openArticle ${id} opened nothing`);
  assert.equal(uri.scheme, 'helpscout-docs');
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  assert.ok(doc, 'the article document is not open');
  return doc;
}

async function append(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, doc.positionAt(doc.getText().length), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** `TextDocument.save()`: true when saved; false (or a rejection) when the provider refused. */
async function trySave(doc: vscode.TextDocument): Promise<boolean> {
  try {
    return await doc.save();
  } catch (e) {
    console.log(`[integration] save of ${doc.uri.toString()} rejected: ${String(e)}`);
    return false;
  }
}

const isNotFound = (e: unknown): boolean => e instanceof vscode.FileSystemError && e.code === 'FileNotFound';

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('docs file system', function () {
  this.timeout(60_000);

  before(async () => {
    const api = await testApi();
    const info = await sandboxInfo();
    docsBase = String(info['docsBaseUrl']).replace(/\/$/, '');
    apiKey = String((info['credentials'] as Record<string, unknown>)['docsApiKey']);
    await api.services.secrets.store('helpscout.docs.apiKey', apiKey);
    // The built-in Markdown extension activates on the first Markdown document and joins the
    // first save (onWillSaveTextDocument); on a busy machine that first activation can outlast
    // VS Code's save-participant budget, which fails that save. Activate it up front.
    await vscode.extensions.getExtension('vscode.markdown-language-features')?.activate();
    // Pick published articles without drafts that sit in a real category.
    const sites = await docsApi<{ sites: { items: { id: string }[] } }>('GET', '/sites');
    for (const site of sites.sites.items) {
      const cols = await docsApi<{ collections: { items: { id: string }[] } }>('GET', `/collections?siteId=${site.id}`);
      for (const col of cols.collections.items) {
        const cats = await docsApi<{ categories: { items: { id: string; slug: string }[] } }>('GET', `/collections/${col.id}/categories`);
        for (const cat of cats.categories.items.filter((c) => c.slug !== 'uncategorized')) {
          const arts = await docsApi<{ articles: { items: Ref[] } }>('GET', `/categories/${cat.id}/articles?pageSize=100&status=published`);
          for (const ref of arts.articles.items) {
            if (!ref.hasDraft && !pool.some((p) => p.ref.id === ref.id)) pool.push({ ref, categoryId: cat.id, collectionId: col.id });
          }
        }
        if (pool.length > 45) return;
      }
    }
  });

  afterEach(closeAll);

  /** The file of an article (in its first category's folder), without leaving an editor open. */
  async function fileOf(id: string): Promise<vscode.Uri> {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('helpscout.openArticle', id);
    await closeAll();
    return uri;
  }

  /** One of `take()`'s articles, in exactly its own category: it has one file. */
  async function inOneCategory(): Promise<{ id: string; uri: vscode.Uri }> {
    const { ref, categoryId } = take();
    await docsApi('PUT', `/articles/${ref.id}`, { categories: [categoryId] });
    return { id: ref.id, uri: await fileOf(ref.id) };
  }

  /** One of `take()`'s articles, put in a second category of its collection: it has a file in each. */
  async function inTwoCategories(): Promise<{ id: string; first: string; second: string; firstUri: vscode.Uri; secondUri: vscode.Uri }> {
    const { ref, categoryId, collectionId } = take();
    const cats = await docsApi<{ categories: { items: { id: string; slug: string; name: string }[] } }>('GET', `/collections/${collectionId}/categories`);
    const other = cats.categories.items.find((c) => c.slug !== 'uncategorized' && c.id !== categoryId);
    assert.ok(other, 'the collection has a second category');
    await docsApi('PUT', `/articles/${ref.id}`, { categories: [categoryId, other.id] });
    const firstUri = await fileOf(ref.id);
    const parts = firstUri.path.split('/');
    parts[3] = other.name;
    const secondUri = firstUri.with({ path: parts.join('/') });
    assert.equal((await vscode.workspace.fs.stat(secondUri)).type, vscode.FileType.File, `${secondUri.path} is not a file`);
    return { id: ref.id, first: categoryId, second: other.id, firstUri, secondUri };
  }

  it('lists sites, collections and categories, and an article file with mtime = updatedAt', async () => {
    const { ref } = take();
    const root = vscode.Uri.parse('helpscout-docs:/');
    const sites = await vscode.workspace.fs.readDirectory(root);
    assert.ok(sites.length > 0 && sites.every(([, t]) => t === vscode.FileType.Directory));
    const doc = await openArticle(ref.id);
    const dir = vscode.Uri.joinPath(doc.uri, '..');
    const names = (await vscode.workspace.fs.readDirectory(dir)).map(([n]) => n);
    assert.ok(names.includes(doc.uri.path.split('/').pop() ?? ''), `${dir.path} does not list ${doc.uri.path}`);
    const art = await stored(ref.id);
    const st = await vscode.workspace.fs.stat(doc.uri);
    assert.equal(st.mtime, Date.parse(art?.updatedAt ?? ''));
    assert.match(doc.getText(), new RegExp(`^---\\n[\\s\\S]*id: ${ref.id}\\n`));
    assert.equal(doc.languageId, 'markdown');
  });

  it('refuses to create folders', async () => {
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.createDirectory(vscode.Uri.parse('helpscout-docs:/x/y/z'))),
      /collections and categories/i,
    );
  });

  it('saving a published article saves its draft: the live text does not change, and the draft opens', async () => {
    const { ref } = take();
    const live = (await stored(ref.id))?.text;
    const doc = await openArticle(ref.id);
    const marker = `Edited in VS Code ${Date.now()}`;
    await append(doc, `\n${marker}\n`);
    assert.equal(await trySave(doc), true);
    const after = await stored(ref.id);
    assert.ok(after);
    assert.equal(after.text, live, 'the save changed what customers see');
    assert.ok((after.draft ?? '').includes(`<p>${marker}</p>`), 'the draft does not hold the edit');
    const draftUri = doc.uri.with({ query: 'draft' });
    await until('the draft to open as the active editor', () => vscode.window.activeTextEditor?.document.uri.toString() === draftUri.toString());
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', new RegExp(marker));
  });

  it('with saveBehavior "publish", a save publishes once the writer agreed, and the front matter gets the new updatedAt', async () => {
    const api = await testApi();
    const config = vscode.workspace.getConfiguration('helpscout');
    await config.update('docs.saveBehavior', 'publish', vscode.ConfigurationTarget.Global);
    try {
      await until('the setting to be read', () => api.services.settings.docsSaveBehavior === 'publish');
      // The writer answered "Publish" to "Publish to customers now?" (asked once per session).
      api.docs.answerPublishQuestion('publish');
      const { ref } = take();
      const doc = await openArticle(ref.id);
      const marker = `Published from VS Code ${Date.now()}`;
      await append(doc, `\n${marker}\n`);
      assert.equal(await trySave(doc), true);
      const after = await stored(ref.id);
      assert.ok(after);
      assert.ok(after.text.includes(`<p>${marker}</p>`), 'the sandbox does not hold the edit');
      assert.equal(after.draft, null);
      const newUpdatedAt = after.updatedAt ?? '';
      await until('front matter updatedAt to be refreshed', () => doc.getText().includes(newUpdatedAt) && !doc.isDirty);
      const st = await vscode.workspace.fs.stat(doc.uri);
      assert.equal(st.mtime, Date.parse(after.updatedAt ?? ''));

      // Answering "Save as Draft" keeps the live text.
      api.docs.answerPublishQuestion('draft');
      const other = take().ref;
      const live = (await stored(other.id))?.text;
      const doc2 = await openArticle(other.id);
      await append(doc2, '\nKept in the draft\n');
      assert.equal(await trySave(doc2), true);
      assert.equal((await stored(other.id))?.text, live);
      assert.match((await stored(other.id))?.draft ?? '', /Kept in the draft/);
    } finally {
      await config.update('docs.saveBehavior', undefined, vscode.ConfigurationTarget.Global);
      api.docs.answerPublishQuestion(undefined);
    }
  });

  it('a name change on a published article is not saved to the draft or made live by a save', async () => {
    const { ref } = take();
    const before = await stored(ref.id);
    const doc = await openArticle(ref.id);
    const text = doc.getText().replace(/^name: .*$/m, 'name: Renamed by a save');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    await vscode.workspace.applyEdit(edit);
    assert.equal(await trySave(doc), false);
    assert.deepEqual(await stored(ref.id), before);
  });

  it('the live file and the draft file are told apart: decoration, status bar and context key', async () => {
    const api = await testApi();
    const { ref } = take();
    const doc = await openArticle(ref.id, false);
    await until('the live indicator', () => api.docs.indicator.active.kind === 'live');
    assert.match(api.docs.indicator.active.text, /Docs: live — saving creates a draft/);
    assert.equal(api.docs.indicator.provideFileDecoration(doc.uri)?.badge, 'L');
    const draftDoc = await openArticle(ref.id, true);
    await until('the draft indicator', () => api.docs.indicator.active.kind === 'draft');
    assert.match(api.docs.indicator.active.text, /Docs: draft — saving updates the draft/);
    assert.equal(api.docs.indicator.provideFileDecoration(draftDoc.uri)?.badge, 'D');
  });

  it('Search Docs: one request per pause in typing, the sandbox\'s matches, and a result opens its file', async () => {
    const api = await testApi();
    const { ref } = take();
    const art = await docsApi<{ article: { name: string } }>('GET', `/articles/${ref.id}`);
    const word = art.article.name.split(/\s+/).sort((a, b) => b.length - a.length)[0] ?? art.article.name;
    const expected = await docsApi<{ articles: { items: { id: string }[] } }>('GET', `/search/articles?query=${encodeURIComponent(word)}`);
    await vscode.commands.executeCommand('helpscout.docs.search');
    const session = await until('the search picker', () => api.docs.searchSession());
    await clearLog();
    // Keystrokes in quick succession: only the last value is searched.
    for (let i = 1; i <= word.length; i++) session.type(word.slice(0, i));
    await until('the results', async () => session.picker.busy ? undefined : session.picker.items.length > 0);
    const items = await session.lastSearch;
    const requests = (await sandboxLog({ api: 'docs' })).filter((e) => e.path.endsWith('/search/articles'));
    assert.equal(requests.length, 1, `expected one search request, got ${requests.length}`);
    assert.equal(requests[0]?.query['query'], word);
    assert.deepEqual(items.map((i) => i.article?.id), expected.articles.items.map((a) => a.id));
    const target = items.find((i) => i.article?.id === ref.id);
    assert.ok(target, 'the article is not among the results');
    assert.ok((target.description ?? '').length > 0, 'the result does not say where the article lives');
    // What VS Code's accept (Enter or a click on the row) calls.
    await session.choose(target);
    await until('the article file to open', () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      return uri?.scheme === 'helpscout-docs' && uri.path.endsWith(`-${ref.id}.md`);
    });
  });

  it('the Docs tree follows a save to the draft and a Publish made from the editor', async () => {
    const api = await testApi();
    const { ref, categoryId, collectionId } = take();
    const model = api.views.docs;
    // Expand the tree down to the article's category, as the writer would. (Nodes are matched by
    // their data: the test bundle's classes are not the extension's.)
    type TreeNode = Parameters<typeof model.children>[0];
    let category: TreeNode;
    for (const site of await model.children(undefined)) {
      for (const col of await model.children(site)) {
        if ((col as { collection?: { id: string } }).collection?.id !== collectionId || (col as { kind?: string }).kind !== 'collection') continue;
        for (const cat of await model.children(col)) {
          if ((cat as { category?: { id: string } }).category?.id === categoryId && (cat as { kind?: string }).kind === 'category') category = cat;
        }
      }
    }
    assert.ok(category, 'the category is not in the tree');
    const row = async (): Promise<{ hasDraft: boolean; status: string } | undefined> => {
      const nodes = await model.children(category);
      const n = nodes.find((x) => (x as { article?: { id: string } }).article?.id === ref.id) as { article: { hasDraft: boolean; status: string } } | undefined;
      return n?.article;
    };
    assert.equal((await row())?.hasDraft, false);
    const doc = await openArticle(ref.id);
    await append(doc, '\nA draft the tree should show\n');
    assert.equal(await trySave(doc), true);
    await until('the tree to show the draft', async () => (await row())?.hasDraft === true);
    const draftUri = doc.uri.with({ query: 'draft' });
    await vscode.commands.executeCommand('helpscout.docs.publish', draftUri);
    await until('the tree to show the article published without a draft', async () => {
      const r = await row();
      return r?.hasDraft === false && r.status === 'published';
    });
  });

  it('an unedited save sends nothing', async () => {
    const { ref } = take();
    const before = await stored(ref.id);
    const doc = await openArticle(ref.id);
    await append(doc, ' ');
    const edit = new vscode.WorkspaceEdit();
    edit.delete(doc.uri, new vscode.Range(doc.positionAt(doc.getText().length - 1), doc.positionAt(doc.getText().length)));
    await vscode.workspace.applyEdit(edit);
    await trySave(doc);
    assert.equal((await stored(ref.id))?.updatedAt, before?.updatedAt);
  });

  it('a concurrent change in Help Scout: the save is refused and nothing is overwritten; Overwrite then saves', async () => {
    const { ref } = take();
    const doc = await openArticle(ref.id);
    await append(doc, '\nMy local edit\n');
    await docsApi('PUT', `/articles/${ref.id}`, { text: '<p>Changed by a colleague</p>' });
    const concurrent = await stored(ref.id);
    assert.equal(await trySave(doc), false);
    const after = await stored(ref.id);
    assert.equal(after?.text, '<p>Changed by a colleague</p>');
    assert.equal(after.updatedAt, concurrent?.updatedAt);
    assert.ok(doc.isDirty, 'the edit should still be in the editor');
    // The writer chooses "Overwrite".
    assert.equal(await vscode.commands.executeCommand('helpscout.docs.overwrite', doc.uri, concurrent?.updatedAt ?? null), true);
    // Saving a published article goes to its draft.
    assert.match((await stored(ref.id))?.draft ?? '', /My local edit/);
  });

  it('the conflict check uses the remembered updatedAt, not an edited front matter value', async () => {
    const { ref } = take();
    const doc = await openArticle(ref.id);
    await docsApi('PUT', `/articles/${ref.id}`, { keywords: ['changed-elsewhere'] });
    const server = await stored(ref.id);
    // The writer pastes the server's new updatedAt into the front matter.
    const text = doc.getText().replace(/^updatedAt: .*$/m, `updatedAt: ${server?.updatedAt ?? ''}`);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), `${text}\nSneaky edit\n`);
    await vscode.workspace.applyEdit(edit);
    assert.equal(await trySave(doc), false);
    assert.doesNotMatch((await stored(ref.id))?.text ?? '', /Sneaky edit/);
  });

  it('Compare with Server opens a diff with the server version on the left', async () => {
    const { ref } = take();
    const doc = await openArticle(ref.id);
    await vscode.commands.executeCommand('helpscout.docs.compareWithServer', doc.uri);
    const tab = await until('the diff tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.ok(tab.input instanceof vscode.TabInputTextDiff, 'the active tab is not a diff');
    assert.equal(tab.input.original.scheme, 'helpscout-docs-server');
    assert.equal(tab.input.modified.toString(), doc.uri.toString());
    const left = await vscode.workspace.openTextDocument(tab.input.original);
    assert.match(left.getText(), new RegExp(`id: ${ref.id}`));
  });

  it('Save as Draft keeps the live text; saving the draft file updates the draft; Publish makes it live', async () => {
    const { ref } = take();
    const live = (await stored(ref.id))?.text;
    const doc = await openArticle(ref.id);
    await append(doc, '\nDraft paragraph one\n');
    const draftUri = await vscode.commands.executeCommand<vscode.Uri>('helpscout.docs.saveAsDraft', doc.uri);
    assert.equal(draftUri.query, 'draft');
    let art = await stored(ref.id);
    assert.equal(art?.text, live, 'the live text changed');
    assert.match(art?.draft ?? '', /Draft paragraph one/);

    const draftDoc = await until('the draft document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === draftUri.toString()));
    assert.match(draftDoc.getText(), /Draft paragraph one/);
    await append(draftDoc, '\nDraft paragraph two\n');
    assert.equal(await trySave(draftDoc), true);
    art = await stored(ref.id);
    assert.equal(art?.text, live, 'saving the draft file changed the live text');
    assert.match(art?.draft ?? '', /Draft paragraph two/);

    await vscode.commands.executeCommand('helpscout.docs.publish', draftUri);
    art = await stored(ref.id);
    assert.match(art?.text ?? '', /Draft paragraph two/);
    assert.equal(art?.draft, null);
    assert.equal(art?.status, 'published');
  });

  it('opening an article with a draft opens the draft; saving the live file asks before replacing it', async () => {
    const { ref } = take();
    await docsApi('PUT', `/articles/${ref.id}/drafts`, { text: '<p>Pending draft</p>' });
    const draftDoc = await openArticle(ref.id);
    assert.equal(draftDoc.uri.query, 'draft');
    assert.match(draftDoc.getText(), /Pending draft/);

    const doc = await openArticle(ref.id, false);
    await append(doc, '\nLive edit\n');
    assert.equal(await trySave(doc), false, 'the save should wait for the writer to agree');
    let art = await stored(ref.id);
    assert.equal(art?.draft, '<p>Pending draft</p>');
    assert.doesNotMatch(art?.text ?? '', /Live edit/);
    // "Save and Discard Draft"
    assert.equal(await vscode.commands.executeCommand('helpscout.docs.saveDiscardingDraft', doc.uri), true);
    art = await stored(ref.id);
    assert.doesNotMatch(art?.text ?? '', /Live edit/);
    assert.match(art?.draft ?? '', /Live edit/);
  });

  it('Discard Draft deletes the draft and keeps it in local history; Restore Previous Version brings it back', async () => {
    const { ref } = take();
    await docsApi('PUT', `/articles/${ref.id}/drafts`, { text: '<p>Draft worth keeping</p>' });
    const draftDoc = await openArticle(ref.id, true);
    await vscode.commands.executeCommand('helpscout.docs.discardDraft', draftDoc.uri);
    assert.equal((await stored(ref.id))?.draft, null);

    const doc = await until('the live document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === draftDoc.uri.with({ query: '' }).toString()));
    assert.doesNotMatch(doc.getText(), /Draft worth keeping/);
    // The newest history entry is the discarded draft.
    const restored = await vscode.commands.executeCommand<boolean>('helpscout.docs.restorePreviousVersion', doc.uri, 'latest');
    assert.equal(restored, true);
    assert.match(doc.getText(), /Draft worth keeping/);
    assert.match(doc.getText(), new RegExp(`^---\\n[\\s\\S]*id: ${ref.id}`), 'the front matter is kept');
    assert.equal(await trySave(doc), true);
    assert.match((await stored(ref.id))?.draft ?? '', /Draft worth keeping/);
  });

  it('New Article: saving the document creates the article and opens its file', async () => {
    const { categoryId, collectionId } = take();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('helpscout.docs.newArticle', { collectionId, categoryId });
    const doc = await until('the new article document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
    const name = `Created from VS Code ${Date.now()}`;
    const text = doc.getText().replace(/^name: .*$/m, `name: ${name}`).replace('Write the article here.', 'A **new** article.');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    await vscode.workspace.applyEdit(edit);
    assert.equal(await trySave(doc), true);
    const list = await docsApi<{ articles: { items: Ref[] } }>('GET', `/categories/${categoryId}/articles?pageSize=100&sort=createdAt&order=desc`);
    const created = list.articles.items.find((a) => (a as Ref & { name: string }).name === name);
    assert.ok(created, 'the sandbox has no article with the new name in that category');
    const art = await stored(created.id);
    assert.equal(art?.text, '<p>A <strong>new</strong> article.</p>');
    assert.equal(art.status, 'notpublished');
    const opened = await until('the created article file', () => vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`-${created.id}.md`)));
    assert.match(opened.getText(), new RegExp(`id: ${created.id}`));
  });

  it('rename changes the slug (and a plain name renames the article)', async () => {
    const { ref } = take();
    const doc = await openArticle(ref.id);
    await closeAll();
    const dir = vscode.Uri.joinPath(doc.uri, '..');
    const newUri = vscode.Uri.joinPath(dir, `renamed-by-vscode-${ref.id}.md`);
    await vscode.workspace.fs.rename(doc.uri, newUri);
    assert.equal((await stored(ref.id))?.slug, 'renamed-by-vscode');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(doc.uri)), (e: unknown) => e instanceof vscode.FileSystemError && e.code === 'FileNotFound');
    assert.equal((await vscode.workspace.fs.stat(newUri)).type, vscode.FileType.File);

    await vscode.workspace.fs.rename(newUri, vscode.Uri.joinPath(dir, 'A Better Title.md'));
    const art = await stored(ref.id);
    assert.equal(art?.name, 'A Better Title');
    assert.equal(art.slug, 'a-better-title');
  });

  it("the explorer's Delete of an article's only file deletes the article", async () => {
    const a = await inOneCategory();
    // The explorer deletes through a workspace edit, which VS Code announces (onWillDeleteFiles).
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(a.uri);
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    assert.equal(await stored(a.id), undefined);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(a.uri)));
  });

  it("a delete VS Code does not announce (a program, or the first half of a move) never deletes an article's only file", async () => {
    const a = await inOneCategory();
    const before = await stored(a.id);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.delete(a.uri)),
      (e: unknown) => e instanceof vscode.FileSystemError && e.code === 'NoPermissions' && /Delete Article/.test(e.message),
    );
    assert.deepEqual(await stored(a.id), before);
  });

  describe('an article in several categories has one file in each', () => {
    it('moving its file onto its own file in another category (replace) keeps the article, now in that category only', async () => {
      const a = await inTwoCategories();
      await vscode.workspace.fs.rename(a.firstUri, a.secondUri, { overwrite: true });
      const art = await stored(a.id);
      assert.ok(art, 'the article was deleted');
      assert.deepEqual(art.categories, [a.second]);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(a.firstUri)), isNotFound);
      assert.equal((await vscode.workspace.fs.stat(a.secondUri)).type, vscode.FileType.File);
    });

    it('the same move step by step, as VS Code makes it (delete the target, then rename), does the same', async () => {
      const a = await inTwoCategories();
      await vscode.workspace.fs.delete(a.secondUri);
      await vscode.workspace.fs.rename(a.firstUri, a.secondUri);
      const art = await stored(a.id);
      assert.ok(art, 'the article was deleted');
      assert.deepEqual(art.categories, [a.second]);
    });

    it('deleting one of its files takes it out of that category only', async () => {
      const a = await inTwoCategories();
      await vscode.workspace.fs.delete(a.secondUri);
      const art = await stored(a.id);
      assert.ok(art, 'the article was deleted');
      assert.deepEqual(art.categories, [a.first]);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(a.secondUri)), isNotFound);
      assert.equal((await vscode.workspace.fs.stat(a.firstUri)).type, vscode.FileType.File);
      const listed = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(a.secondUri, '..'))).map(([n]) => n);
      assert.ok(!listed.includes(a.secondUri.path.split('/').pop() ?? ''), 'the folder still lists the file');
    });

    it("the explorer's Delete of one of its files also takes it out of that category only", async () => {
      const a = await inTwoCategories();
      const edit = new vscode.WorkspaceEdit();
      edit.deleteFile(a.firstUri);
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      assert.deepEqual((await stored(a.id))?.categories, [a.second]);
    });

    it('Delete Article (confirmed) deletes it from every category', async () => {
      const a = await inTwoCategories();
      await vscode.commands.executeCommand('helpscout.docs.deleteArticle', a.secondUri, { confirmed: true });
      assert.equal(await stored(a.id), undefined);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(a.firstUri)));
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(a.secondUri)));
    });
  });

  describe('a move or rename never replaces another article', () => {
    const refused = (e: unknown): boolean => e instanceof vscode.FileSystemError && /another article|Delete Article/.test(e.message);

    it("onto the only file of another article: refused, and neither article changes", async () => {
      const [a, b] = [await inOneCategory(), await inOneCategory()];
      const before = [await stored(a.id), await stored(b.id)];
      await assert.rejects(Promise.resolve(vscode.workspace.fs.rename(a.uri, b.uri, { overwrite: true })), refused);
      assert.deepEqual([await stored(a.id), await stored(b.id)], before);
    });

    it('onto one file of an article in several categories: refused, and that article keeps its categories', async () => {
      const [a, b] = [await inOneCategory(), await inTwoCategories()];
      const before = await stored(a.id);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.rename(a.uri, b.secondUri, { overwrite: true })), refused);
      assert.deepEqual((await stored(b.id))?.categories, [b.first, b.second]);
      assert.deepEqual(await stored(a.id), before);
      assert.equal((await vscode.workspace.fs.stat(b.secondUri)).type, vscode.FileType.File);
    });
  });

  it('the Markdown preview links other articles to their helpscout-docs files', async () => {
    const [{ ref: target }, { ref: source }] = [take(), take()];
    const targetUri = await vscode.commands.executeCommand<vscode.Uri>('helpscout.openArticle', target.id);
    const publicUrl = (await docsApi<{ article: { publicUrl: string } }>('GET', `/articles/${target.id}`)).article.publicUrl;
    const doc = await openArticle(source.id);
    await append(doc, `\nSee [the other one](${publicUrl}).\n`);
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', doc);
    const m = /href="([^"]*)"[^>]*>the other one</.exec(html);
    assert.ok(m, `no link in the rendered preview: ${html.slice(-400)}`);
    const href = m[1] ?? '';
    assert.notEqual(href, publicUrl, `the link was not rewritten: ${html.slice(-300)}`);
    const resolved = href.startsWith('helpscout-docs:') ? vscode.Uri.parse(href) : vscode.Uri.joinPath(doc.uri, '..', decodeURIComponent(href));
    assert.equal(resolved.path, targetUri.path);
  });

  it('without a Docs API key, reading fails with Unavailable and a clear message', async () => {
    const { ref } = take();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('helpscout.openArticle', ref.id);
    await closeAll();
    const api = await testApi();
    await api.services.secrets.delete('helpscout.docs.apiKey');
    try {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri)), (e: unknown) => e instanceof vscode.FileSystemError && /Docs API key/.test(e.message));
    } finally {
      await api.services.secrets.store('helpscout.docs.apiKey', apiKey);
    }
  });
});
