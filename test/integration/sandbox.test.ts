import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sandboxUrl } from './env';

describe('sandbox from the extension host', () => {
  it('answers its control API at the configured base URL', async () => {
    const res = await fetch(`${sandboxUrl()}/__sandbox/info`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as unknown;
    assert.equal(typeof body, 'object');
  });

  it('serves the Mailbox API at helpscout.mailbox.baseUrl', async () => {
    const base = vscode.workspace.getConfiguration('helpscout').get<string>('mailbox.baseUrl');
    assert.ok(base?.startsWith('http://127.0.0.1:'), `mailbox.baseUrl is ${String(base)}`);
    // Without a token the API must refuse: proves the URL reaches the sandbox's Mailbox API.
    const res = await fetch(`${base}/mailboxes`);
    assert.equal(res.status, 401);
  });
});
