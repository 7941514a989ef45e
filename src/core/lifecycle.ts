// Ownership of resources that must be released: event subscriptions, timers,
// panels, child objects. Every class that owns such things extends `Disposable`
// and hands each one to `register`, instead of keeping its own array. Plain
// TypeScript: VS Code's `Disposable` type is structural (`{ dispose(): unknown }`),
// so the extension layer uses this base for its VS Code resources too.

export interface IDisposable {
  dispose(): unknown;
}

/** Disposes each item once, newest first; one failure does not stop the others. */
export function disposeAll(items: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const d of [...items].reverse()) {
    try {
      d.dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} resources failed to dispose`);
}

/** A disposable made of a function, called at most once. */
export function toDisposable(fn: () => unknown): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/**
 * The base of every class that owns resources. `register` takes ownership;
 * `dispose` releases everything once, newest first, even when called again from
 * inside one of the resources it is releasing (re-entry is a no-op). Something
 * registered after disposal is disposed at once, so a late async registration
 * cannot leak.
 */
export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private state: 'live' | 'disposing' | 'disposed' = 'live';

  /** True from the moment `dispose` starts. */
  protected get isDisposed(): boolean {
    return this.state !== 'live';
  }

  protected register<T extends IDisposable>(d: T): T {
    if (this.state !== 'live') {
      d.dispose();
      return d;
    }
    this.owned.push(d);
    return d;
  }

  /** Releases one owned resource early (and forgets it). */
  protected unregister(d: IDisposable): void {
    const i = this.owned.indexOf(d);
    if (i >= 0) this.owned.splice(i, 1);
    d.dispose();
  }

  dispose(): void {
    if (this.state !== 'live') return;
    this.state = 'disposing';
    try {
      disposeAll(this.owned.splice(0));
    } finally {
      this.state = 'disposed';
    }
  }
}

/** A bag of disposables owned together, for code that is not a class. */
export class DisposableStore extends Disposable {
  add<T extends IDisposable>(d: T): T {
    return this.register(d);
  }
}
