// Entry point. VS Code calls `activate` the first time a contributed view,
// command or file system of this extension is used, and `deactivate` on
// shutdown. Activation stays cheap: it wires things up and fetches nothing.
import * as vscode from 'vscode';
import { scoped } from '../core/log';
import { Commands, Views } from './constants';

export interface HelpScoutApi {
  /** The output channel, exposed so integration tests can read what was logged. */
  readonly log: vscode.LogOutputChannel;
}

export function activate(context: vscode.ExtensionContext): HelpScoutApi {
  const log = vscode.window.createOutputChannel('Help Scout', { log: true });
  context.subscriptions.push(log);
  const logger = scoped(log, 'activate');
  try {
    context.subscriptions.push(
      vscode.commands.registerCommand(Commands.showLog, () => log.show()),
      // Until the browsing issue lands, the views have empty providers so that
      // their welcome content (viewsWelcome in package.json) shows.
      ...[Views.mailboxes, Views.docs, Views.customers].map((id) =>
        vscode.window.registerTreeDataProvider(id, emptyTree),
      ),
    );
    logger.info(`Help Scout ${String(context.extension.packageJSON.version)} activated`);
  } catch (err) {
    logger.error(err instanceof Error ? err : String(err));
    void vscode.window.showErrorMessage(vscode.l10n.t('Help Scout failed to start: {0}', String(err)));
  }
  return { log };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}

const emptyTree: vscode.TreeDataProvider<never> = {
  getTreeItem: (element: never) => element,
  getChildren: () => [],
};
