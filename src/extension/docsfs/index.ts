// Docs articles as Markdown files: registers the `helpscout-docs` file system,
// the read-only `helpscout-docs-server` documents used by "Compare with
// Server", and the article commands (open, new, drafts, publish, restore). The
// extension calls `registerDocsFs` once at activation; the Docs tree and other
// features open articles through `articleUri` or the `helpscout.openArticle`
// command.
import * as vscode from 'vscode';
import { ArticleDocumentError, checkConflict, documentToArticle, htmlToMarkdown, parseArticlePath, parseArticleUrl, planArticleSave, articleFields } from '../../core/articles';
import { z } from 'zod';
import { argsOf, command, type CommandEntry, confirmedArg, noArgs, preConfirmed, uriArg } from '../commands';
import { Commands } from '../constants';
import type { HelpScoutServices } from '../services';
import { ArticleHistory } from './history';
import { docsLinksPlugin, type MarkdownIt } from './links';
import { newArticleTemplate } from '../../core/articles/newArticle';
import { DOCS_SCHEME, DocsFileSystemProvider, isDraftUri } from './provider';
import { DocsStructure, type CategoryNode, type CollectionNode, type SiteNode } from '../../core/articles/structure';
import { DocsSearchSession } from './search';
import { docsFolderCommands } from './folderSync';
import { DocsVersionIndicator } from './versionIndicator';

export { DOCS_SCHEME } from './provider';
export const DOCS_SERVER_SCHEME = 'helpscout-docs-server';

let current: DocsFileSystemProvider | undefined;

/**
 * The `helpscout-docs:` URI of an article's file (in its first category's folder), by id or
 * number. With `draft`, the URI of its draft version. Rejects when Docs is not connected or the
 * article does not exist.
 */
export function articleUri(idOrNumber: string | number, opts: { draft?: boolean } = {}): Promise<vscode.Uri> {
  if (!current) return Promise.reject(new Error('The Help Scout Docs file system is not registered yet.'));
  return current.uriFor(idOrNumber, opts.draft === true);
}

/** What `activate` adds to its API for the built-in Markdown extension (`markdown.markdownItPlugins`). */
export function extendMarkdownIt(md: MarkdownIt): MarkdownIt {
  return docsLinksPlugin(md, {
    hosts: () => current?.hostsForLinks() ?? [],
    target: (n) => current?.linkTargets.get(n),
  });
}

/** A `helpscout-docs:` article file (editor title menus pass it; commands fall back to the active editor). */
const fileArg = argsOf(uriArg.optional());
/** An article by id, number, public URL, file URI, or a tree row holding it. */
const articleRefArg = z.union([z.string(), z.number(), uriArg, z.custom<object>((v) => typeof v === 'object' && v !== null, 'an article')]);
const articleArg = argsOf(articleRefArg.optional());

/** Test access to the Docs editor (ExtensionMode.Test only; see extension.ts). */
export interface DocsTestHooks {
  /** Sets (or clears) this session's answer to "Publish to customers now?", as if the writer had answered. */
  answerPublishQuestion(answer: 'publish' | 'draft' | undefined): void;
  /** The version indicator: the active editor's version and the file decorations. */
  readonly indicator: DocsVersionIndicator;
  /** The open "Search Docs" picker, if any. */
  searchSession(): DocsSearchSession | undefined;
}

/** Articles that changed through the editor, and the collections whose folders changed. */
export interface DocsArticlesChange {
  readonly articleIds: readonly string[];
  readonly collectionIds: readonly string[];
}

