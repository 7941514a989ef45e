// The signed-in Mailbox API session and the rules for keeping its access token
// fresh. The VS Code layer stores the session (one JSON value in
// SecretStorage) and shows UI; this class decides when to refresh, makes sure
// concurrent callers share one refresh, persists the rotated refresh token
// before anyone uses the new access token, and ends the session once, not once
// per request, when the refresh is refused.
import { z } from 'zod';
import type { InitiateOAuth } from './connectionString';
import { OAuthError, type TokenSet } from './oauth';

export const GrantKind = z.enum(['authorizationCode', 'clientCredentials', 'refreshToken', 'accessToken']);
export type GrantKind = z.infer<typeof GrantKind>;

/** What is stored in SecretStorage, validated when read back. */
export const StoredSession = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  grant: GrantKind,
  initiateOAuth: z.enum(['OFF', 'GETANDREFRESH', 'REFRESH']),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** Epoch ms; absent when the user supplied a bare access token of unknown lifetime. */
  expiresAt: z.number().optional(),
  obtainedAt: z.number().optional(),
  account: z.object({ id: z.number(), label: z.string() }),
});
export type StoredSession = z.infer<typeof StoredSession>;

export type SessionEndReason = 'refreshRefused' | 'expiredNoRefresh' | 'signedOut';

export class SessionEndedError extends Error {
  override readonly name = 'SessionEndedError';
  constructor(readonly reason: SessionEndReason) {
    super(
      reason === 'expiredNoRefresh'
        ? 'The Help Scout access token has expired and InitiateOAuth is OFF, so it is not refreshed. Sign in again or supply a new token.'
        : reason === 'refreshRefused'
          ? 'Help Scout refused to refresh the session. Sign in again.'
          : 'Signed out of Help Scout.',
    );
  }
}

export interface SessionManagerOptions {
  /** Saves the session (SecretStorage in VS Code). Called before a refreshed token is handed out. */
  save(session: StoredSession): Promise<void>;
  /** Exchanges a refresh token for a new pair (rotating). */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Gets a brand-new token without a refresh token (client credentials). */
  reacquire?(): Promise<TokenSet>;
  /** Called exactly once when the session can no longer be used. */
  onEnded?(reason: SessionEndReason, session: StoredSession): void;
  now: () => number;
  /** Refresh when this fraction of the token's lifetime has passed (default 2/3). */
  refreshAtFraction?: number;
}

export class SessionManager {
  private current: StoredSession | undefined;
  private inflight: Promise<StoredSession> | undefined;
  private ended: SessionEndReason | undefined;

  constructor(
    session: StoredSession | undefined,
    private readonly opts: SessionManagerOptions,
  ) {
    this.current = session;
  }

  get session(): StoredSession | undefined {
    return this.ended ? undefined : this.current;
  }

  /** Another window changed the stored session: adopt it without refreshing. */
  replace(session: StoredSession | undefined): void {
    this.current = session;
    this.ended = undefined;
  }

  /** Called for every request: returns a usable access token, refreshing first when it is due. */
  async accessToken(): Promise<string> {
    const s = this.usable();
    if (this.refreshDue(s)) {
      if (this.canRenew(s)) return (await this.renew(s.accessToken)).accessToken;
      if (s.expiresAt !== undefined && s.expiresAt <= this.opts.now()) this.end('expiredNoRefresh', s);
    }
    return s.accessToken;
  }

  /**
   * Called when a request that carried `failedToken` got a 401. Returns the
   * token to retry with, or throws SessionEndedError. Concurrent callers with
   * the same failed token share one refresh; a caller whose token was already
   * replaced gets the new one at once.
   */
  async unauthorized(failedToken: string): Promise<string> {
    const s = this.usable();
    if (s.accessToken !== failedToken) return s.accessToken;
    if (!this.canRenew(s)) this.end('expiredNoRefresh', s);
    return (await this.renew(failedToken)).accessToken;
  }

  private usable(): StoredSession {
    if (this.ended) throw new SessionEndedError(this.ended);
    if (!this.current) throw new SessionEndedError('signedOut');
    return this.current;
  }

  private refreshDue(s: StoredSession): boolean {
    if (s.expiresAt === undefined) return false;
    const start = s.obtainedAt ?? s.expiresAt - 172_800_000;
    const fraction = this.opts.refreshAtFraction ?? 2 / 3;
    return this.opts.now() >= start + (s.expiresAt - start) * fraction;
  }

  private canRenew(s: StoredSession): boolean {
    if (s.initiateOAuth === 'OFF') return false;
    return s.refreshToken !== undefined || (s.grant === 'clientCredentials' && this.opts.reacquire !== undefined);
  }

  private renew(failedToken: string): Promise<StoredSession> {
    if (this.inflight) return this.inflight;
    const run = async (): Promise<StoredSession> => {
      const s = this.usable();
      if (s.accessToken !== failedToken) return s;
      let tokens: TokenSet;
      try {
        tokens = s.refreshToken !== undefined ? await this.opts.refresh(s.refreshToken) : await this.opts.reacquire!();
      } catch (err) {
        if (err instanceof OAuthError && err.isFatal) this.end('refreshRefused', s);
        throw err; // network or server trouble: keep the session and let a later call try again
      }
      const next: StoredSession = {
        ...s,
        accessToken: tokens.accessToken,
        expiresAt: tokens.expiresAt,
        obtainedAt: tokens.obtainedAt,
      };
      if (tokens.refreshToken !== undefined) next.refreshToken = tokens.refreshToken;
      // The old refresh token is dead now: store the new pair before anyone uses it.
      await this.opts.save(next);
      this.current = next;
      return next;
    };
    this.inflight = run().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private end(reason: SessionEndReason, s: StoredSession): never {
    if (!this.ended) {
      this.ended = reason;
      this.opts.onEnded?.(reason, s);
    }
    throw new SessionEndedError(reason);
  }
}

export type { InitiateOAuth };
