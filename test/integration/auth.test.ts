// Connecting, inside a real VS Code against the sandbox: the `helpscout` authentication
// provider (created from VS Code's Accounts-menu path, read with getSession), the
// authorization-code grant through the URI handler and through the loopback listener, client
// credentials, refresh on 401 (one refresh for 20 concurrent requests), the OFF and REFRESH
// modes, a refused refresh ending the session once, the Docs key commands, importing a
// connection string, and no secret in settings.json, global state or the log.
//
// The test plays the user's browser: the internal `helpscout.internal.authTestHooks` command
// hands it the authorize URL instead of opening a browser; it submits the sandbox's authorize
// form with fetch and follows the redirect the way a browser would (the loopback listener), or
// delivers the callback to the extension's URI handler with env.asExternalUri + openExternal,
// which is what a desktop VS Code receives from the browser.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { HelpScoutTestApi } from '../../src/extension/extension';
import { testApi, extensionId, sandboxControl, sandboxInfo, sandboxLog, sandboxUrl } from './env';

type Api = HelpScoutTestApi;
interface Session { id: string; grant: string; initiateOAuth: string; accessToken: string; refreshToken?: string; account: { id: number; label: string } }
interface Outcome { ok: boolean; account?: string; grant?: string; error?: string }
interface HooksResult { globalState: [string, unknown][]; logUri: string; globalStorageUri: string }

const anySchema = z.unknown();
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('helpscout');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** What a person does on the sandbox's authorize page: press Authorize. Returns the redirect. */
async function authorize(authorizeUrl: string): Promise<URL> {
  const html = await (await fetch(authorizeUrl)).text();
  const action = /action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'the authorize page has a form');
  const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  const r = await fetch(new URL(action, sandboxUrl()), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, decision: 'allow' }).toString(),
    redirect: 'manual',
  });
  assert.equal(r.status, 302);
  return new URL(r.headers.get('location') ?? '');
}

