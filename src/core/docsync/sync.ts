// Docs as code: a site (or one collection) as an ordinary folder of Markdown
// files, `<collection>/<category>/<slug>-<id>.md`, in the same document format
// as the `helpscout-docs` file system (core/articles). The state file says
// which article and which server version each file came from; status, pull
// and push compare the folder, that base and the server.
//
// An article in several categories gets one file, under its first category
// (the front matter lists them all). An article with a draft is cloned from
// its draft, so the file is the newest text the writers have.
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  articleFields, articleToDocument, buildArticlePath, categoryForPath, checkConflict, documentToArticle, planArticleSave,
  type ArticleContext, type ArticleUpdateBody, type DocsArticleFields,
} from '../articles';
import { isUncategorized } from '../articles/structure';
import type { DocsClient } from '../docs';
import { NotFoundError } from '../errors';
import type { ArticleRef } from '../docs/schemas';
import { hasConflictMarkers, mergeText } from './merge';
import {
  STATE_DIR, STATE_FILE, hashText, normalizeText, readBase, readState, removeBase, writeBase, writeFileAtomic, writeState,
  type FileState, type SyncState,
} from './state';

export interface SyncOptions {
  readonly signal?: AbortSignal;
  /** How many article GETs run at once (default 4). */
  readonly concurrency?: number;
}

interface CollectionInfo {
  id: string;
  name: string;
}

/** The folder-relative path of an article's file. */
export function articleFilePath(collectionName: string, article: DocsArticleFields, context: ArticleContext): string {
  // The file system provider's path without its site segment.
  const full = buildArticlePath({
    site: '_', collection: collectionName, category: categoryForPath(article.categories, context), slug: article.slug || 'article', id: article.id,
  });
  return full.split('/').slice(2).join('/');
}

async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function collectionsOf(client: DocsClient, state: Pick<SyncState, 'siteId' | 'collectionId'>, opts: SyncOptions): Promise<CollectionInfo[]> {
  const sig = opts.signal ? { signal: opts.signal } : {};
  if (state.collectionId !== undefined) {
    const c = await client.getCollection(state.collectionId, sig);
    return [{ id: c.id, name: c.name }];
  }
  const cols = await client.listCollections({ siteId: state.siteId }, sig).toArray();
  return cols.map((c) => ({ id: c.id, name: c.name }));
}

async function contextOf(client: DocsClient, collection: CollectionInfo, opts: SyncOptions): Promise<ArticleContext> {
  const cats = await client.listCategories(collection.id, {}, opts.signal ? { signal: opts.signal } : {}).toArray();
  return {
    collectionName: collection.name,
    categories: cats.map((c) => ({ id: c.id, name: c.name, slug: isUncategorized(c) ? 'uncategorized' : (c.slug ?? undefined) })),
  };
}

function listRefs(client: DocsClient, collectionId: string, opts: SyncOptions): Promise<ArticleRef[]> {
  return client.listArticles({ collectionId }, { status: 'all', pageSize: 100 }, opts.signal ? { signal: opts.signal } : {}).toArray();
}

/** The article as its file shows it: the draft when there is one. */
async function fetchDocument(
  client: DocsClient, id: string, collection: CollectionInfo, context: ArticleContext, opts: SyncOptions,
): Promise<{ fields: DocsArticleFields; text: string; path: string }> {
  const fields = articleFields(await client.getArticle(id, { draft: true, ...(opts.signal ? { signal: opts.signal } : {}) }));
  return { fields, text: articleToDocument(fields, context), path: articleFilePath(collection.name, fields, context) };
}

// --- clone ---------------------------------------------------------------------

export interface CloneOptions extends SyncOptions {
  /** The site to clone; when neither this nor `collectionId` is given, the account's only site. */
  readonly siteId?: string;
  /** One collection instead of the whole site. */
  readonly collectionId?: string;
}

export interface CloneResult {
  siteId: string;
  collections: number;
  files: string[];
}

