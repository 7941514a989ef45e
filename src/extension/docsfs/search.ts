// "Search Docs…": the Docs API's article search (`GET /search/articles`) in a quick pick that
// updates as the writer types. VS Code cannot search the `helpscout-docs:` file system itself
// (text search needs a search provider, which extensions cannot register), so this is the way
// to find an article by its words. Typing is debounced, and each new request aborts the one
// before; results show their collection and category and a preview, and the chosen one opens
// as its `helpscout-docs:` file.
import * as vscode from 'vscode';
import type { ArticleSearch } from '../../core/docs';
import type { DocsStructure } from '../../core/articles/structure';
import type { HelpScoutServices } from '../services';

/** How long typing must pause before a request is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

export interface SearchItem extends vscode.QuickPickItem {
  readonly article?: ArticleSearch;
}

/** One open search picker; `type` is what VS Code's onDidChangeValue calls (tests call it too). */
export class DocsSearchSession implements vscode.Disposable {
  readonly picker = vscode.window.createQuickPick<SearchItem>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private generation = 0;
  private readonly subs: vscode.Disposable[] = [];
  /** Settles with the results of the last request sent (for tests); replaced on each request. */
  lastSearch: Promise<readonly SearchItem[]> = Promise.resolve([]);

  constructor(
    private readonly services: HelpScoutServices,
    private readonly structure: DocsStructure,
    private readonly accept: (article: ArticleSearch) => Promise<unknown>,
  ) {
    const p = this.picker;
    p.title = vscode.l10n.t('Search Help Scout Docs');
    p.placeholder = vscode.l10n.t('Words in the article name, keywords or text');
    p.matchOnDescription = true;
    p.matchOnDetail = true;
    this.subs.push(
      p.onDidChangeValue((v) => this.type(v)),
      p.onDidAccept(() => {
        const item = p.selectedItems[0] ?? p.activeItems[0];
        if (item) void this.choose(item);
      }),
      p.onDidHide(() => this.dispose()),
    );
  }

  /** The writer picked a result (Enter or click): the picker closes and the article opens. */
  async choose(item: SearchItem): Promise<void> {
    const article = item.article;
    if (!article) return;
    this.picker.hide();
    try {
      await this.accept(article);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not open the article: {0}', e instanceof Error ? e.message : String(e)));
    }
  }

  show(initial = ''): void {
    this.picker.value = initial;
    this.picker.show();
    if (initial.trim() !== '') this.type(initial);
  }

  /** A new value in the box: search once typing pauses, dropping any request still running. */
  type(value: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.inFlight?.abort();
    this.inFlight = undefined;
    const query = value.trim();
    if (query === '') {
      this.picker.items = [];
      this.picker.busy = false;
      return;
    }
    this.picker.busy = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastSearch = this.search(query);
    }, SEARCH_DEBOUNCE_MS);
  }

  private async search(query: string): Promise<readonly SearchItem[]> {
    const generation = ++this.generation;
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const page = await this.services.docs().searchArticles({ query }, { signal: controller.signal }).getPage(1, controller.signal);
      const items = await Promise.all(page.items.map((a) => this.item(a)));
      if (generation !== this.generation) return items;
      this.picker.items = items.length > 0 ? items : [{ label: vscode.l10n.t('No articles match "{0}"', query), alwaysShow: true }];
      this.picker.busy = false;
      return items;
    } catch (e) {
      if (controller.signal.aborted) return [];
      if (generation === this.generation) {
        this.picker.busy = false;
        this.picker.items = [{ label: vscode.l10n.t('Search failed: {0}', e instanceof Error ? e.message : String(e)), alwaysShow: true }];
      }
      this.services.log.warn(`[docs-search] ${e instanceof Error ? e.message : String(e)}`);
      return [];
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /** A result row: the name, where it lives (collection › category), its status, and the preview. */
  private async item(a: ArticleSearch): Promise<SearchItem> {
    let where = '';
    try {
      const found = await this.structure.findCollection(a.collectionId);
      if (found) {
        const cats = (await this.structure.categories(a.collectionId)).filter((c) => !c.uncategorized && (a.categoryIds ?? []).includes(c.id));
        where = [found.collection.name, cats.map((c) => c.name).join(', ')].filter((s) => s !== '').join(' › ');
      }
    } catch {
      // The names are a nicety; the result still opens.
    }
    const status = a.status === 'published' ? '' : vscode.l10n.t('not published');
    return {
      label: a.name,
      description: [where, status].filter((s) => s !== '').join(' · '),
      detail: (a.preview ?? '').replace(/\s+/g, ' ').trim(),
      // The server already matched the words (in the text too): VS Code must not filter its results again.
      alwaysShow: true,
      article: a,
    };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.inFlight?.abort();
    for (const s of this.subs) s.dispose();
    this.subs.length = 0;
    this.picker.dispose();
  }
}
