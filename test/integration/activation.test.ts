import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { extension } from './env';

describe('activation', () => {
  it('activates without errors; under test it exposes its test access next to the Markdown plugin', async () => {
    const ext = extension();
    const exports = (await ext.activate()) as { extendMarkdownIt?: unknown; testing?: { log: vscode.LogOutputChannel } } | undefined;
    assert.equal(ext.isActive, true);
    assert.equal(typeof exports?.extendMarkdownIt, 'function');
    assert.equal(exports?.testing?.log.name, 'Help Scout');
    assert.deepEqual(Object.keys(exports ?? {}).sort(), ['extendMarkdownIt', 'testing']);
  });

  it('is loaded from the folder the launcher chose (the installed .vsix when testing the package)', () => {
    const expected = process.env['HELPSCOUT_TEST_EXTENSION_PATH'];
    if (!expected) return; // @vscode/test-electron: the development folder, nothing to compare
    assert.equal(realpathSync(extension().extensionPath), realpathSync(expected));
  });
});
