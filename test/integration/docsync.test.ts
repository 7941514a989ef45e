// Docs as code inside VS Code, against the sandbox: "Clone Docs to Folder…" writes a
// collection into a folder, "Push Docs…" sends an edit as a draft, and a push is
// refused (the sandbox untouched) when the article changed in Help Scout since the clone.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sandboxInfo, testApi } from './env';

interface StoredArticle {
  id: string;
  status: string;
  text: string;
  draft: string | null;
  updatedAt: string | null;
}

interface Ref { id: string; status: string; hasDraft?: boolean }

interface CloneResult { siteId: string; collections: number; files: string[] }
interface PushResult {
  plan: { items: { id: string; path: string; action: string; reason?: string }[] };
  outcomes?: { id: string; path: string; result: string; message?: string }[];
}
interface SyncState { articles: Record<string, { path: string; updatedAt: string | null }> }

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

/** The article as the sandbox stores it now (draft included). */
async function stored(id: string): Promise<StoredArticle> {
  const res = await fetch(`${(await sandboxInfo())['baseUrl'] as string}/__sandbox/store/docs/articles/${id}`);
  assert.ok(res.ok, `store/docs/articles/${id}: HTTP ${res.status}`);
  return (await res.json()) as StoredArticle;
}

describe('docs as code commands', function () {
  this.timeout(120_000);
  let dir = '';
  let collectionId = '';
  /** Published articles of that collection without a draft. */
  let published: string[] = [];

  before(async () => {
    const api = await testApi();
    const info = await sandboxInfo();
    docsBase = String(info['docsBaseUrl']).replace(/\/$/, '');
    apiKey = String((info['credentials'] as Record<string, unknown>)['docsApiKey']);
    await api.services.secrets.store('helpscout.docs.apiKey', apiKey);
    const sites = await docsApi<{ sites: { items: { id: string }[] } }>('GET', '/sites');
    for (const site of sites.sites.items) {
      const cols = await docsApi<{ collections: { items: { id: string }[] } }>('GET', `/collections?siteId=${site.id}`);
      for (const col of cols.collections.items) {
        const arts = await docsApi<{ articles: { items: Ref[] } }>('GET', `/collections/${col.id}/articles?pageSize=100&status=published`);
        const ids = arts.articles.items.filter((a) => !a.hasDraft).map((a) => a.id);
        if (ids.length >= 2) {
          collectionId = col.id;
          published = ids;
          break;
        }
      }
      if (collectionId) break;
    }
    assert.ok(collectionId, 'the seed has no collection with two published articles without drafts');
    dir = await mkdtemp(join(tmpdir(), 'helpscout-docsync-'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function state(): Promise<SyncState> {
    return JSON.parse(await readFile(join(dir, '.helpscout-docs.json'), 'utf8')) as SyncState;
  }

  it('Clone Docs to Folder writes the collection as Markdown files and a state file', async () => {
    const result = await vscode.commands.executeCommand<CloneResult>('helpscout.docs.cloneToFolder', { collectionId }, vscode.Uri.file(dir));
    assert.ok(result, 'the clone command returned nothing');
    assert.equal(result.collections, 1);
    assert.ok(result.files.length >= published.length, `only ${result.files.length} file(s) cloned`);
    assert.ok(existsSync(join(dir, '.helpscout-docs.json')), 'no state file');
    for (const f of result.files) assert.ok(existsSync(join(dir, ...f.split('/'))), `${f} is missing`);
    const s = await state();
    for (const id of published) assert.ok(s.articles[id], `article ${id} is not in the state file`);
  });

  it('Push Docs sends an edited file as a draft; customers see no change', async () => {
    const id = published[0] as string;
    const before = await stored(id);
    const file = join(dir, ...((await state()).articles[id]?.path ?? '').split('/'));
    const marker = `Edited in a cloned folder ${Date.now()}`;
    await writeFile(file, `${await readFile(file, 'utf8')}\n${marker}\n`);
    const result = await vscode.commands.executeCommand<PushResult>('helpscout.docs.push', vscode.Uri.file(dir), { confirmed: true });
    assert.ok(result?.outcomes, 'nothing was sent');
    assert.deepEqual(result.outcomes.map((o) => [o.id, o.result]), [[id, 'sent']]);
    const after = await stored(id);
    assert.ok(after.draft?.includes(marker), 'the sandbox article has no draft with the edit');
    assert.equal(after.text, before.text, 'the published text changed');
    assert.equal(after.status, 'published');
  });

  it('Push Docs refuses a file whose article changed in Help Scout, and sends nothing', async () => {
    const id = published[1] as string;
    const file = join(dir, ...((await state()).articles[id]?.path ?? '').split('/'));
    await writeFile(file, `${await readFile(file, 'utf8')}\nA local edit that must not be sent\n`);
    await docsApi('PUT', `/articles/${id}`, { text: '<p>Changed by a colleague</p>' });
    const before = await stored(id);
    const result = await vscode.commands.executeCommand<PushResult>('helpscout.docs.push', vscode.Uri.file(dir), { confirmed: true });
    assert.ok(result, 'the push command returned nothing');
    assert.equal(result.outcomes, undefined, 'something was sent');
    const item = result.plan.items.find((i) => i.id === id);
    assert.equal(item?.action, 'refused');
    assert.deepEqual(await stored(id), before, 'the sandbox article changed');
  });
});
