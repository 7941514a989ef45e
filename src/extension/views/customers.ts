// The Customers view: customers (all, or those matching a search sent as the
// API's `query`), 50 per page. Expanding a customer fetches it once and shows
// emails, phones, address, properties, and a "Recent conversations" node that
// lists their conversations (by email, every status, newest first).
import * as vscode from 'vscode';
import { query as q, type SearchQuery } from '../../core/mailbox/query';
import type { Customer } from '../../core/mailbox/schemas';
import { Views } from '../constants';
import type { HelpScoutServices } from '../services';
import { ConversationNode } from './mailboxes';
import { type ChildPage, Node, TreeModel } from './tree';

export function customerName(c: Pick<Customer, 'firstName' | 'lastName'>): string {
  return [c.firstName, c.lastName].filter((s) => s !== null && s !== undefined && s !== '').join(' ');
}

export function customerEmails(c: Customer): string[] {
  return (c._embedded?.emails ?? []).map((e) => e.value);
}

export class CustomerNode extends Node {
  readonly kind = 'customer';
  readonly id: string;
  constructor(readonly customer: Customer) {
    super(undefined);
    this.id = `customer:${customer.id}`;
  }
  override get hasChildren(): boolean {
    return true;
  }
  treeItem(): vscode.TreeItem {
    const c = this.customer;
    const email = customerEmails(c)[0];
    const t = this.item(customerName(c) || email || vscode.l10n.t('Customer {0}', c.id), true);
    t.iconPath = new vscode.ThemeIcon('person');
    t.description = [email, c.organization].filter((s) => s !== null && s !== undefined && s !== '').join(' · ');
    return t;
  }
}

/** One line of a customer's details (an email, a phone, the address, a property). */
export class CustomerDetailNode extends Node {
  readonly kind: string;
  readonly id: string;
  constructor(parent: CustomerNode, key: string, readonly label: string, readonly value: string, readonly icon: string, kind = 'customerDetail') {
    super(parent);
    this.id = `${parent.id}/${key}`;
    this.kind = kind;
  }
  treeItem(): vscode.TreeItem {
    const t = this.item(this.value, false);
    t.iconPath = new vscode.ThemeIcon(this.icon);
    t.description = this.label;
    t.tooltip = `${this.label}: ${this.value}`;
    return t;
  }
}

/** "Recent conversations" under a customer; expands to their conversations. */
export class CustomerConversationsNode extends Node {
  readonly kind = 'customerConversations';
  readonly id: string;
  constructor(override readonly parent: CustomerNode, readonly emails: readonly string[]) {
    super(parent);
    this.id = `${parent.id}/conversations`;
  }
  override get hasChildren(): boolean {
    return true;
  }
  treeItem(): vscode.TreeItem {
    const t = this.item(vscode.l10n.t('Recent conversations'), true);
    t.iconPath = new vscode.ThemeIcon('comment-discussion');
    return t;
  }
}

/** The API `query` for a customer search: "@" means an email; otherwise each word matches a name or an email. */
export function customerSearchQuery(text: string): string {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const parts: SearchQuery[] = words.map((w) =>
    w.includes('@') ? q.field('email', w) : q.or(q.field('firstName', w), q.field('lastName', w), q.field('email', w)),
  );
  return q.build(q.and(...parts));
}

export class CustomersModel extends TreeModel {
  private text: string | undefined;
  private readonly searchChanged = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeSearch = this.searchChanged.event;

  constructor(private readonly services: HelpScoutServices) {
    super(Views.customers);
    this.register(this.searchChanged);
    // Another account or endpoint: everything shown is stale. A renewed token changes nothing here.
    this.register(services.onDidChangeAccount((api) => {
      if (api === 'mailbox') this.refresh();
    }));
  }

  get search(): string | undefined {
    return this.text;
  }

  /** Sets the search text (undefined lists every customer) and fetches again. */
  setSearch(text: string | undefined): void {
    this.text = text === undefined || text.trim() === '' ? undefined : text.trim();
    this.searchChanged.fire(this.text);
    this.refresh();
  }

  protected async fetch(parent: Node | undefined, page: number, signal: AbortSignal): Promise<ChildPage> {
    const client = this.services.mailbox();
    if (parent === undefined) {
      const filters = this.text === undefined
        ? { sortField: 'modifiedAt' as const, sortOrder: 'desc' as const }
        : { query: customerSearchQuery(this.text) };
      const p = await client.listCustomers(filters, { signal }).getPage(page);
      return { nodes: p.items.map((c) => new CustomerNode(c)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    if (parent instanceof CustomerNode) {
      const c = await client.getCustomer(parent.customer.id, { signal });
      return { nodes: detailNodes(parent, c), hasNext: false };
    }
    if (parent instanceof CustomerConversationsNode) {
      if (parent.emails.length === 0) return { nodes: [], hasNext: false };
      const query = q.build(q.or(...parent.emails.map((e) => q.field('email', e))));
      const p = await client
        .listConversations({ query, status: 'all', sortField: 'createdAt', sortOrder: 'desc' }, { signal })
        .getPage(page);
      return { nodes: p.items.map((c) => new ConversationNode(parent, c)), hasNext: p.hasNext, total: p.page?.totalElements };
    }
    return { nodes: [], hasNext: false };
  }

  protected override emptyText(parent: Node | undefined): string | undefined {
    if (parent === undefined) return this.text === undefined ? undefined : vscode.l10n.t('No customers match "{0}"', this.text);
    if (parent instanceof CustomerConversationsNode) return vscode.l10n.t('No conversations');
    return vscode.l10n.t('No details');
  }

  /** A conversation changed: refresh the customer conversation lists that show it. */
  conversationChanged(conversationId: number): void {
    for (const n of [...this.loaded()]) {
      if (n instanceof ConversationNode && n.conversation.id === conversationId && n.parent) this.refresh(n.parent);
    }
  }
}

function detailNodes(parent: CustomerNode, c: Customer): Node[] {
  const e = c._embedded;
  const out: Node[] = [];
  for (const m of e?.emails ?? []) out.push(new CustomerDetailNode(parent, `email:${m.id}`, m.type ?? vscode.l10n.t('email'), m.value, 'mail', 'customerEmail'));
  for (const p of e?.phones ?? []) out.push(new CustomerDetailNode(parent, `phone:${p.id}`, p.type ?? vscode.l10n.t('phone'), p.value, 'device-mobile'));
  if (c.organization) out.push(new CustomerDetailNode(parent, 'organization', vscode.l10n.t('organization'), c.organization, 'organization'));
  if (c.jobTitle) out.push(new CustomerDetailNode(parent, 'jobTitle', vscode.l10n.t('job title'), c.jobTitle, 'briefcase'));
  const a = e?.address;
  if (a) {
    const text = [...(a.lines ?? []), a.city, a.state, a.postalCode, a.country].filter((s) => s !== null && s !== undefined && s !== '').join(', ');
    if (text !== '') out.push(new CustomerDetailNode(parent, 'address', vscode.l10n.t('address'), text, 'location'));
  }
  for (const p of e?.properties ?? []) {
    if (p.value === null || p.value === undefined || p.value === '') continue;
    out.push(new CustomerDetailNode(parent, `property:${p.slug}`, p.name ?? p.slug, String(p.value), 'symbol-property'));
  }
  out.push(new CustomerConversationsNode(parent, customerEmails(c)));
  return out;
}
