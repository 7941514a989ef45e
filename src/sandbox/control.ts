// The control API under /__sandbox/ (no auth): the same controls as the
// RunningSandbox object, for tests in another process (the VS Code
// integration tests) and for people poking at the demo.
//
//   GET    /__sandbox/info                      urls + credentials
//   GET    /__sandbox/log[?api=&method=&path=]  {entries}
//   DELETE /__sandbox/log                       clear the log
//   GET    /__sandbox/knobs                     current knobs
//   PUT    /__sandbox/knobs                     merge a partial knobs object
//   POST   /__sandbox/reset                     reseed data, clear log and knobs
//   POST   /__sandbox/expire-tokens             expire all issued access tokens
//   PUT    /__sandbox/oauth-app                 {redirectUri}: change the demo app's redirect URL
//   GET    /__sandbox/store/<api>/<collection>        {count, ids}  (api = mailbox | docs)
//   GET    /__sandbox/store/<api>/<collection>/<id>   one stored record
//   GET    /__sandbox/store/<collection>[/<id>]       the same for api = mailbox
import { ZodError } from 'zod';
import type { ApiName, LogFilter } from './log';
import type { RunningSandbox } from './server';
import type { SandboxRequest, SandboxResponse } from './types';

const json = (status: number, body: unknown): SandboxResponse => ({ status, headers: { 'Content-Type': 'application/json' }, body });

function parseJson(req: SandboxRequest): unknown {
  const text = req.rawBody.toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text) as unknown;
}

/** Looks a record up in a Map (by string or numeric key) or an array (by `id`). */
function lookup(collection: unknown, id: string): unknown {
  if (collection instanceof Map) {
    return collection.get(id) ?? (/^\d+$/.test(id) ? collection.get(Number(id)) : undefined);
  }
  if (Array.isArray(collection)) {
    return collection.find((x: unknown) => x !== null && typeof x === 'object' && String((x as { id?: unknown }).id ?? (x as { slug?: unknown }).slug) === id);
  }
  return undefined;
}

function keysOf(collection: unknown): unknown[] | undefined {
  if (collection instanceof Map) return [...collection.keys()];
  if (Array.isArray(collection)) return collection.map((x: unknown) => (x as { id?: unknown; slug?: unknown }).id ?? (x as { slug?: unknown }).slug);
  return undefined;
}

export function handleControl(sb: RunningSandbox, req: SandboxRequest): SandboxResponse {
  const { method, path } = req;
  try {
    if (path === '/info' && method === 'GET') return json(200, sb.info());
    if (path === '/log') {
      if (method === 'DELETE') {
        sb.log.reset();
        return { status: 204 };
      }
      if (method === 'GET') {
        const f: LogFilter = {};
        const api = req.query.get('api');
        const m = req.query.get('method');
        const p = req.query.get('path');
        if (api) f.api = api as ApiName;
        if (m) f.method = m;
        if (p) f.path = p;
        return json(200, { entries: sb.log.entries(f) });
      }
    }
    if (path === '/knobs') {
      if (method === 'GET') return json(200, sb.knobs.get());
      if (method === 'PUT' || method === 'PATCH') return json(200, sb.knobs.set(parseJson(req) as never));
    }
    if (path === '/reset' && method === 'POST') {
      sb.reset();
      return { status: 204 };
    }
    if (path === '/expire-tokens' && method === 'POST') return json(200, { expired: sb.expireTokens() });
    if (path === '/oauth-app' && method === 'PUT') {
      const body = parseJson(req) as { redirectUri?: unknown };
      if (typeof body.redirectUri !== 'string') return json(400, { message: 'redirectUri (string) is required' });
      sb.setRedirectUri(body.redirectUri);
      return json(200, sb.info().credentials);
    }
    // `/store/<collection>[/<id>]` is short for `/store/mailbox/<collection>[/<id>]`.
    const storePath = /^\/store\/(?!mailbox\/|docs\/)/.test(path) ? path.replace(/^\/store\//, '/store/mailbox/') : path;
    const m = /^\/store\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(storePath);
    if (m && method === 'GET') {
      const [, api, name, id] = m;
      const root: unknown = api === 'mailbox' ? sb.store.mailbox : api === 'docs' ? sb.store.docs : undefined;
      const collection = root && name ? (root as Record<string, unknown>)[name] : undefined;
      const keys = keysOf(collection);
      if (keys === undefined) return json(404, { message: `No collection '${name ?? ''}' in '${api ?? ''}'` });
      if (id === undefined) return json(200, { count: keys.length, ids: keys });
      const record = lookup(collection, decodeURIComponent(id));
      return record === undefined ? json(404, { message: `No ${name ?? ''} with id ${id}` }) : json(200, record);
    }
    return json(404, { message: `Unknown control endpoint ${method} /__sandbox${path}` });
  } catch (err) {
    if (err instanceof ZodError) return json(400, { message: 'Invalid knobs', issues: err.issues });
    if (err instanceof SyntaxError) return json(400, { message: 'Malformed JSON body' });
    if (err instanceof TypeError) return json(400, { message: err.message });
    throw err;
  }
}
