// The one place where the extension builds Help Scout clients. Features ask
// this object for a MailboxClient or DocsClient instead of making their own, so
// every request shares one rate governor per API, VS Code's fetch (and with
// it VS Code's proxy and certificate setup), the redacting request log, and the
// current settings and credentials. Clients are rebuilt when settings change.
import * as vscode from 'vscode';
import { DocsClient, createDocsGovernor, docsApiKeyAuth } from '../core/docs/client';
import type { RequestLogEntry } from '../core/http/client';
import type { RateGovernor } from '../core/http/governor';
import type { FetchLike } from '../core/http/types';
import type { Logger } from '../core/log';
import { MailboxClient, createMailboxGovernor } from '../core/mailbox/client';
import { SecretKeys, type Secrets } from './secrets';
import { type Settings, onDidChangeSettings, readSettings } from './settings';

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

export class HelpScoutServices implements vscode.Disposable {
  readonly mailboxGovernor: RateGovernor = createMailboxGovernor();
  readonly docsGovernor: RateGovernor = createDocsGovernor();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when credentials or connection settings change: views reload, status bar updates. */
  readonly onDidChangeConnection = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private mailboxAuth: MailboxAuth | undefined;
  private mailboxClient: MailboxClient | undefined;
  private docsClient: DocsClient | undefined;
  private current: Settings;

  constructor(
    readonly log: vscode.LogOutputChannel & Logger,
    readonly secrets: Secrets,
    private readonly fetch: FetchLike = (url, init) => globalThis.fetch(url, init),
  ) {
    this.current = readSettings(log);
    this.disposables.push(
      onDidChangeSettings(() => {
        this.current = readSettings(log);
        this.mailboxClient = undefined;
        this.docsClient = undefined;
        this.changed.fire();
      }),
      secrets.onDidChange((e) => {
        if (e.key === SecretKeys.docsApiKey) this.changed.fire();
      }),
    );
  }

  get settings(): Settings {
    return this.current;
  }

  /** Called once by the authentication module at activation. */
  setMailboxAuth(auth: MailboxAuth): void {
    this.mailboxAuth = auth;
    this.mailboxClient = undefined;
  }

  /** Tells views and the status bar that credentials changed (sign-in, sign-out, key set). */
  connectionChanged(): void {
    this.changed.fire();
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

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