export function registerDocsFs(context: vscode.ExtensionContext, services: HelpScoutServices): { commands: CommandEntry[]; testHooks: DocsTestHooks; onDidChangeArticles: vscode.Event<DocsArticlesChange> } {
  const log = services.log;
  const structure = new DocsStructure(() => services.docs());
  const history = new ArticleHistory(context.globalStorageUri);
  const provider = new DocsFileSystemProvider(
    () => services.docs(),
    structure,
    history,
    () => services.hasDocsKey(),
    docsAccountChanged(services),
    log,
    // Called at save time, long after docsUi exists.
    (uri): Promise<'publish' | 'draft' | undefined> => docsUi.saveChoice(uri),
  );
  current = provider;
  const docsUi: DocsUi = new DocsUi(provider, structure, history, services);
  const behaviorChanged = new vscode.EventEmitter<void>();
  const indicator = new DocsVersionIndicator(provider, () => services.settings.docsSaveBehavior, behaviorChanged.event);
  const articlesChanged = new ArticleChanges(provider, structure);

  context.subscriptions.push(
    provider,
    behaviorChanged,
    indicator,
    articlesChanged,
    { dispose: () => { if (current === provider) current = undefined; } },
    services.onDidChangeSettings((changed) => {
      if (!changed.has('docsSaveBehavior')) return;
      // A new choice in the settings: the question is asked again at the next publishing save.
      docsUi.forgetPublishAnswer();
      behaviorChanged.fire();
    }),
    vscode.workspace.registerFileSystemProvider(DOCS_SCHEME, provider, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SERVER_SCHEME, {
      // Called when "Compare with Server" opens its left side: the article as the server has it now.
      provideTextDocumentContent: (uri) => provider.serverDocument(uri.with({ scheme: DOCS_SCHEME })),
    }),
    // Another key or endpoint: folders may differ and every open file is re-read.
    services.onDidChangeAccount((api) => {
      if (api === 'docs') provider.reset();
    }),
    provider.onDidConflict((e) => void docsUi.offerConflictChoices(e.uri, e.serverUpdatedAt)),
    provider.onWouldDiscardDraft((e) => void docsUi.offerDraftChoices(e.uri, e.replaces)),
    provider.onDidMove((e) => void docsUi.moved(e.from, e.to, e.articleId, e.created)),
    provider.onMissingKey(() => docsUi.offerKey()),
    provider.onDidResolveLinks(() => void vscode.commands.executeCommand('markdown.preview.refresh').then(undefined, () => undefined)),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme === DOCS_SCHEME && provider.takeSavedToDraft(doc.uri)) void docsUi.showDraftAfterSave(doc);
      else void docsUi.refreshFrontMatter(doc);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === DOCS_SCHEME) provider.closed(doc.uri);
    }),
  );

  const title = (what: string): { title: string } => ({ title: vscode.l10n.t('Help Scout Docs ({0})', what) });
  return {
    onDidChangeArticles: articlesChanged.event,
    testHooks: {
      answerPublishQuestion: (answer) => docsUi.setPublishAnswer(answer),
      indicator,
      searchSession: () => docsUi.searchSession,
    },
    commands: [
      command(Commands.docsSearch, argsOf(z.string().optional()), (query) => docsUi.search(query), title('search')),
      command(Commands.openArticle, argsOf(articleRefArg.optional(), z.object({ draft: z.boolean().optional() }).optional()), (arg, opts) => docsUi.openArticle(arg, opts?.draft === undefined ? {} : { draft: opts.draft }), title('open')),
      command(Commands.docsOpenWorkspaceFolder, noArgs, () => docsUi.openAsWorkspaceFolder(), title('workspace')),
      command(Commands.docsNewArticle, articleArg, (arg) => docsUi.newArticle(arg), title('new article')),
      command(Commands.docsSaveAsDraft, fileArg, (uri) => docsUi.saveAsDraft(uri), title('save as draft')),
      command(Commands.docsPublish, fileArg, (uri) => docsUi.publish(uri), title('publish')),
      command(Commands.docsDiscardDraft, fileArg, (uri) => docsUi.discardDraft(uri), title('discard draft')),
      command(Commands.docsOpenDraft, fileArg, (uri) => docsUi.openVersion(uri, true), title('open draft')),
      command(Commands.docsOpenPublished, fileArg, (uri) => docsUi.openVersion(uri, false), title('open published')),
      command(Commands.docsRestoreVersion, argsOf(uriArg.optional(), z.string().optional()), (uri, entryId) => docsUi.restore(uri, entryId), title('restore')),
      command(Commands.docsCompareWithServer, fileArg, (uri) => docsUi.compare(uri), title('compare')),
      command(Commands.docsDeleteArticle, argsOf(articleRefArg.optional(), confirmedArg), (arg, opts) => docsUi.deleteArticle(arg, preConfirmed(opts)), title('delete')),
      command(Commands.docsOverwrite, argsOf(uriArg, z.string().nullable()), (uri, serverUpdatedAt) => docsUi.overwrite(uri, serverUpdatedAt), title('overwrite')),
      command(Commands.docsSaveDiscardingDraft, argsOf(uriArg), (uri) => docsUi.saveDiscardingDraft(uri), title('save')),
      ...docsFolderCommands(services),
    ],
  };
}

