// Registers the three Help Scout trees (Mailboxes, Docs, Customers), the
// conversation panel, the article preview and every browsing command.
// Called once from `activate`; everything is owned by context.subscriptions.
import * as vscode from 'vscode';
import type { RateGovernor } from '../../core/http/governor';
import type { Conversation } from '../../core/mailbox/schemas';
import { Commands, ContextKeys, Views } from '../constants';
import { ConversationActions } from '../conversation/actions';
import { ConversationPanels } from '../conversation/panel';
import { showError } from '../errors';
import type { HelpScoutServices } from '../services';
import { ArticlePreviewProvider, PREVIEW_SCHEME, previewUri } from './articlePreview';
import { CustomersModel } from './customers';
import { ArticleNode, CollectionNode, DocsModel, describeDocsFilter } from './docs';
import { pickConversationFilter, pickDocsFilter } from './filters';
import { conversationWebUrl, type ConversationStatus } from './format';
import { MailboxesModel, describeFilter } from './mailboxes';
import { ErrorNode, LoadMoreNode, ModelTreeProvider, type Node, type TreeModel } from './tree';

export function registerViews(context: vscode.ExtensionContext, services: HelpScoutServices): void {
  const mailboxes = new MailboxesModel(services);
  const docs = new DocsModel(services);
  const customers = new CustomersModel(services);
  const models: TreeModel[] = [mailboxes, docs, customers];
  const actions = new ConversationActions(services);
  const panels = new ConversationPanels(context.extensionUri, services, actions);
  const preview = new ArticlePreviewProvider(services);
  context.subscriptions.push(...models, actions, panels, preview);

  const mailboxView = vscode.window.createTreeView(Views.mailboxes, { treeDataProvider: new ModelTreeProvider(mailboxes), showCollapseAll: true });
  const docsView = vscode.window.createTreeView(Views.docs, { treeDataProvider: new ModelTreeProvider(docs), showCollapseAll: true });
  const customersView = vscode.window.createTreeView(Views.customers, { treeDataProvider: new ModelTreeProvider(customers), showCollapseAll: true });
  context.subscriptions.push(
    mailboxView, docsView, customersView,
    pauseNotice(services.mailboxGovernor, (m) => { mailboxView.message = m ?? ''; customersView.message = m ?? ''; }),
    pauseNotice(services.docsGovernor, (m) => { docsView.message = m ?? ''; }),
    mailboxes.onDidChangeFilter((f) => {
      const d = describeFilter(f);
      mailboxView.description = d ?? '';
      void vscode.commands.executeCommand('setContext', ContextKeys.mailboxesFiltered, d !== undefined);
    }),
    docs.onDidChangeFilter((f) => {
      const d = describeDocsFilter(f);
      docsView.description = d ?? '';
      void vscode.commands.executeCommand('setContext', ContextKeys.docsFiltered, d !== undefined);
    }),
    customers.onDidChangeSearch((text) => {
      customersView.description = text === undefined ? '' : `"${text}"`;
      void vscode.commands.executeCommand('setContext', ContextKeys.customersFiltered, text !== undefined);
    }),
    // A write changes folders and counts: refresh the conversation's mailbox and any customer list showing it.
    actions.onDidWrite((w) => {
      mailboxes.conversationChanged(w.mailboxId);
      customers.conversationChanged(w.conversationId);
    }),
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, preview),
  );

  const modelOf = (node: Node): TreeModel | undefined => models.find((m) => m.owns(node));
  const conversationOf = async (arg: unknown): Promise<Conversation | undefined> => {
    // Tree rows pass their node, the panel and tests pass an id or `{ conversationId }`.
    const fromNode = (arg as { conversation?: Conversation } | undefined)?.conversation;
    if (fromNode && typeof fromNode.id === 'number') return fromNode;
    const id = typeof arg === 'number' ? arg : (arg as { conversationId?: unknown } | undefined)?.conversationId;
    if (typeof id === 'number') return services.mailbox().getConversation(id);
    return panels.active?.current;
  };
  /** A command handler for a conversation action; errors become a notification. */
  const onConversation = (run: (c: Conversation, ...rest: unknown[]) => Promise<unknown>) =>
    async (arg: unknown, ...rest: unknown[]): Promise<unknown> => {
      try {
        const c = await conversationOf(arg);
        if (!c) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Open a conversation first.'));
          return undefined;
        }
        return await run(c, ...rest);
      } catch (err) {
        await showError(err, services.log);
        return undefined;
      }
    };

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.refreshMailboxes, () => mailboxes.refresh()),
    vscode.commands.registerCommand(Commands.refreshDocs, () => docs.refresh()),
    vscode.commands.registerCommand(Commands.refreshCustomers, () => customers.refresh()),
    vscode.commands.registerCommand(Commands.refreshNode, (node: Node) => modelOf(node)?.refresh(node)),
    vscode.commands.registerCommand(Commands.loadMore, (node: LoadMoreNode) => modelOf(node)?.loadMore(node)),
    vscode.commands.registerCommand(Commands.retry, (node: ErrorNode) => modelOf(node)?.retry(node)),
    vscode.commands.registerCommand(Commands.filterMailboxes, async () => {
      try {
        const f = await pickConversationFilter(services, mailboxes.filter);
        if (f !== undefined) mailboxes.setFilter(f);
      } catch (err) {
        await showError(err, services.log);
      }
    }),
    vscode.commands.registerCommand(Commands.clearMailboxFilter, () => mailboxes.setFilter({})),
    vscode.commands.registerCommand(Commands.filterDocs, async () => {
      const f = await pickDocsFilter(docs.filter);
      if (f !== undefined) docs.setFilter(f);
    }),
    vscode.commands.registerCommand(Commands.clearDocsFilter, () => docs.setFilter({})),
    vscode.commands.registerCommand(Commands.searchCustomers, async (text?: unknown) => {
      const query = typeof text === 'string' ? text : await vscode.window.showInputBox({
        title: vscode.l10n.t('Search customers'),
        prompt: vscode.l10n.t('Name or email; leave empty to list everyone'),
        value: customers.search ?? '',
      });
      if (query !== undefined) customers.setSearch(query);
    }),
    vscode.commands.registerCommand(Commands.clearCustomerSearch, () => customers.setSearch(undefined)),

    // Conversations
    vscode.commands.registerCommand(Commands.openConversation, async (arg: unknown) => {
      const node = (arg as { conversation?: Conversation } | undefined)?.conversation;
      const id = node?.id ?? (typeof arg === 'number' ? arg : (arg as { conversationId?: unknown } | undefined)?.conversationId);
      if (typeof id !== 'number') return undefined;
      const panel = panels.show(id, node ? `#${node.number} ${node.subject ?? ''}`.trim() : undefined);
      // Resolves with what the page was sent (tests read it); errors show in the panel itself.
      return panel.rendered();
    }),
    vscode.commands.registerCommand(Commands.openConversationByNumber, async (arg?: unknown) => {
      const text = typeof arg === 'number' ? String(arg) : await vscode.window.showInputBox({
        title: vscode.l10n.t('Open conversation'),
        prompt: vscode.l10n.t('Conversation number'),
        validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('A number, like 1234')),
      });
      if (text === undefined) return undefined;
      try {
        const [found] = await services.mailbox().listConversations({ number: Number(text.trim()), status: 'all' }).toArray(1);
        if (!found) {
          void vscode.window.showWarningMessage(vscode.l10n.t('No conversation #{0}.', text.trim()));
          return undefined;
        }
        return await vscode.commands.executeCommand(Commands.openConversation, { conversation: found });
      } catch (err) {
        await showError(err, services.log);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(Commands.openConversationInHelpScout, onConversation((c) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(conversationWebUrl(c), true))))),
    vscode.commands.registerCommand(Commands.copyConversationLink, onConversation((c) => Promise.resolve(vscode.env.clipboard.writeText(conversationWebUrl(c))))),
    vscode.commands.registerCommand(Commands.copyConversationNumber, onConversation((c) => Promise.resolve(vscode.env.clipboard.writeText(String(c.number))))),
    vscode.commands.registerCommand(Commands.setConversationStatus, onConversation((c, status) => actions.setStatus(c, status as ConversationStatus | undefined))),
    vscode.commands.registerCommand(Commands.assignConversation, onConversation((c, userId) => actions.assign(c, userId as number | null | undefined))),
    vscode.commands.registerCommand(Commands.editConversationTags, onConversation((c, tags) => actions.editTags(c, tags as string[] | undefined))),
    vscode.commands.registerCommand(Commands.addConversationNote, onConversation((c, text) => actions.addNote(c, text as string | undefined))),
    vscode.commands.registerCommand(Commands.replyToConversation, onConversation((c, text, opts) => actions.reply(c, text as string | undefined, (opts ?? {}) as { confirmed?: boolean }))),

    // Docs
    vscode.commands.registerCommand(Commands.browseArticle, (node: ArticleNode) => openArticle(services, node)),
    vscode.commands.registerCommand(Commands.openArticlePublicUrl, async (node: ArticleNode) => {
      if (node.article.publicUrl) await vscode.env.openExternal(vscode.Uri.parse(node.article.publicUrl, true));
    }),
    vscode.commands.registerCommand(Commands.copyArticleLink, async (node: ArticleNode) => {
      if (node.article.publicUrl) await vscode.env.clipboard.writeText(node.article.publicUrl);
    }),
  );
}

