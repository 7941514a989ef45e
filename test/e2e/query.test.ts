// Querying Help Scout in the real workbench, as a user would: open a .hsql file
// from the Queries view, get completions, run a join of Conversations and
// Customers with Ctrl+Enter, read the grid in the results webview, sort a
// column, export CSV through the save dialog, and find the run in the history.
// The grid and the exported file are compared with the engine's own output for
// the same statement (core runSql against the same sandbox). Screenshots go to
// artifacts/screenshots/query-*.png.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { HttpClient } from '../../src/core/http/client';
import type { Cell } from '../../src/core/protocol/results';
import { ResponseCache, runSql, SqlEngine, SqlFetcher } from '../../src/core/sql';
import { exportChunks } from '../../src/core/results/format';
import { compareCells } from '../../src/core/results/store';
import { e2e } from './helpers/hooks';
import { openViewContainer, openWorkbench, screenshot, treeItem, viewHeader, waitForProgress, webviewFrame } from './helpers/workbench';

const JOIN = `SELECT c.Number, c.Subject, c.Status, cu.FirstName, cu.LastName, cu.Email
FROM Conversations c
JOIN Customers cu ON cu.Id = c.CustomerId
WHERE c.Status = 'active'
ORDER BY c.Number
LIMIT 200`;

const FILE = `-- Active conversations with their customers
${JOIN};
`;

function credentials(): { accessToken: string; docsApiKey: string; mailboxBaseUrl: string } {
  const info = e2e().sandbox?.info as { mailboxBaseUrl?: string; credentials?: { accessToken?: string; docsApiKey?: string } } | undefined;
  const c = info?.credentials;
  assert.ok(c?.accessToken && c.docsApiKey && info?.mailboxBaseUrl, 'the sandbox printed no demo credentials');
  return { accessToken: c.accessToken, docsApiKey: c.docsApiKey, mailboxBaseUrl: info.mailboxBaseUrl };
}

/** The engine's answer for a statement, fetched from the same sandbox outside VS Code. */
async function engineOutput(sql: string): Promise<{ columns: string[]; rows: Cell[][] }> {
  const { accessToken, mailboxBaseUrl } = credentials();
  const http = new HttpClient({ baseUrl: mailboxBaseUrl, fetch: (u, i) => globalThis.fetch(u, i), authHeaders: async () => ({ Authorization: `Bearer ${accessToken}` }) });
  const engine = new SqlEngine();
  try {
    const r = await runSql(sql, { fetcher: new SqlFetcher({ mailbox: http, cache: new ResponseCache({ ttlMs: 0 }) }), engine });
    return { columns: [...r.columns], rows: r.rows.map((row) => row.map((v) => (v instanceof Uint8Array ? null : v))) };
  } finally {
    engine.dispose();
  }
}

/** What the grid shows for a value. */
const shown = (v: Cell): string => (v === null ? 'NULL' : String(v).replace(/\r?\n/g, ' ⏎ '));

async function answer(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
}

/** Texts of the visible grid rows, in view order. */
async function gridRows(frame: FrameLocator, count: number): Promise<string[][]> {
  const out: string[][] = [];
  for (let i = 0; i < count; i++) {
    const row = frame.locator(`.row[data-row="${i}"]:not(.loading)`);
    await row.waitFor({ state: 'visible' });
    out.push(await row.locator('.cell').allTextContents());
  }
  return out;
}

