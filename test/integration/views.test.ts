import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, packageJson } from './env';

describe('views', () => {
  before(async () => {
    await extension().activate();
  });

  it('contributes the Help Scout view container with its three views', () => {
    const containers = packageJson().contributes.viewsContainers?.activitybar ?? [];
    assert.deepEqual(containers.map((c) => c.id), ['helpscout']);
    const views = (packageJson().contributes.views?.['helpscout'] ?? []).map((v) => v.id);
    assert.deepEqual(views, ['helpscout.mailboxes', 'helpscout.docs', 'helpscout.customers']);
  });

  it('opens the view container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.helpscout');
  });

  it('has a focus command for each view, and focusing works', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['helpscout.mailboxes', 'helpscout.docs', 'helpscout.customers']) {
      assert.ok(all.has(`${id}.focus`), `no ${id}.focus command`);
      await vscode.commands.executeCommand(`${id}.focus`);
    }
  });
});
