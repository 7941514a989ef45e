// The typed Mailbox API 2.0 client. Every method maps to one endpoint; lists
// return `Paged<T>` (iterate pages or items, or fetch page N directly); creates
// return the new id (from `Resource-ID`, else the last segment of `Location`);
// updates and deletes resolve when the server answered 204. Errors are the
// typed errors from core/errors. One client per account; several clients may
// share one HttpClient (and so one rate governor).

import type { z } from 'zod';
import { MovedError, SchemaDriftError } from '../errors';
import {
  formatApiDate,
  HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type QueryParams,
  RateGovernor,
  type RateGovernorOptions,
  locationLastSegment,
  parseBody,
} from '../http';
import { hasNextLink, type Page, Paged } from '../http/paging';
import { query as q, type SearchQuery } from './query';
import {
  type Address,
  addressSchema,
  type Conversation,
  conversationSchema,
  type Customer,
  type CustomerEntry,
  customerEntrySchema,
  type CustomerPropertyDefinition,
  customerPropertyDefinitionSchema,
  customerSchema,
  type Field,
  fieldSchema,
  type Folder,
  folderSchema,
  halListSchema,
  type Mailbox,
  mailboxSchema,
  type Tag,
  tagSchema,
  type Team,
  teamSchema,
  type Thread,
  threadSchema,
  type User,
  userSchema,
  type Webhook,
  webhookSchema,
  type Workflow,
  workflowSchema,
} from './schemas';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

// --- filters -------------------------------------------------------------------

export type ConversationStatusFilter = 'active' | 'pending' | 'closed' | 'open' | 'spam' | 'all';
export type ConversationSortField =
  | 'createdAt'
  | 'customerEmail'
  | 'customerName'
  | 'mailboxid'
  | 'modifiedAt'
  | 'number'
  | 'score'
  | 'status'
  | 'subject'
  | 'waitingSince';
export type SortOrder = 'asc' | 'desc';

export interface ConversationFilters {
  /** One mailbox id or several (sent as a comma list). */
  readonly mailbox?: number | readonly number[];
  readonly folder?: number;
  /** The API's default is `active`; pass `all` to see everything. */
  readonly status?: ConversationStatusFilter;
  /** Tag name(s); matches any of them. */
  readonly tag?: string | readonly string[];
  /** User id; sent as `assigned_to`. */
  readonly assignedTo?: number;
  readonly modifiedSince?: Date | string;
  readonly number?: number;
  readonly sortField?: ConversationSortField;
  readonly sortOrder?: SortOrder;
  /** Search syntax; build it with `query` from ./query. */
  readonly query?: string | SearchQuery;
  readonly embed?: 'threads';
  /** `{fieldId: value}`, `[{id, value}]`, or the raw `id:value,id:value` text. */
  readonly customFieldsByIds?:
    | string
    | Readonly<Record<number, string | number>>
    | readonly { readonly id: number; readonly value: string | number }[];
}

export interface CustomerFilters {
  readonly mailbox?: number;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly modifiedSince?: Date | string;
  readonly sortField?: 'score' | 'firstName' | 'lastName' | 'modifiedAt' | 'createdAt';
  readonly sortOrder?: SortOrder;
  readonly query?: string | SearchQuery;
}

export interface UserFilters {
  readonly email?: string;
  readonly mailbox?: number;
}

export interface WorkflowFilters {
  readonly mailboxId?: number;
  readonly type?: 'manual' | 'automatic';
}

// --- write bodies ----------------------------------------------------------------

export interface CustomerRefInput {
  readonly id?: number;
  readonly email?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly [key: string]: unknown;
}

export interface AttachmentInput {
  /** Note: `fileName` on writes (reads say `filename`). */
  readonly fileName: string;
  readonly mimeType: string;
  /** Base64. */
  readonly data: string;
}

export interface CreateThreadInput {
  readonly type: 'customer' | 'reply' | 'note' | 'phone' | 'chat';
  readonly text: string;
  readonly customer?: CustomerRefInput;
  readonly draft?: boolean;
  readonly cc?: readonly string[];
  readonly bcc?: readonly string[];
  readonly createdAt?: string;
  readonly attachments?: readonly AttachmentInput[];
  readonly [key: string]: unknown;
}