/** Delivers `?query` to the extension's URI handler the way the browser does. */
async function deliverToUriHandler(query: string): Promise<void> {
  const uri = vscode.Uri.parse(`${vscode.env.uriScheme}://${extensionId}/auth-callback?${query}`);
  const external = await vscode.env.asExternalUri(uri);
  assert.ok(await vscode.env.openExternal(external), 'openExternal refused the callback URL');
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('connecting (auth)', function () {
  this.timeout(60_000);
  let api: Api;
  let creds: { clientId: string; clientSecret: string; docsApiKey: string; accessToken: string };
  const opened: string[] = [];
  let browser: (url: string) => Promise<void> = async () => undefined;

  const hooks = async (arg?: { browser: ((url: string) => unknown) | null }): Promise<HooksResult> => {
    if (arg) api.auth.setBrowser(arg.browser ?? undefined);
    return { globalState: api.auth.globalState(), logUri: api.auth.logUri, globalStorageUri: api.auth.globalStorageUri };
  };
  const session = async (): Promise<Session | undefined> => (await api.services.secrets.getJson('helpscout.session', anySchema)) as Session | undefined;
  const signIn = (args?: unknown): Thenable<Outcome> => vscode.commands.executeCommand<Outcome>('helpscout.signIn', args);
  const tokenPosts = async (): Promise<number> => (await sandboxLog({ method: 'POST', path: '/v2/oauth2/token' })).length;
  const defaults = { clientId: '', callbackUrl: '', initiateOAuth: 'GETANDREFRESH' };
  const setSetting = async (key: string, value: string | undefined, field?: 'clientId' | 'callbackUrl' | 'initiateOAuth'): Promise<void> => {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
    if (field) await until(`${key} to reach the extension`, () => api.services.settings[field] === (value ?? defaults[field]));
  };
  const loopback = async (): Promise<string> => {
    const url = `http://127.0.0.1:${await freePort()}/callback`;
    await sandboxControl('oauth-app', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ redirectUri: url }) });
    await setSetting('oauth.callbackUrl', url, 'callbackUrl');
    return url;
  };
  /** The browser follows the redirect to the loopback listener, which answers with a page. */
  const loopbackBrowser = async (url: string): Promise<void> => {
    const location = await authorize(url);
    const page = await fetch(location);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Signed in to Help Scout/);
  };

  before(async () => {
    api = await testApi();
    const info = await sandboxInfo();
    creds = info['credentials'] as typeof creds;
    await hooks({ browser: (url: string) => {
      opened.push(url);
      // Not awaited by the extension's flow beyond this call: the browser runs on its own.
      void browser(url).catch((err: unknown) => console.log(`[integration] test browser failed: ${String(err)}`));
    } });
    await setSetting('oauth.clientId', creds.clientId, 'clientId');
    assert.equal(await vscode.commands.executeCommand('helpscout.setClientSecret', creds.clientSecret), true);
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('helpscout.signOut');
    await setSetting('oauth.initiateOAuth', undefined, 'initiateOAuth');
    opened.length = 0;
    browser = async () => undefined;
    await sandboxControl('log', { method: 'DELETE' });
  });

  after(async () => {
    await vscode.commands.executeCommand('helpscout.signOut');
    await hooks({ browser: null });
    for (const key of ['oauth.clientId', 'oauth.callbackUrl', 'oauth.initiateOAuth', 'authScheme']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await api.services.secrets.delete('helpscout.oauth.clientSecret');
    await api.services.secrets.delete('helpscout.docs.apiKey');
  });

  it('creates a session from the Accounts menu (or the sign-in command where the host offers no entry) with the authorization code through the URI handler, and gets it with getSession', async () => {
    await setSetting('oauth.callbackUrl', undefined, 'callbackUrl');
    browser = async (url) => {
      const location = await authorize(url);
      // A callback whose state matches no sign-in is ignored, and the real one still completes it.
      await deliverToUriHandler(`code=forged&state=${'0'.repeat(32)}`);
      await deliverToUriHandler(location.search.slice(1));
    };
    // No session yet: a plain getSession puts "Sign in with Help Scout" in the Accounts menu.
    assert.equal(await vscode.authentication.getSession('helpscout', [], {}), undefined);
    const prefix = `helpscout:${extensionId}:signIn`;
    // The workbench adds the menu entry asynchronously after that getSession: wait for it.
    let menuCommand: string | undefined;
    for (let i = 0; i < 100 && !menuCommand; i++) {
      menuCommand = (await vscode.commands.getCommands(true)).find((c) => c.startsWith(prefix));
      if (!menuCommand) await new Promise((r) => setTimeout(r, 100));
    }
    if (menuCommand) {
      await vscode.commands.executeCommand(menuCommand); // what clicking the Accounts-menu entry runs
    } else {
      // Some hosts (seen with the packaged extension in code-server) add no menu entry for a
      // plain getSession; the sign-in command runs the same createSession.
      api.log.warn('[test] VS Code offered no Accounts-menu sign-in entry; signing in through helpscout.signIn');
      await vscode.commands.executeCommand('helpscout.signIn', { grant: 'authorizationCode' });
    }

    assert.equal(opened.length, 1);
    const authorizeUrl = new URL(opened[0] ?? '');
    assert.equal(authorizeUrl.searchParams.get('client_id'), creds.clientId);
    assert.match(authorizeUrl.searchParams.get('state') ?? '', /^[0-9a-f]{32}$/);
    const stored = await session();
    assert.ok(stored, 'the session is stored');
    assert.equal(stored.grant, 'authorizationCode');
    assert.ok(stored.refreshToken);
    const me = await api.services.mailbox().me();
    if (menuCommand) {
      // VS Code grants the requesting extension access when the session comes from its menu entry;
      // after our own command it would ask the user first, so a silent getSession is checked only here.
      const got = await vscode.authentication.getSession('helpscout', [], { silent: true });
      assert.ok(got, 'getSession returns the new session');
      assert.equal(got.accessToken, stored.accessToken);
      assert.equal(got.account.id, String(me.id));
      assert.equal(got.account.label, `${me.firstName ?? ''} ${me.lastName ?? ''}`.trim());
    } else {
      assert.equal(stored.account.id, me.id);
      assert.equal(stored.account.label, `${me.firstName ?? ''} ${me.lastName ?? ''}`.trim());
    }
    assert.equal(await tokenPosts(), 1, 'one code exchange');
    assert.equal((await sandboxLog({ method: 'GET', path: '/v2/users/me' })).filter((e) => e.status === 200).length >= 1, true);
    // The forged callback was logged and ignored.
    const text = logText(await hooks());
    assert.match(text, /ignored a sign-in callback whose state matches no sign-in/);

    // Removing it (the Accounts menu's sign-out calls removeSession; our command does the same).
    assert.equal(await vscode.commands.executeCommand('helpscout.signOut'), true);
    assert.equal(await session(), undefined);
    assert.equal(await vscode.authentication.getSession('helpscout', [], { silent: true }), undefined);
  });

  it('signs in through the loopback listener when the callback URL is a loopback URL', async () => {
    await loopback();
    browser = loopbackBrowser;
    const r = await signIn({ grant: 'authorizationCode' });
    assert.equal(r.ok, true, r.error);
    assert.equal(r.grant, 'authorizationCode');
    assert.equal(opened.length, 1);
    const s = await session();
    assert.ok(s?.refreshToken);
    assert.equal(await tokenPosts(), 1);
  });

  it('signs in with client credentials without a browser, and says so when the App secret is wrong', async () => {
    const r = await signIn({ grant: 'clientCredentials' });
    assert.equal(r.ok, true, r.error);
    assert.equal(opened.length, 0, 'no browser');
    const s = await session();
    assert.equal(s?.grant, 'clientCredentials');
    assert.equal(s.refreshToken, undefined);
    assert.equal((await api.services.mailbox().me()).id, s.account.id);

    await vscode.commands.executeCommand('helpscout.signOut');
    await vscode.commands.executeCommand('helpscout.setClientSecret', 'wrong-secret');
    try {
      const bad = await signIn({ grant: 'clientCredentials' });
      assert.deepEqual(bad, { ok: false, error: 'OAuthError:invalid_client' });
      assert.equal(await session(), undefined);
    } finally {
      await vscode.commands.executeCommand('helpscout.setClientSecret', creds.clientSecret);
    }
  });

  it('refreshes once for 20 concurrent 401s and stores the rotated refresh token before using it', async () => {
    await loopback();
    browser = loopbackBrowser;
    assert.equal((await signIn({ grant: 'authorizationCode' })).ok, true);
    const before = await session();
    assert.ok(before?.refreshToken);
    await sandboxControl('expire-tokens', { method: 'POST' });
    await sandboxControl('log', { method: 'DELETE' });
    const users = await Promise.all(Array.from({ length: 20 }, () => api.services.mailbox().me()));
    assert.ok(users.every((u) => u.id === before.account.id));
    assert.equal(await tokenPosts(), 1, 'exactly one refresh request for all twenty');
    // The governor caps concurrency: requests that start after the refresh already carry the new
    // token, so how many met a 401 depends on timing; every one that did shared the one refresh.
    const unauthorized = (await sandboxLog({ method: 'GET', path: '/v2/users/me' })).filter((e) => e.status === 401).length;
    assert.ok(unauthorized >= 1 && unauthorized <= 20, `${unauthorized} requests got a 401`);
    const after = await session();
    assert.ok(after?.refreshToken);
    assert.notEqual(after.refreshToken, before.refreshToken, 'the rotated refresh token is stored');
    assert.notEqual(after.accessToken, before.accessToken);
    assert.equal(after.id, before.id, 'same session, renewed');
  });

  it('ends the session once when Help Scout refuses the refresh, and asks no more', async () => {
    await loopback();
    browser = loopbackBrowser;
    assert.equal((await signIn({ grant: 'authorizationCode' })).ok, true);
    const s = await session();
    // Someone else uses our refresh token: Help Scout rotates it, ours is dead.
    const stolen = await fetch(`${sandboxUrl()}/v2/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: s?.refreshToken ?? '', client_id: creds.clientId, client_secret: creds.clientSecret }).toString(),
    });
    assert.equal(stolen.status, 200);
    await sandboxControl('log', { method: 'DELETE' });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => api.services.mailbox().me()));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.equal(await tokenPosts(), 1, 'one refused refresh, not one per request');
    await until('the session to be removed', async () => (await session()) === undefined);
    await assert.rejects(api.services.mailbox().me(), (e: Error) => e.name === 'NotConnectedError');
    assert.equal(await tokenPosts(), 1);
    assert.equal((logText(await hooks()).match(/session ended: refreshRefused/g) ?? []).length, 1);
  });

  it('InitiateOAuth=OFF uses the supplied access token, never refreshes, and ends when it expires', async () => {
    const issued = await fetch(`${sandboxUrl()}/v2/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret }).toString(),
    });
    const token = ((await issued.json()) as { access_token: string }).access_token;
    const r = await signIn({ accessToken: token });
    assert.equal(r.ok, true, r.error);
    const s = await session();
    assert.equal(s?.initiateOAuth, 'OFF');
    assert.equal(s.grant, 'accessToken');
    await api.services.mailbox().me();
    await sandboxControl('expire-tokens', { method: 'POST' });
    await sandboxControl('log', { method: 'DELETE' });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => api.services.mailbox().me()));
    assert.ok(results.every((x) => x.status === 'rejected'));
    assert.equal(await tokenPosts(), 0, 'OFF never refreshes');
    await until('the session to be removed', async () => (await session()) === undefined);
    assert.equal((logText(await hooks()).match(/session ended: expiredNoRefresh/g) ?? []).length, 1);

    const bad = await signIn({ accessToken: 'not-a-token' });
    assert.equal(bad.ok, false);
    assert.equal(await session(), undefined);
  });

  it('InitiateOAuth=REFRESH exchanges the supplied refresh token', async () => {
    await loopback();
    browser = loopbackBrowser;
    assert.equal((await signIn({ grant: 'authorizationCode' })).ok, true);
    const first = await session();
    await vscode.commands.executeCommand('helpscout.signOut');
    await sandboxControl('log', { method: 'DELETE' });
    const r = await signIn({ refreshToken: first?.refreshToken });
    assert.equal(r.ok, true, r.error);
    const s = await session();
    assert.equal(s?.initiateOAuth, 'REFRESH');
    assert.notEqual(s.refreshToken, first?.refreshToken);
    assert.equal(await tokenPosts(), 1);
  });

  it('sets, tests and clears the Docs API key', async () => {
    const bad = await vscode.commands.executeCommand<{ ok: boolean }>('helpscout.setDocsApiKey', 'not-the-key');
    assert.equal(bad.ok, false);
    assert.equal(await api.services.hasDocsKey(), false, 'a refused key is not saved');
    const good = await vscode.commands.executeCommand<{ ok: boolean; sites: string[] }>('helpscout.setDocsApiKey', creds.docsApiKey);
    assert.equal(good.ok, true);
    const sites = (await sandboxControl('store/docs/sites')) as { count: number };
    assert.equal(good.sites.length, sites.count);
    const tested = await vscode.commands.executeCommand<{ ok: boolean; sites: string[] }>('helpscout.testDocsApiKey');
    assert.deepEqual(tested.sites, good.sites);
    assert.ok((await sandboxLog({ api: 'docs', path: '/v1/sites' })).length >= 3);
    await vscode.commands.executeCommand('helpscout.clearDocsApiKey');
    assert.equal(await api.services.hasDocsKey(), false);
  });

  it('imports a connection string of the seed\'s form, puts each value in its place and signs in', async () => {
    await config().update('oauth.clientId', undefined, vscode.ConfigurationTarget.Global);
    await api.services.secrets.delete('helpscout.oauth.clientSecret');
    const port = await freePort();
    const callbackUrl = `http://127.0.0.1:${port}/callback`;
    await sandboxControl('oauth-app', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ redirectUri: callbackUrl }) });
    browser = loopbackBrowser;
    const text = `Profile=C:\\profiles\\HelpScout.apip;Authscheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=${creds.clientId};` +
      `OAuthClientSecret='${creds.clientSecret}';CallbackUrl=${callbackUrl};ProfileSettings='APIKey=${creds.docsApiKey}';Timeout=30;`;
    const r = await vscode.commands.executeCommand<{ applied: string[]; unknownKeys: string[]; problems: string[]; signIn?: Outcome }>('helpscout.importConnectionString', text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.unknownKeys, ['Timeout']);
    assert.deepEqual(r.applied, ['AuthScheme', 'InitiateOAuth', 'OAuthClientId', 'CallbackURL', 'OAuthClientSecret', 'APIKey']);
    assert.equal(r.signIn?.ok, true, r.signIn?.error);
    assert.equal(config().get('oauth.clientId'), creds.clientId);
    assert.equal(config().get('oauth.callbackUrl'), callbackUrl);
    assert.equal(await api.services.hasDocsKey(), true);
    assert.equal((await session())?.grant, 'authorizationCode');

    const malformed = await vscode.commands.executeCommand<{ applied: string[]; problems: string[] }>('helpscout.importConnectionString', "InitiateOAuth=SOMETIMES;OAuthClientId=x;ProfileSettings='APIKey=abc");
    assert.deepEqual(malformed.applied, []);
    assert.equal(malformed.problems.length, 2);
    assert.equal(config().get('oauth.clientId'), creds.clientId, 'nothing applied from a malformed string');
  });

  it('keeps secrets out of settings.json, global state and the log', async () => {
    await loopback();
    browser = loopbackBrowser;
    assert.equal((await signIn({ grant: 'authorizationCode' })).ok, true);
    await sandboxControl('expire-tokens', { method: 'POST' });
    await api.services.mailbox().me(); // a refresh, so rotated tokens are covered too
    await vscode.commands.executeCommand('helpscout.setDocsApiKey', creds.docsApiKey);
    const s = await session();
    const secrets = [s?.accessToken, s?.refreshToken, creds.clientSecret, creds.docsApiKey];
    assert.ok(secrets.every((x) => typeof x === 'string' && x.length >= 16));

    const h = await hooks();
    const userDir = join(vscode.Uri.parse(h.globalStorageUri).fsPath, '..', '..');
    const settingsFile = join(userDir, 'settings.json');
    assert.ok(existsSync(settingsFile), `no settings.json at ${settingsFile}`);
    const settingsText = readFileSync(settingsFile, 'utf8');
    assert.ok(settingsText.includes(creds.clientId), 'settings.json holds the App ID (not secret)');
    const state = JSON.stringify(h.globalState);
    const logs = logText(h);
    assert.match(logs, /\[auth\] signed in to the Mailbox API/);
    for (const secret of secrets) {
      assert.ok(!settingsText.includes(secret ?? ''), 'a secret is in settings.json');
      assert.ok(!state.includes(secret ?? ''), 'a secret is in global state');
      assert.ok(!logs.includes(secret ?? ''), 'a secret is in the log');
    }
  });

  it('follows a session stored by another window', async () => {
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'helpscout') {
          sub.dispose();
          resolve();
        }
      });
    });
    const other: Session & { version: 1 } = {
      version: 1, id: 'other-window', grant: 'accessToken', initiateOAuth: 'OFF', accessToken: creds.accessToken, account: { id: 1, label: 'Other Window' },
    };
    await api.services.secrets.store('helpscout.session', JSON.stringify(other));
    await changed;
    await until('the other window\'s session to be used', async () => {
      try {
        await api.services.mailbox().me();
        return true;
      } catch {
        return false;
      }
    });
    assert.equal(await vscode.commands.executeCommand('helpscout.signOut'), true);
    assert.equal(await session(), undefined);
  });
});

/** Every log file of this extension host (the output channel's file is among them). */
function logText(h: HooksResult): string {
  const exthost = join(vscode.Uri.parse(h.logUri).fsPath, '..');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.log')) out.push(readFileSync(p, 'utf8'));
    }
  };
  if (existsSync(exthost)) walk(exthost);
  return out.join('\n');
}
