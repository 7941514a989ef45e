// Shared setup for the sandbox server tests: a small seeded sandbox on a free
// port, and fetch helpers that speak to it over real loopback HTTP.
import * as assert from 'node:assert/strict';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src/sandbox/index';

/** Small enough to start fast, big enough for several pages of conversations. */
export const SMALL: NonNullable<SandboxOptions['sizes']> = {
  conversations: 420, customers: 160, users: 6, teams: 2, tags: 25,
  docs: { sites: 1, collections: 2, articles: 12, redirects: 2 },
};

/**
 * A sandbox for one test file. The Mailbox rate limit is raised so that suites making hundreds
 * of calls don't trip it; the rate-limit tests pass their own knobs.
 */
export async function start(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, seed: 7, sizes: SMALL, knobs: { rateLimits: { mailbox: { limit: 1_000_000 } } }, ...options });
}

export type Json = Record<string, unknown> & {
  _embedded?: Record<string, Json[]>;
  _links?: Record<string, { href: string; templated?: boolean }>;
  page?: { size: number; totalElements: number; totalPages: number; number: number };
};

export interface Client {
  get(path: string, init?: RequestInit): Promise<Response>;
  json(path: string): Promise<Json>;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Follows `next` links from `path` and returns every embedded item. */
  all(path: string, key: string): Promise<Json[]>;
}

/** A Mailbox API client using the sandbox's demo token (or the given one). */
export function mailbox(sb: RunningSandbox, token = sb.credentials.accessToken): Client {
  const auth = { Authorization: `Bearer ${token}` };
  const url = (p: string): string => (p.startsWith('http') ? p : `${sb.mailboxBaseUrl}${p}`);
  const client: Client = {
    get: (path, init = {}) => fetch(url(path), { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } }),
    async json(path) {
      const r = await client.get(path);
      assert.equal(r.status, 200, `GET ${path} → ${r.status}: ${await r.clone().text()}`);
      return await r.json() as Json;
    },
    send: (method, path, body, headers = {}) => fetch(url(path), {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      redirect: 'manual',
    }),
    async all(path, key) {
      const out: Json[] = [];
      let next: string | undefined = path;
      for (let guard = 0; next !== undefined && guard < 500; guard++) {
        const page: Json = await client.json(next);
        out.push(...(page._embedded?.[key] ?? []));
        next = page._links?.['next']?.href;
      }
      return out;
    },
  };
  return client;
}

export function docsAuth(sb: RunningSandbox, key = sb.credentials.docsApiKey): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${key}:X`).toString('base64')}` };
}

export const ids = (items: readonly Json[]): number[] => items.map((x) => x['id'] as number);
export const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
