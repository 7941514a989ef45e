import * as assert from 'node:assert/strict';
import type { RunningSandbox } from '../../../src/sandbox/index';
import { type Json, mailbox, start } from './helpers';

describe('sandbox OAuth2', () => {
  let sb: RunningSandbox;
  before(async () => {
    sb = await start();
  });
  after(() => sb.close());
  afterEach(() => sb.knobs.reset());

  const form = (params: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const creds = (): Record<string, string> => ({ client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
  async function token(init: RequestInit, url = sb.tokenUrl): Promise<{ status: number; body: Json }> {
    const r = await fetch(url, init);
    return { status: r.status, body: await r.json() as Json };
  }
  async function me(accessToken: string): Promise<Response> {
    return mailbox(sb, accessToken).get('/users/me');
  }

  /** Runs the authorize page's form the way a browser would and returns the redirect URL. */
  async function authorize(extra: Record<string, string> = {}, state = 'st-123'): Promise<URL> {
    const page = await fetch(`${sb.authorizeUrl}?client_id=${sb.credentials.clientId}&state=${state}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(sb.credentials.appName));
    assert.match(html, /<form method="post"/);
    const action = /action="([^"]+)"/.exec(html)?.[1] ?? '';
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    assert.equal(hidden['client_id'], sb.credentials.clientId);
    assert.equal(hidden['state'], state);
    const r = await fetch(new URL(action, sb.baseUrl), { ...form({ ...hidden, decision: 'allow', ...extra }), redirect: 'manual' });
    assert.equal(r.status, 302);
    return new URL(r.headers.get('location') ?? '');
  }

  it('issues a client-credentials token (form body) acting as the app owner, without a refresh token', async () => {
    const { status, body } = await token(form({ grant_type: 'client_credentials', ...creds() }));
    assert.equal(status, 200);
    assert.equal(body['token_type'], 'bearer');
    assert.match(String(body['access_token']), /^[0-9a-f]{32}$/);
    assert.equal(body['expires_in'], 172800);
    assert.equal('refresh_token' in body, false);
    const r = await me(String(body['access_token']));
    assert.equal(r.status, 200);
    assert.equal((await r.json() as Json)['id'], sb.store.mailbox.ownerId);
  });

  it('accepts JSON bodies and query parameters too', async () => {
    const json = await token({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', ...creds() }) });
    assert.equal(json.status, 200);
    const q = new URLSearchParams({ grant_type: 'client_credentials', ...creds() });
    const query = await token({ method: 'POST' }, `${sb.tokenUrl}?${q.toString()}`);
    assert.equal(query.status, 200);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const { status, body } = await token(form({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: 'nope' }));
    assert.equal(status, 401);
    assert.equal(body['error'], 'invalid_client');
  });

  it('runs the authorization-code flow through the authorize page; codes are single-use', async () => {
    const user = [...sb.store.mailbox.users.values()][2];
    assert.ok(user);
    const redirect = await authorize({ user_id: String(user.id) });
    assert.equal(`${redirect.origin}${redirect.pathname}`, sb.credentials.redirectUri);
    assert.equal(redirect.searchParams.get('state'), 'st-123');
    const code = redirect.searchParams.get('code') ?? '';
    assert.ok(code.length > 10);

    const callback = await fetch(redirect);
    assert.ok((await callback.text()).includes(code), 'the demo callback page shows the code');

    const { status, body } = await token(form({ grant_type: 'authorization_code', code, ...creds() }));
    assert.equal(status, 200);
    assert.equal(typeof body['refresh_token'], 'string');
    const r = await me(String(body['access_token']));
    assert.equal((await r.json() as Json)['id'], user.id, 'the token acts as the user who authorized');

    const again = await token(form({ grant_type: 'authorization_code', code, ...creds() }));
    assert.equal(again.status, 400);
    assert.equal(again.body['error'], 'invalid_grant');
  });

  it('redirects with error=access_denied when the user denies', async () => {
    const page = await fetch(sb.authorizeUrl, { ...form({ client_id: sb.credentials.clientId, state: 's9', decision: 'deny' }), redirect: 'manual' });
    assert.equal(page.status, 302);
    const loc = new URL(page.headers.get('location') ?? '');
    assert.equal(loc.searchParams.get('error'), 'access_denied');
    assert.equal(loc.searchParams.get('state'), 's9');
    assert.equal(loc.searchParams.get('code'), null);
  });

  it('shows an error page for an unknown client_id', async () => {
    const r = await fetch(`${sb.authorizeUrl}?client_id=unknown`);
    assert.equal(r.status, 400);
    assert.match(await r.text(), /Unknown application/);
  });

  it('rotates refresh tokens, kills the previous access token and refuses a reused refresh token', async () => {
    const redirect = await authorize();
    const first = (await token(form({ grant_type: 'authorization_code', code: redirect.searchParams.get('code') ?? '', ...creds() }))).body;
    const second = await token(form({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']), ...creds() }));
    assert.equal(second.status, 200);
    assert.notEqual(second.body['refresh_token'], first['refresh_token']);
    assert.notEqual(second.body['access_token'], first['access_token']);
    assert.equal((await me(String(first['access_token']))).status, 401, 'the old access token is dead');
    assert.equal((await me(String(second.body['access_token']))).status, 200);
    const reused = await token(form({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']), ...creds() }));
    assert.equal(reused.status, 400);
    assert.equal(reused.body['error'], 'invalid_grant');
  });

  it('expires tokens per tokenLifetimeSeconds and on expireTokens()', async () => {
    sb.knobs.set({ tokenLifetimeSeconds: 0 });
    const dead = (await token(form({ grant_type: 'client_credentials', ...creds() }))).body;
    assert.equal(dead['expires_in'], 0);
    const r = await me(String(dead['access_token']));
    assert.equal(r.status, 401);
    assert.match(String((await r.json() as Json)['message']), /expired/i);

    sb.knobs.reset();
    const live = (await token(form({ grant_type: 'client_credentials', ...creds() }))).body;
    assert.equal((await me(String(live['access_token']))).status, 200);
    assert.ok(sb.expireTokens() > 0);
    assert.equal((await me(String(live['access_token']))).status, 401);
    assert.equal((await me(sb.credentials.accessToken)).status, 200, 'the demo token never expires');
  });

  it('answers 401 with a vnd.error body for a missing or bad token', async () => {
    for (const headers of [{}, { Authorization: 'Bearer 0000' }, { Authorization: 'Basic abc' }]) {
      const r = await fetch(`${sb.mailboxBaseUrl}/mailboxes`, { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('content-type'), 'application/vnd.error+json');
      const body = await r.json() as Json;
      assert.equal(typeof body['logRef'], 'string');
      assert.equal(typeof body['message'], 'string');
    }
  });
});