describe('query Help Scout', function () {
  let page: Page;
  let frame: FrameLocator;
  let expected: { columns: string[]; rows: Cell[][] };

  before(async function () {
    writeFileSync(join(e2e().server.workspace, 'active-conversations.hsql'), FILE);
    expected = await engineOutput(JOIN);
    assert.ok(expected.rows.length > 10, 'the join returns too few rows to test with');
    page = await openWorkbench();
    this['page'] = page;
    await openViewContainer(page, 'Help Scout');
    await waitForProgress(page, '.part.sidebar');
    const { accessToken, docsApiKey } = credentials();
    // Connect through the welcome links when not connected yet. Wait until the view shows either
    // the link or the connected tree: right after opening, it may still be loading.
    const tokenLink = page.locator('.part.sidebar .welcome-view-content a', { hasText: 'use an access token' }).first();
    await tokenLink.or(treeItem(page, 'Mailboxes', 'Support').first()).first().waitFor({ state: 'visible', timeout: 30_000 });
    if (await tokenLink.isVisible()) {
      await tokenLink.click();
      await answer(page, accessToken);
      await treeItem(page, 'Mailboxes', 'Support').first().waitFor({ state: 'visible', timeout: 30_000 });
    }
    // The queries here read only the Mailbox API; set the Docs key too when its link shows.
    const keyLink = page.locator('.part.sidebar .welcome-view-content a', { hasText: 'Set Docs API Key' }).first();
    if (await keyLink.isVisible()) {
      await keyLink.click();
      await answer(page, docsApiKey);
    }
  });

  beforeEach(function () {
    this['page'] = page;
  });

  after(async () => {
    await page?.context().close();
  });

  it('opens a .hsql file from the Queries view and completes table names', async () => {
    const header = viewHeader(page, 'Queries');
    await header.scrollIntoViewIfNeeded();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const files = treeItem(page, 'Queries', 'Workspace Files').first();
    await files.waitFor({ state: 'visible' });
    if ((await files.getAttribute('aria-expanded')) !== 'true') await files.click();
    await treeItem(page, 'Queries', 'active-conversations.hsql').first().click();
    const editor = page.locator('.part.editor .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'Active conversations' }).waitFor({ state: 'visible' });
    // The CodeLens above the statement.
    await page.locator('.part.editor .codelens-decoration', { hasText: 'Run' }).first().waitFor({ state: 'visible', timeout: 30_000 });

    // Type a second statement at the end and ask for completions after a table prefix.
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nSELECT Status, COUNT(*) FROM Conv');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.editor-widget.suggest-widget');
    await suggest.locator('.monaco-list-row', { hasText: 'Conversations' }).first().waitFor({ state: 'visible' });
    const labels = await suggest.locator('.monaco-list-row .label-name').allTextContents();
    assert.ok(labels.includes('Conversations'), labels.join(', '));
    await screenshot(page, 'query-completion');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' GROUP BY Status;');
    await editor.locator('.view-lines', { hasText: 'FROM Conversations GROUP BY Status;' }).waitFor({ state: 'visible' });
  });

  it('runs the join with Ctrl+Enter and shows the engine\'s rows in the grid', async () => {
    // Put the cursor inside the join statement (line 3 of the file) and run it.
    await page.locator('.part.editor .view-line', { hasText: 'JOIN Customers' }).first().click();
    await page.keyboard.press('Control+Enter');
    frame = webviewFrame(page);
    await frame.locator('#app[data-state="done"]').waitFor({ state: 'attached', timeout: 90_000 });
    const status = await frame.locator('.status-text').textContent();
    assert.match(String(status), new RegExp(`^${expected.rows.length} rows · \\d+ requests`));
    const headers = await frame.locator('.hcell .hname').allTextContents();
    assert.deepEqual(headers, expected.columns);
    const rows = await gridRows(frame, 10);
    assert.deepEqual(rows, expected.rows.slice(0, 10).map((r) => r.map(shown)));
    await screenshot(page, 'query-results');
  });

  it('sorts a column in the grid (descending after two clicks)', async () => {
    const number = frame.locator('.hcell', { hasText: 'Number' }).locator('.hname');
    await number.click();
    await frame.locator('.hcell[aria-sort="ascending"]').waitFor({ state: 'attached' });
    await number.click();
    await frame.locator('.hcell[aria-sort="descending"]').waitFor({ state: 'attached' });
    const sorted = expected.rows.map((r, i) => [r, i] as const).sort((a, b) => -compareCells(a[0][0] ?? null, b[0][0] ?? null) || a[1] - b[1]).map(([r]) => r);
    // Wait for the new view to arrive, then compare.
    await frame.locator('.row[data-row="0"] .cell').first().filter({ hasText: shown(sorted[0]?.[0] ?? null) }).waitFor({ state: 'visible' });
    assert.deepEqual(await gridRows(frame, 5), sorted.slice(0, 5).map((r) => r.map(shown)));
    await frame.locator('.row[data-row="1"] .cell').nth(1).click();
    await screenshot(page, 'query-sorted');
  });

  it('exports the sorted result to CSV through the save dialog, matching the engine', async () => {
    const target = join(e2e().server.workspace, 'query-results.csv');
    rmSync(target, { force: true });
    await frame.locator('select.select').nth(1).selectOption('csv');
    // code-server shows VS Code's own save dialog: a path input in the quick input,
    // proposing query-results.csv in the workspace folder.
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    // The dialog fills in the folder first and the file name a moment later.
    await page
      .waitForFunction("document.querySelector('.quick-input-widget input.input')?.value.endsWith('query-results.csv') === true", undefined, { timeout: 15_000 })
      .catch(() => undefined);
    assert.match(await input.inputValue(), /query-results\.csv$/);
    await input.press('Enter');
    for (let i = 0; i < 100 && !existsSync(target); i++) await page.waitForTimeout(100);
    await page.locator('.notification-toast', { hasText: 'Exported' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const sorted = expected.rows.map((r, i) => [r, i] as const).sort((a, b) => -compareCells(a[0][0] ?? null, b[0][0] ?? null) || a[1] - b[1]).map(([r]) => r);
    const want = [...exportChunks(expected.columns, sorted, 'csv')].join('');
    assert.equal(readFileSync(target, 'utf8'), want);
    await screenshot(page, 'query-exported');
  });

  it('finds the run again in the history of the Queries view', async () => {
    const history = treeItem(page, 'Queries', 'History').first();
    await history.scrollIntoViewIfNeeded();
    if ((await history.getAttribute('aria-expanded')) !== 'true') await history.click();
    const entry = treeItem(page, 'Queries', /SELECT c\.Number, c\.Subject/).first();
    await entry.waitFor({ state: 'visible' });
    assert.match(String(await entry.textContent()), new RegExp(`${expected.rows.length} rows`));
    await entry.hover();
    await screenshot(page, 'query-history');
  });
});
