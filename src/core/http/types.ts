// The smallest fetch surface the client needs. Both VS Code's global `fetch`
// (which carries VS Code's proxy and certificate support) and undici's `fetch`
// are assignable to `FetchLike`; the test in test/unit/core/http checks both.

export interface FetchInitLike {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** `manual` lets the client see a 301 (merged conversation) instead of following it with the auth header. */
  redirect?: 'follow' | 'manual' | 'error';
}

export interface FetchHeadersLike {
  get(name: string): string | null;
}

export interface FetchResponseLike {
  readonly status: number;
  readonly headers: FetchHeadersLike;
  text(): Promise<string>;
}

export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** Time, injected so tests can make waits tiny or virtual. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
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
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Something that can be disposed, the shape VS Code's `Disposable` also has. */
export interface DisposableLike {
  dispose(): void;
}
