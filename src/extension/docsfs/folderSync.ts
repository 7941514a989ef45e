// "Clone Docs to Folder…", "Pull Docs" and "Push Docs…": the Docs-as-code engine
// (core/docsync) behind VS Code commands. Everything that touches Help Scout or
// the folder is the engine's; this file only asks, shows progress and reports.
import * as vscode from 'vscode';
import { z } from 'zod';
import { STATE_FILE, clone, executePush, planPush, pull, type CloneResult, type PullResult, type PushMode, type PushOutcome, type PushPlan } from '../../core/docsync';
import { argsOf, command, type CommandEntry, preConfirmed, uriArg } from '../commands';
import { Commands } from '../constants';
import type { HelpScoutServices } from '../services';

/** What to clone: a site or one collection (the command asks when neither is given). */
const cloneTargetArg = z.object({ siteId: z.string().optional(), collectionId: z.string().optional() }).optional();
/** Push options: `confirmed` skips the question (tests only), `mode` is then the choice (drafts by default). */
const pushOptionsArg = z.object({ confirmed: z.boolean().optional(), mode: z.enum(['draft', 'publish']).optional() }).optional();

export interface PushResult {
  plan: PushPlan;
  /** Undefined when nothing was sent (nothing to send, or the writer cancelled). */
  outcomes?: PushOutcome[];
}

export function docsFolderCommands(services: HelpScoutServices): CommandEntry[] {
  const title = (what: string): { title: string } => ({ title: vscode.l10n.t('Help Scout Docs ({0})', what) });
  return [
    command(Commands.docsCloneToFolder, argsOf(cloneTargetArg, uriArg.optional()), (target, folder) => cloneToFolder(services, target, folder), title('clone')),
    command(Commands.docsPull, argsOf(uriArg.optional()), (folder) => pullFolder(services, folder), title('pull')),
    command(Commands.docsPush, argsOf(uriArg.optional(), pushOptionsArg), (folder, opts) => pushFolder(services, folder, opts), title('push')),
  ];
}

function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await task(controller.signal);
    } finally {
      sub.dispose();
    }
  }));
}

interface TargetItem extends vscode.QuickPickItem {
  siteId?: string;
  collectionId?: string;
}

async function pickTarget(services: HelpScoutServices): Promise<{ siteId?: string; collectionId?: string } | undefined> {
  const client = services.docs();
  const items = await withProgress(vscode.l10n.t('Listing Docs sites…'), async (signal) => {
    const list: TargetItem[] = [];
    for (const site of await client.listSites({ signal }).toArray()) {
      const siteId = String(site.id);
      const name = site.title ?? site.companyName ?? site.subDomain ?? siteId;
      list.push({ label: `$(globe) ${name}`, description: vscode.l10n.t('whole site'), siteId });
      for (const c of await client.listCollections({ siteId }, { signal }).toArray()) {
        list.push({ label: `$(book) ${c.name}`, description: vscode.l10n.t('collection of {0}', name), collectionId: c.id });
      }
    }
    return list;
  });
  if (items.length === 0) throw new Error(vscode.l10n.t('This Docs account has no site to clone.'));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Clone Docs to Folder: a site or one collection'), matchOnDescription: true });
  if (!picked) return undefined;
  return picked.collectionId !== undefined ? { collectionId: picked.collectionId } : picked.siteId !== undefined ? { siteId: picked.siteId } : undefined;
}

async function cloneToFolder(services: HelpScoutServices, target: z.infer<typeof cloneTargetArg>, folder: vscode.Uri | undefined): Promise<CloneResult | undefined> {
  const chosen = target?.siteId !== undefined || target?.collectionId !== undefined ? target : await pickTarget(services);
  if (!chosen) return undefined;
  let dir = folder;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
      openLabel: vscode.l10n.t('Clone Here'), title: vscode.l10n.t('Clone Docs into a new or empty folder'),
    });
    dir = picked?.[0];
  }
  if (!dir) return undefined;
  const client = services.docs();
  const result = await withProgress(vscode.l10n.t('Cloning Help Scout Docs…'), (signal) => clone(client, dir.fsPath, {
    signal, ...(chosen.siteId !== undefined ? { siteId: chosen.siteId } : {}), ...(chosen.collectionId !== undefined ? { collectionId: chosen.collectionId } : {}),
  }));
  const open = vscode.l10n.t('Open Folder');
  const addToWorkspace = vscode.l10n.t('Add to Workspace');
  // Not awaited: the command finishes when the clone does.
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Cloned {0} article(s) from {1} collection(s) into {2}.', result.files.length, result.collections, dir.fsPath),
    open, addToWorkspace,
  ).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('vscode.openFolder', dir, { forceNewWindow: true });
    else if (choice === addToWorkspace) vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: dir });
  });
  return result;
}

/** The cloned folder a command acts on: its argument, else the workspace folder holding the state file (asks when several do). */
async function clonedFolder(folder: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (folder) return folder;
  const found: vscode.WorkspaceFolder[] = [];
  for (const wf of vscode.workspace.workspaceFolders ?? []) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(wf.uri, STATE_FILE));
      found.push(wf);
    } catch {
      // Not a cloned folder.
    }
  }
  if (found.length === 0) throw new Error(vscode.l10n.t('No workspace folder is a cloned Docs folder ({0}). Run "Clone Docs to Folder…" first.', STATE_FILE));
  if (found.length === 1) return found[0]?.uri;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which cloned Docs folder?') });
  if (picked && !found.some((f) => f.uri.toString() === picked.uri.toString())) {
    throw new Error(vscode.l10n.t('{0} is not a cloned Docs folder.', picked.name));
  }
  return picked?.uri;
}

