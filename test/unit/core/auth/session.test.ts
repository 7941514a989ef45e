import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { waitForLoopbackCallback } from '../../../../src/core/auth/loopback';
import {
  buildAuthorizeUrl,
  clientCredentials,
  exchangeCode,
  OAuthError,
  type OAuthApp,
  randomState,
  refreshTokens,
  type TokenDeps,
} from '../../../../src/core/auth/oauth';
import { SessionEndedError, SessionManager, type StoredSession } from '../../../../src/core/auth/session';
import { type RunningSandbox, startSandbox } from '../../../../src/sandbox/index';

const SIZES = { conversations: 20, customers: 10, users: 4, teams: 1, tags: 5, docs: { sites: 1, collections: 1, articles: 2, redirects: 0 } };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Does what a user's browser does on the sandbox's authorize page: press "Authorize" and follow the redirect. */
async function authorizeInBrowser(authorizeUrl: string, baseUrl: string): Promise<void> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const action = /action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'the authorize page has a form');
  const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  const r = await fetch(new URL(action, baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, decision: 'allow' }).toString(),
    redirect: 'manual',
  });
  assert.equal(r.status, 302);
  const callback = await fetch(r.headers.get('location') ?? '');
  assert.equal(callback.status, 200);
}

describe('OAuth flows and the session manager, against the sandbox', () => {
  let sb: RunningSandbox;
  let app: OAuthApp;
  let clock = Date.now();
  const deps = (): TokenDeps => ({ fetch: (url, init) => fetch(url, init), now: () => clock });
  const meStatus = async (token: string): Promise<number> =>
    (await fetch(`${sb.mailboxBaseUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } })).status;
  const tokenRequests = (): number => sb.log.count({ path: '/v2/oauth2/token', method: 'POST' });

  before(async () => {
    sb = await startSandbox({ port: 0, seed: 3, sizes: SIZES });
    app = { tokenUrl: sb.tokenUrl, clientId: sb.credentials.clientId, clientSecret: sb.credentials.clientSecret };
  });
  after(() => sb.close());
  beforeEach(() => {
    sb.log.reset();
    clock = Date.now();
  });

  it('signs in with the authorization code end to end: authorize page, loopback callback, code exchange', async () => {
    const callbackUrl = `http://127.0.0.1:${await freePort()}/callback`;
    sb.setRedirectUri(callbackUrl);
    const state = randomState((n) => randomBytes(n));
    let listening!: () => void;
    const ready = new Promise<void>((r) => (listening = r));
    const callback = waitForLoopbackCallback({ callbackUrl, state, timeoutMs: 5000, onListening: listening });
    await ready;
    await authorizeInBrowser(buildAuthorizeUrl(sb.authorizeUrl, app.clientId, state), sb.baseUrl);
    const { code } = await callback;
    const tokens = await exchangeCode(app, code, deps());
    assert.ok(tokens.refreshToken, 'the authorization-code grant returns a refresh token');
    assert.equal(tokens.expiresAt - tokens.obtainedAt, 172_800_000);
    assert.equal(await meStatus(tokens.accessToken), 200);
    await assert.rejects(exchangeCode(app, code, deps()), (e: unknown) => e instanceof OAuthError && e.kind === 'invalid_grant');
  });

  it('gets a client-credentials token without a refresh token, and reports a wrong secret', async () => {
    const t = await clientCredentials(app, deps());
    assert.equal(t.refreshToken, undefined);
    assert.equal(await meStatus(t.accessToken), 200);
    await assert.rejects(
      clientCredentials({ ...app, clientSecret: 'wrong' }, deps()),
      (e: unknown) => e instanceof OAuthError && e.kind === 'invalid_client' && e.isFatal,
    );
  });

  async function signedIn(): Promise<StoredSession> {
    const callbackUrl = `http://127.0.0.1:${await freePort()}/callback`;
    sb.setRedirectUri(callbackUrl);
    let listening!: () => void;
    const ready = new Promise<void>((r) => (listening = r));
    const callback = waitForLoopbackCallback({ callbackUrl, state: 's1', timeoutMs: 5000, onListening: listening });
    await ready;
    await authorizeInBrowser(buildAuthorizeUrl(sb.authorizeUrl, app.clientId, 's1'), sb.baseUrl);
    const t = await exchangeCode(app, (await callback).code, deps());
    sb.log.reset();
    return {
      version: 1,
      id: 's',
      grant: 'authorizationCode',
      initiateOAuth: 'GETANDREFRESH',
      accessToken: t.accessToken,
      ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
      expiresAt: t.expiresAt,
      obtainedAt: t.obtainedAt,
      account: { id: 1, label: 'x' },
    };
  }

  it('rotates on refresh: the old access token dies and the old refresh token is refused', async () => {
    const s = await signedIn();
    const next = await refreshTokens(app, s.refreshToken ?? '', deps());
    assert.notEqual(next.refreshToken, s.refreshToken);
    assert.equal(await meStatus(s.accessToken), 401);
    assert.equal(await meStatus(next.accessToken), 200);
    await assert.rejects(refreshTokens(app, s.refreshToken ?? '', deps()), (e: unknown) => e instanceof OAuthError && e.isFatal);
  });

  it('makes exactly one refresh request for 20 concurrent 401s, and stores the new pair before handing it out', async () => {
    const s = await signedIn();
    const saved: StoredSession[] = [];
    const sm = new SessionManager(s, {
      save: async (n) => {
        saved.push(n);
      },
      refresh: (rt) => refreshTokens(app, rt, deps()),
      now: () => clock,
    });
    assert.equal(sb.expireTokens() >= 1, true);
    const failed = await Promise.all(Array.from({ length: 20 }, async () => ({ token: s.accessToken, status: await meStatus(s.accessToken) })));
    assert.ok(failed.every((f) => f.status === 401));
    const retried = await Promise.all(failed.map((f) => sm.unauthorized(f.token)));
    assert.equal(tokenRequests(), 1, 'one refresh for all twenty');
    assert.equal(new Set(retried).size, 1);
    assert.equal(saved.length, 1);
    assert.equal(saved[0]?.accessToken, retried[0]);
    assert.notEqual(saved[0]?.refreshToken, s.refreshToken);
    assert.equal(await meStatus(retried[0] ?? ''), 200);
    // A late caller whose request carried the old token gets the new one without another refresh.
    assert.equal(await sm.unauthorized(s.accessToken), retried[0]);
    assert.equal(tokenRequests(), 1);
  });

  it('refreshes ahead of expiry once two thirds of the lifetime has passed', async () => {
    const s = await signedIn();
    const sm = new SessionManager(s, { save: async () => undefined, refresh: (rt) => refreshTokens(app, rt, deps()), now: () => clock });
    clock = (s.obtainedAt ?? 0) + 100_000_000; // about 58% of 48 h
    assert.equal(await sm.accessToken(), s.accessToken);
    assert.equal(tokenRequests(), 0);
    clock = (s.obtainedAt ?? 0) + 120_000_000; // about 69%
    const fresh = await Promise.all([sm.accessToken(), sm.accessToken(), sm.accessToken()]);
    assert.equal(tokenRequests(), 1);
    assert.notEqual(fresh[0], s.accessToken);
    assert.equal(new Set(fresh).size, 1);
  });

  it('ends the session once when the refresh is refused, and makes no further requests', async () => {
    const s = await signedIn();
    await refreshTokens(app, s.refreshToken ?? '', deps()); // someone else rotated it: ours is dead now
    sb.log.reset();
    const ended: string[] = [];
    const sm = new SessionManager(s, {
      save: async () => undefined,
      refresh: (rt) => refreshTokens(app, rt, deps()),
      onEnded: (reason) => ended.push(reason),
      now: () => clock,
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => sm.unauthorized(s.accessToken)));
    assert.ok(results.every((r) => r.status === 'rejected'));
    await assert.rejects(sm.accessToken(), SessionEndedError);
    await assert.rejects(sm.unauthorized(s.accessToken), SessionEndedError);
    assert.deepEqual(ended, ['refreshRefused']);
    assert.equal(tokenRequests(), 1);
    assert.equal(sm.session, undefined);
  });

  it('keeps the session when the token endpoint cannot be reached, and recovers later', async () => {
    const s = await signedIn();
    let down = true;
    const sm = new SessionManager(s, {
      save: async () => undefined,
      refresh: (rt) => refreshTokens(app, rt, { ...deps(), fetch: (url, init) => (down ? Promise.reject(new Error('ECONNREFUSED')) : fetch(url, init)) }),
      now: () => clock,
    });
    await assert.rejects(sm.unauthorized(s.accessToken), (e: unknown) => e instanceof OAuthError && e.kind === 'network');
    assert.ok(sm.session, 'still signed in');
    down = false;
    const t = await sm.unauthorized(s.accessToken);
    assert.equal(await meStatus(t), 200);
  });

  it('with InitiateOAuth=OFF never refreshes and says the token expired', async () => {
    const s = await signedIn();
    const ended: string[] = [];
    const sm = new SessionManager({ ...s, initiateOAuth: 'OFF' }, {
      save: async () => undefined,
      refresh: (rt) => refreshTokens(app, rt, deps()),
      onEnded: (r) => ended.push(r),
      now: () => clock,
    });
    await assert.rejects(sm.unauthorized(s.accessToken), (e: unknown) => e instanceof SessionEndedError && e.reason === 'expiredNoRefresh');
    clock = (s.expiresAt ?? 0) + 1;
    await assert.rejects(sm.accessToken(), SessionEndedError);
    assert.deepEqual(ended, ['expiredNoRefresh']);
    assert.equal(tokenRequests(), 0);
  });

  it('renews a client-credentials session by asking for a new token', async () => {
    const t = await clientCredentials(app, deps());
    sb.log.reset();
    const sm = new SessionManager(
      { version: 1, id: 'cc', grant: 'clientCredentials', initiateOAuth: 'GETANDREFRESH', accessToken: t.accessToken, expiresAt: t.expiresAt, obtainedAt: t.obtainedAt, account: { id: 1, label: 'app' } },
      { save: async () => undefined, refresh: () => Promise.reject(new Error('no refresh token')), reacquire: () => clientCredentials(app, deps()), now: () => clock },
    );
    const next = await Promise.all([sm.unauthorized(t.accessToken), sm.unauthorized(t.accessToken)]);
    assert.equal(tokenRequests(), 1);
    assert.notEqual(next[0], t.accessToken);
    assert.equal(await meStatus(next[0]), 200);
  });
});