/** Writes the site (or one collection) into `dir`, which must be missing or empty (a `.git` folder is allowed). */
export async function clone(client: DocsClient, dir: string, options: CloneOptions = {}): Promise<CloneResult> {
  if (await exists(dir)) {
    const entries = (await readdir(dir)).filter((e) => e !== '.git');
    if (entries.length > 0) throw new Error(`${dir} is not empty: clone into a new or empty folder`);
  }
  const sig = options.signal ? { signal: options.signal } : {};
  let siteId = options.siteId;
  if (options.collectionId !== undefined) {
    const c = await client.getCollection(options.collectionId, sig);
    if (c.siteId == null) throw new Error(`collection ${options.collectionId} belongs to no site`);
    siteId = String(c.siteId);
  }
  if (siteId === undefined) {
    const sites = await client.listSites(sig).toArray();
    if (sites.length !== 1) {
      throw new Error(`the account has ${sites.length} sites; choose one with --site (${sites.map((s) => `${s.id} ${s.subDomain ?? s.title ?? ''}`.trim()).join(', ')})`);
    }
    siteId = String((sites[0] as { id: string | number }).id);
  }
  const state: SyncState = { version: 1, siteId, ...(options.collectionId !== undefined ? { collectionId: options.collectionId } : {}), articles: {} };
  const collections = await collectionsOf(client, state, options);
  const files: string[] = [];
  for (const collection of collections) {
    const [context, refs] = await Promise.all([contextOf(client, collection, options), listRefs(client, collection.id, options)]);
    const docs = await pool(refs, options.concurrency ?? 4, (ref) => fetchDocument(client, ref.id, collection, context, options));
    for (const doc of docs) {
      await writeFileAtomic(join(dir, ...doc.path.split('/')), doc.text);
      await writeBase(dir, doc.fields.id, doc.text);
      state.articles[doc.fields.id] = { path: doc.path, collectionId: collection.id, updatedAt: doc.fields.updatedAt, hash: hashText(doc.text) };
      files.push(doc.path);
    }
  }
  await writeState(dir, state);
  return { siteId, collections: collections.length, files: files.sort() };
}

// --- status --------------------------------------------------------------------

export type LocalChange = 'unchanged' | 'modified' | 'deleted' | 'conflicted';
export type ServerChange = 'unchanged' | 'changed' | 'deleted';

export interface TrackedStatus {
  id: string;
  /** Where the file is now (a moved file is found by the id in its name). */
  path: string;
  local: LocalChange;
  /** Undefined when the server was not asked (`localOnly`). */
  server?: ServerChange;
  /** The server's `updatedAt` now, when it changed. */
  serverUpdatedAt?: string | null;
}

export interface StatusResult {
  tracked: TrackedStatus[];
  /** Markdown files in the folder that belong to no article (push does not create articles). */
  newLocal: string[];
  /** Articles on the server that the folder does not have yet (pull brings them). */
  newOnServer: { id: string; collectionId: string; name: string }[];
}

const ID_IN_NAME = /-([A-Za-z0-9]+)\.md$/;

/** Every .md file under `dir`, "/"-separated, outside hidden folders. */
async function markdownFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

interface LocalView {
  /** The file of each tracked article that still has one. */
  paths: Map<string, string>;
  untracked: string[];
}

async function localView(dir: string, state: SyncState): Promise<LocalView> {
  const files = await markdownFiles(dir);
  const paths = new Map<string, string>();
  const untracked: string[] = [];
  const byId = new Map<string, string[]>();
  for (const f of files) {
    const id = ID_IN_NAME.exec(f)?.[1];
    if (id !== undefined && state.articles[id] !== undefined) byId.set(id, [...(byId.get(id) ?? []), f]);
    else untracked.push(f);
  }
  for (const [id, fs] of byId) {
    const recorded = state.articles[id]?.path;
    const chosen = fs.includes(recorded ?? '') ? (recorded as string) : (fs[0] as string);
    paths.set(id, chosen);
    untracked.push(...fs.filter((f) => f !== chosen));
  }
  return { paths, untracked: untracked.sort() };
}

async function localChange(dir: string, entry: FileState, path: string | undefined): Promise<{ local: LocalChange; text?: string }> {
  if (path === undefined) return { local: 'deleted' };
  const text = await readFile(join(dir, ...path.split('/')), 'utf8');
  if (hasConflictMarkers(text)) return { local: 'conflicted', text };
  return { local: hashText(text) === entry.hash ? 'unchanged' : 'modified', text };
}

interface ServerView {
  collections: CollectionInfo[];
  refs: Map<string, ArticleRef>;
}

/** One list request per collection (100 articles a page): every article's `updatedAt` without a GET each. */
async function serverView(client: DocsClient, state: SyncState, opts: SyncOptions): Promise<ServerView> {
  const collections = await collectionsOf(client, state, opts);
  const refs = new Map<string, ArticleRef>();
  for (const c of collections) for (const r of await listRefs(client, c.id, opts)) refs.set(r.id, r);
  return { collections, refs };
}

function serverChange(entry: FileState, ref: ArticleRef | undefined): ServerChange {
  if (ref === undefined) return 'deleted';
  return checkConflict({ openedUpdatedAt: entry.updatedAt, serverUpdatedAt: ref.updatedAt ?? null }).status === 'ok' ? 'unchanged' : 'changed';
}