async function pullFolder(services: HelpScoutServices, folder: vscode.Uri | undefined): Promise<PullResult | undefined> {
  const dir = await clonedFolder(folder);
  if (!dir) return undefined;
  const client = services.docs();
  const result = await withProgress(vscode.l10n.t('Pulling Help Scout Docs…'), (signal) => pull(client, dir.fsPath, { signal }));
  const count = (action: string): number => result.entries.filter((e) => e.action === action).length;
  if (result.entries.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Docs folder already up to date.'));
    return result;
  }
  const summary = vscode.l10n.t('Pulled {0} file(s): {1} updated, {2} merged, {3} conflicted.', result.entries.length, count('updated') + count('added') + count('restored') + count('removed'), count('merged'), result.conflicted);
  if (result.conflicted === 0) {
    void vscode.window.showInformationMessage(summary);
    return result;
  }
  const conflicted = result.entries.filter((e) => e.action === 'conflicted').map((e) => e.path);
  const openThem = vscode.l10n.t('Open Conflicted Files');
  void vscode.window.showWarningMessage(
    vscode.l10n.t('{0} Resolve the <<<<<<< / ======= / >>>>>>> blocks in: {1}', summary, conflicted.join(', ')),
    openThem,
  ).then(async (choice) => {
    if (choice !== openThem) return;
    for (const p of conflicted) await vscode.window.showTextDocument(vscode.Uri.joinPath(dir, ...p.split('/')), { preview: false });
  });
  return result;
}

function describeItem(i: PushPlan['items'][number]): string {
  if (i.action === 'refused') return vscode.l10n.t('refused {0}: {1}', i.path, i.reason ?? '');
  const notes = [vscode.l10n.t('changes {0}', i.fields.join(', '))];
  if (i.action === 'update live') notes.push(vscode.l10n.t('customers see it at once'));
  if (i.discardsDraft) notes.push(vscode.l10n.t('discards the article\'s draft'));
  return `${i.action} ${i.path} (${notes.join('; ')})`;
}

async function pushFolder(services: HelpScoutServices, folder: vscode.Uri | undefined, opts: z.infer<typeof pushOptionsArg>): Promise<PushResult | undefined> {
  const dir = await clonedFolder(folder);
  if (!dir) return undefined;
  const client = services.docs();
  const confirmed = preConfirmed(opts);
  let mode: PushMode = opts?.mode ?? 'draft';
  // Both plans are read-only: the writer sees what each choice would do before anything is sent.
  let plan = await withProgress(vscode.l10n.t('Checking the Docs folder against Help Scout…'), (signal) => planPush(client, dir.fsPath, mode, { signal }));
  const toSend = (p: PushPlan): number => p.items.filter((i) => i.action !== 'refused').length;
  if (!confirmed && toSend(plan) > 0) {
    const lines = [
      ...plan.items.map(describeItem),
      ...(plan.unchanged.length > 0 ? [vscode.l10n.t('{0} edited file(s) already match Help Scout.', plan.unchanged.length)] : []),
      ...plan.deleted.map((p) => vscode.l10n.t('not sent {0}: deleted here; push never deletes articles', p)),
      ...plan.untracked.map((p) => vscode.l10n.t('not sent {0}: not an article of this folder', p)),
    ];
    const drafts = vscode.l10n.t('Push as Drafts');
    const publish = vscode.l10n.t('Publish');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Push {0} article(s) to Help Scout? Drafts leave what customers see unchanged; Publish makes the changes live.', toSend(plan)),
      { modal: true, detail: lines.join('\n') },
      drafts, publish,
    );
    if (choice === undefined) return { plan };
    mode = choice === publish ? 'publish' : 'draft';
    if (mode !== plan.mode) plan = await withProgress(vscode.l10n.t('Checking the Docs folder against Help Scout…'), (signal) => planPush(client, dir.fsPath, mode, { signal }));
  }
  let outcomes: PushOutcome[] | undefined;
  if (toSend(plan) > 0) {
    const sendPlan = plan;
    outcomes = await withProgress(vscode.l10n.t('Pushing Help Scout Docs…'), (signal) => executePush(client, dir.fsPath, sendPlan, { signal }));
  }
  const sent = outcomes?.filter((o) => o.result === 'sent') ?? [];
  // executePush reports the plan's refused files too; without it, the plan says what was refused.
  const notSent = outcomes
    ? outcomes.filter((o) => o.result !== 'sent').map((o) => `${o.path}: ${o.message ?? o.result}`)
    : plan.items.filter((i) => i.action === 'refused').map((i) => `${i.path}: ${i.reason ?? ''}`);
  const sentText = mode === 'draft' ? vscode.l10n.t('{0} article(s) sent as drafts.', sent.length) : vscode.l10n.t('{0} article(s) published.', sent.length);
  if (notSent.length === 0) {
    void vscode.window.showInformationMessage(sent.length > 0 ? sentText : vscode.l10n.t('Nothing to push: no edited file differs from Help Scout.'));
  } else {
    const pullFirst = vscode.l10n.t('Pull First');
    void vscode.window.showWarningMessage(
      vscode.l10n.t('{0} {1} refused (changed in Help Scout since the last pull, conflict markers, or wrong front matter): {2}', sentText, notSent.length, notSent.join('; ')),
      pullFirst,
    ).then((choice) => {
      if (choice === pullFirst) void vscode.commands.executeCommand(Commands.docsPull, dir);
    });
  }
  return outcomes ? { plan, outcomes } : { plan };
}
