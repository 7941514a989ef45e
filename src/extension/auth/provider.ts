// The `helpscout` authentication provider (Accounts menu, `vscode.authentication.getSession`)
// and the Mailbox API credentials behind every request of the extension.
//
// - The session lives only in SecretStorage, as one JSON value validated with zod
//   (core/auth StoredSession). Nothing of it goes to settings, global state or the log.
// - `getSessions` is silent and served from memory; only `createSession` shows UI.
// - Token freshness is core/auth SessionManager's job: refresh at 2/3 of the lifetime and on a
//   401, one refresh shared by all concurrent callers, the rotated pair stored before use,
//   and the session ended once when Help Scout refuses the refresh.
// - `secrets.onDidChange` tells this window when another window signed in, refreshed or
//   signed out, so every window uses the same, current refresh token.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { MailboxClient } from '../../core/mailbox/client';
import { clientCredentials, refreshTokens, type TokenSet } from '../../core/auth/oauth';
import { type SessionEndReason, SessionEndedError, SessionManager, StoredSession } from '../../core/auth/session';
import { describeForLog } from '../../core/log';
import { Commands } from '../constants';
import { SecretKeys } from '../secrets';
import { type HelpScoutServices, type MailboxAuth, NotConnectedError } from '../services';
import { appCredentials, runSignIn, type SignInArgs, type SignInDeps, tokenDeps } from './signIn';

export const PROVIDER_ID = 'helpscout';
export const PROVIDER_LABEL = 'Help Scout';

export class HelpScoutAuthProvider extends Disposable implements vscode.AuthenticationProvider, MailboxAuth, vscode.Disposable {
  private readonly sessionsChanged = this.register(new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
  /** VS Code listens to this to update the Accounts menu and other extensions' sessions. */
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private manager: SessionManager | undefined;
  private readonly loaded: Promise<void>;
  private pendingSignIn: Promise<StoredSession> | undefined;

  constructor(
    private readonly services: HelpScoutServices,
    private readonly signInDeps: SignInDeps,
  ) {
    super();
    this.loaded = this.reload();
    this.register(services.secrets.onDidChange((e) => {
      if (e.key === SecretKeys.session) void this.reload();
    }));
  }

  private get log(): vscode.LogOutputChannel {
    return this.services.log;
  }

  /** The current session, for the status bar and commands; undefined when signed out. */
  get session(): StoredSession | undefined {
    return this.manager?.session;
  }

  async ready(): Promise<void> {
    await this.loaded;
  }

  // ---- vscode.AuthenticationProvider -----------------------------------------------------

  /** Called by VS Code (silently) whenever someone asks for sessions: no UI, no network. */
  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    await this.loaded;
    const s = this.session;
    return s ? [toVsSession(s)] : [];
  }

  /** Called by VS Code when a user or an extension asks to sign in: the one place with UI. */
  async createSession(): Promise<vscode.AuthenticationSession> {
    return toVsSession(await this.signIn({}));
  }

  /** Called by VS Code when the user signs out from the Accounts menu. */
  async removeSession(sessionId: string): Promise<void> {
    await this.loaded;
    const s = this.manager?.session;
    if (!s || s.id !== sessionId) return;
    await this.forget(s, 'signed out');
  }

  // ---- MailboxAuth (services.setMailboxAuth) ---------------------------------------------

  /** Called before every Mailbox API request. */
  async authHeaders(): Promise<Record<string, string>> {
    await this.loaded;
    if (!this.manager?.session) throw new NotConnectedError('mailbox');
    return { Authorization: `Bearer ${await this.manager.accessToken()}` };
  }

  /** Called when a request got a 401 (at most twice for one request), with the headers that try carried. */
  async onUnauthorized(failed: Readonly<Record<string, string>>): Promise<boolean> {
    const m = /^Bearer\s+(\S+)$/i.exec(failed['Authorization'] ?? '');
    if (!m?.[1] || !this.manager?.session) return false;
    try {
      await this.manager.unauthorized(m[1]);
      return true;
    } catch (err) {
      if (!(err instanceof SessionEndedError)) this.log.warn(`[auth] could not renew the access token: ${describeForLog(err)}`);
      return false;
    }
  }

  // ---- signing in and out ------------------------------------------------------------------

  /** Signs in (one attempt at a time: a second caller shares the first attempt). */
  signIn(args: SignInArgs): Promise<StoredSession> {
    this.pendingSignIn ??= this.doSignIn(args).finally(() => {
      this.pendingSignIn = undefined;
    });
    return this.pendingSignIn;
  }

  private async doSignIn(args: SignInArgs): Promise<StoredSession> {
    await this.loaded;
    const result = await runSignIn(this.signInDeps, args);
    const user = await this.whoAmI(result.tokens.accessToken);
    const label = `${user.firstName ?? ''} ${user.lastName ?? ''}`.trim() || user.email || `user ${user.id}`;
    const session: StoredSession = StoredSession.parse({
      version: 1,
      id: randomUUID(),
      grant: result.grant,
      initiateOAuth: result.initiateOAuth,
      accessToken: result.tokens.accessToken,
      ...(result.tokens.refreshToken !== undefined ? { refreshToken: result.tokens.refreshToken } : {}),
      ...(result.tokens.expiresAt !== undefined ? { expiresAt: result.tokens.expiresAt, obtainedAt: result.tokens.obtainedAt } : {}),
      account: { id: user.id, label },
    });
    const previous = this.manager?.session;
    // Adopted before it is stored, so the change event this store causes finds nothing new.
    this.adopt(session);
    await this.services.secrets.storeJson(SecretKeys.session, session);
    this.sessionsChanged.fire({ added: [toVsSession(session)], removed: previous ? [toVsSession(previous)] : [], changed: [] });
    this.log.info(`[auth] signed in to the Mailbox API as ${label} (${result.grant}, InitiateOAuth=${result.initiateOAuth})`);
    this.services.accountChanged('mailbox');
    return session;
  }

