// The conversation webview: one panel per conversation, showing its threads
// oldest first (newest last) with sanitized bodies, and buttons for the
// actions in ./actions. The page (src/webview/conversation.ts) posts `ready`
// first; then the panel fetches the conversation and its threads (two
// requests) and posts `render`. Every message is validated with the shared
// schemas in core/protocol/conversation. Links from bodies are opened only
// after their scheme is checked; remote images load only after the user asks,
// for that panel, by re-rendering with a CSP that allows them.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import type { Conversation, Thread } from '../../core/mailbox/schemas';
import {
  type ConversationView, type FromPage, type PanelAction, type ThreadView, type ToPage, fromPageSchema,
} from '../../core/protocol/conversation';
import { describeError, showError } from '../errors';
import type { HelpScoutServices } from '../services';
import { conversationWebUrl, longAge, personName, statusLabel, tagNames } from '../views/format';
import type { ConversationActions } from './actions';
import { isOpenableLink, sanitizeBody } from '../../core/conversation/sanitize';
import { webviewPage } from '../webviewPage';

export const conversationViewType = 'helpscout.conversation';

/** Opens and tracks conversation panels; reloads a panel after a write to its conversation. */
export class ConversationPanels extends Disposable implements vscode.Disposable {
  private readonly panels = new Map<number, ConversationPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: HelpScoutServices,
    private readonly actions: ConversationActions,
  ) {
    super();
    this.register(actions.onDidWrite((w) => void this.panels.get(w.conversationId)?.reload()));
  }

  /** Shows the conversation's panel, creating it on first use. */
  show(conversationId: number, title?: string): ConversationPanel {
    const existing = this.panels.get(conversationId);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      conversationViewType,
      title ?? vscode.l10n.t('Conversation {0}', conversationId),
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
      },
    );
    const panel = new ConversationPanel(webviewPanel, conversationId, this.extensionUri, this.services, this.actions);
    this.panels.set(conversationId, panel);
    webviewPanel.onDidDispose(() => this.panels.delete(conversationId));
    return panel;
  }

  /** Open panels, for tests and for commands that act on "the current conversation". */
  get(conversationId: number): ConversationPanel | undefined {
    return this.panels.get(conversationId);
  }

  get active(): ConversationPanel | undefined {
    for (const p of this.panels.values()) if (p.isActive) return p;
    return undefined;
  }

  override dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    super.dispose();
  }
}

