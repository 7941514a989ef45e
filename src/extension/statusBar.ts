// The connection status bar item: who is signed in and which APIs are connected, e.g.
// "Help Scout: Jane Doe  ✓ Mailbox  ⊘ Docs". The tooltip tells the grant, the InitiateOAuth
// mode, when the access token expires and whether a Docs key is set; a click opens the
// connection actions. Updated when an account changes (sign-in, sign-out, key changes, base
// URLs) and when a token is renewed (the tooltip shows its expiry); neither costs a request.
import * as vscode from 'vscode';
import type { StoredSession } from '../core/auth/session';
import { Commands } from './constants';
import type { HelpScoutServices } from './services';

export interface ConnectionStatus {
  session(): StoredSession | undefined;
}

export function registerStatusBar(context: vscode.ExtensionContext, services: HelpScoutServices, status: ConnectionStatus): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('helpscout.connection', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Help Scout Connection');
  item.command = Commands.connectionActions;
  context.subscriptions.push(item);

  let version = 0;
  const update = async (): Promise<void> => {
    const mine = ++version;
    const hasKey = await services.hasDocsKey();
    if (mine !== version) return; // a newer update is under way
    render(item, services, status.session(), hasKey);
  };
  context.subscriptions.push(
    services.onDidChangeAccount(() => void update()),
    services.onDidRotateCredentials(() => void update()),
  );
  void update();
  return item;
}

function render(item: vscode.StatusBarItem, services: HelpScoutServices, session: StoredSession | undefined, hasKey: boolean): void {
  const mark = (on: boolean): string => (on ? '$(pass)' : '$(circle-slash)');
  const who = session ? session.account.label : vscode.l10n.t('not signed in');
  item.text = `$(account) ${who}  ${mark(session !== undefined)} ${vscode.l10n.t('Mailbox')}  ${mark(hasKey)} ${vscode.l10n.t('Docs')}`;
  item.accessibilityInformation = {
    label: vscode.l10n.t('Help Scout: {0}; Mailbox API {1}; Docs API {2}', who,
      session ? vscode.l10n.t('connected') : vscode.l10n.t('not connected'),
      hasKey ? vscode.l10n.t('connected') : vscode.l10n.t('not connected')),
  };

  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${vscode.l10n.t('Help Scout')}**\n\n`);
  if (session) {
    const expires = session.expiresAt === undefined
      ? vscode.l10n.t('unknown (token supplied by you)')
      : new Date(session.expiresAt).toLocaleString();
    md.appendMarkdown(`$(pass) ${vscode.l10n.t('Mailbox API: signed in as')} `);
    md.appendText(session.account.label);
    md.appendMarkdown(`\n\n- ${vscode.l10n.t('Grant')}: \`${session.grant}\`\n`);
    md.appendMarkdown(`- InitiateOAuth: \`${session.initiateOAuth}\`\n`);
    md.appendMarkdown(`- ${vscode.l10n.t('Access token expires')}: ${expires}\n`);
    md.appendMarkdown(`- ${session.initiateOAuth === 'OFF' ? vscode.l10n.t('Never refreshed (InitiateOAuth is OFF)') : vscode.l10n.t('Refreshed automatically')}\n\n`);
  } else {
    md.appendMarkdown(`$(circle-slash) ${services.settings.authScheme === 'None' ? vscode.l10n.t('Mailbox API: turned off (AuthScheme=None)') : vscode.l10n.t('Mailbox API: not signed in')}\n\n`);
  }
  md.appendMarkdown(`${hasKey ? '$(pass)' : '$(circle-slash)'} ${hasKey ? vscode.l10n.t('Docs API: key set') : vscode.l10n.t('Docs API: no key')}\n\n`);
  md.appendMarkdown(vscode.l10n.t('Click for connection actions.'));
  item.tooltip = md;
  item.show();
}
