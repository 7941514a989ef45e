// What another installed extension can get from the packaged Help Scout extension, which runs
// here as a user's would (installed from the .vsix, ExtensionMode.Production). Nothing it can
// reach may hold a token, secret, key, client or test hook.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sandboxControl, sandboxInfo, sandboxLog } from '../integration/env';
import type { ProbeApi } from './extension';

const helpscoutId = 'helpscout-tools.helpscout-vscode';
const probeId = 'helpscout-tests.helpscout-probe';

interface Creds { clientId: string; clientSecret: string; docsApiKey: string }

/** Every value reachable from `root` through own properties (functions included), without cycles. */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const queue = [root];
  while (queue.length > 0) {
    const v = queue.shift();
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) continue;
    seen.add(v);
    for (const key of Reflect.ownKeys(v as object)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && 'value' in d) queue.push(d.value);
    }
  }
  return [...seen];
}

describe('the installed extension, seen from another extension', function () {
  this.timeout(60_000);
  let creds: Creds;
  let exportsOf: unknown;

  before(async () => {
    creds = (await sandboxInfo())['credentials'] as Creds;
    const ext = vscode.extensions.getExtension(helpscoutId);
    assert.ok(ext, 'the Help Scout extension is not installed');
    exportsOf = await ext.activate();
    // Connect it fully, as a user would, so there are secrets to look for.
    await vscode.workspace.getConfiguration('helpscout').update('oauth.clientId', creds.clientId, vscode.ConfigurationTarget.Global);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await vscode.commands.executeCommand('helpscout.setClientSecret', creds.clientSecret), true);
    const key = await vscode.commands.executeCommand<{ ok: boolean }>('helpscout.setDocsApiKey', creds.docsApiKey);
    assert.equal(key?.ok, true, 'the Docs key was not accepted');
    const signIn = await vscode.commands.executeCommand<{ ok: boolean }>('helpscout.signIn', { grant: 'clientCredentials' });
    assert.equal(signIn?.ok, true, 'sign-in failed');
  });

  it('exports only the Markdown plugin function: no services, log, client, secret or hook', () => {
    assert.ok(exportsOf && typeof exportsOf === 'object', 'activate returned nothing');
    assert.deepEqual(Object.keys(exportsOf as object), ['extendMarkdownIt']);
    const values = reachable(exportsOf);
    const fns = values.filter((v) => typeof v === 'function');
    assert.equal(fns.length, 1, 'only extendMarkdownIt is a function');
    const text = JSON.stringify(values.filter((v) => typeof v !== 'function'));
    for (const secret of [creds.clientSecret, creds.docsApiKey]) assert.ok(!text.includes(secret), 'a secret is reachable from the exports');
  });

  it('registers no internal or test command', async () => {
    const ours = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('helpscout.'));
    assert.ok(ours.includes('helpscout.signIn'), 'the extension\'s commands are missing');
    assert.deepEqual(ours.filter((c) => /internal|hooks?\b|historyEntries/i.test(c)), []);
  });

  it('cannot read its secrets through its own SecretStorage', async () => {
    const probe = vscode.extensions.getExtension<ProbeApi>(probeId);
    assert.ok(probe);
    const { secrets } = await probe.activate();
    for (const key of ['helpscout.session', 'helpscout.oauth.clientSecret', 'helpscout.docs.apiKey']) {
      assert.equal(await secrets.get(key), undefined, `${key} is readable by another extension`);
    }
  });

  it('gets no session from the authentication API without the user\'s consent', async () => {
    const session = await vscode.authentication.getSession('helpscout', [], { silent: true });
    assert.equal(session, undefined, 'another extension got the Help Scout session silently');
  });

  it('command results carry no secret', async () => {
    const results = [
      await vscode.commands.executeCommand('helpscout.testDocsApiKey'),
      await vscode.commands.executeCommand('helpscout.copyCallbackUrl'),
      await vscode.commands.executeCommand('helpscout.signIn', { grant: 'clientCredentials' }),
    ];
    const text = JSON.stringify(results);
    assert.match(text, /"ok":true/);
    for (const secret of [creds.clientSecret, creds.docsApiKey]) assert.ok(!text.includes(secret), 'a command returned a secret');
    assert.doesNotMatch(text, /access_?token|refresh_?token/i);
  });

  it('cannot skip the confirmation of a reply or a delete', async () => {
    const conversations = (await sandboxControl('store/mailbox/conversations')) as { ids: number[] };
    const articleIds = ((await sandboxControl('store/docs/articles')) as { ids: string[] }).ids;
    assert.ok(conversations.ids[0] !== undefined && articleIds[0] !== undefined);
    await sandboxControl('log', { method: 'DELETE' });
    // In an installed extension `{ confirmed: true }` is ignored: the modal is asked (and refused here).
    await vscode.commands.executeCommand('helpscout.conversation.reply', { conversationId: Number(conversations.ids[0]) }, 'Sent by another extension', { confirmed: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('helpscout.docs.deleteArticle', String(articleIds[0]), { confirmed: true }).then(undefined, () => undefined);
    const writes = (await sandboxLog({})).filter((e) => e.method !== 'GET' && e.api !== 'control' && e.api !== 'oauth');
    assert.deepEqual(writes.map((e) => `${e.method} ${e.path}`), [], 'a write went out without the user\'s confirmation');
  });
});
