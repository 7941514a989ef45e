// Connecting as a user does it, in the real workbench: the welcome views offer each way to
// connect; "Help Scout: Import Connection String" takes a connection string typed into the
// input box, opens the sandbox's authorize page in a new browser tab, the user presses
// Authorize, the loopback listener answers, and the status bar shows the account and both
// APIs connected. Signs out and clears the key at the end, so later files start signed out.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { e2e } from './helpers/hooks';
import { openViewContainer, openWorkbench, runCommand, screenshot } from './helpers/workbench';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const statusItem = (page: Page) => page.locator('.part.statusbar [id="helpscout-tools.helpscout-vscode.helpscout.connection"]');

describe('connecting (auth)', function () {
  let page: Page;

  // code-server rewrites links to other loopback ports into its /proxy/<port>/ route and drops
  // their path, so the sandbox's authorize page is addressed as sandbox.localhost (the browser
  // resolves every *.localhost name to loopback), as a real Help Scout host would not be rewritten.
  let settingsFile = '';
  let originalSettings = '';

  before(async function () {
    settingsFile = join(dirname(e2e().server.workspace), 'user-data/User/settings.json');
    originalSettings = readFileSync(settingsFile, 'utf8');
    const settings = JSON.parse(originalSettings) as Record<string, unknown>;
    const authorizeUrl = new URL(String(settings['helpscout.oauth.authorizeUrl']));
    authorizeUrl.hostname = 'sandbox.localhost';
    settings['helpscout.oauth.authorizeUrl'] = authorizeUrl.toString();
    writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    page = await openWorkbench();
    this['page'] = page;
  });

  beforeEach(function () {
    this['page'] = page;
  });

  after(async () => {
    if (page && !page.isClosed()) {
      await runCommand(page, 'Help Scout: Sign Out of the Mailbox API').catch(() => undefined);
      await runCommand(page, 'Help Scout: Clear Docs API Key').catch(() => undefined);
      await page.context().close();
    }
    if (originalSettings) {
      // Back to the launcher's settings, minus what the import wrote (App ID, callback URL).
      writeFileSync(settingsFile, originalSettings);
    }
  });

  it('shows a welcome view with a button for each way to connect, and a signed-out status bar item', async () => {
    const sidebar = await openViewContainer(page, 'Help Scout');
    const welcome = sidebar.locator('.welcome-view-content').first();
    await welcome.waitFor({ state: 'visible' });
    for (const button of ['Sign In with the Browser', 'Sign In with App Credentials', 'Import Connection String']) {
      await welcome.locator('.monaco-button', { hasText: button }).first().waitFor({ state: 'visible' });
    }
    await sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Set Docs API Key' }).waitFor({ state: 'visible' });
    await statusItem(page).filter({ hasText: 'not signed in' }).waitFor({ state: 'visible' });
    await screenshot(page, 'auth-welcome');
  });

  it('imports a connection string, signs in in the browser and shows the account in the status bar', async () => {
    const sandbox = e2e().sandbox;
    assert.ok(sandbox, 'the sandbox is running');
    const creds = sandbox.info.credentials as { clientId: string; clientSecret: string; docsApiKey: string };
    const callbackUrl = `http://127.0.0.1:${await freePort()}/callback`;
    const put = await fetch(`${sandbox.info.baseUrl}/__sandbox/oauth-app`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirectUri: callbackUrl }),
    });
    assert.equal(put.status, 200);

    // Through the palette, without runCommand: this command keeps the quick input open for its box.
    const input = page.locator('.quick-input-widget input.input');
    await page.locator('.part.editor').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Help Scout: Import Connection String');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Import Connection String' }).first().waitFor({ state: 'visible' });
    await input.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Help Scout connection string' }).waitFor({ state: 'visible' });
    const popup = page.context().waitForEvent('page', { timeout: 30_000 });
    await input.fill(`AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=${creds.clientId};OAuthClientSecret=${creds.clientSecret};CallbackUrl=${callbackUrl};ProfileSettings='APIKey=${creds.docsApiKey}';`);
    await input.press('Enter');

    // VS Code asks before opening an external website (as it would for Help Scout's real page).
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'open the external website' });
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /sandbox\.localhost:\d+\/authentication\/authorizeClientApplication/);
    await screenshot(page, 'auth-open-authorize-page');
    await dialog.locator('.monaco-button', { hasText: /^Open$/ }).click();
    // The extension opened the authorize page in a new tab: press Authorize there.
    const authorizePage = await popup;
    assert.match(authorizePage.url(), /^http:\/\/sandbox\.localhost:\d+\/authentication\/authorizeClientApplication\?client_id=/);
    await authorizePage.locator('#authorize').waitFor({ state: 'visible' });
    await screenshot(authorizePage, 'auth-authorize-page');
    await authorizePage.locator('#authorize').click();
    await authorizePage.locator('h1', { hasText: 'Signed in to Help Scout' }).waitFor({ state: 'visible' });
    await authorizePage.close();

    const item = statusItem(page);
    await item.filter({ hasText: 'Mailbox' }).filter({ hasNotText: 'not signed in' }).waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
    assert.doesNotMatch(text, /not signed in/);
    // Both indicators are the "connected" icon.
    assert.equal(await item.locator('.codicon-pass').count(), 2, `status bar: ${text}`);
    await screenshot(page, 'auth-signed-in-status-bar');
    await item.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Mailbox API: signed in as' });
    await hover.waitFor({ state: 'visible' });
    assert.match(await hover.innerText(), /InitiateOAuth: GETANDREFRESH/);
    await screenshot(page, 'auth-status-tooltip');
  });
});