export interface CreateConversationInput {
  readonly subject: string;
  readonly type: 'email' | 'chat' | 'phone';
  readonly mailboxId: number;
  readonly status: 'active' | 'closed' | 'pending';
  readonly customer: CustomerRefInput;
  readonly threads: readonly CreateThreadInput[];
  /** Omit to apply the inbox default; `null` forces unassigned. */
  readonly assignTo?: number | null;
  readonly autoReply?: boolean;
  readonly imported?: boolean;
  readonly createdAt?: string;
  readonly tags?: readonly string[];
  readonly fields?: readonly { readonly id: number; readonly value: string | number }[];
  readonly user?: number;
  readonly [key: string]: unknown;
}

/** One operation of `PATCH /conversations/{id}` (the body is a single object). */
export type ConversationPatch =
  | { readonly op: 'replace'; readonly path: '/subject'; readonly value: string }
  | { readonly op: 'replace'; readonly path: '/status'; readonly value: 'active' | 'closed' | 'pending' | 'spam' }
  | { readonly op: 'replace'; readonly path: '/assignTo'; readonly value: number }
  | { readonly op: 'remove'; readonly path: '/assignTo' }
  | { readonly op: 'move'; readonly path: '/mailboxId'; readonly value: number }
  | { readonly op: 'replace'; readonly path: '/primaryCustomer.id'; readonly value: number }
  | { readonly op: 'replace'; readonly path: '/draft'; readonly value: false };

export interface NoteInput {
  readonly text: string;
  readonly user?: number;
  readonly status?: 'active' | 'closed' | 'pending';
  readonly imported?: boolean;
  readonly createdAt?: string;
  readonly attachments?: readonly AttachmentInput[];
  readonly [key: string]: unknown;
}

export interface ReplyInput extends NoteInput {
  readonly customer: { readonly id: number };
  readonly draft?: boolean;
  readonly assignTo?: number;
  readonly cc?: readonly string[];
  readonly bcc?: readonly string[];
}

export interface CustomerThreadInput {
  readonly customer: { readonly id: number };
  readonly text: string;
  readonly imported?: boolean;
  readonly cc?: readonly string[];
  readonly bcc?: readonly string[];
  readonly createdAt?: string;
  readonly attachments?: readonly AttachmentInput[];
  readonly [key: string]: unknown;
}

export interface EntryInput {
  readonly type?: string;
  readonly value: string;
}

export interface AddressInput {
  readonly city?: string;
  readonly lines?: readonly string[];
  readonly state?: string;
  readonly postalCode?: string;
  readonly country?: string;
}

export interface CustomerInput {
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly phone?: string | null;
  readonly photoUrl?: string | null;
  readonly photoType?: string | null;
  readonly jobTitle?: string | null;
  readonly background?: string | null;
  readonly location?: string | null;
  readonly organization?: string | null;
  readonly gender?: string | null;
  readonly age?: string | null;
  readonly [key: string]: unknown;
}

export interface CreateCustomerInput extends CustomerInput {
  readonly emails?: readonly EntryInput[];
  readonly phones?: readonly EntryInput[];
  readonly chats?: readonly EntryInput[];
  /** camelCase in create requests. */
  readonly socialProfiles?: readonly EntryInput[];
  readonly websites?: readonly { readonly value: string }[];
  readonly address?: AddressInput;
  readonly properties?: readonly { readonly slug?: string; readonly value: unknown; readonly [k: string]: unknown }[];
}

