// Docs as code against the sandbox over loopback HTTP: clone a site into a
// temporary folder, edit files, push, pull, and check the folder, the
// sandbox's store and its request log.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { documentToArticle } from '../../../../src/core/articles';
import {
  CONFLICT_END, CONFLICT_MIDDLE, CONFLICT_START, STATE_FILE, clone, executePush, planPush, pull, readState, status,
} from '../../../../src/core/docsync';
import { type Core, startCore } from '../harness';

/** Every file under `dir` (state included), path → text. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(dir, p).split(sep).join('/'), await readFile(p, 'utf8'));
    }
  };
  await walk(dir);
  return out;
}

const articleFiles = (snap: Map<string, string>) => [...snap.keys()].filter((k) => !k.startsWith('.')).sort();

/** A body paragraph of plain words, long enough to edit and to find again. */
function paragraphs(doc: string): string[] {
  const body = doc.slice(doc.indexOf('\n---\n', 4) + 5);
  return body.split('\n\n').filter((p) => /^[A-Z][^\n*_`<>[\]|#]{30,}\.$/.test(p));
}

describe('core/docsync: a Docs site as a folder (sandbox)', function () {
  this.timeout(240_000);
  let core: Core;
  const dirs: string[] = [];
  const tmp = async () => {
    const d = await mkdtemp(join(tmpdir(), 'hs-docsync-'));
    dirs.push(d);
    return join(d, 'site');
  };
  const store = () => core.sandbox.store.docs;
  const docsLog = () => core.sandbox.log.entries({ api: 'docs' });
  const writes = () => docsLog().filter((e) => e.method !== 'GET');

  before(async () => {
    // The default Docs sizes: every seeded article (two sites, 300 articles).
    core = await startCore({ sizes: { docs: { sites: 2, collections: 6, articles: 300, redirects: 6 } } });
  });
  after(async () => {
    await core.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  beforeEach(() => {
    core.sandbox.reset();
  });

  const siteIds = () => [...new Set([...store().collections.values()].map((c) => c.siteId))];

  /** A published article without a draft, with two editable paragraphs, in the folder. */
  async function pickArticle(dir: string, skip: readonly string[] = []) {
    const state = await readState(dir);
    for (const [id, entry] of Object.entries(state.articles)) {
      if (skip.includes(id)) continue;
      const rec = store().articles.get(id);
      if (rec === undefined || rec.draft !== null || rec.status !== 'published') continue;
      const text = await readFile(join(dir, entry.path), 'utf8');
      const ps = paragraphs(text);
      if (ps.length >= 3 && new Set(ps).size === ps.length) return { id, path: join(dir, entry.path), text, ps };
    }
    throw new Error('no article to edit');
  }

  it('clone -> edit -> push -> pull round-trips every seeded article exactly', async () => {
    let total = 0;
    for (const siteId of siteIds()) {
      core.sandbox.reset();
      const dir = await tmp();
      const cloned = await clone(core.docs, dir, { siteId });
      const siteArticles = [...store().articles.values()].filter((a) => store().collections.get(a.collectionId)?.siteId === siteId);
      assert.equal(cloned.files.length, siteArticles.length, 'one file per article');
      total += cloned.files.length;
      const before = new Map([...store().articles].map(([id, a]) => [id, structuredClone(a)]));

      // A clean folder: nothing changed on either side; a push or pull does nothing.
      const clean = await status(core.docs, dir);
      assert.ok(clean.tracked.every((t) => t.local === 'unchanged' && t.server === 'unchanged'));
      assert.deepEqual(clean.newLocal, []);
      assert.deepEqual(clean.newOnServer, []);

      // Edit two articles: one paragraph each, the second pushed live.
      const a = await pickArticle(dir);
      const b = await pickArticle(dir, [a.id]);
      const pa = a.ps[1] as string;
      const pb = b.ps[1] as string;
      await writeFile(a.path, a.text.replace(pa, `${pa.slice(0, -1)}, edited in the folder.`));
      await writeFile(b.path, b.text.replace(pb, `${pb.slice(0, -1)}, published from the folder.`));

      core.sandbox.log.reset();
      const draftPlan = await planPush(core.docs, dir, 'draft');
      assert.equal(writes().length, 0, 'planning sends nothing');
      assert.deepEqual(draftPlan.items.map((i) => [i.id, i.action]).sort(), [[a.id, 'save draft'], [b.id, 'save draft']].sort());
      // Push the first as a draft only.
      const first = draftPlan.items.filter((i) => i.id === a.id);
      const outA = await executePush(core.docs, dir, { ...draftPlan, items: first });
      assert.deepEqual(outA.map((o) => o.result), ['sent']);
      assert.equal(store().articles.get(a.id)?.text, before.get(a.id)?.text, 'the live text is untouched');
      assert.match(store().articles.get(a.id)?.draft ?? '', /edited in the folder\./);
      // The second goes live.
      const publishPlan = await planPush(core.docs, dir, 'publish');
      assert.deepEqual(publishPlan.items.map((i) => [i.id, i.action]), [[b.id, 'update live']]);
      const outB = await executePush(core.docs, dir, publishPlan);
      assert.deepEqual(outB.map((o) => o.result), ['sent']);
      assert.match(store().articles.get(b.id)?.text ?? '', /published from the folder\./);

      // Unedited articles are exactly as they were on the server.
      for (const [id, rec] of before) {
        if (id === a.id || id === b.id) continue;
        assert.deepEqual(store().articles.get(id), rec, `article ${id} unchanged`);
      }

      // Pull brings nothing new; the folder equals a fresh clone, file for file.
      const pulled = await pull(core.docs, dir);
      assert.deepEqual(pulled.entries, []);
      const fresh = await tmp();
      await clone(core.docs, fresh, { siteId });
      const mine = await snapshot(dir);
      const theirs = await snapshot(fresh);
      assert.deepEqual(articleFiles(mine), articleFiles(theirs));
      for (const f of articleFiles(theirs)) assert.equal(mine.get(f), theirs.get(f), f);
      assert.equal(mine.get(STATE_FILE), theirs.get(STATE_FILE));
      const after = await status(core.docs, dir);
      assert.ok(after.tracked.every((t) => t.local === 'unchanged' && t.server === 'unchanged'));
    }
    assert.equal(total, 300);
  });

  it('refuses to push a file whose article changed on the server since the last pull', async () => {
    const dir = await tmp();
    await clone(core.docs, dir, { siteId: siteIds()[0] as string });
    const a = await pickArticle(dir);
    await writeFile(a.path, a.text.replace(a.ps[0] as string, 'Rewritten in the folder.'));
    // A colleague edits the article in Help Scout.
    const live = store().articles.get(a.id)?.text ?? '';
    await core.docs.updateArticle(a.id, { text: `${live}<p>Added by a colleague.</p>` });
    const before = structuredClone(store().articles.get(a.id));
    core.sandbox.log.reset();

    for (const mode of ['draft', 'publish'] as const) {
      const plan = await planPush(core.docs, dir, mode);
      assert.equal(plan.items.length, 1);
      assert.equal(plan.items[0]?.action, 'refused');
      assert.match(plan.items[0]?.reason ?? '', /changed in Help Scout since the last pull/);
      const out = await executePush(core.docs, dir, plan);
      assert.deepEqual(out.map((o) => o.result), ['refused']);
    }
    assert.equal(writes().length, 0, 'nothing sent');
    assert.deepEqual(store().articles.get(a.id), before, 'the sandbox is untouched');
    assert.match(await readFile(a.path, 'utf8'), /Rewritten in the folder\./, 'the file keeps the edit');

    // The same refusal when the server moves between the plan and the send.
    const b = await pickArticle(dir, [a.id]);
    await writeFile(b.path, b.text.replace(b.ps[0] as string, 'Also rewritten.'));
    const plan = await planPush(core.docs, dir, 'draft');
    const item = plan.items.find((i) => i.id === b.id);
    assert.equal(item?.action, 'save draft');
    await core.docs.updateArticle(b.id, { keywords: ['moved'] });
    const beforeB = structuredClone(store().articles.get(b.id));
    const out = await executePush(core.docs, dir, { ...plan, items: [item as NonNullable<typeof item>] });
    assert.deepEqual(out.map((o) => o.result), ['refused']);
    assert.deepEqual(store().articles.get(b.id), beforeB);
  });

  it('pull merges edits to different paragraphs and leaves markers where both changed the same one', async () => {
    const dir = await tmp();
    await clone(core.docs, dir, { siteId: siteIds()[0] as string });
    const a = await pickArticle(dir);
    const b = await pickArticle(dir, [a.id]);
    const [a0, , a2] = a.ps as [string, string, string];
    const b0 = b.ps[0] as string;

    // Server side: edit a paragraph through the API (Markdown -> HTML as a save would).
    const serverEdit = async (text: string, from: string, to: string, id: string) => {
      const html = documentToArticle(text.replace(from, to)).html;
      await core.docs.updateArticle(id, { text: html });
    };
    await serverEdit(a.text, a2, 'The server changed the last paragraph.', a.id);
    await serverEdit(b.text, b0, 'The server wrote this first paragraph.', b.id);
    // Folder side: a different paragraph of a, the same paragraph of b.
    await writeFile(a.path, a.text.replace(a0, 'The folder changed the first paragraph.'));
    await writeFile(b.path, b.text.replace(b0, 'The folder wrote this first paragraph.'));

    const st = await status(core.docs, dir);
    const row = (id: string) => st.tracked.find((t) => t.id === id);
    assert.deepEqual([row(a.id)?.local, row(a.id)?.server], ['modified', 'changed']);
    assert.deepEqual([row(b.id)?.local, row(b.id)?.server], ['modified', 'changed']);

    const result = await pull(core.docs, dir);
    assert.deepEqual(result.entries.map((e) => [e.id, e.action]).sort(), [[a.id, 'merged'], [b.id, 'conflicted']].sort());
    assert.equal(result.conflicted, 1);

    const merged = await readFile(a.path, 'utf8');
    assert.match(merged, /The folder changed the first paragraph\./);
    assert.match(merged, /The server changed the last paragraph\./);
    assert.doesNotMatch(merged, /<<<<<<<|>>>>>>>/);
    assert.equal(store().articles.get(a.id)?.updatedAt, (await readState(dir)).articles[a.id]?.updatedAt);
    assert.match(merged, new RegExp(`updatedAt: "?${store().articles.get(a.id)?.updatedAt ?? ''}`), 'the front matter takes the server time');

    const clashed = await readFile(b.path, 'utf8');
    assert.ok(clashed.includes(`${CONFLICT_START}\nThe folder wrote this first paragraph.\n${CONFLICT_MIDDLE}\nThe server wrote this first paragraph.\n${CONFLICT_END}`), clashed);

    // Push sends the merge, and refuses the file with markers.
    core.sandbox.log.reset();
    const plan = await planPush(core.docs, dir, 'publish');
    const byId = new Map(plan.items.map((i) => [i.id, i]));
    assert.equal(byId.get(a.id)?.action, 'update live');
    assert.equal(byId.get(b.id)?.action, 'refused');
    assert.match(byId.get(b.id)?.reason ?? '', /conflict markers/);
    const out = await executePush(core.docs, dir, plan);
    assert.deepEqual(out.map((o) => [o.id, o.result]).sort(), [[a.id, 'sent'], [b.id, 'refused']].sort());
    const live = store().articles.get(a.id)?.text ?? '';
    assert.match(live, /The folder changed the first paragraph\./);
    assert.match(live, /The server changed the last paragraph\./);
    assert.equal(writes().filter((e) => e.path.includes(b.id)).length, 0);
  });

  it('clones one collection; pull follows renames and deletions on either side', async () => {
    const collection = [...store().collections.values()].find((c) => c.siteId === siteIds()[0]) as { id: string; name: string };
    const dir = await tmp();
    const r = await clone(core.docs, dir, { collectionId: collection.id });
    const inCollection = [...store().articles.values()].filter((a) => a.collectionId === collection.id);
    assert.equal(r.files.length, inCollection.length);
    assert.ok(r.files.every((f) => f.startsWith(`${collection.name}/`)));
    assert.equal((await readState(dir)).collectionId, collection.id);
    await assert.rejects(clone(core.docs, dir, { collectionId: collection.id }), /not empty/);

    const state = await readState(dir);
    const [renamed, gone, goneEdited, deletedHere] = Object.keys(state.articles) as [string, string, string, string];
    const pathOf = (id: string) => join(dir, state.articles[id]?.path ?? '');
    await core.docs.updateArticle(renamed, { slug: 'a-brand-new-slug' });
    await core.docs.deleteArticle(gone);
    await core.docs.deleteArticle(goneEdited);
    await writeFile(pathOf(goneEdited), `${await readFile(pathOf(goneEdited), 'utf8')}\nKept edit.\n`);
    await rm(pathOf(deletedHere));

    const before = await status(core.docs, dir);
    const row = (id: string) => before.tracked.find((t) => t.id === id);
    assert.deepEqual([row(gone)?.server, row(goneEdited)?.local, row(goneEdited)?.server], ['deleted', 'modified', 'deleted']);
    assert.equal(row(deletedHere)?.local, 'deleted');
    const plan = await planPush(core.docs, dir, 'draft');
    assert.deepEqual(plan.deleted, [state.articles[deletedHere]?.path]);
    assert.match(plan.items.find((i) => i.id === goneEdited)?.reason ?? '', /deleted in Help Scout/);

    await core.docs.updateArticle(deletedHere, { keywords: ['back'] });
    const pulled = await pull(core.docs, dir);
    const action = (id: string) => pulled.entries.find((e) => e.id === id);
    assert.equal(action(renamed)?.action, 'updated');
    assert.match(action(renamed)?.path ?? '', /\/a-brand-new-slug-[0-9a-f]+\.md$/);
    assert.equal(action(renamed)?.previousPath, state.articles[renamed]?.path);
    assert.equal(action(gone)?.action, 'removed');
    assert.equal(action(goneEdited)?.action, 'kept');
    assert.equal(action(deletedHere)?.action, 'restored');
    const after = await status(core.docs, dir);
    assert.deepEqual(after.newLocal, [state.articles[goneEdited]?.path]);
    assert.ok(after.tracked.every((t) => t.local === 'unchanged' && t.server === 'unchanged'));
    assert.equal(after.tracked.length, inCollection.length - 2);
  });

  it('status costs one list request per collection (plus the collection list), never a GET per article', async () => {
    const siteId = siteIds()[0] as string;
    const dir = await tmp();
    await clone(core.docs, dir, { siteId });
    const collections = [...store().collections.values()].filter((c) => c.siteId === siteId);
    const state = await readState(dir);
    const ids = Object.keys(state.articles);
    // One local edit, one server edit, one new article on the server, one new local file.
    const a = await pickArticle(dir);
    await writeFile(a.path, `${a.text}\nOne more line.\n`);
    const other = ids.find((id) => id !== a.id) as string;
    await core.docs.updateArticle(other, { keywords: ['changed'] });
    const created = await core.docs.createArticle({ collectionId: collections[0]?.id as string, name: 'Brand new article', text: '<p>New.</p>' });
    await writeFile(join(dir, 'notes.md'), '# not an article\n');

    core.sandbox.log.reset();
    const st = await status(core.docs, dir);
    const gets = docsLog();
    const pages = collections.map((c) => Math.max(1, Math.ceil([...store().articles.values()].filter((x) => x.collectionId === c.id).length / 100)));
    assert.equal(gets.length, 1 + pages.reduce((x, y) => x + y, 0), gets.map((g) => g.path).join('\n'));
    assert.equal(gets.filter((g) => /^\/v1\/articles\//.test(g.path)).length, 0, 'no GET per article');
    assert.equal(gets.filter((g) => g.method !== 'GET').length, 0);

    const changed = st.tracked.filter((t) => t.local !== 'unchanged' || t.server !== 'unchanged');
    assert.deepEqual(changed.map((t) => [t.id, t.local, t.server]).sort(), [[a.id, 'modified', 'unchanged'], [other, 'unchanged', 'changed']].sort());
    assert.deepEqual(st.newLocal, ['notes.md']);
    assert.deepEqual(st.newOnServer.map((n) => n.id), [created.id]);

    // Status with no server asks nothing.
    core.sandbox.log.reset();
    const localOnly = await status(undefined, dir, { localOnly: true });
    assert.equal(docsLog().length, 0);
    assert.equal(localOnly.tracked.find((t) => t.id === a.id)?.local, 'modified');

    // Pull brings the server's changes and the new article; the local edit stays.
    const pulled = await pull(core.docs, dir);
    assert.deepEqual(pulled.entries.map((e) => [e.id, e.action]).sort(), [[created.id, 'added'], [other, 'updated']].sort());
    assert.match(await readFile(a.path, 'utf8'), /One more line\.\n$/);
  });
});
