// The one HTTP client core uses for both Help Scout APIs. It runs over an
// injected fetch (VS Code's global fetch in the extension, undici's in tests
// and the command line) and adds what fetch lacks: per-request timeouts next to
// the caller's AbortSignal, retries (429 by the server's wait, within a wait
// budget; 5xx and connection errors with jittered exponential backoff, for
// idempotent requests only, within an attempt budget), the shared rate governor,
// injected auth headers with up to two refreshes through `onUnauthorized`, a
// redacting request-log hook, and typed errors.

import type { z } from 'zod';
import {
  AuthError,
  CancelledError,
  type DriftIssue,
  type ErrorKind,
  type FieldError,
  ForbiddenError,
  type HelpScoutError,
  HttpStatusError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  type RequestInfo,
  SchemaDriftError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../errors';
import { type RateGovernor, retryAfterMs } from './governor';
import { redactUrl } from './redact';
import { type Clock, type FetchHeadersLike, type FetchLike, systemClock } from './types';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | Date | null | undefined | readonly (string | number)[];
export type QueryParams = Readonly<Record<string, QueryValue>>;

/**
 * How long one request keeps trying. Two budgets, because the two kinds of trouble differ:
 * - Failures (5xx, dropped connections) mean something is wrong; they spend `maxAttempts`.
 * - A 429 means "not yet": Help Scout says when to come back. 429s spend no attempts; they
 *   are waited out while the waits together stay within `maxTotalWaitMs`. Each 429 counts
 *   as at least RATE_LIMIT_MIN_CHARGE_MS against it, so a server answering 429 with
 *   `Retry-After: 0` forever ends the request after maxTotalWaitMs / 1 s tries, not never.
 */
export interface RetryPolicy {
  /** Attempts that may fail (5xx, dropped connection), the first included. 429s do not count. */
  readonly maxAttempts: number;
  /** First backoff step for 5xx and connection errors; doubles per attempt. */
  readonly baseDelayMs: number;
  /** Largest single backoff step. */
  readonly maxDelayMs: number;
  /** Most time one request may spend waiting between attempts (backoff and 429 waits together). */
  readonly maxTotalWaitMs: number;
}

/** The least a 429 wait counts against `maxTotalWaitMs` (Retry-After has whole seconds). */
export const RATE_LIMIT_MIN_CHARGE_MS = 1000;

/**
 * Refreshes (`onUnauthorized` calls) one request may ask for. The second covers a token
 * that was replaced again between the refresh and the retry (another window, a rotation).
 */
export const MAX_REFRESHES_PER_REQUEST = 2;

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxTotalWaitMs: 120_000,
};

/** What the request-log hook receives after every attempt. Never holds a secret. */
export interface RequestLogEntry {
  readonly method: string;
  /** The URL with credentials and secret parameters redacted. */
  readonly url: string;
  /** Undefined when no response arrived (network error, timeout, cancel). */
  readonly status: number | undefined;
  readonly durationMs: number;
  /** 1 for the first try; every try sent counts (429s and retries after a refresh too). */
  readonly attempt: number;
  /** Set when the attempt failed: the kind of error it would raise. */
  readonly error?: ErrorKind;
  /** Set when another attempt follows: how long the client waits first. */
  readonly retryInMs?: number;
}

export interface HttpClientOptions {
  /** e.g. `https://api.helpscout.net/v2`; request paths are appended to it. */
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  /** Returns the auth headers for each attempt (Bearer token, or Basic for the Docs API key). */
  readonly authHeaders?: () => Promise<Record<string, string>>;
  /**
   * Called when a request gets a 401, at most MAX_REFRESHES_PER_REQUEST times for one
   * request, with the auth headers that try carried, so a refresher can tell a stale
   * token from one that was already replaced. Return true after refreshing credentials
   * to have the request retried; false ends it with the AuthError.
   */
  readonly onUnauthorized?: (failed: { readonly authHeaders: Readonly<Record<string, string>> }) => Promise<boolean>;
  /** Shared by all clients of one API host. Without one, requests are not governed. */
  readonly governor?: RateGovernor;
  readonly retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout. Default 30 s. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /** Returns a number in [0, 1); used for backoff jitter. */
  readonly random?: () => number;
  readonly onRequest?: (entry: RequestLogEntry) => void;
  readonly userAgent?: string;
}

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path below the base URL (`/conversations/1`), or an absolute URL on the same origin. */
  readonly path: string;
  readonly query?: QueryParams;
  /** JSON body. */
  readonly json?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  readonly form?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Lets a POST/PATCH be retried on 5xx and connection errors (only when the caller knows it is safe). */
  readonly retryable?: boolean;
  /** False to send no auth headers (the OAuth token endpoint). */
  readonly auth?: boolean;
  /** Statuses to hand back instead of throwing (e.g. 301 for a merged conversation). */
  readonly acceptStatus?: readonly number[];
  /** A name for errors and schema drift, e.g. `GET /conversations`. Defaults to method and path. */
  readonly endpoint?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: FetchHeadersLike;
  readonly text: string;
  /** The redacted URL that answered. */
  readonly url: string;
  readonly endpoint: string;
}

