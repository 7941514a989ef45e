// A read-only Markdown view of a Docs article (scheme `helpscout-docs-preview`),
// used when an article is opened from the Docs view and the editable
// `helpscout-docs:` file system is not there. VS Code calls
// `provideTextDocumentContent` when such a document opens (and again after
// `refresh`); it fetches the article and its collection's categories (for
// category names in the front matter) and renders them with `articleToDocument`.
import * as vscode from 'vscode';
import { articleFields, articleToDocument } from '../../core/articles';
import { buildArticlePath } from '../../core/articles/paths';
import type { HelpScoutServices } from '../services';

export const PREVIEW_SCHEME = 'helpscout-docs-preview';

export interface PreviewTarget {
  readonly articleId: string;
  readonly collectionId: string;
  readonly collectionName: string;
  readonly siteName: string;
  readonly slug: string;
}

/** `helpscout-docs-preview:/<site>/<collection>/<slug>-<id>.md?collectionId=…` */
export function previewUri(t: PreviewTarget): vscode.Uri {
  const path = buildArticlePath({ site: t.siteName, collection: t.collectionName, category: null, slug: t.slug || 'article', id: t.articleId });
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path, query: new URLSearchParams({ collectionId: t.collectionId }).toString() });
}

export class ArticlePreviewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: HelpScoutServices) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const id = /-([A-Za-z0-9]+)\.md$/.exec(uri.path)?.[1];
    const collectionId = new URLSearchParams(uri.query).get('collectionId');
    if (id === undefined || collectionId === null) throw new Error(vscode.l10n.t('Not an article preview: {0}', uri.toString()));
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const client = this.services.docs();
      const [article, categories, collection] = await Promise.all([
        client.getArticle(id, { signal: abort.signal }),
        client.listCategories(collectionId, {}, { signal: abort.signal }).toArray(),
        client.getCollection(collectionId, { signal: abort.signal }),
      ]);
      return articleToDocument(articleFields(article), {
        collectionName: collection.name,
        categories: categories.map((c) => ({ id: c.id, name: c.name, slug: c.slug ?? undefined })),
      });
    } finally {
      sub.dispose();
    }
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
