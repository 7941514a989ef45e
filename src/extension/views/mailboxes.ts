// The Mailboxes view: mailboxes → folders (active/total counts) → conversations,
// newest first, 50 per page. The filter (status, assignee, tag, search text)
// goes into the conversation request itself, so it changes what is fetched.
import * as vscode from 'vscode';
import type { ConversationFilters, ConversationStatusFilter } from '../../core/mailbox/client';
import { query as q } from '../../core/mailbox/query';
import type { Conversation, Folder, Mailbox } from '../../core/mailbox/schemas';
import { Commands, Views } from '../constants';
import type { HelpScoutServices } from '../services';
import { conversationWebUrl, longAge, personName, shortAge, statusIcon, statusLabel, tagNames } from './format';
import { type ChildPage, Node, TreeModel } from './tree';

export class MailboxNode extends Node {
  readonly kind = 'mailbox';
  readonly id: string;
  constructor(readonly mailbox: Mailbox) {
    super(undefined);
    this.id = `mailbox:${mailbox.id}`;
  }
  override get hasChildren(): boolean {
    return true;
  }
  treeItem(): vscode.TreeItem {
    const t = this.item(this.mailbox.name, true);
    t.iconPath = new vscode.ThemeIcon('inbox');
    if (this.mailbox.email) t.description = this.mailbox.email;
    return t;
  }
}

export class FolderNode extends Node {
  readonly kind = 'folder';
  readonly id: string;
  constructor(override readonly parent: MailboxNode, readonly folder: Folder) {
    super(parent);
    this.id = `${parent.id}/folder:${folder.id}`;
  }
  override get hasChildren(): boolean {
    return true;
  }
  treeItem(): vscode.TreeItem {
    const t = this.item(this.folder.name, true);
    t.iconPath = new vscode.ThemeIcon(folderIcon(this.folder.type));
    const active = this.folder.activeCount ?? 0;
    const total = this.folder.totalCount ?? 0;
    t.description = vscode.l10n.t({ message: '{0} active / {1}', args: [active, total], comment: ['{0} active conversations, {1} in total'] });
    return t;
  }
}

function folderIcon(type: string | null | undefined): string {
  switch (type) {
    case 'mytickets': return 'account';
    case 'needsattention': return 'bell-dot';
    case 'drafts': return 'edit';
    case 'assigned': return 'person';
    case 'closed': return 'archive';
    case 'spam': return 'warning';
    default: return 'folder';
  }
}

/** A conversation row. Also used under a customer in the Customers view. */
export class ConversationNode extends Node {
  readonly kind = 'conversation';
  readonly id: string;
  constructor(parent: Node, readonly conversation: Conversation) {
    super(parent);
    this.id = `${parent.id}/conversation:${conversation.id}`;
  }
  treeItem(): vscode.TreeItem {
    const c = this.conversation;
    const t = this.item(`#${c.number} ${c.subject ?? ''}`.trim(), false);
    t.iconPath = statusIcon(c.status);
    const tags = tagNames(c).map((s) => `#${s}`).join(' ');
    t.description = [personName(c.primaryCustomer), tags, shortAge(c.createdAt)].filter((s) => s !== '').join(' · ');
    t.command = { command: Commands.openConversation, title: vscode.l10n.t('Open Conversation'), arguments: [this] };
    return t;
  }
  /** Built only when the tooltip shows: preview, assignee and waiting time come from the list data. */
  override tooltip(): vscode.MarkdownString {
    const c = this.conversation;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(`#${c.number} ${c.subject ?? ''}`).appendMarkdown('**\n\n');
    md.appendText(`${statusLabel(c.status)} · ${personName(c.primaryCustomer, vscode.l10n.t('unknown customer'))}`);
    md.appendMarkdown('\n\n');
    if (c.preview) md.appendMarkdown('> ').appendText(c.preview.slice(0, 300)).appendMarkdown('\n\n');
    md.appendText(vscode.l10n.t('Assignee: {0}', personName(c.assignee, vscode.l10n.t('nobody'))));
    md.appendMarkdown('\n\n');
    const waiting = c.customerWaitingSince?.time;
    if (waiting && c.status !== 'closed') {
      md.appendText(vscode.l10n.t('Waiting: {0}', c.customerWaitingSince?.friendly ?? longAge(waiting)));
      md.appendMarkdown('\n\n');
    }
    const tags = tagNames(c);
    if (tags.length > 0) md.appendText(vscode.l10n.t('Tags: {0}', tags.join(', ')));
    return md;
  }
  get webUrl(): string {
    return conversationWebUrl(this.conversation);
  }
}