/**
 * Collects what the provider changed (files created, changed, deleted; an article's status or
 * draft) and reports it a moment later as one change, so the Docs tree refreshes only the
 * affected rows, once per burst of writes.
 */
class ArticleChanges implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DocsArticlesChange>();
  readonly event = this.emitter.event;
  private readonly subs: vscode.Disposable[];
  private articleIds = new Set<string>();
  private paths = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(provider: DocsFileSystemProvider, private readonly structure: DocsStructure) {
    this.subs = [
      provider.onDidChangeFile((events) => {
        for (const e of events) {
          const id = parseArticlePath(e.uri.path)?.id;
          if (id !== undefined) this.articleIds.add(id);
          if (e.type !== vscode.FileChangeType.Changed) this.paths.add(e.uri.path);
        }
        this.schedule();
      }),
      provider.onDidChangeArticleInfo((e) => {
        // A first sighting is not a change: the tree already shows what the server has.
        if (e.first) return;
        this.articleIds.add(e.id);
        this.schedule();
      }),
    ];
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush(), 300);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const articleIds = [...this.articleIds];
    const paths = [...this.paths];
    this.articleIds = new Set();
    this.paths = new Set();
    const collectionIds = new Set<string>();
    for (const p of paths) {
      try {
        const dir = await this.structure.resolve(p.split('/').filter((s) => s !== '').slice(0, 2));
        if (dir?.collection) collectionIds.add(dir.collection.id);
      } catch {
        // An unknown folder: nothing in the tree to refresh for it.
      }
    }
    if (articleIds.length > 0 || collectionIds.size > 0) this.emitter.fire({ articleIds, collectionIds: [...collectionIds] });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}

/** Fires when the Docs API's account or endpoint changed (the provider waits on it for a key). */
function docsAccountChanged(services: HelpScoutServices): vscode.Event<void> {
  return (listener, thisArgs, disposables) => services.onDidChangeAccount((api) => {
    if (api === 'docs') listener.call(thisArgs);
  }, undefined, disposables);

}

/** An article reference from a command argument: an id, a number, a URL, a file URI or a tree element. */
function articleRef(arg: unknown): string | undefined {
  if (typeof arg === 'number') return String(arg);
  if (typeof arg === 'string') {
    const n = parseArticleUrl(arg)?.number;
    return n !== undefined ? String(n) : arg.trim().replace(/^#/, '') || undefined;
  }
  if (arg instanceof vscode.Uri) return parseArticlePath(arg.path)?.id;
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    for (const k of ['articleId', 'id']) if (typeof o[k] === 'string') return o[k];
    if (o['article'] && typeof o['article'] === 'object') return articleRef(o['article']);
  }
  return undefined;
}

/** The UI half: commands, notifications and editors. The provider never shows UI itself. */
class DocsUi {
  private lastKeyPrompt = 0;
  /** This session's answer to "Publish to customers now?" (saveBehavior = publish). */
  private publishAnswer: 'publish' | 'draft' | undefined;
  /** The open "Search Docs" picker. */
  searchSession: DocsSearchSession | undefined;

