// Events that mean one thing: a token renewal (here or in another window) costs no request and
// refreshes nothing, while a change of account reloads what belongs to it. And the one command
// registration point: arguments are checked before any handler runs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { HelpScoutTestApi } from '../../src/extension/extension';
import { clearLog, sandboxInfo, sandboxLog, testApi } from './env';

interface Creds { clientId: string; clientSecret: string; accessToken: string; docsApiKey: string }

describe('connection events', function () {
  this.timeout(90_000);
  let api: HelpScoutTestApi;
  let creds: Creds;
  const refreshes: string[] = [];
  const subs: vscode.Disposable[] = [];

  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('helpscout');
  const storedSession = (): Promise<Record<string, unknown> | undefined> =>
    api.services.secrets.getJson('helpscout.session', z.record(z.string(), z.unknown()));

  /** Loads the first level of every tree, so a reload would have something to redo. */
  async function loadTrees(): Promise<void> {
    for (const m of [api.views.mailboxes, api.views.docs, api.views.customers]) await m.children(undefined);
  }

  before(async () => {
    api = await testApi();
    creds = (await sandboxInfo())['credentials'] as Creds;
    await config().update('oauth.clientId', creds.clientId, vscode.ConfigurationTarget.Global);
    for (let i = 0; i < 50 && api.services.settings.clientId !== creds.clientId; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await vscode.commands.executeCommand('helpscout.setClientSecret', creds.clientSecret), true);
    await api.services.secrets.store('helpscout.docs.apiKey', creds.docsApiKey);
    const r = await vscode.commands.executeCommand<{ ok: boolean }>('helpscout.signIn', { grant: 'clientCredentials' });
    assert.equal(r?.ok, true, 'client-credentials sign-in failed');
    for (const [name, m] of Object.entries({ mailboxes: api.views.mailboxes, docs: api.views.docs, customers: api.views.customers })) {
      subs.push(m.onDidChange(() => refreshes.push(name)));
    }
  });

  after(async () => {
    for (const s of subs) s.dispose();
    await vscode.commands.executeCommand('helpscout.signOut');
    await config().update('oauth.clientId', undefined, vscode.ConfigurationTarget.Global);
    await api.services.secrets.delete('helpscout.oauth.clientSecret');
  });

  it('a token renewal in this window makes no API request and refreshes no tree; queries keep their cache', async () => {
    await loadTrees();
    const sql = 'SELECT Id, Name FROM Mailboxes';
    await vscode.commands.executeCommand('helpscout.query.run', sql);
    await clearLog();
    refreshes.length = 0;
    const before = await storedSession();
    assert.ok(before, 'not signed in');

    // What a 401 does: the provider renews the token (client credentials get a new one).
    const renewed = await api.auth.provider.onUnauthorized({ Authorization: `Bearer ${String(before['accessToken'])}` });
    assert.equal(renewed, true, 'the token was not renewed');
    const after = await storedSession();
    assert.notEqual(after?.['accessToken'], before['accessToken'], 'the stored token did not change');
    assert.equal(after?.['id'], before['id'], 'a renewal must keep the session');
    await new Promise((r) => setTimeout(r, 1500)); // anything a listener would start has started

    const log = (await sandboxLog({})).filter((e) => e.api !== 'control');
    assert.deepEqual(log.map((e) => `${e.method} ${e.path}`), ['POST /v2/oauth2/token'], 'only the token request');
    assert.deepEqual(refreshes, [], 'no tree refreshed');

    // The SQL cache survived: the same statement costs nothing.
    await vscode.commands.executeCommand('helpscout.query.run', sql);
    assert.equal((await sandboxLog({ api: 'mailbox' })).length, 0, 'the query cache was dropped by a renewal');
  });

  it('a renewal in another window (same session, new tokens in secret storage) makes no request and refreshes nothing', async () => {
    await loadTrees();
    const current = await storedSession();
    assert.ok(current);
    // The other window got a fresh token from Help Scout and stored it.
    const res = await fetch(`${String((await sandboxInfo())['mailboxBaseUrl']).replace(/\/$/, '')}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret }).toString(),
    });
    assert.equal(res.status, 200);
    const token = (await res.json()) as { access_token: string; expires_in: number };
    await clearLog();
    refreshes.length = 0;
    await api.services.secrets.store('helpscout.session', JSON.stringify({
      ...current, accessToken: token.access_token, obtainedAt: Date.now(), expiresAt: Date.now() + token.expires_in * 1000,
    }));
    for (let i = 0; i < 100 && api.auth.provider.session?.accessToken !== token.access_token; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(api.auth.provider.session?.accessToken, token.access_token, 'the other window\'s token was not adopted');
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual((await sandboxLog({})).filter((e) => e.api !== 'control'), []);
    assert.deepEqual(refreshes, []);
    // and the adopted token works
    assert.ok((await api.services.mailbox().me()).id > 0);
  });

  it('a change of account reloads the Mailbox trees but not the Docs tree', async () => {
    await loadTrees();
    refreshes.length = 0;
    await vscode.commands.executeCommand('helpscout.signOut');
    assert.deepEqual([...new Set(refreshes)].sort(), ['customers', 'mailboxes']);
    refreshes.length = 0;
    await vscode.commands.executeCommand('helpscout.signIn', { grant: 'clientCredentials' });
    assert.deepEqual([...new Set(refreshes)].sort(), ['customers', 'mailboxes']);
  });

  it('another Docs key reloads the Docs tree only; storing the same key again reloads nothing', async () => {
    await loadTrees();
    refreshes.length = 0;
    await api.services.secrets.store('helpscout.docs.apiKey', creds.docsApiKey);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(refreshes, [], 'the same key is the same account');
    await api.services.secrets.delete('helpscout.docs.apiKey');
    for (let i = 0; i < 50 && refreshes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([...new Set(refreshes)], ['docs']);
    await api.services.secrets.store('helpscout.docs.apiKey', creds.docsApiKey);
  });
});

describe('command registration point', function () {
  this.timeout(30_000);
  let api: HelpScoutTestApi;

  before(async () => {
    api = await testApi();
  });

  it('checks arguments before the handler runs: a wrong type changes nothing', async () => {
    await vscode.commands.executeCommand('helpscout.customers.clearSearch');
    assert.equal(api.views.customers.search, undefined);
    assert.equal(await vscode.commands.executeCommand('helpscout.customers.search', 42), undefined);
    assert.equal(api.views.customers.search, undefined, 'the handler ran with an argument of the wrong type');
    await vscode.commands.executeCommand('helpscout.customers.search', 'jane');
    assert.equal(api.views.customers.search, 'jane');
    await vscode.commands.executeCommand('helpscout.customers.clearSearch');
  });

  it('refuses a status the API does not know before any request', async () => {
    await clearLog();
    const r = await vscode.commands.executeCommand('helpscout.conversation.setStatus', { conversationId: 1 }, 'archived');
    assert.equal(r, undefined);
    assert.deepEqual((await sandboxLog({ api: 'mailbox' })).map((e) => `${e.method} ${e.path}`), []);
  });

  it('registers no internal command', async () => {
    const ours = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('helpscout.'));
    assert.deepEqual(ours.filter((c) => /internal|historyEntries/i.test(c)), []);
  });
});
