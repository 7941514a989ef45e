// Response helpers for the Mailbox API 2.0: HAL lists with paging links,
// vnd.error bodies, 201/204 answers and request-body validation. Handlers
// throw `MailboxError` for any error answer; the router turns it into a
// response.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SandboxRequest, SandboxResponse } from '../types';

export const HAL = 'application/hal+json';
export const VND_ERROR = 'application/vnd.error+json';
export const PAGE_SIZE = 50;
const ERRORS_DOC = 'http://developer.helpscout.net/mailbox-api/overview/errors';

let logRefCounter = 0;
/** A log reference like the real API's: a UUID plus `#n`. */
export function logRef(): string {
  logRefCounter += 1;
  return `${randomUUID()}#${logRefCounter}`;
}

export interface FieldError {
  path: string;
  message: string;
  rejectedValue?: unknown;
  /** `JSON` for body fields, `QUERY` for query parameters (the latter is our choice). */
  source?: 'JSON' | 'QUERY' | 'PATH';
  /** Anchor on the errors page, e.g. `NotEmpty`, `EnumValue`. */
  code?: string;
}

export class MailboxError extends Error {
  constructor(readonly response: SandboxResponse) {
    super(`mailbox error ${response.status}`);
  }
}

function vnd(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): MailboxError {
  return new MailboxError({ status, headers: { 'Content-Type': VND_ERROR, ...headers }, body });
}

export function notFound(message = 'Resource not found'): MailboxError {
  return vnd(404, { logRef: logRef(), message });
}

export function forbidden(message: string): MailboxError {
  return vnd(403, { logRef: logRef(), message });
}

export function unsupportedMediaType(): MailboxError {
  return vnd(415, { logRef: logRef(), message: "Content type not supported. Use 'application/json'" });
}

export function preconditionFailed(message: string): MailboxError {
  return vnd(412, { logRef: logRef(), message });
}

/** The documented 400 shape: `_embedded.errors[{path, message, rejectedValue?, source, _links.about}]`. */
export function validationError(errors: FieldError[], message = 'Validation error'): MailboxError {
  return vnd(400, {
    logRef: logRef(),
    message,
    _embedded: {
      errors: errors.map((e) => ({
        path: e.path,
        message: e.message,
        ...(e.rejectedValue !== undefined ? { rejectedValue: e.rejectedValue } : {}),
        source: e.source ?? 'JSON',
        _links: { about: { href: `${ERRORS_DOC}#${e.code ?? 'Invalid'}` } },
      })),
    },
    _links: { about: { href: ERRORS_DOC } },
  });
}

export function queryError(param: string, value: string, message: string, code = 'Invalid'): MailboxError {
  return validationError([{ path: param, message, rejectedValue: value, source: 'QUERY', code }]);
}

export function ok(body: unknown): SandboxResponse {
  return { status: 200, headers: { 'Content-Type': HAL }, body };
}

export function created(req: SandboxRequest, locationPath: string, id: number | string): SandboxResponse {
  return { status: 201, headers: { 'Resource-ID': String(id), Location: `${req.baseUrl}${locationPath}` } };
}

export function noContent(): SandboxResponse {
  return { status: 204 };
}

export function link(href: string): { href: string } {
  return { href };
}

/** The 1-based `page` parameter (default 1). */
export function pageParam(req: SandboxRequest): number {
  const raw = req.query.get('page');
  if (raw === null || raw === '') return 1;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw queryError('page', raw, 'must be a positive integer', 'InvalidNumber');
  return Number(raw);
}

/**
 * A paged HAL list. Links keep the request's other query parameters; `next` only when another
 * page exists, `previous` when not on page 1; `_embedded` is left out when the page is empty.
 */
export function halPage<T>(req: SandboxRequest, key: string, all: readonly T[], present: (item: T) => unknown): SandboxResponse {
  const page = pageParam(req);
  const total = all.length;
  const totalPages = Math.ceil(total / PAGE_SIZE);
  const items = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(present);
  const base = `${req.baseUrl}${req.path}`;
  const at = (n: number): { href: string } => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(n));
    return link(`${base}?${q.toString()}`);
  };
  const links: Record<string, unknown> = { self: at(page), first: at(1), last: at(Math.max(1, totalPages)) };
  if (page < totalPages) links['next'] = at(page + 1);
  if (page > 1) links['previous'] = at(Math.min(page - 1, Math.max(1, totalPages)));
  links['page'] = { href: `${base}{?page}`, templated: true };
  return ok({
    ...(items.length > 0 ? { _embedded: { [key]: items } } : {}),
    _links: links,
    page: { size: PAGE_SIZE, totalElements: total, totalPages, number: page },
  });
}

/** An unpaged HAL list (customer entries): `_embedded.<key>` + `_links.self`, no `page` block. */
export function halList(req: SandboxRequest, key: string, items: unknown[]): SandboxResponse {
  return ok({
    ...(items.length > 0 ? { _embedded: { [key]: items } } : {}),
    _links: { self: link(`${req.baseUrl}${req.path}`) },
  });
}

/** Parses a JSON write body; the router has already checked the content type. */
export function jsonBody(req: SandboxRequest): unknown {
  if (req.rawBody.length === 0) return undefined;
  try {
    return JSON.parse(req.rawBody.toString('utf8')) as unknown;
  } catch {
    throw validationError([{ path: '', message: 'Malformed JSON body', source: 'JSON', code: 'MalformedJson' }], 'Bad request');
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Validates a body with a zod schema; failures become the documented 400 body. */
export function parseBody<S extends z.ZodType>(req: SandboxRequest, schema: S): z.infer<S> {
  const input = jsonBody(req);
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw validationError(result.error.issues.map((issue) => {
    const rejected = valueAt(input, issue.path);
    const code = issue.code === 'invalid_value' ? 'EnumValue'
      : issue.code === 'too_big' || issue.code === 'too_small' ? 'Size'
        : rejected === undefined || rejected === null ? 'NotNull' : 'Invalid';
    return {
      path: issue.path.map(String).join('.'),
      message: rejected === undefined || rejected === null ? 'may not be null' : issue.message,
      ...(rejected !== undefined && (typeof rejected !== 'object' || rejected === null) ? { rejectedValue: rejected } : {}),
      source: 'JSON' as const,
      code,
    };
  }));
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Checks the API's date form `yyyy-MM-dd'T'HH:mm:ss'Z'`; returns it unchanged. */
export function isValidApiDate(s: string): boolean {
  return ISO_SECONDS.test(s) && !Number.isNaN(Date.parse(s));
}

/** A `modifiedSince`-style query parameter, or undefined when absent. Malformed → 400. */
export function dateParam(req: SandboxRequest, name: string): string | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!isValidApiDate(raw)) {
    throw queryError(name, raw, "Malformed date, expected format yyyy-MM-dd'T'HH:mm:ss'Z'", 'MalformedDate');
  }
  return raw;
}

/** An integer id from a path segment; anything else is a 404 (no such resource). */
export function idParam(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** Compares two values for sorting: numbers numerically, strings case-insensitively, nulls last. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base' });
}
