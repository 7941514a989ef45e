// A one-shot HTTP listener for OAuth callbacks when the callback URL the user
// registered in their Help Scout app is a loopback URL such as
// `http://127.0.0.1:33333/callback`. It accepts exactly one request on that
// path whose `state` matches, answers the browser with a small page, and
// closes. Requests with another path or state get an error page and are
// ignored, so a stray or forged request cannot end the wait.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface CallbackResult {
  code: string;
  state: string;
}

export class CallbackError extends Error {
  override readonly name = 'CallbackError';
  constructor(
    readonly kind: 'denied' | 'timeout' | 'cancelled' | 'portInUse',
    message: string,
  ) {
    super(message);
  }
}

export interface LoopbackOptions {
  callbackUrl: string;
  state: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once the port is listening, so the caller can open the browser only then. */
  onListening?: () => void;
}

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
  `<style>body{font:15px system-ui,sans-serif;margin:3em auto;max-width:32em;color:#222}</style></head>` +
  `<body><h1>${title}</h1><p>${body}</p></body></html>`;

export function waitForLoopbackCallback(opts: LoopbackOptions): Promise<CallbackResult> {
  const target = new URL(opts.callbackUrl);
  const port = Number(target.port);
  return new Promise<CallbackResult>((resolve, reject) => {
    let settled = false;
    const server: Server = createServer();
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      server.close();
      server.closeAllConnections();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new CallbackError('timeout', 'Timed out waiting for Help Scout to redirect back.'))),
      opts.timeoutMs,
    );
    const onAbort = (): void => finish(() => reject(new CallbackError('cancelled', 'Sign-in was cancelled.')));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const reply = (status: number, title: string, body: string): void => {
        res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(page(title, body));
      };
      if (url.pathname !== target.pathname) return reply(404, 'Not found', 'This address only receives the Help Scout sign-in.');
      const state = url.searchParams.get('state') ?? '';
      if (state !== opts.state) {
        return reply(400, 'Sign-in not recognised', 'This sign-in attempt does not match the one VS Code started. Start it again from VS Code.');
      }
      const code = url.searchParams.get('code');
      if (!code) {
        reply(400, 'Sign-in denied', 'Help Scout did not grant access. You can close this tab.');
        return finish(() => reject(new CallbackError('denied', 'Access was denied in Help Scout.')));
      }
      reply(200, 'Signed in to Help Scout', 'You can close this tab and return to VS Code.');
      finish(() => resolve({ code, state }));
    });
    server.on('error', (err: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          err.code === 'EADDRINUSE'
            ? new CallbackError('portInUse', `Port ${port} is already in use, so the sign-in callback cannot be received.`)
            : err,
        ),
      ),
    );
    server.listen(port, target.hostname === 'localhost' ? '127.0.0.1' : target.hostname.replace(/^\[|\]$/g, ''), () =>
      opts.onListening?.(),
    );
  });
}
