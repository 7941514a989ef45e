// Turns stored records into the Mailbox API 2.0 wire shapes. Person
// references inside conversations and threads use `first`/`last`; users and
// customers use `firstName`/`lastName`, as the real API does.
import { link } from './hal';
import type {
  ConversationRec, CustomerRec, EntryRec, FieldRec, FolderRec, MailboxRec, MailboxStore, Ref, TagRec, TeamRec,
  ThreadRec, UserRec, WebhookRec, WorkflowRec,
} from './model';

const WEB = 'https://secure.helpscout.net';

function friendly(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** `{id, type, first, last, email}` for a user, team or customer reference. */
export function personRef(store: MailboxStore, ref: Ref<string> | null): Record<string, unknown> | undefined {
  if (ref === null) return undefined;
  if (ref.type === 'user') {
    const u = store.users.get(ref.id);
    return { id: ref.id, type: 'user', first: u?.firstName ?? '', last: u?.lastName ?? '', email: u?.email ?? '' };
  }
  if (ref.type === 'team') {
    const t = store.teams.get(ref.id);
    return { id: ref.id, type: 'team', first: t?.name ?? '', last: '', email: '' };
  }
  const c = store.customers.get(ref.id);
  return { id: ref.id, type: 'customer', first: c?.firstName ?? '', last: c?.lastName ?? '', email: c?.emails[0]?.value ?? '' };
}

export function presentThread(store: MailboxStore, base: string, convId: number, t: ThreadRec): Record<string, unknown> {
  const customer = store.customers.get(t.customerId);
  const createdBy = personRef(store, t.createdBy);
  const links: Record<string, unknown> = {};
  if (t.createdBy.type === 'user') links['createdByUser'] = link(`${base}/users/${t.createdBy.id}`);
  else links['createdByCustomer'] = link(`${base}/customers/${t.createdBy.id}`);
  if (t.customerId > 0) links['customer'] = link(`${base}/customers/${t.customerId}`);
  if (t.assignedTo?.type === 'user') links['assignedTo'] = link(`${base}/users/${t.assignedTo.id}`);
  const out: Record<string, unknown> = {
    id: t.id,
    type: t.type,
    status: t.status,
    state: t.state,
    ...(t.action ? { action: t.action } : {}),
    body: t.body,
    source: t.source,
    customer: {
      id: t.customerId,
      first: customer?.firstName ?? '',
      last: customer?.lastName ?? '',
      photoUrl: customer?.photoUrl ?? '',
      email: customer?.emails[0]?.value ?? '',
    },
    createdBy,
    ...(t.assignedTo ? { assignedTo: personRef(store, t.assignedTo) } : {}),
    savedReplyId: t.savedReplyId,
    to: t.to,
    cc: t.cc,
    bcc: t.bcc,
    createdAt: t.createdAt,
    ...(t.openedAt ? { openedAt: t.openedAt } : {}),
    _links: links,
  };
  if (t.attachments.length > 0) {
    out['_embedded'] = {
      attachments: t.attachments.map((a) => ({
        id: a.id, filename: a.filename, mimeType: a.mimeType, width: a.width, height: a.height, size: a.size, state: 'ok',
        _links: {
          self: link(`${base}/conversations/${convId}/attachments/${a.id}`),
          data: link(`${base}/conversations/${convId}/attachments/${a.id}/data`),
          web: link(`${WEB}/attachment/${a.id}/${encodeURIComponent(a.filename)}`),
        },
      })),
    };
  }
  return out;
}

/** Characters of a chat thread's text kept in the list's embedded form. */
export const EMBEDDED_CHAT_CHARS = 100;

/**
 * A chat thread as the conversation list embeds it. helpscout-api.md (list
 * parameters, `embed`) says only "chat threads truncated". Our reading: the
 * chat thread's body (the transcript) is cut to the start of its text, while the
 * list of threads stays complete; `GET /conversations/{id}/threads` has it
 * whole. The docs tie the truncation to the list's `embed`, so the single GET's
 * `?embed=threads` embeds threads whole.
 */
function truncatedChat(thread: Record<string, unknown>): Record<string, unknown> {
  const text = String(thread['body'] ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return { ...thread, body: text.length > EMBEDDED_CHAT_CHARS ? `${text.slice(0, EMBEDDED_CHAT_CHARS)}…` : text };
}

/**
 * A conversation. `embedThreads` adds `_embedded.threads` (newest first); `fromList` marks the
 * list's embedded form, where chat threads are truncated (see truncatedChat).
 */
export function presentConversation(store: MailboxStore, base: string, c: ConversationRec, embedThreads: boolean, fromList = false): Record<string, unknown> {
  const links: Record<string, unknown> = {
    self: link(`${base}/conversations/${c.id}`),
    mailbox: link(`${base}/mailboxes/${c.mailboxId}`),
    primaryCustomer: link(`${base}/customers/${c.primaryCustomerId}`),
    threads: link(`${base}/conversations/${c.id}/threads`),
    web: link(`${WEB}/conversation/${c.id}/${c.number}`),
  };
  if (c.createdBy.type === 'customer') links['createdByCustomer'] = link(`${base}/customers/${c.createdBy.id}`);
  else links['createdByUser'] = link(`${base}/users/${c.createdBy.id}`);
  if (c.assignee?.type === 'user') links['assignee'] = link(`${base}/users/${c.assignee.id}`);
  if (c.closedBy > 0) links['closedBy'] = link(`${base}/users/${c.closedBy}`);

  const closedByUser = c.closedBy > 0 ? personRef(store, { type: 'user', id: c.closedBy }) : undefined;
  const out: Record<string, unknown> = {
    id: c.id,
    number: c.number,
    threads: c.threads.length,
    type: c.type,
    folderId: c.folderId,
    status: c.status,
    state: c.state,
    subject: c.subject,
    preview: c.preview,
    mailboxId: c.mailboxId,
    ...(c.assignee ? { assignee: personRef(store, c.assignee) } : {}),
    createdBy: personRef(store, c.createdBy),
    createdAt: c.createdAt,
    closedBy: c.closedBy,
    ...(closedByUser ? { closedByUser } : {}),
    closedAt: c.closedAt,
    userUpdatedAt: c.userUpdatedAt,
    ...(c.customerWaitingSince
      ? { customerWaitingSince: { time: c.customerWaitingSince.time, friendly: friendly(c.customerWaitingSince.time), latestReplyFrom: c.customerWaitingSince.latestReplyFrom } }
      : {}),
    source: c.source,
    tags: c.tagIds.flatMap((id) => {
      const t = store.tags.get(id);
      return t ? [{ id: t.id, color: t.color, tag: t.name }] : [];
    }),
    cc: c.cc,
    bcc: c.bcc,
    primaryCustomer: personRef(store, { type: 'customer', id: c.primaryCustomerId }),
    ...(c.snooze ? { snooze: c.snooze } : {}),
    customFields: c.customFields.map((cf) => {
      const f = store.fields.get(cf.id);
      const text = f?.type === 'dropdown' ? f.options.find((o) => String(o.id) === cf.value)?.label ?? '' : cf.value;
      return { id: cf.id, name: f?.name ?? '', value: cf.value, text };
    }),
    _links: links,
  };
  if (embedThreads) {
    out['_embedded'] = {
      threads: [...c.threads].reverse().map((t) => {
        const thread = presentThread(store, base, c.id, t);
        return fromList && t.type === 'chat' ? truncatedChat(thread) : thread;
      }),
    };
  }
  return out;
}

function entry(e: EntryRec): Record<string, unknown> {
  return { id: e.id, value: e.value, type: e.type };
}

export function presentEntry(base: string, customerId: number, kind: string, e: EntryRec | { id: number; value: string }): Record<string, unknown> {
  return { ...('type' in e ? entry(e) : { id: e.id, value: e.value }), _links: { self: link(`${base}/customers/${customerId}/${kind}/${e.id}`) } };
}

export function presentAddress(base: string, c: CustomerRec): Record<string, unknown> | null {
  if (!c.address) return null;
  return { ...c.address, _links: { self: link(`${base}/customers/${c.id}/address`) } };
}

export function presentCustomer(store: MailboxStore, base: string, c: CustomerRec): Record<string, unknown> {
  const self = `${base}/customers/${c.id}`;
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    gender: c.gender,
    jobTitle: c.jobTitle,
    location: c.location,
    organization: c.organization,
    photoType: c.photoType,
    photoUrl: c.photoUrl,
    background: c.background,
    age: c.age,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    // Every entry is always embedded (2019 changelog). Note `social_profiles` with an underscore.
    _embedded: {
      emails: c.emails.map(entry),
      phones: c.phones.map(entry),
      chats: c.chats.map(entry),
      social_profiles: c.socialProfiles.map(entry),
      websites: c.websites.map((w) => ({ id: w.id, value: w.value })),
      ...(c.address ? { address: { ...c.address } } : {}),
      properties: store.customerProperties.flatMap((p) => {
        const value = c.properties[p.slug];
        return value === undefined ? [] : [{ type: p.type, slug: p.slug, name: p.name, value, source: { type: 'api' } }];
      }),
    },
    _links: {
      self: link(self),
      address: link(`${self}/address`),
      chats: link(`${self}/chats`),
      emails: link(`${self}/emails`),
      phones: link(`${self}/phones`),
      'social-profiles': link(`${self}/social-profiles`),
      websites: link(`${self}/websites`),
    },
  };
}

export function presentUser(base: string, u: UserRec, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    role: u.role,
    timezone: u.timezone,
    photoUrl: u.photoUrl,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    type: 'user',
    mention: u.mention,
    initials: u.initials,
    jobTitle: u.jobTitle,
    phone: u.phone,
    alternateEmails: u.alternateEmails,
    ...extra,
    _links: { self: link(`${base}/users/${u.id}`) },
  };
}

