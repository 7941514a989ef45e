// Connecting to Help Scout: the `helpscout` authentication provider (Mailbox API, OAuth2),
// the Docs API key, the connection commands, the status bar item and the context keys the
// welcome views use. `registerAuth` is called once from `activate`.
import * as vscode from 'vscode';
import type { CommandEntry } from '../commands';
import { ContextKeys } from '../constants';
import type { HelpScoutServices } from '../services';
import { registerStatusBar } from '../statusBar';
import { CallbackUriHandler } from './callbacks';
import { connectionCommands } from './commands';
import { importDemoCredentials } from './demoCredentials';
import { HelpScoutAuthProvider, PROVIDER_ID, PROVIDER_LABEL } from './provider';

/** Test access to sign-in (ExtensionMode.Test only; see extension.ts). */
export interface AuthTestHooks {
  /** Plays the browser: while set, the authorize URL goes to this function instead of env.openExternal. */
  setBrowser(browser: ((url: string) => unknown) | undefined): void;
  /** Every key and value of the extension's global state (tests check no secret is there). */
  globalState(): [string, unknown][];
  /** Folders where VS Code keeps this extension's logs and global storage. */
  readonly logUri: string;
  readonly globalStorageUri: string;
  readonly provider: HelpScoutAuthProvider;
}

export function registerAuth(context: vscode.ExtensionContext, services: HelpScoutServices): { commands: CommandEntry[]; testHooks: AuthTestHooks } {
  const log = services.log;

  // Tests play the browser: while set, the authorize URL goes to this function instead of
  // env.openExternal. Reachable only through the test API, which exists only in tests.
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
  );
  services.setMailboxAuth(provider);
  const commands = connectionCommands(context, services, provider);
  registerStatusBar(context, services, { session: () => provider.session });

  // The welcome views and menus show what fits the connection state.
  const updateContext = async (): Promise<void> => {
    await provider.ready();
    await vscode.commands.executeCommand('setContext', ContextKeys.mailboxConnected, provider.session !== undefined);
    await vscode.commands.executeCommand('setContext', ContextKeys.docsConnected, await services.hasDocsKey());
  };
  context.subscriptions.push(services.onDidChangeAccount(() => void updateContext()));
  void importDemoCredentials(services)
    .catch((err: unknown) => log.warn(`[auth] demo credentials: ${err instanceof Error ? err.name : 'error'}`))
    .then(() => updateContext());
  return {
    commands,
    testHooks: {
      setBrowser: (browser) => {
        testBrowser = browser;
        log.info(`[auth] test browser ${testBrowser ? 'set' : 'cleared'}`);
      },
      globalState: () => context.globalState.keys().map((k) => [k, context.globalState.get(k)]),
      logUri: context.logUri.toString(),
      globalStorageUri: context.globalStorageUri.toString(),
      provider,
    },
  };
}
