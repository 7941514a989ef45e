// Shared pieces of the Docs API routes: the route table type, the error
// envelope, paging, query-parameter checks, body parsing and write replies.
import type { z } from 'zod';
import type { SandboxRequest, SandboxResponse } from '../../types';
import { iso, type DocsStore } from '../store';

/** Thrown by a handler to answer with the Docs error envelope `{"status":n,"message":"…"}`. */
export class DocsError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const notFound = (what: string, ref: string) => new DocsError(404, `${what} not found: '${ref}'`);
export const badRequest = (message: string) => new DocsError(400, message);

export interface DocsContext {
  readonly store: DocsStore;
  readonly req: SandboxRequest;
  readonly now: () => Date;
  readonly envelope: 'wrapped' | 'unwrapped';
  /** The JSON body as an object (empty when there is none); a 400 when it is not a JSON object. */
  body(): Record<string, unknown>;
}

export type Handler = (ctx: DocsContext, params: readonly string[]) => SandboxResponse;

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: Handler;
}

/** A route for a path template such as `/articles/:id/drafts`; `:name` matches one segment. */
export function route(method: string, template: string, handle: Handler): Route {
  const source = template.split('/').map((seg) => (seg.startsWith(':') ? '([^/]+)' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return { method, pattern: new RegExp(`^${source}/?$`), handle };
}

export function parseJsonBody(raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Validates a body with a zod schema and turns the first problem into a 400. */
export function parseBody<T>(ctx: DocsContext, schema: z.ZodType<T>): T {
  const body = ctx.body();
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const top = issue?.path[0];
  if (typeof top === 'string' && !(top in body)) throw badRequest(`${path} is required`);
  throw badRequest(`Invalid value for ${path || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** True when the client asked for the saved object back, as `?reload=true` or `"reload": true` in the body. */
export function wantsReload(ctx: DocsContext): boolean {
  if (ctx.req.query.get('reload') === 'true') return true;
  const r = ctx.body()['reload'];
  return r === true || r === 'true';
}

/** 201 Created with `Location: <baseUrl>/<resource>/<id>`, and the object only when reloaded. */
export function created(ctx: DocsContext, resource: string, id: string, reloaded: () => unknown): SandboxResponse {
  const res: SandboxResponse = { status: 201, headers: { Location: `${ctx.req.baseUrl}/${resource}/${id}` } };
  if (wantsReload(ctx)) res.body = reloaded();
  return res;
}

/** 200 OK after an update: empty, or the object when reloaded. */
export function updated(ctx: DocsContext, reloaded: () => unknown): SandboxResponse {
  return wantsReload(ctx) ? { status: 200, body: reloaded() } : { status: 200 };
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  page: number;
  pages: number;
  count: number;
  items: T[];
}

/** The 1-based `page` parameter; 400 when it is not a positive integer. */
export function pageParam(ctx: DocsContext): number {
  const raw = ctx.req.query.get('page');
  if (raw === null || raw === '') return 1;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest(`Invalid value for page: '${raw}'`);
  return Number(raw);
}

/**
 * `pageSize` on article lists: default 50. Values above 100 are cut to 100
 * (the documented maximum) rather than refused; zero or junk is a 400.
 */
export function pageSizeParam(ctx: DocsContext): number {
  const raw = ctx.req.query.get('pageSize');
  if (raw === null || raw === '') return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest(`Invalid value for pageSize: '${raw}'`);
  return Math.min(MAX_PAGE_SIZE, Number(raw));
}

/**
 * One page of `all`. `pages` is at least 1 so an empty list still reports one
 * (empty) page; a page past the end comes back with no items.
 */
export function paginate<T, U>(all: readonly T[], page: number, size: number, view: (item: T) => U): Page<U> {
  return {
    page,
    pages: Math.max(1, Math.ceil(all.length / size)),
    count: all.length,
    items: all.slice((page - 1) * size, page * size).map(view),
  };
}

/** A query parameter restricted to a set of values; 400 for anything else. */
export function enumParam<T extends string>(ctx: DocsContext, name: string, allowed: readonly T[], fallback: T): T {
  const raw = ctx.req.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw badRequest(`Invalid value for ${name}: '${raw}'. Expected one of: ${allowed.join(', ')}`);
  }
  return raw as T;
}

type SortValue = string | number | null;

/** Sorts by a key (nulls first when ascending), ties broken by `number` then id so pages are stable. */
export function sortItems<T extends { id: string }>(
  items: T[], key: (item: T) => SortValue, direction: 'asc' | 'desc', tie: (item: T) => number,
): T[] {
  const cmp = (a: SortValue, b: SortValue): number => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : 1);
    return a < b ? -1 : 1;
  };
  const sign = direction === 'asc' ? 1 : -1;
  return items.sort((x, y) => sign * (cmp(key(x), key(y)) || tie(x) - tie(y)) || (x.id < y.id ? -1 : 1));
}

/**
 * The `updatedAt` for a change made now. Timestamps have one-second
 * resolution, so two changes within a second would otherwise share one; the
 * value is moved on by a second instead, so every change moves `updatedAt`
 * and a client comparing it can always see that something changed.
 */
export function nextTimestamp(previous: string | null, now: Date): string {
  const current = iso(now);
  if (previous === null || current > previous) return current;
  return iso(new Date(Date.parse(previous) + 1000));
}

export function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}
