import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { CallbackError, waitForLoopbackCallback } from '../../../../src/core/auth/loopback';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('loopback OAuth callback listener', () => {
  it('ignores a wrong state and a wrong path, then takes the matching callback once', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/callback`;
    let listening!: () => void;
    const ready = new Promise<void>((r) => (listening = r));
    const wait = waitForLoopbackCallback({ callbackUrl: base, state: 'good', timeoutMs: 5000, onListening: listening });
    await ready;
    const wrongState = await fetch(`${base}?code=c1&state=evil`);
    assert.equal(wrongState.status, 400);
    const wrongPath = await fetch(`http://127.0.0.1:${port}/other?code=c1&state=good`);
    assert.equal(wrongPath.status, 404);
    const ok = await fetch(`${base}?code=c2&state=good`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /close this tab/);
    assert.deepEqual(await wait, { code: 'c2', state: 'good' });
    await assert.rejects(fetch(`${base}?code=c3&state=good`), 'the listener must be closed after one callback');
  });

  it('rejects with timeout, cancellation and denial', async () => {
    const port = await freePort();
    await assert.rejects(
      waitForLoopbackCallback({ callbackUrl: `http://127.0.0.1:${port}/cb`, state: 's', timeoutMs: 50 }),
      (e: unknown) => e instanceof CallbackError && e.kind === 'timeout',
    );
    const ac = new AbortController();
    const cancelled = assert.rejects(
      waitForLoopbackCallback({ callbackUrl: `http://127.0.0.1:${port}/cb`, state: 's', timeoutMs: 5000, signal: ac.signal }),
      (e: unknown) => e instanceof CallbackError && e.kind === 'cancelled',
    );
    ac.abort();
    await cancelled;
    let listening!: () => void;
    const ready = new Promise<void>((r) => (listening = r));
    const denied = assert.rejects(
      waitForLoopbackCallback({ callbackUrl: `http://127.0.0.1:${port}/cb`, state: 's', timeoutMs: 5000, onListening: listening }),
      (e: unknown) => e instanceof CallbackError && e.kind === 'denied',
    );
    await ready;
    await fetch(`http://127.0.0.1:${port}/cb?state=s&error=access_denied`);
    await denied;
  });

  it('says so when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(
        waitForLoopbackCallback({ callbackUrl: `http://127.0.0.1:${port}/cb`, state: 's', timeoutMs: 2000 }),
        (e: unknown) => e instanceof CallbackError && e.kind === 'portInUse',
      );
    } finally {
      blocker.close();
    }
  });
});
