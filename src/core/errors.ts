// Typed errors that core code throws. The extension layer translates each
// `kind` once (a notification, an inline tree row, a FileSystemError), so core
// never shows text to the user itself. Messages and URLs here are already
// redacted: no token or API key ever reaches an error.

export type ErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'validation'
  | 'server'
  | 'http'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'schema-drift'
  | 'moved';

/** Where a failing request went; `url` has its secrets redacted. */
export interface RequestInfo {
  readonly method: string;
  readonly url: string;
}

/** The base class: every error core throws about a request is one of these. */
export abstract class HelpScoutError extends Error {
  abstract readonly kind: ErrorKind;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, request?: RequestInfo, status?: number, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.method = request?.method;
    this.url = request?.url;
    this.status = status;
  }
}

/** 401: the token or API key is missing, expired or wrong. */
export class AuthError extends HelpScoutError {
  readonly kind = 'auth' as const;
}

/** 403: the credentials are valid but may not do this. */
export class ForbiddenError extends HelpScoutError {
  readonly kind = 'forbidden' as const;
}

/** 404: no such resource (also a PATCH on a merged conversation). */
export class NotFoundError extends HelpScoutError {
  readonly kind = 'not-found' as const;
}

/** 429 that outlived the retries, or whose wait exceeded the allowed total wait. */
export class RateLimitedError extends HelpScoutError {
  readonly kind = 'rate-limited' as const;
  /** How long the server asked us to wait, in milliseconds. */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, request?: RequestInfo) {
    super(message, request, 429);
    this.retryAfterMs = retryAfterMs;
  }
}

/** One field problem from a 400 response. */
export interface FieldError {
  /** Field path (`subject`, `threads[0].text`) or query parameter name; '' when the API gave none. */
  readonly path: string;
  readonly message: string;
  readonly rejectedValue?: unknown;
  /** `JSON` for body fields in the Mailbox API; other values for query/path parameters. */
  readonly source?: string;
}

/** 400: the request was rejected; `fields` lists the problems when the API named them. */
export class ValidationError extends HelpScoutError {
  readonly kind = 'validation' as const;
  readonly fields: readonly FieldError[];
  readonly logRef: string | undefined;
  constructor(message: string, fields: readonly FieldError[], request?: RequestInfo, logRef?: string) {
    super(message, request, 400);
    this.fields = fields;
    this.logRef = logRef;
  }
}

/** 5xx that outlived the retries (or was not retried because the request is not idempotent). */
export class ServerError extends HelpScoutError {
  readonly kind = 'server' as const;
}

/** Any other unexpected status (409, 412, 413, 415, 423...). */
export class HttpStatusError extends HelpScoutError {
  readonly kind = 'http' as const;
}

/** The connection failed (refused, reset, DNS, TLS) and retries did not help. */
export class NetworkError extends HelpScoutError {
  readonly kind = 'network' as const;
}

/** The per-request timeout elapsed. */
export class TimeoutError extends HelpScoutError {
  readonly kind = 'timeout' as const;
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, request?: RequestInfo) {
    super(message, request);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. */
export class CancelledError extends HelpScoutError {
  readonly kind = 'cancelled' as const;
}

/** One place where a response did not match its schema. */
export interface DriftIssue {
  /** e.g. `conversations[3].createdAt` */
  readonly path: string;
  /** e.g. `expected string` */
  readonly message: string;
}

/**
 * A response that failed its zod schema: the API changed shape (or the server
 * is not Help Scout). The message names the endpoint and the field paths.
 */
export class SchemaDriftError extends HelpScoutError {
  readonly kind = 'schema-drift' as const;
  readonly endpoint: string;
  readonly issues: readonly DriftIssue[];
  constructor(endpoint: string, issues: readonly DriftIssue[], request?: RequestInfo, status?: number) {
    const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ');
    const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
    super(`Unexpected response from ${endpoint}: ${shown}${more}`, request, status);
    this.endpoint = endpoint;
    this.issues = issues;
  }
}

/** A conversation was merged: the server answered 301 and the caller asked not to follow it. */
export class MovedError extends HelpScoutError {
  readonly kind = 'moved' as const;
  /** The `Location` the server gave (redacted). */
  readonly location: string;
  /** The id taken from the last path segment of `location`, when it is numeric. */
  readonly targetId: number | undefined;
  constructor(message: string, location: string, targetId: number | undefined, request?: RequestInfo) {
    super(message, request, 301);
    this.location = location;
    this.targetId = targetId;
  }
}
