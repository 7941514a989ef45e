// zod schemas for Mailbox API 2.0 responses. Every object is loose (unknown
// fields pass through untouched, since Help Scout adds fields often), fields
// the API may leave out or send as null are `nullish`, and only ids and a few
// always-present fields are required. The quirks are kept as the wire has them:
// person refs inside conversations and threads use `first`/`last` while
// users and customers use `firstName`/`lastName`; conversation tags carry
// `tag` while the Tag resource carries `name`; a customer's `_embedded` says
// `social_profiles` while its link and entry list say `social-profiles`.
// Timestamps stay strings; `parseApiDate` (core/http) reads them, with or
// without `Z` and milliseconds.

import { z } from 'zod';

const id = z.number().int();
const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();
const date = z.string().nullish();
const strings = z.array(z.string()).nullish();
/** `_links` objects (or anything else there): not used for data, only for `next`. */
const links = z.record(z.string(), z.unknown()).nullish();

// --- shared pieces ---------------------------------------------------------

/** `{id, type, first, last, email}` as it appears inside conversations and threads. */
export const personRefSchema = z.looseObject({
  id: id,
  type: str,
  first: str,
  last: str,
  email: str,
  photoUrl: str,
});

export const sourceSchema = z.looseObject({ type: str, via: str });

export const pageInfoSchema = z.looseObject({
  size: num,
  totalElements: z.number(),
  totalPages: z.number(),
  number: z.number(),
});

// --- mailboxes, folders, fields -------------------------------------------

export const mailboxSchema = z.looseObject({
  id,
  name: z.string(),
  slug: str,
  email: str,
  createdAt: date,
  updatedAt: date,
  _links: links,
});

export const folderSchema = z.looseObject({
  id,
  name: z.string(),
  type: str,
  userId: num,
  totalCount: num,
  activeCount: num,
  updatedAt: date,
});

export const fieldOptionSchema = z.looseObject({ id: z.number(), order: num, label: z.string() });

export const fieldSchema = z.looseObject({
  id,
  name: z.string(),
  type: z.string(),
  order: num,
  required: bool,
  options: z.array(fieldOptionSchema).nullish(),
});

// --- conversations and threads -------------------------------------------

/** Note the key `tag` (the Tag resource says `name`). */
export const conversationTagSchema = z.looseObject({ id: z.number(), color: str, tag: z.string() });

export const conversationCustomFieldSchema = z.looseObject({
  id: z.number(),
  name: str,
  /** Raw value: the option id for dropdowns. */
  value: z.union([z.string(), z.number()]).nullish(),
  /** Display text. */
  text: str,
});

export const attachmentSchema = z.looseObject({
  id,
  /** `filename` when read; `fileName` when written. */
  filename: str,
  mimeType: str,
  width: num,
  height: num,
  size: num,
  state: str,
  _links: links,
});

export const threadSchema = z.looseObject({
  id,
  type: z.string(),
  status: str,
  state: str,
  action: z.looseObject({ type: str, text: str, associatedEntities: z.unknown().optional() }).nullish(),
  body: str,
  source: sourceSchema.nullish(),
  customer: personRefSchema.nullish(),
  createdBy: personRefSchema.nullish(),
  assignedTo: personRefSchema.nullish(),
  savedReplyId: num,
  to: strings,
  cc: strings,
  bcc: strings,
  createdAt: date,
  openedAt: date,
  rating: z.looseObject({ customerId: num, rating: str, comments: str }).nullish(),
  scheduled: z.looseObject({}).nullish(),
  _embedded: z.looseObject({ attachments: z.array(attachmentSchema).nullish() }).nullish(),
  _links: links,
});

export const conversationSchema = z.looseObject({
  id,
  number: z.number(),
  /** A count in responses (an array only in create requests). */
  threads: num,
  type: str,
  folderId: num,
  status: z.string(),
  state: str,
  subject: str,
  preview: str,
  mailboxId: z.number(),
  assignee: personRefSchema.nullish(),
  createdBy: personRefSchema.nullish(),
  createdAt: date,
  closedAt: date,
  closedBy: num,
  closedByUser: personRefSchema.nullish(),
  userUpdatedAt: date,
  customerWaitingSince: z
    .looseObject({
      time: date,
      friendly: str,
      latestReplyFrom: str,
      /** The spelling one sync tool's schema uses; tolerated in case the API sends it. */
      lastReplyFrom: str,
    })
    .nullish(),
  source: sourceSchema.nullish(),
  tags: z.array(conversationTagSchema).nullish(),
  cc: strings,
  bcc: strings,
  primaryCustomer: personRefSchema.nullish(),
  snooze: z.looseObject({ snoozedBy: num, snoozedUntil: date, unsnoozeOnCustomerReply: bool }).nullish(),
  nextEvent: z.looseObject({ time: date, eventType: str }).nullish(),
  customFields: z.array(conversationCustomFieldSchema).nullish(),
  _embedded: z.looseObject({ threads: z.array(threadSchema).nullish() }).nullish(),
  _links: links,
});

// --- customers ---------------------------------------------------------------

/** Email, phone, chat and social-profile entries. */
export const customerEntrySchema = z.looseObject({ id, value: z.string(), type: str, _links: links });
/** Websites carry no `type`. */
export const websiteSchema = z.looseObject({ id, value: z.string(), _links: links });

