// Receives the OAuth redirect back from Help Scout's authorize page. Two ways:
//
// - The extension's UriHandler, at `<uriScheme>://<publisher>.<name>/auth-callback`. VS Code
//   calls `handleUri` when a browser opens that URI (desktop), or when the URL made by
//   `env.asExternalUri` is opened (web and remote workbenches). Each sign-in attempt waits
//   for its own random `state`; a callback with any other state is ignored (and the user is
//   told), so a stale or forged link cannot complete someone else's sign-in.
// - A one-shot loopback listener (core/auth/loopback) when the callback URL registered in the
//   Help Scout app is `http://127.0.0.1:<port>/<path>` or `http://localhost:<port>/<path>`.
import * as vscode from 'vscode';
import { CallbackError, type CallbackResult } from '../../core/auth/loopback';
import { redactText } from '../../core/http/redact';

export const CALLBACK_PATH = '/auth-callback';

interface Pending {
  resolve(result: CallbackResult): void;
  reject(err: Error): void;
}

/** The UriHandler: one per extension (VS Code allows only one), owned by the auth module. */
export class CallbackUriHandler implements vscode.UriHandler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly onStateMismatch: () => void,
  ) {}

  /** Called by VS Code for every URI addressed to this extension. */
  handleUri(uri: vscode.Uri): void {
    if (uri.path !== CALLBACK_PATH) {
      // Anyone can send such a link: what it holds is redacted before it is logged.
      this.log.warn(`[auth] ignored a link to this extension with the unknown path ${redactText(uri.path)}`);
      return;
    }
    const query = new URLSearchParams(uri.query);
    const state = query.get('state') ?? '';
    const waiting = this.pending.get(state);
    if (!waiting) {
      // Neither the state nor the code is logged: the code is a credential until it is used.
      this.log.warn(`[auth] ignored a sign-in callback whose state matches no sign-in in progress (${this.pending.size} waiting)`);
      this.onStateMismatch();
      return;
    }
    this.pending.delete(state);
    const code = query.get('code');
    if (code) {
      this.log.info('[auth] received the sign-in callback');
      waiting.resolve({ code, state });
    } else {
      const error = query.get('error') ?? 'no code';
      this.log.warn(`[auth] the sign-in callback carried no code (${redactText(error)})`);
      waiting.reject(new CallbackError('denied', 'Access was denied in Help Scout.'));
    }
  }

  /** Waits for the callback of one attempt; rejects on timeout or cancellation. */
  wait(state: string, timeoutMs: number, signal: AbortSignal): Promise<CallbackResult> {
    return new Promise<CallbackResult>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(state);
      };
      const timer = setTimeout(() => {
        done();
        reject(new CallbackError('timeout', 'Timed out waiting for Help Scout to redirect back.'));
      }, timeoutMs);
      const onAbort = (): void => {
        done();
        reject(new CallbackError('cancelled', 'Sign-in was cancelled.'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      this.pending.set(state, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
    });
  }
}

/** The extension's own callback URI, before `asExternalUri`. */
export function extensionCallbackUri(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.parse(`${vscode.env.uriScheme}://${context.extension.id}${CALLBACK_PATH}`);
}