/** One element of the JSON-Patch array sent to `PATCH /customers/{id}` and `/customers/{id}/properties`. */
export interface PatchOp {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

export type CustomerEntryKind = 'emails' | 'phones' | 'chats' | 'social-profiles' | 'websites';

export interface WebhookInput {
  readonly url: string;
  readonly events: readonly string[];
  readonly secret: string;
  readonly label?: string;
  readonly notification?: boolean;
  readonly payloadVersion?: 'V2';
  readonly mailboxIds?: readonly number[];
  readonly state?: 'enabled' | 'disabled';
}

export interface CustomerPropertyDefinitionInput {
  readonly type: 'number' | 'text' | 'url' | 'date' | 'dropdown';
  readonly slug: string;
  readonly name: string;
  readonly options?: readonly { readonly label: string }[];
}

/** What `resolveConversation` returns: the conversation and the merged ids it passed through. */
export interface ResolvedConversation {
  readonly conversation: Conversation;
  /** Ids that answered 301, in order; empty when the requested id was served directly. */
  readonly redirectedFrom: readonly number[];
}

// --- helpers -----------------------------------------------------------------------

/** The rate governor for one Mailbox API account: 1-minute window, writes count double. */
export function createMailboxGovernor(options: RateGovernorOptions = {}): RateGovernor {
  return new RateGovernor({ name: 'mailbox', windowMs: 60_000, writeCost: 2, ...options });
}

/** Wire value for `customFieldsByIds`. */
export function formatCustomFieldsByIds(v: NonNullable<ConversationFilters['customFieldsByIds']>): string {
  if (typeof v === 'string') return v;
  const pairs: [number | string, string | number][] = Array.isArray(v)
    ? (v as readonly { id: number; value: string | number }[]).map((f) => [f.id, f.value])
    : Object.entries(v as Record<number, string | number>);
  return pairs.map(([id, value]) => `${id}:${value}`).join(',');
}

function queryText(v: string | SearchQuery | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : q.build(v);
}

function dateParam(v: Date | string | undefined): string | undefined {
  return v === undefined ? undefined : formatApiDate(v);
}

/** The id a create returned: `Resource-ID`, else the last path segment of `Location`. */
export function createdId(res: HttpResponse): number {
  const rid = res.headers.get('resource-id')?.trim();
  if (rid !== undefined && /^\d+$/.test(rid)) return Number(rid);
  const fromLocation = locationLastSegment(res.headers.get('location'));
  if (fromLocation !== undefined && /^\d+$/.test(fromLocation)) return Number(fromLocation);
  throw new SchemaDriftError(res.endpoint, [{ path: '(headers)', message: 'no Resource-ID or Location with an id' }], {
    method: res.endpoint.split(' ')[0] ?? '',
    url: res.url,
  });
}


// --- the client ---------------------------------------------------------------------

export class MailboxClient {
  constructor(readonly http: HttpClient) {}

  /** A client with its own HttpClient; pass `governor` to share one across clients. */
  static create(options: HttpClientOptions): MailboxClient {
    return new MailboxClient(new HttpClient(options));
  }

  // Mailboxes, folders, fields

  listMailboxes(opts: CallOptions = {}): Paged<Mailbox> {
    return this.list('GET /mailboxes', '/mailboxes', 'mailboxes', mailboxSchema, {}, opts);
  }

  getMailbox(id: number, opts: CallOptions = {}): Promise<Mailbox> {
    return this.get('GET /mailboxes/{id}', `/mailboxes/${id}`, mailboxSchema, {}, opts);
  }

  listFolders(mailboxId: number, opts: CallOptions = {}): Paged<Folder> {
    return this.list('GET /mailboxes/{id}/folders', `/mailboxes/${mailboxId}/folders`, 'folders', folderSchema, {}, opts);
  }

  listFields(mailboxId: number, opts: CallOptions = {}): Paged<Field> {
    return this.list('GET /mailboxes/{id}/fields', `/mailboxes/${mailboxId}/fields`, 'fields', fieldSchema, {}, opts);
  }

  // Conversations

  /** Wire names: `assigned_to`, comma lists for `mailbox` and `tag`, `modifiedSince` without ms. */
  static conversationQuery(f: ConversationFilters): QueryParams {
    return {
      mailbox: f.mailbox === undefined ? undefined : typeof f.mailbox === 'number' ? f.mailbox : [...f.mailbox],
      folder: f.folder,
      status: f.status,
      tag: f.tag === undefined ? undefined : typeof f.tag === 'string' ? f.tag : [...f.tag],
      assigned_to: f.assignedTo,
      modifiedSince: dateParam(f.modifiedSince),
      number: f.number,
      sortField: f.sortField,
      sortOrder: f.sortOrder,
      query: queryText(f.query),
      embed: f.embed,
      customFieldsByIds: f.customFieldsByIds === undefined ? undefined : formatCustomFieldsByIds(f.customFieldsByIds),
    };
  }

  listConversations(filters: ConversationFilters = {}, opts: CallOptions = {}): Paged<Conversation> {
    return this.list(
      'GET /conversations',
      '/conversations',
      'conversations',
      conversationSchema,
      MailboxClient.conversationQuery(filters),
      opts,
    );
  }

