// The three OAuth2 grants of the Mailbox API 2.0 (authorization code, client
// credentials, refresh token) as plain functions over an injected fetch.
// Help Scout's authorize page takes only `client_id` and `state`: there is no
// `redirect_uri`, `scope` or PKCE parameter, so the redirect always goes to the
// URL registered in the user's Help Scout app.
import { z } from 'zod';
import { redactText } from '../http/redact';
import type { FetchLike, FetchResponseLike } from '../http/types';

export interface OAuthApp {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenSet {
  accessToken: string;
  /** Absent for client credentials; rotates on every refresh. */
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Epoch milliseconds when the token was issued (as seen by this client). */
  obtainedAt: number;
}

export type OAuthErrorKind = 'invalid_grant' | 'invalid_client' | 'rejected' | 'network' | 'server' | 'bad_response';

/**
 * A failed token request. `kind` says whether retrying could help (network, server) or not.
 * The message is redacted: it may carry the server's `error_description` or a fetch error,
 * and either can repeat the request (client secret, code, refresh token) or the URL.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly kind: OAuthErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(redactText(message));
  }

  /** A 4xx answer: the grant or the app credentials are no good, the session cannot be saved by retrying. */
  get isFatal(): boolean {
    return this.kind === 'invalid_grant' || this.kind === 'invalid_client' || this.kind === 'rejected';
  }
}

const TokenResponse = z.looseObject({
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be bearer'),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive(),
});

const ErrorBody = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
  message: z.string().optional(),
});

export function buildAuthorizeUrl(authorizeUrl: string, clientId: string, state: string): string {
  const u = new URL(authorizeUrl);
  u.searchParams.set('client_id', clientId);
  u.searchParams.set('state', state);
  return u.toString();
}

/** A random `state` value: 32 hex characters from the injected random source. */
export function randomState(randomBytes: (n: number) => Uint8Array): string {
  return Array.from(randomBytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface TokenDeps {
  fetch: FetchLike;
  now: () => number;
  signal?: AbortSignal;
}

export function exchangeCode(app: OAuthApp, code: string, deps: TokenDeps): Promise<TokenSet> {
  return requestToken(app, { grant_type: 'authorization_code', code }, deps);
}

export function clientCredentials(app: OAuthApp, deps: TokenDeps): Promise<TokenSet> {
  return requestToken(app, { grant_type: 'client_credentials' }, deps);
}

export function refreshTokens(app: OAuthApp, refreshToken: string, deps: TokenDeps): Promise<TokenSet> {
  return requestToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken }, deps);
}

// Sent form-encoded: every source agrees the token endpoint accepts that, while
// one reports JSON bodies being refused.
async function requestToken(app: OAuthApp, params: Record<string, string>, deps: TokenDeps): Promise<TokenSet> {
  const body = new URLSearchParams({ ...params, client_id: app.clientId, client_secret: app.clientSecret });
  let res: FetchResponseLike;
  const sentAt = deps.now();
  try {
    res = await deps.fetch(app.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: body.toString(),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  } catch (err) {
    if (deps.signal?.aborted) throw err;
    throw new OAuthError('network', `Could not reach the token endpoint: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.status >= 200 && res.status < 300) {
    const parsed = TokenResponse.safeParse(json);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(', ');
      throw new OAuthError('bad_response', `The token endpoint answered an unexpected body (${fields})`, res.status);
    }
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
      expiresAt: sentAt + t.expires_in * 1000,
      obtainedAt: sentAt,
    };
  }
  const err = ErrorBody.safeParse(json);
  const code = err.success ? err.data.error : undefined;
  const detail = err.success ? (err.data.error_description ?? err.data.message) : undefined;
  if (res.status >= 500) throw new OAuthError('server', `The token endpoint failed (HTTP ${res.status})`, res.status);
  if (code === 'invalid_client' || res.status === 401) {
    throw new OAuthError('invalid_client', detail ?? 'The app ID or app secret was refused', res.status);
  }
  if (code === 'invalid_grant') {
    throw new OAuthError('invalid_grant', detail ?? 'The authorization code or refresh token is no longer valid', res.status);
  }
  throw new OAuthError('rejected', detail ?? `The token request was refused (HTTP ${res.status})`, res.status);
}
