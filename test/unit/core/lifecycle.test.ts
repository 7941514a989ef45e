import * as assert from 'node:assert/strict';
import { Disposable, DisposableStore, disposeAll, toDisposable } from '../../../src/core/lifecycle';

class Owner extends Disposable {
  own<T extends { dispose(): unknown }>(d: T): T {
    return this.register(d);
  }
  release(d: { dispose(): unknown }): void {
    this.unregister(d);
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
}

describe('core/lifecycle', () => {
  it('disposes what it owns once, newest first', () => {
    const order: string[] = [];
    const o = new Owner();
    o.own(toDisposable(() => order.push('a')));
    o.own(toDisposable(() => order.push('b')));
    o.dispose();
    o.dispose();
    assert.deepEqual(order, ['b', 'a']);
    assert.equal(o.disposed, true);
  });

  it('ignores a dispose that re-enters from one of its resources', () => {
    const o = new Owner();
    let calls = 0;
    o.own({ dispose: () => { calls++; o.dispose(); } });
    o.own({ dispose: () => { calls++; o.dispose(); } });
    o.dispose();
    assert.equal(calls, 2);
  });

  it('disposes at once what is registered after disposal', () => {
    const o = new Owner();
    o.dispose();
    let disposed = false;
    o.own(toDisposable(() => (disposed = true)));
    assert.equal(disposed, true);
  });

  it('keeps disposing after one resource throws, then reports it', () => {
    const o = new Owner();
    let later = false;
    o.own(toDisposable(() => (later = true)));
    o.own(toDisposable(() => { throw new Error('boom'); }));
    assert.throws(() => o.dispose(), /boom/);
    assert.equal(later, true);
  });

  it('aggregates several failures', () => {
    assert.throws(
      () => disposeAll([toDisposable(() => { throw new Error('x'); }), toDisposable(() => { throw new Error('y'); })]),
      (e: unknown) => e instanceof AggregateError && e.errors.length === 2,
    );
  });

  it('releases one resource early with unregister', () => {
    const o = new Owner();
    let n = 0;
    const d = o.own(toDisposable(() => n++));
    o.release(d);
    o.dispose();
    assert.equal(n, 1);
  });

  it('DisposableStore owns what is added', () => {
    const s = new DisposableStore();
    let n = 0;
    s.add(toDisposable(() => n++));
    s.add(toDisposable(() => n++));
    s.dispose();
    assert.equal(n, 2);
  });
});
