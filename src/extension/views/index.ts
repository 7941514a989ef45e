// Registers the three Help Scout trees (Mailboxes, Docs, Customers) and the
// conversation panel, and returns the browsing commands' table. Called once
// from `activate`; everything is owned by context.subscriptions.
import * as vscode from 'vscode';
import type { RateGovernor } from '../../core/http/governor';
import { z } from 'zod';
import type { Conversation } from '../../core/mailbox/schemas';
import type { ToPage } from '../../core/protocol/conversation';
import { argsOf, command, type CommandEntry, confirmedArg, noArgs, preConfirmed } from '../commands';
import { type CommandId, Commands, ContextKeys, Views } from '../constants';
import { ConversationActions } from '../conversation/actions';
import { type ConversationPanel, ConversationPanels } from '../conversation/panel';
import type { HelpScoutServices } from '../services';
import { CustomersModel } from './customers';
import { ArticleNode, DocsModel, describeDocsFilter } from './docs';
import { pickConversationFilter, pickDocsFilter } from './filters';
import { conversationWebUrl } from './format';
import { MailboxesModel, describeFilter } from './mailboxes';
import { ErrorNode, LoadMoreNode, ModelTreeProvider, Node, type TreeModel } from './tree';

/** Test access to the trees and panels (ExtensionMode.Test only; see extension.ts). */
export interface ViewsTestHooks {
  readonly mailboxes: MailboxesModel;
  readonly docs: DocsModel;
  readonly customers: CustomersModel;
  /** Opens a conversation's panel; resolves with what the page was sent (undefined if it closed first). */
  openConversation(ref: ConversationRef): Promise<ToPage | undefined>;
  panel(conversationId: number): ConversationPanel | undefined;
}