export const addressSchema = z.looseObject({
  city: str,
  lines: strings,
  state: str,
  postalCode: str,
  /** Two-letter country code. */
  country: str,
  _links: links,
});

/** A property value on a customer. */
export const customerPropertySchema = z.looseObject({
  type: str,
  slug: z.string(),
  name: str,
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
  source: z.unknown().optional(),
});

/** A property definition (`/customer-properties`). */
export const customerPropertyDefinitionSchema = z.looseObject({
  type: z.string(),
  slug: z.string(),
  name: z.string(),
  options: z.array(z.looseObject({ id: z.union([z.string(), z.number()]), label: z.string() })).nullish(),
});

export const customerEmbeddedSchema = z.looseObject({
  address: addressSchema.nullish(),
  emails: z.array(customerEntrySchema).nullish(),
  phones: z.array(customerEntrySchema).nullish(),
  chats: z.array(customerEntrySchema).nullish(),
  /** The real key (underscore). */
  social_profiles: z.array(customerEntrySchema).nullish(),
  /** Tolerated in case the hyphenated list key appears here too. */
  'social-profiles': z.array(customerEntrySchema).nullish(),
  websites: z.array(websiteSchema).nullish(),
  properties: z.array(customerPropertySchema).nullish(),
});

export const customerSchema = z.looseObject({
  id,
  firstName: str,
  lastName: str,
  gender: str,
  jobTitle: str,
  location: str,
  organization: str,
  organizationId: num,
  photoType: str,
  photoUrl: str,
  background: str,
  age: str,
  createdAt: date,
  updatedAt: date,
  _embedded: customerEmbeddedSchema.nullish(),
  _links: links,
});

// --- users, teams, tags, workflows, webhooks ---------------------------------

export const userSchema = z.looseObject({
  id,
  firstName: str,
  lastName: str,
  email: str,
  role: str,
  timezone: str,
  photoUrl: str,
  createdAt: date,
  updatedAt: date,
  type: str,
  mention: str,
  initials: str,
  jobTitle: str,
  phone: str,
  alternateEmails: strings,
  /** Only on `/users/me`. */
  companyId: num,
  _links: links,
});

export const teamSchema = z.looseObject({
  id,
  name: z.string(),
  timezone: str,
  photoUrl: str,
  mention: str,
  initials: str,
  createdAt: date,
  updatedAt: date,
  _links: links,
});

export const tagSchema = z.looseObject({
  id,
  slug: str,
  name: z.string(),
  color: str,
  createdAt: date,
  updatedAt: date,
  ticketCount: num,
  _links: links,
});

/** Workflows say `modifiedAt` where most resources say `updatedAt`. */
export const workflowSchema = z.looseObject({
  id,
  mailboxId: num,
  type: z.string(),
  status: z.string(),
  order: num,
  name: z.string(),
  createdAt: date,
  modifiedAt: date,
  _links: links,
});

export const webhookSchema = z.looseObject({
  id,
  url: z.string(),
  events: strings,
  secret: str,
  state: str,
  notification: bool,
  label: str,
  payloadVersion: str,
  mailboxIds: z.array(z.number()).nullish(),
  _links: links,
});

// --- envelopes ---------------------------------------------------------------

/**
 * A HAL list: `{_embedded:{<key>:[…]}, _links, page}`. `_embedded` is left out
 * when the list is empty and `page` is missing on some lists (customer entries,
 * and fields/folders in some versions), so both are optional.
 */
export function halListSchema<T extends z.ZodType>(key: string, item: T) {
  return z.looseObject({
    _embedded: z.looseObject({ [key]: z.array(item).nullish() }).nullish(),
    _links: links,
    page: pageInfoSchema.nullish(),
  });
}

export type PersonRef = z.output<typeof personRefSchema>;
export type PageInfo = z.output<typeof pageInfoSchema>;
export type Mailbox = z.output<typeof mailboxSchema>;
export type Folder = z.output<typeof folderSchema>;
export type Field = z.output<typeof fieldSchema>;
export type ConversationTag = z.output<typeof conversationTagSchema>;
export type ConversationCustomField = z.output<typeof conversationCustomFieldSchema>;
export type Attachment = z.output<typeof attachmentSchema>;
export type Thread = z.output<typeof threadSchema>;
export type Conversation = z.output<typeof conversationSchema>;
export type CustomerEntry = z.output<typeof customerEntrySchema>;
export type Website = z.output<typeof websiteSchema>;
export type Address = z.output<typeof addressSchema>;
export type CustomerProperty = z.output<typeof customerPropertySchema>;
export type CustomerPropertyDefinition = z.output<typeof customerPropertyDefinitionSchema>;
export type Customer = z.output<typeof customerSchema>;
export type User = z.output<typeof userSchema>;
export type Team = z.output<typeof teamSchema>;
export type Tag = z.output<typeof tagSchema>;
export type Workflow = z.output<typeof workflowSchema>;
export type Webhook = z.output<typeof webhookSchema>;

/** A customer's social profiles, whichever `_embedded` key the response used. */
export function socialProfilesOf(c: Customer): CustomerEntry[] {
  return c._embedded?.social_profiles ?? c._embedded?.['social-profiles'] ?? [];
}
