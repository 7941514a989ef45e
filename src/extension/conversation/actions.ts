// Every change a user can make to a conversation from the tree or the
// conversation panel: status, assignee, tags, note, reply. Each asks what it
// needs (quick pick, input box, a modal confirmation before a reply, since the
// customer receives it) unless the caller already knows, writes through the
// core client, and fires `onDidWrite` so the trees and the panel refresh the
// affected nodes. Errors are thrown to the caller, which shows them.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import type { Conversation } from '../../core/mailbox/schemas';
import type { HelpScoutServices } from '../services';
import { type ConversationStatus, personName, statusLabel, tagNames } from '../views/format';

export interface ConversationWrite {
  readonly conversationId: number;
  readonly mailboxId: number;
  readonly what: 'status' | 'assignee' | 'tags' | 'note' | 'reply';
}

const STATUSES: readonly ConversationStatus[] = ['active', 'pending', 'closed', 'spam'];

/** Plain text typed by the user as the HTML the API stores: escaped, line breaks kept. */
export function textToHtml(text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return esc
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');
}

export class ConversationActions extends Disposable implements vscode.Disposable {
  private readonly written = this.register(new vscode.EventEmitter<ConversationWrite>());
  /** Fires after a write succeeded. */
  readonly onDidWrite = this.written.event;

  constructor(private readonly services: HelpScoutServices) {
    super();
  }

  private done(c: Conversation, what: ConversationWrite['what']): void {
    this.services.log.info(`[conversation] ${what} changed on #${c.number}`);
    this.written.fire({ conversationId: c.id, mailboxId: c.mailboxId, what });
  }

  /** Sets the status; asks with a quick pick when `status` is not given. True when written. */
  async setStatus(c: Conversation, status?: ConversationStatus): Promise<boolean> {
    let target = status;
    if (target === undefined) {
      const picked = await vscode.window.showQuickPick(
        STATUSES.map((s) => ({ label: statusLabel(s), ...(s === c.status ? { description: vscode.l10n.t('current') } : {}), status: s })),
        { title: vscode.l10n.t('Status of #{0}', c.number), placeHolder: vscode.l10n.t('Choose a status') },
      );
      target = picked?.status;
    }
    if (target === undefined || target === c.status) return false;
    await this.services.mailbox().setConversationStatus(c.id, target);
    this.done(c, 'status');
    return true;
  }

  /** Assigns to a user of the mailbox, or unassigns with `null`; asks when `userId` is not given. */
  async assign(c: Conversation, userId?: number | null): Promise<boolean> {
    let target = userId;
    if (target === undefined) {
      const users = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading users…') },
        () => this.services.mailbox().listUsers({ mailbox: c.mailboxId }).toArray(500),
      );
      const items: (vscode.QuickPickItem & { userId: number | null })[] = [
        { label: `$(circle-slash) ${vscode.l10n.t('Unassign')}`, userId: null },
        ...users.map((u) => ({
          label: [u.firstName, u.lastName].filter(Boolean).join(' ') || (u.email ?? String(u.id)),
          description: u.id === c.assignee?.id ? vscode.l10n.t('current') : (u.email ?? ''),
          userId: u.id,
        })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Assign #{0}', c.number), matchOnDescription: true });
      if (picked === undefined) return false;
      target = picked.userId;
    }
    await this.services.mailbox().assignConversation(c.id, target);
    this.done(c, 'assignee');
    return true;
  }

  /** Replaces the tag set; asks with an input box (comma-separated) when `tags` is not given. */
  async editTags(c: Conversation, tags?: readonly string[]): Promise<boolean> {
    let target = tags;
    if (target === undefined) {
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Tags of #{0}', c.number),
        prompt: vscode.l10n.t('Comma-separated tags; leave empty to remove all.'),
        value: tagNames(c).join(', '),
      });
      if (text === undefined) return false;
      target = text.split(',');
    }
    const clean = [...new Set(target.map((t) => t.trim()).filter((t) => t !== ''))];
    await this.services.mailbox().replaceTags(c.id, clean);
    this.done(c, 'tags');
    return true;
  }

  /** Adds an internal note (the customer does not see it). */
  async addNote(c: Conversation, text?: string): Promise<boolean> {
    const body = text ?? (await vscode.window.showInputBox({ title: vscode.l10n.t('Note on #{0}', c.number), prompt: vscode.l10n.t('Only your team sees notes.') }));
    if (body === undefined || body.trim() === '') return false;
    await this.services.mailbox().addNote(c.id, { text: textToHtml(body) });
    this.done(c, 'note');
    return true;
  }

  /**
   * Sends a reply to the customer, after a modal confirmation (they receive it
   * by email). `confirmed: true` is for callers that already asked.
   */
  async reply(c: Conversation, text?: string, opts: { confirmed?: boolean } = {}): Promise<boolean> {
    const customer = c.primaryCustomer;
    if (!customer) throw new Error(vscode.l10n.t('Conversation #{0} has no customer to reply to.', c.number));
    const body = text ?? (await vscode.window.showInputBox({ title: vscode.l10n.t('Reply to #{0}', c.number), prompt: vscode.l10n.t('The customer receives this reply.') }));
    if (body === undefined || body.trim() === '') return false;
    if (opts.confirmed !== true) {
      const send = vscode.l10n.t('Send Reply');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Send this reply to {0}?', personName(customer, vscode.l10n.t('the customer'))),
        { modal: true, detail: vscode.l10n.t('The customer receives it by email:\n\n{0}', body.length > 500 ? `${body.slice(0, 500)}…` : body) },
        send,
      );
      if (answer !== send) return false;
    }
    await this.services.mailbox().addReply(c.id, { customer: { id: customer.id }, text: textToHtml(body) });
    this.done(c, 'reply');
    return true;
  }
}
