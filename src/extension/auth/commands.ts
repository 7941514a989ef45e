// The connection commands: sign in and out of the Mailbox API, the Docs API key, the App
// secret, importing a connection string, the callback URL to register, and the quick pick the
// status bar opens. Commands that take a value (a key, a token, a connection string) accept it
// as an argument and then skip the input box, for keybindings, tasks and tests. They report
// failures through showError (with fix-it actions) and resolve to a small result, never to a
// secret.
import * as vscode from 'vscode';
import { importConnectionString as applyConnectionString } from '../../core/auth/connectionImport';
import { z } from 'zod';
import { HelpScoutError } from '../../core/errors';
import { redactUrl } from '../../core/http/redact';
import { argsOf, command, type CommandEntry, noArgs } from '../commands';
import { Commands } from '../constants';
import { showError } from '../errors';
import { SecretKeys } from '../secrets';
import type { HelpScoutServices } from '../services';
import { SECTION, type Settings, SettingKeys } from '../settings';
import type { HelpScoutAuthProvider } from './provider';
import { askSecret, callbackUrlToRegister, SignInArgs } from './signIn';

export interface SignInOutcome {
  ok: boolean;
  account?: string;
  grant?: string;
  /** The error's name and kind when it failed, e.g. `OAuthError:invalid_client`. */
  error?: string;
}

export interface ImportOutcome {
  applied: string[];
  unknownKeys: string[];
  problems: string[];
  signIn?: SignInOutcome;
}

/** A value passed instead of asking for it (a key, a secret, a connection string). */
const valueArg = argsOf(z.string().optional());

