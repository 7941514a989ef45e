// Browsing Help Scout in the real workbench: connect as a user would (access token, Docs API
// key), walk Mailboxes → folder → conversation, read the hostile-HTML conversation (it must
// render inert), close it and see it move to Closed, browse Docs to an article, search
// customers. Screenshots of each step go to artifacts/screenshots/browse-*.png.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { e2e } from './helpers/hooks';
import { expandView, openViewContainer, openWorkbench, runCommand, screenshot, treeItem, viewPane, webviewFrame } from './helpers/workbench';

const HOSTILE = 'Security test: hostile HTML';

function credentials(): { accessToken: string; docsApiKey: string } {
  const info = e2e().sandbox?.info as { credentials?: { accessToken?: string; docsApiKey?: string } } | undefined;
  const c = info?.credentials;
  assert.ok(c?.accessToken && c.docsApiKey, 'the sandbox printed no demo credentials');
  return { accessToken: c.accessToken, docsApiKey: c.docsApiKey };
}

/** Types into the quick input that a command opened and presses Enter. */
async function answer(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
}

/** Rows of a view at one depth of the tree (1 = top level). */
function rows(page: Page, view: string, level: number): Locator {
  return viewPane(page, view).locator(`.monaco-list-row[aria-level="${level}"]`);
}

/** Collapses a view (pane) so the others get its height. */
async function collapseView(page: Page, name: string): Promise<void> {
  const header = viewPane(page, name).locator('.pane-header');
  if ((await header.count()) > 0 && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

/** Clicks an expanded tree row to collapse it. */
async function collapse(row: Locator): Promise<void> {
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.click();
}

/** Clicks a tree row, expanding it unless it is expanded already. */
async function open(row: Locator): Promise<void> {
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
}

describe('browse Help Scout', function () {
  let page: Page;
  let frame: FrameLocator;

  before(async function () {
    page = await openWorkbench();
    this['page'] = page;
    await openViewContainer(page, 'Help Scout');
    const { accessToken, docsApiKey } = credentials();
    // Connect through the welcome views' links, the way a user without an OAuth app would.
    await page.locator('.part.sidebar .welcome-view-content a', { hasText: 'use an access token' }).first().click();
    await answer(page, accessToken);
    await page.locator('.part.sidebar .welcome-view-content a', { hasText: 'Set Docs API Key' }).first().click();
    await answer(page, docsApiKey);
    // Give the Mailboxes view the side bar's height: the tree lists 50 conversations per folder.
    for (const other of ['Docs', 'Customers', 'Queries']) await collapseView(page, other);
  });

  beforeEach(function () {
    this['page'] = page;
  });

  after(async () => {
    await page?.context().close();
  });

  it('walks from a mailbox to its folders and conversations', async () => {
    await open(rows(page, 'Mailboxes', 1).filter({ hasText: 'Support' }).first());
    await open(rows(page, 'Mailboxes', 2).filter({ hasText: /Unassigned\s*\d+ active \/ \d+/ }).first());
    const row = treeItem(page, 'Mailboxes', HOSTILE).first();
    // 50 rows per page: scroll the tree until the row shows, or use "Load more".
    for (let i = 0; i < 4 && !(await row.isVisible()); i++) {
      const more = treeItem(page, 'Mailboxes', 'Load more').first();
      if (await more.isVisible()) await more.click();
      await page.waitForTimeout(500);
    }
    await row.scrollIntoViewIfNeeded();
    await row.waitFor({ state: 'visible' });
    await row.hover();
    await screenshot(page, 'browse-mailboxes');
  });

  it('renders the hostile conversation inert', async () => {
    await treeItem(page, 'Mailboxes', HOSTILE).first().click();
    frame = webviewFrame(page);
    await frame.locator('h1', { hasText: HOSTILE }).waitFor({ state: 'visible', timeout: 30_000 });
    const body = frame.locator('.thread .body').first();
    await body.locator('a', { hasText: 'Click for your refund' }).waitFor({ state: 'visible' });
    assert.equal(await frame.locator('#app script').count(), 0, 'a script from the body reached the page');
    assert.equal(await frame.locator('.body iframe, .body form, .body svg, .body [onerror], .body [onload], .body [style]').count(), 0);
    assert.equal(await frame.locator('.body a[href^="javascript"]').count(), 0);
    assert.equal(await frame.locator('.body img[src^="http"]').count(), 0, 'a remote image loaded without consent');
    await frame.locator('.banner', { hasText: 'remote image' }).waitFor({ state: 'visible' });
    assert.notEqual(await page.title(), 'pwned');
    await screenshot(page, 'browse-conversation-hostile');
  });

  it('closes the conversation from the panel and sees it move to Closed', async () => {
    await frame.locator('button', { hasText: 'Status…' }).click();
    const closed = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Closed' }).first();
    await closed.waitFor({ state: 'visible' });
    await closed.click();
    await frame.locator('.status-closed', { hasText: 'Closed' }).waitFor({ state: 'visible', timeout: 30_000 });
    // The tree reloads the mailbox: the conversation leaves Unassigned and shows under Closed.
    await treeItem(page, 'Mailboxes', HOSTILE).first().waitFor({ state: 'hidden', timeout: 30_000 });
    await collapse(rows(page, 'Mailboxes', 2).filter({ hasText: /Unassigned\s*\d+ active/ }).first());
    await open(rows(page, 'Mailboxes', 2).filter({ hasText: /Closed\s*\d+ active/ }).first());
    await treeItem(page, 'Mailboxes', HOSTILE).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'browse-conversation-closed');
  });

  it('shows an ordinary conversation with its threads', async () => {
    await collapse(rows(page, 'Mailboxes', 2).filter({ hasText: /Closed\s*\d+ active/ }).first());
    await open(rows(page, 'Mailboxes', 2).filter({ hasText: /Assigned\s*\d+ active/ }).filter({ hasNotText: 'Unassigned' }).first());
    const row = rows(page, 'Mailboxes', 3).filter({ hasNotText: HOSTILE }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    const f = webviewFrame(page, 0);
    await f.locator('.thread').first().waitFor({ state: 'visible', timeout: 30_000 });
    await f.locator('textarea').fill('Looked into this: the sync job is fixed.');
    await screenshot(page, 'browse-conversation');
  });

  it('browses Docs down to an article and opens it', async () => {
    await page.keyboard.press('Escape');
    await page.locator('.part.editor').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    await runCommand(page, 'View: Close All Editors');
    await collapseView(page, 'Mailboxes');
    await expandView(page, 'Docs');
    await open(rows(page, 'Docs', 1).first()); // a site
    await open(rows(page, 'Docs', 2).first()); // a collection
    await open(rows(page, 'Docs', 3).first()); // a category
    const article = rows(page, 'Docs', 4).filter({ hasText: 'published' }).first();
    await article.waitFor({ state: 'visible', timeout: 30_000 });
    await article.click();
    await page.locator('.part.editor .monaco-editor .view-lines', { hasText: 'id:' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'browse-docs');
  });

  it('searches customers and shows their details', async () => {
    await runCommand(page, 'Help Scout: Search Customers…');
    await answer(page, 'a');
    await collapseView(page, 'Docs');
    await expandView(page, 'Customers');
    await open(rows(page, 'Customers', 1).first());
    await open(rows(page, 'Customers', 2).filter({ hasText: 'Recent conversations' }).first());
    await rows(page, 'Customers', 3).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'browse-customers');
  });
});
