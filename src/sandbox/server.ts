// The sandbox's HTTP server: one port serves the Mailbox API (/v2, bearer
// tokens), the Docs API (/v1, Basic auth), the OAuth authorize page and the
// control API (/__sandbox). Every request passes through here, which is
// where latency, injected faults, rate limits and the request log apply.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control';
import { type DocsStore, createDocsApi, createDocsStore } from './docs/index';
import { type Fault, KnobState, type KnobsPatch } from './knobs';
import { type ApiName, RequestLog } from './log';
import { createMailboxApi } from './mailbox/index';
import { VND_ERROR, logRef } from './mailbox/hal';
import type { MailboxStore } from './mailbox/model';
import { OAuthServer } from './oauth';
import { Rng } from './random';
import { WindowLimiter } from './ratelimit';
import { DEFAULT_SEED_DATE, type MailboxSizes, generateMailboxStore } from './seed/mailbox';
import type { ApiHandler, SandboxRequest, SandboxResponse } from './types';

export type DocsSizes = NonNullable<Parameters<typeof createDocsStore>[0]['sizes']>;

export interface SandboxOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed for all generated data and credentials. Default 1. */
  seed?: number;
  /** Data sizes; `docs` is passed through to the Docs module. */
  sizes?: Partial<MailboxSizes> & { docs?: DocsSizes };
  /** Knobs applied at start (and again after every reset). */
  knobs?: KnobsPatch;
  /** Envelope of the Docs sites/redirects lists. Default 'wrapped'. */
  docsEnvelope?: 'wrapped' | 'unwrapped';
  /** The demo OAuth app's registered redirect URL. Default `<baseUrl>/oauth/demo-callback`. */
  redirectUri?: string;
  /** The seeded data ends at this instant. Default 2026-11-01T00:00:00Z. */
  seedDate?: string;
}

export interface SandboxCredentials {
  /** Name shown on the authorize page. */
  appName: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Docs API key (Basic auth user; any password). */
  docsApiKey: string;
  /**
   * A ready Mailbox API access token acting as the account owner that never expires. A sandbox
   * convenience for tests and the demo; the real service has no such thing.
   */
  accessToken: string;
}

export interface SandboxData {
  readonly mailbox: MailboxStore;
  readonly docs: DocsStore;
}

export interface SandboxInfo {
  baseUrl: string;
  mailboxBaseUrl: string;
  docsBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  credentials: SandboxCredentials;
}

export interface RunningSandbox extends SandboxInfo {
  readonly log: RequestLog;
  readonly knobs: KnobState;
  /** The current data. `reset()` replaces it, so read it again after a reset. */
  readonly store: SandboxData;
  /** Makes every issued access token (not the demo token) expire now. Returns how many. */
  expireTokens(): number;
  /** Changes the demo app's registered redirect URL (e.g. to a test's loopback listener). */
  setRedirectUri(uri: string): void;
  /** Reseeds the data, clears the log, restores the knobs and the rate-limit windows. */
  reset(): void;
  info(): SandboxInfo;
  close(): Promise<void>;
}

export const AUTHORIZE_PATH = '/authentication/authorizeClientApplication';
export const DEMO_CALLBACK_PATH = '/oauth/demo-callback';
const TOKEN_PATH = '/v2/oauth2/token';
const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Waits `ms`; resolves true early if the client closes the connection meanwhile. */
function delayUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(false);
    }, ms);
    res.once('close', onClose);
  });
}

