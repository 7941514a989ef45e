import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sandboxControl, sandboxInfo, sandboxLog } from './env';

describe('sandbox from the extension host', () => {
  it('answers its control API with the URLs the launcher configured', async () => {
    const info = (await sandboxControl('info')) as Record<string, unknown>;
    assert.equal(info['mailboxBaseUrl'], (await sandboxInfo())['mailboxBaseUrl']);
    assert.equal(info['mailboxBaseUrl'], vscode.workspace.getConfiguration('helpscout').get('mailbox.baseUrl'));
  });

  it('serves the Mailbox API at helpscout.mailbox.baseUrl and logs the request', async () => {
    const base = vscode.workspace.getConfiguration('helpscout').get<string>('mailbox.baseUrl');
    assert.ok(base?.startsWith('http://127.0.0.1:'), `mailbox.baseUrl is ${String(base)}`);
    await sandboxControl('log', { method: 'DELETE' });
    // Without a token the API must refuse: proves the URL reaches the sandbox's Mailbox API.
    const res = await fetch(`${base}/mailboxes`);
    assert.equal(res.status, 401);
    const entries = await sandboxLog({ api: 'mailbox' });
    assert.deepEqual(entries.map((e) => [e.method, e.path, e.status]), [['GET', '/v2/mailboxes', 401]]);
  });
});
