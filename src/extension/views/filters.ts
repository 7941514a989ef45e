// The filter commands' pickers. Each returns the new filter, or undefined when
// the user cancelled. Lists offered (users, tags) are fetched once per picker,
// one request each, within the shared rate budget.
import * as vscode from 'vscode';
import type { ArticleStatusFilter } from '../../core/docs/client';
import type { ConversationStatusFilter } from '../../core/mailbox/client';
import type { HelpScoutServices } from '../services';
import type { DocsFilter } from './docs';
import type { ConversationFilter } from './mailboxes';

type Part<T> = vscode.QuickPickItem & { part: T };

const STATUS_FILTERS: readonly ConversationStatusFilter[] = ['all', 'active', 'pending', 'open', 'closed', 'spam'];

export async function pickConversationFilter(services: HelpScoutServices, current: ConversationFilter): Promise<ConversationFilter | undefined> {
  const none = vscode.l10n.t('any');
  const part = await vscode.window.showQuickPick<Part<'status' | 'assignee' | 'tag' | 'text' | 'clear'>>(
    [
      { label: `$(circle-large-outline) ${vscode.l10n.t('Status')}`, description: current.status ?? none, part: 'status' },
      { label: `$(person) ${vscode.l10n.t('Assignee')}`, description: current.assignee?.name ?? none, part: 'assignee' },
      { label: `$(tag) ${vscode.l10n.t('Tag')}`, description: current.tag ?? none, part: 'tag' },
      { label: `$(search) ${vscode.l10n.t('Search text')}`, description: current.text ?? none, part: 'text' },
      { label: `$(clear-all) ${vscode.l10n.t('Clear filter')}`, part: 'clear' },
    ],
    { title: vscode.l10n.t('Filter conversations'), placeHolder: vscode.l10n.t('What to filter by (sent to Help Scout with each folder request)') },
  );
  if (part === undefined) return undefined;
  const client = services.mailbox();
  switch (part.part) {
    case 'clear':
      return {};
    case 'status': {
      const picked = await vscode.window.showQuickPick<Part<ConversationStatusFilter | undefined>>(
        [{ label: vscode.l10n.t('Any (folder default)'), part: undefined }, ...STATUS_FILTERS.map((s): Part<ConversationStatusFilter | undefined> => ({ label: s, part: s }))],
        { title: vscode.l10n.t('Conversation status') },
      );
      if (picked === undefined) return undefined;
      return withPart(current, 'status', picked.part);
    }
    case 'assignee': {
      const users = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading users…') },
        () => client.listUsers().toArray(500),
      );
      const picked = await vscode.window.showQuickPick<Part<{ id: number; name: string } | undefined>>(
        [
          { label: vscode.l10n.t('Anyone'), part: undefined },
          ...users.map((u) => {
            const name = [u.firstName, u.lastName].filter(Boolean).join(' ') || (u.email ?? String(u.id));
            return { label: name, description: u.email ?? '', part: { id: u.id, name } };
          }),
        ],
        { title: vscode.l10n.t('Assigned to'), matchOnDescription: true },
      );
      if (picked === undefined) return undefined;
      return withPart(current, 'assignee', picked.part);
    }
    case 'tag': {
      const tags = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading tags…') },
        () => client.listTags().toArray(500),
      );
      const picked = await vscode.window.showQuickPick<Part<string | undefined>>(
        [{ label: vscode.l10n.t('Any tag'), part: undefined }, ...tags.map((t) => ({ label: t.name, part: t.name }))],
        { title: vscode.l10n.t('Tag') },
      );
      if (picked === undefined) return undefined;
      return withPart(current, 'tag', picked.part);
    }
    case 'text': {
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Search conversations'),
        prompt: vscode.l10n.t('Words to search for, or Help Scout search syntax such as subject:"refund"'),
        value: current.text ?? '',
      });
      if (text === undefined) return undefined;
      return withPart(current, 'text', text.trim() === '' ? undefined : text.trim());
    }
  }
}

export async function pickDocsFilter(current: DocsFilter): Promise<DocsFilter | undefined> {
  const part = await vscode.window.showQuickPick<Part<'status' | 'text' | 'clear'>>(
    [
      { label: `$(circle-large-outline) ${vscode.l10n.t('Article status')}`, description: current.status ?? 'all', part: 'status' },
      { label: `$(search) ${vscode.l10n.t('Search articles')}`, description: current.text ?? vscode.l10n.t('none'), part: 'text' },
      { label: `$(clear-all) ${vscode.l10n.t('Clear filter')}`, part: 'clear' },
    ],
    { title: vscode.l10n.t('Filter Docs') },
  );
  if (part === undefined) return undefined;
  if (part.part === 'clear') return {};
  if (part.part === 'status') {
    const picked = await vscode.window.showQuickPick<Part<ArticleStatusFilter>>(
      (['all', 'published', 'notpublished'] as const).map((s) => ({ label: s, part: s })),
      { title: vscode.l10n.t('Article status') },
    );
    return picked === undefined ? undefined : withPart(current, 'status', picked.part === 'all' ? undefined : picked.part);
  }
  const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Search articles'), value: current.text ?? '' });
  if (text === undefined) return undefined;
  return withPart(current, 'text', text.trim() === '' ? undefined : text.trim());
}

/** A copy of `f` with `key` set, or removed when `value` is undefined (exactOptionalPropertyTypes). */
export function withPart<F extends object, K extends keyof F>(f: F, key: K, value: F[K] | undefined): F {
  const copy = { ...f };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}
