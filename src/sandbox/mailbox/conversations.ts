// Conversations: list/search, get, create, PATCH, delete, tags, custom
// fields and snooze. Threads live in threads.ts.
import { z } from 'zod';
import {
  compareValues, created, dateParam, halPage, noContent, ok, parseBody, preconditionFailed,
  queryError, validationError,
} from './hal';
import type { MailboxCtx, MailboxRouter } from './context';
import { nowIso } from './context';
import {
  type ConversationRec, type ConversationStatus, type MailboxStore, type TagRec, type ThreadRec,
  computePreview, conversationModifiedAt, homeFolderId, nextId,
} from './model';
import { presentConversation } from './present';
import { type QueryNode, contains, evaluate, parseQuery, validateQuery } from './search';
import { customerFullName, findCustomerByEmail, newCustomerFromPerson, personSchema } from './customers';
import { afterChange, attachmentsSchema, getConversation, makeAttachments, redirectIfMerged } from './shared';

/**
 * `status` filter values. `open` = active or pending; `all` = every status including spam
 * (our reading: the docs list both without defining them). Drafts are listed like any other.
 */
const STATUS_FILTERS = ['active', 'pending', 'closed', 'open', 'spam', 'all'] as const;

/** Accepted `sortField` values; `mailboxid` is lower-case in the docs (we also take `mailboxId`). */
const SORT_FIELDS: Record<string, (store: MailboxStore, c: ConversationRec) => string | number | null> = {
  createdAt: (_s, c) => c.createdAt,
  customerEmail: (s, c) => s.customers.get(c.primaryCustomerId)?.emails[0]?.value ?? null,
  customerName: (s, c) => {
    const cu = s.customers.get(c.primaryCustomerId);
    return cu ? customerFullName(cu) : null;
  },
  mailboxid: (_s, c) => c.mailboxId,
  mailboxId: (_s, c) => c.mailboxId,
  modifiedAt: (_s, c) => conversationModifiedAt(c),
  number: (_s, c) => c.number,
  // No relevance model here: `score` orders like createdAt.
  score: (_s, c) => c.createdAt,
  status: (_s, c) => c.status,
  subject: (_s, c) => c.subject,
  waitingSince: (_s, c) => c.customerWaitingSince?.time ?? null,
};

const TEXT_FIELDS = ['subject', 'email', 'customerEmail', 'tag', 'body', 'customerName', 'status', 'number', 'mailboxId', 'mailboxid'];
const RANGE_FIELDS = ['createdAt', 'modifiedAt', 'closedAt'];

/** Does conversation `c` match a parsed `query`? Text fields match case-insensitive substrings; `tag` matches a whole tag name. */
export function conversationMatchesQuery(store: MailboxStore, c: ConversationRec, q: QueryNode): boolean {
  const customer = store.customers.get(c.primaryCustomerId);
  const emails = (): string[] => customer?.emails.map((e) => e.value) ?? [];
  const name = (): string => (customer ? customerFullName(customer) : '');
  const bodies = (v: string): boolean => c.threads.some((t) => contains(t.body, v));
  return evaluate(q, {
    term(field, v) {
      switch (field) {
        case null: return contains(c.subject, v) || contains(name(), v) || emails().some((e) => contains(e, v)) || bodies(v);
        case 'subject': return contains(c.subject, v);
        case 'email':
        case 'customeremail': return emails().some((e) => contains(e, v));
        case 'tag': return c.tagIds.some((id) => store.tags.get(id)?.name.toLowerCase() === v.toLowerCase());
        case 'body': return bodies(v);
        case 'customername': return contains(name(), v);
        case 'status': return c.status === v.toLowerCase();
        case 'number': return String(c.number) === v;
        case 'mailboxid': return String(c.mailboxId) === v;
        default: return undefined;
      }
    },
    range(field) {
      switch (field) {
        case 'createdat': return c.createdAt;
        case 'modifiedat': return conversationModifiedAt(c);
        case 'closedat': return c.closedAt;
        default: return undefined;
      }
    },
  });
}

function intList(ctx: MailboxCtx, name: string): number[] | undefined {
  const raw = ctx.req.query.get(name);
  if (raw === null || raw === '') return undefined;
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.some((p) => !/^\d+$/.test(p))) throw queryError(name, raw, 'must be a number or a comma-separated list of numbers', 'InvalidNumber');
  return parts.map(Number);
}

