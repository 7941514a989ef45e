// Clocks for the core tests. Both implement the client's injected Clock, so
// retry and rate-limit waits stay short without changing what is waited for.
import type { Clock } from '../../../src/core/http/types';

/** Time moves only when someone sleeps: a sleep of N ms advances `now` by N at once. */
export class VirtualClock implements Clock {
  t = Date.UTC(2024, 0, 1);
  readonly sleeps: number[] = [];
  now = (): number => this.t;
  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    await new Promise((r) => setImmediate(r));
    if (signal?.aborted) throw signal.reason;
    this.t += ms;
  };
}

/**
 * Real time running `factor` times faster: `now()` and `sleep()` agree, so a
 * 1 s Retry-After costs 1000/factor ms of real time. Records every sleep asked for.
 */
export class FastClock implements Clock {
  private readonly t0 = Date.now();
  readonly sleeps: number[] = [];
  constructor(private readonly factor = 50) {}
  now = (): number => this.t0 + (Date.now() - this.t0) * this.factor;
  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms / this.factor));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
}
