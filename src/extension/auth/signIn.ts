// The interactive part of signing in to the Mailbox API: asks for what is missing (App ID,
// App secret, a token), runs the grant the settings or the caller chose, and returns tokens.
// Called only from `HelpScoutAuthProvider.signIn`, i.e. from `createSession` (VS Code's
// Accounts menu, another extension's getSession with createIfNone) and our commands.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { z } from 'zod';
import { isLoopbackCallback } from '../../core/auth/connectionString';
import { CallbackError, type CallbackResult, waitForLoopbackCallback } from '../../core/auth/loopback';
import {
  buildAuthorizeUrl, clientCredentials, exchangeCode, type OAuthApp, randomState, refreshTokens, type TokenDeps, type TokenSet,
} from '../../core/auth/oauth';
import type { GrantKind, InitiateOAuth } from '../../core/auth/session';
import { redactUrl } from '../../core/http/redact';
import type { FetchLike } from '../../core/http/types';
import { SecretKeys } from '../secrets';
import type { HelpScoutServices } from '../services';
import { SECTION, SettingKeys, tokenUrl } from '../settings';
import { type CallbackUriHandler, extensionCallbackUri } from './callbacks';

/**
 * Arguments `helpscout.signIn` accepts (from a keybinding, a task, a welcome-view link or a
 * test); each one overrides the matching setting for this attempt only.
 */
export const SignInArgs = z.looseObject({
  grant: z.enum(['authorizationCode', 'clientCredentials']).optional(),
  initiateOAuth: z.enum(['GETANDREFRESH', 'REFRESH', 'OFF']).optional(),
  /** InitiateOAuth=OFF: use this access token as is. */
  accessToken: z.string().trim().min(1).optional(),
  /** InitiateOAuth=REFRESH: exchange this refresh token for a fresh pair. */
  refreshToken: z.string().trim().min(1).optional(),
});
export type SignInArgs = z.infer<typeof SignInArgs>;

export interface SignInResult {
  tokens: TokenSet | { accessToken: string; refreshToken?: undefined; expiresAt?: undefined; obtainedAt?: undefined };
  grant: GrantKind;
  initiateOAuth: InitiateOAuth;
}

/** How long a browser sign-in may take before it gives up. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export class AuthSchemeOffError extends Error {
  override readonly name = 'AuthSchemeOffError';
  constructor() {
    super('Mailbox sign-in is turned off: the setting helpscout.authScheme is None.');
  }
}

export interface SignInDeps {
  context: vscode.ExtensionContext;
  services: HelpScoutServices;
  callbacks: CallbackUriHandler;
  /** Opens the authorize page; `env.openExternal` unless a test plays the browser. */
  openBrowser(url: string): Promise<boolean>;
}

/** Token requests go through the extension's one fetch (VS Code's, with its proxy support). */
export const tokenDeps = (fetch: FetchLike, signal?: AbortSignal): TokenDeps => ({
  fetch,
  now: () => Date.now(),
  ...(signal ? { signal } : {}),
});

/** Runs one sign-in attempt. Throws OAuthError, CallbackError, AuthSchemeOffError or a cancellation. */
export async function runSignIn(deps: SignInDeps, args: SignInArgs): Promise<SignInResult> {
  const { services } = deps;
  const settings = services.settings;
  if (settings.authScheme === 'None') throw new AuthSchemeOffError();
  const log = services.log;

  if (args.accessToken !== undefined) return { tokens: { accessToken: args.accessToken }, grant: 'accessToken', initiateOAuth: 'OFF' };
  const mode = args.refreshToken !== undefined ? 'REFRESH' : (args.initiateOAuth ?? settings.initiateOAuth);

  if (mode === 'OFF') {
    const token = await askSecret(vscode.l10n.t('Help Scout access token (InitiateOAuth is OFF: it is used as is and never refreshed)'));
    return { tokens: { accessToken: token }, grant: 'accessToken', initiateOAuth: 'OFF' };
  }

  const app = await appCredentials(deps);
  if (mode === 'REFRESH') {
    const rt = args.refreshToken ?? (await askSecret(vscode.l10n.t('Help Scout refresh token (InitiateOAuth is REFRESH)')));
    log.info('[auth] exchanging the supplied refresh token');
    return { tokens: await refreshTokens(app, rt, tokenDeps(services.fetch)), grant: 'refreshToken', initiateOAuth: 'REFRESH' };
  }

  const grant = args.grant ?? settings.grant;
  if (grant === 'clientCredentials') {
    log.info('[auth] requesting a token with the client-credentials grant');
    return { tokens: await clientCredentials(app, tokenDeps(services.fetch)), grant: 'clientCredentials', initiateOAuth: 'GETANDREFRESH' };
  }
  return { tokens: await authorizationCode(deps, app), grant: 'authorizationCode', initiateOAuth: 'GETANDREFRESH' };
}