/** What changed in the folder and, unless `localOnly`, on the server since the last clone or pull. */
export async function status(client: DocsClient | undefined, dir: string, options: SyncOptions & { localOnly?: boolean } = {}): Promise<StatusResult> {
  const state = await readState(dir);
  const local = await localView(dir, state);
  const server = options.localOnly === true || client === undefined ? undefined : await serverView(client, state, options);
  const tracked: TrackedStatus[] = [];
  for (const [id, entry] of Object.entries(state.articles)) {
    const path = local.paths.get(id);
    const { local: lc } = await localChange(dir, entry, path);
    const t: TrackedStatus = { id, path: path ?? entry.path, local: lc };
    if (server !== undefined) {
      const ref = server.refs.get(id);
      t.server = serverChange(entry, ref);
      if (t.server === 'changed') t.serverUpdatedAt = ref?.updatedAt ?? null;
    }
    tracked.push(t);
  }
  const newOnServer = server === undefined
    ? []
    : [...server.refs.values()].filter((r) => state.articles[r.id] === undefined).map((r) => ({ id: r.id, collectionId: r.collectionId, name: r.name }));
  return { tracked: tracked.sort((a, b) => a.path.localeCompare(b.path)), newLocal: local.untracked, newOnServer };
}

// --- pull ----------------------------------------------------------------------

export type PullAction =
  | 'updated' // the server's version replaced an unedited file
  | 'merged' // both sides changed; merged cleanly
  | 'conflicted' // both sides changed the same lines: markers left in the file
  | 'added' // new on the server
  | 'restored' // deleted locally, changed on the server: the server's version is back
  | 'removed' // deleted on the server, unedited here
  | 'kept'; // deleted on the server, edited here: the file stays, no longer tracked

export interface PullEntry {
  id: string;
  path: string;
  action: PullAction;
  /** For a file that moved (renamed slug, other category). */
  previousPath?: string;
}

export interface PullResult {
  entries: PullEntry[];
  conflicted: number;
}

/** Brings server changes into the folder, merging where the file was edited too. */
export async function pull(client: DocsClient, dir: string, options: SyncOptions = {}): Promise<PullResult> {
  const state = await readState(dir);
  const local = await localView(dir, state);
  const server = await serverView(client, state, options);
  const contexts = new Map<string, Promise<ArticleContext>>();
  const contextFor = (c: CollectionInfo): Promise<ArticleContext> => {
    let p = contexts.get(c.id);
    if (p === undefined) {
      p = contextOf(client, c, options);
      contexts.set(c.id, p);
    }
    return p;
  };
  const collectionById = new Map(server.collections.map((c) => [c.id, c]));
  const entries: PullEntry[] = [];
  const full = (p: string): string => join(dir, ...p.split('/'));

  // Articles gone from the server.
  for (const [id, entry] of Object.entries(state.articles)) {
    if (server.refs.has(id)) continue;
    const path = local.paths.get(id);
    const { local: lc } = await localChange(dir, entry, path);
    if (path !== undefined && lc === 'unchanged') {
      await rm(full(path));
      entries.push({ id, path, action: 'removed' });
    } else if (path !== undefined) {
      entries.push({ id, path, action: 'kept' });
    }
    delete state.articles[id];
    await removeBase(dir, id);
  }

  const work = [...server.refs.values()].filter((ref) => {
    const entry = state.articles[ref.id];
    return entry === undefined || serverChange(entry, ref) === 'changed';
  });
  const fetched = await pool(work, options.concurrency ?? 4, async (ref) => {
    const collection = collectionById.get(ref.collectionId) ?? { id: ref.collectionId, name: ref.collectionId };
    return { ref, collection, doc: await fetchDocument(client, ref.id, collection, await contextFor(collection), options) };
  });

  for (const { ref, collection, doc } of fetched) {
    const entry = state.articles[ref.id];
    const currentPath = local.paths.get(ref.id);
    let action: PullAction;
    let text = doc.text;
    if (entry === undefined) action = 'added';
    else {
      const lc = await localChange(dir, entry, currentPath);
      if (lc.local === 'deleted') action = 'restored';
      else if (lc.local === 'unchanged') action = 'updated';
      else {
        const base = (await readBase(dir, ref.id)) ?? '';
        const merged = mergeText(lc.text ?? '', base, doc.text);
        text = merged.text;
        action = merged.conflicts > 0 || lc.local === 'conflicted' ? 'conflicted' : 'merged';
      }
    }
    // An unedited file follows the article to its new name or category; an
    // edited one stays where the writer has it.
    let path = doc.path;
    if (currentPath !== undefined && currentPath !== doc.path && (action === 'merged' || action === 'conflicted')) path = currentPath;
    if (currentPath !== undefined && currentPath !== path) await rm(full(currentPath));
    if (await exists(full(path)) && currentPath !== path) {
      // Another file took the name: keep it, write beside it under the old name.
      path = currentPath ?? path;
    }
    await writeFileAtomic(full(path), text);
    await writeBase(dir, ref.id, doc.text);
    state.articles[ref.id] = { path, collectionId: collection.id, updatedAt: doc.fields.updatedAt, hash: hashText(doc.text) };
    entries.push({ id: ref.id, path, action, ...(currentPath !== undefined && currentPath !== path ? { previousPath: currentPath } : {}) });
  }
  await writeState(dir, state);
  entries.sort((a, b) => a.path.localeCompare(b.path));
  return { entries, conflicted: entries.filter((e) => e.action === 'conflicted').length };
}

