// Fixed-window rate limiting, one window per API for the whole account (the
// sandbox has one account). The window opens at the first request after the
// previous one ended. Limit and window length come from the knobs on every
// call, so tests can switch to a tiny limit and a 1–2 s window at runtime; a
// change of limit or window length starts a fresh window (as a plan change
// would), so what earlier tests spent does not count against the new limit.

export interface WindowConfig {
  limit: number;
  windowSeconds: number;
}

export interface WindowState {
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export class WindowLimiter {
  private windowStart = 0;
  private used = 0;
  private configKey = '';

  constructor(private readonly config: () => WindowConfig, private readonly clock: () => number = Date.now) {}

  private roll(now: number): void {
    const { limit, windowSeconds } = this.config();
    const key = `${limit}/${windowSeconds}`;
    if (key !== this.configKey || now - this.windowStart >= windowSeconds * 1000) {
      this.configKey = key;
      this.windowStart = now;
      this.used = 0;
    }
  }

  /** Spends `cost` units if they fit; a refused request spends nothing. */
  take(cost: number): { allowed: boolean } & WindowState {
    const now = this.clock();
    this.roll(now);
    const { limit } = this.config();
    const allowed = this.used + cost <= limit;
    if (allowed) this.used += cost;
    return { allowed, ...this.state(now) };
  }

  /** The current state without spending anything. */
  peek(): WindowState {
    const now = this.clock();
    this.roll(now);
    return this.state(now);
  }

  private state(now: number): WindowState {
    const { limit, windowSeconds } = this.config();
    const endsAt = this.windowStart + windowSeconds * 1000;
    return { limit, remaining: Math.max(0, limit - this.used), resetSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)) };
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
  }
}