function listConversations(ctx: MailboxCtx): ReturnType<typeof halPage> {
  const { req, store } = ctx;
  const q = req.query;
  const mailboxes = intList(ctx, 'mailbox');
  const folder = intList(ctx, 'folder')?.[0];
  const assignedTo = intList(ctx, 'assigned_to')?.[0];
  const number = intList(ctx, 'number')?.[0];
  const status = q.get('status') ?? 'active';
  if (!(STATUS_FILTERS as readonly string[]).includes(status)) {
    throw queryError('status', status, `Expected one of these: ${STATUS_FILTERS.join(', ')}`, 'EnumValue');
  }
  const tagParam = q.get('tag');
  const tagNames = tagParam ? tagParam.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '') : [];
  const modifiedSince = dateParam(req, 'modifiedSince');
  const sortField = q.get('sortField') ?? 'createdAt';
  const sortKey = SORT_FIELDS[sortField];
  if (!sortKey) throw queryError('sortField', sortField, `Expected one of these: ${Object.keys(SORT_FIELDS).filter((k) => k !== 'mailboxId').join(', ')}`, 'EnumValue');
  const sortOrder = q.get('sortOrder') ?? 'desc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw queryError('sortOrder', sortOrder, 'Expected one of these: asc, desc', 'EnumValue');
  const embed = q.get('embed');
  if (embed !== null && embed !== '' && embed !== 'threads') throw queryError('embed', embed, 'Expected one of these: threads', 'EnumValue');
  const cfRaw = q.get('customFieldsByIds');
  const cfFilters: { id: number; value: string }[] = [];
  if (cfRaw) {
    for (const part of cfRaw.split(',')) {
      const m = /^\s*(\d+):(.*)$/.exec(part);
      if (!m) throw queryError('customFieldsByIds', cfRaw, 'Expected fieldId:value pairs separated by commas', 'Invalid');
      cfFilters.push({ id: Number(m[1]), value: (m[2] ?? '').trim() });
    }
  }
  const queryRaw = q.get('query');
  let query: QueryNode | undefined;
  if (queryRaw !== null && queryRaw.trim() !== '') {
    query = parseQuery(queryRaw);
    validateQuery(query, queryRaw, TEXT_FIELDS, RANGE_FIELDS);
  }

  const matches: ConversationRec[] = [];
  for (const c of store.conversations.values()) {
    if (mailboxes && !mailboxes.includes(c.mailboxId)) continue;
    if (folder !== undefined && c.folderId !== folder) continue;
    if (status === 'open' ? c.status !== 'active' && c.status !== 'pending' : status !== 'all' && c.status !== status) continue;
    if (tagNames.length > 0 && !c.tagIds.some((id) => tagNames.includes(store.tags.get(id)?.name.toLowerCase() ?? ''))) continue;
    if (assignedTo !== undefined && c.assignee?.id !== assignedTo) continue;
    if (number !== undefined && c.number !== number) continue;
    if (modifiedSince !== undefined && conversationModifiedAt(c) < modifiedSince) continue;
    if (cfFilters.some((f) => !c.customFields.some((cf) => cf.id === f.id && cf.value.toLowerCase() === f.value.toLowerCase()))) continue;
    if (query && !conversationMatchesQuery(store, c, query)) continue;
    matches.push(c);
  }
  const dir = sortOrder === 'asc' ? 1 : -1;
  const keyed = matches.map((c) => ({ c, k: sortKey(store, c) }));
  keyed.sort((a, b) => dir * (compareValues(a.k, b.k) || a.c.id - b.c.id));
  return halPage(req, 'conversations', keyed.map((x) => x.c), (c) => presentConversation(store, ctx.base, c, embed === 'threads', true));
}



/** Tags by name (case-insensitive), creating the unknown ones. */
export function tagsByName(ctx: MailboxCtx, names: readonly string[]): TagRec[] {
  const out: TagRec[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    let tag = [...ctx.store.tags.values()].find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!tag) {
      const now = nowIso(ctx);
      tag = {
        id: nextId(ctx.store, 'tag'), name: name.toLowerCase(),
        slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
        color: '#929499', createdAt: now, updatedAt: now,
      };
      ctx.store.tags.set(tag.id, tag);
    }
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}