// --- push ----------------------------------------------------------------------

export type PushMode = 'draft' | 'publish';

export type PushAction =
  | 'save draft' // the text goes to the article's draft; customers see no change
  | 'update' // sent to the article itself: it is not published, or only its settings changed
  | 'update live' // sent to the published article: customers see it at once
  | 'refused';

export interface PushItem {
  id: string;
  path: string;
  action: PushAction;
  /** The fields that change ("text", "name", …). */
  fields: string[];
  /** Why the file is refused. */
  reason?: string;
  /** The `updatedAt` the file was based on. */
  baseUpdatedAt: string | null;
  /** Draft text (HTML), when the action saves a draft. */
  draftText?: string;
  /** Sent with PUT /articles/{id} (may be empty when only a draft is saved). */
  body: ArticleUpdateBody;
  /** The draft on the server is thrown away by this push. */
  discardsDraft: boolean;
}

export interface PushPlan {
  mode: PushMode;
  items: PushItem[];
  /** Edited files whose text matches the server already: nothing to send. */
  unchanged: string[];
  /** Markdown files that belong to no article: not pushed. */
  untracked: string[];
  /** Tracked files deleted from the folder: push never deletes articles. */
  deleted: string[];
}

function refused(id: string, path: string, baseUpdatedAt: string | null, reason: string): PushItem {
  return { id, path, action: 'refused', fields: [], reason, baseUpdatedAt, body: {}, discardsDraft: false };
}

/**
 * Works out what a push would send, re-reading each edited article first:
 * a file is refused when the article changed on the server since the last
 * pull, when it holds conflict markers, or when its front matter is wrong.
 * Sends nothing.
 */
