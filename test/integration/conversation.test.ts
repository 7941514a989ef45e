// The conversation panel and its actions inside VS Code, against the sandbox: the hostile
// HTML conversation renders inert, every write action lands in the sandbox's data, and a
// status change moves the conversation to another folder in the Mailboxes tree.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isOpenableLink, sanitizeBody } from '../../src/core/conversation/sanitize';
import type { HelpScoutTestApi } from '../../src/extension/extension';
import type { HelpScoutServices } from '../../src/extension/services';
import { ConversationNode, FolderNode, MailboxNode, MailboxesModel } from '../../src/extension/views/mailboxes';
import { testApi, sandboxControl, sandboxInfo, sandboxLog } from './env';


interface StoredConversation {
  id: number;
  number: number;
  mailboxId: number;
  folderId: number;
  status: string;
  assignee: { type: string; id: number } | null;
  tagIds: number[];
  threads: { type: string; body: string }[];
}

let services: HelpScoutServices;
let api: HelpScoutTestApi;

async function stored(id: number): Promise<StoredConversation> {
  return (await sandboxControl(`store/mailbox/conversations/${id}`)) as StoredConversation;
}

/** The hostile-HTML conversation of the seed, found the way a user would: by its tag. */
async function hostile(): Promise<number> {
  const [c] = await services.mailbox().listConversations({ tag: 'security-test', status: 'all' }).toArray(1);
  assert.ok(c, 'the seed has no conversation tagged security-test');
  return c.id;
}

/** A conversation of the first mailbox that is active and unassigned, for the write tests. */
async function someActive(skip: number): Promise<{ id: number; mailboxId: number }> {
  const [mb] = await services.mailbox().listMailboxes().toArray(1);
  assert.ok(mb);
  const list = await services.mailbox().listConversations({ mailbox: mb.id, status: 'active' }).toArray(20);
  const c = list.filter((x) => x.primaryCustomer && !(x.tags ?? []).some((t) => t.tag === 'security-test'))[skip];
  assert.ok(c, 'no active conversation to change');
  return { id: c.id, mailboxId: c.mailboxId };
}

