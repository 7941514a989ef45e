// The one place where the extension builds Help Scout clients. Features ask
// this object for a MailboxClient or DocsClient instead of making their own, so
// every request shares one rate governor per API, VS Code's fetch (and with
// it VS Code's proxy and certificate setup), the redacting request log, and the
// current settings and credentials. Clients are rebuilt when the account or
// endpoint of their API changes, and three events say what changed (see below).
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { DocsClient, createDocsGovernor, docsApiKeyAuth } from '../core/docs/client';
import type { RequestLogEntry } from '../core/http/client';
import type { RateGovernor } from '../core/http/governor';
import type { FetchLike } from '../core/http/types';
import { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/log';
import { MailboxClient, createMailboxGovernor } from '../core/mailbox/client';
import { SecretKeys, type Secrets } from './secrets';
import { type Settings, SettingEffects, onDidChangeSettings, readSettings } from './settings';

/** How Mailbox API requests get their credentials; the authentication provider supplies it. */
export interface MailboxAuth {
  /** Headers for one request; throws NotConnectedError when nobody is signed in. */
  authHeaders(): Promise<Record<string, string>>;
  /** A request carrying `failed` got a 401: refresh if that helps, true to retry once. */
  onUnauthorized(failed: Readonly<Record<string, string>>): Promise<boolean>;
}

/** Thrown when a feature needs an API that has no credentials yet. */
export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly api: 'mailbox' | 'docs') {
    super(api === 'mailbox' ? 'Not signed in to the Help Scout Mailbox API.' : 'No Help Scout Docs API key is set.');
  }
}

/** The two Help Scout APIs; each has its own credentials, endpoint and rate limit. */
export type Api = 'mailbox' | 'docs';

export class HelpScoutServices extends Disposable implements vscode.Disposable {
  readonly mailboxGovernor: RateGovernor = createMailboxGovernor();
  readonly docsGovernor: RateGovernor = createDocsGovernor();
  private readonly accountEmitter = this.register(new vscode.EventEmitter<Api>());
  /**
   * The account or endpoint of an API changed: sign-in, sign-out (here or in another window),
   * another Docs key, another base URL or AuthScheme. Its clients are already rebuilt when this
   * fires; listeners drop what they cached for that API and reload its views.
   */
  readonly onDidChangeAccount = this.accountEmitter.event;
  private readonly rotatedEmitter = this.register(new vscode.EventEmitter<Api>());
  /**
   * The same account's credentials were renewed (a token refresh here or in another window).
   * Clients read credentials per request, so nothing needs rebuilding and nothing visible
   * should happen: no reload, no request.
   */
  readonly onDidRotateCredentials = this.rotatedEmitter.event;
  private readonly settingsEmitter = this.register(new vscode.EventEmitter<ReadonlySet<keyof Settings>>());
  /** Settings changed (the fields whose value changed); each listener checks the ones it reads. */
  readonly onDidChangeSettings = this.settingsEmitter.event;
  private mailboxAuth: MailboxAuth | undefined;
  private mailboxClient: MailboxClient | undefined;
  private docsClient: DocsClient | undefined;
  private current: Settings;
  /** A hash of the Docs key in use, to tell a new key from the same key stored again. */
  private docsKeyHash: Promise<string | undefined>;

  constructor(
    readonly log: vscode.LogOutputChannel & Logger,
    readonly secrets: Secrets,
    /** The fetch every request of the extension goes through: VS Code's, with its proxy support. */
    readonly fetch: FetchLike = (url, init) => globalThis.fetch(url, init),
  ) {
    super();
    this.current = readSettings(log);
    this.docsKeyHash = this.readDocsKeyHash();
    this.register(onDidChangeSettings((changed) => this.settingsDidChange(changed)));
    this.register(secrets.onDidChange((e) => {
      if (e.key === SecretKeys.docsApiKey) void this.docsKeyDidChange();
    }));
  }