/** Shows "rate limited, resuming in N s" as the view message while the governor pauses. */
export function pauseNotice(governor: RateGovernor, setMessage: (message: string | undefined) => void): vscode.Disposable {
  const sub = governor.onDidChange((e) => {
    if (e.type === 'paused' && e.reason === 'rate-limited') {
      const s = Math.max(1, Math.ceil((e.until - Date.now()) / 1000));
      setMessage(vscode.l10n.t('Help Scout is rate limiting requests; resuming in {0} s.', s));
    } else if (e.type === 'resumed') {
      setMessage(undefined);
    }
  });
  return new vscode.Disposable(() => sub.dispose());
}

/**
 * Opens an article from the Docs view: through the editable `helpscout-docs:`
 * file system once it is registered (its `helpscout.openArticle` command), else
 * as a read-only Markdown preview.
 */
async function openArticle(services: HelpScoutServices, node: ArticleNode): Promise<void> {
  try {
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes(Commands.openArticle)) {
      await vscode.commands.executeCommand(Commands.openArticle, node.article.id);
      return;
    }
    const collection: CollectionNode | undefined = node.collection;
    const uri = previewUri({
      articleId: node.article.id,
      collectionId: node.article.collectionId,
      collectionName: collection?.collection.name ?? node.article.collectionId,
      siteName: collection?.parent.site.subDomain ?? collection?.parent.site.id ?? 'docs',
      slug: node.article.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
    });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
  } catch (err) {
    await showError(err, services.log, node.article.name);
  }
}
