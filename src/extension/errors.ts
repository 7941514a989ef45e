// Turns errors from core (typed, with a `kind`) into what users see: one short
// sentence and the actions that can fix it. Tree error rows, webviews and the
// command registration point (commands.ts) use `describeError` / `showError`,
// so each kind's wording is written here only. Two callers wrap it rather than
// show it: the Docs file system puts the same words into a FileSystemError
// (VS Code shows those itself), and a query's SQL errors keep SQLite's own
// message next to the statement. Raw stack traces never reach users; the log
// gets the details, redacted.
import * as vscode from 'vscode';
import { CallbackError } from '../core/auth/loopback';
import { OAuthError } from '../core/auth/oauth';
import { SessionEndedError } from '../core/auth/session';
import { HelpScoutError, RateLimitedError, ValidationError } from '../core/errors';
import { redactText } from '../core/http/redact';
import { describeForLog } from '../core/log';
import { Commands } from './constants';
import { NotConnectedError } from './services';

export interface ErrorAction {
  title: string;
  command: string;
}

export interface DescribedError {
  message: string;
  actions: ErrorAction[];
  /** True when the user cancelled: callers stay silent. */
  cancelled: boolean;
}

const signIn = (): ErrorAction => ({ title: vscode.l10n.t('Sign In'), command: Commands.signIn });
const setKey = (): ErrorAction => ({ title: vscode.l10n.t('Set Docs API Key'), command: Commands.setDocsApiKey });
const showLog = (): ErrorAction => ({ title: vscode.l10n.t('Show Log'), command: Commands.showLog });
const setSecret = (): ErrorAction => ({ title: vscode.l10n.t('Set App Secret'), command: Commands.setClientSecret });
const copyCallback = (): ErrorAction => ({ title: vscode.l10n.t('Copy Callback URL'), command: Commands.copyCallbackUrl });

export function describeError(err: unknown): DescribedError {
  // Redacted here once: several messages repeat an error's own text, which may hold what a
  // user typed or a server echoed.
  const d = (message: string, actions: ErrorAction[] = [], cancelled = false): DescribedError => ({ message: redactText(message), actions, cancelled });
  if (err instanceof NotConnectedError) {
    return err.api === 'mailbox'
      ? d(vscode.l10n.t('Sign in to Help Scout to see this.'), [signIn()])
      : d(vscode.l10n.t('Set your Help Scout Docs API key to see this.'), [setKey()]);
  }
  if (err instanceof SessionEndedError) return d(err.message, [signIn()]);
  if (err instanceof OAuthError) {
    if (err.kind === 'invalid_client') return d(vscode.l10n.t('Help Scout refused the app ID or app secret. Check them in the Help Scout app settings.'), [setSecret(), signIn()]);
    if (err.kind === 'invalid_grant') return d(vscode.l10n.t('The Help Scout sign-in has expired. Sign in again.'), [signIn()]);
    if (err.kind === 'network') return d(vscode.l10n.t('Could not reach Help Scout to sign in. Check your network or proxy.'), [showLog()]);
    return d(vscode.l10n.t('Signing in to Help Scout failed: {0}', err.message), [showLog()]);
  }
  if (err instanceof CallbackError) {
    switch (err.kind) {
      case 'cancelled':
        return d(vscode.l10n.t('Sign-in cancelled.'), [], true);
      case 'timeout':
        return d(vscode.l10n.t('Timed out waiting for Help Scout to send the browser back to VS Code. Check that the Redirection URL of your Help Scout app is the callback URL, then sign in again.'), [copyCallback(), signIn()]);
      case 'denied':
        return d(vscode.l10n.t('Access was denied on the Help Scout authorize page.'), [signIn()]);
      case 'portInUse':
        return d(vscode.l10n.t('The sign-in callback cannot be received: {0}', err.message), [showLog()]);
    }
  }
  if (err instanceof Error && err.name === 'AuthSchemeOffError') {
    return d(err.message, [{ title: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings' }]);
  }
  if (err instanceof HelpScoutError) {
    switch (err.kind) {
      case 'auth':
        return d(vscode.l10n.t('Help Scout did not accept the credentials. Sign in again or check the API key.'), [signIn(), setKey()]);
      case 'forbidden':
        return d(vscode.l10n.t('Your Help Scout user may not do this.'));
      case 'not-found':
        return d(vscode.l10n.t('Help Scout could not find it; it may have been deleted.'));
      case 'rate-limited': {
        const s = Math.ceil((err as RateLimitedError).retryAfterMs / 1000);
        return d(vscode.l10n.t('Help Scout is rate limiting requests; try again in {0} s.', s));
      }
      case 'validation': {
        const fields = (err as ValidationError).fields.map((f) => `${f.path}: ${f.message}`).join('; ');
        return d(fields ? vscode.l10n.t('Help Scout rejected the change: {0}', fields) : vscode.l10n.t('Help Scout rejected the change: {0}', err.message));
      }
      case 'network':
        return d(vscode.l10n.t('Could not reach Help Scout. Check your network or proxy.'), [showLog()]);
      case 'timeout':
        return d(vscode.l10n.t('Help Scout took too long to answer.'), [showLog()]);
      case 'cancelled':
        return d(vscode.l10n.t('Cancelled.'), [], true);
      case 'schema-drift':
        return d(vscode.l10n.t('Help Scout answered in an unexpected shape: {0}', err.message), [showLog()]);
      default:
        return d(vscode.l10n.t('Help Scout request failed: {0}', err.message), [showLog()]);
    }
  }
  if (err instanceof Error && err.name === 'AbortError') return d(vscode.l10n.t('Cancelled.'), [], true);
  return d(err instanceof Error ? err.message : String(err), [showLog()]);
}

/** Shows an error notification with its fix-it actions; logs the details (redacted). Silent for cancellations. */
export async function showError(err: unknown, log: vscode.LogOutputChannel, context?: string): Promise<void> {
  const described = describeError(err);
  log.error(`${context ? `[${context}] ` : ''}${describeForLog(err)}`);
  if (described.cancelled) return;
  const text = context ? `${context}: ${described.message}` : described.message;
  const picked = await vscode.window.showErrorMessage(text, ...described.actions.map((a) => a.title));
  const action = described.actions.find((a) => a.title === picked);
  if (action) await vscode.commands.executeCommand(action.command);
}