  private settingsDidChange(changed: ReadonlySet<keyof Settings>): void {
    const before = this.current;
    this.current = readSettings(this.log);
    const really = new Set([...changed].filter((f) => before[f] !== this.current[f]));
    if (really.size === 0) return;
    this.settingsEmitter.fire(really);
    const apis = new Set([...really].map((f) => SettingEffects[f]));
    if (apis.has('mailbox')) this.accountChanged('mailbox');
    if (apis.has('docs')) this.accountChanged('docs');
  }

  private async readDocsKeyHash(): Promise<string | undefined> {
    const key = await this.secrets.getString(SecretKeys.docsApiKey);
    return key === undefined ? undefined : createHash('sha256').update(key).digest('hex');
  }

  /** Called when the stored Docs key changed (this window or another): only a different key is a different account. */
  private async docsKeyDidChange(): Promise<void> {
    const before = await this.docsKeyHash;
    this.docsKeyHash = this.readDocsKeyHash();
    if ((await this.docsKeyHash) !== before) this.accountChanged('docs');
  }

  get settings(): Settings {
    return this.current;
  }

  /** Called once by the authentication module at activation. */
  setMailboxAuth(auth: MailboxAuth): void {
    this.mailboxAuth = auth;
    this.mailboxClient = undefined;
  }

  /** An API now talks to another account or endpoint: its client is rebuilt on next use. */
  accountChanged(api: Api): void {
    if (api === 'mailbox') this.mailboxClient = undefined;
    else this.docsClient = undefined;
    this.accountEmitter.fire(api);
  }

  /** The same account's credentials were renewed. */
  credentialsRotated(api: Api): void {
    this.rotatedEmitter.fire(api);
  }

  mailbox(): MailboxClient {
    this.mailboxClient ??= MailboxClient.create({
      baseUrl: this.current.mailboxBaseUrl,
      fetch: this.fetch,
      governor: this.mailboxGovernor,
      authHeaders: () => {
        if (!this.mailboxAuth) throw new NotConnectedError('mailbox');
        return this.mailboxAuth.authHeaders();
      },
      onUnauthorized: ({ authHeaders }) => this.mailboxAuth?.onUnauthorized(authHeaders) ?? Promise.resolve(false),
      onRequest: (e) => this.logRequest('mailbox', e),
    });
    return this.mailboxClient;
  }

  docs(): DocsClient {
    this.docsClient ??= DocsClient.create({
      baseUrl: this.current.docsBaseUrl,
      fetch: this.fetch,
      governor: this.docsGovernor,
      authHeaders: docsApiKeyAuth(async () => {
        const key = await this.secrets.getString(SecretKeys.docsApiKey);
        if (key === undefined) throw new NotConnectedError('docs');
        return key;
      }),
      onRequest: (e) => this.logRequest('docs', e),
    });
    return this.docsClient;
  }

  /** A Docs client for a key that is not stored yet (testing a key before saving it). */
  docsWithKey(key: string): DocsClient {
    return DocsClient.create({
      baseUrl: this.current.docsBaseUrl,
      fetch: this.fetch,
      governor: this.docsGovernor,
      authHeaders: docsApiKeyAuth(() => key),
      onRequest: (e) => this.logRequest('docs', e),
    });
  }

  async hasDocsKey(): Promise<boolean> {
    return (await this.secrets.getString(SecretKeys.docsApiKey)) !== undefined;
  }

  private logRequest(api: string, e: RequestLogEntry): void {
    // URLs arrive redacted from core; no headers or bodies are logged.
    const what = `[http] ${api} ${e.method} ${e.url} -> ${e.status ?? e.error ?? '?'} in ${Math.round(e.durationMs)} ms`;
    if (e.status !== undefined && e.status < 400) this.log.trace(what);
    else this.log.debug(e.retryInMs !== undefined ? `${what}; retry in ${e.retryInMs} ms` : what);
  }
}