  /** Signs out of the Mailbox API: the stored session is deleted. */
  async signOut(): Promise<boolean> {
    await this.loaded;
    const s = this.manager?.session;
    if (!s) return false;
    await this.forget(s, 'signed out');
    return true;
  }

  /** GET /users/me with a token that is not stored yet: the session's account. */
  private async whoAmI(accessToken: string): Promise<{ id: number; firstName?: string | null | undefined; lastName?: string | null | undefined; email?: string | null | undefined }> {
    const client = MailboxClient.create({
      baseUrl: this.services.settings.mailboxBaseUrl,
      fetch: this.services.fetch,
      governor: this.services.mailboxGovernor,
      authHeaders: () => Promise.resolve({ Authorization: `Bearer ${accessToken}` }),
    });
    return client.me();
  }

  // ---- the stored session -----------------------------------------------------------------

  /** Reads the stored session (at start and when another window changed it) and adopts it. */
  private async reload(): Promise<void> {
    const stored = await this.services.secrets.getJson(SecretKeys.session, StoredSession);
    const current = this.manager?.session;
    if (sameSession(stored, current)) return;
    if (stored === undefined) {
      this.manager = undefined;
      if (current) {
        this.log.info('[auth] signed out in another window');
        this.sessionsChanged.fire({ added: [], removed: [toVsSession(current)], changed: [] });
        this.services.accountChanged('mailbox');
      }
    } else if (current && current.id === stored.id) {
      // Another window refreshed: take its pair, ours is dead now. Same account: nothing reloads.
      this.manager?.replace(stored);
      this.sessionsChanged.fire({ added: [], removed: [], changed: [toVsSession(stored)] });
      this.services.credentialsRotated('mailbox');
    } else {
      this.adopt(stored);
      if (current) this.log.info('[auth] signed in again in another window');
      this.sessionsChanged.fire({ added: [toVsSession(stored)], removed: current ? [toVsSession(current)] : [], changed: [] });
      this.services.accountChanged('mailbox');
    }
  }

  private adopt(session: StoredSession): void {
    this.manager = new SessionManager(session, {
      save: async (next) => {
        await this.services.secrets.storeJson(SecretKeys.session, next);
        this.log.info(`[auth] renewed the access token (expires ${next.expiresAt ? new Date(next.expiresAt).toISOString() : 'never'})`);
        this.sessionsChanged.fire({ added: [], removed: [], changed: [toVsSession(next)] });
        this.services.credentialsRotated('mailbox');
      },
      refresh: (rt) => this.refresh(session.id, rt),
      reacquire: async () => clientCredentials(await appCredentials(this.signInDeps), tokenDeps(this.services.fetch)),
      onEnded: (reason, s) => void this.ended(reason, s),
      now: () => Date.now(),
    });
  }

  /**
   * Called by the SessionManager (single-flight) when the token must be renewed. When another
   * window already rotated the refresh token, its stored pair is used instead of refreshing
   * with a token Help Scout no longer accepts.
   */
  private async refresh(sessionId: string, refreshToken: string): Promise<TokenSet> {
    const stored = await this.services.secrets.getJson(SecretKeys.session, StoredSession);
    if (stored && stored.id === sessionId && stored.refreshToken !== undefined && stored.refreshToken !== refreshToken) {
      this.log.info('[auth] another window already renewed the session: using its tokens');
      return {
        accessToken: stored.accessToken,
        refreshToken: stored.refreshToken,
        expiresAt: stored.expiresAt ?? Date.now() + 172_800_000,
        obtainedAt: stored.obtainedAt ?? Date.now(),
      };
    }
    this.log.info('[auth] refreshing the access token');
    return refreshTokens(await appCredentials(this.signInDeps), refreshToken, tokenDeps(this.services.fetch));
  }

  /** Called once per session by the SessionManager when it can no longer be used. */
  private async ended(reason: SessionEndReason, s: StoredSession): Promise<void> {
    this.log.warn(`[auth] the Mailbox API session ended: ${reason}`);
    await this.forget(s, reason);
    const message = new SessionEndedError(reason).message;
    const signIn = vscode.l10n.t('Sign In');
    const picked = await vscode.window.showWarningMessage(message, signIn);
    if (picked === signIn) await vscode.commands.executeCommand(Commands.signIn);
  }

  /** Deletes the stored session, unless it was already replaced (by a newer sign-in or another window). */
  private async forget(s: StoredSession, why: string): Promise<void> {
    const stored = await this.services.secrets.getJson(SecretKeys.session, StoredSession);
    if (stored === undefined || stored.id === s.id) await this.services.secrets.delete(SecretKeys.session);
    if (this.manager?.session?.id === s.id || this.manager?.session === undefined) this.manager = undefined;
    this.sessionsChanged.fire({ added: [], removed: [toVsSession(s)], changed: [] });
    this.log.info(`[auth] removed the Mailbox API session (${why})`);
    this.services.accountChanged('mailbox');
  }
}

function toVsSession(s: StoredSession): vscode.AuthenticationSession {
  return { id: s.id, accessToken: s.accessToken, account: { id: String(s.account.id), label: s.account.label }, scopes: [] };
}

function sameSession(a: StoredSession | undefined, b: StoredSession | undefined): boolean {
  return a?.id === b?.id && a?.accessToken === b?.accessToken && a?.refreshToken === b?.refreshToken;
}
