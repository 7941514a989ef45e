import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { extension } from './env';

describe('activation', () => {
  it('activates without errors and returns its API', async () => {
    const ext = extension();
    const api = (await ext.activate()) as { log?: vscode.LogOutputChannel } | undefined;
    assert.equal(ext.isActive, true);
    assert.ok(api?.log, 'activate() returned no log channel');
    assert.equal(api.log.name, 'Help Scout');
  });

  it('is loaded from the folder the launcher chose (the installed .vsix when testing the package)', () => {
    const expected = process.env['HELPSCOUT_TEST_EXTENSION_PATH'];
    if (!expected) return; // @vscode/test-electron: the development folder, nothing to compare
    assert.equal(realpathSync(extension().extensionPath), realpathSync(expected));
  });
});