export class ConversationPanel extends Disposable implements vscode.Disposable {
  private allowRemoteImages = false;
  private conversation: Conversation | undefined;
  private threads: Thread[] = [];
  private abort = new AbortController();
  /** The last render, sent again when the page reloads (e.g. after being hidden). */
  private lastRender: ToPage | undefined;
  private readonly renderedEmitter = this.register(new vscode.EventEmitter<ToPage | undefined>());

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly conversationId: number,
    private readonly extensionUri: vscode.Uri,
    private readonly services: HelpScoutServices,
    private readonly actions: ConversationActions,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'helpscout.svg');
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.setHtml();
  }

  get isActive(): boolean {
    return this.panel.active;
  }

  /** The conversation as last loaded. */
  get current(): Conversation | undefined {
    return this.conversation;
  }

  /**
   * Resolves with the next `render` or `error` message sent to the page (or the last one,
   * when there is one), so tests know what the page shows; with undefined when the panel
   * closes first.
   */
  rendered(): Promise<ToPage | undefined> {
    if (this.lastRender) return Promise.resolve(this.lastRender);
    if (this.isDisposed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const sub = this.renderedEmitter.event((m) => {
        sub.dispose();
        resolve(m);
      });
    });
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Sets the page with a fresh nonce and a CSP that allows remote images only once the user asked. */
  private setHtml(): void {
    this.panel.webview.html = webviewPage({
      webview: this.panel.webview,
      extensionUri: this.extensionUri,
      script: 'conversation',
      style: 'conversation.css',
      title: 'Conversation',
      body: '<main id="app" aria-live="polite"></main>',
      ...(this.allowRemoteImages ? { extraImageSources: 'https: http:' } : {}),
    });
  }

  private post(message: ToPage): void {
    void this.panel.webview.postMessage(message);
    if (message.type === 'render' || message.type === 'error') this.renderedEmitter.fire(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = fromPageSchema.safeParse(raw);
    if (!parsed.success) {
      this.services.log.warn(`[conversation] ignored an invalid message from the page: ${parsed.error.message}`);
      return;
    }
    const m: FromPage = parsed.data;
    switch (m.type) {
      case 'ready':
        if (this.lastRender) this.post(this.lastRender);
        else await this.reload();
        return;
      case 'openLink':
        if (isOpenableLink(m.href)) await vscode.env.openExternal(vscode.Uri.parse(m.href, true));
        else this.services.log.warn('[conversation] refused to open a link that is not http(s) or mailto');
        return;
      case 'action':
        await this.runAction(m.action);
        return;
      case 'addNote':
      case 'reply': {
        const c = this.conversation;
        if (!c) return;
        try {
          const ok = m.type === 'addNote' ? await this.actions.addNote(c, m.text) : await this.actions.reply(c, m.text);
          this.post({
            type: 'result', requestId: m.requestId, ok,
            message: ok ? (m.type === 'addNote' ? vscode.l10n.t('Note added.') : vscode.l10n.t('Reply sent.')) : vscode.l10n.t('Not sent.'),
          });
        } catch (err) {
          this.services.log.error(`[conversation] ${m.type} failed: ${err instanceof Error ? err.message : String(err)}`);
          this.post({ type: 'result', requestId: m.requestId, ok: false, message: describeError(err).message });
        }
        return;
      }
    }
  }

  private async runAction(action: PanelAction): Promise<void> {
    const c = this.conversation;
    if (action === 'refresh') return this.reload();
    if (action === 'loadRemoteImages') {
      this.allowRemoteImages = true;
      this.lastRender = undefined;
      this.setHtml(); // the page reloads with the wider CSP and posts `ready` again
      return;
    }
    if (!c) return;
    try {
      switch (action) {
        case 'openInHelpScout':
          await vscode.env.openExternal(vscode.Uri.parse(conversationWebUrl(c), true));
          return;
        case 'copyLink':
          await vscode.env.clipboard.writeText(conversationWebUrl(c));
          return;
        case 'copyNumber':
          await vscode.env.clipboard.writeText(String(c.number));
          return;
        case 'setStatus':
          await this.actions.setStatus(c);
          return;
        case 'assign':
          await this.actions.assign(c);
          return;
        case 'editTags':
          await this.actions.editTags(c);
          return;
      }
    } catch (err) {
      await showError(err, this.services.log, vscode.l10n.t('Conversation #{0}', c.number));
    }
  }

  /** Fetches the conversation and its threads again and re-renders. */
  async reload(): Promise<void> {
    this.abort.abort();
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.post({ type: 'loading' });
    try {
      const client = this.services.mailbox();
      const [c, threads] = await Promise.all([
        client.getConversation(this.conversationId, { signal }),
        client.listThreads(this.conversationId, { signal }).toArray(),
      ]);
      if (signal.aborted) return;
      this.conversation = c;
      this.threads = threads;
      this.panel.title = `#${c.number} ${c.subject ?? ''}`.trim();
      this.lastRender = this.renderMessage();
      this.post(this.lastRender);
    } catch (err) {
      if (signal.aborted) return;
      this.services.log.error(`[conversation] loading ${this.conversationId} failed: ${err instanceof Error ? err.message : String(err)}`);
      this.post({ type: 'error', message: describeError(err).message });
    }
  }

  private renderMessage(): ToPage {
    const c = this.conversation as Conversation;
    let blocked = 0;
    const ordered = [...this.threads].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id - b.id);
    const threads: ThreadView[] = ordered.map((t) => {
      const body = sanitizeBody(t.body ?? '', this.allowRemoteImages);
      blocked += body.blockedImages;
      return {
        id: t.id,
        type: t.type,
        author: personName(t.createdBy ?? (t.type === 'customer' ? t.customer : undefined), vscode.l10n.t('Unknown')),
        createdAt: t.createdAt ? new Date(t.createdAt).toLocaleString() : '',
        bodyHtml: body.html,
        actionText: t.action?.text ?? '',
        to: [...(t.to ?? [])],
        cc: [...(t.cc ?? [])],
        attachments: (t._embedded?.attachments ?? []).map((a) => ({
          name: a.filename ?? vscode.l10n.t('attachment'),
          mimeType: a.mimeType ?? '',
          size: a.size ?? null,
        })),
      };
    });
    const view: ConversationView = {
      id: c.id,
      number: c.number,
      subject: c.subject ?? '',
      status: c.status,
      statusLabel: statusLabel(c.status),
      customer: personName(c.primaryCustomer, vscode.l10n.t('Unknown customer')),
      assignee: personName(c.assignee, vscode.l10n.t('Unassigned')),
      tags: tagNames(c),
      createdAt: c.createdAt ? new Date(c.createdAt).toLocaleString() : '',
      waiting: c.status !== 'closed' && c.customerWaitingSince?.time
        ? (c.customerWaitingSince.friendly ?? longAge(c.customerWaitingSince.time))
        : '',
      webUrl: conversationWebUrl(c),
    };
    return { type: 'render', conversation: view, threads, blockedImages: blocked, remoteImagesAllowed: this.allowRemoteImages };
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.abort.abort();
    // Whoever waits for a render learns that none will come.
    this.renderedEmitter.fire(undefined);
    super.dispose();
    this.panel.dispose();
  }
}