function sendResponse(res: ServerResponse, r: SandboxResponse): void {
  const headers: Record<string, string> = { ...r.headers };
  let payload: Buffer | undefined;
  if (r.body === undefined || r.body === null) payload = undefined;
  else if (Buffer.isBuffer(r.body)) payload = r.body;
  else if (typeof r.body === 'string') payload = Buffer.from(r.body, 'utf8');
  else {
    payload = Buffer.from(JSON.stringify(r.body), 'utf8');
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  if (payload) headers['Content-Length'] = String(payload.length);
  else if (r.status !== 204 && r.status !== 304) headers['Content-Length'] = '0';
  res.writeHead(r.status, headers);
  res.end(payload);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const seed = options.seed ?? 1;
  const host = options.host ?? '127.0.0.1';
  const seedDate = options.seedDate ?? DEFAULT_SEED_DATE;
  const { docs: docsSizes, ...mailboxSizes } = options.sizes ?? {};
  const envelope = options.docsEnvelope ?? 'wrapped';
  const now = (): Date => new Date();

  let mailboxStore = generateMailboxStore(seed, mailboxSizes, seedDate);
  const makeDocs = (): { store: DocsStore; api: ApiHandler } => {
    const store = createDocsStore({ seed, ...(docsSizes ? { sizes: docsSizes } : {}) });
    return { store, api: createDocsApi(store, { now, envelope }) };
  };
  let docs = makeDocs();

  const knobs = new KnobState(seed, options.knobs ?? {});
  const log = new RequestLog();
  const mailboxLimiter = new WindowLimiter(() => knobs.get().rateLimits.mailbox);
  const docsLimiter = new WindowLimiter(() => knobs.get().rateLimits.docs);
  const mailboxApi = createMailboxApi(() => mailboxStore, now);

  // Credentials are derived from the seed, so a restarted sandbox keeps them.
  const credRng = new Rng(seed ^ 0x0a17c0de);
  const clientId = credRng.hex(32);
  const clientSecret = credRng.hex(32);
  const docsApiKey = credRng.hex(40);
  const demoToken = credRng.hex(32);

  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${port}`;

  const oauth = new OAuthServer(
    {
      name: 'Sandbox Demo App', clientId, clientSecret,
      redirectUri: options.redirectUri ?? `${baseUrl}${DEMO_CALLBACK_PATH}`, ownerUserId: mailboxStore.ownerId,
    },
    demoToken,
    { lifetimeSeconds: () => knobs.get().tokenLifetimeSeconds, now: () => Date.now(), store: () => mailboxStore },
  );

  const info = (): SandboxInfo => ({
    baseUrl,
    mailboxBaseUrl: `${baseUrl}/v2`,
    docsBaseUrl: `${baseUrl}/v1`,
    authorizeUrl: `${baseUrl}${AUTHORIZE_PATH}`,
    tokenUrl: `${baseUrl}${TOKEN_PATH}`,
    credentials: {
      appName: oauth.app.name, clientId, clientSecret, redirectUri: oauth.app.redirectUri, docsApiKey, accessToken: demoToken,
    },
  });

  const sandbox: RunningSandbox = {
    ...info(),
    log,
    knobs,
    get store(): SandboxData {
      return { mailbox: mailboxStore, docs: docs.store };
    },
    expireTokens: () => oauth.expireAll(),
    setRedirectUri(uri: string): void {
      new URL(uri); // throws on a malformed URL
      oauth.app.redirectUri = uri;
      sandbox.credentials.redirectUri = uri;
    },
    reset(): void {
      mailboxStore = generateMailboxStore(seed, mailboxSizes, seedDate);
      docs = makeDocs();
      log.reset();
      knobs.reset();
      mailboxLimiter.reset();
      docsLimiter.reset();
    },
    info,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };

  const mailboxRateHeaders = (s: { limit: number; remaining: number }): Record<string, string> => ({
    'X-RateLimit-Limit-Minute': String(s.limit),
    'X-RateLimit-Remaining-Minute': String(s.remaining),
  });
  const docsRateHeaders = (s: { limit: number; remaining: number; resetSeconds: number }): Record<string, string> => ({
    'X-RateLimit-Limit': String(s.limit),
    'X-RateLimit-Remaining': String(s.remaining),
    'X-RateLimit-Reset': String(s.resetSeconds),
  });

  function faultResponse(api: 'mailbox' | 'docs', fault: Exclude<Fault, { kind: 'drop' }>): SandboxResponse {
    if (fault.kind === 'error') {
      const body = api === 'mailbox' ? { logRef: logRef(), message: 'Internal error' } : { status: fault.status, message: 'Internal error' };
      return { status: fault.status, headers: { 'Content-Type': api === 'mailbox' ? VND_ERROR : 'application/json' }, body };
    }
    const retry = String(knobs.get().force429.retryAfterSeconds);
    if (api === 'mailbox') {
      const s = mailboxLimiter.peek();
      return {
        status: 429,
        headers: { ...mailboxRateHeaders({ limit: s.limit, remaining: 0 }), 'X-RateLimit-Retry-After': retry, 'Retry-After': retry, 'Content-Type': 'application/json' },
        body: { message: 'API rate limit exceeded' },
      };
    }
    const s = docsLimiter.peek();
    return {
      status: 429,
      headers: { ...docsRateHeaders({ limit: s.limit, remaining: 0, resetSeconds: Number(retry) }), 'Retry-After': retry },
      body: { status: 429, message: 'Rate limit exceeded' },
    };
  }

  async function mailbox(req: SandboxRequest): Promise<SandboxResponse> {
    const auth = oauth.authenticate(req.headers.authorization);
    if (!auth.ok) {
      return {
        status: 401,
        headers: { ...mailboxRateHeaders(mailboxLimiter.peek()), 'Content-Type': VND_ERROR },
        body: { logRef: logRef(), message: auth.message },
      };
    }
    const write = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method);
    const s = mailboxLimiter.take(write ? 2 : 1);
    if (!s.allowed) {
      return {
        status: 429,
        headers: {
          ...mailboxRateHeaders(s), 'X-RateLimit-Retry-After': String(s.resetSeconds), 'Retry-After': String(s.resetSeconds),
          'Content-Type': 'application/json',
        },
        body: { message: 'API rate limit exceeded' },
      };
    }
    const r = await mailboxApi(req, auth.userId);
    return { ...r, headers: { ...mailboxRateHeaders(s), ...r.headers } };
  }

  async function docsRequest(req: SandboxRequest): Promise<SandboxResponse> {
    const m = /^Basic\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
    const user = m ? Buffer.from(m[1] ?? '', 'base64').toString('utf8').split(':')[0] : undefined;
    if (user !== docsApiKey) {
      return {
        status: 401,
        headers: { ...docsRateHeaders(docsLimiter.peek()), 'WWW-Authenticate': 'Basic realm="Help Scout Docs API"' },
        body: { status: 401, message: user === undefined ? 'Authentication required: use your API key as the Basic auth user' : 'Invalid API key' },
      };
    }
    const s = docsLimiter.take(1);
    if (!s.allowed) {
      return { status: 429, headers: { ...docsRateHeaders(s), 'Retry-After': String(s.resetSeconds) }, body: { status: 429, message: 'Rate limit exceeded' } };
    }
    const r = (await docs.api(req)) ?? { status: 404, body: { status: 404, message: `The specified resource was not found: '/v1${req.path}'` } };
    return { ...r, headers: { ...docsRateHeaders(s), ...r.headers } };
  }

  function classify(path: string): ApiName | 'none' {
    if (path === '/__sandbox' || path.startsWith('/__sandbox/')) return 'control';
    if (path === TOKEN_PATH || path === AUTHORIZE_PATH || path === DEMO_CALLBACK_PATH) return 'oauth';
    if (path === '/v2' || path.startsWith('/v2/')) return 'mailbox';
    if (path === '/v1' || path.startsWith('/v1/')) return 'docs';
    return 'none';
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', baseUrl);
      const path = url.pathname;
      const kind = classify(path);
      const api: ApiName = kind === 'none' ? 'control' : kind;
      const method = (req.method ?? 'GET').toUpperCase();
      const entry = { time: new Date().toISOString(), api, method, path, query: Object.fromEntries(url.searchParams) };
      const finish = (r: SandboxResponse): void => {
        log.add({ ...entry, status: r.status });
        sendResponse(res, r);
      };
      try {
        const rawBody = await readBody(req);
        const origin = `http://${req.headers.host ?? `${urlHost}:${port}`}`;
        const mk = (prefix: string): SandboxRequest => ({
          method, path: path.slice(prefix.length) || '/', query: url.searchParams, headers: req.headers, rawBody,
          baseUrl: `${origin}${prefix}`,
        });
        if (kind === 'control') {
          finish(handleControl(sandbox, mk('/__sandbox')));
          return;
        }
        if (kind === 'none') {
          finish({ status: 404, body: { message: `Nothing here: ${path}. Try /v2, /v1 or /__sandbox/info.` } });
          return;
        }
        const delay = knobs.latency();
        if (delay > 0) {
          // Wait, but stop early if the client gives up (e.g. its timeout fires), so a slow
          // answer never lands in the log after the test that caused it has moved on.
          const gone = await delayUnlessClosed(delay, res);
          if (gone) {
            log.add({ ...entry, status: 0 });
            return;
          }
        }
        if (kind === 'oauth') {
          if (path === TOKEN_PATH) finish(oauth.token(mk('/v2')));
          else if (path === AUTHORIZE_PATH) finish(oauth.authorizePage(mk('')));
          else finish(oauth.demoCallback(mk('')));
          return;
        }
        const fault = knobs.fault(kind);
        if (fault?.kind === 'drop') {
          log.add({ ...entry, status: 0 });
          req.socket.destroy();
          return;
        }
        if (fault) {
          const r = faultResponse(kind, fault);
          finish(kind === 'docs' ? { ...r, headers: { ...r.headers, 'Correlation-Id': randomUUID() } } : r);
          return;
        }
        if (kind === 'mailbox') {
          finish(await mailbox(mk('/v2')));
        } else {
          const r = await docsRequest(mk('/v1'));
          finish({ ...r, headers: { ...r.headers, 'Correlation-Id': randomUUID() } });
        }
      } catch (err) {
        // A bug in a handler: answer like the real API's 500 rather than hang the client.
        const message = err instanceof Error ? err.message : String(err);
        if (!res.headersSent) {
          finish(api === 'mailbox'
            ? { status: 500, headers: { 'Content-Type': VND_ERROR }, body: { logRef: logRef(), message: 'Internal error', detail: message } }
            : { status: 500, body: { status: 500, message: `Internal error: ${message}` } });
        }
      }
    })();
  });

  return sandbox;
}