  /**
   * Gets a conversation. A merged conversation answers 301 with the survivor's
   * `Location`: by default we follow it (up to 3 hops, always through our own
   * base URL so the token never goes elsewhere); with `followMerged: false` a
   * MovedError reports the target instead.
   */
  async getConversation(
    id: number,
    opts: CallOptions & { readonly embed?: 'threads'; readonly followMerged?: boolean } = {},
  ): Promise<Conversation> {
    return (await this.resolveConversation(id, opts)).conversation;
  }

  async resolveConversation(
    id: number,
    opts: CallOptions & { readonly embed?: 'threads'; readonly followMerged?: boolean } = {},
  ): Promise<ResolvedConversation> {
    const redirectedFrom: number[] = [];
    let current = id;
    for (let hop = 0; ; hop++) {
      const res = await this.http.send({
        method: 'GET',
        path: `/conversations/${current}`,
        query: { embed: opts.embed },
        endpoint: 'GET /conversations/{id}',
        acceptStatus: [301, 302, 307, 308],
        ...signalOf(opts),
      });
      if (res.status < 300) return { conversation: parseBody(res, conversationSchema), redirectedFrom };
      const location = res.headers.get('location') ?? '';
      const seg = locationLastSegment(location);
      const target = seg !== undefined && /^\d+$/.test(seg) ? Number(seg) : undefined;
      if (opts.followMerged === false || target === undefined || hop >= 3) {
        throw new MovedError(`Conversation ${current} was merged`, location, target, { method: 'GET', url: res.url });
      }
      redirectedFrom.push(current);
      current = target;
    }
  }

  /** Creates a conversation; resolves to its id. */
  async createConversation(body: CreateConversationInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /conversations', '/conversations', body, opts);
  }

  updateConversation(id: number, patch: ConversationPatch, opts: CallOptions = {}): Promise<void> {
    return this.write('PATCH', 'PATCH /conversations/{id}', `/conversations/${id}`, patch, opts);
  }

  setConversationStatus(id: number, status: 'active' | 'closed' | 'pending' | 'spam', opts: CallOptions = {}): Promise<void> {
    return this.updateConversation(id, { op: 'replace', path: '/status', value: status }, opts);
  }

  assignConversation(id: number, userId: number | null, opts: CallOptions = {}): Promise<void> {
    return this.updateConversation(
      id,
      userId === null ? { op: 'remove', path: '/assignTo' } : { op: 'replace', path: '/assignTo', value: userId },
      opts,
    );
  }

  setConversationSubject(id: number, subject: string, opts: CallOptions = {}): Promise<void> {
    return this.updateConversation(id, { op: 'replace', path: '/subject', value: subject }, opts);
  }

  moveConversation(id: number, mailboxId: number, opts: CallOptions = {}): Promise<void> {
    return this.updateConversation(id, { op: 'move', path: '/mailboxId', value: mailboxId }, opts);
  }

  setConversationCustomer(id: number, customerId: number, opts: CallOptions = {}): Promise<void> {
    return this.updateConversation(id, { op: 'replace', path: '/primaryCustomer.id', value: customerId }, opts);
  }

  publishDraftConversation(id: number, opts: CallOptions = {}): Promise<void> {
    return this.updateConversation(id, { op: 'replace', path: '/draft', value: false }, opts);
  }

  deleteConversation(id: number, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /conversations/{id}', `/conversations/${id}`, undefined, opts);
  }

  /** Replaces the whole tag set (unknown tags are created; an empty list clears them). */
  replaceTags(id: number, tags: readonly string[], opts: CallOptions = {}): Promise<void> {
    return this.write('PUT', 'PUT /conversations/{id}/tags', `/conversations/${id}/tags`, { tags }, opts);
  }

  /** Replaces the custom-field values (dropdowns take the option id). */
  updateCustomFields(
    id: number,
    fields: readonly { readonly id: number; readonly value: string | number }[],
    opts: CallOptions = {},
  ): Promise<void> {
    return this.write('PUT', 'PUT /conversations/{id}/fields', `/conversations/${id}/fields`, { fields }, opts);
  }

