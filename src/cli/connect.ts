// The connection the command-line tools share (`npm run query`, `npm run docs`):
// a real account when HELPSCOUT_ACCESS_TOKEN (Mailbox API) and/or
// HELPSCOUT_DOCS_API_KEY (Docs API) are set, with HELPSCOUT_MAILBOX_BASE_URL /
// HELPSCOUT_DOCS_BASE_URL to override the hosts; otherwise a sandbox with
// seeded data started in-process (said on stderr through `say`).
import { createDocsGovernor, docsApiKeyAuth } from '../core/docs/client';
import { HttpClient } from '../core/http/client';
import { createNodeFetch } from '../core/http/node';
import { createMailboxGovernor } from '../core/mailbox/client';
import { startSandbox, type RunningSandbox } from '../sandbox';

export const ENVIRONMENT_HELP = `Environment: HELPSCOUT_ACCESS_TOKEN, HELPSCOUT_DOCS_API_KEY, HELPSCOUT_MAILBOX_BASE_URL
(default https://api.helpscout.net/v2), HELPSCOUT_DOCS_BASE_URL (default https://docsapi.helpscout.net/v1).
Without a token or key, a sandbox with seeded data is started in-process.`;

export interface Connection {
  readonly mailboxHttp: HttpClient | undefined;
  readonly docsHttp: HttpClient | undefined;
  /** Set when no token or key was given. */
  readonly sandbox: RunningSandbox | undefined;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Sandbox only: added latency per request. */
  readonly latencyMs?: number;
  /** Sandbox only: data seed (default 1). */
  readonly seed?: number;
  readonly say: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** Prints the message on stderr and exits with `code`. */
export function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export async function connectFromEnvironment(options: ConnectOptions): Promise<Connection> {
  const env = options.env ?? process.env;
  const token = env['HELPSCOUT_ACCESS_TOKEN'];
  const apiKey = env['HELPSCOUT_DOCS_API_KEY'];
  let sandbox: RunningSandbox | undefined;
  let mailboxBase = env['HELPSCOUT_MAILBOX_BASE_URL'] ?? 'https://api.helpscout.net/v2';
  let docsBase = env['HELPSCOUT_DOCS_BASE_URL'] ?? 'https://docsapi.helpscout.net/v1';
  let bearer = token;
  let key = apiKey;
  if (!token && !apiKey) {
    const latency = options.latencyMs ?? 0;
    sandbox = await startSandbox({ port: 0, seed: options.seed ?? 1, knobs: { latencyMs: latency } });
    mailboxBase = sandbox.mailboxBaseUrl;
    docsBase = sandbox.docsBaseUrl;
    bearer = sandbox.credentials.accessToken;
    key = sandbox.credentials.docsApiKey;
    options.say(`No HELPSCOUT_ACCESS_TOKEN / HELPSCOUT_DOCS_API_KEY set: using a local sandbox at ${sandbox.baseUrl} (seeded data${latency ? `, ${latency} ms latency` : ''}).`);
  }
  const net = createNodeFetch();
  const mailboxHttp = bearer
    ? new HttpClient({ baseUrl: mailboxBase, fetch: net.fetch, governor: createMailboxGovernor(), authHeaders: async () => ({ Authorization: `Bearer ${bearer}` }) })
    : undefined;
  const docsHttp = key
    ? new HttpClient({ baseUrl: docsBase, fetch: net.fetch, governor: createDocsGovernor(), authHeaders: docsApiKeyAuth(() => key) })
    : undefined;
  const running = sandbox;
  return {
    mailboxHttp,
    docsHttp,
    sandbox,
    async close() {
      await net.close();
      await running?.close();
    },
  };
}