const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

export class HttpClient {
  readonly baseUrl: string;
  readonly governor: RateGovernor | undefined;
  private readonly options: HttpClientOptions;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.governor = options.governor;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  /** Builds the absolute URL for a path and query (arrays become comma lists, dates ISO without ms). */
  url(path: string, query?: QueryParams): string {
    const base = /^https?:\/\//i.test(path) ? path : `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
    const u = new URL(base);
    if (u.origin !== new URL(this.baseUrl).origin) {
      // Auth headers must never travel to another host.
      throw new NetworkError(`Refusing to send a request to another origin: ${redactUrl(u.toString())}`);
    }
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      u.searchParams.set(k, formatQueryValue(v));
    }
    return u.toString();
  }

  /**
   * Sends one request with retries and returns the final response. Throws a
   * typed error for any status >= 400 (and 3xx) not listed in `acceptStatus`.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = this.url(req.path, req.query);
    const info: RequestInfo = { method: req.method, url: redactUrl(url) };
    const endpoint = req.endpoint ?? `${req.method} ${new URL(url).pathname}`;
    const canRetryFailures = IDEMPOTENT.has(req.method) || req.retryable === true;
    let body: string | undefined;
    const baseHeaders: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (this.options.userAgent !== undefined) baseHeaders['User-Agent'] = this.options.userAgent;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      baseHeaders['Content-Type'] = 'application/json';
    } else if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString();
      baseHeaders['Content-Type'] = 'application/x-www-form-urlencoded';
    }

    let waited = 0;
    let refreshes = 0;
    let attempt = 0;
    let failures = 0;
    let rateLimitWaits = 0;
    for (;;) {
      attempt++;
      if (req.signal?.aborted) throw new CancelledError('Request cancelled', info);
      const permit = this.governor ? await this.governor.acquire(req.method, req.signal) : undefined;
      const headers = { ...baseHeaders };
      let authHeaders: Record<string, string> = {};
      try {
        if (req.auth !== false && this.options.authHeaders) authHeaders = await this.options.authHeaders();
      } catch (err) {
        // No credentials (signed out, session ended): give the slot back, or the governor leaks it.
        permit?.release();
        throw err;
      }
      Object.assign(headers, authHeaders);
      const started = this.clock.now();
      const outcome = await this.attempt(url, req, headers, body);
      const durationMs = Math.max(0, this.clock.now() - started);
      permit?.release(outcome.response?.headers, outcome.response?.status);

      const log = (extra: { error?: ErrorKind; retryInMs?: number }): void => {
        const entry: RequestLogEntry = {
          method: req.method,
          url: info.url,
          status: outcome.response?.status,
          durationMs,
          attempt,
          ...(extra.error === undefined ? {} : { error: extra.error }),
          ...(extra.retryInMs === undefined ? {} : { retryInMs: extra.retryInMs }),
        };
        try {
          this.options.onRequest?.(entry);
        } catch {
          // A logging failure must not fail the request.
        }
      };

      const response = outcome.response;
      if (response === undefined) {
        const failure = outcome.failure ?? 'network';
        const error =
          failure === 'cancelled'
            ? new CancelledError('Request cancelled', info)
            : failure === 'timeout'
              ? new TimeoutError(`No response within ${req.timeoutMs ?? this.timeoutMs} ms`, req.timeoutMs ?? this.timeoutMs, info)
              : new NetworkError(`Connection failed: ${describeCause(outcome.cause)}`, info, undefined, {
                  cause: outcome.cause,
                });
        // Cancels and timeouts end the request; connection errors are retried when safe.
        failures++;
        const delay = failure === 'network' && canRetryFailures ? this.backoff(failures - 1) : undefined;
        if (delay !== undefined && failures < this.retry.maxAttempts && waited + delay <= this.retry.maxTotalWaitMs) {
          log({ error: error.kind, retryInMs: delay });
          waited += delay;
          await this.sleep(delay, req.signal, info);
          continue;
        }
        log({ error: error.kind });
        throw error;
      }

      const status = response.status;
      if ((status >= 200 && status < 300) || req.acceptStatus?.includes(status)) {
        log({});
        return { status, headers: response.headers, text: response.text, url: info.url, endpoint };
      }

      if (status === 401 && refreshes < MAX_REFRESHES_PER_REQUEST && this.options.onUnauthorized && req.auth !== false) {
        refreshes++;
        const again = await this.options.onUnauthorized({ authHeaders }).catch(() => false);
        if (again) {
          // The retry after a refresh spends no attempt: nothing failed but the token.
          log({ error: 'auth', retryInMs: 0 });
          continue;
        }
      }

      if (status === 429) {
        // Not a failure: spends no attempt, only wait budget (at least 1 s a time, so it ends).
        const wait = retryAfterMs(response.headers, this.clock.now()) ?? this.backoff(rateLimitWaits);
        const charge = Math.max(wait, RATE_LIMIT_MIN_CHARGE_MS);
        if (waited + charge <= this.retry.maxTotalWaitMs) {
          log({ error: 'rate-limited', retryInMs: wait });
          rateLimitWaits++;
          waited += charge;
          if (this.governor) {
            // The governor already paused every caller until the retry time
            // (release() saw the 429); acquire() waits for it.
            this.governor.pause(this.clock.now() + wait, 'rate-limited');
          } else {
            await this.sleep(wait, req.signal, info);
          }
          continue;
        }
        log({ error: 'rate-limited' });
        throw new RateLimitedError('Help Scout rate limit exceeded', wait, info);
      }

      if (RETRYABLE_5XX.has(status) && canRetryFailures) {
        failures++;
        const hinted = status === 503 ? retryAfterMs(response.headers, this.clock.now()) : undefined;
        const delay = hinted ?? this.backoff(failures - 1);
        if (failures < this.retry.maxAttempts && waited + delay <= this.retry.maxTotalWaitMs) {
          log({ error: 'server', retryInMs: delay });
          waited += delay;
          await this.sleep(delay, req.signal, info);
          continue;
        }
      }

      const error = errorForResponse(status, response.text, info);
      log({ error: error.kind });
      throw error;
    }
  }

  /** Sends a request and parses its JSON body with `schema`; a mismatch is a SchemaDriftError. */
  async json<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    const res = await this.send(req);
    return parseBody(res, schema);
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  /** Jittered exponential backoff: half fixed, half random, so retries spread out but never hit zero. */
  private backoff(retry: number): number {
    const step = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** retry);
    return Math.round(step / 2 + this.random() * (step / 2));
  }

  private async sleep(ms: number, signal: AbortSignal | undefined, info: RequestInfo): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch {
      throw new CancelledError('Request cancelled', info);
    }
  }

  /** One fetch, with the timeout and the caller's signal; reads the whole body. Never throws. */
  private async attempt(
    url: string,
    req: HttpRequest,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.options.fetch(url, {
        method: req.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
        redirect: 'manual',
      });
      const text = await res.text();
      return { response: { status: res.status, headers: res.headers, text } };
    } catch (cause) {
      if (req.signal?.aborted) return { failure: 'cancelled', cause };
      if (timedOut) return { failure: 'timeout', cause };
      return { failure: 'network', cause };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }
}