  snoozeConversation(
    id: number,
    until: Date | string,
    unsnoozeOnCustomerReply = true,
    opts: CallOptions = {},
  ): Promise<void> {
    return this.write(
      'PUT',
      'PUT /conversations/{id}/snooze',
      `/conversations/${id}/snooze`,
      { snoozedUntil: formatApiDate(until), unsnoozeOnCustomerReply },
      opts,
    );
  }

  unsnoozeConversation(id: number, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /conversations/{id}/snooze', `/conversations/${id}/snooze`, undefined, opts);
  }

  // Threads

  listThreads(conversationId: number, opts: CallOptions = {}): Paged<Thread> {
    return this.list(
      'GET /conversations/{id}/threads',
      `/conversations/${conversationId}/threads`,
      'threads',
      threadSchema,
      {},
      opts,
    );
  }

  addNote(conversationId: number, body: NoteInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /conversations/{id}/notes', `/conversations/${conversationId}/notes`, body, opts);
  }

  addReply(conversationId: number, body: ReplyInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /conversations/{id}/reply', `/conversations/${conversationId}/reply`, body, opts);
  }

  addCustomerThread(conversationId: number, body: CustomerThreadInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /conversations/{id}/customer', `/conversations/${conversationId}/customer`, body, opts);
  }

  addPhoneThread(conversationId: number, body: CustomerThreadInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /conversations/{id}/phones', `/conversations/${conversationId}/phones`, body, opts);
  }

  addChatThread(conversationId: number, body: CustomerThreadInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /conversations/{id}/chats', `/conversations/${conversationId}/chats`, body, opts);
  }

  /** Edits a thread's text or hides it (`{op:'replace', path:'/text'|'/hidden', value}`). */
  updateThread(
    conversationId: number,
    threadId: number,
    patch: { readonly op: 'replace'; readonly path: '/text' | '/hidden'; readonly value: string | boolean },
    opts: CallOptions = {},
  ): Promise<void> {
    return this.write(
      'PATCH',
      'PATCH /conversations/{id}/threads/{threadId}',
      `/conversations/${conversationId}/threads/${threadId}`,
      patch,
      opts,
    );
  }

  // Customers

  static customerQuery(f: CustomerFilters): QueryParams {
    return {
      mailbox: f.mailbox,
      firstName: f.firstName,
      lastName: f.lastName,
      modifiedSince: dateParam(f.modifiedSince),
      sortField: f.sortField,
      sortOrder: f.sortOrder,
      query: queryText(f.query),
    };
  }

  listCustomers(filters: CustomerFilters = {}, opts: CallOptions = {}): Paged<Customer> {
    return this.list('GET /customers', '/customers', 'customers', customerSchema, MailboxClient.customerQuery(filters), opts);
  }

  getCustomer(id: number, opts: CallOptions = {}): Promise<Customer> {
    return this.get('GET /customers/{id}', `/customers/${id}`, customerSchema, {}, opts);
  }

  createCustomer(body: CreateCustomerInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /customers', '/customers', body, opts);
  }

  /** PUT: replaces the core fields; fields left out become null. Entries are not touched. */
  overwriteCustomer(id: number, body: CustomerInput, opts: CallOptions = {}): Promise<void> {
    return this.write('PUT', 'PUT /customers/{id}', `/customers/${id}`, body, opts);
  }

  /** PATCH with a JSON-Patch array (`/firstName`, `add /emails`, `remove /emails/{entryId}`...). */
  patchCustomer(id: number, ops: readonly PatchOp[], opts: CallOptions = {}): Promise<void> {
    return this.write('PATCH', 'PATCH /customers/{id}', `/customers/${id}`, ops, opts);
  }

