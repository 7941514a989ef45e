// The rate governor: one per API host (one for the Mailbox API, one for the
// Docs API), shared by every client, tree view and SQL fetch that talks to that
// host. The HTTP client calls `acquire()` before each attempt and the permit's
// `release()` after it, passing the response headers. From those headers the
// governor keeps the server's budget (Mailbox: X-RateLimit-Limit-Minute /
// X-RateLimit-Remaining-Minute; Docs: X-RateLimit-Limit / -Remaining / -Reset)
// and holds callers back so that normal use never meets a 429:
//   - at most `concurrency` requests are in flight;
//   - requests in flight are counted against the remaining budget (writes
//     cost `writeCost`, 2 on the Mailbox API where writes count double);
//   - below `slowBelow` of the limit, requests are spaced evenly until the
//     window resets; with no budget left, everyone waits for the reset;
//   - after a 429, everyone waits until the server's retry time.
// A UI subscribes with `onDidChange` to say "rate limited, resuming in N s".

import { CancelledError } from '../errors';
import { type Clock, type DisposableLike, type FetchHeadersLike, systemClock } from './types';

export interface RateGovernorOptions {
  /** Shown in logs and events, e.g. `mailbox` or `docs`. */
  readonly name?: string;
  /** Most requests in flight at once. Default 6. */
  readonly concurrency?: number;
  /**
   * Length of the server's rate window, used when the API does not say when it
   * resets (the Mailbox API has no reset header): 60 000 for Mailbox, 600 000 for Docs.
   */
  readonly windowMs?: number;
  /** Budget units a write (POST/PUT/PATCH/DELETE) uses. Default 1; the Mailbox API counts writes double. */
  readonly writeCost?: number;
  /** Budget units to leave unused in every window (for other apps on the same account). Default 0. */
  readonly reserve?: number;
  /** Fraction of the limit below which requests are paced out over the rest of the window. Default 0.2. */
  readonly slowBelow?: number;
  readonly clock?: Clock;
}

export type PauseReason = 'rate-limited' | 'budget';

export interface GovernorState {
  readonly name: string;
  /** The server's limit per window, once seen. */
  readonly limit: number | undefined;
  /** The server's remaining budget as last reported, less what is in flight. */
  readonly remaining: number | undefined;
  /** When the window is expected to reset (ms since epoch), if known or estimated. */
  readonly resetAt: number | undefined;
  /** While in the future, no request is sent. */
  readonly pausedUntil: number | undefined;
  readonly pauseReason: PauseReason | undefined;
  readonly inFlight: number;
  readonly queued: number;
}

export type GovernorEvent =
  | { readonly type: 'paused'; readonly until: number; readonly reason: PauseReason; readonly state: GovernorState }
  | { readonly type: 'resumed'; readonly state: GovernorState }
  | { readonly type: 'updated'; readonly state: GovernorState };

/** Handed out by `acquire`; call `release` exactly once when the attempt is over. */
export interface Permit {
  /** `headers` and `status` of the response, or undefined when the attempt failed without one. */
  release(headers?: FetchHeadersLike, status?: number): void;
}

export class RateGovernor {
  readonly name: string;
  private readonly concurrency: number;
  private readonly windowMs: number;
  private readonly writeCost: number;
  private readonly reserve: number;
  private readonly slowBelow: number;
  private readonly clock: Clock;

  private limit: number | undefined;
  private reported: number | undefined;
  private resetAt: number | undefined;
  private windowSeenAt: number | undefined;
  private pausedUntil: number | undefined;
  private pauseReason: PauseReason | undefined;
  private inFlight = 0;
  private inFlightCost = 0;
  private lastDispatchAt = 0;
  private queued = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly listeners = new Set<(e: GovernorEvent) => void>();

