// Starts the sandbox on a free loopback port and builds the real core clients
// against it (undici fetch, keep-alive pool, shared governors). Tests talk to
// the sandbox over HTTP and read its request log and store to check outcomes.
import { DocsClient, createDocsGovernor, docsApiKeyAuth } from '../../../src/core/docs/client';
import type { HttpClientOptions, RequestLogEntry } from '../../../src/core/http/client';
import { HttpClient } from '../../../src/core/http/client';
import type { RateGovernor } from '../../../src/core/http/governor';
import { createNodeFetch, type NodeFetch } from '../../../src/core/http/node';
import { MailboxClient, createMailboxGovernor } from '../../../src/core/mailbox/client';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src/sandbox';

export interface Core {
  readonly sandbox: RunningSandbox;
  readonly net: NodeFetch;
  readonly mailboxGovernor: RateGovernor;
  readonly docsGovernor: RateGovernor;
  readonly mailboxHttp: HttpClient;
  readonly docsHttp: HttpClient;
  readonly mailbox: MailboxClient;
  readonly docs: DocsClient;
  /** Every request-log hook entry, both APIs. */
  readonly requests: RequestLogEntry[];
  close(): Promise<void>;
}

/** Small data by default: tests that count pages ask for the sizes they need. */
export const SMALL: NonNullable<SandboxOptions['sizes']> = {
  mailboxes: 2,
  conversations: 120,
  customers: 60,
  users: 5,
  teams: 2,
  tags: 10,
  docs: { sites: 1, collections: 3, articles: 40, redirects: 4 },
};

export async function startCore(
  options: SandboxOptions = {},
  client: Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch'>> = {},
): Promise<Core> {
  const sandbox = await startSandbox({ port: 0, sizes: SMALL, ...options });
  const net = createNodeFetch();
  const requests: RequestLogEntry[] = [];
  const mailboxGovernor = client.governor ?? createMailboxGovernor({ concurrency: 8 });
  const docsGovernor = createDocsGovernor({ concurrency: 8 });
  const common = {
    fetch: net.fetch,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    random: () => 0.5,
    onRequest: (e: RequestLogEntry) => requests.push(e),
    ...client,
  };
  const token = sandbox.credentials.accessToken;
  const mailboxHttp = new HttpClient({
    baseUrl: sandbox.mailboxBaseUrl,
    authHeaders: async () => ({ Authorization: `Bearer ${token}` }),
    ...common,
    governor: mailboxGovernor,
  });
  const docsHttp = new HttpClient({
    baseUrl: sandbox.docsBaseUrl,
    authHeaders: docsApiKeyAuth(() => sandbox.credentials.docsApiKey),
    ...common,
    governor: docsGovernor,
  });
  return {
    sandbox,
    net,
    mailboxGovernor,
    docsGovernor,
    mailboxHttp,
    docsHttp,
    mailbox: new MailboxClient(mailboxHttp),
    docs: new DocsClient(docsHttp),
    requests,
    async close() {
      await net.close();
      await sandbox.close();
    },
  };
}
