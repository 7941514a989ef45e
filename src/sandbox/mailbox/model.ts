// The in-memory data behind the sandbox's Mailbox API 2.0. Records keep ids
// (not nested objects) so a write changes one place; the presenters in
// present.ts turn them into the wire shapes. Timestamps are stored already in
// the API's `YYYY-MM-DDTHH:MM:SSZ` form, which also sorts correctly as text.

export type ConversationStatus = 'active' | 'pending' | 'closed' | 'spam';
export type ConversationType = 'email' | 'chat' | 'phone';
export type ThreadType = 'customer' | 'reply' | 'note' | 'phone' | 'chat' | 'lineitem';

export interface Ref<T extends string> {
  type: T;
  id: number;
}

export interface UserRec {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  role: 'owner' | 'admin' | 'user';
  timezone: string;
  photoUrl: string;
  createdAt: string;
  updatedAt: string;
  mention: string;
  initials: string;
  jobTitle: string;
  phone: string;
  alternateEmails: string[];
  /** Mailboxes this user can see (users list `mailbox` filter, folder ownership). */
  mailboxIds: number[];
}

export interface TeamRec {
  id: number;
  name: string;
  timezone: string;
  photoUrl: string;
  mention: string;
  initials: string;
  createdAt: string;
  updatedAt: string;
  memberIds: number[];
}

export interface MailboxRec {
  id: number;
  name: string;
  slug: string;
  email: string;
  createdAt: string;
  updatedAt: string;
}

export type FolderType = 'open' | 'mytickets' | 'needsattention' | 'drafts' | 'assigned' | 'closed' | 'spam';

export interface FolderRec {
  id: number;
  mailboxId: number;
  name: string;
  type: FolderType;
  /** Set for personal (`mytickets`) folders, 0 otherwise. */
  userId: number;
  updatedAt: string;
}

export interface FieldOption {
  id: number;
  order: number;
  label: string;
}

export interface FieldRec {
  id: number;
  mailboxId: number;
  name: string;
  type: 'dropdown' | 'singleline' | 'multiline' | 'date' | 'number';
  order: number;
  required: boolean;
  options: FieldOption[];
}

export interface TagRec {
  id: number;
  slug: string;
  name: string;
  color: string;
  createdAt: string;
  updatedAt: string;
}

export interface AttachmentRec {
  id: number;
  filename: string;
  mimeType: string;
  width: number;
  height: number;
  size: number;
  /** Base64 content, served by GET /conversations/{id}/attachments/{aid}/data. */
  data: string;
}

export interface ThreadRec {
  id: number;
  type: ThreadType;
  status: ConversationStatus;
  state: 'published' | 'draft';
  hidden: boolean;
  action: { type: string; text: string; associatedEntities: Record<string, number> } | null;
  body: string;
  source: { type: string; via: 'customer' | 'user' };
  customerId: number;
  createdBy: Ref<'user' | 'customer'>;
  assignedTo: Ref<'user' | 'team'> | null;
  savedReplyId: number;
  to: string[];
  cc: string[];
  bcc: string[];
  createdAt: string;
  openedAt: string | null;
  attachments: AttachmentRec[];
}

export interface ConversationRec {
  id: number;
  number: number;
  type: ConversationType;
  folderId: number;
  status: ConversationStatus;
  state: 'published' | 'draft';
  subject: string;
  preview: string;
  mailboxId: number;
  assignee: Ref<'user' | 'team'> | null;
  createdBy: Ref<'user' | 'customer'>;
  createdAt: string;
  closedAt: string | null;
  /** User id, 0 when not closed. */
  closedBy: number;
  userUpdatedAt: string;
  customerWaitingSince: { time: string; latestReplyFrom: 'customer' | 'user' } | null;
  source: { type: string; via: 'customer' | 'user' };
  tagIds: number[];
  cc: string[];
  bcc: string[];
  primaryCustomerId: number;
  /** Raw values: option id (as text) for dropdowns, text otherwise. */
  customFields: { id: number; value: string }[];
  snooze: { snoozedBy: number; snoozedUntil: string; unsnoozeOnCustomerReply: boolean } | null;
  /** Oldest first (the API lists them newest first). */
  threads: ThreadRec[];
}

export interface EntryRec {
  id: number;
  type: string;
  value: string;
}

export interface AddressRec {
  city: string;
  lines: string[];
  state: string;
  postalCode: string;
  country: string;
}

