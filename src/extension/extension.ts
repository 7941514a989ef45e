// Entry point. VS Code calls `activate` once the window has finished starting
// (`onStartupFinished`), or earlier when a sign-in callback URI or a
// `helpscout-docs:` file needs the extension, and `deactivate` on shutdown.
// Activation stays cheap: it wires features together and fetches nothing.
// Each feature's `register…` function owns its resources through
// `context.subscriptions` and returns its command table; every table is
// registered here, through the one registration point (commands.ts).
import * as vscode from 'vscode';
import { scoped } from '../core/log';
import { registerAuth, type AuthTestHooks } from './auth';
import { allowUnattended, command, noArgs, registerCommands } from './commands';
import { Commands } from './constants';
import { extendMarkdownIt, registerDocsFs, type DocsTestHooks } from './docsfs';
import { Secrets } from './secrets';
import { registerQuery, type QueryTestHooks } from './query';
import { HelpScoutServices } from './services';
import { registerViews, type ViewsTestHooks } from './views';

/**
 * What other extensions receive from `activate`. The built-in Markdown extension needs
 * `extendMarkdownIt` (our `markdown.markdownItPlugins` contribution: article links in
 * previews); nothing else is exported in production, so no other extension can reach a
 * client, a secret or a hook through it.
 */
export interface HelpScoutApi {
  readonly extendMarkdownIt: typeof extendMarkdownIt;
  /** Only when VS Code runs the extension's own tests (ExtensionMode.Test). */
  readonly testing?: HelpScoutTestApi;
}

/** Test access: exists only in ExtensionMode.Test, never in an installed extension. */
export interface HelpScoutTestApi {
  readonly log: vscode.LogOutputChannel;
  readonly services: HelpScoutServices;
  readonly auth: AuthTestHooks;
  readonly views: ViewsTestHooks;
  readonly query: QueryTestHooks;
  readonly docs: DocsTestHooks;
}

export function activate(context: vscode.ExtensionContext): HelpScoutApi | undefined {
  const log = vscode.window.createOutputChannel('Help Scout', { log: true });
  context.subscriptions.push(log);
  const logger = scoped(log, 'activate');
  try {
    allowUnattended(context.extensionMode === vscode.ExtensionMode.Test);
    const services = new HelpScoutServices(log, new Secrets(context.secrets));
    context.subscriptions.push(services);
    const auth = registerAuth(context, services);
    const views = registerViews(context, services);
    const docs = registerDocsFs(context, services);
    const query = registerQuery(context, services);
    // The Docs tree follows what the editor changes (save, draft, publish, create, rename, delete).
    context.subscriptions.push(docs.onDidChangeArticles((change) => views.docs.articlesChanged(change)));
    context.subscriptions.push(registerCommands([
      command(Commands.showLog, noArgs, () => log.show(), { title: vscode.l10n.t('Show Log') }),
      ...auth.commands,
      ...views.commands,
      ...docs.commands,
      ...query.commands,
    ], log));
    logger.info(`Help Scout ${String(context.extension.packageJSON.version)} activated`);
    if (context.extensionMode !== vscode.ExtensionMode.Test) return { extendMarkdownIt };
    return { extendMarkdownIt, testing: { log, services, auth: auth.testHooks, views: views.testHooks, query: query.testHooks, docs: docs.testHooks } };
  } catch (err) {
    logger.error(err instanceof Error ? err : String(err));
    void vscode.window.showErrorMessage(vscode.l10n.t('Help Scout failed to start: {0}', String(err)));
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