  deleteCustomer(id: number, opts: CallOptions & { readonly async?: boolean } = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /customers/{id}', `/customers/${id}`, undefined, opts, {
      async: opts.async === true ? 'true' : undefined,
    });
  }

  /** Entry lists have no page block: one page, `hasNext` false. */
  listCustomerEntries(customerId: number, kind: CustomerEntryKind, opts: CallOptions = {}): Paged<CustomerEntry> {
    return this.list(
      `GET /customers/{id}/${kind}`,
      `/customers/${customerId}/${kind}`,
      kind,
      customerEntrySchema,
      {},
      opts,
    );
  }

  createCustomerEntry(customerId: number, kind: CustomerEntryKind, body: EntryInput, opts: CallOptions = {}): Promise<number> {
    return this.create(`POST /customers/{id}/${kind}`, `/customers/${customerId}/${kind}`, body, opts);
  }

  updateCustomerEntry(
    customerId: number,
    kind: CustomerEntryKind,
    entryId: number,
    body: EntryInput,
    opts: CallOptions = {},
  ): Promise<void> {
    return this.write('PUT', `PUT /customers/{id}/${kind}/{entryId}`, `/customers/${customerId}/${kind}/${entryId}`, body, opts);
  }

  deleteCustomerEntry(customerId: number, kind: CustomerEntryKind, entryId: number, opts: CallOptions = {}): Promise<void> {
    return this.write(
      'DELETE',
      `DELETE /customers/{id}/${kind}/{entryId}`,
      `/customers/${customerId}/${kind}/${entryId}`,
      undefined,
      opts,
    );
  }

  getCustomerAddress(customerId: number, opts: CallOptions = {}): Promise<Address> {
    return this.get('GET /customers/{id}/address', `/customers/${customerId}/address`, addressSchema, {}, opts);
  }

  async createCustomerAddress(customerId: number, body: AddressInput, opts: CallOptions = {}): Promise<void> {
    await this.send({
      method: 'POST',
      path: `/customers/${customerId}/address`,
      json: body,
      endpoint: 'POST /customers/{id}/address',
      ...signalOf(opts),
    });
  }

  updateCustomerAddress(customerId: number, body: AddressInput, opts: CallOptions = {}): Promise<void> {
    return this.write('PUT', 'PUT /customers/{id}/address', `/customers/${customerId}/address`, body, opts);
  }

  deleteCustomerAddress(customerId: number, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /customers/{id}/address', `/customers/${customerId}/address`, undefined, opts);
  }

  /** Sets or removes property values: `[{op:'replace', path:'/plan', value:'Pro'}, {op:'remove', path:'/seats'}]`. */
  updateCustomerProperties(customerId: number, ops: readonly PatchOp[], opts: CallOptions = {}): Promise<void> {
    return this.write('PATCH', 'PATCH /customers/{id}/properties', `/customers/${customerId}/properties`, ops, opts);
  }

  listCustomerPropertyDefinitions(opts: CallOptions = {}): Paged<CustomerPropertyDefinition> {
    return this.list(
      'GET /customer-properties',
      '/customer-properties',
      'customer-properties',
      customerPropertyDefinitionSchema,
      {},
      opts,
    );
  }

  async createCustomerPropertyDefinition(body: CustomerPropertyDefinitionInput, opts: CallOptions = {}): Promise<void> {
    await this.send({ method: 'POST', path: '/customer-properties', json: body, endpoint: 'POST /customer-properties', ...signalOf(opts) });
  }

  // Users, teams, tags

  listUsers(filters: UserFilters = {}, opts: CallOptions = {}): Paged<User> {
    return this.list('GET /users', '/users', 'users', userSchema, { email: filters.email, mailbox: filters.mailbox }, opts);
  }

  getUser(id: number, opts: CallOptions = {}): Promise<User> {
    return this.get('GET /users/{id}', `/users/${id}`, userSchema, {}, opts);
  }

  /** The user behind the token (has `companyId`). */
  me(opts: CallOptions = {}): Promise<User> {
    return this.get('GET /users/me', '/users/me', userSchema, {}, opts);
  }

  listTeams(opts: CallOptions = {}): Paged<Team> {
    return this.list('GET /teams', '/teams', 'teams', teamSchema, {}, opts);
  }

  /** Members come back under `_embedded.users`. */
  listTeamMembers(teamId: number, opts: CallOptions = {}): Paged<User> {
    return this.list('GET /teams/{id}/members', `/teams/${teamId}/members`, 'users', userSchema, {}, opts);
  }

  listTags(opts: CallOptions = {}): Paged<Tag> {
    return this.list('GET /tags', '/tags', 'tags', tagSchema, {}, opts);
  }

  getTag(id: number, opts: CallOptions = {}): Promise<Tag> {
    return this.get('GET /tags/{id}', `/tags/${id}`, tagSchema, {}, opts);
  }

  // Workflows

  listWorkflows(filters: WorkflowFilters = {}, opts: CallOptions = {}): Paged<Workflow> {
    return this.list(
      'GET /workflows',
      '/workflows',
      'workflows',
      workflowSchema,
      { mailboxId: filters.mailboxId, type: filters.type },
      opts,
    );
  }

  updateWorkflowStatus(id: number, status: 'active' | 'inactive', opts: CallOptions = {}): Promise<void> {
    return this.write('PATCH', 'PATCH /workflows/{id}', `/workflows/${id}`, { op: 'replace', path: '/status', value: status }, opts);
  }

  /** Runs a manual workflow on up to 50 conversations. */
  runWorkflow(id: number, conversationIds: readonly number[], opts: CallOptions = {}): Promise<void> {
    return this.write('POST', 'POST /workflows/{id}/run', `/workflows/${id}/run`, { conversationIds }, opts);
  }

  // Webhooks

  listWebhooks(opts: CallOptions = {}): Paged<Webhook> {
    return this.list('GET /webhooks', '/webhooks', 'webhooks', webhookSchema, {}, opts);
  }

  getWebhook(id: number, opts: CallOptions = {}): Promise<Webhook> {
    return this.get('GET /webhooks/{id}', `/webhooks/${id}`, webhookSchema, {}, opts);
  }

  createWebhook(body: WebhookInput, opts: CallOptions = {}): Promise<number> {
    return this.create('POST /webhooks', '/webhooks', body, opts);
  }

  updateWebhook(id: number, body: WebhookInput, opts: CallOptions = {}): Promise<void> {
    return this.write('PUT', 'PUT /webhooks/{id}', `/webhooks/${id}`, body, opts);
  }

  deleteWebhook(id: number, opts: CallOptions = {}): Promise<void> {
    return this.write('DELETE', 'DELETE /webhooks/{id}', `/webhooks/${id}`, undefined, opts);
  }

  // --- plumbing ------------------------------------------------------------------

  /**
   * A HAL list as a `Paged<T>`. `hasNext` comes from the page block when
   * present, else from a `next` link; a missing `_embedded` is an empty page.
   */
  list<T extends z.ZodType>(
    endpoint: string,
    path: string,
    key: string,
    item: T,
    query: QueryParams,
    opts: CallOptions,
  ): Paged<z.output<T>> {
    const schema = halListSchema(key, item);
    return new Paged<z.output<T>>(async (n, signal) => {
      const body = await this.http.json(
        { method: 'GET', path, query: { ...query, page: n }, endpoint, ...(signal ? { signal } : {}) },
        schema,
      );
      const embedded = body._embedded as Record<string, unknown> | null | undefined;
      const items = (embedded?.[key] ?? []) as z.output<T>[];
      const page = body.page ?? undefined;
      const hasNext = page ? page.number < page.totalPages : hasNextLink(body._links);
      const result: Page<z.output<T>> = {
        items,
        page: page ? { number: page.number, totalPages: page.totalPages, totalElements: page.totalElements } : undefined,
        hasNext,
      };
      return result;
    }, opts.signal);
  }

  private get<T extends z.ZodType>(
    endpoint: string,
    path: string,
    schema: T,
    query: QueryParams,
    opts: CallOptions,
  ): Promise<z.output<T>> {
    return this.http.json({ method: 'GET', path, query, endpoint, ...signalOf(opts) }, schema);
  }

  private async create(endpoint: string, path: string, body: unknown, opts: CallOptions): Promise<number> {
    const res = await this.send({ method: 'POST', path, json: body, endpoint, ...signalOf(opts) });
    return createdId(res);
  }

  private async write(
    method: HttpMethod,
    endpoint: string,
    path: string,
    body: unknown,
    opts: CallOptions,
    query: QueryParams = {},
  ): Promise<void> {
    // Success is any 2xx (204 in practice); the body, if any, is not used.
    await this.send({
      method,
      path,
      query,
      endpoint,
      ...(body === undefined ? {} : { json: body }),
      ...signalOf(opts),
    });
  }

  private send(req: HttpRequest): Promise<HttpResponse> {
    return this.http.send(req);
  }
}

function signalOf(opts: CallOptions): { signal?: AbortSignal } {
  return opts.signal ? { signal: opts.signal } : {};
}