  constructor(
    private readonly provider: DocsFileSystemProvider,
    private readonly structure: DocsStructure,
    private readonly history: ArticleHistory,
    private readonly services: HelpScoutServices,
  ) {}

  /** The article file a command acts on: its argument, else the active editor's document. */
  private target(uri?: vscode.Uri): vscode.Uri {
    const u = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!u || u.scheme !== DOCS_SCHEME || !parseArticlePath(u.path)) {
      throw new Error(vscode.l10n.t('Open a Help Scout Docs article first.'));
    }
    return u;
  }

  private async documentFor(uri: vscode.Uri): Promise<vscode.TextDocument> {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri);
  }

  /**
   * Called by the provider when a save would change what customers see. With the default
   * setting the text goes to the draft; with `publish`, the first such save of the session asks
   * (modally) and the answer is kept until VS Code restarts or the setting changes.
   */
  async saveChoice(_uri: vscode.Uri): Promise<'publish' | 'draft' | undefined> {
    if (this.services.settings.docsSaveBehavior !== 'publish') return 'draft';
    if (this.publishAnswer) return this.publishAnswer;
    const publish = vscode.l10n.t('Publish');
    const draft = vscode.l10n.t('Save as Draft');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('Publish to customers now?'),
      {
        modal: true,
        detail: vscode.l10n.t('Your setting helpscout.docs.saveBehavior is "publish": saving a published article changes what customers see at once. Your answer is kept until VS Code restarts.'),
      },
      publish,
      draft,
    );
    this.publishAnswer = picked === publish ? 'publish' : picked === draft ? 'draft' : undefined;
    return this.publishAnswer;
  }

  setPublishAnswer(answer: 'publish' | 'draft' | undefined): void {
    this.publishAnswer = answer;
  }

  forgetPublishAnswer(): void {
    this.publishAnswer = undefined;
  }

  /** After a save of the live file went to the draft: the draft opens in its place. */
  async showDraftAfterSave(doc: vscode.TextDocument): Promise<void> {
    const draftUri = doc.uri.with({ query: 'draft' });
    const wasActive = vscode.window.activeTextEditor?.document.uri.toString() === doc.uri.toString();
    await vscode.window.showTextDocument(draftUri, { preview: false, preserveFocus: !wasActive });
    if (!doc.isDirty) {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString());
      await vscode.window.tabGroups.close(tabs);
    }
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Saved as a draft: customers still see the published article until you run "Publish".'), 8000);
  }

  /** "Search Docs…": a quick pick over the Docs API's article search; the chosen article opens. */
  search(query?: string): void {
    this.searchSession?.dispose();
    const session = new DocsSearchSession(this.services, this.structure, (a) => this.openArticle(a.id));
    this.searchSession = session;
    session.picker.onDidHide(() => {
      if (this.searchSession === session) this.searchSession = undefined;
    });
    session.show(query ?? '');
  }

  offerKey(): void {
    // One prompt per half minute: VS Code may read several files at once.
    if (Date.now() - this.lastKeyPrompt < 30_000) return;
    this.lastKeyPrompt = Date.now();
    const set = vscode.l10n.t('Set Docs API Key');
    void vscode.window.showWarningMessage(vscode.l10n.t('Help Scout Docs articles open once your Docs API key is set.'), set).then((picked) => {
      if (picked === set) void vscode.commands.executeCommand(Commands.setDocsApiKey);
    });
  }

  async openArticle(arg: unknown, opts: { draft?: boolean } = {}): Promise<vscode.Uri | undefined> {
    let ref = articleRef(arg);
    if (ref === undefined) {
      ref = articleRef(await vscode.window.showInputBox({
        title: vscode.l10n.t('Open Help Scout Docs Article'),
        prompt: vscode.l10n.t('Article id, number or public URL'),
        ignoreFocusOut: true,
      }));
      if (ref === undefined) return undefined;
    }
    let draft = opts.draft;
    if (draft === undefined) {
      // A writer continues where the work is: the draft when there is one.
      draft = (await this.provider.fetchArticle(ref, false)).hasDraft === true;
    }
    const uri = await this.provider.uriFor(ref, draft);
    await vscode.window.showTextDocument(uri, { preview: false });
    if (draft) {
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Editing the draft: saving updates the draft; "Publish" makes it live.'), 8000);
    }
    return uri;
  }

  async openAsWorkspaceFolder(): Promise<void> {
    const root = vscode.Uri.from({ scheme: DOCS_SCHEME, path: '/' });
    if (vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === root.toString())) {
      await vscode.commands.executeCommand('workbench.view.explorer');
      return;
    }
    const at = vscode.workspace.workspaceFolders?.length ?? 0;
    if (!vscode.workspace.updateWorkspaceFolders(at, 0, { uri: root, name: vscode.l10n.t('Help Scout Docs') })) {
      throw new Error(vscode.l10n.t('VS Code did not add the Help Scout Docs folder.'));
    }
  }

  /** Picks (or takes from the argument) the collection and category for a new article. */
  private async folderFor(arg: unknown): Promise<{ site: SiteNode; collection: CollectionNode; category: CategoryNode | null } | undefined> {
    if (arg instanceof vscode.Uri && arg.scheme === DOCS_SCHEME) {
      const r = await this.structure.resolve(arg.path.split('/').filter((s) => s !== ''));
      if (r?.site && r.collection) return { site: r.site, collection: r.collection, category: r.category ?? null };
    }
    if (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri)) {
      const o = arg as Record<string, unknown>;
      const nested = (k: string): string | undefined => {
        const v = o[k];
        return v && typeof v === 'object' && typeof (v as Record<string, unknown>)['id'] === 'string' ? ((v as Record<string, unknown>)['id'] as string) : undefined;
      };
      const category = o['category'] && typeof o['category'] === 'object' ? (o['category'] as Record<string, unknown>) : undefined;
      const collectionId = typeof o['collectionId'] === 'string' ? o['collectionId']
        : nested('collection') ?? (typeof category?.['collectionId'] === 'string' ? category['collectionId'] : undefined);
      const categoryId = typeof o['categoryId'] === 'string' ? o['categoryId'] : nested('category');
      if (collectionId) {
        const found = await this.structure.findCollection(collectionId);
        if (!found) throw new Error(vscode.l10n.t('Collection {0} was not found.', collectionId));
        const category = categoryId ? (await this.structure.categories(collectionId)).find((c) => c.id === categoryId) ?? null : null;
        return { ...found, category: category && !category.uncategorized ? category : null };
      }
    }
    const sites = await this.structure.sites();
    const collections: { site: SiteNode; collection: CollectionNode }[] = [];
    for (const site of sites) for (const collection of await this.structure.collections(site.id)) collections.push({ site, collection });
    const pickedCollection = await vscode.window.showQuickPick(
      collections.map((c) => ({ label: c.collection.name, description: c.site.segment, value: c })),
      { title: vscode.l10n.t('New Article: collection') },
    );
    if (!pickedCollection) return undefined;
    const categories = (await this.structure.categories(pickedCollection.value.collection.id)).filter((c) => !c.uncategorized);
    const none = { label: vscode.l10n.t('(no category)'), value: null as CategoryNode | null };
    const pickedCategory = await vscode.window.showQuickPick([none, ...categories.map((c) => ({ label: c.name, value: c as CategoryNode | null }))], {
      title: vscode.l10n.t('New Article: category'),
    });
    if (!pickedCategory) return undefined;
    return { ...pickedCollection.value, category: pickedCategory.value };
  }

  async newArticle(arg: unknown): Promise<vscode.Uri | undefined> {
    const folder = await this.folderFor(arg);
    if (!folder) return undefined;
    const name = vscode.l10n.t('New article');
    const content = newArticleTemplate({ name, collectionName: folder.collection.name, categoryName: folder.category?.name ?? null });
    const uri = this.provider.addPending(folder, name, content);
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }

  /** After a save moved an article (new slug or categories) or created it: show the new file. */
  async moved(from: vscode.Uri, to: vscode.Uri, articleId: string, created: boolean): Promise<void> {
    const fromDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === from.toString());
    const wasActive = vscode.window.activeTextEditor?.document.uri.toString() === from.toString();
    await vscode.window.showTextDocument(to, { preview: false, preserveFocus: !wasActive });
    if (fromDoc && !fromDoc.isDirty) {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === from.toString());
      await vscode.window.tabGroups.close(tabs);
    }
    if (created) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Created the article in Help Scout.'));
      // The Docs tree reveals the article when it offers this command.
      const commands = await vscode.commands.getCommands(true);
      if (commands.includes('helpscout.docs.revealArticle')) await vscode.commands.executeCommand('helpscout.docs.revealArticle', articleId);
      if (vscode.workspace.getWorkspaceFolder(to)) await vscode.commands.executeCommand('revealInExplorer', to).then(undefined, () => undefined);
    }
  }

  /** After a save: puts the new updatedAt (and anything else the server changed) into the front matter. */
  async refreshFrontMatter(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== DOCS_SCHEME) return;
    const state = this.provider.stateOf(doc.uri);
    if (!state || doc.isDirty) return;
    const text = doc.getText();
    if (text === state.document) return;
    const wanted = frontMatterBlock(state.document);
    const have = frontMatterBlock(text);
    if (!wanted || !have || wanted.text === have.text) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(have.end)), wanted.text);
    if (await vscode.workspace.applyEdit(edit)) await doc.save();
  }

  async offerConflictChoices(uri: vscode.Uri, serverUpdatedAt: string | null): Promise<void> {
    const compare = vscode.l10n.t('Compare with Server');
    const overwrite = vscode.l10n.t('Overwrite');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('"{0}" was changed in Help Scout after you opened it, so it was not saved.', uri.path.split('/').pop() ?? ''),
      compare,
      overwrite,
    );
    if (picked === compare) await vscode.commands.executeCommand(Commands.docsCompareWithServer, uri);
    if (picked === overwrite) await vscode.commands.executeCommand(Commands.docsOverwrite, uri, serverUpdatedAt);
  }

  async offerDraftChoices(uri: vscode.Uri, replaces: boolean): Promise<void> {
    const save = replaces ? vscode.l10n.t('Replace Draft') : vscode.l10n.t('Save and Discard Draft');
    const open = vscode.l10n.t('Open Draft');
    const picked = await vscode.window.showWarningMessage(
      replaces
        ? vscode.l10n.t('This article already has a draft. Saving the live file replaces that draft with your text.')
        : vscode.l10n.t('This article has an unpublished draft. Saving the published article discards that draft.'),
      save,
      open,
    );
    if (picked === save) await vscode.commands.executeCommand(Commands.docsSaveDiscardingDraft, uri);
    if (picked === open) await vscode.commands.executeCommand(Commands.docsOpenDraft, uri);
  }

  async compare(uri?: vscode.Uri): Promise<void> {
    const target = this.target(uri);
    const left = target.with({ scheme: DOCS_SERVER_SCHEME, query: `${target.query}${target.query ? '&' : ''}t=${Date.now()}` });
    const name = target.path.split('/').pop() ?? '';
    await vscode.commands.executeCommand('vscode.diff', left, target, vscode.l10n.t('{0} (Help Scout) ↔ yours', name));
  }

  /** "Overwrite": saves the file over the server version the writer was told about. */
  async overwrite(uri: vscode.Uri, serverUpdatedAt: string | null): Promise<boolean> {
    this.provider.allowOverwrite(uri, serverUpdatedAt);
    return (await this.documentFor(uri)).save();
  }

  async saveDiscardingDraft(uri: vscode.Uri): Promise<boolean> {
    await this.provider.allowDiscardDraft(uri);
    return (await this.documentFor(uri)).save();
  }

  async openVersion(uri: vscode.Uri | undefined, draft: boolean): Promise<void> {
    const target = this.target(uri);
    await vscode.window.showTextDocument(target.with({ query: draft ? 'draft' : '' }), { preview: false });
  }

  /** Reads the editor's document and checks that the server still has the version it was opened at. */
  private async editedArticle(uri: vscode.Uri) {
    const doc = await this.documentFor(uri);
    let parsed;
    try {
      parsed = documentToArticle(doc.getText());
    } catch (e) {
      if (e instanceof ArticleDocumentError) throw new Error(vscode.l10n.t('The front matter is not valid: {0}', e.message), { cause: e });
      throw e;
    }
    const id = parseArticlePath(uri.path)?.id ?? '';
    const live = await this.provider.fetchArticle(id, false, true);
    const opened = this.provider.stateOf(uri)?.openedUpdatedAt ?? parsed.frontMatter.updatedAt;
    const conflict = checkConflict({ openedUpdatedAt: opened, serverUpdatedAt: live.updatedAt ?? null });
    if (conflict.status === 'conflict') {
      void this.offerConflictChoices(uri, live.updatedAt ?? null);
      throw new Error(vscode.l10n.t('This article was changed in Help Scout since you opened it; nothing was sent.'));
    }
    return { doc, parsed, id, live };
  }

  /** "Save as Draft": the editor's body becomes the article's draft; the live article stays. */
  async saveAsDraft(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const target = this.target(uri);
    if (isDraftUri(target)) {
      await (await this.documentFor(target)).save();
      return target;
    }
    const { doc, parsed, id, live } = await this.editedArticle(target);
    if (live.hasDraft) await this.history.record(id, 'draft', (await this.provider.fetchArticle(id, true, true)).text);
    await this.services.docs().saveDraft(id, parsed.html);
    this.services.log.info(`[docsfs] saved draft of article ${id}`);
    const draftUri = target.with({ query: 'draft' });
    // The live file's edits now live in the draft: put the live file back to the server's text.
    if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.window.showTextDocument(draftUri, { preview: false });
    return draftUri;
  }

  /** "Publish": the editor's text (draft or live) goes live and the article is published. */
  async publish(uri?: vscode.Uri): Promise<void> {
    const target = this.target(uri);
    const { doc, parsed, id, live } = await this.editedArticle(target);
    const located = await this.provider.locate(live);
    const plan = planArticleSave({ document: parsed, server: articleFields(live), context: located.context });
    const body = { ...plan.body, status: 'published' as const };
    if (live.hasDraft) await this.history.record(id, 'draft', (await this.provider.fetchArticle(id, true, true)).text);
    await this.history.record(id, 'live', live.text);
    await this.services.docs().updateArticle(id, body);
    // Publishing an unchanged text leaves the draft in place on the server; it is obsolete now.
    if ((await this.provider.fetchArticle(id, false, true)).hasDraft) await this.services.docs().deleteDraft(id);
    this.services.log.info(`[docsfs] published article ${id}`);
    await this.afterServerChange(doc, target, false);
    void vscode.window.showInformationMessage(vscode.l10n.t('Published "{0}".', live.name));
  }

  /** "Discard Draft": deletes the draft (kept in local history), back to the live text. */
  async discardDraft(uri?: vscode.Uri): Promise<void> {
    const target = this.target(uri);
    const id = parseArticlePath(target.path)?.id ?? '';
    const draft = await this.provider.fetchArticle(id, true, true);
    if (!draft.hasDraft) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This article has no draft.'));
      return;
    }
    await this.history.record(id, 'draft', draft.text);
    await this.services.docs().deleteDraft(id);
    this.services.log.info(`[docsfs] discarded the draft of article ${id}`);
    await this.afterServerChange(await this.documentFor(target), target, false);
    const restore = vscode.l10n.t('Restore Previous Version');
    void vscode.window.showInformationMessage(vscode.l10n.t('Discarded the draft. It is kept in local history.'), restore).then((p) => {
      if (p === restore) void vscode.commands.executeCommand(Commands.docsRestoreVersion, target.with({ query: '' }));
    });
  }

  /** After publish or discard: the draft file closes, the live file is re-read and shown. */
  private async afterServerChange(doc: vscode.TextDocument, target: vscode.Uri, keepDraft: boolean): Promise<void> {
    const liveUri = target.with({ query: '' });
    this.provider.refreshArticle(parseArticlePath(target.path)?.id ?? '');
    if (isDraftUri(target) && !keepDraft) {
      if (doc.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === target.toString());
      await vscode.window.tabGroups.close(tabs);
    } else if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.window.showTextDocument(liveUri, { preview: false });
  }

  /**
   * "Restore Previous Version": puts an earlier server HTML from local history into the
   * editor (as Markdown, front matter kept). Nothing is sent until the writer saves.
   */
  async restore(uri?: vscode.Uri, entryId?: string): Promise<boolean> {
    const target = this.target(uri);
    const id = parseArticlePath(target.path)?.id ?? '';
    const entries = await this.history.list(id);
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No earlier versions of this article are kept on this computer yet.'));
      return false;
    }
    // `latest` (or an entry's id) skips the picker: used by other commands and tests.
    let entry = entryId === 'latest' ? entries[0] : entryId ? entries.find((e) => e.id === entryId) : undefined;
    if (!entry) {
      const picked = await vscode.window.showQuickPick(
        entries.map((e) => ({
          label: new Date(e.at).toLocaleString(),
          description: e.kind === 'draft' ? vscode.l10n.t('draft') : e.kind === 'deleted' ? vscode.l10n.t('before delete') : vscode.l10n.t('published text'),
          value: e,
        })),
        { title: vscode.l10n.t('Restore Previous Version'), placeHolder: vscode.l10n.t('The version replaces the editor text; save to send it.') },
      );
      if (!picked) return false;
      entry = picked.value;
    }
    const html = await this.history.read(entry);
    const doc = await this.documentFor(target);
    const text = doc.getText();
    const fm = frontMatterBlock(text);
    const edit = new vscode.WorkspaceEdit();
    const start = fm ? doc.positionAt(fm.end) : doc.positionAt(0);
    edit.replace(target, new vscode.Range(start, doc.positionAt(text.length)), `${fm ? '\n' : ''}${htmlToMarkdown(html)}`);
    await vscode.window.showTextDocument(doc);
    return vscode.workspace.applyEdit(edit);
  }

  /**
   * "Delete Article" (tree, editor, explorer): deletes the article from every category and from
   * the public site, after a modal confirmation (skipped only when `confirmed`: see preConfirmed).
   */
  async deleteArticle(arg: unknown, confirmed: boolean): Promise<void> {
    const ref = articleRef(arg ?? vscode.window.activeTextEditor?.document.uri);
    if (ref === undefined) throw new Error(vscode.l10n.t('Open a Help Scout Docs article first.'));
    const article = await this.provider.fetchArticle(ref, false, true);
    if (!confirmed) {
      const { collection, context } = await this.provider.locate(article);
      const categories = context.categories.filter((c) => c.slug !== 'uncategorized' && (article.categories ?? []).includes(c.id)).map((c) => c.name);
      const del = vscode.l10n.t('Delete Article');
      const picked = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete "{0}" from Help Scout Docs?', article.name),
        {
          modal: true,
          detail: categories.length > 0
            ? vscode.l10n.t({ message: 'It is removed from every category it is in ({0}) and from the public site; its URL and statistics are gone. Its text is kept in local history.', args: [categories.join(', ')], comment: ['{0} lists category names'] })
            : vscode.l10n.t({ message: 'It is removed from the collection "{0}" and from the public site; its URL and statistics are gone. Its text is kept in local history.', args: [collection.name], comment: ['{0} is a collection name'] }),
        },
        del,
      );
      if (picked !== del) return;
    }
    await this.provider.deleteArticle(article.id);
  }
}

/** The front matter of a document: its text including both "---" lines, and where it ends. */
function frontMatterBlock(text: string): { text: string; end: number } | undefined {
  const m = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return m ? { text: m[0], end: m[0].length } : undefined;
}