export function registerViews(context: vscode.ExtensionContext, services: HelpScoutServices): { commands: CommandEntry[]; docs: DocsModel; testHooks: ViewsTestHooks } {
  const mailboxes = new MailboxesModel(services);
  const docs = new DocsModel(services);
  const customers = new CustomersModel(services);
  const models: TreeModel[] = [mailboxes, docs, customers];
  const actions = new ConversationActions(services);
  const panels = new ConversationPanels(context.extensionUri, services, actions);
  context.subscriptions.push(...models, actions, panels);

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
  );

  const modelOf = (node: Node): TreeModel | undefined => models.find((m) => m.owns(node));
  /** A node this extension's trees handed to VS Code (refresh, load more, retry rows). */
  const ownNode = z.custom<Node>((v) => v instanceof Node && modelOf(v) !== undefined, 'a Help Scout tree item');
  /** An article row of the Docs tree (anything holding an `article` with an id). */
  const articleNode = z.custom<Pick<ArticleNode, 'article'>>((v) => typeof (v as { article?: { id?: unknown } } | null)?.article?.id === 'string', 'a Docs article');

  const conversationOf = async (ref: ConversationRef | undefined): Promise<Conversation | undefined> => {
    if (ref === undefined) return panels.active?.current;
    if (typeof ref === 'number') return services.mailbox().getConversation(ref);
    if ('conversation' in ref) return ref.conversation as Conversation;
    return services.mailbox().getConversation(ref.conversationId);
  };
  /** A conversation action: the conversation comes from a tree row, an id or the active panel. */
  const onConversation = <A extends readonly unknown[]>(
    id: CommandId,
    title: string,
    rest: readonly [...{ [K in keyof A]: z.ZodType<A[K]> }],
    run: (c: Conversation, ...rest: A) => Promise<unknown>,
  ): CommandEntry => command(id, argsOf(ConversationRef.optional(), ...(rest as unknown as z.ZodType[])), async (ref, ...more) => {
    const c = await conversationOf(ref);
    if (!c) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a conversation first.'));
      return undefined;
    }
    return run(c, ...(more as unknown as A));
  }, { title });

  const openConversation = async (ref: ConversationRef): Promise<ConversationPanel | undefined> => {
    const node: Conversation | undefined = typeof ref === 'object' && 'conversation' in ref ? ref.conversation : undefined;
    const id = node?.id ?? (typeof ref === 'number' ? ref : 'conversationId' in ref ? ref.conversationId : undefined);
    if (id === undefined) return undefined;
    return panels.show(id, node ? `#${node.number ?? ''} ${node.subject ?? ''}`.trim() : undefined);
  };

  const commands: CommandEntry[] = [
    command(Commands.refreshMailboxes, noArgs, () => mailboxes.refresh(), { title: vscode.l10n.t('Refresh Mailboxes') }),
    command(Commands.refreshDocs, noArgs, () => docs.refresh(), { title: vscode.l10n.t('Refresh Docs') }),
    command(Commands.refreshCustomers, noArgs, () => customers.refresh(), { title: vscode.l10n.t('Refresh Customers') }),
    command(Commands.refreshNode, argsOf(ownNode), (node) => modelOf(node)?.refresh(node), { title: vscode.l10n.t('Refresh') }),
    command(Commands.loadMore, argsOf(ownNode.refine((n) => n instanceof LoadMoreNode)), (node) => modelOf(node)?.loadMore(node as LoadMoreNode), { title: vscode.l10n.t('Load More') }),
    command(Commands.retry, argsOf(ownNode.refine((n) => n instanceof ErrorNode)), (node) => modelOf(node)?.retry(node as ErrorNode), { title: vscode.l10n.t('Retry') }),
    command(Commands.filterMailboxes, noArgs, async () => {
      const f = await pickConversationFilter(services, mailboxes.filter);
      if (f !== undefined) mailboxes.setFilter(f);
    }, { title: vscode.l10n.t('Filter Conversations') }),
    command(Commands.clearMailboxFilter, noArgs, () => mailboxes.setFilter({}), { title: vscode.l10n.t('Clear Conversation Filter') }),
    command(Commands.filterDocs, noArgs, async () => {
      const f = await pickDocsFilter(docs.filter);
      if (f !== undefined) docs.setFilter(f);
    }, { title: vscode.l10n.t('Filter Docs Articles') }),
    command(Commands.clearDocsFilter, noArgs, () => docs.setFilter({}), { title: vscode.l10n.t('Clear Docs Filter') }),
    command(Commands.searchCustomers, argsOf(z.string().optional()), async (text) => {
      const query = text ?? await vscode.window.showInputBox({
        title: vscode.l10n.t('Search customers'),
        prompt: vscode.l10n.t('Name or email; leave empty to list everyone'),
        value: customers.search ?? '',
      });
      if (query !== undefined) customers.setSearch(query);
    }, { title: vscode.l10n.t('Search Customers') }),
    command(Commands.clearCustomerSearch, noArgs, () => customers.setSearch(undefined), { title: vscode.l10n.t('Clear Customer Search') }),

    // Conversations
    command(Commands.openConversation, argsOf(ConversationRef), async (ref) => {
      await openConversation(ref);
    }, { title: vscode.l10n.t('Open Conversation') }),
    command(Commands.openConversationByNumber, argsOf(z.number().int().positive().optional()), async (number) => {
      const text = number !== undefined ? String(number) : await vscode.window.showInputBox({
        title: vscode.l10n.t('Open conversation'),
        prompt: vscode.l10n.t('Conversation number'),
        validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('A number, like 1234')),
      });
      if (text === undefined) return;
      const [found] = await services.mailbox().listConversations({ number: Number(text.trim()), status: 'all' }).toArray(1);
      if (!found) {
        void vscode.window.showWarningMessage(vscode.l10n.t('No conversation #{0}.', text.trim()));
        return;
      }
      await openConversation({ conversation: found });
    }, { title: vscode.l10n.t('Open Conversation by Number') }),
    onConversation(Commands.openConversationInHelpScout, vscode.l10n.t('Open Conversation in Help Scout'), [], (c) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(conversationWebUrl(c), true)))),
    onConversation(Commands.copyConversationLink, vscode.l10n.t('Copy Conversation Link'), [], (c) => Promise.resolve(vscode.env.clipboard.writeText(conversationWebUrl(c)))),
    onConversation(Commands.copyConversationNumber, vscode.l10n.t('Copy Conversation Number'), [], (c) => Promise.resolve(vscode.env.clipboard.writeText(String(c.number)))),
    onConversation(Commands.setConversationStatus, vscode.l10n.t('Change Conversation Status'), [z.enum(['active', 'pending', 'closed', 'spam']).optional()], (c, status) => actions.setStatus(c, status)),
    onConversation(Commands.assignConversation, vscode.l10n.t('Assign Conversation'), [z.number().int().nullable().optional()], (c, userId) => actions.assign(c, userId)),
    onConversation(Commands.editConversationTags, vscode.l10n.t('Edit Conversation Tags'), [z.array(z.string()).optional()], (c, tags) => actions.editTags(c, tags)),
    onConversation(Commands.addConversationNote, vscode.l10n.t('Add Note'), [z.string().optional()], (c, text) => actions.addNote(c, text)),
    onConversation(Commands.replyToConversation, vscode.l10n.t('Reply'), [z.string().optional(), confirmedArg], (c, text, opts) => actions.reply(c, text, preConfirmed(opts) ? { confirmed: true } : {})),

    // Docs: the tree's article rows open in the editable `helpscout-docs:` file system.
    command(Commands.browseArticle, argsOf(articleNode), (node) => vscode.commands.executeCommand(Commands.openArticle, node.article.id), { title: vscode.l10n.t('Open Article') }),
    command(Commands.openArticlePublicUrl, argsOf(articleNode), async (node) => {
      if (node.article.publicUrl) await vscode.env.openExternal(vscode.Uri.parse(node.article.publicUrl, true));
    }, { title: vscode.l10n.t('Open Article on Public Site') }),
    command(Commands.copyArticleLink, argsOf(articleNode), async (node) => {
      if (node.article.publicUrl) await vscode.env.clipboard.writeText(node.article.publicUrl);
    }, { title: vscode.l10n.t('Copy Article Link') }),
  ];

  return {
    commands,
    docs,
    testHooks: {
      mailboxes,
      docs,
      customers,
      openConversation: async (ref) => (await openConversation(ref))?.rendered(),
      panel: (id) => panels.get(id),
    },
  };
}

/**
 * How commands name a conversation: a tree row (anything with a `conversation`), its id, or
 * `{ conversationId }` (links, tests, automation).
 */
const ConversationRef = z.union([
  z.number().int().positive(),
  z.object({ conversationId: z.number().int().positive() }),
  z.custom<{ conversation: Conversation }>((v) => {
    const c = (v as { conversation?: { id?: unknown } } | null)?.conversation;
    return typeof v === 'object' && typeof c?.id === 'number';
  }, 'a conversation'),
]);
type ConversationRef = z.output<typeof ConversationRef>;

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