/** The browser flow: authorize page, callback (UriHandler or loopback listener), code exchange. */
async function authorizationCode(deps: SignInDeps, app: OAuthApp): Promise<TokenSet> {
  const { services } = deps;
  const log = services.log;
  const callbackUrl = services.settings.callbackUrl;
  const loopback = isLoopbackCallback(callbackUrl);
  const state = randomState((n) => randomBytes(n));
  const authorizeUrl = buildAuthorizeUrl(services.settings.authorizeUrl, app.clientId, state);
  if (vscode.env.uiKind === vscode.UIKind.Web && /^(127\.0\.0\.1|localhost)$/.test(new URL(authorizeUrl).hostname)) {
    // Browser-based VS Code (code-server) turns links to other loopback ports into its own
    // /proxy/<port>/ route and loses their path; a *.localhost name is left alone.
    log.warn('[auth] the authorize page is on 127.0.0.1/localhost; browser-based VS Code may rewrite that link. Use a host name such as sandbox.localhost in helpscout.oauth.authorizeUrl.');
  }

  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Signing in to Help Scout'),
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: vscode.l10n.t('Authorize VS Code on the Help Scout page that opened in your browser…') });
        let callback: Promise<CallbackResult>;
        if (loopback) {
          log.info(`[auth] waiting for the sign-in callback on the loopback URL ${redactUrl(callbackUrl)}`);
          let listening!: () => void;
          const ready = new Promise<void>((r) => (listening = r));
          callback = waitForLoopbackCallback({ callbackUrl, state, timeoutMs: SIGN_IN_TIMEOUT_MS, signal: abort.signal, onListening: listening });
          // A port in use rejects before listening: report that instead of opening the browser.
          await Promise.race([ready, callback]);
        } else {
          log.info('[auth] waiting for the sign-in callback through the extension URI handler');
          callback = deps.callbacks.wait(state, SIGN_IN_TIMEOUT_MS, abort.signal);
        }
        callback.catch(() => undefined); // handled below; avoids an unhandled rejection while the browser opens
        if (!(await deps.openBrowser(authorizeUrl))) {
          abort.abort();
          throw new CallbackError('cancelled', 'The browser was not opened.');
        }
        log.info('[auth] opened the authorize page in the browser');
        const { code } = await callback;
        log.info('[auth] exchanging the authorization code');
        progress.report({ message: vscode.l10n.t('Getting the access token…') });
        return await exchangeCode(app, code, tokenDeps(services.fetch, abort.signal));
      } finally {
        sub.dispose();
      }
    },
  );
}

/** App ID from settings and App secret from SecretStorage; asks for whichever is missing. */
export async function appCredentials(deps: SignInDeps): Promise<OAuthApp> {
  const { services } = deps;
  let clientId = services.settings.clientId;
  if (clientId === '') {
    clientId = await askText(vscode.l10n.t('Help Scout App ID (OAuthClientId), from Your Profile → My Apps'), false);
    await vscode.workspace.getConfiguration(SECTION).update(SettingKeys.clientId, clientId, vscode.ConfigurationTarget.Global);
  }
  let clientSecret = await services.secrets.getString(SecretKeys.clientSecret);
  if (clientSecret === undefined) {
    clientSecret = await askSecret(vscode.l10n.t('Help Scout App secret (OAuthClientSecret); kept in VS Code secret storage'));
    await services.secrets.store(SecretKeys.clientSecret, clientSecret);
  }
  return { tokenUrl: tokenUrl(services.settings), clientId, clientSecret };
}

/** The URL to register as the Redirection URL of the Help Scout app. */
export async function callbackUrlToRegister(context: vscode.ExtensionContext, services: HelpScoutServices): Promise<string> {
  const configured = services.settings.callbackUrl;
  if (configured !== '') return configured;
  return (await vscode.env.asExternalUri(extensionCallbackUri(context))).toString(true);
}

class InputCancelled extends CallbackError {
  constructor() {
    super('cancelled', 'Sign-in was cancelled.');
  }
}

export async function askSecret(prompt: string): Promise<string> {
  return askText(prompt, true);
}

async function askText(prompt: string, password: boolean): Promise<string> {
  const value = await vscode.window.showInputBox({
    prompt,
    password,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Required') : undefined),
  });
  if (value === undefined || value.trim() === '') throw new InputCancelled();
  return value.trim();
}
