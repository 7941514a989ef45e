// Editing a Help Scout Docs article as Markdown in the real workbench: open it from the
// palette, preview it beside the editor, save an edit, and meet the conflict prompt when a
// colleague changed the article in the meantime; find an article with "Search Docs…", and see
// whether the open file is the live article or its draft.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2e } from './helpers/hooks';
import { notifications, openWorkbench, runCommand, screenshot } from './helpers/workbench';

interface Creds { docsApiKey: string }

function sandbox(): { docsBaseUrl: string; baseUrl: string; key: string } {
  const info = e2e().sandbox?.info;
  assert.ok(info, 'no sandbox');
  return { docsBaseUrl: info.docsBaseUrl.replace(/\/$/, ''), baseUrl: info.baseUrl.replace(/\/$/, ''), key: (info.credentials as unknown as Creds).docsApiKey };
}

async function docsApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const s = sandbox();
  const res = await fetch(`${s.docsBaseUrl}${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${s.key}:X`).toString('base64')}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(res.ok, `${method} ${path}: HTTP ${res.status}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function storedText(id: string): Promise<string> {
  const res = await fetch(`${sandbox().baseUrl}/__sandbox/store/docs/articles/${id}`);
  assert.ok(res.ok);
  return ((await res.json()) as { text: string }).text;
}

/** Types into the quick input that a command opened and confirms it. */
async function answer(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

describe('docs editing', function () {
  let page: Page;
  let article: { id: string; number: number; slug: string };
  let second: { id: string; name: string } | undefined;

  before(async function () {
    // A published article without a draft, in a real category.
    const cols = await docsApi<{ collections: { items: { id: string }[] } }>('GET', '/collections');
    for (const col of cols.collections.items) {
      const cats = await docsApi<{ categories: { items: { id: string; slug: string }[] } }>('GET', `/collections/${col.id}/categories`);
      const cat = cats.categories.items.find((c) => c.slug !== 'uncategorized');
      if (!cat) continue;
      const arts = await docsApi<{ articles: { items: { id: string; number: number; slug: string; name: string; hasDraft: boolean }[] } }>('GET', `/categories/${cat.id}/articles?status=published`);
      const a = arts.articles.items.find((x) => !x.hasDraft);
      second = arts.articles.items.find((x) => !x.hasDraft && x.id !== a?.id);
      if (a && second) {
        article = a;
        break;
      }
    }
    assert.ok(article, 'no published article in the seed');
    page = await openWorkbench();
    this['page'] = page;
    await runCommand(page, 'Help Scout: Set Docs API Key');
    await answer(page, sandbox().key);
  });

  beforeEach(function () {
    this['page'] = page;
  });

  after(async () => {
    await page?.context().close();
  });

  it('opens an article as Markdown and previews it to the side', async () => {
    await runCommand(page, 'Help Scout: Open Docs Article…');
    await answer(page, String(article.number));
    const tab = page.locator('.tabs-container .tab', { hasText: `-${article.id}.md` });
    await tab.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.part.editor .view-lines', { hasText: `id: ${article.id}` }).first().waitFor({ state: 'visible' });
    await runCommand(page, 'Markdown: Open Preview to the Side');
    await page.locator('.tabs-container .tab', { hasText: /^Preview / }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.frameLocator('iframe.webview').first().frameLocator('iframe#active-frame').locator('body p').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(500);
    await screenshot(page, 'docs-edit-preview');
  });

  it('refuses to save over a colleague\'s change and offers Compare with Server and Overwrite', async () => {
    // Focus the Markdown editor (the left group) and add a line at the end.
    await page.locator('.part.editor .editor-group-container').first().locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nA line written in VS Code.\n');
    await docsApi('PUT', `/articles/${article.id}`, { text: '<p>A colleague rewrote this.</p>' });
    await page.keyboard.press('Control+S');
    const toast = page.locator('.notification-toast', { hasText: 'was changed in Help Scout after you opened it' });
    await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'docs-edit-conflict');
    assert.equal(await storedText(article.id), '<p>A colleague rewrote this.</p>', 'the colleague\'s change was overwritten');
    assert.ok((await notifications(page)).some((n) => n.includes('was changed in Help Scout')));

    // The writer compares, then chooses to overwrite.
    await toast.first().locator('.monaco-button', { hasText: 'Compare with Server' }).click();
    await page.locator('.tabs-container .tab', { hasText: '(Help Scout) ↔ yours' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(500);
    await screenshot(page, 'docs-edit-compare');
  });

  it('Search Docs… lists matches as you type and opens one; the status bar and tab tell live from draft', async () => {
    assert.ok(second, 'the seed has no second published article');
    const word = second.name.split(/\s+/).sort((a, b) => b.length - a.length)[0] ?? second.name;
    await runCommand(page, 'Help Scout: Search Docs…');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(word);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: second.name });
    await row.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'docs-search-picker');
    await row.first().click();
    const live = page.locator('.statusbar-item', { hasText: 'Docs: live — saving creates a draft' });
    await live.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.tabs-container .tab.active', { hasText: `-${second.id}.md` }).first().waitFor({ state: 'visible' });
    await page.waitForTimeout(500);
    await screenshot(page, 'docs-live-indicator');

    await runCommand(page, 'Help Scout: Open Draft');
    const draft = page.locator('.statusbar-item', { hasText: 'Docs: draft — saving updates the draft' });
    await draft.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(500);
    // Inside the draft the editor title offers no "Save as Draft".
    assert.equal(await page.locator('.editor-actions .action-label[aria-label^="Save as Draft"]').count(), 0, 'Save as Draft is offered inside the draft');
    await screenshot(page, 'docs-draft-indicator');
  });
});