  constructor(options: RateGovernorOptions = {}) {
    this.name = options.name ?? 'api';
    this.concurrency = Math.max(1, options.concurrency ?? 6);
    this.windowMs = options.windowMs ?? 60_000;
    this.writeCost = options.writeCost ?? 1;
    this.reserve = options.reserve ?? 0;
    this.slowBelow = options.slowBelow ?? 0.2;
    this.clock = options.clock ?? systemClock;
  }

  /** Budget units one request of this method uses. */
  costOf(method: string): number {
    const m = method.toUpperCase();
    return m === 'GET' || m === 'HEAD' || m === 'OPTIONS' ? 1 : this.writeCost;
  }

  state(): GovernorState {
    const now = this.clock.now();
    const paused = this.pausedUntil !== undefined && this.pausedUntil > now;
    return {
      name: this.name,
      limit: this.limit,
      remaining: this.reported === undefined ? undefined : Math.max(0, this.reported - this.inFlightCost),
      resetAt: this.resetAt,
      pausedUntil: paused ? this.pausedUntil : undefined,
      pauseReason: paused ? this.pauseReason : undefined,
      inFlight: this.inFlight,
      queued: this.queued,
    };
  }

  /** Subscribes to pause/resume/update events. Dispose the result to stop. */
  onDidChange(listener: (e: GovernorEvent) => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Waits until a request of `method` may be sent: no pause in force, a free
   * slot, budget left, and the pacing interval passed. Rejects with
   * CancelledError when `signal` aborts while waiting.
   */
  async acquire(method: string, signal?: AbortSignal): Promise<Permit> {
    const cost = this.costOf(method);
    this.queued++;
    try {
      for (;;) {
        if (signal?.aborted) throw new CancelledError('Request cancelled while waiting for the rate limit');
        const now = this.clock.now();
        const wait = this.waitBeforeSend(now, cost);
        if (wait > 0) {
          await this.sleep(wait, signal);
          continue;
        }
        if (this.inFlight >= this.concurrency || this.needsInFlightToFinish(cost)) {
          await this.waitForSlot(signal);
          continue;
        }
        if (this.pausedUntil !== undefined) {
          this.pausedUntil = undefined;
          this.pauseReason = undefined;
          this.emit({ type: 'resumed', state: this.state() });
        }
        this.inFlight++;
        this.inFlightCost += cost;
        this.lastDispatchAt = now;
        return this.permit(cost);
      }
    } finally {
      this.queued--;
    }
  }

  /** Reads the rate headers of a response without an acquire (e.g. from another client). */
  observe(headers: FetchHeadersLike, status?: number): void {
    this.update(headers, status);
  }

  /** Stops every caller until `untilMs` (ms since epoch). A later pause extends an earlier one. */
  pause(untilMs: number, reason: PauseReason): void {
    if (this.pausedUntil !== undefined && this.pausedUntil >= untilMs) return;
    this.pausedUntil = untilMs;
    this.pauseReason = reason;
    this.emit({ type: 'paused', until: untilMs, reason, state: this.state() });
  }

  private permit(cost: number): Permit {
    let released = false;
    return {
      release: (headers, status) => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.inFlightCost -= cost;
        if (headers !== undefined) this.update(headers, status);
        const next = this.slotWaiters.shift();
        if (next !== undefined) next();
      },
    };
  }

  /** How long to wait (ms) before a request costing `cost` may go, given pauses, budget and pacing. */
  private waitBeforeSend(now: number, cost: number): number {
    if (this.pausedUntil !== undefined && this.pausedUntil > now) return this.pausedUntil - now;
    if (this.resetAt !== undefined && now >= this.resetAt) {
      // The window has turned over: the old budget no longer holds. The next
      // response tells the new one; until then requests are bounded by concurrency.
      this.reported = undefined;
      this.resetAt = undefined;
      this.windowSeenAt = undefined;
    }
    if (this.reported === undefined || this.limit === undefined) return 0;
    const afterThis = this.reported - cost;
    if (afterThis < this.reserve) {
      // Nothing left even when the requests in flight finish: wait for the reset.
      const until = this.resetAt ?? now + this.windowMs;
      if (this.resetAt === undefined) this.resetAt = until;
      this.pause(until, 'budget');
      return until - now;
    }
    const available = this.reported - this.inFlightCost - this.reserve;
    if (available < this.slowBelow * this.limit && this.resetAt !== undefined && this.resetAt > now) {
      // Spread what is left evenly over the rest of the window.
      const slots = Math.max(1, Math.floor(available / cost));
      const interval = (this.resetAt - now) / slots;
      const nextAt = this.lastDispatchAt + interval;
      if (nextAt > now) return Math.ceil(nextAt - now);
    }
    return 0;
  }

