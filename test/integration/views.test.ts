import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, packageJson } from './env';

describe('views', () => {
  before(async () => {
    await extension().activate();
  });

  it('contributes the Help Scout view container, starting with Mailboxes, Docs and Customers', () => {
    const containers = packageJson().contributes.viewsContainers?.activitybar ?? [];
    assert.deepEqual(containers.map((c) => c.id), ['helpscout']);
    const views = (packageJson().contributes.views?.['helpscout'] ?? []).map((v) => v.id);
    assert.deepEqual(views.slice(0, 3), ['helpscout.mailboxes', 'helpscout.docs', 'helpscout.customers']);
  });

  it('opens the view container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.helpscout');
  });

  it('has a focus command for each view, and focusing works', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const views = (packageJson().contributes.views?.['helpscout'] ?? []).map((v) => v.id);
    assert.ok(views.length >= 3, `only ${views.length} views`);
    for (const id of views) {
      assert.ok(all.has(`${id}.focus`), `no ${id}.focus command`);
      await vscode.commands.executeCommand(`${id}.focus`);
    }
  });
});
