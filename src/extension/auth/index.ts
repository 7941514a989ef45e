// Connecting to Help Scout: the `helpscout` authentication provider (Mailbox API, OAuth2),
// the Docs API key, the connection commands, the status bar item and the context keys the
// welcome views use. `registerAuth` is called once from `activate`.
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants';
import type { HelpScoutServices } from '../services';
import { registerStatusBar } from '../statusBar';
import { CallbackUriHandler } from './callbacks';
import { registerConnectionCommands } from './commands';
import { importDemoCredentials } from './demoCredentials';
import { HelpScoutAuthProvider, PROVIDER_ID, PROVIDER_LABEL } from './provider';

/** What the internal `helpscout.internal.authTestHooks` command answers. */
export interface AuthTestHooksResult {
  /** Every key and value of the extension's global state (tests check no secret is there). */
  globalState: [string, unknown][];
  /** Folders where VS Code keeps this extension's logs and global storage. */
  logUri: string;
  globalStorageUri: string;
}

export function registerAuth(context: vscode.ExtensionContext, services: HelpScoutServices): HelpScoutAuthProvider {
  const log = services.log;

  // Tests play the browser: while set, the authorize URL goes to this function instead of
  // env.openExternal. Set and cleared only through the internal command below.
  let testBrowser: ((url: string) => unknown) | undefined;

  const callbacks = new CallbackUriHandler(log, () => {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('A Help Scout sign-in callback arrived that does not belong to the sign-in in progress (its state differs), so it was ignored. If signing in does not finish, start it again.'),
    );
  });
  const provider = new HelpScoutAuthProvider(services, {
    context,
    services,
    callbacks,
    openBrowser: async (url) => {
      if (testBrowser) {
        await testBrowser(url);
        return true;
      }
      return vscode.env.openExternal(vscode.Uri.parse(url, true));
    },
  });

  context.subscriptions.push(
    provider,
    vscode.window.registerUriHandler(callbacks),
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, PROVIDER_LABEL, provider, { supportsMultipleAccounts: false }),
    vscode.commands.registerCommand(Commands.authTestHooks, (arg?: { browser?: ((url: string) => unknown) | null }): AuthTestHooksResult => {
      if (arg && 'browser' in arg) {
        testBrowser = typeof arg.browser === 'function' ? arg.browser : undefined;
        log.info(`[auth] test browser ${testBrowser ? 'set' : 'cleared'}`);
      }
      return {
        globalState: context.globalState.keys().map((k) => [k, context.globalState.get(k)]),
        logUri: context.logUri.toString(),
        globalStorageUri: context.globalStorageUri.toString(),
      };
    }),
  );
  services.setMailboxAuth(provider);
  registerConnectionCommands(context, services, provider);
  registerStatusBar(context, services, { session: () => provider.session });

  // The welcome views and menus show what fits the connection state.
  const updateContext = async (): Promise<void> => {
    await provider.ready();
    await vscode.commands.executeCommand('setContext', ContextKeys.mailboxConnected, provider.session !== undefined);
    await vscode.commands.executeCommand('setContext', ContextKeys.docsConnected, await services.hasDocsKey());
  };
  context.subscriptions.push(services.onDidChangeConnection(() => void updateContext()));
  void importDemoCredentials(services)
    .catch((err: unknown) => log.warn(`[auth] demo credentials: ${err instanceof Error ? err.name : 'error'}`))
    .then(() => updateContext());
  return provider;
}