/** What the Mailboxes filter can narrow down; each part is a request parameter. */
export interface ConversationFilter {
  readonly status?: ConversationStatusFilter;
  readonly assignee?: { readonly id: number; readonly name: string };
  readonly tag?: string;
  /** Search text, sent as the API's `query` (its search syntax works too). */
  readonly text?: string;
}

/** The request parameters for one folder under a filter. */
export function folderListFilters(mailboxId: number, folderId: number, f: ConversationFilter): ConversationFilters {
  return {
    mailbox: mailboxId,
    folder: folderId,
    // Folders already partition conversations by state, so every status is asked for;
    // the API's default (`active`) would hide most of Closed and Spam.
    status: f.status ?? 'all',
    ...(f.tag !== undefined ? { tag: f.tag } : {}),
    ...(f.assignee !== undefined ? { assignedTo: f.assignee.id } : {}),
    ...(f.text !== undefined ? { query: q.build(q.raw(f.text)) } : {}),
    sortField: 'createdAt',
    sortOrder: 'desc',
  };
}

export function describeFilter(f: ConversationFilter): string | undefined {
  const parts: string[] = [];
  if (f.status) parts.push(vscode.l10n.t('status: {0}', f.status));
  if (f.assignee) parts.push(vscode.l10n.t('assignee: {0}', f.assignee.name));
  if (f.tag) parts.push(vscode.l10n.t('tag: {0}', f.tag));
  if (f.text) parts.push(`"${f.text}"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

export class MailboxesModel extends TreeModel {
  private current: ConversationFilter = {};
  private readonly filterChanged = new vscode.EventEmitter<ConversationFilter>();
  readonly onDidChangeFilter = this.filterChanged.event;

  constructor(private readonly services: HelpScoutServices) {
    super(Views.mailboxes);
    this.register(this.filterChanged);
    // Another account or endpoint: everything shown is stale. A renewed token changes nothing here.
    this.register(services.onDidChangeAccount((api) => {
      if (api === 'mailbox') this.refresh();
    }));
  }

  get filter(): ConversationFilter {
    return this.current;
  }

  /** Replaces the filter; loaded conversation lists are dropped and fetched again with it. */
  setFilter(f: ConversationFilter): void {
    this.current = f;
    this.filterChanged.fire(f);
    for (const n of [...this.loaded()]) if (n instanceof FolderNode) this.refresh(n);
  }

  protected async fetch(parent: Node | undefined, page: number, signal: AbortSignal): Promise<ChildPage> {
    const client = this.services.mailbox();
    if (parent === undefined) {
      const p = await client.listMailboxes({ signal }).getPage(page);
      return { nodes: p.items.map((m) => new MailboxNode(m)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    if (parent instanceof MailboxNode) {
      const p = await client.listFolders(parent.mailbox.id, { signal }).getPage(page);
      return { nodes: p.items.map((f) => new FolderNode(parent, f)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    if (parent instanceof FolderNode) {
      const filters = folderListFilters(parent.parent.mailbox.id, parent.folder.id, this.current);
      const p = await client.listConversations(filters, { signal }).getPage(page);
      return { nodes: p.items.map((c) => new ConversationNode(parent, c)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    return { nodes: [], hasNext: false };
  }

  protected override emptyText(parent: Node | undefined): string | undefined {
    if (parent instanceof FolderNode) {
      return describeFilter(this.current) ? vscode.l10n.t('No conversations match the filter') : vscode.l10n.t('No conversations');
    }
    return parent === undefined ? undefined : vscode.l10n.t('Nothing here');
  }

  /**
   * A conversation in `mailboxId` changed (status, assignee, tags, threads): its
   * mailbox's folders are fetched again, so counts update and a conversation
   * that moved folder shows in its new one. Expanded folders stay expanded.
   */
  conversationChanged(mailboxId: number): void {
    for (const n of [...this.loaded()]) if (n instanceof MailboxNode && n.mailbox.id === mailboxId) this.refresh(n);
  }
}
