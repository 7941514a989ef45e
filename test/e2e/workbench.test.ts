// The Help Scout container in the real workbench: activity bar, views, palette, output.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { readPackageJson } from '../../scripts/vscode-host/host';
import {
  openViewContainer, openWorkbench, outputText, panel, runCommand, screenshot, viewHeader, viewTitles,
} from './helpers/workbench';

describe('workbench', function () {
  let page: Page;

  before(async function () {
    page = await openWorkbench();
    this['page'] = page;
  });

  beforeEach(function () {
    this['page'] = page;
  });

  after(async () => {
    await page?.context().close();
  });

  it('shows the Help Scout container with its views, Mailboxes, Docs and Customers first', async () => {
    await openViewContainer(page, 'Help Scout');
    for (const name of ['Mailboxes', 'Docs', 'Customers']) {
      await viewHeader(page, name).waitFor({ state: 'visible' });
    }
    // Every view package.json puts in the container (none of them has a `when` clause).
    const declared = (readPackageJson().contributes?.views?.['helpscout'] ?? []).filter((v) => !v.when).map((v) => v.name);
    assert.deepEqual(declared.slice(0, 3), ['Mailboxes', 'Docs', 'Customers']);
    assert.deepEqual(await viewTitles(page), declared);
    // The not-yet-connected welcome content of the Mailboxes view.
    await page.locator('.part.sidebar .welcome-view-content', { hasText: 'Help Scout is not connected yet.' }).first()
      .waitFor({ state: 'visible' });
    await screenshot(page, 'helpscout-views');
  });

  it('runs "Help Scout: Show Log" from the palette and shows the log in the Output panel', async () => {
    await runCommand(page, 'Help Scout: Show Log');
    await panel(page).waitFor({ state: 'visible' });
    await panel(page).locator('.view-lines', { hasText: 'activated' }).waitFor({ state: 'visible' });
    const text = await outputText(page);
    assert.match(text, /\[activate\] Help Scout \d+\.\d+\.\d+ activated/);
    await screenshot(page, 'helpscout-output');
  });
});
