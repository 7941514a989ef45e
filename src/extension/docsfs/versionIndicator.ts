// Shows whether a `helpscout-docs:` file is an article's live text or its draft, and what
// saving it does: a file decoration (badge and tooltip, in the explorer and on editor tabs),
// a status bar item while such a file is the active editor, and context keys for menus
// (`resourceQuery` is not a context key VS Code knows, so editor menus use these instead).
// VS Code calls `provideFileDecoration` for every `helpscout-docs:` URI it shows; the rest
// follows the active editor, the provider's article info and the save setting.
import * as vscode from 'vscode';
import { parseArticlePath } from '../../core/articles';
import { Disposable } from '../../core/lifecycle';
import { Commands, ContextKeys } from '../constants';
import { DOCS_SCHEME, isDraftUri, type DocsFileSystemProvider } from './provider';

/** Which version the active editor shows, for tests and the status bar. */
export interface ActiveVersion {
  kind: 'none' | 'draft' | 'live' | 'unpublished' | 'new';
  hasDraft: boolean;
  text: string;
}

export class DocsVersionIndicator extends Disposable implements vscode.FileDecorationProvider {
  private readonly item = this.register(vscode.window.createStatusBarItem('helpscout.docs.version', vscode.StatusBarAlignment.Left, 40));
  private readonly decorationsEmitter = this.register(new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>());
  readonly onDidChangeFileDecorations = this.decorationsEmitter.event;
  private currentState: ActiveVersion = { kind: 'none', hasDraft: false, text: '' };

  constructor(
    private readonly provider: DocsFileSystemProvider,
    private readonly saveBehavior: () => 'draft' | 'publish',
    onDidChangeBehavior: vscode.Event<void>,
  ) {
    super();
    this.item.name = vscode.l10n.t('Help Scout Docs version');
    this.register(vscode.window.registerFileDecorationProvider(this));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.register(provider.onDidChangeArticleInfo(() => {
      this.decorationsEmitter.fire(undefined);
      this.update();
    }));
    this.register(onDidChangeBehavior(() => {
      this.decorationsEmitter.fire(undefined);
      this.update();
    }));
    this.update();
  }

  /** The active editor's version as last shown. */
  get active(): ActiveVersion {
    return this.currentState;
  }

  /** Called by VS Code for each `helpscout-docs:` file it shows (explorer rows, editor tabs). */
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== DOCS_SCHEME) return undefined;
    const kind = this.kindOf(uri);
    switch (kind) {
      case 'draft':
        return new vscode.FileDecoration('D', vscode.l10n.t('Help Scout draft: saving updates the draft; customers see it after Publish'), new vscode.ThemeColor('charts.yellow'));
      case 'live':
        return new vscode.FileDecoration('L', this.saveBehavior() === 'publish'
          ? vscode.l10n.t('Live article: customers see this text; saving publishes your changes')
          : vscode.l10n.t('Live article: customers see this text; saving creates a draft'), new vscode.ThemeColor('charts.green'));
      case 'unpublished':
        return new vscode.FileDecoration('U', vscode.l10n.t('Not published: customers do not see this article'));
      default:
        return undefined;
    }
  }

  private kindOf(uri: vscode.Uri): ActiveVersion['kind'] {
    if (uri.scheme !== DOCS_SCHEME || !uri.path.endsWith('.md')) return 'none';
    const id = parseArticlePath(uri.path)?.id;
    if (id === undefined) return 'new';
    if (isDraftUri(uri)) return 'draft';
    const info = this.provider.infoOf(id);
    if (!info) return 'none';
    return info.status === 'published' ? 'live' : 'unpublished';
  }

  /** Re-reads the active editor: status bar text and context keys. */
  update(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const kind = uri ? this.kindOf(uri) : 'none';
    const id = uri ? parseArticlePath(uri.path)?.id : undefined;
    const hasDraft = id !== undefined && this.provider.infoOf(id)?.hasDraft === true;
    let text = '';
    let tooltip = '';
    let command: vscode.Command | undefined;
    switch (kind) {
      case 'draft':
        text = vscode.l10n.t('$(edit) Docs: draft — saving updates the draft');
        tooltip = vscode.l10n.t('This is the article\'s draft. Customers see the published article until you run "Publish". Click to open the published version.');
        command = { command: Commands.docsOpenPublished, title: vscode.l10n.t('Open Published Version'), arguments: [uri] };
        break;
      case 'live':
        text = this.saveBehavior() === 'publish'
          ? vscode.l10n.t('$(globe) Docs: live — saving publishes')
          : vscode.l10n.t('$(globe) Docs: live — saving creates a draft');
        tooltip = this.saveBehavior() === 'publish'
          ? vscode.l10n.t('This is the published article. The setting helpscout.docs.saveBehavior is "publish": saving changes what customers see. Click to open the draft.')
          : vscode.l10n.t('This is the published article. Saving puts your text in its draft; "Publish" makes it live. Click to open the draft.');
        command = { command: Commands.docsOpenDraft, title: vscode.l10n.t('Open Draft'), arguments: [uri] };
        break;
      case 'unpublished':
        text = vscode.l10n.t('$(circle-outline) Docs: not published — saving updates the article');
        tooltip = vscode.l10n.t('Customers do not see this article. Saving updates it; "Publish" makes it live.');
        break;
      case 'new':
        text = vscode.l10n.t('$(new-file) Docs: new article — saving creates it');
        tooltip = vscode.l10n.t('Saving creates the article in Help Scout, not published unless its front matter says so.');
        break;
      case 'none':
        break;
    }
    this.currentState = { kind, hasDraft, text };
    if (kind === 'none') {
      this.item.hide();
    } else {
      this.item.text = text;
      this.item.tooltip = tooltip;
      this.item.command = command;
      this.item.show();
    }
    void vscode.commands.executeCommand('setContext', ContextKeys.docsActiveIsDraft, kind === 'draft');
    void vscode.commands.executeCommand('setContext', ContextKeys.docsActiveHasDraft, hasDraft);
  }
}
