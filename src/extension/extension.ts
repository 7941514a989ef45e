// Entry point. VS Code calls `activate` the first time a contributed view,
// command, URI or file system of this extension is used, and `deactivate` on
// shutdown. Activation stays cheap: it wires features together and fetches
// nothing. Each feature lives in its own module with one `register…` function
// that receives the context and the shared services and pushes its
// disposables into `context.subscriptions`.
import * as vscode from 'vscode';
import { scoped } from '../core/log';
import { registerAuth } from './auth';
import { Commands } from './constants';
import { extendMarkdownIt, registerDocsFs } from './docsfs';
import { Secrets } from './secrets';
import { registerQuery } from './query';
import { HelpScoutServices } from './services';
import { registerViews } from './views';

export interface HelpScoutApi {
  /** The output channel, exposed so integration tests can read what was logged. */
  readonly log: vscode.LogOutputChannel;
  /** Shared clients and connection state, exposed for integration tests. */
  readonly services: HelpScoutServices;
  /** Called by the built-in Markdown extension (markdown.markdownItPlugins): article links in previews. */
  readonly extendMarkdownIt: typeof extendMarkdownIt;
}

export function activate(context: vscode.ExtensionContext): HelpScoutApi | undefined {
  const log = vscode.window.createOutputChannel('Help Scout', { log: true });
  context.subscriptions.push(log);
  const logger = scoped(log, 'activate');
  try {
    const services = new HelpScoutServices(log, new Secrets(context.secrets));
    context.subscriptions.push(
      services,
      vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    );
    registerAuth(context, services);
    registerViews(context, services);
    registerDocsFs(context, services);
    registerQuery(context, services);
    logger.info(`Help Scout ${String(context.extension.packageJSON.version)} activated`);
    return { log, services, extendMarkdownIt };
  } catch (err) {
    logger.error(err instanceof Error ? err : String(err));
    void vscode.window.showErrorMessage(vscode.l10n.t('Help Scout failed to start: {0}', String(err)));
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