export async function planPush(client: DocsClient, dir: string, mode: PushMode, options: SyncOptions = {}): Promise<PushPlan> {
  const state = await readState(dir);
  const local = await localView(dir, state);
  const plan: PushPlan = { mode, items: [], unchanged: [], untracked: local.untracked, deleted: [] };
  const contexts = new Map<string, Promise<ArticleContext>>();
  const sig = options.signal ? { signal: options.signal } : {};
  for (const [id, entry] of Object.entries(state.articles)) {
    const path = local.paths.get(id);
    const lc = await localChange(dir, entry, path);
    if (lc.local === 'deleted') {
      plan.deleted.push(entry.path);
      continue;
    }
    if (lc.local === 'unchanged' || path === undefined) continue;
    if (lc.local === 'conflicted') {
      plan.items.push(refused(id, path, entry.updatedAt, 'the file has conflict markers: resolve them first'));
      continue;
    }
    let parsed;
    try {
      parsed = documentToArticle(lc.text ?? '');
    } catch (e) {
      plan.items.push(refused(id, path, entry.updatedAt, `the file cannot be read: ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    if (parsed.frontMatter.id !== id) {
      plan.items.push(refused(id, path, entry.updatedAt, `the front matter's id (${parsed.frontMatter.id}) is not the article's id (${id})`));
      continue;
    }
    let current: DocsArticleFields;
    try {
      current = articleFields(await client.getArticle(id, { draft: true, ...sig }));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      plan.items.push(refused(id, path, entry.updatedAt, 'the article was deleted in Help Scout: pull to stop tracking it'));
      continue;
    }
    if (checkConflict({ openedUpdatedAt: entry.updatedAt, serverUpdatedAt: current.updatedAt }).status === 'conflict') {
      plan.items.push(refused(id, path, entry.updatedAt, `changed in Help Scout since the last pull (updatedAt ${current.updatedAt ?? 'none'}, the file is based on ${entry.updatedAt ?? 'none'}): pull first`));
      continue;
    }
    let contextP = contexts.get(entry.collectionId);
    if (contextP === undefined) {
      const c = await client.getCollection(entry.collectionId, sig);
      contextP = contextOf(client, { id: c.id, name: c.name }, options);
      contexts.set(entry.collectionId, contextP);
    }
    const context = await contextP;
    // Publishing compares with the live text (a draft's text still has to go live).
    const server = mode === 'publish' && current.hasDraft ? articleFields(await client.getArticle(id, sig)) : current;
    let save;
    try {
      save = planArticleSave({ document: parsed, server, context });
    } catch (e) {
      plan.items.push(refused(id, path, entry.updatedAt, e instanceof Error ? e.message : String(e)));
      continue;
    }
    const fields = [...save.changedFields];
    if (fields.length === 0) {
      plan.unchanged.push(path);
      continue;
    }
    const published = server.status === 'published';
    if (mode === 'draft') {
      if (save.body.status !== undefined) {
        plan.items.push(refused(id, path, entry.updatedAt, `the status changes to ${save.body.status}: push with --publish to change what customers see`));
        continue;
      }
      if (published && save.body.text !== undefined) {
        const { text, ...rest } = save.body;
        plan.items.push({ id, path, action: 'save draft', fields, baseUpdatedAt: entry.updatedAt, draftText: text, body: rest, discardsDraft: false });
      } else {
        // Not published (customers see nothing), or only settings change.
        plan.items.push({ id, path, action: 'update', fields, baseUpdatedAt: entry.updatedAt, body: save.body, discardsDraft: save.discardsDraft });
      }
    } else {
      const live = published || save.body.status === 'published';
      plan.items.push({ id, path, action: live ? 'update live' : 'update', fields, baseUpdatedAt: entry.updatedAt, body: save.body, discardsDraft: save.discardsDraft });
    }
  }
  plan.items.sort((a, b) => a.path.localeCompare(b.path));
  return plan;
}

export interface PushOutcome {
  id: string;
  path: string;
  /** `sent`: done and the file now shows the server's version; `refused`: not sent. */
  result: 'sent' | 'refused' | 'failed';
  message?: string;
}

/**
 * Sends a plan. Each article's `updatedAt` is read again just before its
 * write, so a change made on the server after the plan still refuses the
 * file. After a write the file and its base become the server's version.
 */
export async function executePush(client: DocsClient, dir: string, plan: PushPlan, options: SyncOptions = {}): Promise<PushOutcome[]> {
  const state = await readState(dir);
  const sig = options.signal ? { signal: options.signal } : {};
  const outcomes: PushOutcome[] = [];
  const contexts = new Map<string, ArticleContext>();
  for (const item of plan.items) {
    if (item.action === 'refused') {
      outcomes.push({ id: item.id, path: item.path, result: 'refused', message: item.reason ?? '' });
      continue;
    }
    try {
      const now = await client.getArticle(item.id, sig);
      if (checkConflict({ openedUpdatedAt: item.baseUpdatedAt, serverUpdatedAt: now.updatedAt ?? null }).status === 'conflict') {
        outcomes.push({ id: item.id, path: item.path, result: 'refused', message: 'changed in Help Scout a moment ago: pull first' });
        continue;
      }
      if (item.draftText !== undefined) await client.saveDraft(item.id, item.draftText, sig);
      if (Object.keys(item.body).length > 0) await client.updateArticle(item.id, item.body, sig);
      // The file becomes the server's version, the base of the next pull.
      const entry = state.articles[item.id] as FileState;
      let context = contexts.get(entry.collectionId);
      if (context === undefined) {
        const c = await client.getCollection(entry.collectionId, sig);
        context = await contextOf(client, { id: c.id, name: c.name }, options);
        contexts.set(entry.collectionId, context);
      }
      const doc = await fetchDocument(client, item.id, { id: entry.collectionId, name: context.collectionName }, context, options);
      await writeFileAtomic(join(dir, ...item.path.split('/')), doc.text);
      await writeBase(dir, item.id, doc.text);
      state.articles[item.id] = { ...entry, path: item.path, updatedAt: doc.fields.updatedAt, hash: hashText(doc.text) };
      await writeState(dir, state);
      outcomes.push({ id: item.id, path: item.path, result: 'sent' });
    } catch (e) {
      outcomes.push({ id: item.id, path: item.path, result: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }
  return outcomes;
}

export { STATE_DIR, STATE_FILE, normalizeText };
