// Calls the Docs API handler directly with a constructed request, for the
// docs*.test.ts suites.
import { createDocsApi, createDocsStore, type DocsStore } from '../../../src/sandbox/docs/index';
import type { SandboxResponse } from '../../../src/sandbox/types';

export const BASE_URL = 'http://127.0.0.1:5055/v1';

export interface DocsHarness {
  store: DocsStore;
  /** Moves the clock the handler sees. */
  clock: { now: Date };
  call(method: string, path: string, opts?: { query?: Record<string, string>; body?: unknown }): Promise<Reply>;
}

export interface Reply extends SandboxResponse {
  // Parsed JSON bodies are plain objects; tests read them loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export function docsHarness(opts: { seed?: number; envelope?: 'wrapped' | 'unwrapped'; articles?: number } = {}): DocsHarness {
  const store = createDocsStore({ seed: opts.seed ?? 7, sizes: opts.articles === undefined ? {} : { articles: opts.articles } });
  const clock = { now: new Date('2025-03-01T12:00:00Z') };
  const api = createDocsApi(store, { now: () => clock.now, envelope: opts.envelope ?? 'wrapped' });
  return {
    store,
    clock,
    async call(method, path, o = {}) {
      const res = await api({
        method,
        path,
        query: new URLSearchParams(o.query ?? {}),
        headers: { 'content-type': 'application/json' },
        rawBody: Buffer.from(o.body === undefined ? '' : typeof o.body === 'string' ? o.body : JSON.stringify(o.body)),
        baseUrl: BASE_URL,
      });
      if (!res) return { status: -1, json: undefined };
      // Round-trip through JSON as the server would, so tests see the wire form.
      return { ...res, json: res.body === undefined ? undefined : JSON.parse(JSON.stringify(res.body)) };
    },
  };
}
