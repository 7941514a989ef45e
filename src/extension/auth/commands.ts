// The connection commands: sign in and out of the Mailbox API, the Docs API key, the App
// secret, importing a connection string, the callback URL to register, and the quick pick the
// status bar opens. Commands that take a value (a key, a token, a connection string) accept it
// as an argument and then skip the input box, for keybindings, tasks and tests. They report
// failures through showError (with fix-it actions) and resolve to a small result, never to a
// secret.
import * as vscode from 'vscode';
import { parseConnectionString } from '../../core/auth/connectionString';
import { HelpScoutError } from '../../core/errors';
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

export function registerConnectionCommands(
  context: vscode.ExtensionContext,
  services: HelpScoutServices,
  provider: HelpScoutAuthProvider,
): void {
  const log = services.log;
  const signIn = async (raw?: unknown): Promise<SignInOutcome> => {
    const args = SignInArgs.safeParse(raw ?? {});
    if (!args.success) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Help Scout: Sign In got arguments it does not understand.'));
      return { ok: false, error: 'InvalidArguments' };
    }
    try {
      const s = await provider.signIn(args.data);
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

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.signIn, signIn),

    vscode.commands.registerCommand(Commands.signOut, async () => {
      const was = provider.session?.account.label;
      if (await provider.signOut()) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of Help Scout ({0}).', was ?? ''));
        return true;
      }
      void vscode.window.showInformationMessage(vscode.l10n.t('You are not signed in to the Help Scout Mailbox API.'));
      return false;
    }),

    vscode.commands.registerCommand(Commands.setClientSecret, async (arg?: unknown) => {
      try {
        const secret = typeof arg === 'string' && arg.trim() !== '' ? arg.trim() : await askSecret(vscode.l10n.t('Help Scout App secret (OAuthClientSecret); kept in VS Code secret storage'));
        await services.secrets.store(SecretKeys.clientSecret, secret);
        log.info('[auth] App secret saved to secret storage');
        if (typeof arg !== 'string') void vscode.window.showInformationMessage(vscode.l10n.t('Help Scout App secret saved.'));
        return true;
      } catch (err) {
        void showError(err, log);
        return false;
      }
    }),

    vscode.commands.registerCommand(Commands.setDocsApiKey, async (arg?: unknown) => {
      let key: string;
      try {
        key = typeof arg === 'string' && arg.trim() !== '' ? arg.trim() : await askSecret(vscode.l10n.t('Help Scout Docs API key (Your Profile → Authentication → API Keys); kept in VS Code secret storage'));
      } catch (err) {
        void showError(err, log);
        return { ok: false };
      }
      return saveDocsKey(key);
    }),

    vscode.commands.registerCommand(Commands.testDocsApiKey, async () => {
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
    }),

    vscode.commands.registerCommand(Commands.clearDocsApiKey, async () => {
      await services.secrets.delete(SecretKeys.docsApiKey);
      log.info('[auth] Docs API key removed from secret storage');
      void vscode.window.showInformationMessage(vscode.l10n.t('The Help Scout Docs API key was removed.'));
      return true;
    }),

    vscode.commands.registerCommand(Commands.importConnectionString, async (arg?: unknown) => importConnectionString(arg)),

    vscode.commands.registerCommand(Commands.connectionActions, async () => {
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
    }),

    vscode.commands.registerCommand(Commands.copyCallbackUrl, async () => {
      const url = await callbackUrlToRegister(context, services);
      await vscode.env.clipboard.writeText(url);
      const note = services.settings.callbackUrl === ''
        ? vscode.l10n.t('This is the extension\'s own callback. In browser-based VS Code, set helpscout.oauth.callbackUrl to a loopback URL such as http://127.0.0.1:33333/callback instead.')
        : '';
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Copied. Register this exact URL as the Redirection URL of your Help Scout app: {0}', url),
        { detail: note },
      );
      log.info(`[auth] callback URL to register: ${url}`);
      return url;
    }),
  );

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
  async function importConnectionString(arg?: unknown): Promise<ImportOutcome | undefined> {
    const input = typeof arg === 'string'
      ? arg
      : await vscode.window.showInputBox({
        prompt: vscode.l10n.t('Help Scout connection string, e.g. AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=…;OAuthClientSecret=…;CallbackURL=…;ProfileSettings=\'APIKey=…\';'),
        placeHolder: 'AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=…;OAuthClientSecret=…;',
        password: true,
        ignoreFocusOut: true,
      });
    if (input === undefined || input.trim() === '') return undefined;
    const parsed = parseConnectionString(input);
    const problems = parsed.problems.map((p) => `${p.key ? `${p.key}: ` : ''}${p.message} (at character ${p.offset + 1})`);
    if (problems.length > 0) {
      // Nothing is applied from a string with invalid values: half an import is worse than none.
      log.warn(`[auth] connection string not imported: ${problems.join('; ')}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The connection string was not imported: {0}', problems.join('; ')));
      return { applied: [], unknownKeys: parsed.unknownKeys, problems };
    }
    const s = parsed.settings;
    const config = vscode.workspace.getConfiguration(SECTION);
    const applied: string[] = [];
    const set = async (field: 'authScheme' | 'initiateOAuth' | 'clientId' | 'callbackUrl', value: string | undefined, name: string): Promise<void> => {
      if (value === undefined) return;
      await config.update(SettingKeys[field], value, vscode.ConfigurationTarget.Global);
      applied.push(name);
    };
    await set('authScheme', s.authScheme, 'AuthScheme');
    await set('initiateOAuth', s.initiateOAuth, 'InitiateOAuth');
    await set('clientId', s.oauthClientId, 'OAuthClientId');
    await set('callbackUrl', s.callbackUrl, 'CallbackURL');
    if (s.oauthClientSecret !== undefined && s.oauthClientSecret !== '') {
      await services.secrets.store(SecretKeys.clientSecret, s.oauthClientSecret);
      applied.push('OAuthClientSecret');
    }
    if (s.apiKey !== undefined && s.apiKey !== '') {
      await services.secrets.store(SecretKeys.docsApiKey, s.apiKey);
      applied.push('APIKey');
    }
    const notes: string[] = [];
    if (s.profile !== undefined) notes.push(vscode.l10n.t('Profile is not needed in VS Code and was ignored.'));
    if (parsed.unknownKeys.length > 0) notes.push(vscode.l10n.t('Not understood, ignored: {0}.', parsed.unknownKeys.join(', ')));
    // Key names only: values may be secrets.
    log.info(`[auth] imported a connection string: ${applied.join(', ') || 'nothing'}${parsed.unknownKeys.length ? `; ignored ${parsed.unknownKeys.join(', ')}` : ''}`);
    if (notes.length > 0) void vscode.window.showWarningMessage(notes.join(' '));

    const outcome: ImportOutcome = { applied, unknownKeys: parsed.unknownKeys, problems };
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
