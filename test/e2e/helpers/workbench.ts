// Reusable steps for driving the VS Code workbench (code-server 1.100) with playwright-core.
// Every feature's end-to-end test builds on these: open the workbench, click an activity-bar
// item, run a palette command, read a tree, reach a webview's content, take a screenshot.
// Selectors follow VS Code's own DOM (class names and ARIA labels), kept here in one place.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { consoleLine, isNoise, newContext, projectRoot } from '../../../scripts/vscode-host/host';
import { e2e, logLine } from './hooks';

export const artifactsDir = join(projectRoot, 'artifacts');
export const screenshotsDir = join(artifactsDir, 'screenshots');

/**
 * Opens a fresh browser context on the workbench with the extension loaded and waits until
 * the workbench is interactive and the extension host is up. Close the page's context when done.
 */
export async function openWorkbench(opts: { query?: string } = {}): Promise<Page> {
  const { server, browser } = e2e();
  const context = await newContext(browser);
  const page = await context.newPage();
  page.on('console', (msg) => {
    const line = consoleLine(msg.text());
    if (line && !isNoise(line)) logLine(`[page:${msg.type()}] ${line}`);
  });
  page.on('pageerror', (err) => logLine(`[page:error] ${err.message}`));
  // The extensions folder is fresh and empty, so no other extension can interfere; without
  // `disableExtensions` the workbench also shows no "extensions are disabled" notification.
  await page.goto(server.workbenchUrl({ disableExtensions: false }) + (opts.query ? `&${opts.query}` : ''));
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
  // The activity bar gets our container once the extension host has registered the extension.
  await activityBarItem(page, 'Help Scout').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

/** The activity-bar entry whose label starts with `title` (labels may carry a keybinding). */
export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
}

/** Clicks an activity-bar entry and waits for its side bar to show `title` in its header. */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  const sidebar = page.locator('.part.sidebar');
  const header = sidebar.locator('.composite.title .title-label');
  // A second click on the active entry would close the side bar.
  if (!((await header.textContent().catch(() => '')) ?? '').toLowerCase().includes(title.toLowerCase())) {
    await activityBarItem(page, title).click();
  }
  await header.filter({ hasText: new RegExp(title, 'i') }).waitFor({ state: 'visible' });
  await page.mouse.move(700, 450); // away from the activity bar, so its hover doesn't cover the views
  await waitForProgress(page, '.part.sidebar');
  return sidebar;
}

/**
 * Waits until the progress bars inside `scope` (e.g. a view loading or the extension
 * activating, shown at the top of the side bar) are gone, so screenshots and reads see the
 * settled state.
 */
export async function waitForProgress(page: Page, scope = '.monaco-workbench', timeout = 30_000): Promise<void> {
  await page.locator(`${scope} .monaco-progress-container.active`).first().waitFor({ state: 'hidden', timeout });
}

/** The header of the view (pane) titled `name` in the side bar. */
export function viewHeader(page: Page, name: string): Locator {
  return page.locator('.part.sidebar .pane-header').filter({ has: page.locator('h3.title', { hasText: name }) });
}

/**
 * The view (pane) titled `name` in the side bar. The inner locator is relative to the pane:
 * Playwright matches `has` inside the outer element, so it must not start at `.part.sidebar`.
 */
export function viewPane(page: Page, name: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: name }) });
}

/** The titles of the views (panes) shown in the side bar, in order. */
export async function viewTitles(page: Page): Promise<string[]> {
  return (await page.locator('.part.sidebar .pane-header h3.title').allTextContents()).map((t) => t.trim());
}

/** Expands a collapsed view (pane) and returns its body. */
export async function expandView(page: Page, name: string): Promise<Locator> {
  const header = viewHeader(page, name);
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  return viewPane(page, name).locator('.pane-body');
}

/** Tree rows of a view, e.g. `treeItem(page, 'Mailboxes', 'Support')`. */
export function treeItem(page: Page, viewName: string, label: string | RegExp): Locator {
  return viewPane(page, viewName).locator('.monaco-list-row').filter({ hasText: label });
}

/**
 * Runs a command through the command palette (F1), picking the entry whose label is exactly
 * `label` (e.g. "Help Scout: Show Log").
 */
export async function runCommand(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  // F1 reaches the workbench only when the page has keyboard focus: give it by clicking an
  // empty corner of the editor area (harmless). When a webview holds the focus the palette can
  // open and close again at once, so the whole step is retried (after Escape) until the command
  // filter is typed.
  for (let attempt = 0; ; attempt++) {
    try {
      await page.locator('.part.editor').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${label}`, { timeout: 5000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  }
  const row = page.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
  });
  await row.first().waitFor({ state: 'visible' });
  await row.first().click();
  // Done when the palette has gone: the widget is hidden, or it now shows what the command
  // opened itself (an input box or quick pick), which no longer holds the '>' command filter.
  await page.waitForFunction(PALETTE_GONE, undefined, { timeout: 30_000 });
}

/** Page-side check (a string: this file is compiled without DOM types) that the command palette has gone. */
const PALETTE_GONE = `(() => {
  const widget = document.querySelector('.quick-input-widget');
  if (!widget || widget.offsetParent === null || getComputedStyle(widget).display === 'none') return true;
  const box = widget.querySelector('input.input');
  return !!box && !box.value.startsWith('>');
})()`;

/** The bottom panel (Output, Problems, Terminal...). */
export function panel(page: Page): Locator {
  return page.locator('.part.panel');
}

/** Text currently rendered in the Output panel's editor (only the visible lines). */
export async function outputText(page: Page): Promise<string> {
  return (await panel(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/**
 * The content frame of a webview (panel or view). VS Code nests it twice:
 * `iframe.webview` (the host) → `iframe#active-frame` (the page the extension rendered).
 * With several webviews open, pass `index` to pick one.
 */
export function webviewFrame(page: Page, index = 0): FrameLocator {
  return page.frameLocator('iframe.webview').nth(index).frameLocator('iframe#active-frame');
}

/** Notification toasts currently shown (their message text). */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notification-toast .notification-list-item-message').allTextContents();
}

/** Saves a full-window screenshot to artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