export function connectionCommands(
  context: vscode.ExtensionContext,
  services: HelpScoutServices,
  provider: HelpScoutAuthProvider,
): CommandEntry[] {
  const log = services.log;
  const signIn = async (args: SignInArgs = {}): Promise<SignInOutcome> => {
    try {
      const s = await provider.signIn(args);
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Help Scout as {0}.', s.account.label));
      return { ok: true, account: s.account.label, grant: s.grant };
    } catch (err) {
      void showError(err, log, vscode.l10n.t('Help Scout sign-in'));
      return { ok: false, error: errorTag(err) };
    }
  };

  const testKey = async (key?: string): Promise<string[]> => {
    const client = key === undefined ? services.docs() : services.docsWithKey(key);
    const sites = await client.listSites().toArray(100);
    return sites.map((s) => s.title ?? s.companyName ?? s.subDomain ?? String(s.id));
  };

  const entries: CommandEntry[] = [
    command(Commands.signIn, argsOf(SignInArgs.optional()), (args) => signIn(args), { title: vscode.l10n.t('Sign In') }),

    command(Commands.signOut, noArgs, async () => {
      const was = provider.session?.account.label;
      if (await provider.signOut()) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of Help Scout ({0}).', was ?? ''));
        return true;
      }
      void vscode.window.showInformationMessage(vscode.l10n.t('You are not signed in to the Help Scout Mailbox API.'));
      return false;
    }, { title: vscode.l10n.t('Sign Out') }),

    command(Commands.setClientSecret, valueArg, async (arg) => {
      try {
        const secret = arg !== undefined && arg.trim() !== '' ? arg.trim() : await askSecret(vscode.l10n.t('Help Scout App secret (OAuthClientSecret); kept in VS Code secret storage'));
        await services.secrets.store(SecretKeys.clientSecret, secret);
        log.info('[auth] App secret saved to secret storage');
        if (arg === undefined) void vscode.window.showInformationMessage(vscode.l10n.t('Help Scout App secret saved.'));
        return true;
      } catch (err) {
        void showError(err, log);
        return false;
      }
    }, { title: vscode.l10n.t('Set App Secret') }),

    command(Commands.setDocsApiKey, valueArg, async (arg) => {
      let key: string;
      try {
        key = arg !== undefined && arg.trim() !== '' ? arg.trim() : await askSecret(vscode.l10n.t('Help Scout Docs API key (Your Profile → Authentication → API Keys); kept in VS Code secret storage'));
      } catch (err) {
        void showError(err, log);
        return { ok: false };
      }
      return saveDocsKey(key);
    }, { title: vscode.l10n.t('Set Docs API Key') }),

    command(Commands.testDocsApiKey, noArgs, async () => {
      try {
        const sites = await testKey();
        void vscode.window.showInformationMessage(
          sites.length === 0
            ? vscode.l10n.t('The Help Scout Docs API key works; it sees no sites.')
            : vscode.l10n.t('The Help Scout Docs API key works; it sees {0} site(s): {1}', sites.length, sites.join(', ')),
        );
        return { ok: true, sites };
      } catch (err) {
        void showError(err, log, vscode.l10n.t('Docs API key test'));
        return { ok: false, error: errorTag(err) };
      }
    }, { title: vscode.l10n.t('Test Docs API Key') }),

    command(Commands.clearDocsApiKey, noArgs, async () => {
      await services.secrets.delete(SecretKeys.docsApiKey);
      log.info('[auth] Docs API key removed from secret storage');
      void vscode.window.showInformationMessage(vscode.l10n.t('The Help Scout Docs API key was removed.'));
      return true;
    }, { title: vscode.l10n.t('Clear Docs API Key') }),

    command(Commands.importConnectionString, valueArg, (arg) => importConnectionString(arg), { title: vscode.l10n.t('Import Connection String') }),

    command(Commands.connectionActions, noArgs, async () => {
      const session = provider.session;
      const hasKey = await services.hasDocsKey();
      interface Action extends vscode.QuickPickItem { run?: () => Thenable<unknown> }
      const run = (command: string, ...args: unknown[]) => (): Thenable<unknown> => vscode.commands.executeCommand(command, ...args);
      const sep = (label: string): Action => ({ label, kind: vscode.QuickPickItemKind.Separator });
      const items: Action[] = [sep(vscode.l10n.t('Mailbox API'))];
      if (session) {
        items.push({ label: `$(sign-out) ${vscode.l10n.t('Sign Out')}`, description: session.account.label, run: run(Commands.signOut) });
      } else {
        items.push(
          { label: `$(globe) ${vscode.l10n.t('Sign In with the Browser')}`, description: vscode.l10n.t('authorization code'), run: run(Commands.signIn, { grant: 'authorizationCode', initiateOAuth: 'GETANDREFRESH' }) },
          { label: `$(key) ${vscode.l10n.t('Sign In with App Credentials')}`, description: vscode.l10n.t('client credentials, no browser'), run: run(Commands.signIn, { grant: 'clientCredentials', initiateOAuth: 'GETANDREFRESH' }) },
          { label: `$(debug-step-over) ${vscode.l10n.t('Sign In with a Refresh Token')}`, description: 'InitiateOAuth=REFRESH', run: run(Commands.signIn, { initiateOAuth: 'REFRESH' }) },
          { label: `$(lock) ${vscode.l10n.t('Use an Access Token')}`, description: 'InitiateOAuth=OFF', run: run(Commands.signIn, { initiateOAuth: 'OFF' }) },
        );
      }
      items.push(
        { label: `$(gear) ${vscode.l10n.t('Set App Secret…')}`, run: run(Commands.setClientSecret) },
        { label: `$(copy) ${vscode.l10n.t('Copy OAuth Callback URL')}`, run: run(Commands.copyCallbackUrl) },
        sep(vscode.l10n.t('Docs API')),
        { label: `$(key) ${hasKey ? vscode.l10n.t('Replace Docs API Key…') : vscode.l10n.t('Set Docs API Key…')}`, run: run(Commands.setDocsApiKey) },
      );
      if (hasKey) {
        items.push(
          { label: `$(beaker) ${vscode.l10n.t('Test Docs API Key')}`, run: run(Commands.testDocsApiKey) },
          { label: `$(trash) ${vscode.l10n.t('Clear Docs API Key')}`, run: run(Commands.clearDocsApiKey) },
        );
      }
      items.push(
        sep(''),
        { label: `$(plug) ${vscode.l10n.t('Import Connection String…')}`, run: run(Commands.importConnectionString) },
        { label: `$(output) ${vscode.l10n.t('Show Log')}`, run: run(Commands.showLog) },
      );
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Help Scout Connection'), placeHolder: vscode.l10n.t('Choose an action') });
      await picked?.run?.();
    }, { title: vscode.l10n.t('Connection Actions') }),

    command(Commands.copyCallbackUrl, noArgs, async () => {
      const url = await callbackUrlToRegister(context, services);
      await vscode.env.clipboard.writeText(url);
      const note = services.settings.callbackUrl === ''
        ? vscode.l10n.t('This is the extension\'s own callback. In browser-based VS Code, set helpscout.oauth.callbackUrl to a loopback URL such as http://127.0.0.1:33333/callback instead.')
        : '';
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Copied. Register this exact URL as the Redirection URL of your Help Scout app: {0}', url),
        { detail: note },
      );
      log.info(`[auth] callback URL to register: ${redactUrl(url)}`);
      return url;
    }, { title: vscode.l10n.t('Copy OAuth Callback URL') }),
  ];

  return entries;

  async function saveDocsKey(key: string): Promise<{ ok: boolean; sites?: string[]; error?: string }> {
    try {
      const sites = await testKey(key);
      await services.secrets.store(SecretKeys.docsApiKey, key);
      log.info(`[auth] Docs API key saved to secret storage; it sees ${sites.length} site(s)`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Help Scout Docs API key saved. Sites: {0}', sites.join(', ') || '—'));
      return { ok: true, sites };
    } catch (err) {
      if (err instanceof HelpScoutError && err.kind === 'auth') {
        void vscode.window.showErrorMessage(vscode.l10n.t('Help Scout refused this Docs API key; it was not saved.'));
        return { ok: false, error: errorTag(err) };
      }
      // Help Scout could not be asked (network, outage): keep the key, say so.
      await services.secrets.store(SecretKeys.docsApiKey, key);
      void showError(err, log, vscode.l10n.t('Docs API key saved but not tested'));
      return { ok: true, error: errorTag(err) };
    }
  }

  /**
   * Takes a connection string of the seed's form and puts each value in its place: App ID,
   * callback URL, AuthScheme and InitiateOAuth in user settings; App secret and API key in
   * SecretStorage; a supplied access or refresh token straight into the sign-in. Then signs in.
   */
  async function importConnectionString(arg?: string): Promise<ImportOutcome | undefined> {
    const input = arg !== undefined
      ? arg
      : await vscode.window.showInputBox({
        prompt: vscode.l10n.t('Help Scout connection string, e.g. AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=…;OAuthClientSecret=…;CallbackURL=…;ProfileSettings=\'APIKey=…\';'),
        placeHolder: 'AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=…;OAuthClientSecret=…;',
        password: true,
        ignoreFocusOut: true,
      });
    if (input === undefined || input.trim() === '') return undefined;
    const config = vscode.workspace.getConfiguration(SECTION);
    const fields = { AuthScheme: 'authScheme', InitiateOAuth: 'initiateOAuth', OAuthClientId: 'clientId', CallbackURL: 'callbackUrl' } as const;
    const secretKeys = { OAuthClientSecret: SecretKeys.clientSecret, APIKey: SecretKeys.docsApiKey } as const;
    // Core builds every logged line and every problem from property names and positions
    // only: a malformed string must not put its secret in the log or a notification.
    const imported = await applyConnectionString(input, {
      log,
      setSetting: async (name, value) => config.update(SettingKeys[fields[name]], value, vscode.ConfigurationTarget.Global),
      storeSecret: async (name, value) => services.secrets.store(secretKeys[name], value),
    });
    const { applied, problems, settings: s } = imported;
    if (problems.length > 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The connection string was not imported: {0}', problems.join('; ')));
      return { applied: [], unknownKeys: imported.unknownKeys, problems };
    }
    const notes: string[] = [];
    if (imported.profileIgnored) notes.push(vscode.l10n.t('Profile is not needed in VS Code and was ignored.'));
    if (imported.unknownKeys.length > 0) notes.push(vscode.l10n.t('Not understood, ignored: {0}.', imported.unknownKeys.join(', ')));
    if (notes.length > 0) void vscode.window.showWarningMessage(notes.join(' '));

    const outcome: ImportOutcome = { applied, unknownKeys: imported.unknownKeys, problems };
    const scheme = s.authScheme ?? services.settings.authScheme;
    const canSignIn = s.oauthAccessToken !== undefined || s.oauthRefreshToken !== undefined || s.oauthClientId !== undefined;
    if (scheme === 'OAuth' && canSignIn) {
      // The settings just written reach services.settings through onDidChangeConfiguration.
      await waitForSettings(services, { clientId: s.oauthClientId, callbackUrl: s.callbackUrl, initiateOAuth: s.initiateOAuth });
      const args: Record<string, unknown> = {};
      if (s.oauthAccessToken) args['accessToken'] = s.oauthAccessToken;
      else if (s.oauthRefreshToken) args['refreshToken'] = s.oauthRefreshToken;
      outcome.signIn = await signIn(args);
    } else if (applied.length > 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Imported: {0}.', applied.join(', ')));
    }
    return outcome;
  }
}

/** Settings updates land in services through an event: wait (up to a second) until they are visible. */
async function waitForSettings(services: HelpScoutServices, expected: { [K in keyof Settings]?: Settings[K] | undefined }): Promise<void> {
  const visible = (): boolean => Object.entries(expected).every(([k, v]) => v === undefined || services.settings[k as keyof Settings] === v);
  for (let i = 0; i < 50 && !visible(); i++) await new Promise((r) => setTimeout(r, 20));
}

function errorTag(err: unknown): string {
  if (err instanceof Error) {
    const kind = (err as { kind?: unknown }).kind ?? (err as { reason?: unknown }).reason;
    return typeof kind === 'string' ? `${err.name}:${kind}` : err.name;
  }
  return 'Error';
}