export function presentTeam(base: string, t: TeamRec): Record<string, unknown> {
  return {
    id: t.id, name: t.name, timezone: t.timezone, photoUrl: t.photoUrl, mention: t.mention, initials: t.initials,
    createdAt: t.createdAt, updatedAt: t.updatedAt,
    _links: { self: link(`${base}/teams/${t.id}`), members: link(`${base}/teams/${t.id}/members`) },
  };
}

export function presentMailbox(base: string, m: MailboxRec): Record<string, unknown> {
  return {
    id: m.id, name: m.name, slug: m.slug, email: m.email, createdAt: m.createdAt, updatedAt: m.updatedAt,
    _links: {
      self: link(`${base}/mailboxes/${m.id}`),
      folders: link(`${base}/mailboxes/${m.id}/folders`),
      fields: link(`${base}/mailboxes/${m.id}/fields`),
    },
  };
}

export function presentFolder(store: MailboxStore, f: FolderRec): Record<string, unknown> {
  let total = 0;
  let active = 0;
  for (const c of store.conversations.values()) {
    if (c.folderId !== f.id) continue;
    total += 1;
    if (c.status === 'active') active += 1;
  }
  return { id: f.id, name: f.name, type: f.type, userId: f.userId, totalCount: total, activeCount: active, updatedAt: f.updatedAt };
}

export function presentField(f: FieldRec): Record<string, unknown> {
  return { id: f.id, name: f.name, type: f.type, order: f.order, required: f.required, options: f.options };
}

export function tagTicketCount(store: MailboxStore, tagId: number): number {
  let n = 0;
  for (const c of store.conversations.values()) if (c.tagIds.includes(tagId)) n += 1;
  return n;
}

export function presentTag(store: MailboxStore, base: string, t: TagRec, counts?: Map<number, number>): Record<string, unknown> {
  return {
    id: t.id, slug: t.slug, name: t.name, color: t.color, createdAt: t.createdAt, updatedAt: t.updatedAt,
    ticketCount: counts ? counts.get(t.id) ?? 0 : tagTicketCount(store, t.id),
    _links: { self: link(`${base}/tags/${t.id}`) },
  };
}

export function presentWorkflow(base: string, w: WorkflowRec): Record<string, unknown> {
  return { ...w, _links: { self: link(`${base}/workflows/${w.id}`) } };
}

export function presentWebhook(base: string, w: WebhookRec): Record<string, unknown> {
  return { ...w, _links: { self: link(`${base}/webhooks/${w.id}`) } };
}
