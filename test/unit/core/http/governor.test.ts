import * as assert from 'node:assert/strict';
import { CancelledError } from '../../../../src/core/errors';
import { type GovernorEvent, RateGovernor, retryAfterMs } from '../../../../src/core/http/governor';
import { createMailboxGovernor } from '../../../../src/core/mailbox/client';
import { VirtualClock } from '../clocks';

function headers(h: Record<string, string>): Headers {
  return new Headers(h);
}

describe('RateGovernor (its own logic, on a virtual clock)', () => {
  it('keeps requests in flight under the concurrency', async () => {
    const g = new RateGovernor({ concurrency: 2, clock: new VirtualClock() });
    const a = await g.acquire('GET');
    const b = await g.acquire('GET');
    let third = false;
    const pending = g.acquire('GET').then((p) => {
      third = true;
      return p;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false);
    assert.equal(g.state().inFlight, 2);
    assert.equal(g.state().queued, 1);
    a.release();
    const c = await pending;
    assert.equal(third, true);
    b.release();
    c.release();
    assert.equal(g.state().inFlight, 0);
  });

  it('counts what is in flight against the remaining budget, and waits for the reset when it is spent', async () => {
    const clock = new VirtualClock();
    const g = new RateGovernor({ concurrency: 8, windowMs: 60_000, slowBelow: 0, clock });
    const events: GovernorEvent[] = [];
    g.onDidChange((e) => events.push(e));
    g.observe(headers({ 'X-RateLimit-Limit-Minute': '10', 'X-RateLimit-Remaining-Minute': '2' }));
    const start = clock.now();
    const p1 = await g.acquire('GET');
    const p2 = await g.acquire('GET');
    assert.equal(g.state().remaining, 0);
    // A third request must not go out while two are in flight and the budget is 2.
    let third = false;
    const pending = g.acquire('GET').then((p) => {
      third = true;
      return p;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false);
    p1.release(headers({ 'X-RateLimit-Limit-Minute': '10', 'X-RateLimit-Remaining-Minute': '1' }));
    p2.release(headers({ 'X-RateLimit-Limit-Minute': '10', 'X-RateLimit-Remaining-Minute': '0' }));
    const p3 = await pending;
    // It went out only after the estimated reset, a full window after the budget was first seen.
    assert.ok(clock.now() - start >= 60_000, `waited ${clock.now() - start} ms`);
    const paused = events.find((e) => e.type === 'paused');
    assert.ok(paused && paused.type === 'paused' && paused.reason === 'budget');
    assert.ok(events.some((e) => e.type === 'resumed'));
    p3.release();
  });

  it('uses the Docs reset header for the window end', async () => {
    const clock = new VirtualClock();
    const g = new RateGovernor({ windowMs: 600_000, clock });
    g.observe(headers({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '42' }));
    const start = clock.now();
    assert.equal(g.state().resetAt, start + 42_000);
    (await g.acquire('GET')).release();
    assert.equal(clock.now() - start, 42_000);
  });

  it('paces requests when the budget runs low instead of spending it at once', async () => {
    const clock = new VirtualClock();
    const g = new RateGovernor({ concurrency: 1, windowMs: 60_000, slowBelow: 0.5, clock });
    g.observe(headers({ 'X-RateLimit-Limit-Minute': '100', 'X-RateLimit-Remaining-Minute': '10' }));
    const start = clock.now();
    for (let i = 0; i < 5; i++) {
      const p = await g.acquire('GET');
      p.release(headers({ 'X-RateLimit-Limit-Minute': '100', 'X-RateLimit-Remaining-Minute': String(9 - i) }));
    }
    const spent = clock.now() - start;
    // Five of ten remaining requests spread over the window: roughly half of it, never at once.
    assert.ok(spent > 20_000 && spent < 60_000, `spent ${spent} ms`);
  });

  it('pauses everyone after a 429 until the retry time, and says so', async () => {
    const clock = new VirtualClock();
    const g = new RateGovernor({ clock });
    const events: GovernorEvent[] = [];
    g.onDidChange((e) => events.push(e));
    const p = await g.acquire('GET');
    p.release(headers({ 'X-RateLimit-Retry-After': '7' }), 429);
    const state = g.state();
    assert.equal(state.pausedUntil, clock.now() + 7000);
    assert.equal(state.pauseReason, 'rate-limited');
    const start = clock.now();
    const [a, b] = await Promise.all([g.acquire('GET'), g.acquire('GET')]);
    assert.ok(clock.now() - start >= 7000);
    a.release();
    b.release();
    assert.ok(events.some((e) => e.type === 'paused' && e.until === start + 7000));
  });

  it('never raises its budget from a response that arrived out of order, but sees a window turn over', () => {
    const g = new RateGovernor({ concurrency: 2, clock: new VirtualClock() });
    const h = (remaining: number) => headers({ 'X-RateLimit-Limit-Minute': '100', 'X-RateLimit-Remaining-Minute': String(remaining) });
    g.observe(h(50));
    g.observe(h(51));
    assert.equal(g.state().remaining, 50);
    g.observe(h(99));
    assert.equal(g.state().remaining, 99);
  });

  it('counts Mailbox writes double', () => {
    const g = createMailboxGovernor();
    assert.equal(g.costOf('GET'), 1);
    assert.equal(g.costOf('POST'), 2);
    assert.equal(g.costOf('delete'), 2);
  });

  it('lets a waiting caller cancel', async () => {
    const g = new RateGovernor({ concurrency: 1, clock: new VirtualClock() });
    const held = await g.acquire('GET');
    const ac = new AbortController();
    const waiting = g.acquire('GET', ac.signal);
    ac.abort();
    await assert.rejects(waiting, CancelledError);
    held.release();
    (await g.acquire('GET')).release();
  });

  it('reads Retry-After in all its forms', () => {
    const now = Date.UTC(2024, 0, 1, 12, 0, 0);
    assert.equal(retryAfterMs(headers({ 'X-RateLimit-Retry-After': '3' }), now), 3000);
    assert.equal(retryAfterMs(headers({ 'Retry-After': '2' }), now), 2000);
    assert.equal(retryAfterMs(headers({ 'Retry-After': new Date(now + 5000).toUTCString() }), now), 5000);
    assert.equal(retryAfterMs(headers({ 'X-RateLimit-Reset': '9' }), now), 9000);
    // The Mailbox header wins over the generic one.
    assert.equal(retryAfterMs(headers({ 'X-RateLimit-Retry-After': '1', 'Retry-After': '30' }), now), 1000);
    assert.equal(retryAfterMs(headers({}), now), undefined);
  });
});
