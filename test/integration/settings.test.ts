import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { packageJson, sandboxInfo } from './env';

describe('settings', () => {
  it('reports the package.json default for every contributed setting', () => {
    const props = packageJson().contributes.configuration?.properties ?? {};
    assert.ok(Object.keys(props).length > 0, 'package.json contributes no setting');
    for (const [key, schema] of Object.entries(props)) {
      const inspected = vscode.workspace.getConfiguration().inspect(key);
      assert.ok(inspected, `setting ${key} is unknown to VS Code`);
      assert.deepEqual(inspected.defaultValue, schema.default, key);
    }
  });

  it('uses the default where the user did not override a setting, and the override where they did', () => {
    const props = packageJson().contributes.configuration?.properties ?? {};
    for (const key of Object.keys(props)) {
      const inspected = vscode.workspace.getConfiguration().inspect(key);
      const value = vscode.workspace.getConfiguration().get(key);
      const override = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
      assert.deepEqual(value, override ?? inspected?.defaultValue, key);
    }
  });

  it('points the base URLs at the sandbox the launcher started', async () => {
    const info = await sandboxInfo();
    const config = vscode.workspace.getConfiguration('helpscout');
    assert.equal(config.get('mailbox.baseUrl'), info['mailboxBaseUrl']);
    assert.equal(config.get('docs.baseUrl'), info['docsBaseUrl']);
    assert.equal(config.get('oauth.authorizeUrl'), info['authorizeUrl']);
  });
});