export interface CustomerRec {
  id: number;
  firstName: string | null;
  lastName: string | null;
  gender: string | null;
  jobTitle: string | null;
  location: string | null;
  organization: string | null;
  photoType: string | null;
  photoUrl: string | null;
  background: string | null;
  age: string | null;
  createdAt: string;
  updatedAt: string;
  emails: EntryRec[];
  phones: EntryRec[];
  chats: EntryRec[];
  socialProfiles: EntryRec[];
  websites: { id: number; value: string }[];
  address: AddressRec | null;
  /** Property values by slug. */
  properties: Record<string, string>;
}

export interface CustomerPropertyDef {
  type: 'number' | 'text' | 'url' | 'date' | 'dropdown';
  slug: string;
  name: string;
  options?: { id: string; label: string }[];
}

export interface WorkflowRec {
  id: number;
  mailboxId: number;
  type: 'manual' | 'automatic';
  status: 'active' | 'inactive' | 'invalid';
  order: number;
  name: string;
  createdAt: string;
  modifiedAt: string;
}

export interface WebhookRec {
  id: number;
  url: string;
  events: string[];
  secret: string;
  state: 'enabled' | 'disabled';
  notification: boolean;
  label: string;
  payloadVersion: 'V2';
  mailboxIds: number[];
}

export interface MailboxStore {
  /** Account id, exposed as `companyId` on /users/me. */
  companyId: number;
  /** The account owner: "me" for client-credentials tokens and the demo token. */
  ownerId: number;
  users: Map<number, UserRec>;
  teams: Map<number, TeamRec>;
  mailboxes: Map<number, MailboxRec>;
  folders: Map<number, FolderRec>;
  fields: Map<number, FieldRec>;
  tags: Map<number, TagRec>;
  customers: Map<number, CustomerRec>;
  customerProperties: CustomerPropertyDef[];
  conversations: Map<number, ConversationRec>;
  /** Merged conversation id -> surviving conversation id (GET answers 301). */
  merged: Map<number, number>;
  workflows: Map<number, WorkflowRec>;
  webhooks: Map<number, WebhookRec>;
  /** Next id per kind; ids of different kinds live in different ranges. */
  seq: Record<IdKind, number>;
  nextNumber: number;
}

export type IdKind = 'conversation' | 'thread' | 'customer' | 'entry' | 'tag' | 'attachment' | 'webhook';

export function nextId(store: MailboxStore, kind: IdKind): number {
  const id = store.seq[kind];
  store.seq[kind] = id + 1;
  return id;
}

/** The API's timestamp form: ISO-8601 UTC without milliseconds. */
export function isoSeconds(d: Date | number): string {
  return new Date(d).toISOString().slice(0, 19) + 'Z';
}

/**
 * When a conversation last changed, as used by `modifiedSince`, `sortField=modifiedAt` and the
 * `modifiedAt:[…]` query. The API has no such field on the object; we define it as the later of
 * `userUpdatedAt` and `customerWaitingSince.time` (what sync tools compute from the object), so a
 * client can re-check the filter locally.
 */
export function conversationModifiedAt(c: ConversationRec): string {
  const w = c.customerWaitingSince?.time;
  return w !== undefined && w > c.userUpdatedAt ? w : c.userUpdatedAt;
}

/**
 * The folder a conversation lives in, recomputed after every change:
 * spam → Spam, draft → Drafts, closed → Closed, assigned to a user → that user's Mine folder,
 * assigned to a team → Assigned, unassigned and tagged `urgent` → Needs attention, else Unassigned.
 */
export function homeFolderId(store: MailboxStore, c: ConversationRec): number {
  const folders = [...store.folders.values()].filter((f) => f.mailboxId === c.mailboxId);
  const byType = (t: FolderType): FolderRec | undefined => folders.find((f) => f.type === t && f.userId === 0);
  let f: FolderRec | undefined;
  if (c.status === 'spam') f = byType('spam');
  else if (c.state === 'draft') f = byType('drafts');
  else if (c.status === 'closed') f = byType('closed');
  else if (c.assignee?.type === 'user') {
    const userId = c.assignee.id;
    f = folders.find((x) => x.type === 'mytickets' && x.userId === userId) ?? byType('assigned');
  } else if (c.assignee?.type === 'team') f = byType('assigned');
  else {
    const urgent = [...c.tagIds].some((id) => store.tags.get(id)?.name === 'urgent');
    f = urgent ? byType('needsattention') : byType('open');
  }
  return f?.id ?? 0;
}

/** Plain text of an HTML body, for previews. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Preview text: the start of the latest published customer/reply/chat/phone thread. */
export function computePreview(c: ConversationRec): string {
  for (let i = c.threads.length - 1; i >= 0; i--) {
    const t = c.threads[i];
    if (t === undefined || t.state !== 'published') continue;
    if (t.type === 'lineitem' || t.type === 'note') continue;
    return htmlToText(t.body).slice(0, 200);
  }
  return '';
}