const fieldValuesSchema = z.array(z.object({ id: z.number().int(), value: z.union([z.string(), z.number()]) }));

/** Checks custom-field values against the mailbox's field definitions (value rules per type). */
function checkFieldValues(ctx: MailboxCtx, mailboxId: number, fields: z.infer<typeof fieldValuesSchema>): { id: number; value: string }[] {
  return fields.map((f, i) => {
    const def = ctx.store.fields.get(f.id);
    const value = String(f.value);
    const path = `fields[${i}]`;
    if (!def || def.mailboxId !== mailboxId) throw validationError([{ path: `${path}.id`, message: 'Unknown custom field for this mailbox', rejectedValue: f.id, code: 'InvalidIdentifier' }]);
    const bad = (message: string): never => {
      throw validationError([{ path: `${path}.value`, message, rejectedValue: f.value }]);
    };
    if (def.type === 'dropdown' && !def.options.some((o) => String(o.id) === value)) bad('must be the id of one of the field options');
    if (def.type === 'number' && (value.length > 255 || !/^-?\d+(\.\d+)?$/.test(value))) bad('must be a number');
    if (def.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) bad('must be a date in the form YYYY-MM-DD');
    if (def.type === 'singleline' && value.length > 255) bad('size must be between 0 and 255');
    if (def.type === 'multiline' && value.length > 15000) bad('size must be between 0 and 15000');
    return { id: def.id, value };
  });
}

const threadInSchema = z.object({
  type: z.enum(['customer', 'reply', 'note', 'phone', 'chat']),
  customer: personSchema.optional(),
  text: z.string().min(1),
  draft: z.boolean().optional(),
  cc: z.array(z.string()).optional(),
  bcc: z.array(z.string()).optional(),
  user: z.number().int().optional(),
  createdAt: z.string().optional(),
  attachments: attachmentsSchema.optional(),
});

const createSchema = z.object({
  subject: z.string().min(1).max(998),
  type: z.enum(['email', 'chat', 'phone']),
  mailboxId: z.number().int(),
  status: z.enum(['active', 'closed', 'pending']),
  customer: personSchema,
  threads: z.array(threadInSchema).min(1),
  assignTo: z.number().int().nullable().optional(),
  autoReply: z.boolean().optional(),
  imported: z.boolean().optional(),
  createdAt: z.string().optional(),
  closedAt: z.string().optional(),
  tags: z.array(z.string()).optional(),
  fields: fieldValuesSchema.optional(),
  user: z.number().int().optional(),
});

function resolveCustomer(ctx: MailboxCtx, p: z.infer<typeof personSchema>, path: string): number {
  if (p.id !== undefined) {
    if (!ctx.store.customers.has(p.id)) throw validationError([{ path: `${path}.id`, message: 'Customer not found', rejectedValue: p.id, code: 'InvalidIdentifier' }]);
    return p.id;
  }
  if (p.email !== undefined) {
    const found = findCustomerByEmail(ctx.store, p.email);
    if (found) return found.id;
    const c = newCustomerFromPerson(ctx, p);
    return c.id;
  }
  throw validationError([{ path, message: 'Either customer id or email is required', code: 'NotNull' }]);
}

