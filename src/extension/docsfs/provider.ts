// The `helpscout-docs` file system: Help Scout Docs articles as Markdown files
// at `/<site>/<collection>/<category>/<slug>-<id>.md` (an article in several
// categories shows in each; one without a category sits in the collection
// folder). VS Code calls these methods for the explorer, editors, search and
// `workspace.fs`. Reading converts the article's HTML to Markdown with front
// matter (core/articles); writing re-reads the article, refuses when it changed
// on the server since the file was read, and PUTs only what changed.
//
// A file stands for "this article in this category": deleting one of an
// article's several files takes it out of that category, and moving a file
// changes the article's categories, slug or name (core/articles/fileOps). Only
// a delete the writer asked for deletes an article (its only file, from the
// explorer, or "Delete Article"); no move or rename ever deletes one.
//
// A `?draft` query on a file's URI is the article's draft version: reading it
// shows the draft (or the live text when there is none), writing it saves the
// draft (`PUT /articles/{id}/drafts`) and leaves the live article alone.
//
// Saving never changes what customers see unless the writer chose so: a save of
// a published article's file goes to its draft, unless `saveChoice` (the
// `helpscout.docs.saveBehavior` setting, asked once per session) says publish.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import {
  ArticleDocumentError, articleFields, articleToDocument, buildArticlePath, categoryIdsForNames, checkConflict,
  documentToArticle, parseArticlePath, parseArticleUrl, planArticleSave, safeSegment,
  type ArticleContext, type ArticleUpdateBody, type DocsArticleFields,
} from '../../core/articles';
import type { Article, DocsClient } from '../../core/docs';
import { ArticleFileError, deleteArticleFile, moveArticleFile, restoreCategory, type TargetOccupant } from '../../core/articles/fileOps';
import { NotFoundError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { describeError } from '../errors';
import { NotConnectedError } from '../services';
import type { ArticleHistory } from './history';
import { parseNewArticle } from '../../core/articles/newArticle';
import type { CategoryNode, CollectionNode, DocsStructure, SiteNode } from '../../core/articles/structure';

export const DOCS_SCHEME = 'helpscout-docs';

/** What the provider remembers about a file VS Code has read (keyed by the URI string). */
interface FileState {
  articleId: string;
  draft: boolean;
  /** `updatedAt` when the file was read or last saved: the version the writer is editing. */
  openedUpdatedAt: string | null;
  /** The server's HTML the document was made from. */
  serverHtml: string;
  /** The document as last read or refreshed. */
  document: string;
  mtime: number;
  ctime: number;
  /** The server `updatedAt` the writer chose to overwrite ("Overwrite" after a conflict). */
  overwrite?: string | null;
  /** The server `updatedAt` for which the writer agreed to discard the draft. */
  discardDraft?: string | null;
}

/** A new article being written: it exists only here until its first save creates it. */
interface PendingFile {
  collection: CollectionNode;
  category: CategoryNode | null;
  content: Uint8Array;
  ctime: number;
  /** Set once saved: the article it became. */
  createdId?: string;
}

export interface ConflictEvent {
  uri: vscode.Uri;
  articleId: string;
  openedUpdatedAt: string | null;
  serverUpdatedAt: string | null;
}

export interface DraftDiscardEvent {
  uri: vscode.Uri;
  articleId: string;
  /** True when the save would replace the draft with the file's text (rather than publish over it). */
  replaces: boolean;
}

/**
 * What a save that would reach customers does: `publish` it, save the text as a `draft`
 * instead, or nothing (`undefined`: the writer dismissed the question). Called only for such
 * saves; the UI reads the setting and asks when needed.
 */
export type SaveChoice = (uri: vscode.Uri) => Promise<'publish' | 'draft' | undefined>;

/** What the provider last saw of an article's publication: shown as file decorations and in the status bar. */
export interface ArticleVersionInfo {
  status: string;
  hasDraft: boolean;
}

export interface MovedEvent {
  from: vscode.Uri;
  to: vscode.Uri;
  articleId: string;
  created: boolean;
}

interface Located {
  site: SiteNode;
  collection: CollectionNode;
  context: ArticleContext;
  /** Every path the article shows at (one per category). */
  paths: string[];
}

/** What an unannounced delete did to an article in the folder of one of its files (see `removals`). */
interface Removal {
  path: string;
  articleId: string;
  name: string;
  collectionId: string;
  categoryId: string;
  /** The article's categories before. */
  before: readonly string[];
  at: number;
}

/** The article an unannounced delete took out of a category, as the article at a move's target. */
function occupantOf(r: Removal): TargetOccupant {
  return { id: r.articleId, name: r.name, removed: { categoryId: r.categoryId, before: r.before } };
}

const RECENT_MS = 5_000;
/** How long an announced delete counts: VS Code deletes right after announcing. */
const ANNOUNCED_MS = 30_000;
/** How long a move may take back what the delete VS Code made just before it did. */
const REMOVAL_MS = 10_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function isDraftUri(uri: vscode.Uri): boolean {
  return new URLSearchParams(uri.query).has('draft');
}

/** Milliseconds for an API timestamp; 0 when there is none. */
function time(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

export class DocsFileSystemProvider extends Disposable implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changeEmitter.event;
  private readonly conflictEmitter = this.register(new vscode.EventEmitter<ConflictEvent>());
  /** A save was refused because the article changed on the server. */
  readonly onDidConflict = this.conflictEmitter.event;
  private readonly draftEmitter = this.register(new vscode.EventEmitter<DraftDiscardEvent>());
  /** A save was refused because it would discard the article's draft. */
  readonly onWouldDiscardDraft = this.draftEmitter.event;
  private readonly movedEmitter = this.register(new vscode.EventEmitter<MovedEvent>());
  /** A save changed where the article lives (slug or categories), or created it. */
  readonly onDidMove = this.movedEmitter.event;
  private readonly missingKeyEmitter = this.register(new vscode.EventEmitter<void>());
  /** A read failed because no Docs API key is set. */
  readonly onMissingKey = this.missingKeyEmitter.event;
  private readonly linksResolvedEmitter = this.register(new vscode.EventEmitter<void>());
  /** New link targets are known: the Markdown preview can refresh. */
  readonly onDidResolveLinks = this.linksResolvedEmitter.event;
  private readonly infoEmitter = this.register(new vscode.EventEmitter<{ id: string; first: boolean }>());
  /** An article's status or draft presence was first seen (`first`) or changed. */
  readonly onDidChangeArticleInfo = this.infoEmitter.event;
  /** Article id -> its status and draft presence, as last read from the server. */
  private readonly infos = new Map<string, ArticleVersionInfo>();
  /** Live files whose last save went to the draft: the UI opens the draft and re-reads them. */
  private readonly savedToDraft = new Set<string>();

  private readonly states = new Map<string, FileState>();
  private readonly pending = new Map<string, PendingFile>();
  /** Articles fetched in the last few seconds, so `stat` then `readFile` cost one request. */
  private readonly recent = new Map<string, { at: number; article: Promise<Article> }>();
  /** Article number -> the URI of its file: what the Markdown preview rewrites links to. */
  readonly linkTargets = new Map<number, vscode.Uri>();
  /**
   * Names an article was renamed to that are not its real path ("Better title.md" becomes
   * `better-title-<id>.md`): VS Code stats the target right after a rename, so the name it
   * asked for keeps pointing at the file.
   */
  private readonly aliases = new Map<string, string>();
  /**
   * Files VS Code announced it is about to delete (path -> when): the explorer's Delete and
   * workspace edits announce theirs; the delete VS Code makes before a move that replaces a
   * file, and deletes through `workspace.fs`, are not announced. Only an announced delete of an
   * article's only file deletes the article.
   */
  private readonly announcedDeletes = new Map<string, number>();
  /**
   * Files an unannounced delete just took out of a category (path -> what it did). When a move
   * onto the same path follows and turns out to be onto another article, the move is refused
   * and the category is put back: that delete was VS Code making room for the move.
   */
  private readonly removals = new Map<string, Removal>();
  private queued: vscode.FileChangeEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: () => DocsClient,
    private readonly structure: DocsStructure,
    private readonly history: ArticleHistory,
    private readonly keyReady: () => Promise<boolean>,
    private readonly onConnectionChange: vscode.Event<void>,
    private readonly log: Logger,
    private readonly saveChoice: SaveChoice = () => Promise.resolve('draft'),
  ) {
    super();
    // Called by VS Code before it deletes files the user chose (the explorer asks first).
    this.register(vscode.workspace.onWillDeleteFiles((e) => {
      for (const f of e.files) if (f.scheme === DOCS_SCHEME) this.announcedDeletes.set(f.path, Date.now());
    }));
  }

  override dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    super.dispose();
  }

  // ---- events -----------------------------------------------------------------------

  /** Queues change events and sends them together shortly after (VS Code prefers few, larger batches). */
  fire(...events: vscode.FileChangeEvent[]): void {
    this.queued.push(...events);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const batch = this.queued;
      this.queued = [];
      if (batch.length > 0) this.changeEmitter.fire(batch);
    }, 20);
  }

  /** Called when the connection changes: folders may differ, every open file is re-read. */
  reset(): void {
    this.structure.invalidate();
    this.aliases.clear();
    this.recent.clear();
    const uris = [...this.states.keys()];
    this.states.clear();
    this.fire({ type: vscode.FileChangeType.Changed, uri: vscode.Uri.from({ scheme: DOCS_SCHEME, path: '/' }) },
      ...uris.map((u) => ({ type: vscode.FileChangeType.Changed, uri: vscode.Uri.parse(u) })));
  }

  // ---- FileSystemProvider ----------------------------------------------------------

  watch(): vscode.Disposable {
    // Changes made through this provider are announced by it; changes made elsewhere
    // (the Help Scout web app) are found when a file is saved, never by polling.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const alias = this.aliases.get(uri.path);
    if (alias !== undefined) return this.stat(uri.with({ path: alias }));
    const pending = this.pending.get(uri.path);
    if (pending) return { type: vscode.FileType.File, ctime: pending.ctime, mtime: pending.ctime, size: pending.content.byteLength };
    // A file VS Code has read keeps the stat of that read until it is read or saved again: VS Code
    // compares it before saving, and the server check happens in writeFile.
    const state = this.states.get(uri.toString());
    if (state) return { type: vscode.FileType.File, ctime: state.ctime, mtime: state.mtime, size: encoder.encode(state.document).byteLength };
    return this.guard(uri, async () => {
      const parsed = parseArticlePath(uri.path);
      if (parsed) {
        const { article, located } = await this.articleAt(uri);
        const fields = articleFields(article);
        const size = encoder.encode(articleToDocument(fields, located.context)).byteLength;
        return { type: vscode.FileType.File, ctime: time(article.createdAt), mtime: time(article.updatedAt ?? article.createdAt), size };
      }
      const dir = await this.structure.resolve(this.segments(uri));
      if (!dir) throw vscode.FileSystemError.FileNotFound(uri);
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.guard(uri, async () => {
      await this.requireKey();
      const segments = this.segments(uri);
      const dir = await this.structure.resolve(segments);
      if (!dir) throw vscode.FileSystemError.FileNotFound(uri);
      if (!dir.site) return (await this.structure.sites()).map((s) => [s.segment, vscode.FileType.Directory]);
      if (!dir.collection) return (await this.structure.collections(dir.site.id)).map((c) => [c.segment, vscode.FileType.Directory]);
      const out: [string, vscode.FileType][] = [];
      if (!dir.category) {
        const categories = await this.structure.categories(dir.collection.id);
        for (const c of categories) if (!c.uncategorized) out.push([c.segment, vscode.FileType.Directory]);
        // Articles without a category are those of the collection's Uncategorized category.
        // (If a collection has none, it has no uncategorised articles to show.)
        for (const c of categories) if (c.uncategorized) out.push(...(await this.listArticles(uri, c.id)));
      } else {
        out.push(...(await this.listArticles(uri, dir.category.id)));
      }
      for (const path of this.pending.keys()) {
        const slash = path.lastIndexOf('/');
        if (path.slice(0, slash) === uri.path.replace(/\/$/, '')) out.push([path.slice(slash + 1), vscode.FileType.File]);
      }
      return out;
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const alias = this.aliases.get(uri.path);
    if (alias !== undefined) return this.readFile(uri.with({ path: alias }));
    const pending = this.pending.get(uri.path);
    if (pending) return pending.content;
    return this.guard(uri, async () => {
      await this.requireKey();
      const { article, located } = await this.articleAt(uri, isDraftUri(uri), true);
      const state = this.remember(uri, article, located.context);
      this.rememberLink(article.number, uri.with({ query: '' }));
      void this.resolveLinks(article.text);
      return encoder.encode(state.document);
    });
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const pending = this.pending.get(uri.path);
    if (pending) return this.guard(uri, () => this.createArticle(uri, pending, content));
    if (!parseArticlePath(uri.path)) {
      // A new file in a collection or category folder (explorer "New File", or a tool
      // writing one) becomes a pending article; saving it with a name creates it.
      return this.guard(uri, async () => {
        if (!options.create) throw vscode.FileSystemError.FileNotFound(uri);
        const dir = await this.structure.resolve(this.segments(uri).slice(0, -1));
        if (!dir?.collection || !uri.path.endsWith('.md')) {
          throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Only Markdown files in a Help Scout collection or category folder can be created here.'));
        }
        const entry: PendingFile = { collection: dir.collection, category: dir.category ?? null, content, ctime: Date.now() };
        this.pending.set(uri.path, entry);
        if (decoder.decode(content).trim() !== '') await this.createArticle(uri, entry, content);
        else this.fire({ type: vscode.FileChangeType.Created, uri });
      });
    }
    return this.guard(uri, () => this.saveArticle(uri, decoder.decode(content)));
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(
      vscode.l10n.t('Folders here are Help Scout sites, collections and categories. Create collections and categories in Help Scout; they appear here within a minute.'),
    );
  }

  /**
   * Called for the explorer's Delete (after VS Code asked), for `workspace.fs.delete`, and by VS
   * Code itself on the target of a move that replaces a file, just before the move. One of an
   * article's several files: the article leaves that category. Its only file: the article is
   * deleted only when VS Code announced the delete (the user asked for it); otherwise refused.
   */
  async delete(uri: vscode.Uri): Promise<void> {
    const announced = this.takeAnnounced(uri.path);
    if (this.pending.delete(uri.path)) {
      this.fire({ type: vscode.FileChangeType.Deleted, uri });
      return;
    }
    return this.guard(uri, async () => {
      const file = uri.with({ path: this.aliases.get(uri.path) ?? uri.path, query: '' });
      if (!parseArticlePath(file.path)) {
        throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Collections and categories can only be deleted in Help Scout.'));
      }
      const { article, located } = await this.articleAt(file, false, true);
      const fileCategoryId = await this.categoryIdOf(file);
      const outcome = await deleteArticleFile(this.client(), {
        article,
        collectionCategories: await this.currentCategories(article, located.collection.id),
        fileCategoryId,
        confirmed: announced,
        // The HTML goes to local history first ("Restore Previous Version" can bring the text back).
        beforeDelete: () => this.history.record(article.id, 'deleted', article.text),
      });
      if (outcome.kind === 'deleted') {
        this.log.info(`[docsfs] deleted article ${article.id}`);
        this.deleted(article, located);
        return;
      }
      this.log.info(`[docsfs] took article ${article.id} out of category ${outcome.categoryId}${announced ? '' : ' (unannounced delete)'}`);
      if (!announced) {
        // Keyed by the path VS Code used: the move that may follow names the same one.
        this.removals.set(uri.path, {
          path: file.path, articleId: article.id, name: article.name, collectionId: article.collectionId,
          categoryId: outcome.categoryId, before: outcome.before, at: Date.now(),
        });
      }
      this.forget(article.id);
      const rest = located.paths.find((p) => p !== file.path);
      if (rest !== undefined) this.rememberLink(article.number, file.with({ path: rest }));
      this.fire({ type: vscode.FileChangeType.Deleted, uri: file }, ...(file.path !== uri.path ? [{ type: vscode.FileChangeType.Deleted, uri }] : []));
    });
  }

  /**
   * "Delete Article": deletes the article itself, from every category and the public site. The
   * command has asked the writer; the HTML goes to local history first. Core errors propagate
   * (the command shows them).
   */
  async deleteArticle(idOrNumber: string): Promise<void> {
    await this.requireKey();
    const article = await this.fetchArticle(idOrNumber, false, true);
    const located = await this.locate(article);
    await this.history.record(article.id, 'deleted', article.text);
    await this.client().deleteArticle(article.id);
    this.log.info(`[docsfs] deleted article ${article.id} (Delete Article)`);
    this.deleted(article, located);
  }

  /**
   * Called for the explorer's rename and move (drag and drop) and `workspace.fs.rename`. A move
   * that replaces a file reaches here after VS Code deleted the target (see `delete`). Changes
   * the article's slug, name or categories; never deletes an article, and never replaces another
   * article's file.
   */
  async rename(oldUri: vscode.Uri, newUri: vscode.Uri): Promise<void> {
    const removed = this.takeRemoval(newUri.path);
    return this.guard(oldUri, () => this.move(oldUri, newUri, removed).catch(async (e: unknown) => {
      if (removed) await this.undoRemoval(removed, !(e instanceof ArticleFileError));
      throw e;
    }));
  }

  private async move(oldUri: vscode.Uri, newUri: vscode.Uri, removed: Removal | undefined): Promise<void> {
    if (!parseArticlePath(oldUri.path)) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Collections and categories can only be renamed in Help Scout.'));
    const { article, located } = await this.articleAt(oldUri, false, true);
    this.checkNotStale(oldUri, article);
    const newSegments = this.segments(newUri);
    const fileName = newSegments.pop() ?? '';
    const target = await this.structure.resolve(newSegments);
    const occupant = removed ? occupantOf(removed) : await this.occupantAt(newUri, article.id);
    const plan = await moveArticleFile(this.client(), {
      article,
      collectionCategories: await this.structure.categories(located.collection.id),
      fromCategoryId: await this.categoryIdOf(oldUri),
      to: { collectionId: target?.collection?.id ?? null, categoryId: target?.category?.id ?? null, fileName },
      ...(occupant ? { occupant } : {}),
    });
    if (plan.kind === 'none') return;
    this.log.info(`[docsfs] renamed article ${article.id}: ${Object.keys(plan.body).join(', ')}`);
    this.forget(article.id);
    const fresh = await this.fetchArticle(article.id, false, true);
    const now = await this.locate(fresh);
    const newPath = now.paths.includes(newUri.path) ? newUri.path : now.paths.find((p) => p.startsWith(`/${newSegments.join('/')}/`)) ?? now.paths[0] ?? newUri.path;
    if (newPath !== newUri.path) this.aliases.set(newUri.path, newPath);
    this.rememberLink(fresh.number, newUri.with({ path: newPath, query: '' }));
    this.fire(
      ...located.paths.map((p) => ({ type: vscode.FileChangeType.Deleted, uri: oldUri.with({ path: p, query: '' }) })),
      ...now.paths.map((p) => ({ type: vscode.FileChangeType.Created, uri: newUri.with({ path: p, query: '' }) })),
    );
  }

  /**
   * A move failed after VS Code's delete before it took an article out of a category: the
   * category goes back (`restore`; a refused move has put it back already), so nothing changed.
   */
  private async undoRemoval(removed: Removal, restore: boolean): Promise<void> {
    try {
      if (restore) await restoreCategory(this.client(), occupantOf(removed), await this.structure.categories(removed.collectionId));
      this.log.info(`[docsfs] put article ${removed.articleId} back in category ${removed.categoryId}: the move onto its file failed`);
    } catch (e) {
      this.log.error(`[docsfs] could not put article ${removed.articleId} back in category ${removed.categoryId}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.forget(removed.articleId);
    this.fire({ type: vscode.FileChangeType.Created, uri: vscode.Uri.from({ scheme: DOCS_SCHEME, path: removed.path }) });
  }

  /** After an article was deleted: forget it and tell VS Code all its files are gone. */
  private deleted(article: Article, located: Located): void {
    this.forget(article.id);
    this.linkTargets.delete(article.number);
    const root = vscode.Uri.from({ scheme: DOCS_SCHEME, path: '/' });
    this.fire(...located.paths.map((p) => ({ type: vscode.FileChangeType.Deleted, uri: root.with({ path: p }) })));
  }

  /** Whether VS Code announced deleting this path (and forgets the announcement: it counts once). */
  private takeAnnounced(path: string): boolean {
    const at = this.announcedDeletes.get(path);
    this.announcedDeletes.delete(path);
    for (const [p, t] of [...this.announcedDeletes]) if (Date.now() - t > ANNOUNCED_MS) this.announcedDeletes.delete(p);
    return at !== undefined && Date.now() - at <= ANNOUNCED_MS;
  }

  /** What the unannounced delete just before this move did at `path`, if anything (once). */
  private takeRemoval(path: string): Removal | undefined {
    const r = this.removals.get(path);
    this.removals.delete(path);
    for (const [p, x] of [...this.removals]) if (Date.now() - x.at > REMOVAL_MS) this.removals.delete(p);
    return r && Date.now() - r.at <= REMOVAL_MS ? r : undefined;
  }

  /** The article whose file is at `uri` now, when that is not `selfId`'s. */
  private async occupantAt(uri: vscode.Uri, selfId: string): Promise<TargetOccupant | undefined> {
    const file = uri.with({ path: this.aliases.get(uri.path) ?? uri.path, query: '' });
    const parsed = parseArticlePath(file.path);
    if (!parsed || parsed.id === selfId) return undefined;
    try {
      const { article } = await this.articleAt(file);
      return { id: article.id, name: article.name };
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
      throw e;
    }
  }

  /**
   * The collection's categories, read again when the article is in one the cached list does
   * not know yet (created in Help Scout in the last minute): a delete must see every folder the
   * article is in before it decides that a file is the article's only one.
   */
  private async currentCategories(article: Article, collectionId: string): Promise<CategoryNode[]> {
    const cached = await this.structure.categories(collectionId);
    if ((article.categories ?? []).every((id) => cached.some((c) => c.id === id))) return cached;
    this.structure.invalidate();
    return this.structure.categories(collectionId);
  }

  /** The category whose folder a file is in; null for a file directly in a collection folder. */
  private async categoryIdOf(uri: vscode.Uri): Promise<string | null> {
    if (parseArticlePath(uri.path)?.category == null) return null;
    const dir = await this.structure.resolve(this.segments(uri).slice(0, 3));
    if (!dir?.category) throw vscode.FileSystemError.FileNotFound(uri);
    return dir.category.id;
  }

  // ---- saving ----------------------------------------------------------------------

  private async saveArticle(uri: vscode.Uri, text: string): Promise<void> {
    const key = uri.toString();
    const state = this.states.get(key);
    // Saving exactly what was read (or what a save refreshed) changes nothing on the server.
    if (state && text === state.document) return;
    await this.requireKey();
    const draft = isDraftUri(uri);
    let parsed;
    try {
      parsed = documentToArticle(text);
    } catch (e) {
      throw this.documentError(e);
    }
    const id = parseArticlePath(uri.path)?.id ?? '';
    if (parsed.frontMatter.id !== id) {
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('The front matter says id {0}, but this file is article {1}. Put the id back to save.', parsed.frontMatter.id, id));
    }
    // Always the server's current version, never a cached one.
    const server = await this.fetchArticle(id, draft, true);
    // The version the writer edits is the one remembered at read time; the front matter's
    // updatedAt (which the writer could edit) counts only for a file written without a read.
    const opened = state ? state.openedUpdatedAt : parsed.frontMatter.updatedAt;
    const conflict = checkConflict({ openedUpdatedAt: opened, serverUpdatedAt: server.updatedAt ?? null });
    const overwriteChosen = state?.overwrite !== undefined && checkConflict({ openedUpdatedAt: state.overwrite, serverUpdatedAt: server.updatedAt ?? null }).status === 'ok';
    if (conflict.status === 'conflict' && !overwriteChosen) {
      this.log.warn(`[docsfs] save of ${id} refused: opened at ${String(opened)}, server at ${String(server.updatedAt)}`);
      this.conflictEmitter.fire({ uri, articleId: id, openedUpdatedAt: opened, serverUpdatedAt: server.updatedAt ?? null });
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t('Not saved: this article was changed in Help Scout since you opened it. Compare with the server version, or overwrite it.'),
      );
    }
    const located = await this.locate(server);
    const fields = articleFields(server);
    let plan;
    try {
      plan = planArticleSave({ document: parsed, server: fields, context: located.context });
    } catch (e) {
      throw this.documentError(e);
    }
    if (plan.readOnlyChanges.length > 0) {
      this.log.info(`[docsfs] read-only fields not sent for ${id}: ${plan.readOnlyChanges.map((c) => c.field).join(', ')}`);
    }
    if (Object.keys(plan.body).length > 0) {
      const toDraft = await this.saveGoesToDraft(uri, draft, server, plan.body);
      const agreed = state?.discardDraft !== undefined && checkConflict({ openedUpdatedAt: state.discardDraft, serverUpdatedAt: server.updatedAt ?? null }).status === 'ok';
      if (draft) {
        await this.saveDraftVersion(server, plan.body, parsed.html);
      } else if (toDraft) {
        // The live file's text becomes the draft; the live article stays as customers see it.
        if (server.hasDraft === true && !agreed) {
          this.draftEmitter.fire({ uri, articleId: id, replaces: true });
          throw vscode.FileSystemError.NoPermissions(
            vscode.l10n.t('Not saved: this article already has a draft, and saving the live file replaces that draft with your text. Choose "Replace Draft" or open the draft.'),
          );
        }
        if (server.hasDraft === true) await this.history.record(id, 'draft', (await this.fetchArticle(id, true, true)).text);
        await this.client().saveDraft(id, plan.body.text ?? parsed.html);
        this.savedToDraft.add(key);
      } else {
        if (plan.discardsDraft && !agreed) {
          this.draftEmitter.fire({ uri, articleId: id, replaces: false });
          throw vscode.FileSystemError.NoPermissions(
            vscode.l10n.t('Not saved: this article has an unpublished draft, and saving the live article discards it. Choose "Save and Discard Draft" or open the draft.'),
          );
        }
        if (plan.body.text !== undefined || plan.body.status !== undefined) await this.history.record(id, 'live', server.text);
        await this.client().updateArticle(id, plan.body);
      }
      this.log.info(`[docsfs] saved ${draft || toDraft ? 'draft of ' : ''}article ${id}: ${plan.changedFields.join(', ')}`);
    }
    await this.afterSave(uri, id, draft, located.paths);
  }

  /**
   * Whether a save that changes `body` keeps the live article as it is and puts the text in the
   * draft. Asks `saveChoice` only when the save would reach customers: the article is published
   * (or the save publishes it) and the live file's changes, or the draft file's non-text fields,
   * would go live. When the answer is "draft", any change that cannot live in a draft (name, slug,
   * categories, keywords, related, status) refuses the save rather than going live.
   */
  private async saveGoesToDraft(uri: vscode.Uri, draftFile: boolean, server: Article, body: ArticleUpdateBody): Promise<boolean> {
    const published = server.status === 'published';
    const publishes = body.status === 'published' && !published;
    const nonText = Object.keys(body).filter((k) => k !== 'text');
    const reaches = (published || publishes) && (draftFile ? nonText.length > 0 : true);
    if (!reaches) return false;
    const choice = await this.saveChoice(uri);
    if (choice === undefined) {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Not saved: choose Publish or Save as Draft to save this published article.'));
    }
    if (choice === 'publish') return false;
    if (nonText.length > 0) {
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t(
        { message: 'Not saved: a change to {0} would show on the public site at once, and saving keeps your changes in the draft. Undo that change to save the text as a draft, or use "Publish".', args: [nonText.join(', ')], comment: ['{0} lists front matter fields such as name, slug'] },
      ));
    }
    return !draftFile;
  }

  /** Writes a draft file: the body goes to the draft, other field changes to the article. */
  private async saveDraftVersion(server: Article, body: ArticleUpdateBody, html: string): Promise<void> {
    const { text, ...rest } = body;
    if (rest.status === 'published') {
      // Publishing from the draft file publishes the draft's text.
      await this.history.record(server.id, 'draft', server.text);
      await this.client().updateArticle(server.id, { ...rest, text: html });
      return;
    }
    if (text !== undefined) {
      await this.history.record(server.id, 'draft', server.text);
      await this.client().saveDraft(server.id, text);
    }
    if (Object.keys(rest).length > 0) await this.client().updateArticle(server.id, rest);
  }

  /** After any write: re-read, refresh this file's state, and tell VS Code about moved or stale copies. */
  private async afterSave(uri: vscode.Uri, id: string, draft: boolean, oldPaths: readonly string[]): Promise<void> {
    this.forget(id, uri.toString());
    const fresh = await this.fetchArticle(id, draft, true);
    const located = await this.locate(fresh);
    this.remember(uri, fresh, located.context);
    this.fire({ type: vscode.FileChangeType.Changed, uri });
    for (const p of oldPaths) if (!located.paths.includes(p)) this.fire({ type: vscode.FileChangeType.Deleted, uri: uri.with({ path: p, query: '' }) });
    for (const p of located.paths) if (!oldPaths.includes(p)) this.fire({ type: vscode.FileChangeType.Created, uri: uri.with({ path: p, query: '' }) });
    const target = located.paths.includes(uri.path) ? uri.path : located.paths[0];
    this.rememberLink(fresh.number, uri.with({ path: target ?? uri.path, query: '' }));
    if (target !== undefined && target !== uri.path) {
      this.movedEmitter.fire({ from: uri, to: uri.with({ path: target }), articleId: id, created: false });
    }
  }

  private async createArticle(uri: vscode.Uri, entry: PendingFile, content: Uint8Array): Promise<void> {
    const text = decoder.decode(content);
    entry.content = content;
    if (entry.createdId !== undefined) return; // already created: later saves of this tab change nothing
    await this.requireKey();
    let doc;
    let categories: string[] | undefined;
    try {
      doc = parseNewArticle(text);
      const context = await this.structure.context(entry.collection);
      if (doc.frontMatter.categories !== undefined) categories = categoryIdsForNames(doc.frontMatter.categories, context);
    } catch (e) {
      throw this.documentError(e);
    }
    const fm = doc.frontMatter;
    const created = await this.client().createArticle({
      collectionId: entry.collection.id,
      name: fm.name,
      text: doc.html,
      ...(fm.status ? { status: fm.status } : {}),
      ...(fm.slug ? { slug: fm.slug } : {}),
      ...(categories && categories.length > 0 ? { categories } : {}),
      ...(fm.keywords ? { keywords: fm.keywords } : {}),
      ...(fm.related ? { related: fm.related } : {}),
    });
    entry.createdId = created.id;
    this.log.info(`[docsfs] created article ${created.id} in collection ${entry.collection.id}`);
    const article = await this.fetchArticle(created.id, false, true);
    const located = await this.locate(article);
    const path = located.paths[0] ?? uri.path;
    const to = uri.with({ path, query: '' });
    this.rememberLink(article.number, to);
    this.fire(...located.paths.map((p) => ({ type: vscode.FileChangeType.Created, uri: uri.with({ path: p, query: '' }) })));
    this.movedEmitter.fire({ from: uri, to, articleId: created.id, created: true });
  }

  /** Lets the next save of `uri` overwrite the server version `serverUpdatedAt` ("Overwrite"). */
  allowOverwrite(uri: vscode.Uri, serverUpdatedAt: string | null): void {
    const state = this.states.get(uri.toString());
    if (state) state.overwrite = serverUpdatedAt;
  }

  /** Lets the next save of `uri` discard the article's draft ("Save and Discard Draft"). */
  async allowDiscardDraft(uri: vscode.Uri): Promise<void> {
    const state = this.states.get(uri.toString());
    if (!state) return;
    const server = await this.fetchArticle(state.articleId, false, true);
    state.discardDraft = server.updatedAt ?? null;
  }

  /** Drops what is remembered about a file (its editor was closed). */
  closed(uri: vscode.Uri): void {
    this.states.delete(uri.toString());
    const pending = this.pending.get(uri.path);
    if (pending?.createdId !== undefined || (pending && decoder.decode(pending.content).trim() === '')) {
      this.pending.delete(uri.path);
      this.fire({ type: vscode.FileChangeType.Deleted, uri });
    }
  }

  /** Adds a pending new article in a folder and returns its URI (used by "New Article"). */
  addPending(folder: { collection: CollectionNode; category: CategoryNode | null; site: SiteNode }, name: string, content: string): vscode.Uri {
    const dir = ['', folder.site.segment, folder.collection.segment, ...(folder.category ? [folder.category.segment] : [])].join('/');
    let path = `${dir}/${safeSegment(name)}.md`;
    for (let n = 2; this.pending.has(path); n++) path = `${dir}/${safeSegment(name)} ${n}.md`;
    this.pending.set(path, { collection: folder.collection, category: folder.category, content: encoder.encode(content), ctime: Date.now() });
    const uri = vscode.Uri.from({ scheme: DOCS_SCHEME, path });
    this.fire({ type: vscode.FileChangeType.Created, uri });
    return uri;
  }

  /** Hosts of the account's public sites, for recognising article links. */
  hostsForLinks(): string[] {
    return this.structure.lastSites.flatMap((s) => s.hosts);
  }

  /** Re-reads an article everywhere after a change made outside `writeFile` (publish, discard). */
  refreshArticle(id: string): void {
    this.forget(id);
    this.structure.invalidate();
  }

  /** The remembered state of an open file: the article id, the version it was read at, the server's HTML. */
  stateOf(uri: vscode.Uri): Readonly<FileState> | undefined {
    return this.states.get(uri.toString());
  }

  /** The server's current document for an article file (the left side of "Compare with server"). */
  async serverDocument(uri: vscode.Uri): Promise<string> {
    const id = parseArticlePath(uri.path)?.id;
    if (!id) throw vscode.FileSystemError.FileNotFound(uri);
    const article = await this.fetchArticle(id, isDraftUri(uri), true);
    const located = await this.locate(article);
    return articleToDocument(articleFields(article), located.context);
  }

  // ---- articles and paths -------------------------------------------------------------

  /** The URI of an article's file (its first category's folder); used by "Open Article" and the tree. */
  async uriFor(idOrNumber: string | number, draft = false): Promise<vscode.Uri> {
    const article = await this.fetchArticle(String(idOrNumber), false, true);
    const located = await this.locate(article);
    const path = located.paths[0];
    if (path === undefined) throw new NotFoundError(`article ${String(idOrNumber)} has no folder`);
    const uri = vscode.Uri.from({ scheme: DOCS_SCHEME, path, ...(draft ? { query: 'draft' } : {}) });
    this.rememberLink(article.number, uri.with({ query: '' }));
    return uri;
  }

  /** Gets the article; `fresh` skips the few-seconds cache (every write path uses fresh reads). */
  async fetchArticle(idOrNumber: string, draft: boolean, fresh = false): Promise<Article> {
    const key = `${idOrNumber}${draft ? '?draft' : ''}`;
    const hit = this.recent.get(key);
    if (!fresh && hit && Date.now() - hit.at < RECENT_MS) return hit.article;
    const article = this.client().getArticle(idOrNumber, { draft });
    this.recent.set(key, { at: Date.now(), article });
    article.then((a) => this.noteInfo(a), () => this.recent.delete(key));
    return article;
  }

  /** The status and draft presence last seen for an article, if any. */
  infoOf(articleId: string): ArticleVersionInfo | undefined {
    return this.infos.get(articleId);
  }

  /** True once per live-file save that went to the draft (the UI then shows the draft). */
  takeSavedToDraft(uri: vscode.Uri): boolean {
    return this.savedToDraft.delete(uri.toString());
  }

  private noteInfo(a: { id: string; status?: string | null | undefined; hasDraft?: boolean | null | undefined }): void {
    const next: ArticleVersionInfo = { status: a.status ?? 'notpublished', hasDraft: a.hasDraft === true };
    const before = this.infos.get(a.id);
    this.infos.set(a.id, next);
    if (before?.status !== next.status || before.hasDraft !== next.hasDraft) this.infoEmitter.fire({ id: a.id, first: before === undefined });
  }

  /** Site, collection and every path of an article. */
  async locate(article: Article): Promise<Located> {
    const found = await this.structure.findCollection(article.collectionId);
    if (!found) throw new NotFoundError(`collection ${article.collectionId} is not in any site`);
    const { site, collection } = found;
    const categories = await this.structure.categories(collection.id);
    const context = await this.structure.context(collection);
    const paths: string[] = [];
    for (const id of article.categories ?? []) {
      const cat = categories.find((c) => c.id === id);
      if (cat && !cat.uncategorized) {
        paths.push(buildArticlePath({ site: site.segment, collection: collection.name, category: cat.name, slug: article.slug ?? '', id: article.id }));
      }
    }
    if (paths.length === 0) paths.push(buildArticlePath({ site: site.segment, collection: collection.name, category: null, slug: article.slug ?? '', id: article.id }));
    return { site, collection, context, paths };
  }

  /** The article a file path names, checked against where the article really is now. */
  private async articleAt(uri: vscode.Uri, draft = false, fresh = false): Promise<{ article: Article; located: Located }> {
    const parsed = parseArticlePath(uri.path);
    if (!parsed) throw vscode.FileSystemError.FileNotFound(uri);
    let article: Article;
    try {
      article = await this.fetchArticle(parsed.id, draft, fresh);
    } catch (e) {
      if (e instanceof NotFoundError) throw vscode.FileSystemError.FileNotFound(uri);
      throw e;
    }
    const located = await this.locate(article);
    if (!located.paths.includes(uri.path)) throw vscode.FileSystemError.FileNotFound(uri);
    return { article, located };
  }

  private async listArticles(dir: vscode.Uri, categoryId: string): Promise<[string, vscode.FileType][]> {
    const out: [string, vscode.FileType][] = [];
    // Every page, 100 articles at a time (the API's maximum).
    for await (const page of this.client().listArticles({ categoryId }, { pageSize: 100, status: 'all' })) {
      for (const a of page.items) {
        this.noteInfo(a);
        const name = `${safeSegment(a.slug ?? '')}-${a.id}.md`;
        out.push([name, vscode.FileType.File]);
        this.rememberLink(a.number, vscode.Uri.joinPath(dir.with({ query: '' }), name));
      }
    }
    return out;
  }

  private remember(uri: vscode.Uri, article: Article, context: ArticleContext): FileState {
    const fields: DocsArticleFields = articleFields(article);
    const state: FileState = {
      articleId: article.id,
      draft: isDraftUri(uri),
      openedUpdatedAt: article.updatedAt ?? null,
      serverHtml: article.text,
      document: articleToDocument(fields, context),
      mtime: time(article.updatedAt ?? article.createdAt),
      ctime: time(article.createdAt),
    };
    this.states.set(uri.toString(), state);
    return state;
  }

  /**
   * Forgets cached reads of an article and the state of its other open files, so they are
   * read again (VS Code reloads unedited ones; edited ones fall back to their front matter
   * and get a conflict if the server moved).
   */
  private forget(id: string, except?: string): void {
    for (const k of [...this.recent.keys()]) if (k === id || k.startsWith(`${id}?`)) this.recent.delete(k);
    for (const [k, s] of [...this.states]) {
      if (s.articleId === id && k !== except) {
        this.states.delete(k);
        this.fire({ type: vscode.FileChangeType.Changed, uri: vscode.Uri.parse(k) });
      }
    }
  }

  private checkNotStale(uri: vscode.Uri, article: Article): void {
    const state = this.states.get(uri.toString());
    if (state && checkConflict({ openedUpdatedAt: state.openedUpdatedAt, serverUpdatedAt: article.updatedAt ?? null }).status === 'conflict') {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('This article was changed in Help Scout since you opened it. Reopen it, then rename it.'));
    }
  }

  private rememberLink(num: number, uri: vscode.Uri): void {
    this.linkTargets.set(num, uri);
  }

  /** Finds the files of articles linked from `html`, so the preview can link to them. Runs in the background. */
  private async resolveLinks(html: string): Promise<void> {
    const hosts = this.structure.lastSites.flatMap((s) => s.hosts);
    const numbers = new Set<number>();
    for (const m of html.matchAll(/href\s*=\s*["']([^"']+)["']/gi)) {
      const link = parseArticleUrl(m[1] ?? '', hosts.length > 0 ? hosts : undefined);
      if (link && !this.linkTargets.has(link.number)) numbers.add(link.number);
    }
    let found = false;
    for (const n of [...numbers].slice(0, 20)) {
      try {
        await this.uriFor(n);
        found = true;
      } catch {
        // A link to a deleted or foreign article stays a web link.
      }
    }
    if (found) this.linksResolvedEmitter.fire();
  }
  private segments(uri: vscode.Uri): string[] {
    return uri.path.split('/').filter((s) => s !== '');
  }

  // ---- errors and the API key ------------------------------------------------------------

  /**
   * Waits for the Docs API key: a few seconds when there is none yet (it may be being set
   * right now, e.g. while VS Code restores editors at start-up), then fails with a clear
   * message; the notification with "Set Docs API Key" is shown by the registration code.
   */
  private async requireKey(): Promise<void> {
    if (await this.keyReady()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 5_000);
      const sub = this.onConnectionChange(() => {
        void this.keyReady().then((ok) => {
          if (ok) done();
        });
      });
      function done(): void {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
    if (await this.keyReady()) return;
    this.missingKeyEmitter.fire();
    throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Set your Help Scout Docs API key to open Docs articles (Help Scout: Set Docs API Key).'));
  }

  private documentError(e: unknown): Error {
    if (e instanceof ArticleDocumentError) {
      return vscode.FileSystemError.NoPermissions(vscode.l10n.t('Not saved: {0}', e.issues.map((i) => `${i.field} ${i.message}`).join('; ')));
    }
    return e instanceof Error ? e : new Error(String(e));
  }

  /** A refused delete or move, in words. */
  private refusal(e: ArticleFileError): vscode.FileSystemError {
    switch (e.reason) {
      case 'onlyFile':
        return vscode.FileSystemError.NoPermissions(vscode.l10n.t(
          { message: 'Not deleted: this is the only file of "{0}", so deleting it would delete the article from Help Scout, and a move or rename never replaces another article. To delete the article, use Delete in the explorer or "Delete Article".', args: [e.article.name], comment: ['{0} is the name of a Help Scout Docs article'] },
        ));
      case 'otherArticle':
        return vscode.FileSystemError.FileExists(vscode.l10n.t(
          { message: 'Not moved: the file there is another article, "{0}", and a move or rename never replaces another article. Choose another name or folder.', args: [e.article.name], comment: ['{0} is the name of a Help Scout Docs article'] },
        ));
      case 'otherCollection':
        return vscode.FileSystemError.NoPermissions(vscode.l10n.t('An article can move only between the categories of its own collection.'));
      case 'noName':
        return vscode.FileSystemError.NoPermissions(vscode.l10n.t('An article needs a name.'));
    }
  }

  /** Runs a provider call; core errors become FileSystemErrors with the shared wording. */
  private async guard<T>(uri: vscode.Uri, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof vscode.FileSystemError) throw e;
      if (e instanceof ArticleFileError) throw this.refusal(e);
      if (e instanceof NotFoundError) throw vscode.FileSystemError.FileNotFound(uri);
      if (e instanceof NotConnectedError) {
        this.missingKeyEmitter.fire();
        throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Set your Help Scout Docs API key to open Docs articles (Help Scout: Set Docs API Key).'));
      }
      this.log.error(`[docsfs] ${uri.toString()}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      throw vscode.FileSystemError.Unavailable(describeError(e).message);
    }
  }
}