describe('conversation panel', function () {
  this.timeout(60_000);

  before(async () => {
    api = await testApi();
    services = api.services;
    const creds = (await sandboxInfo())['credentials'] as { accessToken: string };
    await vscode.commands.executeCommand('helpscout.signIn', { accessToken: creds.accessToken });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('sanitizes bodies: no scripts, handlers, frames, forms, styles or javascript: links; remote images wait', () => {
    const html = [
      '<p onclick="x()">Hi <a href="javascript:alert(1)">a</a> <a href="https://example.com/x">b</a></p>',
      '<script>alert(1)</script><style>body{}</style><iframe src="https://e.example"></iframe>',
      '<img src="https://t.example/p.gif" onerror="alert(1)"><img src="data:image/png;base64,AAAA">',
      '<form action="https://e.example"><input name="p"><button>Go</button></form><svg onload="alert(1)"></svg>',
      '<p style="position:fixed">styled</p>',
    ].join('');
    const out = sanitizeBody(html, false);
    assert.doesNotMatch(out.html, /<script|<style|<iframe|<form|<input|<svg|onerror|onclick|onload|javascript:|style=/i);
    assert.match(out.html, /<a href="https:\/\/example.com\/x">b<\/a>/);
    assert.match(out.html, /<img src="data:image\/png;base64,AAAA" \/>/);
    assert.equal(out.blockedImages, 1);
    const allowed = sanitizeBody(html, true);
    assert.match(allowed.html, /<img src="https:\/\/t.example\/p.gif" \/>/);
    assert.equal(allowed.blockedImages, 0);
    assert.equal(isOpenableLink('javascript:alert(1)'), false);
    assert.equal(isOpenableLink('file:///etc/passwd'), false);
    assert.equal(isOpenableLink('command:workbench.action.quit'), false);
    assert.equal(isOpenableLink('https://example.com'), true);
    assert.equal(isOpenableLink('mailto:a@b.example'), true);
  });

  it('opens the hostile conversation in a webview and renders it inert', async () => {
    const id = await hostile();
    await vscode.commands.executeCommand('helpscout.conversation.open', { conversationId: id });
    const sent = await api.views.panel(id)?.rendered();
    assert.ok(sent, 'the open command returned nothing');
    assert.equal(sent.type, 'render', sent.type === 'error' ? sent.message : '');
    if (sent.type !== 'render') return;
    assert.equal(sent.conversation.subject, 'Security test: hostile HTML');
    assert.deepEqual(sent.conversation.tags, ['security-test']);
    const body = sent.threads.map((t) => t.bodyHtml).join('\n');
    assert.match(body, /Click for your refund/);
    assert.doesNotMatch(body, /<script|<iframe|<form|<svg|onerror|onload|javascript:|style=|evil\.example|tracker\.example/i);
    assert.ok(sent.blockedImages >= 1, 'the tracking pixel must be blocked');
    assert.equal(sent.remoteImagesAllowed, false);
    // The tab takes the conversation's number and subject once loaded (tab updates arrive asynchronously).
    const label = `#${sent.conversation.number} Security test: hostile HTML`;
    const deadline = Date.now() + 10_000;
    const tabLabels = (): string[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('helpscout.conversation'))
      .map((t) => t.label);
    while (!tabLabels().includes(label) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(tabLabels().includes(label), `no tab "${label}" among ${JSON.stringify(tabLabels())}`);
  });

  it('shows threads oldest first (newest last)', async () => {
    const { id } = await someActive(0);
    await vscode.commands.executeCommand('helpscout.conversation.open', id);
    const sent = await api.views.panel(id)?.rendered();
    assert.ok(sent && sent.type === 'render');
    const threads = await services.mailbox().listThreads(id).toArray();
    assert.equal(sent.threads.length, threads.length);
    const ids = [...threads].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id - b.id).map((t) => t.id);
    assert.deepEqual(sent.threads.map((t) => t.id), ids);
  });

  it('changes status through the command; the tree shows it moved to the Closed folder', async () => {
    const { id, mailboxId } = await someActive(1);
    const model = new MailboxesModel(services);
    try {
      const mailbox = (await model.children(undefined)).find((n): n is MailboxNode => n instanceof MailboxNode && n.mailbox.id === mailboxId);
      assert.ok(mailbox);
      const closed = (await model.children(mailbox)).find((n): n is FolderNode => n instanceof FolderNode && n.folder.type === 'closed');
      assert.ok(closed);
      const countBefore = closed.folder.totalCount ?? 0;
      const before = await model.children(closed);
      assert.ok(!before.some((n) => n instanceof ConversationNode && n.conversation.id === id));

      const ok = await vscode.commands.executeCommand('helpscout.conversation.setStatus', { conversationId: id }, 'closed');
      assert.equal(ok, true);
      assert.equal((await stored(id)).status, 'closed');

      // What the extension does after a write: refresh the conversation's mailbox.
      await sandboxControl('log', { method: 'DELETE' });
      model.conversationChanged(mailboxId);
      const closedAgain = (await model.children(mailbox)).find((n): n is FolderNode => n instanceof FolderNode && n.folder.type === 'closed');
      assert.ok(closedAgain);
      assert.equal(closedAgain.id, closed.id);
      assert.equal(closedAgain.folder.totalCount, countBefore + 1);
      const after = await model.children(closedAgain);
      assert.ok(after.some((n) => n instanceof ConversationNode && n.conversation.id === id), 'the closed conversation is not in Closed');
      const log = await sandboxLog({ api: 'mailbox' });
      assert.deepEqual(log.map((e) => e.path), [`/v2/mailboxes/${mailboxId}/folders`, '/v2/conversations']);
    } finally {
      model.dispose();
    }
  });

  it('assigns, edits tags, adds a note and replies; each write lands in the sandbox', async () => {
    const { id, mailboxId } = await someActive(2);
    const [user] = await services.mailbox().listUsers({ mailbox: mailboxId }).toArray(1);
    assert.ok(user);

    assert.equal(await vscode.commands.executeCommand('helpscout.conversation.assign', { conversationId: id }, user.id), true);
    assert.deepEqual((await stored(id)).assignee, { type: 'user', id: user.id });

    assert.equal(await vscode.commands.executeCommand('helpscout.conversation.editTags', { conversationId: id }, ['vip', ' follow-up ', 'vip']), true);
    const tags = (await services.mailbox().getConversation(id)).tags?.map((t) => t.tag).sort();
    assert.deepEqual(tags, ['follow-up', 'vip']);

    const threadsBefore = (await stored(id)).threads.length;
    assert.equal(await vscode.commands.executeCommand('helpscout.conversation.addNote', { conversationId: id }, 'Checked the <logs>\n\nAll good'), true);
    let s = await stored(id);
    assert.equal(s.threads.length, threadsBefore + 1);
    const note = s.threads.find((t) => t.type === 'note' && t.body.includes('Checked the &lt;logs&gt;'));
    assert.ok(note, 'no note with the escaped text');
    assert.match(note.body, /<p>All good<\/p>/);

    assert.equal(
      await vscode.commands.executeCommand('helpscout.conversation.reply', { conversationId: id }, 'Thanks, this is fixed.', { confirmed: true }),
      true,
    );
    s = await stored(id);
    assert.ok(s.threads.some((t) => t.type === 'reply' && t.body.includes('Thanks, this is fixed.')), 'no reply thread');

    // Unassign through the same command.
    assert.equal(await vscode.commands.executeCommand('helpscout.conversation.assign', { conversationId: id }, null), true);
    assert.equal((await stored(id)).assignee, null);
  });
});