function createConversation(ctx: MailboxCtx): ReturnType<typeof created> {
  const body = parseBody(ctx.req, createSchema);
  const { store } = ctx;
  if (body.threads.length > 100) throw preconditionFailed('A conversation can have at most 100 threads');
  if (!store.mailboxes.has(body.mailboxId)) {
    throw validationError([{ path: 'mailboxId', message: 'Mailbox not found', rejectedValue: body.mailboxId, code: 'InvalidIdentifier' }]);
  }
  if (body.assignTo !== undefined && body.assignTo !== null && !store.users.has(body.assignTo)) {
    throw validationError([{ path: 'assignTo', message: 'User not found', rejectedValue: body.assignTo, code: 'InvalidIdentifier' }]);
  }
  const actingUser = body.user !== undefined && store.users.has(body.user) ? body.user : ctx.userId;
  for (const date of [body.createdAt, body.closedAt, ...body.threads.map((t) => t.createdAt)]) {
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date)) {
      throw validationError([{ path: 'createdAt', message: "Malformed date, expected format yyyy-MM-dd'T'HH:mm:ss'Z'", rejectedValue: date, code: 'MalformedDate' }]);
    }
  }
  const fields = body.fields ? checkFieldValues(ctx, body.mailboxId, body.fields) : [];
  const customerId = resolveCustomer(ctx, body.customer, 'customer');
  const now = nowIso(ctx);
  const createdAt = body.imported && body.createdAt ? body.createdAt : now;
  const isDraft = body.threads.some((t) => t.type === 'reply' && t.draft === true);
  const status = body.status;
  const assignee = body.assignTo === undefined || body.assignTo === null ? null : { type: 'user' as const, id: body.assignTo };

  const conv: ConversationRec = {
    id: nextId(store, 'conversation'), number: store.nextNumber++, type: body.type, folderId: 0, status,
    state: isDraft ? 'draft' : 'published', subject: body.subject, preview: '', mailboxId: body.mailboxId, assignee,
    createdBy: { type: 'customer', id: customerId }, createdAt, closedAt: null, closedBy: 0, userUpdatedAt: createdAt,
    customerWaitingSince: null,
    source: { type: body.type === 'chat' ? 'chat' : body.type === 'phone' ? 'phone' : 'api', via: 'user' },
    tagIds: [], cc: [], bcc: [], primaryCustomerId: customerId, customFields: fields, snooze: null, threads: [],
  };
  // The request's threads are taken oldest first (our reading of the docs; the real order is not stated).
  body.threads.forEach((t, i) => {
    const threadCustomer = t.customer ? resolveCustomer(ctx, t.customer, `threads[${i}].customer`) : customerId;
    const fromCustomer = t.type === 'customer' || t.type === 'chat';
    const at = body.imported && t.createdAt ? t.createdAt : createdAt;
    const thread: ThreadRec = {
      id: nextId(store, 'thread'), type: t.type, status, state: t.type === 'reply' && t.draft ? 'draft' : 'published', hidden: false,
      action: null, body: t.text, source: { type: fromCustomer ? 'email' : 'api', via: fromCustomer ? 'customer' : 'user' },
      customerId: threadCustomer,
      createdBy: fromCustomer ? { type: 'customer', id: threadCustomer } : { type: 'user', id: t.user ?? actingUser },
      assignedTo: assignee, savedReplyId: 0, to: [], cc: t.cc ?? [], bcc: t.bcc ?? [], createdAt: at, openedAt: null,
      attachments: makeAttachments(store, t.attachments ?? []),
    };
    if (i === 0) conv.createdBy = thread.createdBy;
    if (fromCustomer) conv.customerWaitingSince = { time: at, latestReplyFrom: 'customer' };
    else if (t.type === 'reply' && conv.customerWaitingSince) conv.customerWaitingSince.latestReplyFrom = 'user';
    conv.threads.push(thread);
  });
  conv.cc = body.threads[0]?.cc ?? [];
  if (conv.createdBy.type === 'user') conv.source = { type: conv.source.type, via: 'user' };
  else conv.source = { type: body.type === 'chat' ? 'chat' : body.type === 'phone' ? 'phone' : 'api', via: 'customer' };
  conv.tagIds = tagsByName(ctx, body.tags ?? []).map((t) => t.id);
  if (status === 'closed') {
    conv.closedAt = body.imported && body.closedAt ? body.closedAt : createdAt;
    conv.closedBy = actingUser;
  }
  conv.preview = computePreview(conv);
  conv.folderId = homeFolderId(store, conv);
  store.conversations.set(conv.id, conv);
  return created(ctx.req, `/conversations/${conv.id}`, conv.id);
}

const patchSchema = z.object({
  op: z.enum(['replace', 'move', 'remove', 'add']),
  path: z.string(),
  value: z.unknown().optional(),
});

