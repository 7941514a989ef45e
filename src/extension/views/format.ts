// Small display helpers shared by the trees and the conversation panel.
import * as vscode from 'vscode';
import type { Conversation, PersonRef } from '../../core/mailbox/schemas';

/** "Jane Doe", else the email, else a fallback. */
export function personName(p: PersonRef | null | undefined, fallback = ''): string {
  if (!p) return fallback;
  const name = [p.first, p.last].filter((s) => s !== null && s !== undefined && s !== '').join(' ');
  return name || p.email || fallback;
}

/** A compact age for tree rows: "5m", "3h", "2d", "4w", "1y". */
export function shortAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const m = Math.max(0, Math.round((now - t) / 60_000));
  if (m < 60) return vscode.l10n.t('{0}m', m);
  const h = Math.round(m / 60);
  if (h < 48) return vscode.l10n.t('{0}h', h);
  const d = Math.round(h / 24);
  if (d < 14) return vscode.l10n.t('{0}d', d);
  if (d < 365) return vscode.l10n.t('{0}w', Math.round(d / 7));
  return vscode.l10n.t('{0}y', Math.round(d / 365));
}

/** A longer duration for tooltips ("3 days 4 hours"). */
export function longAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const mins = Math.max(0, Math.round((now - t) / 60_000));
  const days = Math.floor(mins / 1440);
  const hours = Math.floor((mins % 1440) / 60);
  if (days > 0) return vscode.l10n.t('{0} d {1} h', days, hours);
  if (hours > 0) return vscode.l10n.t('{0} h {1} min', hours, mins % 60);
  return vscode.l10n.t('{0} min', mins);
}

export type ConversationStatus = 'active' | 'pending' | 'closed' | 'spam';

export function statusLabel(status: string): string {
  switch (status) {
    case 'active': return vscode.l10n.t('Active');
    case 'pending': return vscode.l10n.t('Pending');
    case 'closed': return vscode.l10n.t('Closed');
    case 'spam': return vscode.l10n.t('Spam');
    default: return status;
  }
}

/** Codicon and colour per conversation status. */
export function statusIcon(status: string): vscode.ThemeIcon {
  switch (status) {
    case 'active': return new vscode.ThemeIcon('mail', new vscode.ThemeColor('charts.green'));
    case 'pending': return new vscode.ThemeIcon('clock', new vscode.ThemeColor('charts.yellow'));
    case 'closed': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.purple'));
    case 'spam': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.red'));
    default: return new vscode.ThemeIcon('mail');
  }
}

/** The conversation's page in Help Scout: the API's `web` link, else the usual address. */
export function conversationWebUrl(c: Pick<Conversation, 'id' | 'number' | '_links'>): string {
  const web = (c._links?.['web'] as { href?: unknown } | undefined)?.href;
  if (typeof web === 'string' && /^https?:\/\//.test(web)) return web;
  return `https://secure.helpscout.net/conversation/${c.id}/${c.number}`;
}

export function tagNames(c: Pick<Conversation, 'tags'>): string[] {
  return (c.tags ?? []).map((t) => t.tag);
}
