// The fetch for plain Node (command line, tests, benchmarks): undici's fetch
// over a tuned keep-alive pool. The extension does not use this: it passes VS
// Code's global fetch, which brings VS Code's own proxy and certificate setup.
//
// undici 7's EnvHttpProxyAgent reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY (and
// their lower-case forms) and builds plain Agents and ProxyAgents with the same
// pool options, so keep-alive tuning applies whether or not a proxy is in use.
// Loopback is always added to NO_PROXY: the local sandbox must never go through
// a proxy.

import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from './types';

export interface NodeFetchOptions {
  /** Sockets per origin. Default 16 (above the governor's default concurrency). */
  readonly connections?: number;
  /** How long an idle socket stays open. Default 30 s. */
  readonly keepAliveTimeout?: number;
  /** Upper bound for a server-suggested keep-alive. Default 60 s. */
  readonly keepAliveMaxTimeout?: number;
  /** TCP/TLS connect timeout. Default 10 s. */
  readonly connectTimeout?: number;
  /** Overrides the environment's proxy settings (tests). */
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy?: string;
}

export interface NodeFetch {
  readonly fetch: FetchLike;
  readonly dispatcher: EnvHttpProxyAgent;
  /** Closes the pool's sockets; call it when the command line or a test is done. */
  close(): Promise<void>;
}

const LOOPBACK = ['localhost', '127.0.0.1', '::1', '[::1]'];

export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const envNoProxy = options.noProxy ?? process.env['no_proxy'] ?? process.env['NO_PROXY'] ?? '';
  const noProxy = [...envNoProxy.split(/[\s,]+/).filter((s) => s !== ''), ...LOOPBACK].join(',');
  const dispatcher = new EnvHttpProxyAgent({
    connections: options.connections ?? 16,
    keepAliveTimeout: options.keepAliveTimeout ?? 30_000,
    keepAliveMaxTimeout: options.keepAliveMaxTimeout ?? 60_000,
    pipelining: 1,
    connect: { timeout: options.connectTimeout ?? 10_000 },
    noProxy,
    ...(options.httpProxy === undefined ? {} : { httpProxy: options.httpProxy }),
    ...(options.httpsProxy === undefined ? {} : { httpsProxy: options.httpsProxy }),
  });
  const fetch: FetchLike = (url, init) => undiciFetch(url, { ...init, dispatcher });
  return { fetch, dispatcher, close: () => dispatcher.close() };
}