interface Outcome {
  readonly response?: { status: number; headers: FetchHeadersLike; text: string };
  readonly failure?: 'network' | 'timeout' | 'cancelled';
  readonly cause?: unknown;
}

/** The last path segment of a `Location` header (how both APIs name a created resource), decoded. */
export function locationLastSegment(location: string | null): string | undefined {
  if (location === null || location.trim() === '') return undefined;
  const path = location.split(/[?#]/)[0] ?? '';
  const seg = path.replace(/\/+$/, '').split('/').pop();
  return seg === undefined || seg === '' ? undefined : decodeURIComponent(seg);
}

export function formatQueryValue(v: Exclude<QueryValue, null | undefined>): string {
  if (v instanceof Date) return formatApiDate(v);
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/** `YYYY-MM-DDTHH:MM:SSZ`: the only date form the Mailbox API accepts (no milliseconds). */
export function formatApiDate(d: Date | string): string {
  const date = typeof d === 'string' ? parseApiDate(d) : d;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${String(d)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Parses an API timestamp: ISO with or without `Z`/offset and milliseconds
 * (a missing zone means UTC, as in the Rating example), or epoch seconds/ms.
 */
export function parseApiDate(v: string | number): Date {
  if (typeof v === 'number') return new Date(v < 1e12 ? v * 1000 : v);
  const s = v.trim();
  if (/^\d+$/.test(s)) return parseApiDate(Number(s));
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
  return new Date(hasZone || isDateOnly ? s : `${s.replace(' ', 'T')}Z`);
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = inner && typeof inner === 'object' && 'code' in inner ? String((inner as { code: unknown }).code) : '';
    return code !== '' ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}

/** Parses a JSON body through `schema`; an empty body parses as undefined. */
export function parseBody<S extends z.ZodType>(res: HttpResponse, schema: S): z.output<S> {
  let data: unknown;
  const info: RequestInfo = { method: res.endpoint.split(' ')[0] ?? '', url: res.url };
  if (res.text.trim() === '') {
    data = undefined;
  } else {
    try {
      data = JSON.parse(res.text);
    } catch {
      throw new SchemaDriftError(res.endpoint, [{ path: '(body)', message: 'not JSON' }], info, res.status);
    }
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new SchemaDriftError(res.endpoint, driftIssues(parsed.error), info, res.status);
  return parsed.data;
}

/** Turns zod issues into `conversations[3].createdAt: expected string`. */
export function driftIssues(error: z.ZodError): DriftIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message.replace(/^Invalid input: /, ''),
  }));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  // `_embedded` (Mailbox) and `items` (Docs) are envelope noise; leave them out.
  for (const seg of path) {
    if (seg === '_embedded' || seg === 'items') continue;
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Maps an error status and body to a typed error; reads vnd.error and the Docs `{status,message}`. */
export function errorForResponse(status: number, text: string, info: RequestInfo): HelpScoutError {
  const body = safeJson(text);
  const message = messageOf(body) ?? `HTTP ${status}`;
  if (status === 400 || status === 422) {
    const fields = fieldErrorsOf(body);
    const detail = fields.map((f) => (f.path === '' ? f.message : `${f.path}: ${f.message}`)).join('; ');
    return new ValidationError(detail === '' ? message : `${message} (${detail})`, fields, info, stringField(body, 'logRef'));
  }
  if (status === 401) return new AuthError(message, info, status);
  if (status === 403) return new ForbiddenError(message, info, status);
  if (status === 404) return new NotFoundError(message, info, status);
  if (status === 429) return new RateLimitedError(message, 0, info);
  if (status >= 500) return new ServerError(message, info, status);
  return new HttpStatusError(message, info, status);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringField(v: unknown, key: string): string | undefined {
  if (!isRecord(v)) return undefined;
  const x = v[key];
  return typeof x === 'string' ? x : undefined;
}

function messageOf(body: unknown): string | undefined {
  return (
    stringField(body, 'message') ??
    stringField(body, 'error_description') ??
    stringField(body, 'error') ??
    undefined
  );
}

/**
 * Field errors from `_embedded.errors` (vnd.error, with `_links` objects or
 * legacy `links` arrays, which we ignore), or a top-level `errors` array or
 * `{field: message}` map (tolerated for the Docs API, whose 400 body is only
 * known as `{status, message}`).
 */
function fieldErrorsOf(body: unknown): FieldError[] {
  if (!isRecord(body)) return [];
  const embedded = isRecord(body['_embedded']) ? body['_embedded']['errors'] : undefined;
  const list = Array.isArray(embedded) ? embedded : Array.isArray(body['errors']) ? body['errors'] : undefined;
  if (list !== undefined) {
    return list.filter(isRecord).map((e) => {
      const fe: { path: string; message: string; rejectedValue?: unknown; source?: string } = {
        path: stringField(e, 'path') ?? stringField(e, 'field') ?? stringField(e, 'property') ?? '',
        message: stringField(e, 'message') ?? '',
      };
      if ('rejectedValue' in e) fe.rejectedValue = e['rejectedValue'];
      const source = stringField(e, 'source');
      if (source !== undefined) fe.source = source;
      return fe;
    });
  }
  if (isRecord(body['errors'])) {
    return Object.entries(body['errors']).map(([path, m]) => ({
      path,
      message: Array.isArray(m) ? m.map(String).join('; ') : String(m),
    }));
  }
  return [];
}