function patchConversation(ctx: MailboxCtx): ReturnType<typeof noContent> {
  const c = getConversation(ctx);
  // A single JSON-Patch-style object, not an array (unlike the customer PATCH).
  const body = parseBody(ctx.req, patchSchema);
  const { store } = ctx;
  const prev = c.status;
  const bad = (message: string): never => {
    throw validationError([{ path: 'value', message, rejectedValue: body.value as never }]);
  };
  const key = `${body.op} ${body.path}`;
  switch (key) {
    case 'replace /subject':
      if (typeof body.value !== 'string' || body.value.trim() === '') bad('may not be empty');
      c.subject = String(body.value);
      break;
    case 'replace /primaryCustomer.id': {
      const id = Number(body.value);
      if (!Number.isInteger(id) || !store.customers.has(id)) bad('Customer not found');
      c.primaryCustomerId = id;
      break;
    }
    case 'replace /draft':
      if (body.value !== false) bad('Only false (publish the draft) is supported');
      c.state = 'published';
      for (const t of c.threads) t.state = 'published';
      break;
    case 'move /mailboxId': {
      const id = Number(body.value);
      if (!Number.isInteger(id) || !store.mailboxes.has(id)) bad('Mailbox not found');
      c.mailboxId = id;
      c.customFields = c.customFields.filter((cf) => store.fields.get(cf.id)?.mailboxId === id);
      break;
    }
    case 'replace /status': {
      const v = String(body.value);
      if (!['active', 'closed', 'pending', 'spam'].includes(v)) {
        throw validationError([{ path: 'value', message: 'Expected one of these: active, closed, pending, spam', rejectedValue: body.value as never, code: 'EnumValue' }]);
      }
      c.status = v as ConversationStatus;
      break;
    }
    case 'replace /assignTo': {
      const id = Number(body.value);
      if (!Number.isInteger(id) || !store.users.has(id)) bad('User not found');
      c.assignee = { type: 'user', id };
      break;
    }
    case 'remove /assignTo':
      c.assignee = null;
      break;
    default:
      throw validationError([{ path: 'path', message: `Unsupported operation '${body.op}' on '${body.path}'`, rejectedValue: body.path, code: 'Invalid' }]);
  }
  c.userUpdatedAt = nowIso(ctx);
  afterChange(ctx, c, prev);
  return noContent();
}

function deleteConversation(ctx: MailboxCtx): ReturnType<typeof noContent> {
  const c = getConversation(ctx);
  ctx.store.conversations.delete(c.id);
  return noContent();
}

const tagsSchema = z.object({ tags: z.array(z.string()) });

function putTags(ctx: MailboxCtx): ReturnType<typeof noContent> {
  const c = getConversation(ctx);
  const body = parseBody(ctx.req, tagsSchema);
  c.tagIds = tagsByName(ctx, body.tags).map((t) => t.id);
  c.userUpdatedAt = nowIso(ctx);
  afterChange(ctx, c, c.status);
  return noContent();
}

function putFields(ctx: MailboxCtx): ReturnType<typeof noContent> {
  const c = getConversation(ctx);
  const body = parseBody(ctx.req, z.object({ fields: fieldValuesSchema }));
  c.customFields = checkFieldValues(ctx, c.mailboxId, body.fields);
  c.userUpdatedAt = nowIso(ctx);
  return noContent();
}

const snoozeSchema = z.object({ snoozedUntil: z.string(), unsnoozeOnCustomerReply: z.boolean().optional() });

function putSnooze(ctx: MailboxCtx): ReturnType<typeof noContent> {
  const c = getConversation(ctx);
  const body = parseBody(ctx.req, snoozeSchema);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(body.snoozedUntil)) {
    throw validationError([{ path: 'snoozedUntil', message: "Malformed date, expected format yyyy-MM-dd'T'HH:mm:ss'Z'", rejectedValue: body.snoozedUntil, code: 'MalformedDate' }]);
  }
  c.snooze = { snoozedBy: ctx.userId, snoozedUntil: body.snoozedUntil, unsnoozeOnCustomerReply: body.unsnoozeOnCustomerReply ?? true };
  return noContent();
}

export function registerConversations(r: MailboxRouter): void {
  r.add('GET', '/conversations', listConversations);
  r.add('POST', '/conversations', createConversation);
  r.add('GET', '/conversations/:id', (ctx) => {
    redirectIfMerged(ctx);
    return ok(presentConversation(ctx.store, ctx.base, getConversation(ctx), ctx.req.query.get('embed') === 'threads'));
  });
  r.add('PATCH', '/conversations/:id', patchConversation);
  r.add('DELETE', '/conversations/:id', deleteConversation);
  r.add('PUT', '/conversations/:id/tags', putTags);
  r.add('PUT', '/conversations/:id/fields', putFields);
  r.add('PUT', '/conversations/:id/snooze', putSnooze);
  r.add('DELETE', '/conversations/:id/snooze', (ctx) => {
    getConversation(ctx).snooze = null;
    return noContent();
  });
}