  /** True when the budget is affordable only once some request in flight has come back. */
  private needsInFlightToFinish(cost: number): boolean {
    if (this.reported === undefined || this.inFlight === 0) return false;
    return this.reported - this.inFlightCost - cost < this.reserve;
  }

  private update(headers: FetchHeadersLike, status?: number): void {
    const now = this.clock.now();
    const limit = intHeader(headers, 'x-ratelimit-limit-minute') ?? intHeader(headers, 'x-ratelimit-limit');
    const remaining =
      intHeader(headers, 'x-ratelimit-remaining-minute') ?? intHeader(headers, 'x-ratelimit-remaining');
    const resetSeconds = intHeader(headers, 'x-ratelimit-reset');
    if (limit !== undefined) this.limit = limit;
    if (remaining !== undefined) {
      // Responses can arrive out of order, so within one window a higher
      // `remaining` than we hold is ignored (we never overestimate), unless it
      // is higher by more than all the requests that could have been in flight:
      // then the window must have turned over.
      const slack = this.concurrency * this.writeCost;
      const newWindow =
        this.reported === undefined || this.windowSeenAt === undefined || remaining > this.reported + slack;
      if (newWindow) {
        // The reset is estimated from now, the latest moment this window could
        // have started, so a pause never ends before the server's window does.
        this.windowSeenAt = now;
        if (resetSeconds === undefined) this.resetAt = now + this.windowMs;
        this.reported = remaining;
      } else {
        this.reported = Math.min(this.reported ?? remaining, remaining);
      }
    }
    if (resetSeconds !== undefined) this.resetAt = now + resetSeconds * 1000;
    if (status === 429) {
      // The server's retry time is the best reset estimate we have: the budget
      // counts as spent until then, and as unknown after.
      const retry = retryAfterMs(headers, now);
      const until = now + (retry ?? (resetSeconds !== undefined ? resetSeconds * 1000 : 1000));
      this.reported = 0;
      this.resetAt = until;
      this.pause(until, 'rate-limited');
    }
    this.emit({ type: 'updated', state: this.state() });
  }

  private waitForSlot(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.slotWaiters.indexOf(wake);
        if (i >= 0) this.slotWaiters.splice(i, 1);
        reject(new CancelledError('Request cancelled while waiting for the rate limit'));
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.slotWaiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch {
      throw new CancelledError('Request cancelled while waiting for the rate limit');
    }
  }

  private emit(e: GovernorEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A listener's failure must not break requests.
      }
    }
  }
}

function intHeader(headers: FetchHeadersLike, name: string): number | undefined {
  const v = headers.get(name);
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : undefined;
}

/**
 * The wait a 429 (or 503) asks for, in ms: `X-RateLimit-Retry-After` (Mailbox,
 * seconds), then `Retry-After` (seconds or an HTTP date), then the Docs
 * `X-RateLimit-Reset` (seconds until the window resets). Undefined when none is usable.
 */
export function retryAfterMs(headers: FetchHeadersLike, now: number): number | undefined {
  for (const name of ['x-ratelimit-retry-after', 'retry-after', 'x-ratelimit-reset']) {
    const v = headers.get(name)?.trim();
    if (v === undefined || v === '') continue;
    if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    const date = Date.parse(v);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}
